/**
 * Sending a file to a draft, resumably (the server's tus-like uploads,
 * api/submissions/api/uploads.py): the file is announced, then sent in chunks with
 * Upload-Offset; after a lost connection the app asks the server where it stands and
 * goes on from there. Progress comes from XMLHttpRequest's upload events (fetch has
 * none), so the bar moves while a chunk is on its way.
 */

import { ProblemError, csrfToken, problemFrom } from '../api/client';
import type { components } from '../api/schema';

export type Attachment = components['schemas']['Attachment'];

export const CHUNK = 1024 * 1024;
const RETRIES = 8;

export interface UploadOptions {
  submission: string;
  field: string;
  resumeToken?: string;
  onProgress: (sent: number, total: number) => void;
}

function headers(resumeToken: string | undefined): Record<string, string> {
  const result: Record<string, string> = { Accept: 'application/json' };
  if (resumeToken) result['X-Resume-Token'] = resumeToken;
  const token = csrfToken();
  if (token) result['X-CSRFToken'] = token;
  return result;
}

interface Sent {
  status: number;
  offset: number;
  body: unknown;
}

/** One chunk, with progress; a network failure rejects with a TypeError (as fetch's does). */
function sendChunk(url: string, offset: number, chunk: Blob, extra: Record<string, string>, onProgress: (n: number) => void): Promise<Sent> {
  return new Promise((resolve, reject) => {
    const request = new XMLHttpRequest();
    request.open('PATCH', url);
    for (const [name, value] of Object.entries(extra)) request.setRequestHeader(name, value);
    request.setRequestHeader('Content-Type', 'application/octet-stream');
    request.setRequestHeader('Upload-Offset', String(offset));
    request.upload.onprogress = (event) => onProgress(event.loaded);
    request.onerror = () => reject(new TypeError('network error'));
    request.ontimeout = () => reject(new TypeError('timeout'));
    request.onload = () => {
      let body: unknown = null;
      try {
        body = JSON.parse(request.responseText);
      } catch {
        /* not JSON */
      }
      resolve({ status: request.status, offset: Number(request.getResponseHeader('Upload-Offset') ?? offset), body });
    };
    request.send(chunk);
  });
}

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Sends ``file`` to the draft; resolves with the attachment the server made of it. */
export async function upload(file: File, options: UploadOptions): Promise<Attachment> {
  const extra = headers(options.resumeToken);
  const created = await fetch(`/api/submissions/${encodeURIComponent(options.submission)}/uploads/`, {
    method: 'POST',
    credentials: 'same-origin',
    headers: { ...extra, 'Content-Type': 'application/json', 'Idempotency-Key': crypto.randomUUID() },
    body: JSON.stringify({ name: file.name.slice(0, 255) || 'fichier', size: file.size, field: options.field }),
  });
  if (!created.ok) throw await problemFrom(created);
  const { id } = (await created.json()) as { id: string };
  const url = `/api/uploads/${encodeURIComponent(id)}/`;
  let offset = 0;
  let failures = 0;
  options.onProgress(0, file.size);
  for (;;) {
    let sent: Sent;
    try {
      sent = await sendChunk(url, offset, file.slice(offset, offset + CHUNK), extra, (n) => options.onProgress(offset + n, file.size));
    } catch (error) {
      // The connection dropped mid-chunk: ask where the server stands, then go on from there.
      failures += 1;
      if (failures > RETRIES) throw error;
      await pause(Math.min(1000 * 2 ** failures, 30000));
      try {
        const where = await fetch(url, { credentials: 'same-origin', headers: extra });
        if (where.ok) offset = Number(where.headers.get('Upload-Offset') ?? offset);
      } catch {
        /* still offline: try the chunk again after the next pause */
      }
      continue;
    }
    if (sent.status === 201) {
      options.onProgress(file.size, file.size);
      return sent.body as Attachment;
    }
    if (sent.status === 200 || sent.status === 409) {
      offset = sent.offset; // 409: the server has a different offset, and says which
      failures = 0;
      options.onProgress(offset, file.size);
      continue;
    }
    const body = sent.body as ProblemError['problem'] | null;
    throw new ProblemError(body && typeof body.title === 'string'
      ? body
      : { type: 'about:blank', title: `HTTP ${sent.status}`, status: sent.status, detail: `HTTP ${sent.status}`, code: 'http-error' } as never);
  }
}
