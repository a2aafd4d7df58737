/** The citizen app's entry point. */

import '../components/catalog';
import { language } from '../i18n';

document.documentElement.lang = language;

if ('serviceWorker' in navigator) {
  window.addEventListener('load', () => {
    navigator.serviceWorker.register('/service-worker.js').catch((error: unknown) => {
      console.warn('Service worker registration failed', error);
    });
  });
}
