/**
 * Signing in and out through the account API (allauth headless, browser client:
 * a session cookie and Django's CSRF token, which the first call to its
 * configuration sets). Its refusals are problem details like the rest of the API.
 * While someone is signed in, the app notes it on the device (SIGNED_IN), so that
 * screens ask for personal data only then; signing out forgets everything personal
 * the device keeps.
 */

import { GuichetClient, ProblemError, csrfToken } from '../api/client';
import { language } from '../i18n';

export const SIGNED_IN = 'guichet-signed-in';
/** What the service worker keeps of the signed-in person's requests (service-worker.js). */
export const PERSONAL_CACHE = 'guichet-personal';
const AUTH = '/api/auth/browser/v1';

/** The step a sign-in or sign-up waits for, when the server answers 401 with one. */
export type Pending = 'verify-email' | 'login-by-code' | 'password-reset' | 'mfa' | undefined;

export interface Outcome {
  signedIn: boolean;
  pending: Pending;
}

export interface Provider {
  id: string;
  name: string;
}

const client = () => new GuichetClient('', language);

/** Makes sure the CSRF cookie is set (the configuration's answer sets it). */
async function ready(): Promise<void> {
  if (!csrfToken()) await client().call('GET', `${AUTH}/config`);
}

function outcome(error: unknown): Outcome {
  if (error instanceof ProblemError && error.problem.status === 401) {
    const code = (error.problem as { code?: string }).code;
    if (code === 'verify-email-pending') return { signedIn: false, pending: 'verify-email' };
    if (code === 'login-by-code-pending') return { signedIn: false, pending: 'login-by-code' };
    if (code === 'password-reset-by-code-pending') return { signedIn: false, pending: 'password-reset' };
    if (code === 'mfa-authenticate-pending') return { signedIn: false, pending: 'mfa' };
  }
  throw error;
}

async function step(path: string, body: unknown, method = 'POST'): Promise<Outcome> {
  await ready();
  try {
    await client().call(method, `${AUTH}${path}`, body);
  } catch (error) {
    return outcome(error);
  }
  await forgetPersonal(); // someone else's requests, if any were kept, are not theirs
  localStorage.setItem(SIGNED_IN, '1');
  return { signedIn: true, pending: undefined };
}

export const signIn = (email: string, password: string) => step('/auth/login', { email, password });
export const signUp = (email: string, password: string) => step('/auth/signup', { email, password });
export const requestCode = (email: string) => step('/auth/code/request', { email });
export const confirmCode = (code: string) => step('/auth/code/confirm', { code });
export const verifyEmail = (key: string) => step('/auth/email/verify', { key });
/** The second factor after the password: a code from the person's authenticator app. */
export const authenticateMfa = (code: string) => step('/auth/2fa/authenticate', { code });
/** Asks for a code by email to choose a new password (said the same way whether the address is known or not). */
export const requestPasswordReset = (email: string) => step('/auth/password/request', { email });

/** Sets a new password with the emailed code; the person then signs in with it. */
export async function resetPassword(key: string, password: string): Promise<void> {
  await ready();
  try {
    await client().call('POST', `${AUTH}/auth/password/reset`, { key, password });
  } catch (error) {
    // Changed; allauth answers 401 as it does not sign the person in by itself.
    if (!(error instanceof ProblemError) || error.problem.status !== 401 || (error.problem as { code?: string }).code !== 'not-authenticated') throw error;
  }
}

/** The sign-in providers the municipality configured (FranceConnect, its own…). */
export async function providers(): Promise<Provider[]> {
  try {
    const response = await client().call('GET', `${AUTH}/config`);
    const body = (await response.json()) as { data?: { socialaccount?: { providers?: Provider[] } } };
    return body.data?.socialaccount?.providers ?? [];
  } catch {
    return [];
  }
}

/** Whether the server still knows this device's person (and the note to match); offline, the note answers. */
export async function signedIn(): Promise<boolean> {
  if (!localStorage.getItem(SIGNED_IN)) return false;
  try {
    await client().call('GET', '/api/me/');
    return true;
  } catch (error) {
    if (!(error instanceof ProblemError)) return true; // no network: as last known
    localStorage.removeItem(SIGNED_IN);
    await forgetPersonal();
    return false;
  }
}

/**
 * Back from a sign-in provider (FranceConnect…): the server's session says whether it
 * worked; if so, the device notes it as after any sign-in.
 */
export async function afterProvider(): Promise<boolean> {
  try {
    await client().call('GET', `${AUTH}/auth/session`);
  } catch {
    return false;
  }
  await forgetPersonal();
  localStorage.setItem(SIGNED_IN, '1');
  return true;
}

/** Forgets the copies of personal pages the service worker kept for offline reading. */
async function forgetPersonal(): Promise<void> {
  if ('caches' in window) await caches.delete(PERSONAL_CACHE);
}

/** Signs out and forgets what the device keeps of the person: drafts, receipts, kept pages, the note. */
export async function signOut(): Promise<void> {
  try {
    await ready();
    await client().call('DELETE', `${AUTH}/auth/session`);
  } catch (error) {
    // allauth answers 401 once the session is gone: that is the point.
    if (!(error instanceof ProblemError) || error.problem.status !== 401) {
      await forgetDevice();
      throw error;
    }
  }
  await forgetDevice();
}

async function forgetDevice(): Promise<void> {
  localStorage.removeItem(SIGNED_IN);
  await forgetPersonal();
  const { clearAll } = await import('../fill/store');
  await clearAll();
}
