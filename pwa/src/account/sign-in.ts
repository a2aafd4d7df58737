/**
 * <guichet-sign-in>: signing in (/compte/connexion) with a password or a code sent by
 * email, or with a provider the municipality configured; and signing up
 * (/compte/inscription), the address then confirmed with the emailed code; a forgotten
 * password (/compte/mot-de-passe) replaced with a code sent by email. After it, the
 * person goes where they were going (?suite=), else to their requests.
 */

import { LitElement, html, nothing, type TemplateResult } from 'lit';

import { ProblemError, csrfToken } from '../api/client';
import { go } from '../app/router';
import { isAppPath } from '../app/routes';
import { fillStyles } from '../fill/styles';
import { at } from './messages';
import {
  afterProvider, authenticateMfa, confirmCode, providers, requestCode, requestPasswordReset, resetPassword, signIn, signUp, verifyEmail,
  type Outcome, type Pending, type Provider,
} from './session';

type Mode = 'password' | 'code-request' | 'code' | 'signup' | 'reset-request' | 'reset';
interface Problem {
  field?: string;
  message: string;
}

export class GuichetSignIn extends LitElement {
  static properties = {
    params: { attribute: false },
    mode: { state: true },
    problems: { state: true },
    busy: { state: true },
    known: { state: true },
  };

  declare params: Record<string, string>;
  declare mode: Mode;
  declare problems: Problem[];
  declare busy: boolean;
  declare known: Provider[];
  private email = '';
  private pending: Pending;
  readonly ready: Promise<void>;

  constructor() {
    super();
    this.params = {};
    this.mode = 'password';
    this.problems = [];
    this.busy = false;
    this.known = [];
    this.ready = Promise.resolve();
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this.params.mode === 'inscription') this.mode = 'signup';
    if (this.params.mode === 'mot-de-passe') this.mode = 'reset-request';
    if (this.params.mode === 'verifier') void this.verifyLink(decodeURIComponent(this.params.key ?? ''));
    const query = new URLSearchParams(location.search);
    if (query.has('error')) void this.show([{ message: at.providerFailed }]);
    else if (query.has('retour')) void this.providerReturn();
    void providers().then((found) => (this.known = found));
  }

  private value(id: string): string {
    return this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '';
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const fields: [string, string][] = this.mode === 'code' ? [['code', at.code]]
      : this.mode === 'reset' ? [['code', at.code], ['password', at.newPassword]]
        : this.mode === 'code-request' || this.mode === 'reset-request' ? [['email', at.email]] : [['email', at.email], ['password', at.password]];
    const missing = fields.filter(([id]) => !this.value(id)).map(([id, label]) => ({ field: id, message: at.required(label) }));
    if (missing.length) return this.show(missing);
    this.busy = true;
    try {
      let result: Outcome;
      if (this.mode === 'code') {
        const code = this.value('code');
        result = this.pending === 'verify-email' ? await verifyEmail(code) : this.pending === 'mfa' ? await authenticateMfa(code) : await confirmCode(code);
      } else if (this.mode === 'reset') {
        await resetPassword(this.value('code'), this.value('password'));
        result = await signIn(this.email, this.value('password'));
      } else if (this.mode === 'reset-request') {
        this.email = this.value('email');
        result = await requestPasswordReset(this.email);
      } else {
        this.email = this.value('email');
        result = this.mode === 'signup' ? await signUp(this.email, this.value('password'))
          : this.mode === 'code-request' ? await requestCode(this.email) : await signIn(this.email, this.value('password'));
      }
      if (result.signedIn) return this.done();
      this.pending = result.pending;
      this.mode = result.pending === 'password-reset' ? 'reset' : 'code';
      this.problems = [];
      await this.updateComplete;
      this.renderRoot.querySelector<HTMLElement>('h1')?.focus();
    } catch (error) {
      const problem = error instanceof ProblemError ? error.problem : undefined;
      const params = (problem?.invalid_params ?? []) as { name?: string; reason?: string }[];
      await this.show(params.length
        ? params.map((p) => ({ field: p.name === 'key' ? 'code' : p.name, message: p.reason ?? '' }))
        : [{ message: error instanceof ProblemError ? error.message : at.unavailable }]);
    } finally {
      this.busy = false;
    }
  }

  /** The emailed link confirming an address: confirmed at once, then on as after a code. */
  private async verifyLink(key: string): Promise<void> {
    this.busy = true;
    try {
      const result = await verifyEmail(key);
      if (result.signedIn) return this.done();
      this.switchTo('password'); // confirmed; the address's owner signs in
    } catch (error) {
      await this.show([{ message: error instanceof ProblemError ? error.message : at.unavailable }]);
    } finally {
      this.busy = false;
    }
  }

  /** Back from a provider's sign-in page: on if the server signed the person in. */
  private async providerReturn(): Promise<void> {
    this.busy = true;
    try {
      if (await afterProvider()) return this.done();
      await this.show([{ message: at.providerFailed }]);
    } finally {
      this.busy = false;
    }
  }

  private done(): void {
    const query = new URLSearchParams(location.search);
    // An application asked Guichet to sign the person in (OpenID Connect): back to its
    // authorization page, on this site only.
    const authorize = new URL(query.get('next') ?? '/', location.origin);
    if (query.has('next') && authorize.origin === location.origin && authorize.pathname.startsWith('/o/authorize/')) {
      location.assign(authorize.href);
      return;
    }
    // Only one of the app's own pages: '//elsewhere' or '/\\elsewhere' resolve to other sites.
    const target = new URL(query.get('suite') ?? '/demandes/', location.origin);
    go(target.origin === location.origin && isAppPath(target.pathname) ? target.pathname + target.search : '/demandes/');
  }

  private async show(problems: Problem[]): Promise<void> {
    this.problems = problems;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLElement>('.error-summary')?.focus();
  }

  private field(id: string, label: string, type: string, hint: string, autocomplete: string): TemplateResult {
    const error = this.problems.find((p) => p.field === id)?.message;
    const described = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
    return html`<div class="field ${error ? 'has-error' : ''}">
      <label for=${id}>${label}</label>
      ${hint ? html`<p class="hint" id="${id}-hint">${hint}</p>` : nothing}
      ${error ? html`<p class="error-message" id="${id}-error">${error}</p>` : nothing}
      <input id=${id} name=${id} type=${type} autocomplete=${autocomplete} aria-describedby=${described || nothing}
        aria-invalid=${error ? 'true' : 'false'} .value=${id === 'email' ? this.email : ''} />
    </div>`;
  }

  private switchTo(mode: Mode): void {
    this.mode = mode;
    this.problems = [];
    void this.updateComplete.then(() => this.renderRoot.querySelector<HTMLElement>('h1')?.focus());
  }

  render() {
    const titles: Record<Mode, string> = {
      password: at.signInTitle, 'code-request': at.signInTitle, code: this.pending === 'mfa' ? at.mfaTitle : at.codeTitle, signup: at.signUpTitle,
      'reset-request': at.resetRequestTitle, reset: at.resetTitle,
    };
    const buttons: Record<Mode, string> = {
      password: at.signIn, 'code-request': at.sendCode, code: at.confirm, signup: at.signUp, 'reset-request': at.sendCode, reset: at.resetButton,
    };
    const mode = this.mode;
    const asksCode = mode === 'code' || mode === 'reset';
    const csrf = csrfToken();
    return html`<article>
      <h1 tabindex="-1">${titles[mode]}</h1>
      ${this.problems.length ? html`<div class="error-summary" role="alert" tabindex="-1" aria-labelledby="summary-title">
        <h2 id="summary-title">${at.summaryTitle}</h2>
        <ul>${this.problems.map((p) => html`<li>${p.field
          ? html`<a href="#${p.field}" @click=${(e: Event) => { e.preventDefault(); this.renderRoot.querySelector<HTMLElement>(`#${p.field}`)?.focus(); }}>${p.message}</a>`
          : p.message}</li>`)}</ul>
      </div>` : nothing}
      <form novalidate @submit=${(e: Event) => void this.submit(e)}>
        ${mode === 'reset-request' ? html`<p class="hint">${at.resetRequestHint}</p>` : nothing}
        ${asksCode ? html`<p class="hint">${this.pending === 'mfa' ? at.mfaHint : at.codeHint(this.email)}</p>${this.field('code', at.code, 'text', '', 'one-time-code')}` : nothing}
        ${!asksCode ? this.field('email', at.email, 'email', at.emailHint, 'email') : nothing}
        ${mode === 'password' || mode === 'signup' || mode === 'reset'
          ? this.field('password', mode === 'reset' ? at.newPassword : at.password, 'password', mode === 'password' ? '' : at.passwordHint,
            mode === 'password' ? 'current-password' : 'new-password')
          : nothing}
        <div class="actions">
          <button type="submit" ?disabled=${this.busy}>${buttons[mode]}</button>
          ${mode === 'password' ? html`<button type="button" class="link" @click=${() => this.switchTo('code-request')}>${at.byCode}</button>
            <button type="button" class="link" @click=${() => this.switchTo('reset-request')}>${at.forgotPassword}</button>` : nothing}
          ${mode === 'code-request' || mode === 'reset-request'
            ? html`<button type="button" class="link" @click=${() => this.switchTo('password')}>${at.byPassword}</button>` : nothing}
        </div>
        ${this.busy ? html`<p class="status" role="status">${at.working}</p>` : nothing}
      </form>
      ${mode === 'password' && this.known.length ? html`<h2>${at.or}</h2>${this.known.map((p) => html`
        <form method="post" action="/api/auth/browser/v1/auth/provider/redirect">
          <input type="hidden" name="provider" value=${p.id} />
          <input type="hidden" name="process" value="login" />
          <input type="hidden" name="callback_url" value=${`/compte/connexion?retour=1&suite=${encodeURIComponent(new URLSearchParams(location.search).get('suite') ?? '/demandes/')}`} />
          <input type="hidden" name="csrfmiddlewaretoken" value=${csrf} />
          <button type="submit" class="secondary">${at.withProvider(p.name)}</button>
        </form>`)}` : nothing}
      ${mode === 'signup'
        ? html`<p>${at.haveAccount} <a href="/compte/connexion">${at.signInTitle}</a></p>`
        : !asksCode ? html`<p>${at.noAccount} <a href="/compte/inscription">${at.signUpTitle}</a></p>` : nothing}
    </article>`;
  }

  static styles = fillStyles;
}

if (!customElements.get('guichet-sign-in')) customElements.define('guichet-sign-in', GuichetSignIn);
