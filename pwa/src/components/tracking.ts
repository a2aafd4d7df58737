/**
 * <guichet-tracking>: following a request without an account, at /suivi/. The code
 * is typed, never put in the address (it is the request's only key); the status and
 * history are shown, then kept up to date over the websocket with a single-use
 * ticket, reconnecting from the last position seen when the connection drops.
 */

import { LitElement, css, html, nothing } from 'lit';

import { LiveStream } from '../api/live';
import { GuichetClient, ProblemError, type HistoryEvent, type Tracking } from '../api/client';
import { language, t } from '../i18n';


interface LiveMessage {
  type: string;
  log?: string;
  position?: number;
  event?: HistoryEvent;
  request?: { status: string; status_label?: string };
}

export class GuichetTracking extends LitElement {
  static properties = {
    /** Guichet's origin when this runs as a widget on another site ('' in the app). */
    apiBase: { type: String, attribute: 'api-base' },
    tracking: { state: true },
    error: { state: true },
    busy: { state: true },
    announce: { state: true },
  };

  declare apiBase: string;
  declare tracking: Tracking | undefined;
  declare error: string | undefined;
  declare busy: boolean;
  declare announce: string;

  private code = '';
  private position = 0;
  private live: LiveStream | undefined;
  private get client(): GuichetClient {
    return new GuichetClient(this.apiBase, language);
  }

  constructor() {
    super();
    this.apiBase = '';
    this.tracking = undefined;
    this.error = undefined;
    this.busy = false;
    this.announce = '';
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.stop();
  }

  private stop(): void {
    this.live?.stop();
    this.live = undefined;
  }

  private async onSubmit(event: Event): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#code');
    const code = (input?.value ?? '').trim().toUpperCase();
    if (!code) {
      this.error = t.trackingEmpty;
      await this.updateComplete;
      input?.focus();
      return;
    }
    this.busy = true;
    this.error = undefined;
    this.stop();
    try {
      this.tracking = await this.client.track(code);
      this.code = code;
      this.position = Math.max(0, ...this.tracking.history.map((e) => e.position ?? 0));
      this.follow();
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('#result')?.focus();
    } catch (error) {
      this.tracking = undefined;
      this.error = error instanceof ProblemError ? error.message : t.procedureUnavailable;
      await this.updateComplete;
      input?.focus();
    } finally {
      this.busy = false;
    }
  }

  /** Follows this request live (a ticket for it, by its tracking code). */
  private follow(): void {
    const code = this.code;
    const base = this.apiBase ? `${this.apiBase}/` : location.href;
    this.live = new LiveStream(() => this.client.followTicket(code), () => this.position, (data) => this.onMessage(data), base);
    this.live.start();
  }

  private onMessage(data: unknown): void {
    if (typeof data !== 'string' || !this.tracking) return;
    let message: LiveMessage;
    try {
      message = JSON.parse(data) as LiveMessage;
    } catch {
      return;
    }
    if (message.type === 'refetch') {
      void this.client.track(this.code).then((tracking) => {
        this.tracking = tracking;
      }, () => undefined);
      return;
    }
    if (message.type !== 'event' || message.log !== 'submission' || !message.event) return;
    if ((message.position ?? 0) <= this.position) return; // already shown
    this.position = message.position ?? this.position;
    const tracking = { ...this.tracking, history: [...this.tracking.history, message.event] };
    if (message.request && message.request.status !== tracking.status) {
      tracking.status = message.request.status;
      tracking.status_label = message.request.status_label ?? message.request.status;
      this.announce = t.statusChanged(tracking.status_label);
    }
    this.tracking = tracking;
  }

  private renderResult(tracking: Tracking) {
    const when = (iso: string) => new Date(iso).toLocaleString(language, { dateStyle: 'long', timeStyle: 'short' });
    return html`<section id="result" tabindex="-1" aria-labelledby="result-title">
      ${this.apiBase
        ? html`<h3 id="result-title">${tracking.procedure.title}</h3>`
        : html`<h2 id="result-title">${tracking.procedure.title}</h2>`}
      <dl>
        <div><dt>${t.reference}</dt><dd>${tracking.reference}</dd></div>
        <div><dt>${t.statusNow}</dt><dd><span class="status" part="status">${tracking.status_label}</span></dd></div>
        <div><dt>${t.sentOn}</dt><dd>${when(tracking.submitted_at)}</dd></div>
      </dl>
      <p class="live">${t.trackingLive}</p>
      <h3>${t.historyTitle}</h3>
      <ol class="history">
        ${[...tracking.history].reverse().map(
          (event) => html`<li><time datetime=${event.created_at}>${when(event.created_at)}</time> ${t.eventLabel(event.kind)}</li>`,
        )}
      </ol>
    </section>`;
  }

  render() {
    return html`
      ${this.apiBase ? html`<h2 class="title">${t.trackingTitle}</h2>` : html`<h1>${t.trackingTitle}</h1>`}
      <p>${t.trackingIntro}</p>
      <form part="form" @submit=${this.onSubmit} novalidate>
        <label for="code">${t.trackingCode}</label>
        <span class="hint" id="code-hint">${t.trackingHint}</span>
        ${this.error ? html`<span class="field-error" id="code-error">${this.error}</span>` : nothing}
        <div class="row">
          <input part="input" id="code" name="code" autocomplete="off" autocapitalize="characters" spellcheck="false" maxlength="32"
            aria-describedby=${this.error ? 'code-hint code-error' : 'code-hint'} aria-invalid=${this.error ? 'true' : 'false'} />
          <button part="button" type="submit" ?disabled=${this.busy}>${t.trackingSubmit}</button>
        </div>
      </form>
      <p class="announce" role="status">${this.announce}</p>
      ${this.tracking ? this.renderResult(this.tracking) : nothing}
    `;
  }

  static styles = css`
    :host { display: block; font-family: var(--guichet-font-family, system-ui, sans-serif); color: var(--guichet-color-text, #1b1b1b); }
    h1, h2.title { font-size: 1.75rem; margin: 0.5rem 0 1rem; }
    h1, h2, h3, p, dd, li { overflow-wrap: anywhere; }
    form { display: flex; flex-direction: column; gap: 0.25rem; max-width: 32rem; }
    label { font-weight: 600; }
    .hint { color: var(--guichet-color-muted, #4a4a4a); font-size: 0.875rem; }
    .field-error { color: var(--guichet-color-error, #b00020); font-weight: 600; }
    .row { display: flex; flex-wrap: wrap; gap: 0.5rem; }
    input { flex: 1 1 10rem; min-width: 0; box-sizing: border-box; font: inherit; padding: 0.5rem; text-transform: uppercase; border: 2px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); }
    input[aria-invalid='true'] { border-color: var(--guichet-color-error, #b00020); }
    button { font: inherit; padding: 0.5rem 1rem; border-radius: var(--guichet-radius, 8px); border: 2px solid var(--guichet-color-primary, #1d4e89); background: var(--guichet-color-primary, #1d4e89); color: var(--guichet-color-on-primary, #fff); cursor: pointer; }
    input:focus-visible, button:focus-visible, #result:focus-visible { outline: 3px solid var(--guichet-color-primary, #1d4e89); outline-offset: 2px; }
    .announce:empty { display: none; }
    #result { margin-top: 1.5rem; background: var(--guichet-color-surface, #fff); border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 1rem; }
    h2, h3 { font-size: 1.25rem; margin: 0 0 0.5rem; }
    h3 { font-size: 1.125rem; margin: 1rem 0 0.5rem; }
    dl { margin: 0; display: grid; gap: 0.5rem; }
    dl div { display: flex; flex-wrap: wrap; gap: 0 0.5rem; }
    dt { font-weight: 600; }
    dd { margin: 0; }
    .status { font-weight: 700; padding: 0 0.5rem; border: 2px solid var(--guichet-color-primary, #1d4e89); border-radius: 999px; }
    .live { color: var(--guichet-color-muted, #4a4a4a); font-size: 0.875rem; }
    .history { padding-left: 1.25rem; }
    .history li { margin: 0.25rem 0; }
    time { font-weight: 600; }
  `;
}

if (!customElements.get('guichet-tracking')) customElements.define('guichet-tracking', GuichetTracking);
