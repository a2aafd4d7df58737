import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { evaluate, truthy } from '../src/forms/logic';
import { visibility, type FormDefinition } from '../src/forms/visibility';

const conformance = new URL('../../tests/conformance/', import.meta.url);
const suite = JSON.parse(readFileSync(new URL('jsonlogic-tests.json', conformance), 'utf8')) as unknown[];
const vectors = suite.filter((item): item is [unknown, unknown, unknown] => typeof item !== 'string');

describe('JSON Logic in the browser', () => {
  it('has the 275 vectors of the public suite', () => {
    expect(vectors).toHaveLength(275);
  });

  it.each(vectors.map((v, i) => [i, ...v] as const))('passes vector %i', (_i, logic, data, expected) => {
    expect(evaluate(logic, data)).toStrictEqual(expected);
  });

  it('uses JSON Logic truthiness', () => {
    expect([truthy([]), truthy([0]), truthy('0'), truthy(0)]).toEqual([false, true, true, false]);
  });
});

interface VisibilityCase {
  name: string;
  definition: FormDefinition;
  answers: Record<string, unknown>;
  pages: string[];
  fields: string[];
  data: Record<string, unknown>;
}

const cases = JSON.parse(readFileSync(new URL('visibility.json', conformance), 'utf8')) as VisibilityCase[];

describe('visibility, with the server semantics', () => {
  it.each(cases.map((c) => [c.name, c] as const))('%s', (_name, c) => {
    const result = visibility(c.definition, c.answers);
    expect(result.pages).toEqual(c.pages);
    expect(result.fields).toEqual(c.fields);
    expect(result.data).toEqual(c.data);
  });
});
