/** <guichet-not-found>: an address of the app that shows nothing. */

import { LitElement, css, html } from 'lit';

import { t } from '../i18n';

export class GuichetNotFound extends LitElement {
  render() {
    return html`<section>
      <h1>${t.notFoundTitle}</h1>
      <p>${t.notFoundText}</p>
      <p><a href="/">${t.home}</a></p>
    </section>`;
  }

  static styles = css`
    :host { display: block; }
    h1 { font-size: 1.75rem; margin: 0.5rem 0 1rem; overflow-wrap: anywhere; }
    a { color: var(--guichet-color-primary, #1d4e89); }
    a:focus-visible { outline: 3px solid var(--guichet-color-primary, #1d4e89); outline-offset: 2px; }
  `;
}

if (!customElements.get('guichet-not-found')) customElements.define('guichet-not-found', GuichetNotFound);
