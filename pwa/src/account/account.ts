/**
 * <guichet-account> (/compte/): the signed-in person's details, their data to
 * download, and signing out (which forgets what the device keeps of them).
 */

import { LitElement, html, nothing } from 'lit';

import { GuichetClient, ProblemError, type components } from '../api/client';
import { go } from '../app/router';
import { language } from '../i18n';
import { fillStyles } from '../fill/styles';
import { at } from './messages';
import { signOut, signedIn } from './session';

type Profile = components['schemas']['Profile'];

export class GuichetAccount extends LitElement {
  static properties = { profile: { state: true }, note: { state: true }, error: { state: true } };

  declare profile: Profile | undefined;
  declare note: string;
  declare error: string;
  readonly ready: Promise<void>;
  private readonly client = new GuichetClient('', language);

  constructor() {
    super();
    this.note = '';
    this.error = '';
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    if (!(await signedIn())) {
      go(`/compte/connexion?suite=${encodeURIComponent('/compte/')}`);
      return;
    }
    try {
      this.profile = (await (await this.client.call('GET', '/api/me/')).json()) as Profile;
    } catch (error) {
      this.error = error instanceof ProblemError ? error.message : at.unavailable;
    }
    await this.updateComplete;
  }

  private async save(event: Event): Promise<void> {
    event.preventDefault();
    const value = (id: string) => this.renderRoot.querySelector<HTMLInputElement>(`#${id}`)?.value.trim() ?? '';
    try {
      const body = { first_name: value('first_name'), last_name: value('last_name'), phone: value('phone') };
      this.profile = (await (await this.client.call('PATCH', '/api/me/', body)).json()) as Profile;
      this.error = '';
      this.note = at.saved;
    } catch (error) {
      this.note = '';
      this.error = error instanceof ProblemError ? error.message : at.unavailable;
    }
  }

  private async leave(): Promise<void> {
    await signOut();
    go('/');
  }

  render() {
    const p = this.profile;
    const field = (id: 'first_name' | 'last_name' | 'phone', label: string, autocomplete: string) => html`<div class="field">
      <label for=${id}>${label}</label>
      <input id=${id} type=${id === 'phone' ? 'tel' : 'text'} autocomplete=${autocomplete} .value=${p?.[id] ?? ''} />
    </div>`;
    return html`<article>
      <h1 tabindex="-1">${at.accountTitle}</h1>
      ${this.error ? html`<p class="error-message" role="alert">${this.error}</p>` : nothing}
      ${p ? html`
        <p>${at.email} : <strong>${p.email}</strong></p>
        <form novalidate @submit=${(e: Event) => void this.save(e)}>
          ${field('first_name', at.firstName, 'given-name')} ${field('last_name', at.lastName, 'family-name')}
          ${field('phone', at.phone, 'tel')}
          <div class="actions"><button type="submit">${at.save}</button></div>
          <p class="status" role="status">${this.note}</p>
        </form>
        <h2>${at.export}</h2>
        <p>${at.exportHint}</p>
        <p><a href="/api/me/data/" download="guichet-mes-donnees.json">${at.export}</a></p>
        <div class="actions"><button type="button" class="secondary" @click=${() => void this.leave()}>${at.signOut}</button></div>`
        : nothing}
    </article>`;
  }

  static styles = fillStyles;
}

if (!customElements.get('guichet-account')) customElements.define('guichet-account', GuichetAccount);
