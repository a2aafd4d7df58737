/**
 * The agents' work on many requests in the back office (1366×768): a bulk action on
 * the 200 requests of a status, its progress bar driven by the job's events up to
 * 100 % and its report; an export of the filter's requests in a chosen format and
 * columns, downloaded and read back. The Procfile's worker runs the jobs.
 */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import { after, before, describe, it } from 'node:test';

import { Guichet, axeViolations, launch, screenshotPath, signIn } from './harness.mjs';

const EMAIL = 'agnes.martin@mairie.example';
const PASSWORD = 'correct horse battery staple';
const texts = (page, selector) => page.evaluate((s) => {
  const root = document.querySelector('guichet-backoffice').shadowRoot;
  const work = root.querySelector('guichet-agent-work')?.shadowRoot;
  return [...root.querySelectorAll(s), ...(work ? work.querySelectorAll(s) : [])].map((e) => e.textContent.replace(/\s+/g, ' ').trim());
}, selector);

describe('the agents’ work on many requests', () => {
  let guichet;
  let context;
  let page;

  before(async () => {
    guichet = new Guichet();
    // Events the worker writes reach the sockets at the web process's next look at the
    // logs (every second by default, on the embedded default): more often here, so that
    // a job of a few seconds shows its steps.
    guichet.env.GUICHET_REALTIME_POLL = '0.2';
    // Exports of more than 100 requests are jobs here (1,000 by default), so that both ways are tried.
    guichet.env.GUICHET_EXPORT_INLINE_MAX = '100';
    await guichet.setUp();
    guichet.startWorker();
    guichet.town('agent', EMAIL, PASSWORD);
    guichet.town('many', '200');
    context = await launch({ viewport: { width: 1366, height: 768 }, acceptDownloads: true });
    page = await context.newPage();
    await signIn(page, guichet.url, EMAIL, PASSWORD, '/agents/');
    await page.getByRole('heading', { level: 1, name: 'Demandes à traiter' }).waitFor({ timeout: 15000 });
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('takes a bulk action on the 200 requests of a status, the progress bar driven by the job’s events', async () => {
    await page.getByRole('link', { name: 'Reçue (200)' }).click();
    await page.waitForURL(/status=received/);
    await page.getByRole('button', { name: 'Actions groupées' }).click();
    await page.getByLabel('Toutes les demandes du filtre (200)').check();
    await page.getByLabel('Que faire').selectOption({ label: 'Prendre en charge' });
    await page.getByLabel('Commentaire interne').fill('Prises en charge ensemble');
    assert.deepEqual(await axeViolations(page), []);
    // Every value the bar shows, from the page's side.
    await page.evaluate(() => {
      globalThis.seen = [];
      const look = () => {
        const bar = document.querySelector('guichet-backoffice')?.shadowRoot?.querySelector('guichet-agent-work')?.shadowRoot?.querySelector('progress');
        if (bar) globalThis.seen.push(Number(bar.value));
        requestAnimationFrame(look);
      };
      look();
    });
    await page.getByRole('button', { name: 'Appliquer' }).click();
    await page.getByText('Toutes les demandes ont été traitées.').waitFor({ timeout: 90000 });
    const seen = await page.evaluate(() => globalThis.seen);
    assert.equal(seen.at(-1), 100);
    assert.ok(seen.some((v) => v > 0 && v < 100), `an intermediate value: ${[...new Set(seen)].join(', ')}`);
    assert.match((await texts(page, '.progress')).join(' '), /200 sur 200/);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-bulk') });
    await page.getByRole('link', { name: /En cours de traitement \(200\)/ }).waitFor();
  });

  it('exports the filter’s requests as a job, its progress shown, and the file holds their rows', async () => {
    await page.getByRole('button', { name: 'Fermer' }).click();
    await page.getByRole('link', { name: /^Tous les statuts/ }).click();
    await page.getByRole('button', { name: 'Exporter' }).click();
    await page.getByLabel('CSV').check();
    await page.getByLabel('Code de suivi').check();
    await page.getByRole('button', { name: 'Préparer le fichier' }).click();
    // More than the limit: a job, its bar shown until the file is ready on the server.
    await page.getByRole('progressbar').waitFor();
    const link = page.getByRole('link', { name: 'Télécharger le fichier' });
    await link.waitFor({ timeout: 60000 }).catch(async (error) => {
      throw new Error(`${error.message}\n${(await texts(page, '.work')).join(' | ')}\n${fs.readFileSync(`${guichet.dir}/worker.log`, 'utf8').slice(-2000)}`);
    });
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('backoffice-export') });
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const text = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '');
    const lines = text.trim().split(/\r?\n/);
    assert.equal(lines.length, 201, lines.slice(0, 3).join('\n'));
    assert.match(lines[0], /Référence.*Code de suivi/);
    assert.ok(lines.slice(1).every((line) => line.includes('En cours de traitement')), lines[1]);
    // In the list's order: the newest first, as the inbox shows them.
    const references = lines.slice(1).map((line) => line.split(',')[0].replace(/"/g, ''));
    assert.deepEqual(references, [...references].sort().reverse());
    assert.match(await link.getAttribute('href'), /^\/api\/agent\/jobs\/[0-9a-f-]{36}\/file\/$/);
  });

  it('gives a small export at once, from the page', async () => {
    await page.getByRole('button', { name: 'Fermer' }).click();
    const [reference] = await texts(page, 'tbody th');
    await page.getByLabel('Rechercher').fill(reference);
    await page.getByRole('button', { name: 'Filtrer' }).click();
    await page.waitForFunction(() => document.querySelector('guichet-backoffice').shadowRoot.querySelectorAll('tbody tr').length === 1);
    await page.getByRole('button', { name: 'Exporter' }).click();
    await page.getByLabel('CSV').check();
    await page.getByRole('button', { name: 'Préparer le fichier' }).click();
    const link = page.getByRole('link', { name: 'Télécharger le fichier' });
    await link.waitFor();
    assert.match(await link.getAttribute('href'), /^blob:/);
    const [download] = await Promise.all([page.waitForEvent('download'), link.click()]);
    const lines = fs.readFileSync(await download.path(), 'utf8').replace(/^\uFEFF/, '').trim().split(/\r?\n/);
    assert.equal(lines.length, 2, lines.join('\n'));
    assert.ok(lines[1].includes(reference), lines[1]);
  });
});
