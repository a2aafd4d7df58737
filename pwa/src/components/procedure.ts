/**
 * <guichet-procedure>: one procedure's page, at /demarches/<slug>/: what it is for,
 * its category, how long it takes to fill in, whether an account is needed, and
 * the usual answer time and the service, what to have at hand, and its description
 * (rich text the server has sanitised).
 */

import { LitElement, css, html, nothing } from 'lit';
import { unsafeHTML } from 'lit/directives/unsafe-html.js';

import { GuichetClient, ProblemError, type ProcedureDetail } from '../api/client';
import { language, t } from '../i18n';

export class GuichetProcedure extends LitElement {
  static properties = {
    params: { attribute: false },
    apiBase: { type: String, attribute: 'api-base' },
    procedure: { state: true },
    failure: { state: true },
    reason: { state: true },
  };

  declare params: Record<string, string>;
  declare apiBase: string;
  declare procedure: ProcedureDetail | undefined;
  declare failure: 'missing' | 'unavailable' | undefined;
  /** Why the procedure cannot be used now, as the server says it (closed, not open yet). */
  declare reason: string | undefined;

  /** Settles once the page shows the procedure, or why it cannot. */
  readonly ready: Promise<void>;
  private settle: () => void = () => undefined;

  constructor() {
    super();
    this.params = {};
    this.apiBase = '';
    this.procedure = undefined;
    this.failure = undefined;
    this.reason = undefined;
    this.ready = new Promise((resolve) => {
      this.settle = resolve;
    });
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.procedure = await new GuichetClient(this.apiBase, language).procedure(this.params.slug ?? '');
    } catch (error) {
      this.failure = error instanceof ProblemError && error.problem.status === 404 ? 'missing' : 'unavailable';
      if (error instanceof ProblemError && error.problem.status !== 404) this.reason = error.message;
    }
    await this.updateComplete;
    this.settle();
  }

  private renderProcedure(procedure: ProcedureDetail) {
    const category = `/demarches/?categorie=${encodeURIComponent(procedure.category.slug)}`;
    return html`
      <h1>${procedure.title}</h1>
      <p class="summary">${procedure.summary}</p>
      <section class="about" aria-labelledby="about-title">
        <h2 id="about-title">${t.aboutTitle}</h2>
        <dl>
          <div><dt>${t.categoryName}</dt><dd><a href=${category}>${procedure.category.title}</a></dd></div>
          ${procedure.estimated_minutes
            ? html`<div><dt>${t.fillTime}</dt><dd>${t.minutes(procedure.estimated_minutes)}</dd></div>`
            : nothing}
          ${procedure.processing_days
            ? html`<div><dt>${t.answerTime}</dt><dd>${t.days(procedure.processing_days)}</dd></div>`
            : nothing}
          ${procedure.handled_by ? html`<div><dt>${t.handledBy}</dt><dd>${procedure.handled_by}</dd></div>` : nothing}
        </dl>
        <p>${procedure.requires_account ? t.accountNeeded : t.noAccountNeeded}</p>
      </section>
      ${procedure.preparation.length
        ? html`<section class="prepare" aria-labelledby="prepare-title">
            <h2 id="prepare-title">${t.prepareTitle}</h2>
            <ul>${procedure.preparation.map((item) => html`<li>${item}</li>`)}</ul>
          </section>`
        : nothing}
      ${procedure.description ? html`<div class="description">${unsafeHTML(procedure.description)}</div>` : nothing}
      <p class="start"><a class="button" href="/demarches/${procedure.slug}/remplir/">${t.startProcedure}</a></p>
    `;
  }

  render() {
    let body;
    if (this.procedure) body = this.renderProcedure(this.procedure);
    else if (this.failure === 'missing') body = html`<h1>${t.notFoundTitle}</h1><p>${t.procedureMissing}</p>`;
    else if (this.failure) {
      body = html`<h1>${t.procedureUnavailable}</h1>${this.reason ? html`<p>${this.reason}</p>` : nothing}`;
    }
    else body = html`<p class="status" role="status">${t.loading}</p>`;
    return html`<article>
      <p class="back"><a href="/demarches/">${t.backToCatalog}</a></p>
      ${body}
    </article>`;
  }

  static styles = css`
    :host { display: block; font-family: var(--guichet-font-family, system-ui, sans-serif); color: var(--guichet-color-text, #1b1b1b); }
    h1 { font-size: 1.75rem; margin: 0.5rem 0 0.5rem; }
    h1, h2, p, dd, li { overflow-wrap: anywhere; }
    .prepare ul { padding-left: 1.25rem; }
    .prepare li { margin: 0.25rem 0; }
    h2 { font-size: 1.25rem; margin: 0 0 0.5rem; }
    a { color: var(--guichet-color-primary, #1d4e89); }
    a:focus-visible, h1:focus-visible { outline: 3px solid var(--guichet-color-primary, #1d4e89); outline-offset: 2px; }
    .summary { font-size: 1.125rem; }
    .about { background: var(--guichet-color-surface, #fff); border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 1rem; margin: 1rem 0; }
    dl { margin: 0; display: grid; gap: 0.5rem; }
    dl div { display: flex; flex-wrap: wrap; gap: 0 0.5rem; }
    dt { font-weight: 600; }
    dd { margin: 0; }
    .about p { margin: 0.5rem 0 0; }
    a.button { display: inline-block; padding: 0.75rem 1.25rem; border-radius: var(--guichet-radius, 8px); background: var(--guichet-color-primary, #1d4e89); color: var(--guichet-color-on-primary, #fff); font-weight: 600; text-decoration: none; }
    .status { color: var(--guichet-color-muted, #4a4a4a); }
    .description { line-height: 1.5; }
    .description img { max-width: 100%; height: auto; }
  `;
}

if (!customElements.get('guichet-procedure')) customElements.define('guichet-procedure', GuichetProcedure);
