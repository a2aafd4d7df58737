/**
 * Answers as the filling screens handle them: reading and writing one value by its
 * path (a block's rows included), the checks the device can make before the server
 * does (a required answer missing), the server's errors placed on their fields, and
 * each answer written out for the "check your answers" page.
 */

import type { FormDefinition } from '../forms';
import { safeEvaluate, truthy } from '../forms/logic';
import { fieldsOf, pathKey, type Choice, type Field, type Path } from './fields';
import { ft } from './messages';
import type { Answers } from './store';

type PageDefinition = FormDefinition['pages'][number];

export function getAt(answers: Answers, path: Path): unknown {
  let current: unknown = answers;
  for (const part of path) {
    if (current === null || typeof current !== 'object') return undefined;
    current = (current as Record<string | number, unknown>)[part];
  }
  return current;
}

/** A copy of ``answers`` with the value at ``path`` replaced (removed when undefined). */
export function setAt(answers: Answers, path: Path, value: unknown): Answers {
  const [head, ...rest] = path;
  const copy: Record<string | number, unknown> = Array.isArray(answers) ? [...(answers as unknown[])] as never : { ...answers };
  if (rest.length === 0) {
    if (value === undefined) delete copy[head];
    else copy[head] = value;
    return copy as Answers;
  }
  const inner = copy[head];
  const base = inner !== null && typeof inner === 'object' ? (inner as Answers) : typeof rest[0] === 'number' ? ([] as never) : {};
  copy[head] = setAt(base, rest, value);
  return copy as Answers;
}

export function isEmpty(value: unknown): boolean {
  if (value === null || value === undefined) return true;
  if (typeof value === 'string') return value.trim() === '';
  if (Array.isArray(value)) return value.length === 0;
  if (typeof value === 'object') return Object.keys(value as object).length === 0;
  return false;
}

export interface FieldError {
  path: Path;
  message: string;
}

const DISPLAY = new Set(['title', 'subtitle', 'paragraph', 'computed']);

/** The answers this page needs and does not have (the device's own check; the server makes the full one). */
export function missing(page: PageDefinition, answers: Answers, visibleFields: readonly string[], data: Answers): FieldError[] {
  const errors: FieldError[] = [];
  for (const field of fieldsOf(page.fields)) {
    if (DISPLAY.has(field.type) || !visibleFields.includes(field.varname)) continue;
    const value = answers[field.varname];
    if (field.type === 'block') {
      const rows = Array.isArray(value) ? (value as Answers[]) : [];
      rows.forEach((row, index) => {
        for (const child of fieldsOf(field.fields)) {
          if (DISPLAY.has(child.type) || !child.required) continue;
          if (child.condition !== undefined && !truthy(safeEvaluate(child.condition, { ...data, row }))) continue;
          if (isEmpty(row[child.varname])) errors.push({ path: [field.varname, index, child.varname], message: ft.required(child.label ?? child.varname) });
        }
      });
      if (field.required && rows.length === 0) errors.push({ path: [field.varname], message: ft.required(field.label ?? field.varname) });
      continue;
    }
    if (field.required && isEmpty(value)) errors.push({ path: [field.varname], message: ft.required(field.label ?? field.varname) });
  }
  return errors;
}

/** The path of an answer from the server's JSON pointer ("/data/children/0/name"); [] for the page or form. */
export function pathOf(pointer: string | undefined): Path {
  const parts = (pointer ?? '').split('/').slice(2).map((p) => p.replace(/~1/g, '/').replace(/~0/g, '~'));
  return parts.map((p) => (/^\d+$/.test(p) ? Number(p) : p));
}

export interface InvalidParam {
  pointer?: string;
  reason?: string;
  page?: string;
}

export function serverErrors(params: readonly InvalidParam[]): FieldError[] {
  return params.map((p) => ({ path: pathOf(p.pointer), message: p.reason ?? '' }));
}

export function errorMap(errors: readonly FieldError[]): Map<string, string> {
  const map = new Map<string, string>();
  for (const error of errors) if (!map.has(pathKey(error.path))) map.set(pathKey(error.path), error.message);
  return map;
}

function choiceLabel(field: Field, value: unknown, choices: Record<string, Choice[]>, pointer: string): string {
  const options = (field.options as Choice[] | undefined) ?? choices[pointer] ?? [];
  return options.find((o) => o.value === value)?.label ?? String(value);
}

/** An answer written out for the person to check. */
export function display(field: Field, value: unknown, choices: Record<string, Choice[]>, pointer: string, locale: string): string {
  if (isEmpty(value)) return ft.notAnswered;
  switch (field.type) {
    case 'choice':
      return choiceLabel(field, value, choices, pointer);
    case 'multichoice':
      return (value as unknown[]).map((v) => choiceLabel(field, v, choices, pointer)).join(', ');
    case 'boolean':
      return value ? ft.yesAnswer : ft.noAnswer;
    case 'address': {
      const a = value as Record<string, unknown>;
      return [a.street, a.complement, [a.postcode, a.city].filter(Boolean).join(' ')].filter(Boolean).join(', ');
    }
    case 'file':
      return (Array.isArray(value) ? value : [value]).map((f) => String((f as { name?: unknown }).name ?? '')).join(', ');
    case 'geopoint': {
      const p = value as Record<string, unknown>;
      return `${String(p.lat)}, ${String(p.lon)}`;
    }
    case 'date': {
      const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(String(value));
      return day ? new Date(Date.UTC(+day[1], +day[2] - 1, +day[3])).toLocaleDateString(locale, { timeZone: 'UTC', dateStyle: 'long' }) : String(value);
    }
    case 'block': {
      const children = fieldsOf(field.fields);
      return (value as Answers[])
        .map((row, i) => children
          .map((c, j) => ({ c, j }))
          .filter(({ c }) => !['title', 'subtitle', 'paragraph'].includes(c.type) && !isEmpty(row[c.varname]))
          .map(({ c, j }) => `${c.label ?? c.varname} : ${display(c, row[c.varname], choices, `${pointer}/fields/${j}`, locale)}`)
          .join(' ; ') || `${i + 1}`)
        .join(' — ');
    }
    default:
      return typeof value === 'object' ? JSON.stringify(value) : String(value);
  }
}
