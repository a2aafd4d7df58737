/*
 * Guichet's service worker. When it installs it caches every file the app is made
 * of (the list is written in by the build: docs/decisions/0016), so the app opens
 * offline from the first visit; pages are asked of the network first and fall back
 * to the cached app; the catalog and the procedures seen are shown from cache while
 * they are refreshed.
 * Authenticated writes are never cached (only GETs are handled). A new version
 * waits until the page asks it to take over (the page asks the person first),
 * except on the first install.
 * Type-checked as a service worker (tsconfig.sw.json, run by `npm run typecheck`).
 */
// @ts-check
/// <reference lib="webworker" />

const sw = /** @type {ServiceWorkerGlobalScope} */ (/** @type {unknown} */ (self));

/** @type {{ version: string, files: string[] }} */
const PRECACHE = /* filled in by the build */ { version: 'dev', files: ['/'] };
const SHELL_CACHE = `guichet-shell-${PRECACHE.version}`;
const API_CACHE = 'guichet-catalog-v1';
// The catalog, and the municipality's theme (its colours as custom properties).
const CATALOG_PATHS = ['/api/procedures/', '/api/categories/', '/api/theme.css', '/api/theme/', '/manifest.webmanifest'];
// The theme's files (logo, icons, fonts) are named by their content: kept once seen.
const THEME_ASSET_PATH = /^\/api\/theme\/assets\/[0-9a-f]{64}\.[a-z0-9]+$/;
/** A procedure's page: kept once seen, to be read again offline. */
const PROCEDURE_PATH = /^\/api\/procedures\/[a-z0-9]+(?:-[a-z0-9]+)*\/$/;
// A procedure's form: from the network (it may hold the signed-in person's prefilled
// answers), else as last seen, so that a form opened once can be filled in offline.
// A personal answer (Cache-Control: private) is never kept.
const FORM_PATH = /^\/api\/procedures\/[a-z0-9]+(?:-[a-z0-9]+)*\/form\/$/;
const PRECACHED = new Set(PRECACHE.files);
// The signed-in person's account and requests: from the network, else as last seen, so
// that "my requests" can be read offline. Kept in a cache of their own, which the app
// deletes when someone signs in or out (pwa/src/account/session.ts). A request read
// with a draft's secret (X-Resume-Token, no account) is never kept.
const PERSONAL_CACHE = 'guichet-personal';
const PERSONAL_PATH = /^\/api\/(?:me\/(?:submissions\/)?|submissions\/[0-9a-f-]{36}\/(?:history\/|messages\/)?)$/;

sw.addEventListener('install', (event) => {
  event.waitUntil(
    caches
      .open(SHELL_CACHE)
      // Past the HTTP cache: a stale copy must not be kept for the life of this version.
      .then((cache) => cache.addAll(PRECACHE.files.map((url) => new Request(url, { cache: 'reload' }))))
      // The theme too, so that the app offline has the municipality's colours (not fatal).
      .then(() =>
        caches
          .open(API_CACHE)
          .then((cache) => cache.addAll(['/api/theme.css', '/api/theme/']))
          .catch(() => undefined),
      )
      .then(() => {
        if (!sw.registration.active) return sw.skipWaiting(); // nothing to replace yet
        return undefined;
      }),
  );
});

sw.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'activate-update') sw.skipWaiting();
});

// Background Sync: the outbox has requests waiting and the browser says the network is
// back. The open pages replay them (pwa/src/fill/outbox.ts, one at a time under a Web
// Lock); with none open, the app replays them when it is next started.
sw.addEventListener('sync', (raw) => {
  const event = /** @type {ExtendableEvent & { tag?: string }} */ (raw);
  if (event.tag !== 'guichet-outbox') return;
  event.waitUntil(
    sw.clients.matchAll({ type: 'window' }).then((pages) => {
      for (const page of pages) page.postMessage({ type: 'flush-outbox' });
    }),
  );
});

// Web push (api/notify/channels/push.py sends it, already in the person's language):
// a notification per request (its tag), which opens the request when clicked.
sw.addEventListener('push', (raw) => {
  const event = /** @type {ExtendableEvent & { data: { json(): any, text(): string } | null }} */ (raw);
  /** @type {{ title?: string, body?: string, url?: string, tag?: string, lang?: string }} */
  let data;
  try {
    data = event.data ? event.data.json() : {};
  } catch {
    data = { body: event.data ? event.data.text() : '' };
  }
  event.waitUntil(
    sw.registration.showNotification(data.title || 'Guichet', {
      body: data.body || '',
      tag: data.tag || 'guichet',
      lang: data.lang || '',
      icon: '/icons/icon-192.png',
      badge: '/icons/icon-192.png',
      data: { url: data.url || '/' },
    }),
  );
});

/**
 * Shows ``url`` (one of Guichet's own pages, else its home) in an open window of the
 * app if there is one, else in a new one.
 * @param {string} url
 */
async function openPage(url) {
  let target = new URL(url, sw.location.origin);
  if (target.origin !== sw.location.origin) target = new URL('/', sw.location.origin);
  const windows = await sw.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const same = windows.find((client) => client.url === target.href);
  if (same) return same.focus();
  const any = windows[0];
  if (any) {
    const moved = await any.navigate(target.href);
    return moved ? moved.focus().catch(() => moved) : undefined;
  }
  return sw.clients.openWindow(target.href);
}

sw.addEventListener('notificationclick', (raw) => {
  const event = /** @type {ExtendableEvent & { notification: Notification }} */ (raw);
  event.notification.close();
  event.waitUntil(openPage(event.notification.data?.url || '/'));
});

sw.addEventListener('activate', (event) => {
  const keep = new Set([SHELL_CACHE, API_CACHE, PERSONAL_CACHE]);
  event.waitUntil(
    caches
      .keys()
      .then((names) => Promise.all(names.filter((name) => !keep.has(name)).map((name) => caches.delete(name))))
      .then(() => sw.clients.claim()),
  );
});

/**
 * A page: from the network, else the app's cached page (it routes itself).
 * @param {Request} request
 * @returns {Promise<Response>}
 */
async function page(request) {
  try {
    return await fetch(request);
  } catch (error) {
    const cached = await caches.match('/', { cacheName: SHELL_CACHE });
    if (cached) return cached;
    throw error;
  }
}

/**
 * One of the app's own files: from this version's cache, else the network.
 * @param {Request} request
 * @param {string} path
 * @returns {Promise<Response>}
 */
async function appFile(request, path) {
  const cached = await caches.match(path, { cacheName: SHELL_CACHE });
  return cached ?? fetch(request);
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

/**
 * From the cache when kept (the address names the content, so it never changes), else
 * from the network, kept.
 * @param {Request} request
 * @param {string} cacheName
 * @returns {Promise<Response>}
 */
async function cacheFirst(request, cacheName) {
  const cache = await caches.open(cacheName);
  const cached = await cache.match(request);
  if (cached) return cached;
  const response = await fetch(request);
  if (response.ok) await cache.put(request, response.clone());
  return response;
}

/**
 * @param {Request} request
 * @param {string} cacheName
 * @param {boolean} [keepPrivate] whether a personal answer (Cache-Control: private) is kept
 * @returns {Promise<Response>}
 */
async function networkFirst(request, cacheName, keepPrivate = false) {
  const cache = await caches.open(cacheName);
  try {
    const response = await fetch(request);
    if (response.ok && (keepPrivate || !(response.headers.get('Cache-Control') ?? '').includes('private'))) {
      await cache.put(request, response.clone());
    }
    return response;
  } catch (error) {
    const cached = await cache.match(request);
    if (cached) return cached;
    throw error;
  }
}

sw.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET') return;
  const url = new URL(request.url);
  if (url.origin !== sw.location.origin) return;
  if (request.mode === 'navigate') {
    event.respondWith(page(request));
  } else if (PRECACHED.has(url.pathname) && !url.search) {
    event.respondWith(appFile(request, url.pathname));
  } else if (CATALOG_PATHS.some((path) => url.pathname === path) || PROCEDURE_PATH.test(url.pathname)) {
    event.respondWith(staleWhileRevalidate(event, API_CACHE));
  } else if (THEME_ASSET_PATH.test(url.pathname)) {
    event.respondWith(cacheFirst(request, API_CACHE));
  } else if (FORM_PATH.test(url.pathname)) {
    event.respondWith(networkFirst(request, API_CACHE));
  } else if (PERSONAL_PATH.test(url.pathname) && !request.headers.has('X-Resume-Token')) {
    event.respondWith(networkFirst(request, PERSONAL_CACHE, true));
  }
});
