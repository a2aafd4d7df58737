/**
 * The second factor agents owe when the municipality requires it
 * (GUICHET_AGENT_MFA_REQUIRED): an agent who signed in with a password is asked to
 * set up an authenticator app in the back office (its key as a QR code and as text),
 * a wrong code is refused beside the field, the right one opens the inbox at once;
 * signing in again then asks for a code from the app after the password. The codes
 * are computed here as the app would (RFC 6238). Every screen passes axe.
 */

import assert from 'node:assert/strict';
import { createHmac } from 'node:crypto';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { Guichet, axeViolations, headingProblems, headings, launch, screenshotPath } from './harness.mjs';

const EMAIL = 'agnes.martin@mairie.example';
const PASSWORD = 'correct horse battery staple';

/** A TOTP code (SHA-1, 6 digits, 30 s) for a base-32 key, at a time step. */
function totp(key, step = Math.floor(Date.now() / 30000)) {
  const alphabet = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = '';
  for (const char of key.replace(/[\s=]/g, '').toUpperCase()) bits += alphabet.indexOf(char).toString(2).padStart(5, '0');
  const secret = Buffer.from(bits.match(/.{8}/g).map((byte) => parseInt(byte, 2)));
  const counter = Buffer.alloc(8);
  counter.writeBigUInt64BE(BigInt(step));
  const mac = createHmac('sha1', secret).update(counter).digest();
  const offset = mac[mac.length - 1] & 0xf;
  return String((mac.readUInt32BE(offset) & 0x7fffffff) % 1_000_000).padStart(6, '0');
}

/** Waits for the next 30-second step: a code once used is not taken again. */
async function nextStep() {
  await sleep(30000 - (Date.now() % 30000) + 500);
}

describe('the agents’ second factor', () => {
  let guichet;
  let context;
  let page;
  const refused = [];

  before(async () => {
    guichet = new Guichet();
    guichet.env.GUICHET_AGENT_MFA_REQUIRED = 'true';
    await guichet.setUp();
    guichet.town('send');
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

  let key;

  it('has an agent without an app set one up, then opens the inbox in the same session', async () => {
    await page.goto(`${guichet.url}/agents/`);
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.getByLabel('Adresse électronique').fill(EMAIL);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 2, name: 'Configurer votre application d’authentification' }).waitFor({ timeout: 15000 });
    await page.getByRole('img', { name: /Code QR de la clé/ }).waitFor();
    key = (await page.locator('code.key').textContent()).replace(/\s+/g, '');
    assert.match(key, /^[A-Z2-7]{16,}$/);
    assert.deepEqual(headingProblems(await headings(page)), []);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-mfa-setup') });

    // A wrong code: said beside the field, nothing opens.
    const wrong = String((Number(totp(key)) + 500000) % 1_000_000).padStart(6, '0');
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Code à 6 chiffres').fill(wrong);
    await page.getByRole('button', { name: 'Activer et continuer' }).click();
    await page.getByRole('heading', { name: 'Le second facteur n’est pas validé' }).waitFor();
    assert.equal(await page.getByLabel('Code à 6 chiffres').getAttribute('aria-invalid'), 'true');
    assert.deepEqual(await axeViolations(page), []);

    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByLabel('Code à 6 chiffres').fill(totp(key));
    await page.getByRole('button', { name: 'Activer et continuer' }).click();
    await page.getByRole('row', { name: /Suivi/ }).first().waitFor({ timeout: 15000 });
    assert.equal(await page.getByRole('heading', { level: 1 }).textContent(), 'Demandes à traiter');
    assert.deepEqual(refused, []);
  });

  it('asks for a code from the app when the agent signs in again', async () => {
    await context.clearCookies();
    await nextStep();
    await page.goto(`${guichet.url}/agents/`);
    await page.getByRole('link', { name: 'Se connecter' }).click();
    await page.getByLabel('Adresse électronique').fill(EMAIL);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.getByRole('heading', { level: 1, name: 'Second facteur' }).waitFor();
    assert.deepEqual(await axeViolations(page), []);
    await page.getByLabel('Code').fill(totp(key));
    await page.getByRole('button', { name: 'Valider' }).click();
    await page.getByRole('row', { name: /Suivi/ }).first().waitFor({ timeout: 15000 });
  });
});
