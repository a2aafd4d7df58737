/**
 * A citizen's account in the app: signing up with the emailed code, their requests
 * listed and one followed live as an agent moves it, a message sent to the service,
 * their details changed, signing out (the device forgets them), the language switch.
 */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { SLUG, fillActe, heading } from './filling.mjs';
import { Guichet, axeViolations, headingProblems, headings, launch, screenshotPath } from './harness.mjs';

const within = (page, tag, selector) =>
  page.evaluate(([t, s]) => [...document.querySelector(t).shadowRoot.querySelectorAll(s)].map((e) => e.textContent.replace(/\s+/g, ' ').trim()), [tag, selector]);

const NEW_PASSWORD = 'a new horse on the battery staple';

describe('a citizen’s account', () => {
  let guichet;
  let context;
  let mails;
  let requestId; // the request sent in the first test

  /** The code in the last email sent (Django's file backend writes each one to a file). */
  const lastCode = () => {
    const files = fs.readdirSync(mails).sort();
    const body = fs.readFileSync(path.join(mails, files.at(-1)), 'utf8');
    const found = /^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\s*$/m.exec(body);
    assert.ok(found, body);
    return found[1];
  };
  /** What the mail folder holds now: each file's size (Django's file backend may append to a file). */
  const mailCount = () => new Map((fs.existsSync(mails) ? fs.readdirSync(mails) : [])
    .map((name) => [name, fs.statSync(path.join(mails, name)).size]));
  /**
   * The code in an email to ``to`` written since ``since`` (a mailCount()): new files and
   * what was appended to old ones, whatever their names' order (waits up to 10 s).
   */
  const codeSentTo = async (to, since) => {
    const address = new RegExp(`^To: .*${to.replace(/[.]/g, '\\.')}`, 'm');
    for (const deadline = Date.now() + 10000; ;) {
      for (const name of fs.readdirSync(mails)) {
        const text = fs.readFileSync(path.join(mails, name)).subarray(since.get(name) ?? 0).toString('utf8');
        for (const message of text.split(/^-{70,}$/m)) {
          const found = /^\s*([A-Z0-9]{4}-[A-Z0-9]{4}|[A-Z0-9]{6,8})\s*$/m.exec(message);
          if (address.test(message) && found) return found[1];
        }
      }
      assert.ok(Date.now() < deadline, `no code sent to ${to}`);
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
  };

  before(async () => {
    guichet = new Guichet();
    mails = path.join(guichet.dir, 'mails');
    guichet.env.EMAIL_URL = `filemail:///${mails}`;
    await guichet.setUp();
    context = await launch({ viewport: { width: 360, height: 800 } });
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('signs up with the emailed code, sends a request, follows it live and writes to the service', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/`);
    await page.getByRole('navigation').getByRole('link', { name: 'Mes demandes' }).click();
    await heading(page, 'Se connecter'); // not signed in: asked to, then brought back
    assert.equal(new URL(page.url()).searchParams.get('suite'), '/demandes/');
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('sign-in') });
    await page.getByRole('link', { name: 'Créer un compte' }).click();
    await heading(page, 'Créer un compte');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await page.waitForFunction(() => document.querySelector('guichet-sign-in').shadowRoot.activeElement?.classList.contains('error-summary'));
    await page.getByLabel('Adresse électronique').fill('anne@example.org');
    await page.getByLabel('Mot de passe').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Créer mon compte' }).click();
    await heading(page, 'Saisissez le code reçu');
    await page.getByLabel('Code').fill('ZZZZZZ');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForFunction(() => document.querySelector('guichet-sign-in').shadowRoot.querySelector('.error-summary'));
    await page.getByLabel('Code').fill(lastCode());
    await page.getByRole('button', { name: 'Valider' }).click();
    await heading(page, 'Mes demandes');
    assert.deepEqual(await within(page, 'guichet-requests', 'article > p:not(.visually-hidden)'), ['Vous n’avez pas encore fait de demande.']);
    assert.deepEqual(await axeViolations(page), []);

    await fillActe(page, guichet, 'Compte');
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    // The first file of a clean run meets a cold server: a first try that fails is
    // retried by the outbox after 2, 4, 8 s, so more than the usual 15 s may pass.
    await page.getByRole('heading', { level: 1, name: 'Demande envoyée' }).waitFor({ timeout: 45000 });
    await page.getByRole('navigation').getByRole('link', { name: 'Mes demandes' }).click();
    await heading(page, 'Mes demandes');
    await page.getByRole('link', { name: 'Demande d\'acte d\'état civil' }).click();
    await heading(page, 'Demande d\'acte d\'état civil');
    const id = new URL(page.url()).pathname.split('/')[2];
    requestId = id;
    const before = (await within(page, 'guichet-requests', '.current'))[0];
    assert.deepEqual(await axeViolations(page), []);
    await page.evaluate(() => { window.notReloaded = true; });
    guichet.town('act', id, 'start');
    await page.waitForFunction((old) => document.querySelector('guichet-requests').shadowRoot.querySelector('.current')?.textContent.trim() !== old, before, { timeout: 15000 });
    assert.equal(await page.evaluate(() => window.notReloaded), true);
    assert.match((await within(page, 'guichet-requests', '[role=status]')).join(' '), /Nouveau statut/);

    await page.getByLabel('Votre message').fill('Merci ! Faut-il une pièce d’identité ?');
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.waitForFunction(() => document.querySelector('guichet-requests').shadowRoot.querySelectorAll('.messages li').length === 1);
    assert.match((await within(page, 'guichet-requests', '.messages .body'))[0], /pièce d’identité/);
    await page.screenshot({ path: screenshotPath('my-request'), fullPage: true });
    await page.close();
  });

  it('answers a request for more information, reads the service’s document and replies with a file', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demandes/${requestId}/`);
    await heading(page, 'Demande d\'acte d\'état civil');
    await page.evaluate(() => { window.notReloaded = true; });
    guichet.town('ask', requestId, 'date_evenement', 'parents'); // arrives live
    await page.getByRole('heading', { name: 'Le service vous demande de compléter votre demande' }).waitFor({ timeout: 15000 });
    assert.equal(await page.evaluate(() => window.notReloaded), true);
    assert.equal(await page.getByLabel('Date de l\'événement').inputValue(), '15/03/2020'); // what was answered
    assert.equal(await page.getByLabel('Noms des parents').inputValue(), 'Dupont et Martin');

    // The document the agent sent: listed, and downloadable with the person's session.
    const documents = page.getByRole('link', { name: /^pieces-a-fournir\.pdf/ });
    await documents.first().waitFor();
    const response = await page.request.get(new URL(await documents.first().getAttribute('href'), guichet.url).href);
    assert.equal(response.status(), 200);
    assert.match((await response.body()).subarray(0, 5).toString(), /^%PDF-/);

    // A date in the future: the server refuses it, in the summary, tied to the field.
    await page.getByLabel('Date de l\'événement').fill('15/03/2999');
    await page.getByRole('button', { name: 'Envoyer mes corrections' }).click();
    await page.waitForFunction(() => document.querySelector('guichet-requests').shadowRoot.querySelector('guichet-correction')
      ?.shadowRoot.activeElement?.classList.contains('error-summary'));
    assert.equal(await page.getByLabel('Date de l\'événement').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('my-request-correction'), fullPage: true });
    assert.deepEqual(headingProblems(await headings(page)), []);
    await page.getByLabel('Date de l\'événement').fill('16/03/2020');
    await page.getByRole('button', { name: 'Envoyer mes corrections' }).click();
    await page.getByRole('heading', { name: 'Le service vous demande de compléter votre demande' }).waitFor({ state: 'detached' });
    await page.getByText('Demande complétée').first().waitFor({ timeout: 15000 });
    const stored = guichet.town('count', 'acte-etat-civil');
    assert.equal(stored.answers.at(-1).date_evenement, '2020-03-16');

    // A reply: a message is needed; then one with a file, its progress shown, listed once sent.
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByRole('alert').filter({ hasText: 'Écrivez votre message.' }).waitFor();
    await page.getByLabel('Votre message').fill('Voici l’acte de mariage de mes parents.');
    await page.getByLabel('Joindre des fichiers (facultatif)').setInputFiles({
      name: 'acte-mariage.pdf', mimeType: 'application/pdf', buffer: Buffer.from('%PDF-1.4\n%%EOF\n'),
    });
    await page.getByRole('button', { name: 'Envoyer le message' }).click();
    await page.getByRole('link', { name: /^acte-mariage\.pdf/ }).waitFor();
    assert.deepEqual((await within(page, 'guichet-requests', '.messages .who')).map((w) => w.split(' · ')[0]), ['Vous', 'Le service', 'Vous']);
    assert.equal(await page.getByLabel('Votre message').inputValue(), '');
    await page.close();
  });

  it('shows my requests offline as last seen, and keeps an unsent reply', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demandes/`);
    await heading(page, 'Mes demandes');
    await page.getByRole('link', { name: 'Demande d\'acte d\'état civil' }).click();
    await page.getByRole('link', { name: /^acte-mariage\.pdf/ }).waitFor();
    await context.setOffline(true);
    try {
      await page.reload();
      await heading(page, 'Demande d\'acte d\'état civil');
      await page.getByText('Hors ligne : vos demandes telles que vues lors de votre dernière connexion.').waitFor();
      assert.equal((await within(page, 'guichet-requests', '.messages > li')).length, 3);
      await page.getByLabel('Votre message').fill('Envoyé sans réseau ?');
      await page.getByRole('button', { name: 'Envoyer le message' }).click();
      await page.getByRole('alert').filter({ hasText: 'Vous êtes hors ligne' }).waitFor();
      assert.equal(await page.getByLabel('Votre message').inputValue(), 'Envoyé sans réseau ?');
      await page.getByRole('link', { name: 'Toutes mes demandes' }).click();
      await heading(page, 'Mes demandes');
      await page.getByRole('link', { name: 'Demande d\'acte d\'état civil' }).waitFor();
      assert.deepEqual(await axeViolations(page), []);
    } finally {
      await context.setOffline(false);
    }
    await page.close();
  });

  it('resumes on another device a draft started while signed in', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/${SLUG}/remplir/`);
    await heading(page, 'L\'acte demandé');
    const before = guichet.town('count', SLUG).drafts;
    await page.getByLabel('Acte de mariage').check();
    await page.getByLabel('Format').selectOption('extrait_filiation');
    await page.getByLabel('Son conjoint, ascendant ou descendant').check();
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, 'La personne concernée');
    for (let tries = 0; guichet.town('count', SLUG).drafts !== before + 1; tries += 1) {
      assert.ok(tries < 20, 'the draft reaches the server');
      await page.waitForTimeout(250);
    }
    await page.close();

    const phone = await launch({ viewport: { width: 360, height: 800 } });
    try {
      const other = await phone.newPage();
      await other.goto(`${guichet.url}/compte/connexion?suite=${encodeURIComponent('/demandes/')}`);
      await other.getByLabel('Adresse électronique').fill('anne@example.org');
      await other.getByLabel('Mot de passe').fill('correct horse battery staple');
      await other.getByRole('button', { name: 'Se connecter' }).click();
      await heading(other, 'Mes demandes');
      await other.getByRole('listitem').filter({ hasText: 'Brouillon' }).getByRole('link').click();
      await heading(other, 'L\'acte demandé');
      assert.equal(await other.getByLabel('Acte de mariage').isChecked(), true);
      assert.equal(await other.getByLabel('Format').inputValue(), 'extrait_filiation');
    } finally {
      await phone.close();
    }
  });

  it('changes the person’s details, signs out and forgets them on the device', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/compte/`);
    await heading(page, 'Mon compte');
    await page.getByLabel('Prénom').fill('Anne');
    await page.getByRole('button', { name: 'Enregistrer', exact: true }).click();
    await page.getByText('Vos informations sont enregistrées.').waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(`${guichet.url}/`);
    const kept = await page.evaluate(() => new Promise((resolve) => {
      const open = indexedDB.open('guichet');
      open.onsuccess = () => {
        const all = open.result.transaction('drafts').objectStore('drafts').count();
        all.onsuccess = async () => resolve({
          drafts: all.result, note: localStorage.getItem('guichet-signed-in'), pages: await caches.has('guichet-personal'),
        });
      };
    }));
    assert.deepEqual(kept, { drafts: 0, note: null, pages: false });
    await page.goto(`${guichet.url}/demandes/`);
    await heading(page, 'Se connecter');
    // Signing in again with the password; where it goes next is one of the app's pages only.
    await page.goto(`${guichet.url}/compte/connexion?suite=${encodeURIComponent('/\\evil.example/demarches/')}`);
    await heading(page, 'Se connecter');
    await page.getByLabel('Adresse électronique').fill('anne@example.org');
    await page.getByLabel('Mot de passe').fill('correct horse battery staple');
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await heading(page, 'Mes demandes');
    assert.equal(page.url(), `${guichet.url}/demandes/`);
    await page.close();
  });

  it('replaces a forgotten password with a code sent by email', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/compte/`);
    await page.getByRole('button', { name: 'Se déconnecter' }).click();
    await page.waitForURL(`${guichet.url}/`);
    await page.goto(`${guichet.url}/compte/connexion`);
    await heading(page, 'Se connecter');
    await page.getByRole('button', { name: 'Mot de passe oublié ?' }).click();
    await heading(page, 'Mot de passe oublié');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Adresse électronique').fill('anne@example.org');
    const since = mailCount();
    await page.getByRole('button', { name: 'Recevoir un code' }).click();
    await heading(page, 'Choisir un nouveau mot de passe');
    await page.getByLabel('Code').fill('ZZZZZZZZ');
    await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await page.waitForFunction(() => document.querySelector('guichet-sign-in').shadowRoot.activeElement?.classList.contains('error-summary'));
    assert.equal(await page.getByLabel('Code').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Code').fill(await codeSentTo('anne@example.org', since));
    await page.getByLabel('Nouveau mot de passe').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Changer mon mot de passe' }).click();
    await heading(page, 'Mes demandes'); // signed in with the new password
    await page.close();
  });

  it('changes the email address once the code sent to the new one is entered', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/compte/`);
    await heading(page, 'Mon compte');
    await page.getByText('Adresse actuelle : anne@example.org').waitFor();
    await page.getByLabel('Nouvelle adresse électronique').fill('anne.dupont@example.org');
    const since = mailCount();
    await page.getByRole('button', { name: 'Changer d’adresse' }).click();
    await page.getByLabel('Code').fill('ZZZZZZ');
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.waitForFunction(() => document.querySelector('guichet-account').shadowRoot.querySelector('guichet-email-change')
      .shadowRoot.querySelector('#change-error'));
    assert.equal(await page.getByLabel('Code').getAttribute('aria-invalid'), 'true');
    await page.getByText('Adresse actuelle : anne@example.org').waitFor(); // unchanged until confirmed
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Code').fill(await codeSentTo('anne.dupont@example.org', since));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByText('Votre adresse est désormais anne.dupont@example.org.').waitFor();
    await page.getByText('Adresse actuelle : anne.dupont@example.org').waitFor();
    await page.close();
  });

  it('keeps the notification choices, asks for push only on a press, and closes the account with the password', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/compte/`);
    await heading(page, 'Mon compte');
    assert.equal(await page.getByLabel('Par e-mail').isChecked(), true);
    await page.getByLabel('Par e-mail').uncheck();
    await page.getByLabel('Par SMS').check();
    await page.getByRole('button', { name: 'Enregistrer mes choix' }).click();
    await page.getByText('Vos informations sont enregistrées.').waitFor();
    await page.reload();
    await heading(page, 'Mon compte');
    assert.equal(await page.getByLabel('Par e-mail').isChecked(), false);
    assert.equal(await page.getByLabel('Par SMS').isChecked(), true);
    assert.equal(await page.evaluate(() => Notification.permission), 'default'); // nothing asked on arrival
    await page.getByRole('button', { name: 'Recevoir les notifications sur cet appareil' }).click();
    await page.waitForFunction(() => /notifications/i.test(document.querySelector('guichet-account').shadowRoot.querySelectorAll('[role=status]')[1]?.textContent ?? ''));
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('account'), fullPage: true });
    assert.deepEqual(headingProblems(await headings(page)), []);

    await page.getByLabel('Mot de passe').fill('not the password at all');
    await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
    await page.waitForFunction(() => document.querySelector('guichet-account').shadowRoot.querySelector('#close-error'));
    assert.equal(await page.getByLabel('Mot de passe').getAttribute('aria-invalid'), 'true');
    await page.getByLabel('Mot de passe').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Supprimer définitivement mon compte' }).click();
    await page.waitForURL(`${guichet.url}/`);
    assert.equal(await page.evaluate(() => localStorage.getItem('guichet-signed-in')), null);
    await page.goto(`${guichet.url}/compte/connexion`);
    await page.getByLabel('Adresse électronique').fill('anne.dupont@example.org');
    await page.getByLabel('Mot de passe').fill(NEW_PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForFunction(() => document.querySelector('guichet-sign-in').shadowRoot.querySelector('.error-summary'));
    await page.close();
  });

  it('refuses an email confirmation link that is not valid, in words', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/compte/verifier/pas-une-vraie-cle`);
    await page.waitForFunction(() => document.querySelector('guichet-sign-in')?.shadowRoot.querySelector('.error-summary'));
    await heading(page, 'Se connecter');
    assert.deepEqual(await axeViolations(page), []);
    assert.deepEqual(headingProblems(await headings(page)), []);
    await page.close();
  });

  it('switches to English and stays so', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/`);
    await heading(page, 'Démarches en ligne');
    await page.getByRole('button', { name: 'English' }).click();
    await heading(page, 'Online procedures');
    assert.equal(await page.evaluate(() => document.documentElement.lang), 'en');
    await page.goto(`${guichet.url}/compte/connexion`);
    await heading(page, 'Sign in');
    await page.getByRole('button', { name: 'Français' }).click();
    await heading(page, 'Se connecter');
    await page.close();
  });
});
