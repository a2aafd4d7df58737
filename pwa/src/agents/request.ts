/**
 * <guichet-agent-request>: one request as its agents see it, beside the inbox. Its
 * answers under the labels of the form version it was filled in, its processing
 * fields, files, messages, and its whole history, internal events told apart from
 * what the citizen sees. The actions this agent may take now are buttons; one that
 * takes a comment, a message or a form opens it first. An action sends the status
 * the agent saw: if another agent moved the request meanwhile, the answer (409) is
 * said plainly and the request is shown as it now is. A change made elsewhere while
 * it is open (the inbox's stream) refreshes it and says so.
 */

import { LitElement, css, html, nothing } from 'lit';

import { ProblemError } from '../api/client';
import { go } from '../app/router';
import { language } from '../i18n';
import { fieldInput, formValues, moveTexts, takesInput, type FormField } from './inputs';
import { act, assign, fileBlob, request, writeToCitizen, type AgentEvent, type AgentRequest, type InboxItem, type Move } from './data';
import type { PaintedPdf } from './pdf';
import { bo } from './strings';
import { agentStyles, badgeColour } from './styles';

const PDF = 'application/pdf';
/** Images and PDFs are shown in the page; other files are handed to the browser. */
const shownInPage = (file: { content_type: string }) => file.content_type.startsWith('image/') || file.content_type === PDF;


const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(language, { dateStyle: 'medium', timeStyle: 'short' }) : '';

function shown(value: unknown): string {
  if (value === null || value === undefined || value === '') return bo.empty;
  if (value === true) return bo.yes;
  if (value === false) return bo.no;
  if (Array.isArray(value)) return value.map(shown).join(', ');
  if (typeof value === 'object') {
    return Object.entries(value as Record<string, unknown>).map(([k, v]) => `${k} : ${shown(v)}`).join(' ; ');
  }
  return String(value);
}

export class GuichetAgentRequest extends LitElement {
  static properties = {
    requestId: { attribute: false },
    me: { attribute: false },
    closeHref: { attribute: false },
    item: { state: true },
    open: { state: true },
    note: { state: true },
    error: { state: true },
    busy: { state: true },
    previews: { state: true },
    pdfs: { state: true },
  };

  declare requestId: string;
  declare me: number | undefined;
  declare closeHref: string;
  declare item: AgentRequest | undefined;
  /** The action whose form is open. */
  declare open: Move | undefined;
  declare note: string;
  declare error: string;
  declare busy: boolean;
  /** Files shown in the page (images), by attachment id: blob addresses revoked when the request changes. */
  declare previews: Map<string, string>;
  /** PDFs painted in the page (pwa/src/agents/pdf.ts), by attachment id, or being painted, or not paintable. */
  declare pdfs: Map<string, PaintedPdf | 'painting' | 'failed'>;
  private shownId = '';
  /** Counts the agent's own writes: a read begun before one is dropped. */
  private generation = 0;
  /** The status the agent saw when they opened an action's form (sent with it: a move since is a 409). */
  private seen = '';

  constructor() {
    super();
    this.requestId = '';
    this.closeHref = '/agents/';
    this.note = '';
    this.error = '';
    this.busy = false;
    this.previews = new Map();
    this.pdfs = new Map();
  }

  private readonly onChanged = (event: Event) => {
    const id = (event as CustomEvent<string>).detail;
    if (id === this.requestId && !this.busy) void this.load(bo.changedElsewhere);
  };

  connectedCallback(): void {
    super.connectedCallback();
    (this.getRootNode() as ShadowRoot).host?.addEventListener('guichet-request-changed', this.onChanged);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.forgetPreviews();
    (this.getRootNode() as ShadowRoot).host?.removeEventListener('guichet-request-changed', this.onChanged);
  }

  protected willUpdate(changed: Map<string, unknown>): void {
    if (changed.has('requestId') && this.requestId !== this.shownId) {
      this.shownId = this.requestId;
      this.forgetPreviews();
      this.item = undefined;
      this.open = undefined;
      this.note = '';
      this.error = '';
      void this.load('').then(() => this.renderRoot.querySelector<HTMLElement>('h2')?.focus());
    }
  }

  private async load(note: string): Promise<void> {
    const id = this.requestId;
    const generation = this.generation;
    try {
      const item = await request(id);
      // A read that started before the agent's own write answered is older than what is shown.
      if (id !== this.requestId || generation !== this.generation) return;
      if (this.item && (item.revision ?? 0) < (this.item.revision ?? 0)) return;
      const changed = this.item !== undefined && this.item.revision !== item.revision;
      this.item = item;
      this.error = '';
      if (note && changed) this.note = note;
    } catch (error) {
      this.error = error instanceof ProblemError ? error.message : bo.unavailable;
    }
  }

  private told(item: AgentRequest, note: string): void {
    this.generation += 1;
    this.item = item;
    this.note = note;
    this.error = '';
    this.dispatchEvent(new CustomEvent<InboxItem>('guichet-request-updated', { detail: item, bubbles: true, composed: true }));
  }

  private forgetPreviews(): void {
    for (const url of this.previews.values()) URL.revokeObjectURL(url);
    this.previews = new Map();
    this.pdfs = new Map();
  }

  /** Shows an image or a PDF in the page; other files (and a PDF asked for as a file) go to the browser. */
  private async preview(file: { id: string; name: string; content_type: string }, save = false): Promise<void> {
    try {
      const blob = await fileBlob(file.id);
      if (file.content_type === PDF && !save) {
        await this.paint(file.id, blob);
        return;
      }
      const url = URL.createObjectURL(blob);
      if (file.content_type.startsWith('image/') && !save) {
        this.previews = new Map([...this.previews, [file.id, url]]);
      } else {
        const link = document.createElement('a');
        link.href = url;
        link.download = file.name;
        link.click();
        setTimeout(() => URL.revokeObjectURL(url), 60000);
      }
    } catch (error) {
      this.error = error instanceof ProblemError ? error.message : bo.unavailable;
    }
  }

  private async paint(id: string, blob: Blob): Promise<void> {
    this.pdfs = new Map([...this.pdfs, [id, 'painting']]);
    let painted: PaintedPdf | 'failed';
    try {
      const { paintPdf } = await import('./pdf');
      const { pages, total } = (painted = await paintPdf(await blob.arrayBuffer(), this.renderRoot.querySelector('.files')?.clientWidth ?? 600));
      if (!total) throw new Error('a PDF without pages');
      pages.forEach((canvas, index) => {
        canvas.className = 'pdf-page';
        canvas.setAttribute('role', 'img');
        canvas.setAttribute('aria-label', bo.pdfPage(index + 1, total));
      });
    } catch {
      painted = 'failed'; // not a PDF PDF.js can read: the agent can still download it
    }
    if (this.pdfs.get(id) === 'painting') this.pdfs = new Map([...this.pdfs, [id, painted]]);
  }

  private async write(event: Event): Promise<void> {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const item = this.item;
    if (!item || this.busy || !form.reportValidity()) return;
    const data = new FormData(form);
    const fields = data.getAll('request_fields').map(String);
    this.busy = true;
    try {
      await writeToCitizen(item.id, String(data.get('body') ?? ''), fields);
      form.reset();
      this.generation += 1;
      this.item = await request(item.id);
      this.note = fields.length ? bo.asked : bo.sent;
      this.error = '';
    } catch (error) {
      await this.refused(error);
    } finally {
      this.busy = false;
    }
  }

  private async refused(error: unknown): Promise<void> {
    if (error instanceof ProblemError && error.problem.status === 409) {
      await this.load('');
      this.open = undefined;
      this.error = bo.conflict;
    } else {
      this.error = error instanceof ProblemError ? error.message : bo.unavailable;
    }
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.error-message')?.focus();
  }

  private async take(move: Move, form?: HTMLFormElement): Promise<void> {
    const item = this.item;
    if (!item || this.busy) return;
    const data = form ? new FormData(form) : undefined;
    const values = formValues(move, data);
    this.busy = true;
    try {
      const done = await act(item.id, {
        action: move.id,
        is_global: move.is_global,
        status: form ? this.seen : item.status.id,
        comment: String(data?.get('comment') ?? ''),
        message: String(data?.get('message') ?? ''),
        values,
      });
      this.open = undefined;
      this.told(done, bo.done(move.label));
    } catch (error) {
      await this.refused(error);
    } finally {
      this.busy = false;
    }
  }

  private choose(move: Move): void {
    if (!takesInput(move)) {
      void this.take(move);
      return;
    }
    this.open = move;
    this.seen = this.item?.status.id ?? '';
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('.move-form input, .move-form textarea, .move-form select')?.focus());
  }

  private async assignMe(mine: boolean): Promise<void> {
    const item = this.item;
    if (!item || this.busy) return;
    this.busy = true;
    try {
      this.told(await assign(item.id, mine ? { agent: null, me: false } : { me: true }), mine ? bo.released : bo.taken);
    } catch (error) {
      await this.refused(error);
    } finally {
      this.busy = false;
    }
  }

  render() {
    const item = this.item;
    if (!item) {
      return html`<section class="request" aria-labelledby="request-title"><h2 id="request-title" tabindex="-1">${this.error || bo.loading}</h2>
        <p><a href=${this.closeHref}>${bo.backToList}</a></p></section>`;
    }
    const mine = item.assignee?.id !== undefined && item.assignee?.id === this.me;
    return html`<section class="request" aria-labelledby="request-title">
      <p><a href=${this.closeHref} @click=${(e: Event) => { e.preventDefault(); go(this.closeHref); }}>${bo.backToList}</a></p>
      <h2 id="request-title" tabindex="-1">${item.reference} — ${item.procedure.title}</h2>
      <p class="status-line"><span class="badge" ${badgeColour(item.status.colour)}>${item.status.label}</span></p>
      <p class="note" role="status">${this.note}</p>
      ${this.error ? html`<p class="error-message" role="alert" tabindex="-1">${this.error}</p>` : nothing}
      <dl class="facts">
        <div><dt>${bo.submittedOn}</dt><dd>${when(item.submitted_at)}</dd></div>
        <div><dt>${bo.statusSince}</dt><dd>${when(item.status_since)}</dd></div>
        ${item.deadline ? html`<div><dt>${bo.deadline}</dt><dd>${when(item.deadline)}</dd></div>` : nothing}
        <div><dt>${bo.role}</dt><dd>${item.role}</dd></div>
        <div><dt>${bo.assignee}</dt><dd>${item.assignee?.name ?? bo.nobody}</dd></div>
        <div><dt>${bo.citizen}</dt><dd>${item.citizen_account
          ? html`${item.citizen_account.name} &lt;${item.citizen_account.email}&gt;
            <a href=${`/agents/?citizen=${item.citizen_account.id}`}>${bo.allTheirRequests}</a>`
          : bo.anonymous}</dd></div>
        <div><dt>${bo.trackingCode}</dt><dd>${item.tracking_code}</dd></div>
      </dl>
      <h3>${bo.actionsTitle}</h3>
      <div class="moves">
        <button type="button" class="secondary" ?disabled=${this.busy} @click=${() => void this.assignMe(mine)}>${mine ? bo.release : bo.takeIt}</button>
        ${item.actions.map((move) => html`<button type="button" ?disabled=${this.busy} aria-expanded=${takesInput(move) ? String(this.open?.id === move.id) : nothing}
          @click=${() => this.choose(move)}>${move.label}</button>`)}
      </div>
      ${item.actions.length ? nothing : html`<p>${bo.noActions}</p>`}
      ${this.open ? this.moveForm(this.open) : nothing}
      ${this.answers(item)}
      ${this.history(item.history)}
      ${this.messages(item)}
    </section>`;
  }

  private moveForm(move: Move) {
    return html`<form class="move-form" aria-label=${move.label} @submit=${(e: Event) => { e.preventDefault(); const form = e.currentTarget as HTMLFormElement; if (form.reportValidity()) void this.take(move, form); }}>
      ${(move.form as FormField[]).map((field) => fieldInput(field, 'move'))}
      ${moveTexts(move, 'move')}
      <div class="moves"><button type="submit" ?disabled=${this.busy}>${bo.confirm(move.label)}</button>
        <button type="button" class="secondary" @click=${() => { this.open = undefined; }}>${bo.cancel}</button></div>
    </form>`;
  }

  private answers(item: AgentRequest) {
    const data = (item.data ?? {}) as Record<string, unknown>;
    const backoffice = Object.entries((item.backoffice ?? {}) as Record<string, unknown>);
    return html`<h3>${bo.answersTitle}</h3>
      <p class="hint">${bo.version(item.version)}</p>
      ${item.form.map((page) => html`<h4>${page.title}</h4><dl class="answers">
        ${page.fields.map((field) => html`<div><dt>${field.label}</dt><dd>${shown(data[field.varname])}</dd></div>`)}</dl>`)}
      ${backoffice.length ? html`<h3>${bo.backofficeTitle}</h3><dl class="answers">
        ${backoffice.map(([name, value]) => html`<div><dt>${name}</dt><dd>${shown(value)}</dd></div>`)}</dl>` : nothing}
      ${item.files.length ? html`<h3>${bo.filesTitle}</h3><ul class="files">
        ${item.files.map((file) => html`<li>
          <button type="button" class="link" @click=${() => void this.preview(file)}>${shownInPage(file) ? bo.showFile(file.name) : bo.openFile(file.name)}</button>
          (${file.content_type})
          ${file.content_type === PDF ? html` <button type="button" class="link" @click=${() => void this.preview(file, true)}>${bo.saveFile(file.name)}</button>` : nothing}
          ${this.previews.has(file.id) ? html`<img src=${this.previews.get(file.id) ?? ''} alt=${bo.preview(file.name)} />` : nothing}
          ${this.pdfShown(file.id, file.name)}</li>`)}</ul>` : nothing}`;
  }

  private pdfShown(id: string, name: string) {
    const pdf = this.pdfs.get(id);
    if (!pdf) return nothing;
    if (pdf === 'painting') return html`<p role="status">${bo.loading}</p>`;
    if (pdf === 'failed') return html`<p class="error-message" role="alert">${bo.pdfUnreadable(name)}</p>`;
    return html`<figure class="pdf"><figcaption>${bo.pdfShown(name, pdf.pages.length, pdf.total)}</figcaption>${pdf.pages}</figure>`;
  }

  private history(events: AgentEvent[]) {
    const audience = (e: AgentEvent) => (e.audience === 'citizen' ? bo.toCitizen : bo.internal);
    return html`<h3>${bo.historyTitle}</h3><ol class="history">
      ${[...events].reverse().map((e) => html`<li class=${e.audience === 'citizen' ? 'citizen' : 'internal'}>
        <span class="tag">${audience(e)}</span> <time datetime=${e.created_at}>${when(e.created_at)}</time>
        — ${bo.eventLabel(e.kind)}${this.detailOf(e)}${e.actor ? html` <span class="who">${bo.by(e.actor.name)}</span>` : nothing}</li>`)}
    </ol>`;
  }

  /** What an event says beyond its kind: the move's statuses, the comment or message. */
  private detailOf(event: AgentEvent): string {
    const payload = (event.payload ?? {}) as Record<string, unknown>;
    const status = (id: unknown) => this.item?.statuses.find((s) => s.id === id)?.label ?? String(id);
    const parts: string[] = [];
    if (event.kind === 'submission.transitioned' && payload.from && payload.to) parts.push(`${status(payload.from)} → ${status(payload.to)}`);
    if (event.kind === 'submission.status_changed' && payload.status) parts.push(status(payload.status));
    for (const text of [payload.comment, payload.message]) if (typeof text === 'string' && text) parts.push(text);
    return parts.length ? ` : ${parts.join(' — ')}` : '';
  }

  private labelOf(varname: string): string {
    return this.item?.form.flatMap((page) => page.fields).find((field) => field.varname === varname)?.label ?? varname;
  }

  private messages(item: AgentRequest) {
    return html`<h3>${bo.messagesTitle}</h3>
      ${item.messages.length ? html`<ol class="messages">${item.messages.map((m) => html`<li class=${m.from_agent ? 'agent' : ''}>
        <p class="who">${m.from_agent ? bo.fromAgent(m.author?.name ?? '') : bo.fromCitizen} — <time datetime=${m.created_at}>${when(m.created_at)}</time></p>
        <p class="body">${m.body}</p>
        ${m.requested_fields.length ? html`<p class="who">${bo.askedFields(m.requested_fields.map((name) => this.labelOf(name)).join(', '))}</p>` : nothing}</li>`)}</ol>`
        : html`<p>${bo.noMessages}</p>`}
      <form class="write" @submit=${(e: Event) => void this.write(e)}>
        <div class="field"><label for="write-body">${bo.writeLabel}</label>
          <textarea id="write-body" name="body" rows="4" required maxlength="10000"></textarea></div>
        <fieldset class="field"><legend>${bo.askFields}</legend><p class="hint">${bo.askFieldsHint}</p>
          ${item.form.flatMap((page) => page.fields).map((field) => html`<div class="choice">
            <input type="checkbox" id=${`ask-${field.varname}`} name="request_fields" value=${field.varname} />
            <label for=${`ask-${field.varname}`}>${field.label}</label></div>`)}</fieldset>
        <button type="submit" ?disabled=${this.busy}>${bo.writeSend}</button>
      </form>`;
  }

  static styles = [...agentStyles, css`
    .request { border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 1rem; background: var(--guichet-color-surface, #fff); }
    h2 { margin-top: 0; }
    h4 { margin: 1rem 0 0.25rem; }
    .facts, .answers { display: grid; gap: 0.25rem; margin: 0 0 1rem; }
    .facts div, .answers div { display: grid; grid-template-columns: minmax(8rem, 14rem) 1fr; gap: 0.5rem; }
    dt { font-weight: 600; }
    dd { margin: 0; overflow-wrap: anywhere; }
    .moves { display: flex; flex-wrap: wrap; gap: 0.5rem; margin: 0 0 1rem; }
    .move-form { border-left: 4px solid var(--guichet-color-primary, #1d4e89); padding: 0.5rem 0 0.5rem 1rem; margin: 0 0 1rem; }
    .status-line .badge { font-weight: 700; }
    .note { min-height: 1.5rem; margin: 0.25rem 0; font-weight: 600; }
    .history, .messages { list-style: none; padding: 0; display: grid; gap: 0.5rem; }
    .history li { padding: 0.25rem 0.5rem; border-left: 4px solid var(--guichet-color-border, #767676); }
    .history li.citizen { border-left-color: var(--guichet-color-primary, #1d4e89); }
    .tag { font-weight: 700; font-size: 0.875rem; text-transform: uppercase; }
    .who { color: var(--guichet-color-muted, #4a4a4a); margin: 0; }
    .messages li { border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 0.5rem; }
    .messages .agent { border-left: 4px solid var(--guichet-color-primary, #1d4e89); }
    .body { white-space: pre-wrap; margin: 0.25rem 0 0; }
    .pdf { margin: 0.5rem 0; }
    .pdf .pdf-page { display: block; width: 100%; height: auto; margin: 0 0 0.5rem; border: 1px solid var(--guichet-color-border, #767676); background: #fff; }
    .files img { display: block; max-width: 100%; max-height: 24rem; margin: 0.5rem 0; border: 1px solid var(--guichet-color-border, #767676); }
    .write { margin: 1rem 0 0; }
  `];
}

if (!customElements.get('guichet-agent-request')) customElements.define('guichet-agent-request', GuichetAgentRequest);
