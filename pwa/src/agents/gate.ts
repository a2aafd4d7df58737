/**
 * What a back-office screen shows while it cannot show itself: loading, or why not
 * (signed out, not an agent, a second factor owed, unavailable), with the way on:
 * the sign-in, the second factor's form, a retry. One place for every screen.
 */

import { html, nothing } from 'lit';

import { ProblemError } from '../api/client';
import type { AgentRefusal } from './data';
import './mfa';
import { bo } from './strings';

export type Gate = AgentRefusal | 'loading' | 'error';

/** The screen's state for an error its start met (a refusal the API named, else unavailable). */
export function refusal(error: unknown): 'mfa' | 'signed-out' | 'error' {
  const code = error instanceof ProblemError ? error.problem.code : undefined;
  return code === 'mfa-required' ? 'mfa' : code === 'not-authenticated' ? 'signed-out' : 'error';
}

/** The screen's heading and, unless loading, why it cannot show and what to do; ``restart`` starts it again. */
export function gate(title: string, state: Gate, restart: () => void) {
  if (state === 'loading') return html`<h1>${title}</h1><p role="status">${bo.loading}</p>`;
  const why = { 'signed-out': bo.signInFirst, 'not-agent': bo.notAgent, mfa: bo.mfaNeeded, error: bo.unavailable }[state];
  return html`<h1>${title}</h1><p class="notice">${why}</p>
    ${state === 'mfa' ? html`<guichet-agent-mfa @guichet-mfa-done=${restart}></guichet-agent-mfa>` : nothing}
    ${state === 'signed-out'
      ? html`<p><a href=${`/compte/connexion?suite=${encodeURIComponent(location.pathname + location.search)}`}>${bo.signIn}</a></p>` : nothing}
    ${state === 'error' ? html`<p><button type="button" @click=${restart}>${bo.retry}</button></p>` : nothing}`;
}
