/** The app as an installed, offline-first PWA: installability, offline from the first visit, updates, small screens. */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Guichet, ROOT, headingProblems, headings, launch, waitForProcedures } from './harness.mjs';

const procedures = (page) =>
  page.evaluate(() => document.querySelector('guichet-catalog')?.shadowRoot?.querySelectorAll('li.procedure').length ?? 0);

/** A wait that says which one timed out (a loaded CI machine is slow at some of them). */
async function step(name, promise) {
  try {
    return await promise;
  } catch (error) {
    error.message = `${name}: ${error.message}`;
    throw error;
  }
}

async function controlled(page) {
  await step(
    'waiting for the service worker to control the page',
    page.waitForFunction(() => navigator.serviceWorker.controller !== null, null, { timeout: 30000 }),
  );
}

describe('the app as a PWA', () => {
  let guichet;
  let dist;

  before(async () => {
    // The app's files copied, so that a test can ship a new version of them.
    dist = fs.mkdtempSync(path.join(os.tmpdir(), 'guichet-dist-'));
    fs.cpSync(path.join(ROOT, 'pwa', 'dist'), dist, { recursive: true });
    guichet = new Guichet();
    guichet.env.GUICHET_PWA_DIST = dist;
    await guichet.setUp();
  });

  after(async () => {
    await guichet?.tearDown();
    fs.rmSync(dist, { recursive: true, force: true });
  });

  it('is installable: a valid manifest, icons, a favicon', async () => {
    const context = await launch();
    try {
      const page = await context.newPage();
      await page.goto(guichet.url);
      await controlled(page);
      const cdp = await context.newCDPSession(page);
      const { installabilityErrors } = await cdp.send('Page.getInstallabilityErrors');
      assert.deepEqual(installabilityErrors, []);
      const manifest = await cdp.send('Page.getAppManifest');
      assert.deepEqual(manifest.errors, []);
      assert.equal(new URL(manifest.url).pathname, '/manifest.webmanifest');
      const parsed = JSON.parse(manifest.data);
      assert.equal(parsed.display, 'standalone');
      assert.ok(parsed.icons.some((icon) => icon.purpose === 'maskable' && icon.sizes === '512x512'));
      const favicon = await page.request.get(`${guichet.url}/favicon.ico`);
      assert.equal(favicon.status(), 200);
      assert.equal(favicon.headers()['content-type'], 'image/x-icon');
      const served = await page.request.get(`${guichet.url}/manifest.webmanifest`);
      assert.equal(served.headers()['content-type'], 'application/manifest+json');
    } finally {
      await context.close();
    }
  });

  it('opens offline from the first visit, on any of its paths, with the HTTP cache emptied', async () => {
    const context = await launch();
    try {
      const page = await context.newPage();
      await page.goto(guichet.url); // the first visit: no reload under the worker
      await controlled(page);
      await waitForProcedures(page, 7);
      // The list seen is kept for offline use once the worker controls the page.
      await step(
        'waiting for the list to be kept for offline use',
        page.waitForFunction(
          async () => {
            const cache = await caches.open('guichet-catalog-v1');
            return (await cache.keys()).some((request) => new URL(request.url).pathname === '/api/procedures/');
          },
          null,
          { timeout: 30000 },
        ),
      );
      const cdp = await context.newCDPSession(page);
      await cdp.send('Network.clearBrowserCache');
      await guichet.stop();
      try {
        const response = await page.goto(`${guichet.url}/demarches/`);
        assert.ok(response?.fromServiceWorker(), 'the page should come from the service worker');
        await page.getByRole('heading', { level: 1, name: 'Démarches en ligne' }).waitFor();
        await waitForProcedures(page, 7);
        // Searching offline filters what was seen instead of emptying the list.
        await page.getByLabel('Rechercher une démarche').fill('encombrants');
        await waitForProcedures(page, 1);
        const notice = await page.evaluate(
          () => document.querySelector('guichet-catalog').shadowRoot.querySelector('.offline')?.textContent ?? '',
        );
        assert.match(notice, /hors ligne/);
      } finally {
        await guichet.start();
      }
    } finally {
      await context.close();
    }
  });

  it('asks before reloading into a new version', async () => {
    const context = await launch();
    try {
      const page = await context.newPage();
      await page.goto(guichet.url);
      await controlled(page);
      const before = await page.evaluate(() => caches.keys());
      const old = before.find((name) => name.startsWith('guichet-shell-'));
      assert.ok(old, JSON.stringify(before));
      // A new build: the worker's file changes (its version with it).
      const worker = path.join(dist, 'service-worker.js');
      fs.writeFileSync(worker, fs.readFileSync(worker, 'utf8').replace(/"version":"[^"]+"/, '"version":"next"'));
      for (const suffix of ['.gz', '.br']) fs.rmSync(worker + suffix, { force: true });
      await guichet.stop();
      await guichet.start(); // whitenoise reads the folder when it starts
      await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).update());
      const banner = page.getByRole('status').filter({ hasText: 'Une nouvelle version de Guichet est prête.' });
      await banner.waitFor({ timeout: 15000 });
      // Nothing changes by itself: the new version waits, the old one still serves the page.
      await page.waitForTimeout(500);
      assert.equal(await page.evaluate(async () => (await navigator.serviceWorker.getRegistration()).waiting !== null), true);
      assert.ok((await page.evaluate(() => caches.keys())).includes(old));
      const reloaded = page.waitForEvent('load');
      await banner.getByRole('button', { name: 'Recharger la page' }).click();
      await reloaded;
      await controlled(page);
      const names = await page.evaluate(() => caches.keys());
      assert.ok(names.includes('guichet-shell-next'), JSON.stringify(names));
      assert.ok(!names.some((name) => name.startsWith('guichet-shell-') && name !== 'guichet-shell-next'), JSON.stringify(names));
      assert.equal(await page.evaluate(() => document.getElementById('guichet-update')), null);
    } finally {
      await context.close();
    }
  });

  it('fits a 320 px wide screen without horizontal scrolling (WCAG 1.4.10)', async () => {
    const context = await launch({ viewport: { width: 320, height: 640 } });
    try {
      const page = await context.newPage();
      await page.goto(guichet.url);
      await waitForProcedures(page, 7);
      const width = await page.evaluate(() => document.documentElement.scrollWidth);
      assert.ok(width <= 320, `the page is ${width} px wide`);
      assert.ok((await procedures(page)) === 7);
      // Every other screen too (320 CSS px is also a 1280 px screen at 400 % zoom), in
      // its widest state: a form's page with its error summary, sign-in, tracking.
      for (const [address, heading] of [
        ['/demarches/signalement-voirie/', 'Signaler un problème sur la voie publique'],
        ['/demarches/signalement-voirie/remplir/', 'Le problème'],
        ['/compte/connexion', 'Se connecter'],
        ['/compte/inscription', 'Créer un compte'],
        ['/suivi/', 'Suivre une demande'],
      ]) {
        await page.goto(`${guichet.url}${address}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        const submit = page.getByRole('button', { name: /^(Continuer|Se connecter|Créer mon compte|Suivre)$/ });
        if (await submit.count()) await submit.first().click();
        await page.waitForTimeout(300);
        const wide = await page.evaluate(() => document.documentElement.scrollWidth);
        assert.ok(wide <= 320, `${address} is ${wide} px wide`);
        assert.deepEqual(headingProblems(await headings(page)), [], address);
      }
      for (const [address, heading] of [['/', 'Démarches en ligne'], ['/demarches/', 'Démarches en ligne'], ['/demarches/a/b/', 'Page introuvable']]) {
        await page.goto(`${guichet.url}${address}`);
        await page.getByRole('heading', { level: 1, name: heading }).waitFor();
        await page.waitForTimeout(300); // the home's panels
        assert.deepEqual(headingProblems(await headings(page)), [], address);
      }
    } finally {
      await context.close();
    }
  });
});
