/**
 * <guichet-agent-work>: the inbox's work on many requests at once, as jobs the
 * worker runs. A bulk action (an action or an assignment) on the requests picked by
 * hand or on every request of the filter; an export of the filter's requests (the
 * columns and format chosen). While a job runs, a progress bar follows its events
 * over the agent's stream (the inbox hands them over); once it is done, a bulk
 * action's report lists each request that failed and why, an export is offered for
 * download. A job whose events were missed (the stream dropped) is read again.
 */

import { LitElement, css, html, nothing } from 'lit';

import { ProblemError } from '../api/client';
import { bulk, exportJob, filterBody, job, request, type InboxFilter, type Job, type Move } from './data';
import { fieldInput, formValues, moveTexts, type FormField } from './inputs';
import { bo } from './strings';
import { agentStyles } from './styles';

/** The export's built-in columns, in the API's names (api/backoffice/exports.py). */
export const COLUMNS = ['reference', 'procedure', 'status', 'submitted_at', 'status_since', 'closed_at', 'deadline', 'role', 'assignee', 'citizen', 'tracking_code'] as const;
const DEFAULT_COLUMNS = new Set(['reference', 'procedure', 'status', 'submitted_at', 'citizen', 'assignee']);

interface JobMessage {
  kind: string;
  subject?: { id: string };
  payload?: { done?: number; total?: number; state?: string };
}

export class GuichetAgentWork extends LitElement {
  static properties = {
    mode: { attribute: false },
    filter: { attribute: false },
    ids: { attribute: false },
    matching: { attribute: false },
    agentId: { attribute: false },
    sample: { attribute: false },
    moves: { state: true },
    running: { state: true },
    error: { state: true },
    chosen: { state: true },
    chosenScope: { state: true },
    file: { state: true },
  };

  declare mode: 'bulk' | 'export';
  declare filter: InboxFilter;
  /** The requests picked by hand. */
  declare ids: string[];
  /** How many requests the filter keeps (the tabs' total). */
  declare matching: number;
  declare moves: Move[];
  declare running: Job | undefined;
  declare error: string;
  declare chosen: string;
  /** The scope the agent chose; by default the picked requests if any, else the filter. */
  declare chosenScope: 'picked' | 'filter' | undefined;
  private movesOf = '';
  /** A small export's file, kept in the page until the panel closes. */
  declare file: { url: string; name: string } | undefined;
  /** The job whose end was handled (its event and a poll may both see it). */
  private finished = '';

  constructor() {
    super();
    this.mode = 'bulk';
    this.ids = [];
    this.matching = 0;
    this.moves = [];
    this.error = '';
    this.chosen = '';
  }

  private get scope(): 'picked' | 'filter' {
    return this.ids.length ? (this.chosenScope ?? 'picked') : 'filter';
  }

  protected willUpdate(): void {
    // The actions offered are those of the first request in the scope (its status); the
    // others go through the same checks, and the report says which could not take it.
    const first = this.scope === 'picked' ? this.ids[0] : this.sample;
    if (!first && this.movesOf) {
      this.movesOf = '';
      this.moves = [];
    }
    if (this.mode === 'bulk' && first && first !== this.movesOf) {
      this.movesOf = first;
      void request(first).then((item) => { this.moves = item.actions; }, () => { this.moves = []; });
    }
  }

  /** An event of the jobs' log, from the inbox's stream. */
  jobEvent(event: JobMessage): void {
    const running = this.running;
    if (!running || event.subject?.id !== running.id) return;
    const payload = event.payload ?? {};
    if (event.kind === 'job.progressed') {
      this.running = { ...running, done: payload.done ?? running.done, total: payload.total ?? running.total, state: 'running' };
    } else if (event.kind === 'job.finished') {
      void this.finish(running.id);
    }
  }

  private async finish(id: string): Promise<void> {
    if (this.finished === id) return;
    this.finished = id;
    try {
      this.running = await job(id);
      this.dispatchEvent(new CustomEvent('guichet-job-done', { bubbles: true, composed: true }));
    } catch (error) {
      this.error = error instanceof ProblemError ? error.message : bo.unavailable;
    }
  }

  /** Reads the job again while it runs, in case an event was missed (a dropped socket). */
  private watch(id: string): void {
    const tick = async () => {
      if (this.running?.id !== id || !this.isConnected) return;
      if (this.running.state === 'done' || this.running.state === 'failed') return;
      try {
        const now = await job(id);
        if (this.running?.id === id && (now.done > this.running.done || now.state !== this.running.state)) {
          if (now.state === 'done' || now.state === 'failed') await this.finish(id);
          else this.running = now;
        }
      } catch {
        // The next tick tries again.
      }
      setTimeout(() => void tick(), 5000);
    };
    setTimeout(() => void tick(), 5000);
  }

  private async start(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    if (!form.reportValidity()) return;
    const data = new FormData(form);
    this.error = '';
    try {
      let started: Job;
      if (this.mode === 'export') {
        const columns = data.getAll('columns').map(String);
        const answer = await exportJob({ format: String(data.get('format')) as 'csv', columns, filter: { ...filterBody(this.filter), ordering: this.filter.ordering } }); // the rows in the list's order
        if ('blob' in answer) {
          // A small export: the file itself, ready at once (no job to follow).
          this.file = { url: URL.createObjectURL(answer.blob), name: answer.name };
          await this.updateComplete;
          this.renderRoot.querySelector<HTMLElement>('.progress')?.focus();
          return;
        }
        started = answer;
      } else {
        const choice = String(data.get('do') ?? '');
        const target = this.scope === 'picked' ? { ids: this.ids } : { filter: filterBody(this.filter) };
        const move = this.moves.find((m) => `action:${m.id}` === choice);
        const body = choice === 'assign:me' || choice === 'assign:none'
          ? { type: 'assign' as const, agent: choice === 'assign:me' ? (this.agentId ?? null) : null, is_global: false, comment: '', message: '' }
          : { type: 'action' as const, action: move?.id ?? '', is_global: move?.is_global ?? false,
              comment: String(data.get('comment') ?? ''), message: String(data.get('message') ?? ''), values: move ? formValues(move, data) : {} };
        started = await bulk({ ...target, do: body });
      }
      this.running = started;
      this.watch(started.id);
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('.progress')?.focus();
    } catch (error) {
      this.error = error instanceof ProblemError ? error.message : bo.unavailable;
    }
  }

  /** A request of the filter's one status (a status tab chosen), whose actions are offered for the whole filter. */
  declare sample: string | undefined;
  /** The agent's own id, given by the inbox. */
  declare agentId: number | undefined;

  render() {
    return html`<section class="work" aria-labelledby="work-title">
      <h2 id="work-title">${this.mode === 'export' ? bo.exportTitle : bo.bulkTitle}</h2>
      ${this.error ? html`<p class="error-message" role="alert">${this.error}</p>` : nothing}
      ${this.running ? this.progress(this.running) : this.file ? this.ready(this.file) : this.mode === 'export' ? this.exportForm() : this.bulkForm()}
    </section>`;
  }

  private scopeChoice() {
    return html`<fieldset class="field"><legend>${bo.bulkScope}</legend>
      <div class="choice"><input type="radio" id="scope-picked" name="scope" value="picked" ?checked=${this.scope === 'picked'} ?disabled=${!this.ids.length}
        @change=${() => { this.chosenScope = 'picked'; }} /><label for="scope-picked">${bo.picked(this.ids.length)}</label></div>
      <div class="choice"><input type="radio" id="scope-filter" name="scope" value="filter" ?checked=${this.scope === 'filter'}
        @change=${() => { this.chosenScope = 'filter'; }} /><label for="scope-filter">${bo.allMatching(this.matching)}</label></div>
    </fieldset>`;
  }

  private bulkForm() {
    const move = this.moves.find((m) => `action:${m.id}` === this.chosen);
    return html`<form @submit=${(e: Event) => void this.start(e)}>
      ${this.scopeChoice()}
      <div class="field"><label for="bulk-do">${bo.bulkDo}</label>
        <select id="bulk-do" name="do" required @change=${(e: Event) => { this.chosen = (e.target as HTMLSelectElement).value; }}>
          <option value=""></option>
          <option value="assign:me">${bo.takeIt}</option>
          <option value="assign:none">${bo.assignNobody}</option>
          ${this.moves.map((m) => html`<option value=${`action:${m.id}`}>${m.label}</option>`)}
        </select>
        ${this.moves.length ? nothing : html`<p class="hint">${bo.bulkActionsHint}</p>`}</div>
      ${move ? html`${(move.form as FormField[]).map((field) => fieldInput(field, 'bulk'))}${moveTexts(move, 'bulk')}` : nothing}
      <button type="submit">${bo.bulkStart}</button>
    </form>`;
  }

  private exportForm() {
    return html`<form @submit=${(e: Event) => void this.start(e)}>
      <p>${bo.exportScope(this.matching)}</p>
      <fieldset class="field"><legend>${bo.exportFormat}</legend><div class="choices inline">
        ${(['csv', 'xlsx', 'ods'] as const).map((format, i) => html`<div class="choice"><input type="radio" id=${`format-${format}`} name="format" value=${format} ?checked=${i === 0} />
          <label for=${`format-${format}`}>${format.toUpperCase()}</label></div>`)}</div></fieldset>
      <fieldset class="field"><legend>${bo.exportColumns}</legend><div class="columns">
        ${COLUMNS.map((name) => html`<div class="choice"><input type="checkbox" id=${`column-${name}`} name="columns" value=${name} ?checked=${DEFAULT_COLUMNS.has(name)} />
          <label for=${`column-${name}`}>${bo.column[name]}</label></div>`)}</div></fieldset>
      <button type="submit">${bo.exportStart}</button>
    </form>`;
  }

  private progress(running: Job) {
    const finished = running.state === 'done' || running.state === 'failed';
    const percent = running.total ? Math.round((running.done / running.total) * 100) : finished ? 100 : 0;
    return html`<div class="progress" tabindex="-1">
      <label for="job-progress">${finished ? bo.jobDone : bo.jobRunning}</label>
      <progress id="job-progress" max="100" value=${percent} aria-valuetext=${bo.jobCount(running.done, running.total)}></progress>
      <p role="status">${bo.jobCount(running.done, running.total)} (${percent} %)</p>
      ${finished && running.kind === 'bulk' ? this.report(running) : nothing}
      ${finished && running.download ? html`<p><a class="download" href=${running.download} download>${bo.download}</a></p>` : nothing}
      ${finished ? html`<button type="button" class="secondary" @click=${() => this.close()}>${bo.close}</button>` : nothing}
    </div>`;
  }

  private ready(file: { url: string; name: string }) {
    return html`<div class="progress" tabindex="-1">
      <p role="status">${bo.jobDone} : ${bo.exportScope(this.matching)}</p>
      <p><a class="download" href=${file.url} download=${file.name}>${bo.download}</a></p>
      <button type="button" class="secondary" @click=${() => this.close()}>${bo.close}</button>
    </div>`;
  }

  private close(): void {
    this.running = undefined;
    this.forget();
    this.dispatchEvent(new CustomEvent('guichet-work-closed', { bubbles: true, composed: true }));
  }

  private forget(): void {
    if (this.file) URL.revokeObjectURL(this.file.url);
    this.file = undefined;
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.forget();
  }

  private report(running: Job) {
    if (!running.failures.length) return html`<p>${bo.noFailures}</p>`;
    return html`<table><caption>${bo.failures(running.failures.length)}</caption>
      <thead><tr><th scope="col">${bo.colReference}</th><th scope="col">${bo.why}</th></tr></thead>
      <tbody>${running.failures.map((f) => html`<tr><th scope="row">${f.reference}</th><td>${f.detail}</td></tr>`)}</tbody></table>`;
  }

  static styles = [...agentStyles, css`
    .work { border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 1rem; margin: 0 0 1rem; background: var(--guichet-color-surface, #fff); }
    h2 { margin-top: 0; }
    .columns { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: 0.5rem; }
    table { border-collapse: collapse; margin: 0 0 1rem; }
    th, td { text-align: left; padding: 0.25rem 0.5rem; border-bottom: 1px solid var(--guichet-color-border, #767676); }
    caption { text-align: left; font-weight: 600; }
  `];
}

if (!customElements.get('guichet-agent-work')) customElements.define('guichet-agent-work', GuichetAgentWork);
