/**
 * Which pages and fields of a form are shown, with the server's semantics
 * (api/forms/validation.py): pages and fields in document order; a falsy
 * condition hides a page or field and removes its value from the data later
 * conditions see; computed fields take their value when reached.
 */

import type { GuichetProcedureDefinition } from './definition';
import { safeEvaluate, toJson, truthy } from './logic';

// Generated from schema/procedure-definition.schema.json (npm run types).
export type { Field as FieldDefinition, Page as PageDefinition } from './definition';
export type FormDefinition = GuichetProcedureDefinition;

const DISPLAY = new Set(['title', 'subtitle', 'paragraph']);

export interface Visibility {
  pages: string[];
  fields: string[];
  data: Record<string, unknown>;
}

function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

export function visibility(definition: FormDefinition, answers: Record<string, unknown>): Visibility {
  const data: Record<string, unknown> = {};
  for (const page of definition.pages) {
    for (const field of page.fields) {
      if (!DISPLAY.has(field.type) && field.type !== 'computed' && !isEmpty(answers[field.varname])) {
        data[field.varname] = answers[field.varname];
      }
    }
  }
  const pages: string[] = [];
  const fields: string[] = [];
  for (const page of definition.pages) {
    const pageShown = page.condition === undefined || truthy(safeEvaluate(page.condition, data));
    if (pageShown) pages.push(page.id);
    for (const field of page.fields) {
      if (DISPLAY.has(field.type)) continue;
      const shown = pageShown && (field.condition === undefined || truthy(safeEvaluate(field.condition, data)));
      if (!shown) {
        delete data[field.varname];
        continue;
      }
      fields.push(field.varname);
      // Stored as JSON, as the server stores it (NaN and the infinities become null).
      if (field.type === 'computed') data[field.varname] = toJson(safeEvaluate(field.expression, data));
    }
  }
  const visible = Object.fromEntries(Object.entries(data).filter(([name]) => fields.includes(name)));
  return { pages, fields, data: visible };
}
