/**
 * The back office's doors and its desk (1366×768): a citizen signed in is told the
 * back office is for agents; an agent enters a request for a citizen at the desk,
 * from the civil-status form shown whole (its conditions followed as they type, the
 * agent's own details never filled in), sees the server's refusal beside the answer
 * it concerns, corrects it and saves; the request is linked to the citizen's account
 * and appears in their list. Every screen passes axe; screenshots go to
 * tests/browser/artifacts/.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, headingProblems, headings, launch, screenshotPath } from './harness.mjs';

const AGENT = 'agnes.martin@mairie.example';
const CITIZEN = 'chloe.durand@example.org';
const PASSWORD = 'correct horse battery staple';

/** The texts of elements matched inside the desk's shadow root. */
/** Waits until the inbox lists this many rows (a new filter's page replaces the last one when it comes). */
const rowsListed = (page, count) => page.waitForFunction((n) => document.querySelector('guichet-backoffice')?.shadowRoot
  ?.querySelectorAll('tbody tr').length === n, count);
const inDesk = (page, selector) => page.evaluate((s) => [...document.querySelector('guichet-agent-desk').shadowRoot.querySelectorAll(s)]
  .map((e) => e.textContent.replace(/\s+/g, ' ').trim()), selector);

async function signIn(page, url, email) {
  await page.goto(url);
  await page.getByRole('link', { name: 'Se connecter' }).click();
  await page.getByLabel('Adresse électronique').fill(email);
  await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
  await page.getByRole('button', { name: 'Se connecter' }).click();
}

describe('entering a request at the desk', () => {
  let guichet;
  let context;
  let page;
  const refused = []; // what the page's security policy refused (nothing should be)
  let closed;

  before(async () => {
    guichet = await new Guichet().setUp();
    guichet.town('agent', AGENT, PASSWORD);
    guichet.town('citizen', CITIZEN, PASSWORD, '0');
    closed = guichet.town('send').id; // taken to its end, for the processing times
    guichet.town('act', closed, 'start');
    guichet.town('act', closed, 'accept');
    context = await launch({ viewport: { width: 1366, height: 768 } });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('tells a citizen that the back office and its desk are for agents', async () => {
    await signIn(page, `${guichet.url}/agents/`, CITIZEN);
    await page.getByText('Cet espace est réservé aux agents de la commune.').waitFor({ timeout: 15000 });
    await page.goto(`${guichet.url}/agents/saisie/?demarche=acte-etat-civil`);
    await page.getByRole('heading', { level: 1, name: 'Saisir une demande pour un usager' }).waitFor();
    await page.getByText('Cet espace est réservé aux agents de la commune.').waitFor();
    assert.equal(await page.getByLabel('Type d\'acte').count(), 0);
    assert.deepEqual(await axeViolations(page), []);
    await context.clearCookies(); // signed out
  });

  it('enters a request for a citizen, refused then corrected, linked to their account', async () => {
    await signIn(page, `${guichet.url}/agents/`, AGENT);
    await page.getByRole('heading', { level: 1, name: 'Demandes à traiter' }).waitFor({ timeout: 15000 });
    await page.getByRole('link', { name: 'Saisir une demande' }).click();
    await page.waitForURL(/\/agents\/saisie\/$/);
    await page.getByLabel('Démarche').selectOption('acte-etat-civil');
    await page.getByRole('button', { name: 'Ouvrir le formulaire' }).click();
    await page.waitForURL(/demarche=acte-etat-civil/);
    await page.getByRole('heading', { level: 2, name: 'Demande d\'acte d\'état civil' }).waitFor();

    // The whole form on one screen; the agent's own name (Martin) is not the citizen's.
    const sections = ['L\'acte demandé', 'La personne concernée', 'L\'événement', 'Vos coordonnées'];
    assert.deepEqual(await inDesk(page, 'section h3'), sections);
    assert.equal(await page.getByLabel('Nom', { exact: true }).inputValue(), '');
    assert.equal(await page.getByLabel('Nombre d\'exemplaires').inputValue(), '1'); // the form's default

    await page.getByLabel('Acte de naissance').check();
    await page.getByLabel('Format').selectOption('copie_integrale');
    // A page's condition is followed as the agent answers: gone, then back in place.
    await page.getByLabel('La personne concernée par l\'acte').check();
    assert.deepEqual(await inDesk(page, 'section h3'), sections.filter((title) => title !== 'La personne concernée'));
    await page.getByLabel('Une autre personne').check();
    assert.deepEqual(await inDesk(page, 'section h3'), sections);
    await page.getByLabel('Nom de la personne concernée').fill('Durand');
    await page.getByLabel('Prénoms').fill('Louis');
    await page.getByLabel('Date de l\'événement').fill('15/03/2020');
    await page.getByLabel('Noms des parents').fill('Durand et Petit');
    await page.getByLabel('Nom', { exact: true }).fill('Durand');
    await page.getByLabel('Prénom', { exact: true }).fill('Chloé');
    await page.getByLabel('Adresse électronique', { exact: true }).fill(CITIZEN);
    await page.getByLabel('Numéro et voie').fill('3 rue des Lilas');
    await page.getByLabel('Code postal').fill('91200');
    await page.getByLabel('Commune').fill('Bellerive-sur-Orge');
    await page.getByLabel('Adresse électronique de l’usager').fill(CITIZEN.toUpperCase());
    await page.getByLabel('Reçue').selectOption('phone');
    assert.deepEqual(headingProblems(await headings(page)), []);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-desk'), fullPage: true });

    // The server refuses "another person" with a full copy: said at the top, linked to the answers.
    await page.getByRole('button', { name: 'Enregistrer la demande' }).click();
    await page.getByRole('heading', { name: 'La demande n’est pas enregistrée : corrigez ces réponses' }).waitFor();
    assert.deepEqual(await inDesk(page, '.error-summary li'), ['Une autre personne ne peut demander qu\'un extrait sans filiation.']);
    assert.equal(await page.evaluate(() => document.querySelector('guichet-agent-desk').shadowRoot.activeElement?.className), 'error-summary');
    assert.equal(guichet.town('count', 'acte-etat-civil').sent, 0, 'nothing is kept from a refused entry');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByLabel('Format').selectOption('extrait_sans_filiation');
    assert.equal(await page.getByLabel('Noms des parents').count(), 0); // its condition no longer holds
    await page.getByRole('button', { name: 'Enregistrer la demande' }).click();
    const done = page.getByRole('heading', { level: 2, name: /^Demande .+ enregistrée$/ });
    await done.waitFor();
    const reference = (await done.textContent()).replace(/^Demande | enregistrée$/g, '').trim();
    assert.ok(reference.length > 3, reference);
    await page.getByText(/Rattachée au compte de/).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-desk-done') });

    const stored = guichet.town('count', 'acte-etat-civil');
    assert.equal(stored.sent, 1);
    assert.deepEqual(stored.references, [reference]);
    const answers = stored.answers[0];
    assert.equal(answers.format, 'extrait_sans_filiation');
    assert.equal(answers.qualite, 'autre');
    assert.equal(answers.titulaire_nom, 'Durand');
    assert.equal(answers.parents, undefined, 'a hidden answer is not kept');
    assert.equal(answers.nom, 'Durand');

    // Opened from there, the request says it was entered at the desk.
    await page.getByRole('link', { name: 'Ouvrir la demande' }).click();
    await page.waitForURL(/\/agents\/demandes\//);
    await page.getByText('Demande saisie au guichet').first().waitFor();

    // The citizen's view, for the next call: every request of their account, bounded by dates.
    await page.getByRole('link', { name: 'Toutes ses demandes' }).click();
    await page.waitForURL(/\/agents\/\?citizen=\d+$/);
    await page.getByText(/^Les demandes de chloe\.durand/).waitFor();
    await rowsListed(page, 1);
    await page.getByRole('row', { name: new RegExp(reference) }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-citizen-view') });
    const today = new Date();
    const iso = (d) => `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;
    await page.getByLabel('Envoyées du').fill(iso(today));
    await page.getByLabel('au', { exact: true }).fill(iso(today));
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(new RegExp(`from=${iso(today)}&to=${iso(today)}`));
    await page.getByRole('row', { name: new RegExp(reference) }).waitFor();
    await page.getByLabel('Envoyées du').fill(iso(new Date(today.getTime() + 86400000)));
    await page.getByLabel('au', { exact: true }).fill('');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/from=\d{4}-\d{2}-\d{2}$/);
    await rowsListed(page, 0);
    await page.getByLabel('Envoyées du').fill('');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await rowsListed(page, 1);
    await page.getByRole('link', { name: 'Voir les demandes de tous les usagers' }).click();
    await page.waitForURL((url) => !url.search.includes('citizen='));
    await rowsListed(page, 3); // the town's two other requests too

    // A filter on one answer, offered once a procedure is chosen.
    await page.locator('#procedure').selectOption('acte-etat-civil');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await rowsListed(page, 1);
    await page.getByLabel('Réponse à').selectOption({ label: 'Type d\'acte' });
    await page.getByLabel('Condition').selectOption('ne');
    await page.getByLabel('Valeur').fill('naissance');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForURL(/where=type_acte%3Ane%3Anaissance/);
    await rowsListed(page, 0);
    await page.getByLabel('Condition').selectOption('eq');
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await rowsListed(page, 1);
    assert.deepEqual(await axeViolations(page), []);

    // The statistics of the agent's roles: charts in the theme's colours, each with its table.
    await page.goto(`${guichet.url}/agents/`);
    await page.getByRole('link', { name: 'Statistiques' }).click();
    await page.getByRole('heading', { level: 1, name: 'Statistiques des demandes' }).waitFor();
    await page.getByRole('heading', { level: 2, name: 'Demandes envoyées et clôturées par semaine' }).waitFor();
    const column = async (section, index) => (await page.evaluate(([id, i]) => [...document.querySelector('guichet-agent-stats').shadowRoot
      .querySelectorAll(`section[aria-labelledby="${id}"] tbody tr`)].map((row) => row.children[i].textContent.trim()), [section, index]));
    const total = (cells) => cells.reduce((sum, cell) => sum + Number(cell.replace(/\s/g, '')), 0);
    assert.equal(total(await column('per-period-title', 1)), 3, 'sent');
    assert.equal(total(await column('per-period-title', 2)), 1, 'closed');
    assert.deepEqual(await column('processing-title', 0), ['Suivi']);
    assert.deepEqual(await column('processing-title', 1), ['1']);
    const perStatus = (await column('per-status-title', 0)).map((title, i, all) => [title, all, i]);
    const [statuses, numbers] = [await column('per-status-title', 1), await column('per-status-title', 2)];
    assert.ok(perStatus.some(([title, , i]) => title === 'Demande d\'acte d\'état civil' && statuses[i] === 'Reçue' && numbers[i] === '1'),
      JSON.stringify([perStatus.map(([t]) => t), statuses, numbers]));
    // Each chart draws what its table says, in the theme's primary colour.
    const charted = await page.evaluate(() => document.querySelector('guichet-agent-stats').charts
      .map((chart) => ({ colour: chart.data.datasets[0].backgroundColor, data: chart.data.datasets.map((d) => d.data.map(String)) })));
    assert.deepEqual(charted.map((c) => c.colour), ['#1d4e89', '#1d4e89', '#1d4e89']);
    assert.deepEqual(charted[0].data, [await column('per-period-title', 1), await column('per-period-title', 2)]);
    assert.deepEqual(charted[1].data, [await column('backlog-title', 1)]);
    assert.deepEqual(charted[2].data.map((d) => d.map((v) => Number(v).toLocaleString('fr-FR', { maximumFractionDigits: 1 }))),
      [await column('processing-title', 2), await column('processing-title', 3)]);
    const painted = await page.evaluate(() => [...document.querySelector('guichet-agent-stats').shadowRoot.querySelectorAll('canvas')]
      .map((canvas) => canvas.getContext('2d').getImageData(0, 0, canvas.width, canvas.height).data.some((v, i) => i % 4 === 3 && v > 0)));
    assert.deepEqual(painted, [true, true, true]);
    await page.getByText('Voir les données en tableau').first().click();
    assert.deepEqual(headingProblems(await headings(page)), []);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-statistics'), fullPage: true });
    // Another grouping, kept in the address; a period the API refuses is said, not a blank page.
    await page.getByLabel('Regrouper par').selectOption('month');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByRole('heading', { level: 2, name: 'Demandes envoyées et clôturées par mois' }).waitFor();
    assert.match(page.url(), /period=month/);
    await page.getByLabel('Du', { exact: true }).fill('2020-01-01');
    await page.getByRole('button', { name: 'Afficher' }).click();
    await page.getByRole('alert').filter({ hasText: /trois ans/ }).waitFor();
    assert.deepEqual(refused, []);
    await context.clearCookies();

    // The citizen finds it among their own requests.
    await signIn(page, `${guichet.url}/agents/`, CITIZEN);
    await page.getByText('Cet espace est réservé aux agents de la commune.').waitFor({ timeout: 15000 });
    await page.goto(`${guichet.url}/demandes/`);
    await page.getByText(reference).first().waitFor({ timeout: 15000 });
  });
});
