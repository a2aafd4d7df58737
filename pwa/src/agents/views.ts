/**
 * <guichet-agent-views>: above the inbox, the agent's saved views (theirs and those
 * shared with their roles) and the list's columns. A view is the inbox's address
 * under a name: opening one goes to it; saving names the current address (shared
 * with one of the agent's roles or not); its owner may delete it.
 */

import { LitElement, css, html, nothing } from 'lit';

import { ProblemError } from '../api/client';
import { go } from '../app/router';
import { COLUMNS, NO_FILTER, columnsOf, deleteView, saveView, savedViews, searchOf, type Column, type InboxFilter, type SavedView } from './data';
import { bo } from './strings';
import { agentStyles } from './styles';

export class GuichetAgentViews extends LitElement {
  static properties = {
    filter: { attribute: false },
    roles: { attribute: false },
    views: { state: true },
    saving: { state: true },
    note: { state: true },
  };

  /** The inbox's filter, as its address holds it. */
  declare filter: InboxFilter;
  /** The roles the agent may share a view with: [slug, name]. */
  declare roles: [string, string][];
  declare views: SavedView[];
  /** The form saving the current view is open. */
  declare saving: boolean;
  /** Said when a view was saved or deleted, or could not be. */
  declare note: string;
  /** Settles once the views are listed (or could not be). */
  readonly ready: Promise<void>;

  constructor() {
    super();
    this.filter = NO_FILTER;
    this.roles = [];
    this.views = [];
    this.saving = false;
    this.note = '';
    this.ready = this.load();
  }

  private async load(): Promise<void> {
    try {
      this.views = await savedViews();
    } catch {
      this.note = bo.unavailable;
    }
  }

  private address(filter: InboxFilter): string {
    const search = searchOf(filter).toString();
    return `/agents/${search ? `?${search}` : ''}`;
  }

  private open(id: string): void {
    const view = this.views.find((v) => v.id === id);
    if (view) go(`/agents/${view.query ? `?${view.query}` : ''}`);
  }

  private async keep(event: Event): Promise<void> {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const name = String(data.get('name') ?? '').trim();
    try {
      const saved = await saveView(name, this.filter, String(data.get('role') ?? ''));
      this.views = await savedViews();
      this.saving = false;
      this.note = bo.viewSaved(saved.name);
    } catch (error) {
      this.note = error instanceof ProblemError ? error.message : bo.unavailable;
    }
  }

  private async drop(view: SavedView): Promise<void> {
    try {
      await deleteView(view.id);
      this.views = await savedViews();
      this.note = bo.viewDeleted(view.name);
    } catch (error) {
      this.note = error instanceof ProblemError ? error.message : bo.unavailable;
    }
  }

  render() {
    const current = searchOf(this.filter).toString();
    const open = this.views.find((view) => view.query === current);
    return html`<div class="views">
      <div><label for="view">${bo.views}</label>
        <select id="view" @change=${(e: Event) => this.open((e.target as HTMLSelectElement).value)}>
          <option value="" ?selected=${!open}>${this.views.length ? bo.pickView : bo.noViews}</option>
          ${this.views.map((view) => html`<option value=${view.id} ?selected=${view === open}>${view.mine ? view.name : bo.sharedView(view.name, view.owner)}</option>`)}
        </select></div>
      <button type="button" class="secondary" aria-expanded=${String(this.saving)} @click=${() => { this.saving = !this.saving; this.note = ''; }}>${bo.saveView}</button>
      ${open?.mine ? html`<button type="button" class="link" @click=${() => void this.drop(open)}>${bo.deleteView(open.name)}</button>` : nothing}
      ${this.columns()}
      ${this.saving ? html`<form class="save-view" @submit=${(e: Event) => void this.keep(e)}>
        <div><label for="view-name">${bo.viewName}</label><input id="view-name" name="name" required maxlength="80" .value=${open?.mine ? open.name : ''} /></div>
        <div><label for="view-role">${bo.viewShare}</label><select id="view-role" name="role">
          <option value="">${bo.viewMine}</option>
          ${this.roles.map(([slug, name]) => html`<option value=${slug} ?selected=${open?.role === slug}>${bo.viewWith(name)}</option>`)}
        </select></div>
        <div><button type="submit">${bo.saveViewConfirm}</button></div>
      </form>` : nothing}
      <p class="note" role="status">${this.note}</p>
    </div>`;
  }

  private columns() {
    const shown = columnsOf(this.filter);
    const toggle = (column: Column, on: boolean) => {
      const next = COLUMNS.filter((c) => (c === column ? on : shown.includes(c)));
      go(this.address({ ...this.filter, cols: next.length === COLUMNS.length ? '' : next.join(',') }));
    };
    return html`<details class="columns"><summary>${bo.columns}</summary>
      <fieldset><legend class="visually-hidden">${bo.columns}</legend>
        ${COLUMNS.map((column) => html`<div class="choice"><input type="checkbox" id="col-${column}" .checked=${shown.includes(column)}
          @change=${(e: Event) => toggle(column, (e.target as HTMLInputElement).checked)} /><label for="col-${column}">${bo.listColumn[column]}</label></div>`)}
      </fieldset></details>`;
  }

  static styles = [...agentStyles, css`
    .views { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 0 0 1rem; }
    .views > div, .save-view > div { margin: 0; }
    .views select, .save-view input, .save-view select { font: inherit; padding: 0.4rem; border: 2px solid var(--guichet-color-text, #1b1b1b);
      background: var(--guichet-color-surface, #fff); color: inherit; max-width: 16rem; }
    .save-view { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; flex-basis: 100%; }
    .columns summary { cursor: pointer; padding: 0.5rem 0; }
    .columns fieldset { border: 0; margin: 0; padding: 0; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; }
    .note { flex-basis: 100%; margin: 0; min-height: 1.5rem; }
  `];
}

if (!customElements.get('guichet-agent-views')) customElements.define('guichet-agent-views', GuichetAgentViews);
