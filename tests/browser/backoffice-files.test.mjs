/**
 * A request's files in the back office (1366×768): an image is shown in the page
 * from a blob address, under the app's strict policy; a PDF is handed to the
 * browser as a download with its name and content. axe passes with the image shown.
 */

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, launch } from './harness.mjs';

const EMAIL = 'agnes.martin@mairie.example';
const PASSWORD = 'correct horse battery staple';

describe('a request’s files in the back office', () => {
  let guichet;
  let context;
  let page;
  const refused = [];

  before(async () => {
    guichet = await new Guichet().setUp();
    guichet.town('agent', EMAIL, PASSWORD);
    context = await launch({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    page = await context.newPage();
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refused.push(message.text());
    });
    await page.goto(`${guichet.url}/compte/connexion`);
    await page.getByLabel('Adresse électronique').fill(EMAIL);
    await page.getByLabel('Mot de passe', { exact: true }).fill(PASSWORD);
    await page.getByRole('button', { name: 'Se connecter' }).click();
    await page.waitForURL(/\/demandes\//);
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('shows an image in the page and hands a PDF to the browser', async () => {
    const id = guichet.town('send').id;
    guichet.town('attach', id, 'photo.png');
    guichet.town('attach', id, 'courrier.pdf');
    await page.goto(`${guichet.url}/agents/demandes/${id}/`);
    await page.getByRole('button', { name: 'Voir photo.png' }).click();
    const image = page.getByRole('img', { name: 'Aperçu de photo.png' });
    await image.waitFor();
    const shown = await image.evaluate((img) => ({ src: img.src, width: img.naturalWidth, height: img.naturalHeight }));
    assert.match(shown.src, /^blob:/);
    assert.deepEqual([shown.width, shown.height], [40, 30]);
    assert.deepEqual(await axeViolations(page), []);
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Ouvrir courrier.pdf' }).click()]);
    assert.equal(download.suggestedFilename(), 'courrier.pdf');
    assert.equal((await readFile(await download.path())).subarray(0, 5).toString(), '%PDF-');
    assert.deepEqual(refused, []);
  });
});
