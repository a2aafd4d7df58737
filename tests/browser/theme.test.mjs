/**
 * The app in the municipality's theme: colours applied by an administrator (and
 * corrected for contrast) reach every screen through /api/theme.css, inside the
 * components' shadow roots too, and the themed pages stay accessible.
 */

import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';

import { heading } from './filling.mjs';
import { Guichet, ROOT, axeViolations, launch, phoneScreenshot, waitForProcedures } from './harness.mjs';

const APPLY = `
from api.theme import actions
actions.apply({"name": "Bellerive-sur-Orge", "colours": {"primary": "#0a7d3b", "background": "#f3f7f1",
    "accent": "#ffd200", "focus": "#ffd200"}, "fonts": {"body": "Georgia, serif"}, "radius": "2px"}, None)
`;

describe('the app in the municipality’s theme', () => {
  let guichet;
  let context;

  before(async () => {
    guichet = await new Guichet().setUp();
    guichet.manage('shell', '-c', APPLY);
    context = await launch({ viewport: { width: 360, height: 800 } });
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('shows the theme’s colours and font on every screen, readable', async () => {
    const page = await context.newPage();
    const theme = await (await page.request.get(`${guichet.url}/api/theme/`)).json();
    await page.goto(`${guichet.url}/`);
    await waitForProcedures(page, 7);
    const seen = await page.evaluate(() => {
      const root = getComputedStyle(document.documentElement);
      const header = getComputedStyle(document.querySelector('.site-header'));
      const link = document.querySelector('guichet-catalog').shadowRoot.querySelector('li.procedure a');
      return {
        primary: root.getPropertyValue('--guichet-color-primary').trim(),
        header: header.backgroundColor,
        link: getComputedStyle(link).color,
        font: getComputedStyle(document.body).fontFamily,
        background: getComputedStyle(document.documentElement).backgroundColor,
      };
    });
    const rgb = (hex) => `rgb(${[1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16)).join(', ')})`;
    assert.equal(seen.primary, theme.colours.primary);
    assert.equal(seen.header, rgb(theme.colours.primary));
    assert.equal(seen.link, rgb(theme.colours.primary)); // inside a shadow root too
    assert.equal(seen.background, rgb(theme.colours.background));
    assert.match(seen.font, /Georgia/);
    assert.deepEqual(await axeViolations(page), []);
    await phoneScreenshot(page, 'themed-home');

    await page.goto(`${guichet.url}/demarches/signalement-voirie/remplir/`);
    await heading(page, 'Le problème');
    await page.getByRole('button', { name: 'Continuer' }).click(); // the error summary, in the theme
    await page.waitForFunction(() => document.querySelector('guichet-fill').shadowRoot.querySelector('.error-summary'));
    assert.deepEqual(await axeViolations(page), []);
    await phoneScreenshot(page, 'themed-form');
    await page.close();
  });
});

// The fixture sites the import is tested against (api/theme/tests/sites/), served as
// the municipality's own web server would.
const SITES = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../api/theme/tests/sites');
const TYPES = {
  '.html': 'text/html',
  '.css': 'text/css',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

function serveSites() {
  const server = http.createServer((request, response) => {
    let file = path.join(SITES, decodeURIComponent(new URL(request.url, 'http://x').pathname));
    if (file.endsWith('/')) file += 'index.html';
    if (!file.startsWith(SITES) || !fs.existsSync(file)) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'Content-Type': TYPES[path.extname(file)] ?? 'application/octet-stream' });
    response.end(fs.readFileSync(file));
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

function importTheme(guichet, url) {
  return new Promise((resolve, reject) => {
    const child = spawn(path.join(ROOT, '.venv', 'bin', 'python'), ['manage.py', 'import_theme', url, '--apply'], {
      cwd: ROOT,
      env: guichet.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += chunk));
    child.stderr.on('data', (chunk) => (output += chunk));
    child.on('exit', (code) => (code === 0 ? resolve(output) : reject(new Error(`import_theme failed: ${output}`))));
  });
}

describe('the app in a theme imported from the municipality’s site', () => {
  let guichet;
  let site;
  let context;

  before(async () => {
    site = await serveSites();
    guichet = new Guichet();
    guichet.env.GUICHET_THEME_IMPORT_ALLOW_PRIVATE = '1'; // the site is on this machine
    await guichet.setUp();
    // Not spawnSync: the site is served by this very process, which must keep answering.
    await importTheme(guichet, `http://127.0.0.1:${site.address().port}/ville-moderne/`);
    context = await launch({ viewport: { width: 360, height: 800 } });
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
    site?.close();
  });

  it('wears the site’s name, logo, colours, font and links', async () => {
    const page = await context.newPage();
    await page.goto(`${guichet.url}/`);
    await waitForProcedures(page, 7);
    await page.locator('.site-name img.site-logo').waitFor();
    await page.evaluate(() => document.fonts.ready);
    const seen = await page.evaluate(() => ({
      name: document.querySelector('.site-name').textContent.trim(),
      logoLoaded: document.querySelector('.site-logo').naturalWidth > 0,
      themeColor: document.querySelector('meta[name="theme-color"]').content,
      header: getComputedStyle(document.querySelector('.site-header')).backgroundColor,
      font: getComputedStyle(document.body).fontFamily,
      fontLoaded:
        document.fonts.check('16px "Open Sans"') &&
        [...document.fonts].some((f) => f.family.includes('Open Sans') && f.status === 'loaded'),
      links: [...document.querySelectorAll('#site-footer nav a')].map((a) => [a.textContent, new URL(a.href).pathname]),
      title: document.title,
      icon: document.querySelector('link[rel="icon"]').getAttribute('href'),
    }));
    assert.equal(seen.name, 'Ville de Bellerive-sur-Orge');
    assert.ok(seen.logoLoaded, 'the logo is shown');
    assert.equal(seen.themeColor, '#0b6e4f');
    assert.equal(seen.header, 'rgb(11, 110, 79)');
    assert.match(seen.font, /^"Open Sans"/);
    assert.ok(seen.fontLoaded, 'the site’s font, served by Guichet, is loaded');
    assert.deepEqual(seen.links, [
      ['Mentions légales', '/mentions-legales/'],
      ['Accessibilité : partiellement conforme', '/accessibilite/'],
      ['Données personnelles', '/donnees-personnelles/'],
      ['Contact', '/contact/'],
    ]);
    assert.match(seen.title, /Ville de Bellerive-sur-Orge$/);
    assert.match(seen.icon, /^\/api\/theme\/assets\/[0-9a-f]{64}\.svg$/);
    const manifest = await (await page.request.get(`${guichet.url}/manifest.webmanifest`)).json();
    assert.equal(manifest.theme_color, '#0b6e4f');
    assert.equal(manifest.name, 'Ville de Bellerive-sur-Orge – démarches en ligne');
    assert.deepEqual(await axeViolations(page), []);
    await phoneScreenshot(page, 'imported-home');
    await page.close();
  });
});
