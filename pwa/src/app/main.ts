/** The citizen app's entry point. */

import '../components/catalog';
import { chooseLanguage, language, t } from '../i18n';
import { Router } from './router';
import { loadTheme, showTheme } from './theme';
import { offerUpdates } from './update';

document.documentElement.lang = language;

// The shell's own words, in the reader's language.
const nav = document.getElementById('site-nav');
nav?.setAttribute('aria-label', t.navLabel);
for (const link of nav?.querySelectorAll<HTMLElement>('[data-label]') ?? []) {
  const key = link.dataset.label as 'navProcedures' | 'navTracking' | 'navRequests' | 'navAccount';
  link.textContent = t[key];
}

// The other language, offered in its own words; the choice is kept on the device.
const switcher = document.getElementById('language-switch');
if (switcher) {
  const other = language === 'fr' ? 'en' : 'fr';
  switcher.textContent = other === 'en' ? 'English' : 'Français';
  switcher.lang = other;
  switcher.addEventListener('click', () => {
    chooseLanguage(other);
    location.reload();
  });
}

/** Says so in the header while the network is gone (a status: read out when it changes). */
function showConnection(): void {
  const indicator = document.getElementById('offline-indicator');
  if (indicator) indicator.textContent = navigator.onLine ? '' : t.offlineBadge;
}
window.addEventListener('online', showConnection);
window.addEventListener('offline', showConnection);
showConnection();

const outlet = document.getElementById('main');
const router = outlet ? new Router(outlet, 'Guichet') : undefined;
router?.start();
// The municipality's name, logo, links and colour in the shell.
void loadTheme().then((theme) => {
  if (theme) router?.rename(showTheme(theme));
});

// Requests written while offline leave as soon as they can (the outbox's own chunk, loaded once the page is up).
window.addEventListener('load', () => void import('../fill/outbox').then((outbox) => outbox.startOutbox()));

if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/service-worker.js').then(offerUpdates, (error: unknown) => {
      console.warn('Service worker registration failed', error);
    });
  });
}
