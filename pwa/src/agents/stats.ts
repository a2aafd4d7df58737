/**
 * <guichet-agent-stats>: the statistics of the requests an agent's roles hold
 * (/agents/statistiques/), from /api/agent/statistics/: requests sent and closed
 * per period, the backlog at the end of each period, and the processing time per
 * procedure (median, 90th percentile). Each chart is drawn by Chart.js (loaded with
 * this screen only) in the theme's colours, and has its table beside it, which is
 * what screen readers read. The period, dates and procedure are kept in the address.
 */

import {
  BarController, BarElement, CategoryScale, Chart, Legend, LineController, LineElement, LinearScale, PointElement, Tooltip,
  type ChartConfiguration,
} from 'chart.js';
import { LitElement, css, html, nothing } from 'lit';

import { ProblemError, type components } from '../api/client';
import { go } from '../app/router';
import { language } from '../i18n';
import { agentAccess, client, counts, procedures, receiverRoles, roleIn, NO_FILTER, type AgentRefusal, type ReceivedProcedure } from './data';
import { gate, refusal } from './gate';
import { bo } from './strings';
import { agentStyles } from './styles';

Chart.register(BarController, BarElement, CategoryScale, LineController, LineElement, LinearScale, PointElement, Legend, Tooltip);

type Statistics = components['schemas']['Statistics'];
type Period = 'day' | 'week' | 'month';

interface Query {
  period: Period;
  from: string;
  to: string;
  procedure: string;
  /** One of the agent's roles (its slug): only what it holds. */
  role: string;
}

const DAY = /^\d{4}-\d{2}-\d{2}$/;

function queryFrom(search: string): Query {
  const params = new URLSearchParams(search);
  const period = params.get('period') ?? 'week';
  const date = (name: string) => (DAY.test(params.get(name) ?? '') ? String(params.get(name)) : '');
  return { period: (['day', 'week', 'month'].includes(period) ? period : 'week') as Period, from: date('from'), to: date('to'), procedure: params.get('procedure') ?? '',
    role: roleIn(params) };
}

function searchOf(query: Query): URLSearchParams {
  const params = new URLSearchParams();
  if (query.period !== 'week') params.set('period', query.period);
  if (query.from) params.set('from', query.from);
  if (query.to) params.set('to', query.to);
  if (query.procedure) params.set('procedure', query.procedure);
  if (query.role) params.set('role', query.role);
  return params;
}

const shortDay = (iso: string) => new Date(`${iso}T12:00:00`).toLocaleDateString(language, { day: 'numeric', month: 'short', year: '2-digit' });

export class GuichetAgentStats extends LitElement {
  static properties = {
    state: { state: true },
    stats: { state: true },
    error: { state: true },
    kinds: { state: true },
    labels: { state: true },
  };

  declare state: AgentRefusal | 'loading' | 'ready' | 'error';
  declare stats: Statistics | undefined;
  declare error: string;
  declare kinds: ReceivedProcedure[];
  /** Status labels in the agent's language, by status id. */
  declare labels: Map<string, string>;
  readonly ready: Promise<void>;
  private query: Query = queryFrom('');
  private charts: Chart[] = [];
  private readonly onLocation = () => void this.load();

  constructor() {
    super();
    this.state = 'loading';
    this.error = '';
    this.kinds = [];
    this.labels = new Map();
    this.ready = new Promise((resolve) => setTimeout(() => void this.start().finally(resolve)));
  }

  connectedCallback(): void {
    super.connectedCallback();
    this.addEventListener('guichet-location', this.onLocation);
  }

  disconnectedCallback(): void {
    super.disconnectedCallback();
    this.removeEventListener('guichet-location', this.onLocation);
    this.charts.forEach((chart) => chart.destroy());
    this.charts = [];
  }

  private async start(): Promise<void> {
    try {
      const access = await agentAccess();
      if (typeof access === 'string') {
        this.state = access;
        return;
      }
      const [kinds, statuses] = await Promise.all([procedures(), counts(NO_FILTER)]);
      this.kinds = kinds;
      this.labels = new Map(statuses.map((s) => [s.status, s.label]));
      await this.load();
      this.state = 'ready';
    } catch (error) {
      this.state = refusal(error);
    }
    await this.draw();
  }

  /** The figures for the address's query; a refused query is said next to the form. */
  private async load(): Promise<void> {
    this.query = queryFrom(location.search);
    const params = searchOf(this.query);
    if (!params.has('period')) params.set('period', this.query.period);
    try {
      this.stats = (await (await client.call('GET', `/api/agent/statistics/?${params.toString()}`)).json()) as Statistics;
      this.error = '';
    } catch (error) {
      if (!(error instanceof ProblemError) || error.problem.status !== 400) throw error;
      this.stats = undefined;
      this.error = ((error.problem.invalid_params ?? []) as { reason?: string }[]).map((p) => p.reason).filter(Boolean).join(' ') || error.message;
    }
    if (this.state === 'ready') await this.draw();
  }

  private apply(event: Event): void {
    event.preventDefault();
    const data = new FormData(event.currentTarget as HTMLFormElement);
    const query: Query = {
      period: String(data.get('period') ?? 'week') as Period,
      from: String(data.get('from') ?? ''),
      to: String(data.get('to') ?? ''),
      procedure: String(data.get('procedure') ?? ''),
      role: String(data.get('role') ?? ''),
    };
    const search = searchOf(query).toString();
    go(`/agents/statistiques/${search ? `?${search}` : ''}`);
  }

  private procedureTitle(slug: string): string {
    return this.kinds.find((p) => p.slug === slug)?.title ?? slug;
  }

  /** The theme's colour for a --guichet-* property, or the default theme's. */
  private colour(name: string, fallback: string): string {
    return getComputedStyle(this).getPropertyValue(`--guichet-color-${name}`).trim() || fallback;
  }

  /** Draws the charts for the figures shown (their tables are in the page already). */
  private async draw(): Promise<void> {
    await this.updateComplete;
    this.charts.forEach((chart) => chart.destroy());
    this.charts = [];
    const stats = this.stats;
    if (!stats) return;
    const primary = this.colour('primary', '#1d4e89');
    const secondary = this.colour('secondary', '#4a5a6a');
    const text = this.colour('text', '#1b1b1b');
    const border = this.colour('border', '#767676');
    const font = { family: getComputedStyle(this).fontFamily };
    const scales = {
      x: { ticks: { color: text, font }, grid: { color: border } },
      y: { beginAtZero: true, ticks: { color: text, font, precision: 0 }, grid: { color: border } },
    };
    const options = { animation: false as const, responsive: true, maintainAspectRatio: false, scales, plugins: { legend: { labels: { color: text, font } } } };
    const periods = stats.per_period.map((row) => shortDay(row.period));
    const configs: [string, ChartConfiguration][] = [
      ['per-period', { type: 'bar', options, data: { labels: periods, datasets: [
        { label: bo.statsSent, data: stats.per_period.map((row) => row.sent), backgroundColor: primary },
        { label: bo.statsClosed, data: stats.per_period.map((row) => row.closed), backgroundColor: secondary },
      ] } }],
      ['backlog', { type: 'line', options, data: { labels: stats.backlog.map((row) => shortDay(row.period)), datasets: [
        { label: bo.statsOpen, data: stats.backlog.map((row) => row.open), borderColor: primary, backgroundColor: primary, pointRadius: 2 },
      ] } }],
      ['processing', { type: 'bar', options: { ...options, indexAxis: 'y' as const, scales: { x: { ...scales.y, ticks: { ...scales.y.ticks, precision: undefined } }, y: scales.x } },
        data: { labels: stats.processing_time.map((row) => this.procedureTitle(row.procedure)), datasets: [
          { label: bo.statsMedian, data: stats.processing_time.map((row) => row.median_hours), backgroundColor: primary },
          { label: bo.statsP90, data: stats.processing_time.map((row) => row.p90_hours), backgroundColor: secondary },
        ] } }],
    ];
    for (const [id, config] of configs) {
      const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(`#${id}-chart`);
      if (canvas) this.charts.push(new Chart(canvas, config));
    }
  }

  render() {
    if (this.state !== 'ready') return gate(bo.statsTitle, this.state, () => { this.state = 'loading'; void this.start(); });
    const q = this.query;
    const stats = this.stats;
    const roles = receiverRoles(this.kinds);
    return html`
      <p><a href="/agents/">${bo.backToInbox}</a></p>
      <h1>${bo.statsTitle}</h1>
      <form class="filters" aria-label=${bo.filters} @submit=${(e: Event) => this.apply(e)}>
        <div><label for="period">${bo.statsPeriod}</label><select id="period" name="period">
          ${(['day', 'week', 'month'] as const).map((p) => html`<option value=${p} ?selected=${q.period === p}>${bo.periods[p]}</option>`)}
        </select></div>
        <div><label for="from">${bo.statsFrom}</label><input id="from" name="from" type="date" .value=${q.from} /></div>
        <div><label for="to">${bo.statsTo}</label><input id="to" name="to" type="date" .value=${q.to} /></div>
        ${roles.length > 1 ? html`<div><label for="role">${bo.workingAs}</label><select id="role" name="role">
          <option value="">${bo.allMyRoles}</option>
          ${roles.map(([slug, name]) => html`<option value=${slug} ?selected=${q.role === slug}>${name}</option>`)}
        </select></div>` : nothing}
        <div><label for="procedure">${bo.procedure}</label><select id="procedure" name="procedure">
          <option value="">${bo.allProcedures}</option>
          ${this.kinds.filter((p) => !q.role || p.receiver_role.slug === q.role)
            .map((p) => html`<option value=${p.slug} ?selected=${q.procedure === p.slug}>${p.title}</option>`)}
        </select></div>
        <div><button type="submit">${bo.statsShow}</button></div>
      </form>
      ${this.error ? html`<p class="error-message" role="alert">${this.error}</p>` : nothing}
      ${stats ? html`
        <p class="hint">${bo.statsRange(shortDay(stats.from), shortDay(stats.to))}</p>
        <section aria-labelledby="per-period-title">
          <h2 id="per-period-title">${bo.statsPerPeriod(bo.periods[q.period])}</h2>
          <div class="chart" aria-hidden="true"><canvas id="per-period-chart"></canvas></div>
          ${this.table(bo.statsPerPeriod(bo.periods[q.period]), [bo.statsPeriodCol, bo.statsSent, bo.statsClosed],
            stats.per_period.map((row) => [shortDay(row.period), row.sent, row.closed]))}
        </section>
        <section aria-labelledby="backlog-title">
          <h2 id="backlog-title">${bo.statsBacklog}</h2>
          <div class="chart" aria-hidden="true"><canvas id="backlog-chart"></canvas></div>
          ${this.table(bo.statsBacklog, [bo.statsPeriodEnd, bo.statsOpen], stats.backlog.map((row) => [shortDay(row.period), row.open]))}
        </section>
        <section aria-labelledby="processing-title">
          <h2 id="processing-title">${bo.statsProcessing}</h2>
          ${stats.processing_time.length
            ? html`<div class="chart" aria-hidden="true"><canvas id="processing-chart"></canvas></div>
              ${this.table(bo.statsProcessing, [bo.procedure, bo.statsClosedCount, bo.statsMedian, bo.statsP90],
                stats.processing_time.map((row) => [this.procedureTitle(row.procedure), row.count, row.median_hours, row.p90_hours]))}`
            : html`<p>${bo.statsNoneClosed}</p>`}
        </section>
        <section aria-labelledby="per-status-title">
          <h2 id="per-status-title">${bo.statsPerStatus}</h2>
          ${this.table(bo.statsPerStatus, [bo.procedure, bo.colStatus, bo.statsCount],
            stats.per_status.map((row) => [this.procedureTitle(row.procedure), this.labels.get(row.status) ?? row.status, row.count]), false)}
        </section>` : nothing}`;
  }

  /** A chart's figures as a table (shown under a disclosure when a chart draws them too). */
  private table(caption: string, columns: string[], rows: (string | number)[][], behindChart = true) {
    const table = html`<table>
      <caption class="visually-hidden">${caption}</caption>
      <thead><tr>${columns.map((c) => html`<th scope="col">${c}</th>`)}</tr></thead>
      <tbody>${rows.map((row) => html`<tr>${row.map((cell, i) => (i === 0 ? html`<th scope="row">${cell}</th>` : typeof cell === 'number' ? html`<td class="number">${cell.toLocaleString(language, { maximumFractionDigits: 1 })}</td>` : html`<td>${cell}</td>`))}</tr>`)}</tbody>
    </table>`;
    return behindChart ? html`<details><summary>${bo.statsAsTable}</summary>${table}</details>` : table;
  }

  static styles = [...agentStyles, css`
    :host { max-width: none; }
    .filters { display: flex; flex-wrap: wrap; gap: 0.5rem 1rem; align-items: end; margin: 0 0 1rem; }
    .filters > div { margin: 0; }
    .filters input, .filters select { font: inherit; padding: 0.4rem; border: 2px solid var(--guichet-color-text, #1b1b1b);
      background: var(--guichet-color-surface, #fff); color: inherit; }
    section { margin: 0 0 2rem; }
    .chart { position: relative; height: 18rem; max-width: 60rem; background: var(--guichet-color-surface, #fff); }
    table { border-collapse: collapse; background: var(--guichet-color-surface, #fff); margin: 0.5rem 0; }
    th, td { text-align: left; padding: 0.35rem 0.75rem; border-bottom: 1px solid var(--guichet-color-border, #767676); }
    td.number { text-align: right; font-variant-numeric: tabular-nums; }
    .notice { border-left: 4px solid var(--guichet-color-primary, #1d4e89); padding: 0.5rem 0.75rem; }
  `];
}

if (!customElements.get('guichet-agent-stats')) customElements.define('guichet-agent-stats', GuichetAgentStats);
