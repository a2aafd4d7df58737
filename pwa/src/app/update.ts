/**
 * The service worker's updates: a new version installs in the background and waits;
 * the page says so and reloads only when the person asks (a form being filled is
 * never reloaded from under them).
 */

import { t } from '../i18n';

export function offerUpdates(registration: ServiceWorkerRegistration): void {
  const offer = (waiting: ServiceWorker): void => {
    if (document.getElementById('guichet-update')) return;
    const box = document.createElement('div');
    box.id = 'guichet-update';
    box.className = 'update-banner';
    box.setAttribute('role', 'status');
    const text = document.createElement('p');
    text.textContent = t.updateReady;
    const button = document.createElement('button');
    button.type = 'button';
    button.textContent = t.updateReload;
    button.addEventListener('click', () => {
      button.disabled = true;
      navigator.serviceWorker.addEventListener('controllerchange', () => window.location.reload(), { once: true });
      waiting.postMessage({ type: 'activate-update' });
    });
    box.append(text, button);
    document.body.append(box);
  };
  // Only when a version already controls this page: the first install takes over at once.
  if (registration.waiting && navigator.serviceWorker.controller) offer(registration.waiting);
  registration.addEventListener('updatefound', () => {
    const installing = registration.installing;
    installing?.addEventListener('statechange', () => {
      if (installing.state === 'installed' && navigator.serviceWorker.controller) offer(installing);
    });
  });
}
