/** Web push in the app: a push delivered through the DevTools protocol shows a notification that opens the request. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Guichet, launch } from './harness.mjs';

/** The notifications shown, once ``done(list)`` holds (polled for ``seconds``; ``null`` if it never does). */
async function shownWithin(page, done, seconds) {
  const deadline = Date.now() + seconds * 1000;
  for (;;) {
    const list = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
      .map((n) => ({ title: n.title, body: n.body, tag: n.tag, lang: n.lang, url: n.data?.url })));
    if (done(list)) return list;
    if (Date.now() > deadline) return null;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/**
 * Delivers ``payload`` to the worker through the DevTools protocol (the stand-in for a
 * push service) and returns the notifications once ``done(list)`` holds.
 *
 * Chromium sometimes drops a DevTools delivery made just after the worker activated
 * (seen on a loaded machine: nothing shown within 40 s, while the next delivery shows
 * at once), so an unanswered delivery is repeated, as a push service would retry an
 * unacknowledged message. Every delivery carries the same tag, so a repeat cannot add
 * a second notification: the callers still assert exactly what is shown.
 */
async function push(cdp, page, registrationId, origin, payload, done) {
  for (let attempt = 1; attempt <= 4; attempt += 1) {
    await cdp.send('ServiceWorker.deliverPushMessage', { origin, registrationId, data: JSON.stringify(payload) });
    const list = await shownWithin(page, done, 3);
    if (list) return list;
  }
  const list = await shownWithin(page, () => true, 0);
  assert.fail(`notifications after four deliveries: ${JSON.stringify(list)}`);
}

describe('push notifications', () => {
  let guichet;
  let context;

  before(async () => {
    guichet = await new Guichet().setUp();
    context = await launch();
    await context.grantPermissions(['notifications'], { origin: guichet.url });
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('shows the notification the server sent and opens its request when clicked', async () => {
    const page = await context.newPage();
    const cdp = await context.newCDPSession(page);
    const registrations = [];
    cdp.on('ServiceWorker.workerRegistrationUpdated', (event) => registrations.push(...event.registrations));
    await cdp.send('ServiceWorker.enable');
    await page.goto(`${guichet.url}/`);
    await page.evaluate(() => navigator.serviceWorker.ready);
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, undefined, { timeout: 15000 }).catch(() => undefined);
    const registration = registrations.find((r) => !r.isDeleted);
    assert.ok(registration, 'the service worker is registered');

    const request = '6f1c2b9e-8d7a-4c3b-9e2f-1a2b3c4d5e6f';
    // What api/notify/channels/push.py sends, in the person's language.
    const payload = {
      title: 'Demande 2026-000042', body: 'Nouveau statut : En cours de traitement',
      url: `${guichet.url}/demandes/${request}`, tag: `request-${request}`, request, topic: 'status', lang: 'fr',
    };
    const { registrationId } = registration;
    const shown = await push(cdp, page, registrationId, guichet.url, payload, (list) => list.length > 0);
    assert.deepEqual(shown, [{ title: payload.title, body: payload.body, tag: payload.tag, lang: 'fr', url: payload.url }]);

    // A newer notice about the same request replaces the older one (same tag).
    const newer = { ...payload, body: 'Nouveau statut : Terminée' };
    const replaced = await push(cdp, page, registrationId, guichet.url, newer, (list) => list.some((n) => n.body === newer.body));
    assert.equal(replaced.length, 1);

    // A click: the worker's own handler, given the notification as the browser would.
    const [worker] = context.serviceWorkers();
    assert.ok(worker, 'the service worker runs');
    await worker.evaluate(async () => {
      const [notification] = await self.registration.getNotifications();
      self.dispatchEvent(new NotificationEvent('notificationclick', { notification }));
    });
    await page.waitForURL((url) => url.pathname === `/demandes/${request}` || url.searchParams.get('suite') === `/demandes/${request}`, { timeout: 10000 });
    const left = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications()).length);
    assert.equal(left, 0); // closed once clicked
    await page.close();
  });
});
