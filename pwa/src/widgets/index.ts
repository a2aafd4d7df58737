/**
 * Guichet's widgets, for the municipality's own site: one module, included with
 *
 *   <script type="module" src="https://guichet.ville.example/widgets.js"></script>
 *
 * defines custom elements configured by attributes:
 *
 * - <guichet-procedures category="…">: the procedure list (one category, or all);
 * - <guichet-form procedure="…">: a procedure's form, filled and sent in place, without
 *   an account (a procedure that needs one hands over to the app, to sign in there);
 * - <guichet-tracking-lookup>: a request's status from its tracking code, followed live;
 * - <guichet-my-requests>: a link into the app's "my requests".
 *
 * They are the app's own components, in shadow DOM (the host's CSS does not reach in),
 * in the theme's custom properties (read from Guichet's /api/theme.css, which the host
 * may override, e.g. `guichet-form { --guichet-color-primary: … }`), with ::part()
 * hooks, in the host page's language. They call Guichet's API from the page (CORS,
 * allowed to the sites in GUICHET_EMBED_ORIGINS only), without cookies. The form's
 * code is loaded only when a <guichet-form> is on the page.
 */

import { LitElement, css, html } from 'lit';

import { GuichetClient, ProblemError, type ProcedureDetail } from '../api/client';
import { GuichetCatalog } from '../components/catalog';
import { GuichetTracking } from '../components/tracking';
import { language } from '../i18n';

/** Guichet's origin: where this module was loaded from. */
export const GUICHET = new URL(import.meta.url).origin;

/** The theme's custom properties, first in the host's <head> so that its own rules win. */
function useTheme(): void {
  if (typeof document === 'undefined' || document.querySelector('link[data-guichet-theme]')) return;
  const link = document.createElement('link');
  link.rel = 'stylesheet';
  link.href = `${GUICHET}/api/theme.css`;
  link.dataset.guichetTheme = '';
  document.head.prepend(link);
}

const HOST = css`
  :host {
    display: block;
    font-family: var(--guichet-font-family, system-ui, sans-serif);
    color: var(--guichet-color-text, #1b1b1b);
  }
`;

export class GuichetProceduresWidget extends GuichetCatalog {
  static styles = css`${GuichetCatalog.styles}${HOST}`;

  constructor() {
    super();
    this.apiBase = GUICHET;
    this.appBase = GUICHET;
    this.embedded = true;
  }
}

export class GuichetTrackingWidget extends GuichetTracking {
  static styles = css`${GuichetTracking.styles}${HOST}`;

  constructor() {
    super();
    this.apiBase = GUICHET;
  }
}

const wt =
  language === 'en'
    ? {
        loading: 'Loading the form…',
        unavailable: 'This form cannot be shown here right now.',
        needsAccount: 'This procedure needs an account.',
        signIn: (title: string) => `Sign in to fill in “${title}” on the online services`,
        myRequests: 'My requests',
        myRequestsHint: 'follow them on the online services',
      }
    : {
        loading: 'Chargement du formulaire…',
        unavailable: 'Ce formulaire ne peut pas être affiché ici pour le moment.',
        needsAccount: 'Cette démarche demande un compte.',
        signIn: (title: string) => `Se connecter pour faire la démarche « ${title} » sur le site des démarches`,
        myRequests: 'Mes demandes',
        myRequestsHint: 'les suivre sur le site des démarches',
      };

/** A procedure's form in place; its code (the form engine, the fields) loads only here. */
export class GuichetFormWidget extends LitElement {
  static properties = {
    procedure: { type: String },
    detail: { state: true },
    failure: { state: true },
  };

  declare procedure: string;
  declare detail: ProcedureDetail | undefined;
  declare failure: string | undefined;

  static styles = [
    HOST,
    css`
      a { color: var(--guichet-color-primary, #1d4e89); font-weight: 600; }
      .panel { border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 1rem; background: var(--guichet-color-surface, #fff); }
    `,
  ];

  constructor() {
    super();
    this.procedure = '';
    this.detail = undefined;
    this.failure = undefined;
  }

  connectedCallback(): void {
    super.connectedCallback();
    void this.load();
  }

  private async load(): Promise<void> {
    try {
      this.detail = await new GuichetClient(GUICHET, language).procedure(this.procedure);
      if (!this.detail.requires_account) await import('../fill/fill');
    } catch (error) {
      this.failure = error instanceof ProblemError ? error.message : wt.unavailable;
    }
  }

  render() {
    if (this.failure) return html`<p class="panel" role="alert" part="error">${this.failure}</p>`;
    if (!this.detail) return html`<p role="status">${wt.loading}</p>`;
    if (this.detail.requires_account) {
      return html`<div class="panel" part="handover">
        <p>${wt.needsAccount}</p>
        <p><a part="link" href=${`${GUICHET}/demarches/${this.procedure}/remplir/`}>${wt.signIn(this.detail.title)}</a></p>
      </div>`;
    }
    return html`<guichet-fill
      exportparts="button, error-summary"
      .params=${{ slug: this.procedure }}
      api-base=${GUICHET}
      app-base=${GUICHET}
    ></guichet-fill>`;
  }
}

/** A link into the app's "my requests" (signed-in pages open in the app, not here). */
export class GuichetMyRequestsWidget extends LitElement {
  static styles = [
    HOST,
    css`
      :host { display: inline-block; }
      a {
        display: inline-flex; align-items: center; gap: 0.5rem; min-height: 44px; padding: 0 1rem;
        background: var(--guichet-color-primary, #1d4e89); color: var(--guichet-color-on-primary, #fff);
        border-radius: var(--guichet-radius, 8px); font-weight: 600; text-decoration: none;
      }
      a:focus-visible { outline: 3px solid var(--guichet-color-focus, #ffbf47); outline-offset: 2px; }
      .hint { font-weight: 400; }
    `,
  ];

  render() {
    return html`<a part="link" href=${`${GUICHET}/demandes/`}
      ><svg aria-hidden="true" width="20" height="20" viewBox="0 0 20 20" fill="currentColor"
        ><path d="M4 2h9l3 3v13H4zM6 8h8v1.5H6zm0 3h8v1.5H6zm0 3h5v1.5H6z" /></svg
      >${wt.myRequests}<span class="hint">— ${wt.myRequestsHint}</span></a
    >`;
  }
}

const ELEMENTS: [string, CustomElementConstructor][] = [
  ['guichet-procedures', GuichetProceduresWidget],
  ['guichet-form', GuichetFormWidget],
  ['guichet-tracking-lookup', GuichetTrackingWidget],
  ['guichet-my-requests', GuichetMyRequestsWidget],
];

useTheme();
for (const [name, element] of ELEMENTS) if (!customElements.get(name)) customElements.define(name, element);
