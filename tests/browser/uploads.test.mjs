/** Attaching files while filling in: a resumable upload with its progress, and a typed point. */

import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { heading, inside } from './filling.mjs';
import { Guichet, ROOT, axeViolations, launch } from './harness.mjs';

describe('a report with a place and photos', () => {
  let guichet;
  let context;
  let photo;

  before(async () => {
    guichet = await new Guichet().setUp();
    // The page's own requests are intercepted below, which a service worker would hide.
    context = await launch({ serviceWorkers: 'block' });
    photo = path.join(guichet.dir, 'nid-de-poule.png');
    // Noise does not compress: about 2.7 MB, three chunks of the resumable upload.
    const made = spawnSync(path.join(ROOT, '.venv', 'bin', 'python'), ['-c',
      `import os, sys\nfrom PIL import Image\nImage.frombytes("RGB", (1000, 900), os.urandom(2700000)).save(sys.argv[1])`, photo]);
    assert.equal(made.status, 0, String(made.stderr));
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('sends a typed point and a photo whose upload survives a dropped chunk, with its progress shown', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/demarches/signalement-voirie/remplir/`);
    await heading(page, 'Le problème');
    await page.getByLabel('Nid-de-poule, chaussée abîmée').check();
    await page.getByLabel('Latitude').fill('48,66'); // a comma, as French keyboards type it
    await page.getByLabel('Longitude').fill('2.35');
    let dropped = 0;
    const offsets = [];
    await page.route('**/api/uploads/*/', async (route) => {
      const offset = route.request().headers()['upload-offset'];
      if (route.request().method() === 'PATCH') offsets.push(Number(offset));
      if (route.request().method() === 'PATCH' && offset !== '0' && dropped === 0) {
        dropped += 1;
        await route.abort('connectionreset'); // the second chunk is lost on the way
      } else {
        await route.continue();
      }
    });
    await page.getByLabel('Choisir un fichier').setInputFiles(photo);
    await page.waitForFunction(() => document.querySelector('guichet-fill').shadowRoot.querySelector('.upload progress'));
    assert.deepEqual(await axeViolations(page), []);
    await page.waitForFunction(() => /nid-de-poule\.png/.test(document.querySelector('guichet-fill').shadowRoot.querySelector('.files')?.textContent ?? ''), undefined, { timeout: 30000 });
    assert.equal(dropped, 1);
    assert.ok(offsets.filter((o) => o === 1048576).length >= 2, `the lost chunk was sent again: ${offsets}`);
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, 'Pour vous tenir informé');
    await page.getByRole('button', { name: 'Continuer' }).click();
    await heading(page, /Vérifiez vos réponses/);
    const answers = await inside(page, '.answers dd');
    assert.ok(answers.includes('48.66, 2.35'), answers.join(' | '));
    assert.ok(answers.includes('nid-de-poule.png'), answers.join(' | '));
    await page.getByRole('button', { name: 'Envoyer la demande' }).click();
    await heading(page, 'Demande envoyée');
    const server = guichet.town('count', 'signalement-voirie');
    assert.equal(server.sent, 1);
    assert.deepEqual(server.answers[0].lieu, { lat: 48.66, lon: 2.35 });
    assert.equal(server.answers[0].photos.length, 1);
    assert.equal(server.answers[0].photos[0].name, 'nid-de-poule.png');
    await page.close();
  });
});
