/*
 * Guichet's service worker. For now it keeps the app usable when the network
 * is gone: pages and built assets are served from the network when possible
 * and from a cache otherwise; the catalog is shown from cache while it is
 * refreshed. Authenticated writes are never cached (only GETs are handled).
 * Type-checked as a service worker (tsconfig.sw.json, run by `npm run typecheck`).
 */
// @ts-check
/// <reference lib="webworker" />

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

const SHELL_CACHE = 'guichet-shell-v1';
const API_CACHE = 'guichet-catalog-v1';
const CATALOG_PATHS = ['/api/procedures/', '/api/categories/'];

sw.addEventListener('install', (event) => {
  event.waitUntil(caches.open(SHELL_CACHE).then((cache) => cache.add('/')));
  sw.skipWaiting();
});

sw.addEventListener('activate', (event) => {
  const keep = new Set([SHELL_CACHE, API_CACHE]);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => !keep.has(name)).map((name) => caches.delete(name))))
      .then(() => sw.clients.claim()),
  );
});

/**
 * @param {Request} request
 * @param {string} cacheName
 * @param {string} [fallbackUrl] what to store and serve it as (the shell for every page)
 * @returns {Promise<Response>}
 */
async function networkFirst(request, cacheName, fallbackUrl) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok) cache.put(fallbackUrl ?? request, response.clone());
    return response;
  } catch (error) {
    const cached = await cache.match(fallbackUrl ?? request);
    if (cached) return cached;
    throw error;
  }
}

/**
 * @param {FetchEvent} event
 * @param {string} cacheName
 * @returns {Promise<Response>}
 */
async function staleWhileRevalidate(event, cacheName) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(event.request);
  const refresh = fetch(event.request).then((response) => {
    if (response.ok) cache.put(event.request, response.clone());
    return response;
  });
  if (cached) {
    event.waitUntil(refresh.catch(() => undefined));
    return cached;
  }
  return refresh;
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(networkFirst(request, SHELL_CACHE, '/'));
  } else if (CATALOG_PATHS.some((path) => url.pathname === path)) {
    event.respondWith(staleWhileRevalidate(event, API_CACHE));
  } else if (url.pathname.startsWith('/assets/')) {
    event.respondWith(networkFirst(request, SHELL_CACHE));
  }
});
