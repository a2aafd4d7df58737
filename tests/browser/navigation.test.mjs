/** Every screen has its own address: followed without reloading, shared, reloaded, offline. */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, launch, phoneScreenshot, waitForProcedures } from './harness.mjs';

const TITLE = "Demande d'acte d'état civil";

/** The element that has the focus, looking inside shadow roots. */
const focused = (page) =>
  page.evaluate(() => {
    let element = document.activeElement;
    while (element?.shadowRoot?.activeElement) element = element.shadowRoot.activeElement;
    return element ? `${element.localName}:${element.textContent.trim()}` : '';
  });

describe('addresses and moving between screens', () => {
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

  it('follows a card to its procedure without reloading, names the page, moves the focus, comes back', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/`);
    await waitForProcedures(page, 7);
    await page.evaluate(() => { window.notReloaded = true; });
    await page.getByRole('link', { name: TITLE }).click();
    await page.waitForURL(`${guichet.url}/demarches/acte-etat-civil/`);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
    assert.equal(await page.evaluate(() => window.notReloaded), true);
    await page.waitForFunction((title) => document.title === `${title} – Guichet`, TITLE);
    assert.equal(await focused(page), `h1:${TITLE}`);
    assert.ok(await page.getByRole('link', { name: 'État civil' }).isVisible());
    // What to have at hand, how long the answer takes, which service handles it.
    await page.getByRole('heading', { level: 2, name: 'Ce qu’il vous faut' }).waitFor();
    assert.ok(await page.getByRole('listitem').filter({ hasText: "L'adresse où recevoir l'acte" }).isVisible());
    const facts = await page.evaluate(() =>
      [...document.querySelector('guichet-procedure').shadowRoot.querySelectorAll('dl div')].map((d) =>
        [...d.children].map((part) => part.textContent.replace(/\s+/g, ' ').trim()).join(' '),
      ),
    );
    assert.deepEqual(facts, [
      'Catégorie État civil et citoyenneté',
      'Temps pour la remplir Environ 5 min',
      'Délai de réponse habituel 10 jours',
      'Service État civil',
    ]);
    assert.deepEqual(await axeViolations(page), []);
    await phoneScreenshot(page, 'procedure');

    await page.goBack();
    await page.waitForURL(`${guichet.url}/demarches/`);
    await waitForProcedures(page, 7);
    assert.equal(await page.evaluate(() => window.notReloaded), true);
    await page.close();
  });

  it('opens a shared address: a procedure, a search, a category', async () => {
    const page = await context.newPage();
    const response = await page.goto(`${guichet.url}/demarches/acte-etat-civil/`);
    assert.equal(response.status(), 200);
    await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();

    await page.goto(`${guichet.url}/demarches/?q=cantine`);
    await waitForProcedures(page, 1);
    assert.equal(await page.getByLabel('Rechercher une démarche').inputValue(), 'cantine');
    await page.getByLabel('Rechercher une démarche').fill('encombrants');
    await page.waitForURL(`${guichet.url}/demarches/?q=encombrants`);

    await page.goto(`${guichet.url}/demarches/?categorie=voirie-cadre-de-vie`);
    await waitForProcedures(page, 2);
    assert.equal(await page.getByLabel('Catégorie').inputValue(), 'voirie-cadre-de-vie');
    await page.close();
  });

  it('says why a closed procedure cannot be used', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/centre-loisirs-ete-2026/`);
    await page.getByRole('heading', { level: 1, name: 'Cette démarche ne peut pas être affichée pour le moment.' }).waitFor();
    assert.ok(await page.getByText(/fermée|closed/).first().isVisible());
    await page.close();
  });

  it('says when there is nothing at an address', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/nexiste-pas/`);
    await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
    assert.ok(await page.getByText('Cette démarche n’existe pas ou n’est plus proposée.').isVisible());
    assert.deepEqual(await axeViolations(page), []);
    await page.goto(`${guichet.url}/demarches/a/b/`);
    await page.getByRole('heading', { level: 1, name: 'Page introuvable' }).waitFor();
    await page.getByRole('link', { name: 'Aller à l’accueil' }).click();
    await page.waitForURL(`${guichet.url}/`);
    await waitForProcedures(page, 7);
    await page.close();
  });

  it('shows a procedure seen before when the server is gone', async () => {
    const offline = await launch();
    try {
      const page = await offline.newPage();
      await page.goto(`${guichet.url}/demarches/`);
      await page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 20000 });
      await page.getByRole('link', { name: TITLE }).click();
      await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      await guichet.stop();
      try {
        const response = await page.reload();
        assert.ok(response?.fromServiceWorker());
        await page.getByRole('heading', { level: 1, name: TITLE }).waitFor();
      } finally {
        await guichet.start();
      }
    } finally {
      await offline.close();
    }
  });
});
