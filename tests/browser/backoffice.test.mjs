/**
 * The agents' back office in the app (desktop first, 1366×768): an agent signs in,
 * finds the inbox with its tabs and counts, moves through the list by keyboard,
 * opens a request and takes it through each transition of its workflow (a comment,
 * a message to the citizen, none), sees a conflict said plainly when another agent
 * moved it first, and sees a new request announced live while scrolled down the
 * list, its place and selection kept. Every screen passes axe; screenshots go to
 * tests/browser/artifacts/.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, headingProblems, headings, launch, screenshotPath } from './harness.mjs';

const EMAIL = 'agnes.martin@mairie.example';
const PASSWORD = 'correct horse battery staple';
const RECEIVED_COLOUR = 'rgb(31, 95, 191)'; // the default workflow's "received" (#1f5fbf)
const inShadow = (page, js, arg) => page.evaluate(js, arg);
/** The texts of elements matched inside the back office's shadow roots. */
const texts = (page, selector) => inShadow(page, (s) => {
  const root = document.querySelector('guichet-backoffice').shadowRoot;
  const detail = root.querySelector('guichet-agent-request')?.shadowRoot;
  return [...root.querySelectorAll(s), ...(detail ? detail.querySelectorAll(s) : [])].map((e) => e.textContent.replace(/\s+/g, ' ').trim());
}, selector);

describe('the agents’ back office', () => {
  let guichet;
  let context;
  let page;
  let first;
  const refused = []; // what the page's security policy refused (nothing should be)

  before(async () => {
    guichet = await new Guichet().setUp();
    first = guichet.town('send').id;
    guichet.town('agent', EMAIL, PASSWORD);
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

  it('asks for the sign-in, then shows the inbox with tabs and counts, accessibly', async () => {
    await page.goto(`${guichet.url}/agents/`);
    await page.getByText('Connectez-vous avec votre compte d’agent').waitFor();
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.getByLabel('Adresse électronique').fill(EMAIL);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Demandes à traiter' }).waitFor({ timeout: 15000 });
    await page.getByRole('row', { name: /Suivi/ }).first().waitFor();
    assert.deepEqual(await texts(page, '.tabs a'), ['Tous les statuts (1)', 'Reçue (1)']);
    // The status's own colour, set through the CSSOM (the policy refuses style attributes).
    const colour = await page.evaluate(() => getComputedStyle(document.querySelector('guichet-backoffice').shadowRoot
      .querySelector('tbody .badge')).borderLeftColor);
    assert.equal(colour, RECEIVED_COLOUR);
    assert.deepEqual(headingProblems(await headings(page)), []);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-inbox') });
  });

  it('opens a request from the keyboard and takes it through its workflow', async () => {
    await page.keyboard.press('j');
    await page.keyboard.press('Enter');
    await page.waitForURL(/\/agents\/demandes\//);
    await page.getByRole('heading', { level: 2, name: /Suivi/ }).waitFor();
    assert.match(page.url(), new RegExp(first));
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-request') });

    await page.getByRole('button', { name: 'Me l’attribuer' }).click();
    await page.getByText('La demande vous est attribuée.').waitFor();

    // start (an optional internal comment), ask_information (a required message), resume, accept.
    await page.getByRole('button', { name: 'Prendre en charge' }).click();
    await page.getByLabel('Commentaire interne').fill('Dossier complet à vérifier');
    await page.getByRole('button', { name: /^Confirmer/ }).click();
    await page.getByText('Fait : Prendre en charge.').waitFor();
    const history = await texts(page, '.history li');
    assert.ok(history.some((line) => line.startsWith('Interne') && line.includes('Dossier complet à vérifier')), history.join('\n'));

    await page.getByRole('button', { name: 'Demander un complément' }).click();
    await page.getByRole('button', { name: /^Confirmer/ }).click(); // the message is required: the browser says so
    assert.equal(await page.evaluate(() => document.querySelector('guichet-backoffice').shadowRoot
      .querySelector('guichet-agent-request').shadowRoot.querySelector('#move-message').validity.valueMissing), true);
    await page.getByLabel('Message à l’usager').fill('Merci de joindre un justificatif de domicile.');
    await page.getByRole('button', { name: /^Confirmer/ }).click();
    await page.getByText('Fait : Demander un complément.').waitFor();
    await page.getByRole('button', { name: 'Reprendre l’instruction' }).or(page.getByRole('button', { name: "Reprendre l'instruction" })).click();
    await page.getByRole('button', { name: /^Confirmer/ }).click();
    await page.getByText(/Fait : Reprendre/).waitFor();
    await page.getByRole('button', { name: /Accepter/ }).click();
    await page.getByRole('button', { name: /^Confirmer/ }).click();
    await page.getByText('Fait : Accepter.').waitFor();
    const after = await texts(page, '.history li');
    assert.ok(after.some((line) => line.startsWith('Visible par l’usager')), after.join('\n'));
    assert.deepEqual(await axeViolations(page), []);

    // Back to the list with Escape: the row shows the new status, and keeps the keyboard.
    await page.keyboard.press('Escape');
    await page.waitForURL(/\/agents\/$/);
    const focused = await page.evaluate(() => document.querySelector('guichet-backoffice').shadowRoot.activeElement?.dataset.id);
    assert.equal(focused, first);
  });

  it('says plainly when another agent moved the request first', async () => {
    const second = guichet.town('send').id;
    await page.goto(`${guichet.url}/agents/demandes/${second}/`);
    await page.getByRole('heading', { level: 2, name: /Suivi/ }).waitFor();
    await page.getByRole('button', { name: 'Prendre en charge' }).click(); // its form opens
    guichet.town('act', second, 'start'); // another agent, meanwhile
    await page.getByText('Cette demande vient d’être modifiée par ailleurs').waitFor(); // live
    await page.getByRole('button', { name: /^Confirmer/ }).click();
    await page.getByText('Un autre agent a modifié cette demande avant vous').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-conflict') });
  });

  it('writes to the citizen and asks them to correct an answer', async () => {
    const third = guichet.town('send').id;
    await page.goto(`${guichet.url}/agents/demandes/${third}/`);
    await page.getByRole('heading', { level: 2, name: /Suivi/ }).waitFor();
    await page.getByRole('button', { name: 'Envoyer le message' }).click(); // empty: the browser says so
    await page.getByLabel('Écrire à l’usager').fill('Votre nom semble incomplet : pouvez-vous le corriger ?');
    await page.getByRole('group', { name: 'Lui demander de corriger (facultatif)' }).getByLabel('Nom').check();
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByText('Message envoyé : l’usager est invité à corriger les réponses demandées.').waitFor();
    const thread = await texts(page, '.messages li');
    assert.equal(thread.length, 1, thread.join('\n'));
    assert.match(thread[0], /Agent : Agnès Martin .*Votre nom semble incomplet.*À corriger : Nom/);
    assert.deepEqual(await axeViolations(page), []);
  });

  it('announces a new request live while the agent is scrolled down, without moving the list', async () => {
    guichet.town('many', '60');
    await page.goto(`${guichet.url}/agents/`);
    await page.getByRole('row', { name: /Suivi/ }).first().waitFor();
    await page.getByRole('button', { name: 'Afficher plus de demandes' }).click();
    const rows = () => inShadow(page, () => document.querySelector('guichet-backoffice').shadowRoot.querySelectorAll('tbody tr').length);
    await page.waitForFunction(() => document.querySelector('guichet-backoffice').shadowRoot.querySelectorAll('tbody tr').length > 50);
    for (let i = 0; i < 45; i += 1) await page.keyboard.press('j');
    const selected = await page.evaluate(() => document.querySelector('guichet-backoffice').shadowRoot.activeElement?.dataset.id);
    const scrolled = await page.evaluate(() => window.scrollY);
    assert.ok(scrolled > 500, `scrolled ${scrolled}`);
    const before = await rows();
    guichet.town('send');
    await page.getByText('1 nouvelle demande').waitFor({ timeout: 15000 });
    assert.equal(await rows(), before);
    assert.equal(await page.evaluate(() => document.querySelector('guichet-backoffice').shadowRoot.activeElement?.dataset.id), selected);
    assert.ok(Math.abs((await page.evaluate(() => window.scrollY)) - scrolled) < 2);
    await page.screenshot({ path: screenshotPath('backoffice-live') });
    await page.getByRole('button', { name: 'Les afficher' }).click();
    await page.waitForFunction((n) => document.querySelector('guichet-backoffice').shadowRoot.querySelectorAll('tbody tr').length === Math.min(50, n), before + 1);
  });

  it('lists its shortcuts in a dialog', async () => {
    await page.keyboard.press('?');
    await page.getByRole('dialog', { name: 'Raccourcis clavier' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.keyboard.press('Escape');
    await page.getByRole('dialog').waitFor({ state: 'hidden' });
    assert.deepEqual(refused, []);
  });
});
