/**
 * One field of a form as the person fills it in: a label, whether it is optional,
 * the expected format said before any error (RGAA 11.10), the error tied to the
 * control with aria-describedby and aria-invalid, and the value in the shape the
 * server stores (api/forms/fields.py).
 */

import { html, nothing, type TemplateResult } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';

import { safeEvaluate, truthy } from '../forms/logic';
import './map';
import type { Bounds, MapSettings, Point } from './map';
import { ft } from './messages';

export type Path = (string | number)[];

export interface Choice {
  value: string;
  label: string;
}

/** What a field needs from the screen showing it. */
export interface FieldHost {
  value(path: Path): unknown;
  set(path: Path, value: unknown): void;
  error(path: Path): string | undefined;
  /** Data-source choices, by the field's pointer in the definition. */
  choices: Record<string, Choice[]>;
  locked: readonly string[];
  /** The map point fields show, if the municipality set one up. */
  map?: MapSettings | null;
  /** The form's visible data, which conditions inside a block see (with ``row``). */
  data: Record<string, unknown>;
  addRow(path: Path): void;
  removeRow(path: Path, index: number): void;
  locate(path: Path): void;
  /** Files on their way to the server, for a file field. */
  uploads(path: Path): Upload[];
  addFiles(path: Path, field: Field, files: File[]): void;
  removeFile(path: Path, index: number): void;
}

export interface Upload {
  name: string;
  sent: number;
  total: number;
  error?: string;
}

export interface StoredFile {
  id: string;
  name: string;
  content_type: string;
  size: number;
}

/** A field of the definition (schema/procedure-definition.schema.json), read loosely: each type has options of its own. */
export interface Field {
  type: string;
  varname: string;
  label?: string;
  hint?: string;
  required?: boolean;
  condition?: unknown;
  [option: string]: unknown;
}

/** The items of a page or block, as fields. */
export function fieldsOf(items: unknown): Field[] {
  return Array.isArray(items) ? (items as Field[]) : [];
}

/** The id of a field's control, from its path (also the error summary's link target). */
export function controlId(path: Path): string {
  return `f-${path.join('-')}`;
}

export function pathKey(path: Path): string {
  return path.join('.');
}

const TEXT_TYPES: Record<string, { type: string; autocomplete?: string; inputmode?: string }> = {
  text: { type: 'text' },
  email: { type: 'email', autocomplete: 'email', inputmode: 'email' },
  phone: { type: 'tel', autocomplete: 'tel', inputmode: 'tel' },
  number: { type: 'text', inputmode: 'decimal' },
  date: { type: 'text', inputmode: 'numeric' },
  time: { type: 'time' },
  postcode: { type: 'text', autocomplete: 'postal-code', inputmode: 'numeric' },
  siret: { type: 'text', inputmode: 'numeric' },
  siren: { type: 'text', inputmode: 'numeric' },
  iban: { type: 'text' },
  nir: { type: 'text', inputmode: 'numeric' },
};

/** What the person types, in the shape the server stores: numbers as numbers when they read as one. */
export function parseTyped(type: string, raw: string): unknown {
  if (raw.trim() === '') return undefined;
  if (type === 'date') {
    // Typed as the hint says (dd/mm/yyyy), stored as the server does (yyyy-mm-dd).
    const day = /^\s*(\d{1,2})\s*[/.-]\s*(\d{1,2})\s*[/.-]\s*(\d{4})\s*$/.exec(raw);
    return day ? `${day[3]}-${day[2].padStart(2, '0')}-${day[1].padStart(2, '0')}` : raw;
  }
  if (type === 'number') {
    const number = Number(raw.trim().replace(',', '.'));
    return Number.isFinite(number) ? number : raw;
  }
  return raw;
}

function described(id: string, hint: boolean, error: string | undefined): string | typeof nothing {
  const ids = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return ids || nothing;
}

function labelText(field: Field): TemplateResult {
  return html`${field.label ?? field.varname}${field.required ? nothing : html` <span class="optional">${ft.optional}</span>`}`;
}

function hintText(field: Field): string {
  const parts = [typeof field.hint === 'string' ? field.hint : '', ft.formatHint(field.type, field)];
  return parts.filter(Boolean).join(' ');
}

function errorText(id: string, error: string | undefined) {
  return error
    ? html`<p class="error-message" id="${id}-error"><span class="visually-hidden">${ft.errorPrefix}</span> ${error}</p>`
    : nothing;
}

function stringOf(value: unknown): string {
  return value === undefined || value === null ? '' : String(value);
}

/** A stored answer as the person typed it (a date shown as dd/mm/yyyy). */
export function shownAs(type: string, value: unknown): string {
  const text = stringOf(value);
  const day = type === 'date' ? /^(\d{4})-(\d{2})-(\d{2})$/.exec(text) : null;
  return day ? `${day[3]}/${day[2]}/${day[1]}` : text;
}

function textInput(field: Field, path: Path, host: FieldHost, locked: boolean) {
  const id = controlId(path);
  const error = host.error(path);
  const hint = hintText(field);
  const kind = TEXT_TYPES[field.type] ?? { type: 'text' };
  const onInput = (event: Event) => host.set(path, parseTyped(field.type, (event.target as HTMLInputElement).value));
  const control =
    field.type === 'textarea'
      ? html`<textarea id=${id} name=${id} rows="5" maxlength=${(field.max_length as number | undefined) ?? nothing}
          aria-describedby=${described(id, !!hint, error)} aria-invalid=${error ? 'true' : 'false'}
          ?required=${field.required} .value=${stringOf(host.value(path))} @input=${onInput}></textarea>`
      : html`<input id=${id} name=${id} type=${kind.type} autocomplete=${kind.autocomplete ?? 'off'}
          inputmode=${kind.inputmode ?? nothing} ?readonly=${locked}
          aria-describedby=${described(id, !!hint, error)} aria-invalid=${error ? 'true' : 'false'}
          ?required=${field.required} .value=${shownAs(field.type, host.value(path))} @input=${onInput} @change=${onInput} />`;
  return html`<div class="field ${error ? 'has-error' : ''}">
    <label for=${id}>${labelText(field)}</label>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}
    ${errorText(id, error)} ${control}
  </div>`;
}

function group(field: Field, path: Path, host: FieldHost, body: TemplateResult, extraHint = '') {
  const id = controlId(path);
  const error = host.error(path);
  const hint = [hintText(field), extraHint].filter(Boolean).join(' ');
  return html`<fieldset class="field ${error ? 'has-error' : ''}" id=${id} tabindex="-1"
      aria-describedby=${described(id, !!hint, error)} aria-invalid=${error ? 'true' : nothing}>
    <legend>${labelText(field)}</legend>
    ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}
    ${errorText(id, error)} ${body}
  </fieldset>`;
}

function options(field: Field, pointer: string, host: FieldHost): Choice[] {
  return (field.options as Choice[] | undefined) ?? host.choices[pointer] ?? [];
}

function choice(field: Field, path: Path, pointer: string, host: FieldHost) {
  const current = host.value(path);
  const id = controlId(path);
  const items = options(field, pointer, host);
  if (field.widget === 'select' || field.widget === 'autocomplete') {
    const error = host.error(path);
    const hint = hintText(field);
    return html`<div class="field ${error ? 'has-error' : ''}">
      <label for=${id}>${labelText(field)}</label>
      ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}
      ${errorText(id, error)}
      <select id=${id} aria-describedby=${described(id, !!hint, error)} aria-invalid=${error ? 'true' : 'false'}
          @change=${(e: Event) => host.set(path, (e.target as HTMLSelectElement).value || undefined)}>
        <option value="" ?selected=${current === undefined}>${ft.choose}</option>
        ${items.map((o) => html`<option value=${o.value} ?selected=${current === o.value}>${o.label}</option>`)}
      </select>
    </div>`;
  }
  return group(field, path, host, html`<div class="choices">
    ${items.map((o, i) => html`<div class="choice">
      <input type="radio" id="${id}-${i}" name=${id} value=${o.value} .checked=${current === o.value}
        @change=${() => host.set(path, o.value)} />
      <label for="${id}-${i}">${o.label}</label>
    </div>`)}
  </div>`);
}

function multichoice(field: Field, path: Path, pointer: string, host: FieldHost) {
  const current = Array.isArray(host.value(path)) ? (host.value(path) as string[]) : [];
  const id = controlId(path);
  const toggle = (value: string, on: boolean) => {
    const next = on ? [...current.filter((v) => v !== value), value] : current.filter((v) => v !== value);
    host.set(path, next.length ? next : undefined);
  };
  return group(field, path, host, html`<div class="choices">
    ${options(field, pointer, host).map((o, i) => html`<div class="choice">
      <input type="checkbox" id="${id}-${i}" value=${o.value} .checked=${current.includes(o.value)}
        @change=${(e: Event) => toggle(o.value, (e.target as HTMLInputElement).checked)} />
      <label for="${id}-${i}">${o.label}</label>
    </div>`)}
  </div>`, ft.severalChoices);
}

function boolean(field: Field, path: Path, host: FieldHost) {
  const current = host.value(path);
  const id = controlId(path);
  const item = (value: boolean, label: string) => html`<div class="choice">
    <input type="radio" id="${id}-${value}" name=${id} .checked=${current === value} @change=${() => host.set(path, value)} />
    <label for="${id}-${value}">${label}</label>
  </div>`;
  return group(field, path, host, html`<div class="choices inline">${item(true, ft.yes)}${item(false, ft.no)}</div>`);
}

function parts(field: Field, path: Path, host: FieldHost, names: [string, string, string?][]) {
  const current = (host.value(path) as Record<string, unknown> | undefined) ?? {};
  const id = controlId(path);
  const change = (name: string, raw: string, numeric: boolean) => {
    const next: Record<string, unknown> = { ...current };
    const value = numeric ? parseTyped('number', raw) : raw.trim() === '' ? undefined : raw;
    if (value === undefined) delete next[name];
    else next[name] = value;
    host.set(path, Object.keys(next).length ? next : undefined);
  };
  return html`${names.map(([name, label, autocomplete]) => html`<div class="part">
    <label for="${id}-${name}">${label}</label>
    <input id="${id}-${name}" type="text" autocomplete=${autocomplete ?? 'off'}
      inputmode=${field.type === 'geopoint' ? 'decimal' : nothing}
      .value=${stringOf(current[name])} @input=${(e: Event) => change(name, (e.target as HTMLInputElement).value, field.type === 'geopoint')} />
  </div>`)}`;
}

function address(field: Field, path: Path, host: FieldHost) {
  return group(field, path, host, parts(field, path, host, [
    ['street', ft.street, 'address-line1'],
    ['complement', ft.complement, 'address-line2'],
    ['postcode', ft.postcode, 'postal-code'],
    ['city', ft.city, 'address-level2'],
  ]));
}

function geopoint(field: Field, path: Path, host: FieldHost) {
  const here = () => host.locate(path);
  const map = host.map
    ? html`<guichet-map .settings=${host.map} .point=${host.value(path)} .bounds=${field.bounds as Bounds | undefined} label=${field.label ?? field.varname}
        @pick=${(e: CustomEvent<Point>) => host.set(path, e.detail)}></guichet-map>`
    : nothing;
  return group(field, path, host, html`${parts(field, path, host, [['lat', ft.latitude], ['lon', ft.longitude]])}
    ${'geolocation' in navigator ? html`<button type="button" class="secondary" @click=${here}>${ft.useMyPosition}</button>` : nothing}
    ${map}`,
  ft.pointHint);
}

function computed(field: Field, path: Path, host: FieldHost) {
  const id = controlId(path);
  const value = host.value(path);
  return html`<div class="field computed">
    <span class="label" id="${id}-label">${field.label ?? field.varname}</span>
    <output id=${id} aria-labelledby="${id}-label">${value === undefined || value === null ? '—' : String(value)}</output>
  </div>`;
}

function block(field: Field, path: Path, pointer: string, host: FieldHost) {
  const rows = Array.isArray(host.value(path)) ? (host.value(path) as Record<string, unknown>[]) : [];
  const children = fieldsOf(field.fields);
  const max = (field.max_rows as number | undefined) ?? 10;
  const label = (n: number) => `${(field.row_label as string | undefined) || ft.row} ${n}`;
  return group(field, path, host, html`
    ${rows.map((row, index) => html`<fieldset class="row">
      <legend>${label(index + 1)}</legend>
      ${children.map((child, i) => {
        const scope = { ...host.data, row };
        if (child.condition !== undefined && !truthy(safeEvaluate(child.condition, scope))) return nothing;
        return renderField(child, [...path, index, child.varname], `${pointer}/fields/${i}`, host);
      })}
      <button type="button" class="secondary" @click=${() => host.removeRow(path, index)}>${ft.removeRow(label(index + 1))}</button>
    </fieldset>`)}
    ${rows.length < max
      ? html`<button type="button" class="secondary" @click=${() => host.addRow(path)}>${ft.addRow(label(rows.length + 1))}</button>`
      : nothing}`, ft.rowsHint(field.min_rows as number | undefined, max));
}

export function sizeText(bytes: number): string {
  return bytes >= 1048576 ? `${(bytes / 1048576).toFixed(1)} ${ft.megabytes}` : `${Math.max(1, Math.round(bytes / 1024))} ${ft.kilobytes}`;
}

function file(field: Field, path: Path, host: FieldHost) {
  const id = controlId(path);
  const value = host.value(path);
  const stored = (Array.isArray(value) ? value : value ? [value] : []) as StoredFile[];
  const max = (field.max_files as number | undefined) ?? 1;
  const accept = (field.accept as string[] | undefined) ?? [];
  const limit = field.max_size as number | undefined;
  const hint = [accept.length ? ft.accepted(accept.map((type) => type.replace(/^[a-z]+\//, '').toUpperCase()).join(', ')) : '',
    limit ? ft.atMost(sizeText(limit)) : '', max > 1 ? ft.upTo(max) : ''].filter(Boolean).join(' ');
  const pending = host.uploads(path);
  const choose = (event: Event) => {
    const input = event.target as HTMLInputElement;
    host.addFiles(path, field, [...(input.files ?? [])]);
    input.value = '';
  };
  return group(field, path, host, html`
    ${stored.length ? html`<ul class="files">${stored.map((f, i) => html`<li>
      <span>${f.name} (${sizeText(f.size)})</span>
      <button type="button" class="link" aria-label=${ft.removeFile(f.name)} @click=${() => host.removeFile(path, i)}>${ft.remove}</button>
    </li>`)}</ul>` : nothing}
    ${pending.map((u, i) => html`<div class="upload">
      <label for="${id}-progress-${i}">${u.name}</label>
      <progress id="${id}-progress-${i}" max=${u.total || 1} .value=${u.sent}></progress>
      <span class="percent">${u.error ? '' : `${Math.floor((100 * u.sent) / (u.total || 1))} %`}</span>
      ${u.error ? html`<p class="error-message">${u.error}</p>` : nothing}
    </div>`)}
    ${stored.length < max ? html`<div class="part">
      <label for="${id}-input">${stored.length ? ft.addFile : ft.chooseFile}</label>
      <input type="file" id="${id}-input" accept=${accept.join(',') || nothing} ?multiple=${max - stored.length > 1} @change=${choose} />
    </div>` : nothing}`, hint);
}

/** One item of a page: a field, or a title or paragraph. */
export function renderField(field: Field, path: Path, pointer: string, host: FieldHost): TemplateResult | typeof nothing {
  switch (field.type) {
    case 'title':
      return html`<h2>${field.label ?? ''}</h2>`;
    case 'subtitle':
      return html`<h3>${field.label ?? ''}</h3>`;
    case 'paragraph':
      // The server sanitised it when the definition was saved (api/forms/definition.py).
      return html`<div class="paragraph">${unsafeHTML(String(field.html ?? ''))}</div>`;
    case 'choice':
      return choice(field, path, pointer, host);
    case 'multichoice':
      return multichoice(field, path, pointer, host);
    case 'boolean':
      return boolean(field, path, host);
    case 'address':
      return address(field, path, host);
    case 'geopoint':
      return geopoint(field, path, host);
    case 'computed':
      return computed(field, path, host);
    case 'block':
      return block(field, path, pointer, host);
    case 'file':
      return file(field, path, host);
    default:
      return textInput(field, path, host, path.length === 1 && host.locked.includes(field.varname));
  }
}
