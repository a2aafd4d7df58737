/**
 * The inbox's filter on one answer (the API's `where`, name:operator:value), offered
 * once a procedure is chosen: its form's fields, an operator, a value (with the
 * field's options to pick from, for a choice).
 */

import { html, nothing } from 'lit';

import { fieldsOf as formFields } from '../fill/fields';
import type { FormDefinition } from '../forms';
import { OPERATORS, client } from './data';
import { bo } from './strings';

export interface FieldChoice {
  name: string;
  label: string;
  options: { value: string; label: string }[];
}

const DISPLAY = new Set(['title', 'subtitle', 'paragraph', 'block', 'file', 'geopoint', 'address', 'computed']);
const known = new Map<string, Promise<FieldChoice[]>>();

/** The fields of a procedure's current form an answer filter can name (kept for the session). */
export function answerFields(slug: string): Promise<FieldChoice[]> {
  if (!known.has(slug)) {
    known.set(slug, client.form(slug).then((form) => formFields((form.definition as FormDefinition).pages.flatMap((p) => p.fields))
      .filter((field) => !DISPLAY.has(field.type))
      .map((field) => ({
        name: field.varname,
        label: field.label ?? field.varname,
        options: ((field.options as { value: unknown; label?: string }[] | undefined) ?? []).map((o) => ({ value: String(o.value), label: o.label ?? String(o.value) })),
      }))).catch((error: unknown) => {
      known.delete(slug);
      throw error;
    }));
  }
  return known.get(slug) as Promise<FieldChoice[]>;
}

/** The controls, inside the inbox's filter form. */
export function whereControls(fields: FieldChoice[], where: string) {
  if (!fields.length) return nothing;
  const [name = '', op = 'eq', ...rest] = where.split(':');
  const value = rest.join(':');
  const field = fields.find((f) => f.name === name);
  return html`<div><label for="where-field">${bo.whereField}</label><select id="where-field" name="where_field">
      <option value="">${bo.whereNone}</option>
      ${fields.map((f) => html`<option value=${f.name} ?selected=${f.name === name}>${f.label}</option>`)}
    </select></div>
    <div><label for="where-op">${bo.whereOp}</label><select id="where-op" name="where_op">
      ${OPERATORS.map((o) => html`<option value=${o} ?selected=${o === op}>${bo.operators[o]}</option>`)}
    </select></div>
    <div><label for="where-value">${bo.whereValue}</label><input id="where-value" name="where_value" .value=${value} list="where-options" maxlength="200" />
      <datalist id="where-options">${(field?.options ?? fields.flatMap((f) => f.options)).map((o) => html`<option value=${o.value}>${o.label}</option>`)}</datalist></div>`;
}

/** The `where` of the filter form's answer controls ('' when no field is chosen). */
export function whereFrom(data: FormData): string {
  const name = String(data.get('where_field') ?? '');
  const op = String(data.get('where_op') ?? 'eq');
  if (!name) return '';
  return `${name}:${op}:${op === 'empty' ? 'true' : String(data.get('where_value') ?? '').trim()}`;
}
