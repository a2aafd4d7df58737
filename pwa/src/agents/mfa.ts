/**
 * <guichet-agent-mfa>: the second factor the back office asks of agents when the
 * municipality requires it (the API's `mfa-required`). An agent without an
 * authenticator app sets one up here: the key as a QR code and as text, their
 * password confirmed, then a code from the app; that session then counts as signed
 * in with it (decision 0023). An agent who has one gives a code from it. Either way
 * the element says `guichet-mfa-done` and the screen loads again.
 */

import { LitElement, css, html, nothing, svg } from 'lit';
import { encode } from 'uqr';

import { ProblemError } from '../api/client';
import { client } from './data';
import { bo } from './strings';
import { agentStyles } from './styles';

const AUTH = '/api/auth/browser/v1';

interface Setup {
  secret: string;
  url: string;
}

interface Problem {
  field?: 'password' | 'code';
  message: string;
}

/** The QR code of an otpauth address, drawn as one SVG path (no inline style: the policy refuses it). */
function qr(text: string) {
  const { data, size } = encode(text, { ecc: 'M', border: 2 });
  const path = data.flatMap((row, y) => row.map((dark, x) => (dark ? `M${x} ${y}h1v1h-1z` : ''))).join('');
  return svg`<svg class="qr" viewBox="0 0 ${size} ${size}" role="img" aria-label=${bo.mfaQrLabel} shape-rendering="crispEdges">
    <rect width=${size} height=${size} class="light"></rect><path d=${path} class="dark"></path></svg>`;
}

export class GuichetAgentMfa extends LitElement {
  static properties = {
    setup: { state: true },
    state: { state: true },
    problems: { state: true },
    busy: { state: true },
  };

  /** The key to set up, when the agent has no authenticator app yet. */
  declare setup: Setup | undefined;
  declare state: 'loading' | 'setup' | 'code' | 'error';
  declare problems: Problem[];
  declare busy: boolean;

  constructor() {
    super();
    this.state = 'loading';
    this.problems = [];
    this.busy = false;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.start();
  }

  private async start(): Promise<void> {
    try {
      await client.call('GET', `${AUTH}/account/authenticators/totp`);
      this.state = 'code';
    } catch (error) {
      const meta = error instanceof ProblemError ? (error.problem as { meta?: { secret?: string; totp_url?: string } }).meta : undefined;
      if (error instanceof ProblemError && error.problem.status === 404 && meta?.secret && meta.totp_url) {
        this.setup = { secret: meta.secret, url: meta.totp_url };
        this.state = 'setup';
      } else {
        this.state = 'error';
      }
    }
  }

  private value(id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '';
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const code = this.value('mfa-code').replace(/\s+/g, '');
    const password = this.value('mfa-password');
    const missing: Problem[] = [];
    if (this.state === 'setup' && !password) missing.push({ field: 'password', message: bo.mfaPasswordMissing });
    if (!/^\d{6}$/.test(code)) missing.push({ field: 'code', message: bo.mfaCodeFormat });
    if (missing.length) return this.show(missing);
    this.busy = true;
    try {
      if (this.state === 'setup') {
        await this.post('/auth/reauthenticate', { password }, 'password');
        await this.post('/account/authenticators/totp', { code }, 'code');
      } else {
        await this.post('/auth/2fa/reauthenticate', { code }, 'code');
      }
      this.dispatchEvent(new CustomEvent('guichet-mfa-done', { bubbles: true, composed: true }));
    } catch (error) {
      await this.show([error instanceof FieldProblem ? error.problem : { message: bo.unavailable }]);
    } finally {
      this.busy = false;
    }
  }

  /** A call whose refusal is about one field (a wrong password, a wrong code). */
  private async post(path: string, body: Record<string, string>, field: Problem['field']): Promise<void> {
    try {
      await client.call('POST', `${AUTH}${path}`, body);
    } catch (error) {
      if (!(error instanceof ProblemError) || (error.problem.status ?? 500) >= 500) throw error;
      const reason = ((error.problem.invalid_params ?? []) as { reason?: string }[])[0]?.reason;
      throw new FieldProblem({ field, message: reason || error.message });
    }
  }

  private async show(problems: Problem[]): Promise<void> {
    this.problems = problems;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.error-summary')?.focus();
  }

  private field(id: 'password' | 'code', label: string, type: string, hint: string, autocomplete: string) {
    const error = this.problems.find((p) => p.field === id)?.message;
    const described = [`mfa-${id}-hint`, error ? `mfa-${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field ${error ? 'has-error' : ''}">
      <label for="mfa-${id}">${label}</label>
      <p class="hint" id="mfa-${id}-hint">${hint}</p>
      ${error ? html`<p class="error-message" id="mfa-${id}-error">${error}</p>` : nothing}
      <input id="mfa-${id}" type=${type} autocomplete=${autocomplete} inputmode=${id === 'code' ? 'numeric' : nothing}
        aria-describedby=${described} aria-invalid=${error ? 'true' : 'false'} />
    </div>`;
  }

  render() {
    if (this.state === 'loading') return html`<p role="status">${bo.loading}</p>`;
    if (this.state === 'error') return html`<p class="notice">${bo.unavailable}</p>`;
    const setup = this.state === 'setup' ? this.setup : undefined;
    return html`<section aria-labelledby="mfa-title">
      <h2 id="mfa-title">${setup ? bo.mfaSetupTitle : bo.mfaCodeTitle}</h2>
      ${this.problems.length ? html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="mfa-summary">
        <h3 id="mfa-summary">${bo.mfaProblems}</h3>
        <ul>${this.problems.map((p) => html`<li>${p.field
          ? html`<a href="#mfa-${p.field}" @click=${(e: Event) => { e.preventDefault(); this.renderRoot.querySelector<HTMLElement>(`#mfa-${p.field}`)?.focus(); }}>${p.message}</a>`
          : p.message}</li>`)}</ul>
      </div>` : nothing}
      ${setup ? html`<ol class="steps">
        <li><p>${bo.mfaScan}</p>${qr(setup.url)}
          <p>${bo.mfaOrType} <code class="key">${setup.secret.replace(/(.{4})/g, '$1 ').trim()}</code></p></li>
        <li><p>${bo.mfaThenConfirm}</p></li>
      </ol>` : html`<p>${bo.mfaCodeIntro}</p>`}
      <form novalidate @submit=${(e: Event) => void this.submit(e)}>
        ${setup ? this.field('password', bo.mfaPassword, 'password', bo.mfaPasswordHint, 'current-password') : nothing}
        ${this.field('code', bo.mfaCode, 'text', bo.mfaCodeHint, 'one-time-code')}
        <div class="actions"><button type="submit" ?disabled=${this.busy}>${setup ? bo.mfaActivate : bo.mfaConfirm}</button></div>
        ${this.busy ? html`<p class="status" role="status">${bo.mfaChecking}</p>` : nothing}
      </form>
    </section>`;
  }

  static styles = [...agentStyles, css`
    .qr { width: 12rem; height: 12rem; display: block; margin: 0.5rem 0; }
    .qr .light { fill: var(--guichet-color-surface, #fff); }
    .qr .dark { fill: var(--guichet-color-text, #1b1b1b); }
    .key { font-size: 1.1rem; letter-spacing: 0.05em; word-break: break-all; }
    .steps { padding-left: 1.25rem; }
    .notice { border-left: 4px solid var(--guichet-color-primary, #1d4e89); padding: 0.5rem 0.75rem; }
  `];
}

/** A refusal that concerns one field of the form. */
class FieldProblem extends Error {
  constructor(public readonly problem: Problem) {
    super(problem.message);
  }
}

if (!customElements.get('guichet-agent-mfa')) customElements.define('guichet-agent-mfa', GuichetAgentMfa);
