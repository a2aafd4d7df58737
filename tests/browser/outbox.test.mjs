/**
 * Sending through the outbox: while offline and while the server is down, then
 * arriving exactly once when it is back, even when the tab was closed meanwhile or
 * the answer to the sending was lost.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SLUG, fillActe, heading, inside, outbox } from './filling.mjs';
import { Guichet, axeViolations, launch, screenshotPath } from './harness.mjs';

describe('sending through the outbox', () => {
  let guichet;
  let context;

  before(async () => {
    guichet = await new Guichet().setUp();
    context = await launch({ viewport: { width: 360, height: 800 } });
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('sends while offline and the server down: waiting, then sent once in the same tab when it is back', async () => {
    const before = guichet.town('count', SLUG).sent;
    const page = await context.newPage();
    await fillActe(page, guichet, 'Horsligne');
    await context.setOffline(true);
    await guichet.stop();
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await heading(page, 'En attente d’envoi');
    await page.waitForFunction(() => /partira d’elle-même/.test(document.querySelector('guichet-fill').shadowRoot.querySelector('.status')?.textContent ?? ''));
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('fill-waiting') });
    await context.setOffline(false); // the network is back, the server not yet: the outbox keeps trying
    await page.waitForTimeout(3000);
    assert.equal((await outbox(page)).filter((d) => d.delivery === 'waiting').length, 1);
    await guichet.start();
    await heading(page, 'Demande envoyée');
    const server = guichet.town('count', SLUG);
    assert.equal(server.sent, before + 1);
    assert.equal(server.answers.at(-1).nom, 'Horsligne');
    assert.equal((await inside(page, '.code'))[0], server.references.at(-1));
    await page.close();
  });

  it('sends what was queued offline once the app is opened again after the tab was closed', async () => {
    const before = guichet.town('count', SLUG).sent;
    const page = await context.newPage();
    await fillActe(page, guichet, 'Fermeture');
    await context.setOffline(true);
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await heading(page, 'En attente d’envoi');
    await page.close();
    assert.equal(guichet.town('count', SLUG).sent, before);
    await context.setOffline(false);
    const again = await context.newPage();
    await again.goto(`${guichet.url}/`);
    await again.waitForFunction(
      () => new Promise((resolve) => {
        const open = indexedDB.open('guichet');
        open.onsuccess = () => {
          const all = open.result.transaction('drafts').objectStore('drafts').getAll();
          all.onsuccess = () => resolve(all.result.some((d) => d.delivery === 'sent' && d.reference && d.trackingCode));
        };
      }),
      undefined,
      { timeout: 20000, polling: 500 },
    );
    const server = guichet.town('count', SLUG);
    assert.equal(server.sent, before + 1);
    assert.equal(server.answers.at(-1).nom, 'Fermeture');
    // The home page shows the receipt kept on the device, with the reference and tracking code.
    await again.reload();
    await again.getByRole('heading', { level: 2, name: 'Sur cet appareil' }).waitFor();
    const device = await again.evaluate(() => document.querySelector('guichet-catalog').shadowRoot.querySelector('guichet-home-panels').shadowRoot.textContent);
    assert.ok(device.includes(server.references.at(-1)), device);
    await again.getByRole('heading', { level: 2, name: 'Les plus demandées' }).waitFor();
    assert.deepEqual(await axeViolations(again), []);
    await again.screenshot({ path: screenshotPath('home'), fullPage: true });
    await again.close();
  });

  it('sends once when the answer to the sending is lost and the outbox tries again', async () => {
    const before = guichet.town('count', SLUG).sent;
    const lossy = await launch({ serviceWorkers: 'block' }); // so the page's own requests can be intercepted
    try {
      const page = await lossy.newPage();
      await fillActe(page, guichet, 'Perdu');
      let lost = 0;
      await page.route('**/api/submissions/*/submit/', async (route) => {
        if (lost === 0) {
          lost += 1;
          await route.fetch(); // the server sends the request…
          await route.abort('connectionreset'); // …and its answer never reaches the app
        } else {
          await route.continue();
        }
      });
      await page.getByRole('button', { name: 'Envoyer la demande' }).click();
      await heading(page, 'Demande envoyée');
      assert.equal(lost, 1);
      const server = guichet.town('count', SLUG);
      assert.equal(server.sent, before + 1);
      assert.equal((await inside(page, '.code'))[0], server.references.at(-1));
    } finally {
      await lossy.close();
    }
  });
});
