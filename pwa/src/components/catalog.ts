/**
 * <guichet-catalog>: the searchable list of procedures. Used by the app and,
 * later, by the widgets; its look comes from --guichet-* custom properties.
 */

import { LitElement, css, html, nothing } from 'lit';

import { GuichetClient, ProblemError, cursorOf, type Category, type Procedure } from '../api/client';
import { language, t } from '../i18n';
import { filterOffline } from './offline-filter';

const SEARCH_DELAY_MS = 250;

export class GuichetCatalog extends LitElement {
  static properties = {
    params: { attribute: false },
    apiBase: { type: String, attribute: 'api-base' },
    /** Where the app's pages are ('' in the app; Guichet's origin in a widget). */
    appBase: { type: String, attribute: 'app-base' },
    /** A widget on another site: one category at most, no address of its own, no page title. */
    embedded: { type: Boolean, attribute: false },
    fixedCategory: { type: String, attribute: 'category' },
    query: { state: true },
    category: { state: true },
    categories: { state: true },
    procedures: { state: true },
    nextCursor: { state: true },
    loading: { state: true },
    error: { state: true },
    offline: { state: true },
  };

  /** From the router: ``home`` on the app's home page, which adds its panels above the list. */
  declare params: Record<string, string>;
  declare apiBase: string;
  declare appBase: string;
  declare embedded: boolean;
  declare fixedCategory: string;
  declare query: string;
  declare category: string;
  declare categories: Category[];
  declare procedures: Procedure[];
  declare nextCursor: string | undefined;
  declare loading: boolean;
  declare error: string | undefined;
  /** Showing what was seen before, filtered here: the network is gone. */
  declare offline: boolean;
  /** Every procedure seen, for searching offline. */
  private readonly known = new Map<string, Procedure>();

  private timer: ReturnType<typeof setTimeout> | undefined;
  private inflight: AbortController | undefined;

  constructor() {
    super();
    this.params = {};
    this.apiBase = '';
    this.appBase = '';
    this.embedded = false;
    this.fixedCategory = '';
    this.query = '';
    this.category = '';
    this.categories = [];
    this.procedures = [];
    this.nextCursor = undefined;
    this.loading = false;
    this.error = undefined;
    this.offline = false;
  }

  private get client(): GuichetClient {
    return new GuichetClient(this.apiBase, language);
  }

  connectedCallback(): void {
    super.connectedCallback();
    if (this.params.home === 'true') void import('./home');
    this.readAddress();
    this.addEventListener('guichet-location', this.onLocation);
    void this.loadCategories();
    void this.search();
    // On a first visit the list loads before the service worker controls the page:
    // asked again once it does, the list is kept for offline use.
    if (typeof navigator !== 'undefined') navigator.serviceWorker?.addEventListener('controllerchange', this.onController);
    if (typeof window !== 'undefined') window.addEventListener('online', this.onController);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('guichet-location', this.onLocation);
    if (typeof navigator !== 'undefined') navigator.serviceWorker?.removeEventListener('controllerchange', this.onController);
    if (typeof window !== 'undefined') window.removeEventListener('online', this.onController);
  }

  /** The search and category in the address (?q=…&categorie=…): shared links open the same list. */
  private readAddress(): void {
    if (this.embedded) {
      this.category = this.fixedCategory;
      return;
    }
    if (typeof location === 'undefined') return;
    const params = new URLSearchParams(location.search);
    this.query = params.get('q') ?? '';
    this.category = params.get('categorie') ?? '';
  }

  private writeAddress(): void {
    if (this.embedded || typeof location === 'undefined' || typeof history === 'undefined') return;
    const params = new URLSearchParams();
    if (this.query.trim()) params.set('q', this.query.trim());
    if (this.category) params.set('categorie', this.category);
    const search = params.toString();
    const url = `${location.pathname}${search ? `?${search}` : ''}`;
    if (url !== location.pathname + location.search) history.replaceState(null, '', url);
  }

  private readonly onLocation = (): void => {
    if (this.params.home === 'true') void import('./home');
    this.readAddress();
    void this.search();
  };

  private readonly onController = (): void => {
    void this.loadCategories();
    void this.search();
  };

  private async loadCategories(): Promise<void> {
    try {
      this.categories = await this.client.categories();
    } catch {
      this.categories = [];
    }
  }

  private async search(append = false): Promise<void> {
    this.inflight?.abort();
    const controller = new AbortController();
    this.inflight = controller;
    this.loading = true;
    this.error = undefined;
    try {
      const page = await this.client.procedures(
        { q: this.query, category: this.category, cursor: append ? this.nextCursor : undefined },
        controller.signal,
      );
      this.procedures = append ? [...this.procedures, ...page.results] : page.results;
      this.nextCursor = cursorOf(page.next);
      for (const procedure of page.results) this.known.set(procedure.slug, procedure);
      this.offline = typeof navigator !== 'undefined' && navigator.onLine === false;
    } catch (error) {
      if (controller.signal.aborted) return;
      if (!(error instanceof ProblemError) && this.known.size > 0) {
        // No answer at all (offline): search what was seen instead of emptying the list.
        this.procedures = filterOffline([...this.known.values()], this.query, this.category);
        this.nextCursor = undefined;
        this.offline = true;
        return;
      }
      this.error = error instanceof ProblemError ? error.message : t.errorTitle;
      if (!append) this.procedures = [];
    } finally {
      if (this.inflight === controller) this.loading = false;
    }
  }

  private onInput(event: Event): void {
    this.query = (event.target as HTMLInputElement).value;
    this.writeAddress();
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.search(), SEARCH_DELAY_MS);
  }

  private onCategory(event: Event): void {
    this.category = (event.target as HTMLSelectElement).value;
    this.writeAddress();
    clearTimeout(this.timer);
    void this.search();
  }

  private onSubmit(event: Event): void {
    event.preventDefault();
    clearTimeout(this.timer);
    void this.search();
  }

  private renderProcedure(procedure: Procedure) {
    return html`<li class="procedure" part="procedure">
      <h3><a part="procedure-link" href=${`${this.appBase}/demarches/${procedure.slug}/`}>${procedure.title}</a></h3>
      <p>${procedure.summary}</p>
      <p class="meta">
        <span class="tag">${procedure.category.title}</span>
        ${procedure.estimated_minutes ? html`<span>${t.minutes(procedure.estimated_minutes)}</span>` : nothing}
        ${procedure.requires_account ? html`<span>${t.accountRequired}</span>` : nothing}
      </p>
    </li>`;
  }

  render() {
    return html`
      <section aria-labelledby=${this.embedded ? 'list-title' : 'catalog-title'}>
        ${this.embedded ? nothing : html`<h1 id="catalog-title">${t.catalogTitle}</h1>`}
        <form role="search" part="search" @submit=${this.onSubmit}>
          <div class="field">
            <label for="q">${t.searchLabel}</label>
            <span class="hint" id="q-hint">${t.searchHint}</span>
            <input id="q" name="q" type="search" maxlength="200" autocomplete="off"
              aria-describedby="q-hint" .value=${this.query} @input=${this.onInput} />
          </div>
          <div class="field" ?hidden=${this.embedded && !!this.fixedCategory}>
            <label for="category">${t.categoryLabel}</label>
            <select id="category" name="category" @change=${this.onCategory}>
              <option value="">${t.allCategories}</option>
              ${this.categories.map(
                (c) => html`<option value=${c.slug} ?selected=${c.slug === this.category}>
                  ${c.title} (${c.procedure_count})
                </option>`,
              )}
            </select>
          </div>
        </form>
        ${this.params.home === 'true' && !this.query.trim() && !this.category ? html`<guichet-home-panels></guichet-home-panels>` : nothing}
        <h2 class="list-title" id="list-title">${this.embedded && this.fixedCategory ? (this.categories.find((c) => c.slug === this.fixedCategory)?.title ?? t.allProcedures) : t.allProcedures}</h2>
        <p class="status" role="status" aria-live="polite">
          ${this.loading ? t.loading : this.error ? nothing : t.results(this.procedures.length)}
        </p>
        ${this.offline ? html`<p class="offline" part="offline">${t.offline}</p>` : nothing}
        ${this.error
          ? html`<div class="error" role="alert">
              <h2>${t.errorTitle}</h2>
              <p>${this.error}</p>
              <button type="button" @click=${() => this.search()}>${t.retry}</button>
            </div>`
          : nothing}
        <ul class="procedures" part="list">${this.procedures.map((p) => this.renderProcedure(p))}</ul>
        ${this.nextCursor && !this.loading
          ? html`<button type="button" class="more" @click=${() => this.search(true)}>${t.moreResults}</button>`
          : nothing}
      </section>
    `;
  }

  static styles = css`
    :host { display: block; font-family: var(--guichet-font-family, system-ui, sans-serif); color: var(--guichet-color-text, #1b1b1b); }
    h1 { font-size: 1.75rem; margin: 0.5rem 0 1rem; }
    h2 { font-size: 1.25rem; margin: 1.5rem 0 0.25rem; }
    form { display: grid; gap: 1rem; grid-template-columns: minmax(0, 2fr) minmax(0, 1fr); align-items: end; }
    @media (max-width: 40rem) { form { grid-template-columns: minmax(0, 1fr); } }
    .field { display: flex; flex-direction: column; gap: 0.25rem; min-width: 0; }
    h1, h2, h3, p { overflow-wrap: anywhere; }
    [hidden] { display: none !important; }
    label { font-weight: 600; }
    .hint { color: var(--guichet-color-muted, #4a4a4a); font-size: 0.875rem; }
    input, select { box-sizing: border-box; width: 100%; min-width: 0; font: inherit; padding: 0.5rem; border: 2px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); background: var(--guichet-color-surface, #fff); color: inherit; }
    input:focus-visible, select:focus-visible, button:focus-visible { outline: 3px solid var(--guichet-color-primary, #1d4e89); outline-offset: 2px; }
    .status { color: var(--guichet-color-muted, #4a4a4a); min-height: 1.5em; }
    .procedures { list-style: none; padding: 0; display: grid; gap: 0.75rem; }
    .procedure { background: var(--guichet-color-surface, #fff); border: 1px solid color-mix(in srgb, var(--guichet-color-border, #767676) 45%, var(--guichet-color-surface, #fff)); border-radius: var(--guichet-radius, 8px); padding: 1rem; }
    .procedure { position: relative; }
    .procedure h3 { margin: 0 0 0.25rem; font-size: 1.125rem; color: var(--guichet-color-primary, #1d4e89); }
    .procedure h3 a { color: inherit; }
    /* The whole card follows its link; the link alone is focused and read out. */
    .procedure h3 a::after { content: ''; position: absolute; inset: 0; border-radius: inherit; }
    .procedure h3 a:focus-visible { outline: none; }
    .procedure:focus-within { outline: 3px solid var(--guichet-color-primary, #1d4e89); outline-offset: 2px; }
    .procedure:hover { border-color: var(--guichet-color-primary, #1d4e89); }
    .procedure p { margin: 0.25rem 0; }
    .meta { display: flex; flex-wrap: wrap; gap: 0.75rem; font-size: 0.875rem; color: var(--guichet-color-muted, #4a4a4a); }
    .tag { background: color-mix(in srgb, var(--guichet-color-primary, #1d4e89) 10%, var(--guichet-color-surface, #fff)); color: var(--guichet-color-text, #1b1b1b); padding: 0 0.5rem; border-radius: 999px; }
    button { font: inherit; padding: 0.5rem 1rem; border-radius: var(--guichet-radius, 8px); border: 2px solid var(--guichet-color-primary, #1d4e89); background: var(--guichet-color-primary, #1d4e89); color: var(--guichet-color-on-primary, #fff); cursor: pointer; }
    .offline { border-left: 4px solid var(--guichet-color-primary, #1d4e89); padding: 0.5rem 1rem; background: var(--guichet-color-surface, #fff); }
    .error { border-left: 4px solid var(--guichet-color-error, #b00020); padding: 0.5rem 1rem; background: var(--guichet-color-surface, #fff); }
  `;
}

if (!customElements.get('guichet-catalog')) customElements.define('guichet-catalog', GuichetCatalog);
