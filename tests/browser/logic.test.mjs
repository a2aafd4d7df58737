/** The form engine the app ships (its built `forms` chunk, served by Guichet) passes the
 * public JSON Logic conformance suite and the shared visibility vectors inside Chromium
 * itself: what runs on a citizen's phone, not a copy from node_modules. */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';

import { Guichet, ROOT, launch } from './harness.mjs';

const conformance = path.join(ROOT, 'tests', 'conformance');
const suite = JSON.parse(fs.readFileSync(path.join(conformance, 'jsonlogic-tests.json'), 'utf8'));
const vectors = suite.filter((item) => typeof item !== 'string');
const visibilityCases = JSON.parse(fs.readFileSync(path.join(conformance, 'visibility.json'), 'utf8'));
const manifest = JSON.parse(fs.readFileSync(path.join(ROOT, 'pwa', 'dist', '.vite', 'manifest.json'), 'utf8'));
const FORMS_CHUNK = `/${manifest['src/forms/index.ts'].file}`;

describe('the shipped form engine in Chromium', () => {
  let guichet;
  let context;
  let page;

  before(async () => {
    guichet = await new Guichet().setUp();
    context = await launch();
    page = await context.newPage();
    await page.goto(`${guichet.url}/`);
  });
  after(async () => {
    await context?.close();
    await guichet?.tearDown();
  });

  it('passes the 275 conformance vectors', async () => {
    assert.equal(vectors.length, 275);
    const results = await page.evaluate(
      async ({ chunk, cases }) => {
        const engine = await import(chunk);
        return cases.map(([logic, data]) => JSON.stringify(engine.evaluate(logic, data)) ?? 'undefined');
      },
      { chunk: FORMS_CHUNK, cases: vectors },
    );
    const failures = vectors
      .map(([logic, data, expected], i) => ({ i, logic, data, expected, actual: results[i] }))
      .filter(({ expected, actual }) => actual !== JSON.stringify(expected));
    assert.deepEqual(failures, []);
  });

  it('shows and hides pages and fields as the server does', async () => {
    assert.ok(visibilityCases.length > 0);
    const results = await page.evaluate(
      async ({ chunk, cases }) => {
        const engine = await import(chunk);
        return cases.map((c) => engine.visibility(c.definition, c.answers));
      },
      { chunk: FORMS_CHUNK, cases: visibilityCases },
    );
    visibilityCases.forEach((c, i) => {
      assert.deepEqual(
        { pages: results[i].pages, fields: results[i].fields, data: results[i].data },
        { pages: c.pages, fields: c.fields, data: c.data },
        c.name,
      );
    });
  });
});
