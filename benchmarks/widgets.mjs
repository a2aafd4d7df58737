/**
 * The widgets' weight (issue 13): what a host page downloads for the widgets
 * (/widgets.js and the chunks it imports), and what a form widget adds (the form
 * engine, loaded only when a <guichet-form> is on the page), gzip-compressed, as
 * ratios to the app's shell measured from the same build.
 *
 * Budgets: the widgets' module and its imports ≤ 30 KB gzip; a form's code ≤ 40 KB
 * more; the form's code absent from what every widget page loads.
 *
 *   node benchmarks/widgets.mjs   (after the PWA build; `make bench` runs it)
 */

import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const DIST = path.join(ROOT, 'pwa', 'dist');
const RESULTS = path.join(ROOT, 'benchmarks', 'results', 'widgets.json');
const BUDGET = { widgetsKb: 30, formKb: 40 };

const manifest = JSON.parse(fs.readFileSync(path.join(DIST, '.vite', 'manifest.json'), 'utf8'));
const gzip = (file) => gzipSync(fs.readFileSync(path.join(DIST, file)), { level: 9 }).length;

/** Every file ``key`` loads before it runs (its static imports, transitively, and their CSS). */
function closure(key, seen = new Set()) {
  if (seen.has(key)) return seen;
  seen.add(key);
  for (const imported of manifest[key].imports ?? []) closure(imported, seen);
  return seen;
}
const files = (keys) => new Set([...keys].flatMap((key) => [manifest[key].file, ...(manifest[key].css ?? [])]));
const kb = (set) => Number(([...set].reduce((total, file) => total + gzip(file), 0) / 1024).toFixed(1));

const widgets = files(closure('src/widgets/index.ts'));
const form = new Set([...files(closure('src/fill/fill.ts'))].filter((file) => !widgets.has(file)));
const shell = files(closure('index.html'));
const fill = manifest['src/fill/fill.ts'].file;

const report = {
  measured_on: new Date().toISOString(),
  budget: BUDGET,
  baseline: { what: "the app's shell (what index.html loads), same build", gzip_kb: kb(shell) },
  widgets: { what: '/widgets.js and the chunks it imports', files: [...widgets], gzip_kb: kb(widgets) },
  form_widget_adds: { what: 'loaded only when a <guichet-form> is on the page', files: [...form], gzip_kb: kb(form) },
  form_code_lazy: !widgets.has(fill),
};
report.widgets.ratio_to_shell = Number((report.widgets.gzip_kb / report.baseline.gzip_kb).toFixed(2));
report.form_widget_adds.ratio_to_shell = Number((report.form_widget_adds.gzip_kb / report.baseline.gzip_kb).toFixed(2));
report.pass = report.widgets.gzip_kb <= BUDGET.widgetsKb && report.form_widget_adds.gzip_kb <= BUDGET.formKb && report.form_code_lazy;
fs.mkdirSync(path.dirname(RESULTS), { recursive: true });
fs.writeFileSync(RESULTS, `${JSON.stringify(report, null, 2)}\n`);
console.log(
  `widgets: ${report.widgets.gzip_kb} KB gzip (×${report.widgets.ratio_to_shell} the app's shell, ${report.baseline.gzip_kb} KB; budget ${BUDGET.widgetsKb}); `
    + `a form adds ${report.form_widget_adds.gzip_kb} KB (budget ${BUDGET.formKb}), loaded ${report.form_code_lazy ? 'only for a form' : 'ALWAYS'}: ${report.pass ? 'pass' : 'FAIL'}`,
);
process.exitCode = report.pass ? 0 : 1;
