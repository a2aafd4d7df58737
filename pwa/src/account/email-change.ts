/**
 * <guichet-email-change>: changing the account's email address. The new address is
 * added (POST /account/email), a code is sent to it, and once the code is entered
 * the new address replaces the old one (the account API's "change email" mode); until
 * then the old one stays in use.
 */

import { LitElement, html, nothing } from 'lit';

import { GuichetClient, ProblemError } from '../api/client';
import { language } from '../i18n';
import { fillStyles } from '../fill/styles';
import { at } from './messages';

const AUTH = '/api/auth/browser/v1';

export class GuichetEmailChange extends LitElement {
  static properties = { step: { state: true }, error: { state: true }, busy: { state: true }, note: { state: true } };

  declare step: 'address' | 'code';
  declare error: string;
  declare busy: boolean;
  declare note: string;
  private readonly client = new GuichetClient('', language);
  private address = '';

  constructor() {
    super();
    this.step = 'address';
    this.error = '';
    this.busy = false;
    this.note = '';
  }

  private async submit(event: Event): Promise<void> {
    event.preventDefault();
    const input = this.renderRoot.querySelector<HTMLInputElement>('#change-input');
    const value = input?.value.trim() ?? '';
    if (!value) return this.fail(this.step === 'address' ? at.required(at.newEmail) : at.required(at.code));
    this.busy = true;
    try {
      if (this.step === 'address') {
        this.address = value;
        await this.quietly(() => this.client.call('POST', `${AUTH}/account/email`, { email: value }));
        this.step = 'code';
        this.error = '';
        this.note = '';
        await this.updateComplete;
        this.renderRoot.querySelector<HTMLInputElement>('#change-input')?.focus();
      } else {
        await this.quietly(() => this.client.call('POST', `${AUTH}/auth/email/verify`, { key: value }));
        this.step = 'address';
        this.error = '';
        this.note = at.emailChanged(this.address);
        this.dispatchEvent(new CustomEvent('changed', { bubbles: true, composed: true }));
      }
    } catch (error) {
      const params = ((error instanceof ProblemError ? error.problem.invalid_params : undefined) ?? []) as { reason?: string }[];
      await this.fail(params[0]?.reason ?? (error instanceof ProblemError ? error.message : at.unavailable));
    } finally {
      this.busy = false;
    }
  }

  /** A 401 that only says another step is pending (the code) is what adding an address answers. */
  private async quietly(call: () => Promise<Response>): Promise<void> {
    try {
      await call();
    } catch (error) {
      const code = error instanceof ProblemError ? (error.problem as { code?: string }).code : undefined;
      if (code !== 'verify-email-pending') throw error;
    }
  }

  private async fail(message: string): Promise<void> {
    this.error = message;
    await this.updateComplete;
    this.renderRoot.querySelector<HTMLInputElement>('#change-input')?.focus();
  }

  render() {
    const address = this.step === 'address';
    const described = ['change-hint', this.error ? 'change-error' : ''].filter(Boolean).join(' ');
    return html`<form novalidate @submit=${(e: Event) => void this.submit(e)}>
      <div class="field ${this.error ? 'has-error' : ''}">
        <label for="change-input">${address ? at.newEmail : at.code}</label>
        <p class="hint" id="change-hint">${address ? at.newEmailHint : at.codeHint(this.address)}</p>
        ${this.error ? html`<p class="error-message" id="change-error">${this.error}</p>` : nothing}
        ${address
          ? html`<input id="change-input" type="email" autocomplete="email" aria-describedby=${described} aria-invalid=${this.error ? 'true' : 'false'} />`
          : html`<input id="change-input" type="text" autocomplete="one-time-code" aria-describedby=${described} aria-invalid=${this.error ? 'true' : 'false'} />`}
      </div>
      <div class="actions">
        <button type="submit" class="secondary" ?disabled=${this.busy}>${address ? at.changeEmail : at.confirm}</button>
        ${address ? nothing : html`<button type="button" class="link" @click=${() => { this.step = 'address'; this.error = ''; }}>${at.cancel}</button>`}
      </div>
      <p class="status" role="status">${this.note}</p>
    </form>`;
  }

  static styles = fillStyles;
}

if (!customElements.get('guichet-email-change')) customElements.define('guichet-email-change', GuichetEmailChange);
