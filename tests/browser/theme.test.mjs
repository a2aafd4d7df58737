/**
 * The app in the municipality's theme: colours applied by an administrator (and
 * corrected for contrast) reach every screen through /api/theme.css, inside the
 * components' shadow roots too, and the themed pages stay accessible.
 */

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';

import { heading } from './filling.mjs';
import { Guichet, axeViolations, launch, phoneScreenshot, waitForProcedures } from './harness.mjs';

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
