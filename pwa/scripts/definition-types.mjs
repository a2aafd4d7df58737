// Generates src/forms/definition.d.ts, the TypeScript types of a procedure's form,
// from schema/procedure-definition.schema.json (the schema the server validates
// with), so the app's types cannot drift from it. The schema picks a field's
// options with if/then on its type, which type generators ignore: here each field
// type becomes one member of a union discriminated by `type`.
import { readFileSync, writeFileSync } from 'node:fs';
import { compile } from 'json-schema-to-typescript';

const source = new URL('../../schema/procedure-definition.schema.json', import.meta.url);
const target = new URL('../src/forms/definition.d.ts', import.meta.url);
const schema = JSON.parse(readFileSync(source, 'utf8'));
const defs = schema.$defs;
const field = defs.field;
const { type: typeProperty, ...common } = field.properties;

defs.field_common = { type: 'object', properties: common, required: field.required.filter((n) => n !== 'type') };
defs.field = {
  oneOf: typeProperty.enum.map((name) => ({
    title: `${name}Field`,
    allOf: [
      { $ref: '#/$defs/field_common' },
      { type: 'object', properties: { type: { const: name } }, required: ['type'] },
      ...(defs[`field_${name}`] ? [{ $ref: `#/$defs/field_${name}` }] : []),
    ],
  })),
};
for (const def of Object.values(defs)) delete def.unevaluatedProperties;

const types = await compile(schema, 'ProcedureDefinition', {
  additionalProperties: false,
  bannerComment:
    '/* Generated from schema/procedure-definition.schema.json by scripts/definition-types.mjs: do not edit. */',
  maxItems: -1,
  unreachableDefinitions: false,
  style: { singleQuote: true, printWidth: 120 },
});
writeFileSync(target, types);
