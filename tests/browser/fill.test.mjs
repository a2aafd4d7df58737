/**
 * Filling in and sending a procedure in the app: with the keyboard alone, page by
 * page with the error summary; the answers kept across a reload; sent while offline
 * and while the server is down, then arriving exactly once when it is back, even
 * when the tab was closed meanwhile or the answer to the sending was lost.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { SLUG, focused, forgetDevice, heading, inside, labelled, named, tabTo } from './filling.mjs';
import { Guichet, axeViolations, headingProblems, headings, launch, screenshotPath } from './harness.mjs';

describe('filling in and sending a procedure', () => {
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

  it('goes from the procedure page to "sent" with the keyboard alone, the error summary leading to each field', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/${SLUG}/`);
    await page.getByRole('heading', { level: 1, name: 'Demande d\'acte d\'état civil' }).waitFor();
    await tabTo(page, named('Commencer la démarche'), 'the start link');
    await page.keyboard.press('Enter');
    await heading(page, 'L\'acte demandé');
    assert.deepEqual(await inside(page, '.step'), ['Étape 1 sur 4']);
    await page.screenshot({ path: screenshotPath('fill-first-page') });

    // Continue with nothing answered: the summary takes the focus and lists each missing answer.
    await tabTo(page, named('Continuer'), 'Continue');
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.querySelector('guichet-fill').shadowRoot.activeElement?.classList.contains('error-summary'));
    assert.deepEqual(await inside(page, '.error-summary li'), [
      'Renseignez « Type d\'acte ».', 'Renseignez « Format ».', 'Renseignez « Vous êtes ».',
    ]);
    assert.deepEqual(await inside(page, '.field .error-message'), [
      'Erreur : Renseignez « Type d\'acte ».', 'Erreur : Renseignez « Format ».', 'Erreur : Renseignez « Vous êtes ».',
    ]);
    const format = page.getByLabel('Format');
    assert.equal(await format.getAttribute('aria-invalid'), 'true');
    assert.match(await format.getAttribute('aria-describedby'), /f-format-error/);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('fill-error-summary') });
    assert.deepEqual(headingProblems(await headings(page)), []);

    // The summary's first link puts the focus on the field.
    await page.keyboard.press('Tab');
    assert.equal((await focused(page)).text, 'Renseignez « Type d\'acte ».');
    await page.keyboard.press('Enter');
    assert.deepEqual(await focused(page), { tag: 'input', text: '', label: 'Acte de naissance', className: '', type: 'radio' });
    await page.keyboard.press('Space');
    await tabTo(page, labelled('Format'), 'Format');
    await page.keyboard.press('ArrowDown'); // "Copie intégrale"
    await tabTo(page, labelled('La personne concernée'), 'the first answer to "Vous êtes"');
    await page.keyboard.press('Space');
    await tabTo(page, named('Continuer'), 'Continue');
    await page.keyboard.press('Enter');

    // "La personne concernée" is skipped: the person asks for their own certificate.
    await heading(page, 'L\'événement');
    assert.deepEqual(await inside(page, '.step'), ['Étape 2 sur 3']);
    assert.equal((await focused(page)).tag, 'h1');
    await tabTo(page, labelled('Date de l\'événement'), 'the date');
    await page.keyboard.type('15/03/2020');
    await tabTo(page, labelled('Noms des parents'), 'the parents');
    await page.keyboard.type('Dupont et Martin');
    await page.keyboard.press('Enter'); // submits the page's form

    await heading(page, 'Vos coordonnées');
    for (const [label, text] of [
      ['Nom', 'Durand'], ['Prénom', 'Anne'], ['Adresse électronique', 'anne@example.org'],
      ['Numéro et voie', '1 rue de la Paix'], ['Code postal', '91200'], ['Commune', 'Bellerive-sur-Orge'],
    ]) {
      await tabTo(page, (f) => f.label === label || f.label.startsWith(`${label} `), label);
      await page.keyboard.type(text);
    }
    await page.keyboard.press('Enter');

    await heading(page, /Vérifiez vos réponses/);
    assert.deepEqual(await inside(page, '.answers dd'), [
      'Acte de naissance', 'Copie intégrale', 'La personne concernée par l\'acte', '1',
      '15 mars 2020', 'Dupont et Martin',
      'Durand', 'Anne', 'anne@example.org', 'Non renseigné', '1 rue de la Paix, 91200 Bellerive-sur-Orge',
    ]);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('fill-check-answers'), fullPage: true });
    assert.deepEqual(headingProblems(await headings(page)), []);
    await tabTo(page, named('Envoyer la demande'), 'Send');
    await page.keyboard.press('Enter');

    await heading(page, 'Demande envoyée');
    const [reference, trackingCode] = await inside(page, '.code');
    assert.match(reference, /^\d{4}-\d{6}$/);
    assert.match(trackingCode, /^[A-Z0-9]{8}$/);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('fill-sent') });
    assert.deepEqual(headingProblems(await headings(page)), []);
    const server = guichet.town('count', SLUG);
    assert.equal(server.sent, 1);
    assert.deepEqual(server.references, [reference]);
    assert.equal(server.answers[0].nom, 'Durand');
    assert.equal(server.answers[0].date_evenement, '2020-03-15');
    await page.close();
  });

  it('keeps the answers and the page across a reload', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/${SLUG}/remplir/`);
    await heading(page, 'L\'acte demandé');
    await page.getByLabel('Acte de mariage').check();
    await page.getByLabel('Format').selectOption('extrait_filiation');
    await page.getByLabel('Son conjoint, ascendant ou descendant').check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, 'La personne concernée');
    await page.getByLabel('Nom de la personne concernée').fill('Lefèvre');
    await page.waitForTimeout(500); // kept as it is typed (saved 300 ms after the last keystroke)
    await page.reload();
    await heading(page, 'La personne concernée');
    assert.equal(await page.getByLabel('Nom de la personne concernée').inputValue(), 'Lefèvre');
    await page.getByRole('button', { name: 'Retour' }).click();
    await heading(page, 'L\'acte demandé');
    assert.equal(await page.getByLabel('Acte de mariage').isChecked(), true);
    assert.equal(await page.getByLabel('Format').inputValue(), 'extrait_filiation');
    await page.close();
  });

  it('reopens an anonymous draft on another device from its resume link, and not without its secret', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/${SLUG}/remplir/`);
    await heading(page, /./);
    await forgetDevice(page);
    await page.reload();
    await heading(page, 'L\'acte demandé');
    await page.getByLabel('Acte de décès').check();
    await page.getByLabel('Format').selectOption('extrait_sans_filiation');
    await page.getByLabel('Une autre personne').check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, 'La personne concernée');
    await page.getByText('Reprendre plus tard, sur un autre appareil').click();
    const link = await page.getByLabel('Lien de reprise').inputValue();
    assert.match(link, new RegExp(`^${guichet.url}/demarches/${SLUG}/brouillon/[0-9a-f-]{36}#[A-Za-z0-9_-]{32,}$`));
    assert.deepEqual(await axeViolations(page), []);
    await page.close();

    const other = await launch();
    try {
      const elsewhere = await other.newPage();
      await elsewhere.goto(link);
      await heading(elsewhere, 'L\'acte demandé');
      assert.equal(await elsewhere.getByLabel('Acte de décès').isChecked(), true);
      assert.equal(await elsewhere.getByLabel('Format').inputValue(), 'extrait_sans_filiation');
      assert.equal(new URL(elsewhere.url()).hash, ''); // the secret leaves the address bar
    } finally {
      await other.close();
    }
    const third = await launch(); // a device that never saw the draft, with a wrong secret
    try {
      const stranger = await third.newPage();
      await stranger.goto(link.replace(/#.*/, '#' + 'x'.repeat(43)));
      await heading(stranger, 'Le formulaire ne peut pas être affiché pour le moment.');
      assert.match((await inside(stranger, 'p')).join(' '), /introuvable/);
    } finally {
      await third.close();
    }
  });
  it('starts again after asking: the answers leave the device and the draft leaves the server', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/${SLUG}/remplir/`);
    await heading(page, /./);
    await forgetDevice(page);
    await page.reload();
    await heading(page, 'L\'acte demandé');
    const before = guichet.town('count', SLUG).drafts;
    await page.getByLabel('Acte de naissance').check();
    await page.getByLabel('Format').selectOption('extrait_sans_filiation');
    await page.getByLabel('La personne concernée par l\'acte').check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, 'L\'événement');
    // The step is saved to the server's draft too (in the background).
    for (let tries = 0; guichet.town('count', SLUG).drafts !== before + 1; tries += 1) {
      assert.ok(tries < 20, 'the draft reaches the server');
      await page.waitForTimeout(250);
    }

    await page.getByRole('button', { name: 'Recommencer' }).click();
    assert.equal(await page.evaluate(() => document.querySelector('guichet-fill').shadowRoot.activeElement?.id), 'restart-confirm');
    await page.getByRole('button', { name: 'Non, garder mes réponses' }).click();
    await heading(page, 'L\'événement'); // nothing lost
    await page.getByRole('button', { name: 'Recommencer' }).click();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('button', { name: 'Oui, tout effacer' }).click();
    await heading(page, 'L\'acte demandé');
    assert.equal(await page.getByLabel('Acte de naissance').isChecked(), false);
    assert.equal(guichet.town('count', SLUG).drafts, before);
    await page.reload();
    await heading(page, 'L\'acte demandé');
    assert.equal(await page.getByLabel('Acte de naissance').isChecked(), false);
    await page.close();
  });
});
