/** The form-filling screens' look: GOV.UK-like fields, errors and summary, from the theme's custom properties. */

import { css } from 'lit';

export const fillStyles = css`
  :host { display: block; font-family: var(--guichet-font-family, system-ui, sans-serif); color: var(--guichet-color-text, #1b1b1b); }
  h1 { font-size: 1.75rem; margin: 0.5rem 0 1rem; }
  h2 { font-size: 1.25rem; margin: 1.5rem 0 0.5rem; }
  h1, h2, h3, p, label, legend, dd, dt, li { overflow-wrap: anywhere; }
  a { color: var(--guichet-color-primary, #1d4e89); }
  .step { margin: 0; color: var(--guichet-color-muted, #4a4a4a); font-weight: 600; }
  progress { display: block; width: 100%; max-width: 30rem; height: 0.5rem; margin: 0.25rem 0 1rem; appearance: none; border: 0;
    background: var(--guichet-color-border, #767676); border-radius: 0.25rem; overflow: hidden; color: var(--guichet-color-primary, #1d4e89); }
  progress::-webkit-progress-bar { background: var(--guichet-color-border, #767676); }
  progress::-webkit-progress-value { background: var(--guichet-color-primary, #1d4e89); }
  progress::-moz-progress-bar { background: var(--guichet-color-primary, #1d4e89); }
  .field { margin: 0 0 1.5rem; padding: 0; border: 0; min-width: 0; }
  .field.has-error { border-left: 4px solid var(--guichet-color-error, #b00020); padding-left: 0.75rem; }
  label, legend, .label { display: block; font-weight: 600; margin-bottom: 0.25rem; }
  legend { padding: 0; }
  .optional { font-weight: 400; }
  .hint { color: var(--guichet-color-muted, #4a4a4a); margin: 0 0 0.5rem; }
  .error-message { color: var(--guichet-color-error, #b00020); font-weight: 600; margin: 0 0 0.5rem; }
  input[type='text'], input[type='email'], input[type='password'], input[type='tel'], input[type='date'], input[type='time'], select, textarea {
    font: inherit; box-sizing: border-box; width: 100%; max-width: 30rem; padding: 0.5rem;
    border: 2px solid var(--guichet-color-text, #1b1b1b); border-radius: 0; background: var(--guichet-color-surface, #fff); color: inherit;
  }
  textarea { max-width: 40rem; }
  [aria-invalid='true'] { border-color: var(--guichet-color-error, #b00020); }
  .choices { display: grid; gap: 0.5rem; }
  .choices.inline { grid-auto-flow: column; justify-content: start; gap: 1.5rem; }
  .choice { display: flex; align-items: center; gap: 0.5rem; }
  .choice label { font-weight: 400; margin: 0; }
  .choice input { width: 1.5rem; height: 1.5rem; margin: 0; flex: none; }
  .part { margin-bottom: 0.75rem; }
  .part label { font-weight: 400; }
  .row { border: 1px solid var(--guichet-color-border, #767676); border-radius: var(--guichet-radius, 8px); padding: 0.75rem; margin: 0 0 1rem; }
  .files { list-style: none; padding: 0; margin: 0 0 0.75rem; }
  .files li { display: flex; flex-wrap: wrap; align-items: center; gap: 0.5rem; }
  .upload { margin: 0 0 0.75rem; }
  .upload label { font-weight: 400; }
  .upload progress { display: inline-block; width: 70%; max-width: 20rem; height: 0.75rem; margin: 0 0.5rem 0 0; vertical-align: middle; }
  input[type='file'] { font: inherit; max-width: 100%; }
  .resume { margin-top: 2rem; border-top: 1px solid var(--guichet-color-border, #767676); padding-top: 1rem; }
  .resume summary { cursor: pointer; color: var(--guichet-color-primary, #1d4e89); text-decoration: underline; min-height: 24px; }
  .resume input { margin-bottom: 0.5rem; }
  .computed output { display: block; font-size: 1.125rem; }
  button { font: inherit; padding: 0.5rem 1rem; border-radius: var(--guichet-radius, 8px); border: 2px solid var(--guichet-color-primary, #1d4e89);
    background: var(--guichet-color-primary, #1d4e89); color: var(--guichet-color-on-primary, #fff); cursor: pointer; }
  button.secondary { background: var(--guichet-color-surface, #fff); color: var(--guichet-color-primary, #1d4e89); }
  button.link { background: none; border-color: transparent; color: var(--guichet-color-primary, #1d4e89); text-decoration: underline; padding: 0.5rem 0.25rem; }
  button.danger { background: var(--guichet-color-error, #b00020); border-color: var(--guichet-color-error, #b00020); }
  button[disabled] { opacity: 0.6; cursor: progress; }
  .actions { display: flex; flex-wrap: wrap; gap: 1rem; align-items: center; margin-top: 1.5rem; }
  :focus-visible { outline: 3px solid var(--guichet-color-focus, #ffbf47); outline-offset: 2px; }
  h1:focus, .error-summary:focus { outline: none; }
  h1:focus-visible, .error-summary:focus-visible { outline: 3px solid var(--guichet-color-focus, #ffbf47); }
  .error-summary { border: 4px solid var(--guichet-color-error, #b00020); padding: 1rem; margin: 0 0 1.5rem; }
  .error-summary h2 { margin-top: 0; }
  .error-summary ul { padding-left: 1.25rem; }
  .error-summary li { margin: 0.5rem 0; }
  .error-summary a { display: inline-block; min-height: 24px; padding: 0.125rem 0; color: var(--guichet-color-error, #b00020); font-weight: 600; }
  .section-head { display: flex; flex-wrap: wrap; justify-content: space-between; align-items: baseline; gap: 0.5rem; }
  .answers { margin: 0; }
  .answers div { display: grid; grid-template-columns: minmax(0, 1fr) minmax(0, 1.5fr); gap: 0.5rem; padding: 0.5rem 0; border-bottom: 1px solid var(--guichet-color-border, #767676); }
  @media (max-width: 40rem) { .answers div { grid-template-columns: minmax(0, 1fr); } }
  dt { font-weight: 600; }
  dd { margin: 0; }
  .panel { background: var(--guichet-color-primary, #1d4e89); color: var(--guichet-color-on-primary, #fff); padding: 1.5rem; border-radius: var(--guichet-radius, 8px); }
  .panel h1 { margin-top: 0; }
  .code { font-size: 1.5rem; letter-spacing: 0.05em; }
  .status { color: var(--guichet-color-muted, #4a4a4a); }
  .visually-hidden { position: absolute !important; width: 1px; height: 1px; margin: -1px; padding: 0; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; border: 0; }
`;
