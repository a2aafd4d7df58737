// The browser's JSON Logic (json-logic-js 2.0.5, from the app's own dependencies) as
// an oracle for the server's evaluator: reads one [rule, data] JSON per line on stdin
// and writes one tagged result per line, so that undefined, NaN, the infinities, -0
// and thrown errors can be told apart from null on the Python side.
import { createRequire } from 'node:module';
import { createInterface } from 'node:readline';

const require = createRequire(new URL('../../pwa/package.json', import.meta.url));
const jsonLogic = require('json-logic-js');

function encode(value) {
  if (value === undefined) return { $u: 1 };
  if (typeof value === 'number') {
    if (Number.isNaN(value)) return { $n: 'NaN' };
    if (value === Infinity) return { $n: 'Infinity' };
    if (value === -Infinity) return { $n: '-Infinity' };
    if (Object.is(value, -0)) return { $n: '-0' };
    return value;
  }
  if (Array.isArray(value)) return value.map(encode);
  if (typeof value === 'function') return { $f: 1 };
  if (value !== null && typeof value === 'object') {
    const object = {};
    for (const key of Object.keys(value)) object[key] = encode(value[key]);
    return { $o: object };
  }
  return value;
}

function evaluate([rule, data]) {
  try {
    return { v: encode(jsonLogic.apply(rule, data)) };
  } catch {
    return { error: 1 };
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  process.stdout.write(JSON.stringify(evaluate(JSON.parse(line))) + '\n');
}
