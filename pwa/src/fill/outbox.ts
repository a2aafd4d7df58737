/**
 * Sending, whether online or not: a request to send is first written to the outbox
 * (IndexedDB), then the whole sequence is replayed until it is acknowledged —
 * create the draft, save the answers with If-Match, send — each step with an
 * Idempotency-Key chosen once and kept with the draft, so a step repeated after a
 * lost answer or a closed tab is one request on the server. One tab replays at a
 * time (Web Locks). The outbox is flushed when the app starts, when the connection
 * returns, and when the service worker's Background Sync says so.
 */

import { GuichetClient, ProblemError } from '../api/client';
import { language } from '../i18n';
import { allDrafts, getDraft, randomToken, update, type Answers, type LocalDraft } from './store';

export const SYNC_TAG = 'guichet-outbox';
export const OUTBOX_EVENT = 'guichet-outbox';

/** A network failure or a server that is not there: worth trying again later. */
export function isTransient(error: unknown): boolean {
  if (!(error instanceof ProblemError)) return true;
  const status = error.problem.status ?? 0;
  return status === 0 || status === 408 || status === 425 || status === 429 || status >= 500;
}

/** The answers to send, with null for each one the server holds and the device no longer does. */
export function changes(answers: Answers, synced: readonly string[]): Answers {
  const body: Answers = { ...answers };
  for (const name of synced) if (!(name in answers)) body[name] = null;
  return body;
}

function announce(draft: LocalDraft | undefined): void {
  if (draft && typeof window !== 'undefined') window.dispatchEvent(new CustomEvent(OUTBOX_EVENT, { detail: draft }));
}

/** Makes the server's copy of a draft hold the device's answers (creating it if need be). */
export async function push(client: GuichetClient, key: string): Promise<LocalDraft | undefined> {
  const draft = await getDraft(key);
  if (!draft) return undefined;
  if (!draft.serverId) {
    const resumeToken = draft.resumeToken ?? randomToken(32);
    if (!draft.resumeToken) await update(key, (d) => ((d.resumeToken = resumeToken), true));
    const created = await client.createDraft(draft.slug, draft.answers, { idempotencyKey: draft.keys.create, resumeToken });
    return update(key, (d) => {
      d.serverId = created.body.id;
      d.etag = created.etag;
      d.synced = Object.keys(created.body.data ?? {});
      d.sent = JSON.stringify(draft.answers);
      // A signed-in person's draft needs no secret: the server keeps none.
      d.resumeToken = created.body.resume_token ?? undefined;
      return true;
    });
  }
  // Unchanged since the server last received it: nothing to save (and once the request is
  // sent, a save would be refused, so a replayed sending must not start with one).
  if (draft.sent === JSON.stringify(draft.answers)) return draft;
  const body = changes(draft.answers, draft.synced);
  const saveKey = draft.keys.save ?? crypto.randomUUID();
  if (!draft.keys.save) await update(key, (d) => ((d.keys.save = saveKey), true));
  const saved = await client.saveDraft(draft.serverId, body, { ifMatch: draft.etag || '*', idempotencyKey: saveKey, resumeToken: draft.resumeToken });
  return update(key, (d) => {
    d.etag = saved.etag;
    d.synced = Object.keys(saved.body.data ?? {});
    d.sent = JSON.stringify(draft.answers);
    delete d.keys.save;
    return true;
  });
}

/** Marks a draft as ready to send; the outbox takes it from there. */
export async function queue(key: string): Promise<void> {
  const draft = await update(key, (d) => {
    d.delivery = 'waiting';
    delete d.problem;
    return true;
  });
  announce(draft);
  try {
    // Not .ready: it never settles where no service worker is active (a first visit, a blocked one).
    const registration = await navigator.serviceWorker?.getRegistration();
    const sync = (registration as (ServiceWorkerRegistration & { sync?: { register(tag: string): Promise<void> } }) | undefined)?.sync;
    await sync?.register(SYNC_TAG);
  } catch {
    /* Background Sync is a bonus: the app also flushes on start and when back online. */
  }
}

async function deliver(client: GuichetClient, key: string): Promise<void> {
  let draft = await update(key, (d) => d.delivery === 'waiting' && ((d.delivery = 'sending'), true));
  if (!draft || draft.delivery !== 'sending') return;
  announce(draft);
  try {
    draft = await push(client, key);
    if (!draft?.serverId) return;
    const sent = await client.submit(draft.serverId, { idempotencyKey: draft.keys.submit, resumeToken: draft.resumeToken });
    announce(
      await update(key, (d) => {
        d.delivery = 'sent';
        d.reference = sent.reference ?? undefined;
        d.trackingCode = sent.tracking_code ?? undefined;
        d.answers = {}; // what was sent is on the server now; the device keeps the receipt only
        return true;
      }),
    );
  } catch (error) {
    const transient = isTransient(error);
    announce(
      await update(key, (d) => {
        d.delivery = transient ? 'waiting' : 'refused';
        if (!transient) d.problem = error instanceof ProblemError ? error.message : String(error);
        if (!transient && error instanceof ProblemError) d.invalid = error.problem.invalid_params ?? [];
        return true;
      }),
    );
    if (transient) throw error;
  }
}

/** Runs ``work`` while no other tab of this app writes to the server's drafts. */
export async function exclusively<T>(work: () => Promise<T>): Promise<T> {
  return navigator.locks ? navigator.locks.request(SYNC_TAG, work) : work();
}

let flushing: Promise<void> | undefined;
/** A flush was asked for while one was running: it may have listed the outbox before. */
let askedAgain = false;

/** Sends every request waiting in the outbox, one after the other; stops at the first network failure. */
export function flush(client: GuichetClient = new GuichetClient('', language)): Promise<void> {
  if (flushing) {
    askedAgain = true; // what was queued since the running flush read the outbox goes too
    return flushing;
  }
  flushing = (async () => {
    const run = async () => {
      // A tab closed while sending left its item 'sending': nobody else holds the lock, so take it back.
      for (const draft of await allDrafts()) {
        if (draft.delivery === 'sending') await update(draft.key, (d) => ((d.delivery = 'waiting'), true));
      }
      for (const draft of (await allDrafts()).filter((d) => d.delivery === 'waiting').sort((a, b) => a.updatedAt - b.updatedAt)) {
        await deliver(client, draft.key);
      }
    };
    try {
      do {
        askedAgain = false;
        await exclusively(run);
      } while (askedAgain);
      retryIn = FIRST_RETRY_MS;
    } catch {
      // Offline, or the server away: try again later, less and less often.
      window.clearTimeout(retryTimer);
      retryTimer = window.setTimeout(() => void flush(client), retryIn);
      retryIn = Math.min(retryIn * 2, LAST_RETRY_MS);
    } finally {
      flushing = undefined;
    }
  })();
  return flushing;
}

const FIRST_RETRY_MS = 2000;
const LAST_RETRY_MS = 60000;
let retryIn = FIRST_RETRY_MS;
let retryTimer: number | undefined;

/** Starts the outbox: now, whenever the connection returns, and when the service worker asks. */
export function startOutbox(): void {
  void flush();
  window.addEventListener('online', () => {
    retryIn = FIRST_RETRY_MS;
    void flush();
  });
  navigator.serviceWorker?.addEventListener('message', (event: MessageEvent) => {
    if ((event.data as { type?: string } | null)?.type === 'flush-outbox') void flush();
  });
}
