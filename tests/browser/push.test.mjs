/** Web push in the app: a push delivered through the DevTools protocol shows a notification that opens the request. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Guichet, launch } from './harness.mjs';

/** The notifications shown, once ``done(list)`` holds (polled; fails after 10 s). */
async function until(page, done) {
  const deadline = Date.now() + 10000;
  for (;;) {
    const list = await page.evaluate(async () => (await (await navigator.serviceWorker.ready).getNotifications())
      .map((n) => ({ title: n.title, body: n.body, tag: n.tag, lang: n.lang, url: n.data?.url })));
    if (done(list)) return list;
    assert.ok(Date.now() < deadline, `notifications: ${JSON.stringify(list)}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
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
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: guichet.url, registrationId: registration.registrationId, data: JSON.stringify(payload),
    });
    const shown = await until(page, (list) => list.length > 0);
    assert.deepEqual(shown, [{ title: payload.title, body: payload.body, tag: payload.tag, lang: 'fr', url: payload.url }]);

    // A newer notice about the same request replaces the older one (same tag).
    await cdp.send('ServiceWorker.deliverPushMessage', {
      origin: guichet.url, registrationId: registration.registrationId, data: JSON.stringify({ ...payload, body: 'Nouveau statut : Terminée' }),
    });
    const replaced = await until(page, (list) => list.some((n) => n.body === 'Nouveau statut : Terminée'));
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
