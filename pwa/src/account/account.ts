/**
 * <guichet-account> (/compte/): the signed-in person's details and email address,
 * how they are told of their requests, their data to download, signing out (which
 * forgets what the device keeps of them) and closing the account.
 */

import { LitElement, html, nothing } from 'lit';

import { GuichetClient, ProblemError, type components } from '../api/client';
import { go } from '../app/router';
import { language } from '../i18n';
import { fillStyles } from '../fill/styles';
import { at } from './messages';
import { signOut, signedIn } from './session';
import './email-change';

type Profile = components['schemas']['Profile'];

export class GuichetAccount extends LitElement {
  static properties = {
    profile: { state: true }, note: { state: true }, error: { state: true }, pushNote: { state: true }, closing: { state: true },
  };

  declare profile: Profile | undefined;
  declare note: string;
  declare error: string;
  declare pushNote: string;
  declare closing: string;
  readonly ready: Promise<void>;
  private readonly client = new GuichetClient('', language);

  constructor() {
    super();
    this.note = '';
    this.error = '';
    this.pushNote = '';
    this.closing = '';
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

  private async saveNotifications(event: Event): Promise<void> {
    event.preventDefault();
    const on = (id: string) => this.renderRoot.querySelector<HTMLInputElement>(`#notify-${id}`)?.checked ?? false;
    try {
      const body = { notifications: { email: on('email'), push: on('push'), sms: on('sms') } };
      this.profile = (await (await this.client.call('PATCH', '/api/me/', body)).json()) as Profile;
      this.error = '';
      this.note = at.saved;
    } catch (error) {
      this.note = '';
      this.error = error instanceof ProblemError ? error.message : at.unavailable;
    }
  }

  /** Push on this device: asked only now, after the person pressed the button that says why. */
  private async enablePush(): Promise<void> {
    this.pushNote = at.working;
    try {
      if (!('serviceWorker' in navigator) || !('PushManager' in window)) throw new Error(at.pushUnsupported);
      if ((await Notification.requestPermission()) !== 'granted') throw new Error(at.pushRefused);
      const { public_key: key } = (await (await this.client.call('GET', '/api/push/key/')).json()) as { public_key: string };
      const registration = await navigator.serviceWorker.ready;
      const subscription = await registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key });
      const json = subscription.toJSON() as { endpoint: string; keys: { p256dh: string; auth: string } };
      await this.client.call('POST', '/api/me/push-subscriptions/', { endpoint: json.endpoint, keys: json.keys, device: at.thisDevice });
      this.pushNote = at.pushOn;
    } catch (error) {
      this.pushNote = error instanceof ProblemError ? error.message : at.pushFailed(error instanceof Error ? error.message : String(error));
    }
  }

  /** Closing the account: the password again (the server asks for a recent sign-in), then gone. */
  private async close(event: Event): Promise<void> {
    event.preventDefault();
    const password = this.renderRoot.querySelector<HTMLInputElement>('#close-password')?.value ?? '';
    if (!password) {
      this.closing = at.required(at.password);
      return;
    }
    try {
      await this.client.call('POST', '/api/auth/browser/v1/auth/reauthenticate', { password });
      await this.client.call('DELETE', '/api/me/');
    } catch (error) {
      this.closing = error instanceof ProblemError ? error.message : at.unavailable;
      return;
    }
    await signOut().catch(() => undefined); // the session went with the account
    go('/');
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
      ${p?.roles?.length ? html`<p class="agents-link"><a href="/agents/">${at.agentsLink}</a></p>` : nothing}
      ${p ? html`
        <form novalidate @submit=${(e: Event) => void this.save(e)}>
          ${field('first_name', at.firstName, 'given-name')} ${field('last_name', at.lastName, 'family-name')}
          ${field('phone', at.phone, 'tel')}
          <div class="actions"><button type="submit">${at.save}</button></div>
          <p class="status" role="status">${this.note}</p>
        </form>
        <h2>${at.emailTitle}</h2>
        ${p.email ? html`<p class="current-email">${at.currentEmail(p.email)}</p>` : nothing}
        <guichet-email-change @changed=${() => void this.load()}></guichet-email-change>
        <form novalidate @submit=${(e: Event) => void this.saveNotifications(e)}>
          <fieldset class="field">
            <legend>${at.notifyTitle}</legend>
            <p class="hint">${at.notifyHint}</p>
            ${(['email', 'push', 'sms'] as const).map((channel) => html`<div class="choice">
              <input type="checkbox" id="notify-${channel}" .checked=${p.notifications?.[channel] ?? channel === 'email'} />
              <label for="notify-${channel}">${at.channel[channel]}</label>
            </div>`)}
          </fieldset>
          <div class="actions"><button type="submit">${at.saveChoices}</button></div>
        </form>
        <h2>${at.pushTitle}</h2>
        <p>${at.pushWhy}</p>
        <div class="actions"><button type="button" class="secondary" @click=${() => void this.enablePush()}>${at.pushEnable}</button></div>
        <p class="status" role="status">${this.pushNote}</p>
        <h2>${at.export}</h2>
        <p>${at.exportHint}</p>
        <p><a href="/api/me/data/" download="guichet-mes-donnees.json">${at.export}</a></p>
        <div class="actions"><button type="button" class="secondary" @click=${() => void this.leave()}>${at.signOut}</button></div>
        <h2>${at.closeTitle}</h2>
        <form novalidate @submit=${(e: Event) => void this.close(e)}>
          <p id="close-hint">${at.closeHint}</p>
          <div class="field ${this.closing ? 'has-error' : ''}">
            <label for="close-password">${at.password}</label>
            ${this.closing ? html`<p class="error-message" id="close-error">${this.closing}</p>` : nothing}
            <input id="close-password" type="password" autocomplete="current-password"
              aria-describedby=${this.closing ? 'close-hint close-error' : 'close-hint'} aria-invalid=${this.closing ? 'true' : 'false'} />
          </div>
          <div class="actions"><button type="submit" class="danger">${at.closeButton}</button></div>
        </form>`
        : nothing}
    </article>`;
  }

  static styles = fillStyles;
}

if (!customElements.get('guichet-account')) customElements.define('guichet-account', GuichetAccount);
