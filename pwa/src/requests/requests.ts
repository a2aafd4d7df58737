/**
 * <guichet-requests>: the signed-in person's requests (/demandes/), and one of them
 * (/demandes/<id>/): its status and history, updated live over the websocket (the
 * citizen stream, opened with a single-use ticket, resumed from the last position
 * seen), and its messages with the service, to read and answer.
 */

import { LitElement, css, html } from 'lit';

import { LiveStream } from '../api/live';
import { GuichetClient, ProblemError, type HistoryEvent, type Submission, type components } from '../api/client';
import { at } from '../account/messages';
import { signedIn } from '../account/session';
import { go } from '../app/router';
import { language, t } from '../i18n';
import { fillStyles } from '../fill/styles';

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
  };

  declare params: Record<string, string>;
  declare list: Submission[] | undefined;
  declare request: Submission | undefined;
  declare history: HistoryEvent[];
  declare messages: Message[];
  declare announce: string;
  declare error: string;
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
    this.ready = new Promise((resolve) => setTimeout(() => void this.load().finally(resolve)));
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
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
    if (message.request.status !== this.request.status) {
      this.request = { ...this.request, status: message.request.status, status_label: message.request.status_label ?? message.request.status };
      this.announce = at.statusChanged(this.request.status_label);
    }
  }

  private async reply(event: Event): Promise<void> {
    event.preventDefault();
    const box = this.renderRoot.querySelector<HTMLTextAreaElement>('#reply');
    const body = box?.value.trim() ?? '';
    if (!body || !this.request) return;
    try {
      const posted = (await (await this.client.call('POST', `/api/submissions/${encodeURIComponent(this.request.id)}/messages/`, { body })).json()) as Message;
      this.messages = [...this.messages, posted];
      if (box) box.value = '';
      this.announce = at.messageSent;
    } catch (error) {
      this.error = error instanceof ProblemError ? error.message : at.unavailable;
    }
  }

  private renderList(list: Submission[]) {
    return html`<h1 tabindex="-1">${at.requestsTitle}</h1>
      ${list.length ? html`<ul class="items">${list.map((s) => html`<li>
        ${s.state === 'draft'
          ? html`<a href="/demarches/${s.procedure.slug}/remplir/">${s.procedure.title}</a> <span>${at.draft}</span>`
          : html`<a href="/demandes/${s.id}/">${s.procedure.title}</a>
            <span>${s.reference} · ${s.status_label}</span><span>${at.sentOn(when(s.submitted_at))}</span>`}
      </li>`)}</ul>` : html`<p>${at.noRequests}</p>`}`;
  }

  private renderRequest(request: Submission) {
    return html`<p class="back"><a href="/demandes/">${at.back}</a></p>
      <h1 tabindex="-1">${request.procedure.title}</h1>
      <dl class="facts">
        <div><dt>${at.reference}</dt><dd>${request.reference}</dd></div>
        <div><dt>${at.status}</dt><dd class="current">${request.status_label}</dd></div>
        <div><dt>${t.sentOn}</dt><dd>${when(request.submitted_at)}</dd></div>
      </dl>
      <p class="hint">${at.live}</p>
      <h2>${at.history}</h2>
      <ol class="history">${[...this.history].reverse().map((e) => html`<li><time datetime=${e.created_at}>${when(e.created_at)}</time> ${t.eventLabel(e.kind)}</li>`)}</ol>
      <h2>${at.messages}</h2>
      ${this.messages.length ? html`<ol class="messages">${this.messages.map((m) => html`<li class=${m.from_agent ? 'agent' : 'you'}>
        <p class="who">${m.from_agent ? at.fromAgent : at.fromYou} · <time datetime=${m.created_at}>${when(m.created_at)}</time></p>
        <p class="body">${m.body}</p></li>`)}</ol>` : html`<p>${at.noMessages}</p>`}
      <form novalidate @submit=${(e: Event) => void this.reply(e)}>
        <div class="field"><label for="reply">${at.reply}</label><textarea id="reply" rows="4" maxlength="10000"></textarea></div>
        <div class="actions"><button type="submit">${at.send}</button></div>
      </form>`;
  }

  render() {
    let body;
    if (this.error) body = html`<h1 tabindex="-1">${at.unavailable}</h1><p>${this.error}</p>`;
    else if (this.request) body = this.renderRequest(this.request);
    else if (this.list) body = this.renderList(this.list);
    else body = html`<p class="status" role="status">${t.loading}</p>`;
    return html`<article>${body}<p class="visually-hidden" role="status">${this.announce}</p></article>`;
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
  `];
}

if (!customElements.get('guichet-requests')) customElements.define('guichet-requests', GuichetRequests);
