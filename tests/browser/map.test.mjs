/**
 * The map of point fields, when the municipality set up tiles: served here by a local
 * stand-in tile server. The tiles load (the app's policy allows their origin), a tap
 * places the point in the typed fields, and without tiles the map still places it.
 */

import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, it } from 'node:test';

import { heading } from './filling.mjs';
import { Guichet, axeViolations, launch, screenshotPath } from './harness.mjs';

// A 1×1 PNG: Leaflet draws it over the whole 256-pixel tile.
const TILE = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==', 'base64');

describe('placing a point on the map', () => {
  let guichet;
  let context;
  let tiles;
  const served = [];
  let down = false;

  before(async () => {
    tiles = http.createServer((request, response) => {
      served.push(request.url);
      if (down) {
        response.writeHead(503).end();
        return;
      }
      response.writeHead(200, { 'Content-Type': 'image/png', 'Access-Control-Allow-Origin': '*' }).end(TILE);
    });
    await new Promise((resolve) => tiles.listen(0, '127.0.0.1', resolve));
    guichet = new Guichet();
    guichet.env.GUICHET_MAP_TILES = `http://127.0.0.1:${tiles.address().port}/tiles/{z}/{x}/{y}.png`;
    guichet.env.GUICHET_MAP_ATTRIBUTION = '© Contributeurs de la carte <test>';
    guichet.env.GUICHET_MAP_CENTER = '48.63,2.35';
    guichet.env.GUICHET_MAP_ZOOM = '15';
    await guichet.setUp();
    context = await launch({ viewport: { width: 360, height: 800 } });
  });

  after(async () => {
    await context?.close();
    await guichet?.tearDown();
    tiles?.close();
  });

  const typed = async (page) => [await page.getByLabel('Latitude', { exact: true }).inputValue(), await page.getByLabel('Longitude', { exact: true }).inputValue()];

  it('shows the tiles, places the tapped point in the typed fields, and follows a typed one', async () => {
    const page = await context.newPage();
    const refused = [];
    page.on('console', (message) => { if (/Content Security Policy/i.test(message.text())) refused.push(message.text()); });
    await page.goto(`${guichet.url}/demarches/signalement-voirie/remplir/`);
    await heading(page, 'Le problème');
    const map = page.getByRole('application', { name: /^Carte pour « Emplacement/ });
    await map.waitFor();
    await page.waitForFunction(() => document.querySelector('guichet-fill').shadowRoot.querySelector('guichet-map')
      ?.shadowRoot.querySelectorAll('img.leaflet-tile-loaded').length > 0);
    assert.ok(served.some((url) => /^\/tiles\/\d+\/\d+\/\d+\.png$/.test(url)), served.join(' '));
    assert.deepEqual(refused, []);
    // The attribution is text, never markup.
    assert.match(await map.locator('.leaflet-control-attribution').innerText(), /<test>/);

    await map.click(); // in its middle
    await page.waitForFunction(() => document.querySelector('guichet-fill').shadowRoot.querySelector('[id$="-lat"]')?.value !== '');
    // The map starts on the field's bounds (the demo's town): its middle is where the tap was.
    const [lat, lon] = (await typed(page)).map((v) => Number(v.replace(',', '.')));
    assert.ok(Math.abs(lat - 48.66) < 0.01 && Math.abs(lon - 2.375) < 0.01, `${lat} ${lon}`);
    assert.deepEqual(await axeViolations(page), []);
    await page.screenshot({ path: screenshotPath('fill-map'), fullPage: true });

    // A typed point shows on the map: the dot moves there.
    const dot = () => page.evaluate(() => {
      const path = document.querySelector('guichet-fill').shadowRoot.querySelector('guichet-map').shadowRoot.querySelector('path.leaflet-interactive');
      const r = path.getBoundingClientRect();
      return [Math.round(r.x + r.width / 2), Math.round(r.y + r.height / 2)];
    });
    const before = await dot();
    await page.getByLabel('Latitude', { exact: true }).fill(String(lat + 0.03));
    await page.waitForFunction((old) => {
      const path = document.querySelector('guichet-fill').shadowRoot.querySelector('guichet-map').shadowRoot.querySelector('path.leaflet-interactive');
      const r = path.getBoundingClientRect();
      return Math.round(r.y + r.height / 2) < old[1] - 30; // 0.03° north is ~3.3 km: well up the screen
    }, before);
    await page.close();
  });

  it('still places a point when the tiles cannot load, and says so', async () => {
    down = true;
    try {
      const page = await context.newPage();
      await context.clearCookies();
      await page.goto(`${guichet.url}/demarches/signalement-voirie/remplir/`);
      await heading(page, 'Le problème');
      const map = page.getByRole('application', { name: /^Carte pour « Emplacement/ });
      await map.waitFor();
      await page.getByText('Le fond de carte ne se charge pas').waitFor();
      await page.getByLabel('Latitude', { exact: true }).fill('');
      await page.getByLabel('Longitude', { exact: true }).fill('');
      await map.click();
      await page.waitForFunction(() => document.querySelector('guichet-fill').shadowRoot.querySelector('[id$="-lon"]')?.value !== '');
      assert.deepEqual(await axeViolations(page), []);
      await page.close();
    } finally {
      down = false;
    }
  });

  it('does not animate the map for someone who asked for reduced motion', async () => {
    const still = await launch({ reducedMotion: 'reduce' });
    try {
      const page = await still.newPage();
      await page.goto(`${guichet.url}/demarches/signalement-voirie/remplir/`);
      await heading(page, 'Le problème');
      const map = page.getByRole('application', { name: /^Carte pour « Emplacement/ });
      await map.waitFor();
      await page.waitForFunction(() => document.querySelector('guichet-fill').shadowRoot.querySelector('guichet-map')
        ?.shadowRoot.querySelector('.leaflet-pane'));
      const classes = await map.getAttribute('class');
      assert.doesNotMatch(classes, /leaflet-(fade|zoom)-anim/);
    } finally {
      await still.close();
    }
    const page = await context.newPage(); // and the others get the usual glide
    await page.goto(`${guichet.url}/demarches/signalement-voirie/remplir/`);
    await heading(page, 'Le problème');
    const map = page.getByRole('application', { name: /^Carte pour « Emplacement/ });
    await page.waitForFunction(() => document.querySelector('guichet-fill').shadowRoot.querySelector('guichet-map')
      ?.shadowRoot.querySelector('.leaflet-pane'));
    assert.match(await map.getAttribute('class'), /leaflet-fade-anim/);
    await page.close();
  });
});
