/**
 * The inputs of an action's form (a workflow's agent form, in the procedure-definition
 * format) and of its comment and message, shared by one request's actions and bulk
 * actions. Only the types agents' forms use here are drawn as inputs; the API checks
 * every value again.
 */

import { html, nothing } from 'lit';

import { language } from '../i18n';
import type { Move } from './data';
import { bo } from './strings';

export type FormField = Record<string, unknown> & { varname?: string; label?: unknown; type?: string; required?: boolean; options?: unknown };

const text = (label: unknown) =>
  typeof label === 'object' && label ? String((label as Record<string, unknown>)[language] ?? Object.values(label)[0] ?? '') : String(label ?? '');

export function fieldInput(field: FormField, prefix: string) {
  if (!field.varname) return nothing;
  const id = `${prefix}-field-${field.varname}`;
  const label = `${text(field.label) || field.varname}${field.required ? ' *' : ''}`;
  if (field.type === 'boolean') {
    return html`<div class="field choice"><input type="checkbox" id=${id} name=${field.varname} /><label for=${id}>${label}</label></div>`;
  }
  if (field.type === 'choice' || field.type === 'select') {
    const options = (Array.isArray(field.options) ? field.options : []) as { value?: string; label?: unknown }[];
    return html`<div class="field"><label for=${id}>${label}</label>
      <select id=${id} name=${field.varname} ?required=${Boolean(field.required)}><option value=""></option>
        ${options.map((option) => html`<option value=${option.value ?? ''}>${text(option.label)}</option>`)}</select></div>`;
  }
  const type = ({ date: 'date', email: 'email', number: 'number', phone: 'tel', time: 'time' } as Record<string, string>)[field.type ?? ''] ?? 'text';
  return html`<div class="field"><label for=${id}>${label}</label>
    ${field.type === 'textarea' ? html`<textarea id=${id} name=${field.varname} rows="3" ?required=${Boolean(field.required)}></textarea>`
      : html`<input id=${id} name=${field.varname} type=${type} ?required=${Boolean(field.required)} />`}</div>`;
}

/** The comment and message areas an action takes, as it says (none, optional, required). */
export function moveTexts(move: Move, prefix: string) {
  const area = (name: 'comment' | 'message', input: string, label: string, hint: string) => input === 'none' ? nothing : html`
    <div class="field"><label for=${`${prefix}-${name}`}>${label}${input === 'optional' ? '' : ' *'}</label>
      <p class="hint" id=${`${prefix}-${name}-hint`}>${hint}</p>
      <textarea id=${`${prefix}-${name}`} name=${name} rows="3" ?required=${input === 'required'} aria-describedby=${`${prefix}-${name}-hint`}></textarea></div>`;
  return html`${area('comment', move.comment, bo.comment, bo.commentHint)}${area('message', move.message, bo.message, bo.messageHint)}`;
}

/** The form's values, by field name, as the API takes them. */
export function formValues(move: Move, data: FormData | undefined): Record<string, unknown> {
  const values: Record<string, unknown> = {};
  for (const field of move.form as FormField[]) {
    if (!field.varname) continue;
    const raw = data?.get(field.varname);
    if (field.type === 'boolean') values[field.varname] = raw === 'on';
    else if (raw !== null && raw !== undefined && raw !== '') values[field.varname] = String(raw);
  }
  return values;
}

export const takesInput = (move: Move) => move.comment !== 'none' || move.message !== 'none' || move.form.length > 0;
