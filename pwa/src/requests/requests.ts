/**
 * <guichet-requests>: the signed-in person's requests (/demandes/), and one of them
 * (/demandes/<id>/): its status and history, updated live over the websocket (the
 * citizen stream, opened with a single-use ticket, resumed from the last position
 * seen), and its messages with the service, to read and answer.
 */

import { LitElement, css, html, nothing } from 'lit';

import { LiveStream } from '../api/live';
import { GuichetClient, ProblemError, type HistoryEvent, type Submission, type components } from '../api/client';
import { at } from '../account/messages';
import { signedIn } from '../account/session';
import { go } from '../app/router';
import { language, t } from '../i18n';
import { sizeText } from '../fill/fields';
import { fillStyles } from '../fill/styles';
import { upload, type Attachment } from '../fill/upload';
import './correction';

type Message = components['schemas']['Message'];
type Page<T> = { results: T[] };
interface Live {
  type: string;
  position?: number;
  event?: HistoryEvent;
  request?: { id: string; status: string; status_label?: string };
}

const when = (iso: string | null | undefined) =>
  iso ? new Date(iso).toLocaleString(language, { dateStyle: 'long', timeStyle: 'short' }) : '';

export class GuichetRequests extends LitElement {
  static properties = {
    params: { attribute: false },
    list: { state: true },
    request: { state: true },
    history: { state: true },
    messages: { state: true },
    announce: { state: true },
    error: { state: true },
    sending: { state: true },
    replyError: { state: true },
  };

  declare params: Record<string, string>;
  declare list: Submission[] | undefined;
  declare request: Submission | undefined;
  declare history: HistoryEvent[];
  declare messages: Message[];
  declare announce: string;
  declare error: string;
  /** The files of the message being sent, with their progress. */
  declare sending: { name: string; sent: number; total: number }[];
  declare replyError: string;
  readonly ready: Promise<void>;
  private readonly client = new GuichetClient('', language);
  private live: LiveStream | undefined;
  private position = 0;

  constructor() {
    super();
    this.params = {};
    this.history = [];
    this.messages = [];
    this.announce = '';
    this.error = '';
    this.sending = [];
    this.replyError = '';
    this.ready = new Promise((resolve) => setTimeout(() => void this.load().finally(resolve)));
  }

  private readonly onNetwork = () => this.requestUpdate();

  connectedCallback(): void {
    super.connectedCallback();
    window.addEventListener('online', this.onNetwork);
    window.addEventListener('offline', this.onNetwork);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('online', this.onNetwork);
    window.removeEventListener('offline', this.onNetwork);
    this.live?.stop();
  }

  private async get<T>(path: string): Promise<T> {
    return (await (await this.client.call('GET', path)).json()) as T;
  }

  private async load(): Promise<void> {
    if (!(await signedIn())) {
      go(`/compte/connexion?suite=${encodeURIComponent(location.pathname)}`);
      return;
    }
    try {
      if (this.params.id) {
        const id = encodeURIComponent(this.params.id);
        [this.request, this.history, this.messages] = await Promise.all([
          this.get<Submission>(`/api/submissions/${id}/`),
          this.get<HistoryEvent[]>(`/api/submissions/${id}/history/`),
          this.get<Message[]>(`/api/submissions/${id}/messages/`),
        ]);
        this.position = Math.max(0, ...this.history.map((e) => e.position ?? 0));
        this.follow();
      } else {
        this.list = (await this.get<Page<Submission>>('/api/me/submissions/?page_size=50')).results;
      }
    } catch (error) {
      this.error = error instanceof ProblemError ? error.message : at.unavailable;
    }
    await this.updateComplete;
  }

  /** Follows the person's requests live (the citizen stream), this one's events shown. */
  private follow(): void {
    if (this.live || !this.isConnected) return;
    const ticket = async () =>
      (await (await this.client.call('POST', '/api/realtime/tickets/', { stream: 'citizen', language })).json()) as { url: string };
    this.live = new LiveStream(ticket, () => this.position, (data) => this.onMessage(data));
    this.live.start();
  }

  private onMessage(data: unknown): void {
    let message: Live;
    try {
      message = JSON.parse(String(data)) as Live;
    } catch {
      return;
    }
    if (message.type === 'refetch') return void this.load();
    if (message.type !== 'event' || !message.event || !this.request || message.request?.id !== this.request.id) return;
    if ((message.position ?? 0) <= this.position) return;
    this.position = message.position ?? this.position;
    this.history = [...this.history, message.event];
    if (message.event.kind === 'message.posted') {
      void this.get<Message[]>(`/api/submissions/${encodeURIComponent(this.request.id)}/messages/`)
        .then((m) => (this.messages = m), () => undefined);
    }
    if (message.event.kind === 'submission.correction_requested' || message.event.kind === 'submission.corrected') {
      // The fields asked for (or no longer asked for) come with the request itself.
      void this.get<Submission>(`/api/submissions/${encodeURIComponent(this.request.id)}/`)
        .then((r) => (this.request = r), () => undefined);
    }
    if (message.request.status !== this.request.status) {
      this.request = { ...this.request, status: message.request.status, status_label: message.request.status_label ?? message.request.status };
      this.announce = at.statusChanged(this.request.status_label);
    }
  }

  /** Sends the reply: its files first (resumable, each with its progress), then the message naming them. */
  private async reply(event: Event): Promise<void> {
    event.preventDefault();
    const box = this.renderRoot.querySelector<HTMLTextAreaElement>('#reply');
    const picker = this.renderRoot.querySelector<HTMLInputElement>('#reply-files');
    const body = box?.value.trim() ?? '';
    const files = [...(picker?.files ?? [])];
    const request = this.request;
    if (!request || this.sending.length) return;
    this.replyError = !body ? at.writeSomething : files.length > 10 ? at.tooManyAttachments : !navigator.onLine ? at.offline : '';
    if (this.replyError) return void this.updateComplete.then(() => (this.replyError === at.writeSomething ? box : picker)?.focus());
    this.sending = files.map((f) => ({ name: f.name, sent: 0, total: f.size }));
    try {
      const attachments: Attachment[] = [];
      for (const [index, file] of files.entries()) {
        const onProgress = (sent: number, total: number) => {
          this.sending = this.sending.map((s, i) => (i === index ? { ...s, sent, total } : s));
        };
        attachments.push(await upload(file, { submission: request.id, field: '', onProgress }));
      }
      const posted = (await (await this.client.call('POST', `/api/submissions/${encodeURIComponent(request.id)}/messages/`,
        { body, attachments: attachments.map((a) => a.id) }, { 'Idempotency-Key': crypto.randomUUID() })).json()) as Message;
      if (!this.messages.some((m) => m.id === posted.id)) this.messages = [...this.messages, posted];
      if (box) box.value = '';
      if (picker) picker.value = '';
      this.announce = at.messageSent;
    } catch (error) {
      this.replyError = error instanceof ProblemError ? error.message : navigator.onLine ? at.unavailable : at.offline;
    } finally {
      this.sending = [];
    }
  }

  private renderList(list: Submission[]) {
    return html`<h1 tabindex="-1">${at.requestsTitle}</h1>
      ${list.length ? html`<ul class="items">${list.map((s) => html`<li>
        ${s.state === 'draft'
          ? html`<a href="/demarches/${s.procedure.slug}/brouillon/${s.id}/">${s.procedure.title}</a> <span>${at.draft}</span>`
          : html`<a href="/demandes/${s.id}/">${s.procedure.title}</a>
            <span>${s.reference} · ${s.status_label}</span><span>${at.sentOn(when(s.submitted_at))}</span>`}
      </li>`)}</ul>` : html`<p>${at.noRequests}</p>`}`;
  }

  private renderFiles(files: readonly Attachment[]) {
    return html`<ul class="files">${files.map((f) => html`<li>
      <a href="/api/attachments/${f.id}/" download=${f.name}>${at.download(f.name, sizeText(f.size))}</a></li>`)}</ul>`;
  }

  private renderReply() {
    const error = this.replyError;
    return html`<form novalidate @submit=${(e: Event) => void this.reply(e)}>
      ${error ? html`<p class="error-message" id="reply-error" role="alert">${error}</p>` : nothing}
      <div class="field"><label for="reply">${at.reply}</label>
        <textarea id="reply" rows="4" maxlength="10000" aria-invalid=${error === at.writeSomething ? 'true' : nothing}
          aria-describedby=${error === at.writeSomething ? 'reply-error' : nothing}></textarea></div>
      <div class="field"><label for="reply-files">${at.attach}</label>
        <p class="hint" id="reply-files-hint">${at.attachHint}</p>
        <input type="file" id="reply-files" multiple aria-describedby="reply-files-hint" /></div>
      ${this.sending.map((u, i) => html`<div class="upload">
        <label for="reply-progress-${i}">${u.name}</label>
        <progress id="reply-progress-${i}" max=${u.total || 1} .value=${u.sent}></progress>
        <span class="percent">${Math.floor((100 * u.sent) / (u.total || 1))} %</span></div>`)}
      <div class="actions"><button type="submit" ?disabled=${this.sending.length > 0}>${at.send}</button></div>
    </form>`;
  }

  private renderRequest(request: Submission) {
    const received = this.messages.filter((m) => m.from_agent).flatMap((m) => m.attachments);
    const asked = ((request.requested_fields as string[] | undefined) ?? []).length > 0;
    return html`<p class="back"><a href="/demandes/">${at.back}</a></p>
      <h1 tabindex="-1">${request.procedure.title}</h1>
      <dl class="facts">
        <div><dt>${at.reference}</dt><dd>${request.reference}</dd></div>
        <div><dt>${at.status}</dt><dd class="current">${request.status_label}</dd></div>
        <div><dt>${t.sentOn}</dt><dd>${when(request.submitted_at)}</dd></div>
      </dl>
      <p class="hint">${at.live}</p>
      ${asked ? html`<guichet-correction .request=${request} .client=${this.client} @corrected=${(e: CustomEvent<Submission>) => this.corrected(e.detail)}></guichet-correction>` : nothing}
      ${received.length ? html`<h2>${at.documents}</h2>${this.renderFiles(received)}` : nothing}
      <h2>${at.history}</h2>
      <ol class="history">${[...this.history].reverse().map((e) => html`<li><time datetime=${e.created_at}>${when(e.created_at)}</time> ${t.eventLabel(e.kind)}</li>`)}</ol>
      <h2>${at.messages}</h2>
      ${this.messages.length ? html`<ol class="messages">${this.messages.map((m) => html`<li class=${m.from_agent ? 'agent' : 'you'}>
        <p class="who">${m.from_agent ? at.fromAgent : at.fromYou} · <time datetime=${m.created_at}>${when(m.created_at)}</time></p>
        <p class="body">${m.body}</p>
        ${m.attachments.length ? this.renderFiles(m.attachments) : nothing}</li>`)}</ol>` : html`<p>${at.noMessages}</p>`}
      ${this.renderReply()}`;
  }

  private corrected(request: Submission): void {
    this.request = request;
    this.announce = at.corrected;
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('h1')?.focus());
  }

  render() {
    let body;
    if (this.error) body = html`<h1 tabindex="-1">${at.unavailable}</h1><p>${this.error}</p>`;
    else if (this.request) body = this.renderRequest(this.request);
    else if (this.list) body = this.renderList(this.list);
    else body = html`<p class="status" role="status">${t.loading}</p>`;
    const offline = !navigator.onLine && !this.error && (this.request || this.list);
    return html`<article>${offline ? html`<p class="offline-note">${at.offlineCopy}</p>` : nothing}${body}
      <p class="visually-hidden" role="status">${this.announce}</p></article>`;
  }

  static styles = [fillStyles, css`
    .items, .history, .messages { list-style: none; padding: 0; display: grid; gap: 0.5rem; }
    .items li, .messages li { border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 0.75rem; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; background: var(--guichet-color-surface, #fff); }
    .messages li { display: block; }
    .messages .agent { border-left: 4px solid var(--guichet-color-primary, #1d4e89); }
    .who { margin: 0; color: var(--guichet-color-muted, #4a4a4a); }
    .body { white-space: pre-wrap; margin: 0.25rem 0 0; }
    .facts div { display: flex; gap: 0.5rem; flex-wrap: wrap; }
    .current { font-weight: 700; }
    .offline-note { border-left: 4px solid var(--guichet-color-primary, #1d4e89); padding: 0.5rem 0.75rem; background: var(--guichet-color-surface, #fff); }
    .files { list-style: none; padding: 0; margin: 0.5rem 0 0; display: grid; gap: 0.25rem; }
  `];
}

if (!customElements.get('guichet-requests')) customElements.define('guichet-requests', GuichetRequests);
