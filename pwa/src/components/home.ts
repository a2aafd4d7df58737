/**
 * <guichet-home-panels>: what the home page adds above the whole catalog — the
 * procedures the municipality features, what this device holds (a draft to finish, a
 * request waiting to be sent, the receipt of one sent), and the signed-in person's
 * latest requests.
 */

import { LitElement, css, html, nothing } from 'lit';

import { GuichetClient, type Procedure, type Submission } from '../api/client';
import { language, t } from '../i18n';
import { SIGNED_IN } from '../account/session';
import type { LocalDraft } from '../fill/store';

type Page<T> = { results: T[] };

export class GuichetHomePanels extends LitElement {
  static properties = {
    featured: { state: true },
    device: { state: true },
    mine: { state: true },
  };

  declare featured: Procedure[];
  declare device: LocalDraft[];
  declare mine: Submission[];
  private readonly onOutbox = () => void this.loadDevice();

  constructor() {
    super();
    this.featured = [];
    this.device = [];
    this.mine = [];
  }

  connectedCallback(): void {
    super.connectedCallback();
    const client = new GuichetClient('', language);
    client.call('GET', '/api/procedures/?featured=true&page_size=6').then(
      async (response) => (this.featured = ((await response.json()) as Page<Procedure>).results),
      () => undefined, // offline and never seen: the catalog below still lists what it can
    );
    // Only a signed-in person has requests of their own: asked only when the app signed
    // someone in (it notes so in SIGNED_IN), so that nobody else's page logs a 401.
    if (localStorage.getItem(SIGNED_IN)) {
      client.call('GET', '/api/me/submissions/?page_size=3').then(
        async (response) => (this.mine = ((await response.json()) as Page<Submission>).results),
        () => localStorage.removeItem(SIGNED_IN), // the session ended elsewhere
      );
    }
    void this.loadDevice();
    window.addEventListener('guichet-outbox', this.onOutbox);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    window.removeEventListener('guichet-outbox', this.onOutbox);
  }

  private async loadDevice(): Promise<void> {
    const { allDrafts } = await import('../fill/store');
    try {
      this.device = (await allDrafts()).sort((a, b) => b.updatedAt - a.updatedAt).slice(0, 5);
    } catch {
      this.device = []; // IndexedDB refused (a private window in some browsers)
    }
  }

  private deviceItem(draft: LocalDraft) {
    const fill = `/demarches/${draft.slug}/remplir/`;
    switch (draft.delivery) {
      case 'sent':
        return html`<li><span class="what">${draft.title}</span>
          <span>${t.homeSent} · ${t.reference} <strong>${draft.reference}</strong> · ${t.trackingCode} <strong>${draft.trackingCode}</strong></span>
          <a href="/suivi/">${t.navTracking}</a></li>`;
      case 'waiting':
      case 'sending':
        return html`<li><span class="what">${draft.title}</span><span>${t.homeWaiting}</span></li>`;
      default:
        return html`<li><span class="what">${draft.title}</span>
          <span>${draft.delivery === 'refused' ? t.homeRefused : t.homeDraft}</span>
          <a href=${fill} aria-label=${t.homeResumeLabel(draft.title)}>${t.homeResume}</a></li>`;
    }
  }

  render() {
    return html`
      ${this.mine.length ? html`<section aria-labelledby="mine-title">
        <h2 id="mine-title">${t.homeMine}</h2>
        <ul class="items">${this.mine.map((s) => html`<li><a class="what" href=${s.state === 'draft'
          ? `/demarches/${s.procedure.slug}/brouillon/${s.id}/` : `/demandes/${s.id}/`}>${s.procedure.title}</a>
          <span>${s.reference ?? ''} ${s.status_label || t.homeDraft}</span></li>`)}</ul>
      </section>` : nothing}
      ${this.device.length ? html`<section aria-labelledby="device-title">
        <h2 id="device-title">${t.homeDevice}</h2>
        <ul class="items">${this.device.map((d) => this.deviceItem(d))}</ul>
      </section>` : nothing}
      ${this.featured.length ? html`<section aria-labelledby="featured-title">
        <h2 id="featured-title">${t.homeFeatured}</h2>
        <ul class="featured">${this.featured.map((p) => html`<li>
          <a href="/demarches/${p.slug}/">${p.title}</a><p>${p.summary}</p>
        </li>`)}</ul>
      </section>` : nothing}
    `;
  }

  static styles = css`
    :host { display: block; }
    h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
    ul { list-style: none; padding: 0; margin: 0; display: grid; gap: 0.5rem; }
    .featured { grid-template-columns: repeat(auto-fill, minmax(min(100%, 16rem), 1fr)); }
    li { background: var(--guichet-color-surface, #fff); border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 0.75rem; overflow-wrap: anywhere; }
    .items li { display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; align-items: baseline; }
    .what { font-weight: 600; }
    a { color: var(--guichet-color-primary, #1d4e89); font-weight: 600; display: inline-block; min-height: 24px; }
    a:focus-visible { outline: 3px solid var(--guichet-color-focus, #ffbf47); outline-offset: 2px; }
    p { margin: 0.25rem 0 0; }
  `;
}

if (!customElements.get('guichet-home-panels')) customElements.define('guichet-home-panels', GuichetHomePanels);
