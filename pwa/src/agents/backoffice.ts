/**
 * <guichet-backoffice>: the agents' inbox (/agents/) and, beside it, the request
 * open (/agents/demandes/<id>). One element for both, kept by the router while the
 * agent moves between them, so the list keeps its pages, its place and its
 * selection. Filters live in the address (reload, bookmark, share). The list is a
 * cursor's pages: more are added below, nothing above moves. Over the agent's
 * websocket stream, a new request is announced (shown when the agent asks, the
 * list does not jump), a listed request that changes is refreshed in place, and
 * the counts per status follow. Keyboard: see the help dialog (`?`).
 */

import { LitElement, css, html, nothing } from 'lit';

import { cursorOf } from '../api/client';
import { LiveStream } from '../api/live';
import { go } from '../app/router';
import { language } from '../i18n';
import {
  COLUMNS, NO_FILTER, agentAccess, columnsOf, counts, filterFrom, inbox, procedures, receiverRoles, request, resorted, searchOf, sortOf,
  type Column, type InboxFilter, type InboxItem, type ReceivedProcedure, type StatusCount,
} from './data';
import { gate, refusal } from './gate';
import { bo } from './strings';
import { answerFields, whereControls, whereFrom, type FieldChoice } from './where';
import { agentStyles, badgeColour } from './styles';
import './request';
import './views';
import './work';
import type { GuichetAgentWork } from './work';

interface LiveMessage {
  type: string;
  log?: string;
  position?: number;
  request?: { id: string; status: string };
  event?: { kind: string; subject?: { id: string }; payload?: Record<string, never> };
}

const day = (iso: string | null | undefined) => (iso ? new Date(iso).toLocaleDateString(language, { dateStyle: 'medium' }) : '');

export class GuichetBackoffice extends LitElement {
  static properties = {
    params: { attribute: false },
    state: { state: true },
    rows: { state: true },
    counts: { state: true },
    next: { state: true },
    selected: { state: true },
    fresh: { state: true },
    missed: { state: true },
    kinds: { state: true },
    loadingMore: { state: true },
    busy: { state: true },
    me: { state: true },
    picked: { state: true },
    work: { state: true },
    fields: { state: true },
  };

  declare params: Record<string, string>;
  declare state: 'loading' | 'ready' | 'signed-out' | 'not-agent' | 'mfa' | 'error';
  declare rows: InboxItem[];
  declare counts: StatusCount[];
  declare next: string | undefined;
  /** The row the keyboard is on (its request's id). */
  declare selected: string | undefined;
  /** Requests that arrived since the list was loaded, not shown yet. */
  declare fresh: Set<string>;
  /** The stream said too much was missed to replay: the list may be out of date. */
  declare missed: boolean;
  declare kinds: ReceivedProcedure[];
  declare loadingMore: boolean;
  /** The list is being loaded again for another filter or order (its rows are the old ones). */
  declare busy: boolean;
  declare me: number | undefined;
  /** The requests picked by hand for a bulk action. */
  declare picked: Set<string>;
  /** The panel open for work on many requests. */
  declare work: 'bulk' | 'export' | undefined;
  /** The chosen procedure's fields, for a filter on an answer. */
  declare fields: FieldChoice[];
  readonly ready: Promise<void>;
  private filter: InboxFilter = NO_FILTER;
  private live: LiveStream | undefined;
  private position = 0;
  private countsTimer: ReturnType<typeof setTimeout> | undefined;
  private loading: AbortController | undefined;

  constructor() {
    super();
    this.params = {};
    this.state = 'loading';
    this.rows = [];
    this.counts = [];
    this.fresh = new Set();
    this.missed = false;
    this.kinds = [];
    this.loadingMore = false;
    this.busy = false;
    this.picked = new Set();
    this.fields = [];
    this.ready = new Promise((resolve) => setTimeout(() => void this.start().finally(resolve)));
  }

  private readonly onKey = (event: KeyboardEvent) => this.key(event);
  private readonly onLocation = () => void this.moved();

  connectedCallback(): void {
    super.connectedCallback();
    document.addEventListener('keydown', this.onKey);
    this.addEventListener('guichet-location', this.onLocation);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    document.removeEventListener('keydown', this.onKey);
    this.removeEventListener('guichet-location', this.onLocation);
    this.live?.stop();
    clearTimeout(this.countsTimer);
  }

  private async start(): Promise<void> {
    try {
      const access = await agentAccess();
      if (typeof access === 'string') {
        this.state = access;
        return;
      }
      this.me = access.id;
      this.filter = filterFrom(location.search);
      [this.kinds] = await Promise.all([procedures(), this.reload()]);
      this.state = 'ready';
      this.follow();
    } catch (error) {
      this.failed(error);
    }
    await this.updateComplete;
  }

  private failed(error: unknown): void {
    if (error instanceof DOMException && error.name === 'AbortError') return; // a newer load replaced it
    this.state = refusal(error);
  }

  /** The first page for the filter in the address; the selection kept when still listed. */
  private async reload(): Promise<void> {
    const procedure = this.filter.procedure;
    this.fields = [];
    if (procedure) void answerFields(procedure).then((fields) => { if (this.filter.procedure === procedure) this.fields = fields; }, () => undefined);
    this.loading?.abort();
    const loading = (this.loading = new AbortController());
    this.busy = true;
    try {
      const page = await inbox(this.filter, undefined, loading.signal);
      if (loading.signal.aborted) return;
      this.rows = page.results;
      this.counts = page.counts ?? [];
      this.next = cursorOf(page.next);
    } finally {
      if (this.loading === loading) this.busy = false;
    }
    this.fresh = new Set();
    this.missed = false;
    if (!this.rows.some((row) => row.id === this.selected)) this.selected = this.params.id ?? this.rows[0]?.id;
  }

  private async more(): Promise<void> {
    if (!this.next || this.loadingMore) return;
    this.loadingMore = true;
    try {
      const page = await inbox(this.filter, this.next);
      const known = new Set(this.rows.map((row) => row.id));
      this.rows = [...this.rows, ...page.results.filter((row) => !known.has(row.id))];
      this.next = cursorOf(page.next);
    } catch (error) {
      this.failed(error);
    } finally {
      this.loadingMore = false;
    }
  }

  /** The router kept this element: the address changed (a request opened or closed, a filter). */
  private async moved(): Promise<void> {
    const filter = filterFrom(location.search);
    if (searchOf(filter).toString() !== searchOf(this.filter).toString()) {
      this.filter = filter;
      try {
        await this.reload();
      } catch (error) {
        this.failed(error);
      }
    }
    if (this.params.id) this.selected = this.params.id;
    await this.updateComplete;
    if (!this.params.id) this.focusRow(this.selected);
  }

  private address(id?: string, filter: InboxFilter = this.filter): string {
    const search = searchOf(filter).toString();
    return `/agents/${id ? `demandes/${id}/` : ''}${search ? `?${search}` : ''}`;
  }

  private applyFilter(event: Event): void {
    event.preventDefault();
    const form = event.currentTarget as HTMLFormElement;
    const data = new FormData(form);
    go(this.address(undefined, {
      ...this.filter,
      q: String(data.get('q') ?? ''),
      procedure: String(data.get('procedure') ?? ''),
      assigned: String(data.get('assigned') ?? '') as InboxFilter['assigned'],
      deadline_passed: data.get('deadline_passed') === 'on',
      ordering: String(data.get('ordering') ?? NO_FILTER.ordering),
      from: String(data.get('from') ?? ''),
      to: String(data.get('to') ?? ''),
      role: String(data.get('role') ?? ''),
      // An answer filter belongs to its procedure's form.
      where: String(data.get('procedure') ?? '') === this.filter.procedure ? whereFrom(data) : '',
    }));
  }

  /** Follows the agent's stream: new requests announced, listed ones refreshed in place. */
  private follow(): void {
    if (this.live) return;
    const ticket = async () => ({ url: `/ws/?stream=agent&lang=${language}` });
    this.live = new LiveStream(ticket, () => this.position, (data) => void this.onLive(data));
    this.live.start();
  }

  private async onLive(data: unknown): Promise<void> {
    let message: LiveMessage;
    try {
      message = JSON.parse(String(data)) as LiveMessage;
    } catch {
      return;
    }
    if (message.type === 'refetch') {
      this.position = message.position ?? this.position;
      this.missed = true;
      return;
    }
    if (message.type === 'event' && message.log === 'job' && message.event) {
      this.renderRoot.querySelector<GuichetAgentWork>('guichet-agent-work')?.jobEvent(message.event);
      return;
    }
    if (message.type !== 'event' || message.log !== 'submission' || !message.request) return;
    this.position = Math.max(this.position, message.position ?? 0);
    const { id } = message.request;
    this.recount();
    const listed = this.rows.findIndex((row) => row.id === id);
    if (listed >= 0) {
      try {
        const now = await request(id);
        this.rows = this.rows.map((row) => (row.id === id ? { ...row, ...now } : row));
      } catch {
        // It left the agent's roles: it stays listed until the next load, which drops it.
      }
    } else if (!this.fresh.has(id)) {
      this.fresh = new Set([...this.fresh, id]);
    }
    this.dispatchEvent(new CustomEvent('guichet-request-changed', { detail: id }));
  }

  /** The counts per status follow the stream (at most one reload a second). */
  private recount(): void {
    if (this.countsTimer) return;
    this.countsTimer = setTimeout(async () => {
      this.countsTimer = undefined;
      try {
        this.counts = await counts(this.filter);
      } catch {
        // The next event tries again.
      }
    }, 1000);
  }

  private showFresh(): void {
    void this.reload().then(() => this.focusRow(this.rows[0]?.id));
  }

  private key(event: KeyboardEvent): void {
    if (this.state !== 'ready' || event.defaultPrevented || event.altKey || event.ctrlKey || event.metaKey) return;
    const target = event.composedPath()[0] as HTMLElement | undefined;
    const typing = target && (['INPUT', 'TEXTAREA', 'SELECT'].includes(target.tagName) || target.isContentEditable);
    const dialog = this.renderRoot.querySelector('dialog');
    if (dialog?.open) return;
    if (event.key === 'Escape' && this.params.id && !typing) {
      event.preventDefault();
      go(this.address());
      return;
    }
    if (typing) return;
    const index = this.rows.findIndex((row) => row.id === this.selected);
    if (event.key === 'ArrowDown' || event.key === 'j') {
      event.preventDefault();
      this.focusRow(this.rows[Math.min(this.rows.length - 1, index + 1)]?.id);
    } else if (event.key === 'ArrowUp' || event.key === 'k') {
      event.preventDefault();
      this.focusRow(this.rows[Math.max(0, index - 1)]?.id);
    } else if ((event.key === 'Enter' || event.key === 'o') && this.selected && target?.tagName !== 'BUTTON' && target?.tagName !== 'A') {
      event.preventDefault();
      go(this.address(this.selected));
    } else if (event.key === 'x' && this.selected) {
      event.preventDefault();
      this.toggle(this.selected);
    } else if (event.key === '/') {
      event.preventDefault();
      this.renderRoot.querySelector<HTMLInputElement>('#q')?.focus();
    } else if (event.key === '?') {
      event.preventDefault();
      this.renderRoot.querySelector<HTMLDialogElement>('dialog')?.showModal();
    }
  }

  private toggle(id: string, on = !this.picked.has(id)): void {
    const picked = new Set(this.picked);
    if (on) picked.add(id);
    else picked.delete(id);
    this.picked = picked;
  }

  private togglePage(on: boolean): void {
    this.picked = on ? new Set([...this.picked, ...this.rows.map((row) => row.id)]) : new Set();
  }

  private focusRow(id: string | undefined): void {
    if (!id) return;
    this.selected = id;
    void this.updateComplete.then(() => {
      const row = this.renderRoot.querySelector<HTMLElement>(`tr[data-id="${CSS.escape(id)}"]`);
      row?.focus();
    });
  }

  render() {
    if (this.state !== 'ready') return gate(bo.inboxTitle, this.state, () => { this.state = 'loading'; void this.start(); });
    return html`
      <div class="top">
        <h1>${bo.inboxTitle}</h1>
        <nav class="links" aria-label=${bo.agentLinks}><a href="/agents/saisie/">${bo.deskLink}</a> <a href="/agents/statistiques/">${bo.statsLink}</a></nav>
        <button type="button" class="secondary" aria-haspopup="dialog" @click=${() => this.renderRoot.querySelector('dialog')?.showModal()}>${bo.keysButton}</button>
      </div>
      <div class=${this.params.id ? 'split open' : 'split'}>
        <section class="list" aria-labelledby="list-title">
          <h2 id="list-title" class="visually-hidden">${bo.count(this.rows.length)}</h2>
          ${this.filter.citizen ? html`<p class="person" role="status">${bo.personView(this.personName())}
            <a href=${this.address(undefined, { ...this.filter, citizen: '' })}>${bo.everyone}</a></p>` : nothing}
          <guichet-agent-views .filter=${this.filter} .roles=${this.roles()}></guichet-agent-views>
          ${this.tabs()} ${this.filters()}
          <div class="tools">
            <p role="status" class="picked">${bo.selected(this.picked.size)}</p>
            ${this.picked.size ? html`<button type="button" class="link" @click=${() => this.togglePage(false)}>${bo.clearSelection}</button>` : nothing}
            <button type="button" class="secondary" aria-expanded=${String(this.work === 'bulk')} @click=${() => { this.work = this.work === 'bulk' ? undefined : 'bulk'; }}>${bo.bulkButton}</button>
            <button type="button" class="secondary" aria-expanded=${String(this.work === 'export')} @click=${() => { this.work = this.work === 'export' ? undefined : 'export'; }}>${bo.exportButton}</button>
          </div>
          ${this.work ? html`<guichet-agent-work .mode=${this.work} .filter=${this.filter} .ids=${[...this.picked]} .matching=${this.matching()}
              .agentId=${this.me}
              .sample=${this.filter.status ? this.rows[0]?.id : undefined} @guichet-job-done=${() => this.jobDone()} @guichet-work-closed=${() => { this.work = undefined; }}></guichet-agent-work>` : nothing}
          <p class="fresh" role="status">${this.fresh.size || this.missed
            ? html`${this.missed ? bo.freshMissed : bo.fresh(this.fresh.size)} <button type="button" class="link" @click=${() => this.showFresh()}>${bo.showFresh}</button>`
            : nothing}</p>
          ${this.table()}
          ${this.next ? html`<p><button type="button" class="secondary" ?disabled=${this.loadingMore} @click=${() => void this.more()}>${this.loadingMore ? bo.loading : bo.more}</button></p>` : nothing}
        </section>
        ${this.params.id
          ? html`<guichet-agent-request .requestId=${this.params.id} .me=${this.me} .closeHref=${this.address()}
              @guichet-request-updated=${(e: CustomEvent<InboxItem>) => this.rowChanged(e.detail)}></guichet-agent-request>`
          : nothing}
      </div>
      ${this.help()}`;
  }

  /** The person whose requests are listed (a citizen's view), as the rows name them. */
  private personName(): string {
    return this.rows.find((row) => row.citizen)?.citizen ?? bo.thisPerson;
  }

  /** How many requests the filter keeps (the status tab's count, or all tabs'). */
  private matching(): number {
    if (this.filter.status) return this.counts.find((c) => c.status === this.filter.status)?.count ?? 0;
    return this.counts.reduce((sum, c) => sum + c.count, 0);
  }

  private jobDone(): void {
    this.picked = new Set();
    void this.reload().catch((error: unknown) => this.failed(error));
  }

  private rowChanged(item: InboxItem): void {
    this.rows = this.rows.map((row) => (row.id === item.id ? { ...row, ...item } : row));
    this.recount();
  }

  private roles(): [string, string][] {
    return receiverRoles(this.kinds);
  }

  private tabs() {
    const total = this.counts.reduce((sum, c) => sum + c.count, 0);
    const tab = (status: string, label: string) => html`<li><a href=${this.address(undefined, { ...this.filter, status })}
      aria-current=${this.filter.status === status ? 'page' : nothing}>${label}</a></li>`;
    return html`<nav aria-label=${bo.statusTabs}><ul class="tabs">
      ${tab('', bo.tab(bo.allStatuses, total))}
      ${this.counts.map((c) => tab(c.status, bo.tab(c.label, c.count)))}
    </ul></nav>`;
  }

  private filters() {
    const f = this.filter;
    const roles = this.roles(); // a choice only when there are several
    return html`<form class="filters" role="search" aria-label=${bo.filters} @submit=${(e: Event) => this.applyFilter(e)}>
      <div><label for="q">${bo.search}</label><input id="q" name="q" type="search" .value=${f.q} aria-describedby="q-hint" />
        <p class="hint" id="q-hint">${bo.searchHint}</p></div>
      ${roles.length > 1 ? html`<div><label for="role">${bo.workingAs}</label><select id="role" name="role">
        <option value="">${bo.allMyRoles}</option>
        ${roles.map(([slug, name]) => html`<option value=${slug} ?selected=${f.role === slug}>${name}</option>`)}
      </select></div>` : nothing}
      <div><label for="procedure">${bo.procedure}</label><select id="procedure" name="procedure">
        <option value="">${bo.allProcedures}</option>
        ${this.kinds.filter((p) => !f.role || p.receiver_role.slug === f.role)
          .map((p) => html`<option value=${p.slug} ?selected=${f.procedure === p.slug}>${p.title}</option>`)}
      </select></div>
      <div><label for="assigned">${bo.assignment}</label><select id="assigned" name="assigned">
        ${([['', bo.anyAssignment], ['me', bo.assignedMe], ['none', bo.assignedNone], ['others', bo.assignedOthers]] as const)
          .map(([value, label]) => html`<option value=${value} ?selected=${f.assigned === value}>${label}</option>`)}
      </select></div>
      <div><label for="ordering">${bo.order}</label><select id="ordering" name="ordering">
        ${this.orders().map(([value, label]) => html`<option value=${value} ?selected=${f.ordering === value}>${label}</option>`)}
      </select></div>
      <div><label for="from">${bo.sentFrom}</label><input id="from" name="from" type="date" .value=${f.from} /></div>
      <div><label for="to">${bo.sentTo}</label><input id="to" name="to" type="date" .value=${f.to} /></div>
      ${f.procedure ? whereControls(this.fields, f.where) : nothing}
      <div class="choice"><input id="deadline_passed" name="deadline_passed" type="checkbox" ?checked=${f.deadline_passed} />
        <label for="deadline_passed">${bo.deadlinePassed}</label></div>
      <div><button type="submit">${bo.apply}</button></div>
    </form>`;
  }

  private table() {
    const shown = columnsOf(this.filter);
    // Each header sorts by its column (again: the other way); aria-sort says how the list is sorted.
    const header = (column: Column | 'reference', label: string) => html`<th scope="col" aria-sort=${sortOf(this.filter, column) ?? nothing}>
      <button type="button" class="sort" @click=${() => go(this.address(undefined, { ...this.filter, ordering: resorted(this.filter, column) }))}>${label}</button></th>`;
    const cell = (row: InboxItem, column: Column) => ({
      procedure: () => html`<td>${row.procedure.title}</td>`,
      citizen: () => html`<td>${row.citizen || bo.anonymous}</td>`,
      status: () => html`<td><span class="badge" ${badgeColour(row.status.colour)}>${row.status.label}</span></td>`,
      assignee: () => html`<td>${row.assignee?.name ?? bo.nobody}</td>`,
      submitted: () => html`<td><time datetime=${row.submitted_at ?? ''}>${day(row.submitted_at)}</time></td>`,
      deadline: () => html`<td>${row.deadline ? html`<time datetime=${row.deadline}>${day(row.deadline)}</time>` : bo.nobody}</td>`,
    })[column]();
    return html`<table aria-busy=${this.busy ? 'true' : nothing}>
      <caption class="visually-hidden">${bo.listCaption}</caption>
      <thead><tr>
        <th scope="col"><input type="checkbox" aria-label=${bo.selectPage} .checked=${this.rows.length > 0 && this.rows.every((row) => this.picked.has(row.id))}
          @change=${(e: Event) => this.togglePage((e.target as HTMLInputElement).checked)} /></th>
        ${header('reference', bo.colReference)}${shown.map((column) => header(column, bo.listColumn[column]))}
      </tr></thead>
      <tbody>${this.rows.map((row) => html`<tr data-id=${row.id} tabindex=${row.id === this.selected ? '0' : '-1'}
          aria-current=${row.id === this.params.id ? 'true' : nothing} class=${row.id === this.selected ? 'selected' : ''}
          @focus=${() => { this.selected = row.id; }}
          @click=${(e: Event) => { if (!(e.target as Element).closest('a, input')) go(this.address(row.id)); }}>
        <td><input type="checkbox" tabindex="-1" aria-label=${bo.select(row.reference ?? '')} .checked=${this.picked.has(row.id)}
          @change=${(e: Event) => this.toggle(row.id, (e.target as HTMLInputElement).checked)} /></td>
        <th scope="row"><a href=${this.address(row.id)} tabindex="-1">${row.reference}</a></th>
        ${shown.map((column) => cell(row, column))}
      </tr>`)}</tbody>
    </table>`;
  }

  /** The order choices: the usual ones, and a column's when the list is sorted by one. */
  private orders(): [string, string][] {
    const usual: [string, string][] = [['-submitted_at', bo.newest], ['submitted_at', bo.oldest], ['status_since', bo.longestInStatus], ['deadline', bo.soonestDeadline]];
    if (usual.some(([value]) => value === this.filter.ordering)) return usual;
    const column = (['reference', ...COLUMNS] as const).find((c) => sortOf(this.filter, c));
    const label = column === 'reference' ? bo.colReference : column ? bo.listColumn[column] : bo.longestInStatus;
    return [...usual, [this.filter.ordering, bo.byColumn(label, this.filter.ordering.startsWith('-'))]];
  }

  private help() {
    return html`<dialog aria-labelledby="keys-title" @click=${(e: Event) => { if (e.target === e.currentTarget) (e.currentTarget as HTMLDialogElement).close(); }}>
      <h2 id="keys-title">${bo.keysTitle}</h2>
      <dl class="keys">${bo.keys.map(([keys, what]) => html`<div><dt><kbd>${keys}</kbd></dt><dd>${what}</dd></div>`)}</dl>
      <form method="dialog"><button type="submit">${bo.close}</button></form>
    </dialog>`;
  }

  static styles = [...agentStyles, css`
    :host { max-width: none; }
    .top { display: flex; flex-wrap: wrap; align-items: center; justify-content: space-between; gap: 1rem; }
    .links { display: flex; gap: 1rem; }
    .split { display: grid; gap: 1.5rem; }
    .list { min-width: 0; overflow-x: auto; }
    @media (min-width: 64rem) { .split.open { grid-template-columns: minmax(0, 1.2fr) minmax(0, 1fr); align-items: start; } }
    @media (max-width: 63.99rem) { .split.open .list { display: none; } }
    .tabs { list-style: none; display: flex; flex-wrap: wrap; gap: 0.25rem 1rem; padding: 0; margin: 0 0 1rem; }
    .tabs a { display: inline-block; padding: 0.25rem 0; }
    .tabs a[aria-current='page'] { font-weight: 700; border-bottom: 3px solid currentColor; text-decoration: none; }
    .filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 0 0 1rem; }
    .filters > div { margin: 0; }
    .person { font-weight: 600; display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; }
    .filters input:not([type='checkbox']), .filters select { font: inherit; padding: 0.4rem; border: 2px solid var(--guichet-color-text, #1b1b1b);
      background: var(--guichet-color-surface, #fff); color: inherit; max-width: 16rem; }
    .filters .hint { margin: 0.1rem 0 0; font-size: 0.875rem; }
    .tools { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem 1rem; margin: 0 0 1rem; }
    .picked { margin: 0; font-weight: 600; }
    .fresh { min-height: 1.5rem; margin: 0 0 0.5rem; font-weight: 600; }
    table { width: 100%; border-collapse: collapse; background: var(--guichet-color-surface, #fff); }
    th, td { text-align: left; padding: 0.5rem; border-bottom: 1px solid var(--guichet-color-border, #767676); vertical-align: top; }
    th button.sort { border: 0; padding: 0; background: none; color: inherit; font-weight: 700; text-align: left; }
    th[aria-sort='ascending'] button.sort::after { content: ' ▲' / ''; }
    th[aria-sort='descending'] button.sort::after { content: ' ▼' / ''; }
    tbody tr { cursor: pointer; }
    tbody tr.selected { outline: 3px solid var(--guichet-color-primary, #1d4e89); outline-offset: -3px; }
    tbody tr:focus { outline: 3px solid var(--guichet-color-focus, #ffbf47); outline-offset: -3px; }
    tbody tr[aria-current='true'] { background: var(--guichet-color-background, #f5f6f8); }
    dialog { max-width: 32rem; border: 2px solid var(--guichet-color-text, #1b1b1b); border-radius: var(--guichet-radius, 8px); }
    .keys div { display: flex; gap: 1rem; margin: 0 0 0.5rem; }
    .keys dt { min-width: 8rem; }
    .keys dd { margin: 0; }
    kbd { font-family: inherit; font-weight: 700; }
    .notice { border-left: 4px solid var(--guichet-color-primary, #1d4e89); padding: 0.5rem 0.75rem; }
  `];
}

if (!customElements.get('guichet-backoffice')) customElements.define('guichet-backoffice', GuichetBackoffice);
