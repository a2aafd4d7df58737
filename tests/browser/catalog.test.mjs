/** The catalog page in a real browser: it loads, searches, filters, is accessible, and works offline. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, launch, phoneScreenshot, waitForProcedures } from './harness.mjs';

function titles(page) {
  return page.evaluate(() =>
    [...(document.querySelector('guichet-catalog')?.shadowRoot?.querySelectorAll('li.procedure h3') ?? [])].map(
      (h) => h.textContent.trim(),
    ),
  );
}

/** Wait until the list shows exactly these titles (after the search settles). */
async function waitForTitles(page, expected) {
  const deadline = Date.now() + 10000;
  let last;
  while (Date.now() < deadline) {
    last = await titles(page);
    if (JSON.stringify(last) === JSON.stringify(expected)) return;
    await page.waitForTimeout(50);
  }
  assert.deepEqual(last, expected);
}

describe('catalog page', () => {
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

  it('lists the demo procedures, searches without accents and filters by category', async () => {
    const page = await context.newPage();
    const errors = [];
    page.on('pageerror', (error) => errors.push(error.message));
    // The app runs under its strict Content-Security-Policy without a single refusal.
    page.on('console', (message) => {
      if (message.type() === 'error' && /Content Security Policy/i.test(message.text())) errors.push(message.text());
    });
    const response = await page.goto(guichet.url);
    const policy = response.headers()['content-security-policy'];
    assert.match(policy, /script-src 'self'/);
    assert.doesNotMatch(policy, /unsafe-inline/);

    await page.getByRole('heading', { level: 1, name: 'Démarches en ligne' }).waitFor();
    await waitForProcedures(page, 7); // 8 demo procedures, one closed
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');

    await page.getByLabel('Rechercher une démarche').fill('etat civil');
    await waitForTitles(page, ["Demande d'acte d'état civil", 'Inscription sur les listes électorales']);
    await page.getByRole('status').filter({ hasText: '2 démarches' }).waitFor();

    await page.getByLabel('Rechercher une démarche').fill('');
    await page.getByLabel('Catégorie').selectOption('voirie-cadre-de-vie');
    await waitForTitles(page, ['Collecte des encombrants', 'Signaler un problème sur la voie publique']);

    await page.getByLabel('Rechercher une démarche').fill('zzzz introuvable');
    await waitForTitles(page, []);
    await page.getByRole('status').filter({ hasText: 'Aucune démarche trouvée' }).waitFor();
    assert.deepEqual(errors, []);
    await page.close();
  });

  it('has no WCAG 2.2 AA violation (axe-core), empty or filled', async () => {
    const page = await context.newPage();
    await page.goto(guichet.url);
    await waitForProcedures(page, 7);
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Rechercher une démarche').fill('cantine');
    await waitForProcedures(page, 1);
    assert.deepEqual(await axeViolations(page), []);
    await phoneScreenshot(page, 'catalog');
    await page.close();
  });

  it('speaks English to an English browser', async () => {
    const english = await launch({ locale: 'en-GB' });
    try {
      const page = await english.newPage();
      await page.goto(guichet.url);
      await page.getByRole('heading', { level: 1, name: 'Online procedures' }).waitFor();
      await page.getByLabel('Search for a procedure').fill('canteen');
      await page.getByRole('status').filter({ hasText: 'No procedure found' }).waitFor();
      assert.equal(await page.locator('html').getAttribute('lang'), 'en');
    } finally {
      await english.close();
    }
  });

  it('comes back from the service worker when the server is gone', async () => {
    const page = await context.newPage();
    await page.goto(guichet.url);
    // Wait (bounded) until the service worker controls the page.
    await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
    // Load once under the worker's control so that the shell and catalog are cached.
    await page.reload();
    await waitForProcedures(page, 7);

    await guichet.stop();
    try {
      const response = await page.reload();
      assert.ok(response?.fromServiceWorker(), 'the page should come from the service worker');
      await waitForProcedures(page, 7);
    } finally {
      await guichet.start();
    }
    await page.close();
  });
});
