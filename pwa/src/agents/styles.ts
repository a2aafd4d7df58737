/** The back office's screens' shared look: the form screens' fields, and its buttons and status badges. */

import { css } from 'lit';
import { ref } from 'lit/directives/ref.js';

import { fillStyles } from '../fill/styles';

export const agentStyles = [fillStyles, css`
  button { font: inherit; padding: 0.5rem 1rem; border: 2px solid var(--guichet-color-primary, #1d4e89); border-radius: var(--guichet-radius, 8px);
    background: var(--guichet-color-primary, #1d4e89); color: var(--guichet-color-on-primary, #fff); cursor: pointer; }
  button.secondary, button.link { background: var(--guichet-color-surface, #fff); color: var(--guichet-color-primary, #1d4e89); }
  button.link { border: 0; padding: 0; background: none; text-decoration: underline; }
  button[disabled] { opacity: 0.6; cursor: progress; }
  .badge { display: inline-block; border-left: 0.5rem solid var(--badge, var(--guichet-color-border, #767676)); padding-left: 0.4rem; }
`];

/**
 * Gives an element its status colour as the --badge custom property, through the
 * CSSOM: the app's policy (style-src 'self') refuses style attributes, which lit's
 * styleMap writes on its first render.
 */
export const badgeColour = (colour: string) =>
  ref((element?: Element) => {
    if (element instanceof HTMLElement) element.style.setProperty('--badge', colour);
  });
