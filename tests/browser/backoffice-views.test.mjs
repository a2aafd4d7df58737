/**
 * The inbox as an agent arranges it (1366×768): an agent who holds two roles works
 * as one of them (the list and its procedures keep to that role's), chooses the
 * list's columns, saves the view shared with the role, opens it again from the list
 * of views and deletes it. axe passes with the save form open.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, launch, signIn } from './harness.mjs';

const EMAIL = 'agnes.martin@mairie.example';
const PASSWORD = 'correct horse battery staple';

describe('the inbox as an agent arranges it', () => {
  let guichet;
  let context;
  let page;
  const refused = [];

  before(async () => {
    guichet = await new Guichet().setUp();
    guichet.town('agent', EMAIL, PASSWORD);
    context = await launch({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await signIn(page, guichet.url, EMAIL, PASSWORD);
    await page.waitForURL(/\/demandes\//);
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('lets an agent with two roles work as one of them', async () => {
    const civil = guichet.town('send').id;
    await page.goto(`${guichet.url}/agents/`);
    await page.getByRole('row', { name: /Suivi/ }).first().waitFor();
    assert.equal(await page.getByLabel('Rôle').count(), 0, 'no choice with one role');
    assert.ok(guichet.town('grant', 'voirie').roles.includes('voirie'));
    await page.reload();
    await page.getByRole('row', { name: /Suivi/ }).first().waitFor();
    const roles = await page.getByLabel('Rôle').locator('option').allTextContents();
    assert.deepEqual(roles.map((r) => r.trim()), ['Tous mes rôles', 'État civil', 'Voirie et propreté']);
    await page.getByLabel('Rôle').selectOption('voirie');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/role=voirie/);
    await page.waitForFunction(() => document.querySelector('guichet-backoffice').shadowRoot.querySelectorAll('tbody tr').length === 0);
    const procedures = await page.getByLabel('Démarche').locator('option').allTextContents();
    assert.ok(!procedures.includes('Suivi') && procedures.includes('Signaler un problème sur la voie publique'), procedures.join(', '));
    await page.getByLabel('Rôle').selectOption('etat-civil');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.getByRole('row', { name: new RegExp(guichet.town('count', 'suivi-navigateur').references.at(-1)) }).waitFor();
    assert.ok(civil);
    assert.deepEqual(await axeViolations(page), []);
  });

  it('chooses the list’s columns, saves the view shared with a role, opens and deletes it', async () => {
    const headers = () => page.evaluate(() => [...document.querySelector('guichet-backoffice').shadowRoot.querySelectorAll('thead th')]
      .map((th) => th.textContent.trim()).slice(1));
    await page.goto(`${guichet.url}/agents/?role=etat-civil`);
    await page.getByRole('row', { name: /Suivi/ }).first().waitFor();
    assert.deepEqual(await headers(), ['Référence', 'Démarche', 'Usager', 'Statut', 'Attribuée à', 'Envoyée le', 'Échéance']);
    await page.locator('summary', { hasText: 'Colonnes' }).click();
    await page.locator('#col-citizen').uncheck();
    await page.waitForURL(/cols=procedure%2Cstatus%2Cassignee%2Csubmitted%2Cdeadline|cols=procedure,status,assignee,submitted,deadline/);
    await page.locator('#col-procedure').uncheck();
    await page.waitForURL(/cols=status/);
    assert.deepEqual(await headers(), ['Référence', 'Statut', 'Attribuée à', 'Envoyée le', 'Échéance']);

    await page.getByRole('button', { name: 'Enregistrer cette vue' }).click();
    await page.getByLabel('Nom de la vue').fill('État civil, sans usager');
    await page.getByLabel('Partager').selectOption({ label: 'Avec les agents du rôle État civil' });
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Vue « État civil, sans usager » enregistrée.').waitFor();
    const saved = page.url().split('?')[1];

    await page.goto(`${guichet.url}/agents/`);
    await page.getByRole('row', { name: /Suivi/ }).first().waitFor();
    assert.equal((await headers()).length, 7);
    await page.getByLabel('Vues enregistrées').selectOption({ label: 'État civil, sans usager' });
    await page.waitForURL((url) => url.search === `?${saved}`);
    await page.waitForFunction(() => document.querySelector('guichet-backoffice').shadowRoot.querySelectorAll('thead th').length === 6);
    assert.deepEqual(await headers(), ['Référence', 'Statut', 'Attribuée à', 'Envoyée le', 'Échéance']);

    await page.getByRole('button', { name: 'Supprimer la vue « État civil, sans usager »' }).click();
    await page.getByText('Vue « État civil, sans usager » supprimée.').waitFor();
    assert.deepEqual(await page.getByLabel('Vues enregistrées').locator('option').allTextContents(), ['Aucune vue enregistrée']);
    assert.deepEqual(refused, []);
  });

  it('sorts the list by a column’s header, one way then the other', async () => {
    guichet.town('citizen', 'zoe@example.org', PASSWORD, '1');
    guichet.town('citizen', 'bruno@example.org', PASSWORD, '1');
    const column = (name) => page.evaluate((header) => {
      const root = document.querySelector('guichet-backoffice').shadowRoot;
      const index = [...root.querySelectorAll('thead th')].findIndex((th) => th.textContent.trim() === header);
      return [...root.querySelectorAll('tbody tr')].map((tr) => tr.children[index].textContent.trim());
    }, name);
    // Sorted so, and the rows loaded for that order (the list is not busy).
    const sortedAs = (name, how) => page.waitForFunction(([header, sort]) => {
      const root = document.querySelector('guichet-backoffice').shadowRoot;
      return !root.querySelector('table[aria-busy]')
        && [...root.querySelectorAll('thead th')].some((th) => th.textContent.trim() === header && th.getAttribute('aria-sort') === sort);
    }, [name, how]);
    await page.goto(`${guichet.url}/agents/?role=etat-civil`);
    await page.getByRole('row', { name: /Suivi/ }).first().waitFor();
    await sortedAs('Envoyée le', 'descending');

    await page.getByRole('button', { name: 'Usager', exact: true }).click();
    await page.waitForURL(/ordering=citizen(&|$)/);
    await sortedAs('Usager', 'ascending');
    const upwards = await column('Usager');
    const named = upwards.filter((name) => name !== 'Sans compte');
    assert.deepEqual(named, ['bruno@example.org', 'zoe@example.org']);
    assert.ok(upwards.indexOf('Sans compte') < upwards.indexOf('bruno@example.org'), upwards.join(', ')); // no name sorts first
    assert.equal(await page.getByLabel('Ordre').inputValue(), 'citizen');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByRole('button', { name: 'Usager', exact: true }).click();
    await page.waitForURL(/ordering=-citizen/);
    await sortedAs('Usager', 'descending');
    assert.deepEqual(await column('Usager'), [...upwards].reverse());
    assert.equal((await page.getByLabel('Ordre').locator('option:checked').textContent()).trim(), 'Usager, ordre décroissant');

    await page.getByRole('button', { name: 'Référence', exact: true }).click();
    await page.waitForURL(/ordering=reference/);
    await sortedAs('Référence', 'ascending');
    const references = await column('Référence');
    assert.ok(references.length >= 3);
    assert.deepEqual(references, [...references].sort());
    await page.getByLabel('Ordre').selectOption('-submitted_at');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await sortedAs('Envoyée le', 'descending');
    assert.deepEqual(await column('Référence'), [...references].sort().reverse());
    assert.deepEqual(refused, []);
  });

  it('keeps the statistics to one role and groups the desk’s procedures by role', async () => {
    await page.goto(`${guichet.url}/agents/statistiques/`);
    const perStatus = () => page.evaluate(() => [...document.querySelector('guichet-agent-stats').shadowRoot
      .querySelectorAll('#per-status-title ~ table tbody tr')].map((tr) => tr.firstElementChild.textContent.trim()));
    await page.getByRole('heading', { name: /^Demandes par démarche et par statut/ }).waitFor();
    assert.ok((await perStatus()).includes('Suivi'));
    const roles = await page.getByLabel('Rôle').locator('option').allTextContents();
    assert.deepEqual(roles.map((r) => r.trim()), ['Tous mes rôles', 'État civil', 'Voirie et propreté']);
    await page.getByLabel('Rôle').selectOption('voirie');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.waitForURL(/statistiques\/\?role=voirie/);
    await page.waitForFunction(() => !document.querySelector('guichet-agent-stats').shadowRoot.querySelector('#per-status-title ~ table tbody tr'));
    const procedures = await page.getByLabel('Démarche').locator('option').allTextContents();
    assert.ok(!procedures.includes('Suivi') && procedures.includes('Signaler un problème sur la voie publique'), procedures.join(', '));
    assert.deepEqual(await axeViolations(page), []);

    await page.goto(`${guichet.url}/agents/saisie/`);
    const groups = page.getByLabel('Démarche').locator('optgroup');
    await groups.first().waitFor({ state: 'attached' });
    assert.deepEqual(await groups.evaluateAll((all) => all.map((g) => g.label)), ['État civil', 'Voirie et propreté']);
    assert.ok((await groups.nth(0).locator('option').allTextContents()).includes('Suivi'));
    assert.ok(!(await groups.nth(1).locator('option').allTextContents()).includes('Suivi'));
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(refused, []);
  });
});
