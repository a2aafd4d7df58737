/**
 * <guichet-agent-desk>: a request entered for a citizen at the desk or on the phone
 * (/agents/saisie/?demarche=<slug>). The agent picks one of their procedures; its
 * form is shown whole, one section per page, with the same fields, conditions and
 * computed values as the citizen's screens. Saving sends it at once to
 * /api/agent/procedures/<slug>/requests/ with the citizen's address (which links it
 * to their account when they have one) and the channel. The server's refusals are
 * listed at the top and beside each answer; a retry after a lost answer reuses the
 * same Idempotency-Key, so the request is never entered twice.
 */

import { LitElement, css, html, nothing } from 'lit';

import { ProblemError, type Form } from '../api/client';
import { go } from '../app/router';
import { errorMap, getAt, serverErrors, setAt, type FieldError, type InvalidParam } from '../fill/answers';
import { controlId, fieldsOf, pathKey, renderField, type Choice, type FieldHost, type Path } from '../fill/fields';
import { visibility, type FormDefinition, type Visibility } from '../forms';
import { safeEvaluate, truthy } from '../forms/logic';
import { agentAccess, client, procedures, receiverRoles, type AgentRefusal, type AgentRequest, type ReceivedProcedure } from './data';
import { gate, refusal } from './gate';
import { bo } from './strings';
import { agentStyles } from './styles';

type Answers = Record<string, unknown>;
const CHANNELS = ['desk', 'phone', 'mail', 'email'] as const;
const TEXTUAL = new Set(['title', 'subtitle', 'paragraph']);

export class GuichetAgentDesk extends LitElement {
  static properties = {
    params: { attribute: false },
    state: { state: true },
    kinds: { state: true },
    form: { state: true },
    answers: { state: true },
    errors: { state: true },
    busy: { state: true },
    entered: { state: true },
  };

  declare params: Record<string, string>;
  declare state: AgentRefusal | 'loading' | 'ready' | 'error';
  declare kinds: ReceivedProcedure[];
  declare form: Form | undefined;
  declare answers: Answers;
  declare errors: FieldError[];
  declare busy: boolean;
  /** The request just entered, shown with its reference and tracking code. */
  declare entered: AgentRequest | undefined;
  readonly ready: Promise<void>;
  private slug = '';
  private email = '';
  private channel: (typeof CHANNELS)[number] = 'desk';
  /** Kept until the server has answered, so that a retry cannot enter the request twice. */
  private key = crypto.randomUUID();
  private readonly onLocation = () => void this.load();

  constructor() {
    super();
    this.params = {};
    this.state = 'loading';
    this.kinds = [];
    this.answers = {};
    this.errors = [];
    this.busy = false;
    this.ready = new Promise((resolve) => setTimeout(() => void this.start().finally(resolve)));
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('guichet-location', this.onLocation);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('guichet-location', this.onLocation);
  }

  private async start(): Promise<void> {
    try {
      const access = await agentAccess();
      if (typeof access === 'string') {
        this.state = access;
        return;
      }
      this.kinds = await procedures();
      await this.load();
      this.state = 'ready';
    } catch (error) {
      this.failed(error);
    }
  }

  private failed(error: unknown): void {
    this.state = refusal(error);
  }

  /** The procedure in the address: its form, fresh answers (its defaults). */
  private async load(): Promise<void> {
    const slug = new URLSearchParams(location.search).get('demarche') ?? '';
    if (slug === this.slug && (this.form || !slug)) return;
    this.slug = slug;
    this.form = undefined;
    this.entered = undefined;
    this.errors = [];
    if (!slug || !this.kinds.some((p) => p.slug === slug)) return;
    this.form = await client.form(slug);
    this.fresh();
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('h2')?.focus();
  }

  private fresh(): void {
    const answers: Answers = {};
    for (const page of this.definition?.pages ?? []) {
      for (const field of fieldsOf(page.fields)) if (field.default !== undefined) answers[field.varname] = field.default;
    }
    this.answers = answers;
    this.email = '';
    this.channel = 'desk';
    this.key = crypto.randomUUID();
  }

  private get definition(): FormDefinition | undefined {
    return this.form?.definition as FormDefinition | undefined;
  }

  private choose(event: Event): void {
    event.preventDefault();
    const slug = String(new FormData(event.currentTarget as HTMLFormElement).get('demarche') ?? '');
    go(`/agents/saisie/${slug ? `?demarche=${encodeURIComponent(slug)}` : ''}`);
  }

  private host(visible: Visibility): FieldHost {
    const errors = errorMap(this.errors);
    const change = (path: Path, value: unknown) => (this.answers = setAt(this.answers, path, value));
    const computed = new Set(fieldsOf((this.definition?.pages ?? []).flatMap((p) => p.fields)).filter((f) => f.type === 'computed').map((f) => f.varname));
    const choices = Object.fromEntries(Object.entries(this.form?.choices ?? {})
      .map(([pointer, items]) => [pointer, items.map((c): Choice => ({ value: c.id, label: c.text }))]));
    return {
      value: (path: Path) => (path.length === 1 && computed.has(String(path[0])) ? visible.data[String(path[0])] : getAt(this.answers, path)),
      set: change,
      error: (path: Path) => errors.get(pathKey(path)),
      choices,
      locked: this.form?.locked ?? [],
      map: this.form?.map,
      data: visible.data,
      addRow: (path: Path) => change(path, [...((getAt(this.answers, path) as unknown[] | undefined) ?? []), {}]),
      removeRow: (path: Path, index: number) => {
        const rows = [...((getAt(this.answers, path) as unknown[] | undefined) ?? [])];
        rows.splice(index, 1);
        change(path, rows.length ? rows : undefined);
      },
      // The agent's device is not where the citizen is: a place is typed, or picked on the map.
      locate: (path: Path) => this.fieldError(path, bo.deskNoPosition),
      uploads: () => [],
      addFiles: (path: Path) => this.fieldError(path, bo.deskNoFiles),
      removeFile: (path: Path) => change(path, undefined),
    };
  }

  private fieldError(path: Path, message: string): void {
    this.errors = [...this.errors.filter((e) => pathKey(e.path) !== pathKey(path)), { path, message }];
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    if (this.busy || !this.definition) return;
    this.busy = true;
    this.errors = [];
    // Only what the form shows now: an answer whose condition no longer holds is not sent.
    const visible = visibility(this.definition, this.answers);
    const typed = new Set(fieldsOf(this.definition.pages.flatMap((p) => p.fields)).filter((f) => f.type !== 'computed').map((f) => f.varname));
    const data = Object.fromEntries(Object.entries(this.answers).filter(([name]) => typed.has(name) && visible.fields.includes(name)));
    const body: Record<string, unknown> = { data, channel: this.channel };
    if (this.email.trim()) body.citizen_email = this.email.trim();
    try {
      const response = await client.call('POST', `/api/agent/procedures/${encodeURIComponent(this.slug)}/requests/`, body, { 'Idempotency-Key': this.key });
      this.entered = (await response.json()) as AgentRequest;
      this.key = crypto.randomUUID();
    } catch (error) {
      if (!(error instanceof ProblemError)) {
        this.errors = [{ path: [], message: bo.deskOffline }];
      } else {
        const params = (error.problem.invalid_params ?? []) as (InvalidParam & { name?: string })[];
        const email = params.filter((p) => p.name === 'citizen_email').map((p) => ({ path: ['citizen_email'], message: p.reason ?? '' }));
        const answers = serverErrors(params.filter((p) => p.pointer?.startsWith('/data')));
        this.errors = email.length || answers.length ? [...email, ...answers] : [{ path: [], message: error.message }];
        // A refusal is final for these answers: once they change, a new key makes a new attempt.
        if (error.problem.status && error.problem.status < 500) this.key = crypto.randomUUID();
      }
    } finally {
      this.busy = false;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>(this.entered ? '#entered' : '.error-summary')?.focus();
  }

  private another(): void {
    this.entered = undefined;
    this.fresh();
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('h2')?.focus());
  }

  private focusControl(path: Path): void {
    const id = path[0] === 'citizen_email' ? 'citizen-email' : controlId(path);
    const target = this.renderRoot.querySelector<HTMLElement>(`#${CSS.escape(id)}`) ?? this.renderRoot.querySelector<HTMLElement>(`[id^="${CSS.escape(id)}-"]`);
    const control = target?.matches('fieldset') ? (target.querySelector<HTMLElement>('input, select, textarea') ?? target) : target;
    control?.focus();
  }

  render() {
    if (this.state !== 'ready') return gate(bo.deskTitle, this.state, () => { this.state = 'loading'; void this.start(); });
    return html`
      <p><a href="/agents/">${bo.backToInbox}</a></p>
      <h1>${bo.deskTitle}</h1>
      <p class="hint">${bo.deskIntro}</p>
      <form class="choose" @submit=${(e: Event) => this.choose(e)}>
        <label for="demarche">${bo.procedure}</label>
        <select id="demarche" name="demarche">
          <option value="">${bo.deskPick}</option>
          ${this.options()}
        </select>
        <button type="submit" class="secondary">${bo.deskOpen}</button>
      </form>
      ${this.entered ? this.done(this.entered) : this.definition ? this.entry(this.definition) : nothing}`;
  }

  /** The agent's procedures; grouped by the role receiving them when the agent holds several. */
  private options() {
    const option = (p: ReceivedProcedure) => html`<option value=${p.slug} ?selected=${p.slug === this.slug}>${p.title}</option>`;
    const roles = receiverRoles(this.kinds);
    if (roles.length < 2) return this.kinds.map(option);
    return roles.map(([slug, name]) => html`<optgroup label=${name}>${this.kinds.filter((p) => p.receiver_role.slug === slug).map(option)}</optgroup>`);
  }

  private summary() {
    if (!this.errors.length) return nothing;
    return html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="summary-title">
      <h3 id="summary-title">${bo.deskErrors}</h3>
      <ul>${this.errors.map((e) => e.path.length
        ? html`<li><a href="#${e.path[0] === 'citizen_email' ? 'citizen-email' : controlId(e.path)}"
            @click=${(ev: Event) => { ev.preventDefault(); this.focusControl(e.path); }}>${e.message}</a></li>`
        : html`<li>${e.message}</li>`)}</ul>
    </div>`;
  }

  private entry(definition: FormDefinition) {
    const visible = visibility(definition, this.answers);
    const host = this.host(visible);
    const emailError = errorMap(this.errors).get(pathKey(['citizen_email']));
    const title = this.kinds.find((p) => p.slug === this.slug)?.title ?? this.slug;
    return html`<form novalidate @submit=${(e: Event) => void this.save(e)}>
      <h2 tabindex="-1">${title}</h2>
      ${this.summary()}
      <fieldset class="citizen">
        <legend>${bo.deskCitizen}</legend>
        <div class="field ${emailError ? 'has-error' : ''}">
          <label for="citizen-email">${bo.deskEmail}</label>
          <p class="hint" id="citizen-email-hint">${bo.deskEmailHint}</p>
          ${emailError ? html`<p class="error-message" id="citizen-email-error">${emailError}</p>` : nothing}
          <input id="citizen-email" type="email" autocomplete="off" .value=${this.email}
            aria-describedby=${emailError ? 'citizen-email-hint citizen-email-error' : 'citizen-email-hint'}
            aria-invalid=${emailError ? 'true' : 'false'} @input=${(e: Event) => { this.email = (e.target as HTMLInputElement).value; }} />
        </div>
        <div class="field">
          <label for="channel">${bo.deskChannel}</label>
          <select id="channel" @change=${(e: Event) => { this.channel = (e.target as HTMLSelectElement).value as (typeof CHANNELS)[number]; }}>
            ${CHANNELS.map((c) => html`<option value=${c} ?selected=${c === this.channel}>${bo.channels[c]}</option>`)}
          </select>
        </div>
      </fieldset>
      ${definition.pages.map((page, index) => ({ page, index })).filter(({ page }) => visible.pages.includes(page.id)).map(({ page, index }) => {
        const items = fieldsOf(page.fields);
        return html`<section aria-labelledby="page-${index}">
          <h3 id="page-${index}">${page.title}</h3>
          ${items.filter((field) => TEXTUAL.has(field.type)
            ? field.condition === undefined || truthy(safeEvaluate(field.condition, visible.data))
            : visible.fields.includes(field.varname))
            .map((field) => renderField(field, [field.varname], `/pages/${index}/fields/${items.indexOf(field)}`, host))}
        </section>`;
      })}
      <div class="actions">
        <button type="submit" ?disabled=${this.busy}>${this.busy ? bo.deskSaving : bo.deskSave}</button>
      </div>
    </form>`;
  }

  private done(entered: AgentRequest) {
    return html`<div id="entered" class="done" role="status" tabindex="-1">
      <h2>${bo.deskDone(entered.reference ?? '')}</h2>
      ${entered.citizen ? html`<p>${bo.deskLinked(entered.citizen)}</p>` : nothing}
      ${entered.tracking_code ? html`<p>${bo.deskTracking} <strong class="code">${entered.tracking_code}</strong></p>` : nothing}
      <p class="links">
        <a href=${`/agents/demandes/${entered.id}/`}>${bo.deskOpenRequest}</a>
        <button type="button" class="secondary" @click=${() => this.another()}>${bo.deskAnother}</button>
      </p>
    </div>`;
  }

  static styles = [...agentStyles, css`
    .choose { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 0 0 1.5rem; }
    .choose label { flex-basis: 100%; font-weight: 600; }
    .choose select { font: inherit; padding: 0.4rem; border: 2px solid var(--guichet-color-text, #1b1b1b);
      background: var(--guichet-color-surface, #fff); color: inherit; max-width: 100%; }
    fieldset.citizen { border: 1px solid var(--guichet-color-border, #767676); padding: 0.5rem 1rem 1rem; margin: 0 0 1.5rem; }
    section { margin: 0 0 1.5rem; }
    .done { border-left: 4px solid var(--guichet-color-primary, #1d4e89); padding: 0.5rem 1rem; }
    .code { font-size: 1.25rem; letter-spacing: 0.05em; }
    .links { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; }
    .notice { border-left: 4px solid var(--guichet-color-primary, #1d4e89); padding: 0.5rem 0.75rem; }
  `];
}

if (!customElements.get('guichet-agent-desk')) customElements.define('guichet-agent-desk', GuichetAgentDesk);
