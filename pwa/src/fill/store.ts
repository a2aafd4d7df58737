/**
 * What the app keeps on the device, in IndexedDB (through idb): the drafts being
 * filled in, and the outbox of requests waiting to be sent. Nothing here is lost when
 * the tab is closed or the connection drops; a draft leaves the device only once the
 * server has acknowledged it, and a sent request is kept (with its reference and
 * tracking code) until the person dismisses it.
 */

import { openDB, type DBSchema, type IDBPDatabase } from 'idb';

export type Answers = Record<string, unknown>;

/** Where an outbox item stands. */
export type Delivery = 'filling' | 'waiting' | 'sending' | 'sent' | 'refused';

export interface LocalDraft {
  /** Chosen on the device when the draft is started; also the draft's outbox key. */
  key: string;
  slug: string;
  title: string;
  /** The form version the answers were given against, and that form (to go on filling offline). */
  version: number;
  form?: unknown;
  answers: Answers;
  /** The page being filled in, or 'check' for the "check your answers" page. */
  page: string;
  /** The pages the person has passed, in order (the "back" path). */
  visited: string[];
  /** The server's copy, once created. */
  serverId?: string;
  etag?: string;
  /** An anonymous draft's secret, chosen on the device (sent as X-Resume-Token). */
  resumeToken?: string;
  /** The names the server's copy holds, so that an answer removed here is removed there. */
  synced: string[];
  /** The answers as the server's copy last received them (JSON), so an unchanged draft is not saved again. */
  sent?: string;
  /** The Idempotency-Keys of each step of sending, chosen once so that a replay is one request. */
  keys: { create: string; submit: string; save?: string };
  delivery: Delivery;
  /** Once sent. */
  reference?: string;
  trackingCode?: string;
  /** Why the server refused it (shown, and the draft reopened). */
  problem?: string;
  /** The answers the server refused, by pointer (shown on the page they are on). */
  invalid?: { pointer?: string; reason?: string; page?: string }[];
  updatedAt: number;
}

interface GuichetDB extends DBSchema {
  drafts: { key: string; value: LocalDraft; indexes: { slug: string; delivery: Delivery } };
}

const NAME = 'guichet';
let opened: Promise<IDBPDatabase<GuichetDB>> | undefined;

function db(): Promise<IDBPDatabase<GuichetDB>> {
  opened ??= openDB<GuichetDB>(NAME, 1, {
    upgrade(database) {
      const drafts = database.createObjectStore('drafts', { keyPath: 'key' });
      drafts.createIndex('slug', 'slug');
      drafts.createIndex('delivery', 'delivery');
    },
  });
  return opened;
}

/** A random token of URL-safe characters (for keys and resume secrets). */
export function randomToken(bytes = 24): string {
  const raw = crypto.getRandomValues(new Uint8Array(bytes));
  return btoa(String.fromCharCode(...raw)).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

export function newDraft(slug: string, title: string, version: number, answers: Answers, page: string): LocalDraft {
  return {
    key: crypto.randomUUID(),
    slug,
    title,
    version,
    answers,
    page,
    visited: [],
    synced: [],
    keys: { create: crypto.randomUUID(), submit: crypto.randomUUID() },
    delivery: 'filling',
    updatedAt: Date.now(),
  };
}

export async function saveDraft(draft: LocalDraft): Promise<void> {
  draft.updatedAt = Date.now();
  await (await db()).put('drafts', draft);
}

/**
 * Keeps what the form owns — the answers and where the person is — leaving as stored what
 * the outbox wrote about the server's copy (its id, ETag, resume secret, what it holds,
 * where its sending stands). The form's own copy of those may be older than the store's:
 * writing it back whole made the next step save with a stale If-Match and be refused.
 * A draft already on its way keeps the answers it was sent with.
 */
export async function saveAnswers(draft: LocalDraft): Promise<void> {
  const tx = (await db()).transaction('drafts', 'readwrite');
  const stored = await tx.store.get(draft.key);
  const open = !stored || stored.delivery === 'filling' || stored.delivery === 'refused';
  if (open) {
    const owned = { answers: draft.answers, page: draft.page, visited: draft.visited, title: draft.title, version: draft.version, form: draft.form };
    await tx.store.put({ ...(stored ?? draft), ...owned, updatedAt: Date.now() });
  }
  await tx.done;
}

export async function getDraft(key: string): Promise<LocalDraft | undefined> {
  return (await db()).get('drafts', key);
}

export async function deleteDraft(key: string): Promise<void> {
  await (await db()).delete('drafts', key);
}

/** The draft being filled in for a procedure, if any (the most recent). */
export async function draftFor(slug: string): Promise<LocalDraft | undefined> {
  const all = await (await db()).getAllFromIndex('drafts', 'slug', slug);
  return all.filter((d) => d.delivery === 'filling').sort((a, b) => b.updatedAt - a.updatedAt)[0];
}

export async function draftByServerId(id: string): Promise<LocalDraft | undefined> {
  const all = await (await db()).getAll('drafts');
  return all.find((d) => d.serverId === id);
}

export async function allDrafts(): Promise<LocalDraft[]> {
  return (await db()).getAll('drafts');
}

/** Changes a stored draft inside one transaction, so two tabs never overwrite each other's step. */
export async function update(key: string, change: (draft: LocalDraft) => boolean): Promise<LocalDraft | undefined> {
  const tx = (await db()).transaction('drafts', 'readwrite');
  const draft = await tx.store.get(key);
  if (draft && change(draft)) {
    draft.updatedAt = Date.now();
    await tx.store.put(draft);
  }
  await tx.done;
  return draft;
}

/** Forgets everything personal kept on this device (at sign-out). */
export async function clearAll(): Promise<void> {
  await (await db()).clear('drafts');
}
