/** Following a request without an account: by its tracking code, live as an agent moves it. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, launch, phoneScreenshot } from './harness.mjs';

const inside = (page, selector) =>
  page.evaluate(
    (s) => [...document.querySelector('guichet-tracking').shadowRoot.querySelectorAll(s)].map((e) => e.textContent.replace(/\s+/g, ' ').trim()),
    selector,
  );

describe('following a request by its tracking code', () => {
  let guichet;
  let context;

  before(async () => {
    guichet = await new Guichet().setUp();
    context = await launch();
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('refuses an unknown code next to the field, in words', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/`);
    await page.getByRole('navigation', { name: 'Menu principal' }).getByRole('link', { name: 'Suivre une demande' }).click();
    await page.waitForURL(`${guichet.url}/suivi/`);
    await page.getByRole('button', { name: 'Suivre' }).click();
    const field = page.getByLabel('Code de suivi');
    assert.equal(await field.getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await inside(page, '.field-error'), ['Saisissez votre code de suivi.']);
    await field.fill('ZZZZZZZZ');
    await page.getByRole('button', { name: 'Suivre' }).click();
    await page.waitForFunction(() => /ZZZZZZZZ|code/i.test(document.querySelector('guichet-tracking').shadowRoot.querySelector('.field-error')?.textContent ?? '') && !document.querySelector('guichet-tracking').shadowRoot.querySelector('button').disabled);
    const [message] = await inside(page, '.field-error');
    assert.notEqual(message, 'Saisissez votre code de suivi.');
    assert.deepEqual(await axeViolations(page), []);
    assert.equal(new URL(page.url()).search, ''); // the code never goes into the address
    await page.close();
  });

  it('shows the status and history, then the agent’s change as it happens, without reloading', async () => {
    const sent = guichet.town('send');
    const page = await context.newPage();
    await page.goto(`${guichet.url}/suivi/`);
    await page.getByLabel('Code de suivi').fill(sent.tracking_code.toLowerCase());
    await page.getByRole('button', { name: 'Suivre' }).click();
    await page.getByRole('heading', { level: 2, name: 'Suivi' }).waitFor();
    const before = await inside(page, '.status');
    assert.equal(before.length, 1);
    const history = (await inside(page, '.history li')).map((line) => line.replace(/^.* \d\d:\d\d /, ''));
    assert.equal(history.at(-1), 'Demande envoyée'); // newest first
    assert.deepEqual(await axeViolations(page), []);
    await page.evaluate(() => { window.notReloaded = true; });

    const moved = guichet.town('act', sent.id, 'start');
    await page.waitForFunction(
      (was) => {
        const status = document.querySelector('guichet-tracking').shadowRoot.querySelector('.status')?.textContent.trim();
        return status && status !== was;
      },
      before[0],
      { timeout: 20000 },
    );
    const [announced] = await inside(page, '.announce');
    assert.match(announced, /^Nouveau statut : /);
    assert.ok((await inside(page, '.history li')).length > history.length);
    assert.equal(await page.evaluate(() => window.notReloaded), true);
    assert.ok(moved.status);
    await phoneScreenshot(page, 'tracking');
    await page.close();
  });
});
