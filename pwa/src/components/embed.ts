/**
 * <guichet-embed>: "Embed Guichet on your site". The municipality's web team chooses a
 * widget (and its category or procedure), sees it live below, and copies the two lines
 * to paste into their page.
 */

import { LitElement, css, html, nothing } from 'lit';

import { GuichetClient, type Category, type Procedure } from '../api/client';
import { language } from '../i18n';

type Kind = 'procedures' | 'form' | 'tracking' | 'my-requests';

const et =
  language === 'en'
    ? {
        title: 'Embed Guichet on your site',
        intro:
          'Your site can show the procedures, a form, the tracking of a request or a link to “my requests”. Choose a widget, check it below, then paste the code into your page. Your site’s address must be among the sites allowed to embed Guichet (ask the administrator).',
        widget: 'Widget',
        kinds: { procedures: 'The procedure list', form: 'A procedure’s form', tracking: 'Tracking a request', 'my-requests': '“My requests” button' },
        category: 'Category',
        allCategories: 'All categories',
        procedure: 'Procedure',
        code: 'Code to paste into your page',
        copy: 'Copy the code',
        copied: 'The code is copied.',
        copyFailed: 'The code could not be copied: select it and copy it.',
        preview: 'Preview',
      }
    : {
        title: 'Intégrer Guichet à votre site',
        intro:
          'Votre site peut afficher les démarches, un formulaire, le suivi d’une demande ou un lien vers « mes demandes ». Choisissez un widget, vérifiez-le ci-dessous, puis collez le code dans votre page. L’adresse de votre site doit faire partie des sites autorisés à intégrer Guichet (demandez-le à l’administrateur).',
        widget: 'Widget',
        kinds: { procedures: 'La liste des démarches', form: 'Le formulaire d’une démarche', tracking: 'Le suivi d’une demande', 'my-requests': 'Le bouton « Mes demandes »' },
        category: 'Catégorie',
        allCategories: 'Toutes les catégories',
        procedure: 'Démarche',
        code: 'Code à coller dans votre page',
        copy: 'Copier le code',
        copied: 'Le code est copié.',
        copyFailed: 'Le code n’a pas pu être copié : sélectionnez-le et copiez-le.',
        preview: 'Aperçu',
      };

const TAGS: Record<Kind, string> = {
  procedures: 'guichet-procedures',
  form: 'guichet-form',
  tracking: 'guichet-tracking-lookup',
  'my-requests': 'guichet-my-requests',
};

export class GuichetEmbed extends LitElement {
  static properties = {
    kind: { state: true },
    category: { state: true },
    procedure: { state: true },
    categories: { state: true },
    procedures: { state: true },
    status: { state: true },
  };

  declare kind: Kind;
  declare category: string;
  declare procedure: string;
  declare categories: Category[];
  declare procedures: Procedure[];
  declare status: string;

  constructor() {
    super();
    this.kind = 'procedures';
    this.category = '';
    this.procedure = '';
    this.categories = [];
    this.procedures = [];
    this.status = '';
  }

  connectedCallback(): void {
    super.connectedCallback();
    const client = new GuichetClient('', language);
    void client.categories().then((c) => (this.categories = c), () => undefined);
    void client.procedures({ pageSize: 100 }).then((page) => {
      this.procedures = page.results.filter((p) => !p.requires_account);
      this.procedure ||= this.procedures[0]?.slug ?? '';
    }, () => undefined);
    void import('../widgets/index'); // the preview is the widget itself
  }

  /** The element, with its attributes, as the host page writes it. */
  private element(): { tag: string; attributes: Record<string, string> } {
    const attributes: Record<string, string> = {};
    if (this.kind === 'procedures' && this.category) attributes.category = this.category;
    if (this.kind === 'form') attributes.procedure = this.procedure;
    return { tag: TAGS[this.kind], attributes };
  }

  private snippet(): string {
    const { tag, attributes } = this.element();
    const attrs = Object.entries(attributes)
      .map(([name, value]) => ` ${name}="${value}"`)
      .join('');
    return `<script type="module" src="${location.origin}/widgets.js"></script>\n<${tag}${attrs}></${tag}>`;
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.snippet());
      this.status = et.copied;
    } catch {
      this.status = et.copyFailed;
    }
  }

  protected updated(): void {
    // The preview: the widget itself, rebuilt when the choice changes.
    const { tag, attributes } = this.element();
    const holder = this.renderRoot.querySelector('#preview');
    const current = holder?.firstElementChild;
    const same = current?.localName === tag && Object.entries(attributes).every(([k, v]) => current.getAttribute(k) === v);
    if (!holder || same) return;
    const widget = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes)) widget.setAttribute(name, value);
    holder.replaceChildren(widget);
  }

  render() {
    return html`<section>
      <h1>${et.title}</h1>
      <p>${et.intro}</p>
      <div class="field">
        <label for="kind">${et.widget}</label>
        <select id="kind" @change=${(e: Event) => (this.kind = (e.target as HTMLSelectElement).value as Kind)}>
          ${(Object.keys(TAGS) as Kind[]).map((k) => html`<option value=${k} ?selected=${k === this.kind}>${et.kinds[k]}</option>`)}
        </select>
      </div>
      ${this.kind === 'procedures'
        ? html`<div class="field">
            <label for="category">${et.category}</label>
            <select id="category" @change=${(e: Event) => (this.category = (e.target as HTMLSelectElement).value)}>
              <option value="">${et.allCategories}</option>
              ${this.categories.map((c) => html`<option value=${c.slug} ?selected=${c.slug === this.category}>${c.title}</option>`)}
            </select>
          </div>`
        : nothing}
      ${this.kind === 'form'
        ? html`<div class="field">
            <label for="procedure">${et.procedure}</label>
            <select id="procedure" @change=${(e: Event) => (this.procedure = (e.target as HTMLSelectElement).value)}>
              ${this.procedures.map((p) => html`<option value=${p.slug} ?selected=${p.slug === this.procedure}>${p.title}</option>`)}
            </select>
          </div>`
        : nothing}
      <div class="field">
        <label for="code">${et.code}</label>
        <textarea id="code" readonly rows="5" .value=${this.snippet()}></textarea>
      </div>
      <button type="button" @click=${() => void this.copy()}>${et.copy}</button>
      <p role="status">${this.status}</p>
      <h2>${et.preview}</h2>
      <div id="preview" class="preview"></div>
    </section>`;
  }

  static styles = css`
    :host { display: block; }
    h1 { font-size: 1.75rem; margin: 0.5rem 0 1rem; }
    h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
    .field { display: grid; gap: 0.25rem; margin: 0 0 1rem; }
    label { font-weight: 600; }
    select, textarea { box-sizing: border-box; width: 100%; max-width: 100%; font: inherit; padding: 0.5rem; border: 2px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); background: var(--guichet-color-surface, #fff); color: inherit; }
    textarea { font-family: ui-monospace, monospace; font-size: 0.875rem; resize: vertical; }
    button { font: inherit; font-weight: 600; cursor: pointer; padding: 0.5rem 1rem; border: 0; border-radius: var(--guichet-radius, 8px); background: var(--guichet-color-primary, #1d4e89); color: var(--guichet-color-on-primary, #fff); min-height: 44px; }
    select:focus-visible, textarea:focus-visible, button:focus-visible { outline: 3px solid var(--guichet-color-focus, #ffbf47); outline-offset: 2px; }
    .preview { border: 2px dashed var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 1rem; background: var(--guichet-color-surface, #fff); }
  `;
}

if (!customElements.get('guichet-embed')) customElements.define('guichet-embed', GuichetEmbed);
