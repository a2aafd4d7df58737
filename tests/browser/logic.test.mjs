/** The browser-side JSON Logic evaluator (json-logic-js, as the PWA bundles it) passes the
 * public conformance suite inside Chromium itself, not only under Node. */

import assert from 'node:assert/strict';
import fs from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { after, before, describe, it } from 'node:test';

import { ROOT, launch } from './harness.mjs';

const require = createRequire(path.join(ROOT, 'pwa', 'package.json'));
const EVALUATOR = fs.readFileSync(require.resolve('json-logic-js/logic.js'), 'utf8');
const suite = JSON.parse(fs.readFileSync(path.join(ROOT, 'tests', 'conformance', 'jsonlogic-tests.json'), 'utf8'));
const vectors = suite.filter((item) => typeof item !== 'string');

describe('JSON Logic in Chromium', () => {
  let context;
  before(async () => {
    context = await launch();
  });
  after(async () => {
    await context?.close();
  });

  it('passes the 275 conformance vectors', async () => {
    assert.equal(vectors.length, 275);
    const page = await context.newPage();
    await page.setContent('<!doctype html><title>logic</title>');
    await page.addScriptTag({ content: EVALUATOR });
    const results = await page.evaluate(
      (cases) => cases.map(([logic, data]) => JSON.stringify(globalThis.jsonLogic.apply(logic, data)) ?? 'undefined'),
      vectors,
    );
    const failures = vectors
      .map(([logic, data, expected], i) => ({ i, logic, data, expected, actual: results[i] }))
      .filter(({ expected, actual }) => actual !== JSON.stringify(expected));
    assert.deepEqual(failures, []);
    await page.close();
  });
});
