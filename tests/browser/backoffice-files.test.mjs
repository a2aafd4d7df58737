/**
 * A request's files in the back office (1366×768): an image is shown in the page
 * from a blob address, under the app's strict policy; a PDF's pages are painted in
 * the page by PDF.js (each page's colour read back from its canvas), and the PDF is
 * also handed to the browser as a download with its name and content; a PDF that
 * cannot be shown says so. axe passes with the image and the PDF shown.
 */

import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, launch, screenshotPath, signIn } from './harness.mjs';

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
    await signIn(page, guichet.url, EMAIL, PASSWORD);
    await page.waitForURL(/\/demandes\//);
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('shows an image and a PDF’s pages in the page, and hands the PDF to the browser', async () => {
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

    await page.getByRole('button', { name: 'Voir courrier.pdf' }).click();
    await page.getByText('courrier.pdf : 2 pages').waitFor();
    const pages = page.getByRole('img', { name: /^Page \d sur 2$/ });
    assert.equal(await pages.count(), 2);
    // Each page painted, in its own colour, at the list's width (sharp: about as many canvas pixels as the screen's).
    const painted = await pages.evaluateAll((canvases) => canvases.map((canvas) => {
      const [r, g, b] = canvas.getContext('2d').getImageData(canvas.width / 2, canvas.height / 2, 1, 1).data;
      const shown = canvas.getBoundingClientRect().width;
      return { r, g, b, sharp: canvas.width >= 0.95 * shown * devicePixelRatio, wide: shown > 200 };
    }));
    assert.deepEqual(painted.map(({ r, g, b }) => [r > 200 && g < 60 && b < 60, b > 200 && r < 60 && g < 60]), [[true, false], [false, true]]);
    assert.ok(painted.every((p) => p.sharp && p.wide), JSON.stringify(painted));
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-pdf') });

    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Télécharger courrier.pdf' }).click()]);
    assert.equal(download.suggestedFilename(), 'courrier.pdf');
    assert.equal((await readFile(await download.path())).subarray(0, 5).toString(), '%PDF-');

    guichet.town('attach', id, 'vide.pdf');
    await page.reload();
    await page.getByRole('button', { name: 'Voir vide.pdf' }).click();
    await page.getByText('vide.pdf ne peut pas être affiché ici. Téléchargez-le pour l’ouvrir.').waitFor();
    assert.deepEqual(refused, []);
  });
});
