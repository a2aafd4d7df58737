/**
 * <guichet-correction>: answering a request for more information. When an agent asks
 * for some fields again (``requested_fields``), the person sees those fields, filled
 * with what they had answered, and sends new values (POST .../corrections/, with an
 * Idempotency-Key so that a repeated press changes nothing twice). The server checks
 * the whole request again; its errors come back in the same error summary as when
 * filling in. A file field cannot be changed after sending: the person is told to
 * attach the file to a message instead.
 */

import { LitElement, html, nothing, type TemplateResult } from 'lit';

import { ProblemError, type GuichetClient, type Submission } from '../api/client';
import { at } from '../account/messages';
import { errorMap, getAt, serverErrors, setAt, type FieldError, type InvalidParam } from '../fill/answers';
import { controlId, fieldsOf, pathKey, renderField, type Field, type FieldHost, type Path } from '../fill/fields';
import { ft } from '../fill/messages';
import { t } from '../i18n';
import type { Answers } from '../fill/store';
import { fillStyles } from '../fill/styles';

interface Asked {
  field: Field;
  pointer: string;
}

export class GuichetCorrection extends LitElement {
  static properties = {
    request: { attribute: false },
    client: { attribute: false },
    asked: { state: true },
    answers: { state: true },
    errors: { state: true },
    busy: { state: true },
  };

  declare request: Submission;
  declare client: GuichetClient;
  declare asked: Asked[] | undefined;
  declare answers: Answers;
  declare errors: FieldError[];
  declare busy: boolean;
  private key = crypto.randomUUID();

  constructor() {
    super();
    this.answers = {};
    this.errors = [];
    this.busy = false;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  /** The requested fields, found in the version of the form the request was sent with. */
  private async load(): Promise<void> {
    const requested = new Set((this.request.requested_fields as string[] | undefined) ?? []);
    try {
      const response = await this.client.call('GET', `/api/submissions/${encodeURIComponent(this.request.id)}/form/`);
      const { definition } = (await response.json()) as { definition: { pages: { fields: unknown }[] } };
      this.asked = definition.pages.flatMap((page, p) =>
        fieldsOf(page.fields).map((field, i) => ({ field, pointer: `/pages/${p}/fields/${i}` }))).filter((a) => requested.has(a.field.varname));
    } catch (error) {
      this.asked = [];
      this.errors = [{ path: [], message: error instanceof ProblemError ? error.message : at.unavailable }];
    }
    const data = (this.request.data ?? {}) as Answers;
    this.answers = Object.fromEntries([...requested].filter((name) => data[name] !== undefined).map((name) => [name, data[name]]));
  }

  private host(): FieldHost {
    const errors = errorMap(this.errors);
    const rows = (path: Path) => (getAt(this.answers, path) as unknown[] | undefined) ?? [];
    return {
      value: (path) => getAt(this.answers, path),
      set: (path, value) => (this.answers = setAt(this.answers, path, value)),
      error: (path) => errors.get(pathKey(path)),
      choices: {},
      locked: [],
      data: { ...((this.request.data ?? {}) as Answers), ...this.answers },
      addRow: (path) => (this.answers = setAt(this.answers, path, [...rows(path), {}])),
      removeRow: (path, index) => (this.answers = setAt(this.answers, path, rows(path).filter((_row, i) => i !== index))),
      locate: () => undefined,
      uploads: () => [],
      addFiles: () => undefined,
      removeFile: () => undefined,
    };
  }

  private async send(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.asked) return;
    const names = this.asked.filter((a) => a.field.type !== 'file').map((a) => a.field.varname);
    const data = Object.fromEntries(names.map((name) => [name, this.answers[name] ?? null]));
    this.busy = true;
    try {
      const response = await this.client.call('POST', `/api/submissions/${encodeURIComponent(this.request.id)}/corrections/`, { data }, { 'Idempotency-Key': this.key });
      this.errors = [];
      this.key = crypto.randomUUID();
      this.dispatchEvent(new CustomEvent<Submission>('corrected', { detail: (await response.json()) as Submission, bubbles: true, composed: true }));
    } catch (error) {
      const problem = error instanceof ProblemError ? error.problem : undefined;
      // The server names each wrong answer by its JSON pointer in the body (/data/<name>/...).
      const invalid = (problem as { invalid_params?: InvalidParam[] } | undefined)?.invalid_params ?? [];
      this.errors = invalid.length
        ? serverErrors(invalid)
        : [{ path: [], message: error instanceof ProblemError ? error.message : navigator.onLine ? at.unavailable : at.offline }];
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.error-summary')?.focus();
    } finally {
      this.busy = false;
    }
  }

  private summary(): TemplateResult | typeof nothing {
    if (!this.errors.length) return nothing;
    const focus = (path: Path) => this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(controlId(path))}, [id^="${CSS.escape(controlId(path))}-"]`)?.focus();
    return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="correction-summary">
      <h3 id="correction-summary">${ft.summaryTitle}</h3>
      <ul>${this.errors.map((e) => e.path.length
        ? html`<li><a href="#${controlId(e.path)}" @click=${(ev: Event) => { ev.preventDefault(); focus(e.path); }}>${e.message}</a></li>`
        : html`<li>${e.message}</li>`)}</ul>
    </div>`;
  }

  render() {
    if (!this.asked) return html`<p role="status">${t.loading}</p>`;
    const host = this.host();
    return html`<section class="correction" aria-labelledby="correction-title">
      <h2 id="correction-title">${at.correctionTitle}</h2>
      <p class="hint">${at.correctionHint}</p>
      ${this.summary()}
      <form novalidate @submit=${(e: Event) => void this.send(e)}>
        ${this.asked.map(({ field, pointer }) => field.type === 'file'
          ? html`<p class="hint">${at.correctionFile(field.label ?? field.varname)}</p>`
          : renderField(field, [field.varname], pointer, host))}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${at.sendCorrection}</button></div>
      </form>
    </section>`;
  }

  static styles = [fillStyles];
}

if (!customElements.get('guichet-correction')) customElements.define('guichet-correction', GuichetCorrection);
