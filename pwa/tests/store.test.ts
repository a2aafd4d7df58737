import 'fake-indexeddb/auto';

import { describe, expect, it } from 'vitest';

import type { GuichetClient } from '../src/api/client';
import { push } from '../src/fill/outbox';
import { getDraft, newDraft, saveAnswers, update } from '../src/fill/store';

/** A server that hands out a new ETag on each save and remembers the If-Match it was sent. */
function server() {
  const seen: { ifMatch?: string; body: unknown }[] = [];
  let version = 0;
  const client = {
    async createDraft(_slug: string, data: unknown) {
      version += 1;
      return { body: { id: 'd1', data, resume_token: 'secret' }, etag: `"v${version}"` };
    },
    async saveDraft(_id: string, body: unknown, options: { ifMatch?: string }) {
      seen.push({ ifMatch: options.ifMatch, body });
      if (options.ifMatch !== `"v${version}"`) throw new Error(`412: ${options.ifMatch} is not "v${version}"`);
      version += 1;
      return { body: { id: 'd1', data: body }, etag: `"v${version}"` };
    },
  };
  return { client: client as unknown as GuichetClient, seen };
}

describe('the device’s drafts', () => {
  it('keep what the outbox learnt of the server’s copy when the form saves its own, older copy', async () => {
    const { client, seen } = server();
    const form = newDraft('acte', 'Acte', 1, { nom: 'A' }, 'p1');
    await saveAnswers(form);
    await push(client, form.key); // created: the store knows the server's id and ETag, the form does not yet
    form.answers = { nom: 'B' };
    await saveAnswers(form); // the form's copy has no server id, no ETag
    await push(client, form.key);
    form.answers = { nom: 'C' };
    form.page = 'p2';
    await saveAnswers(form);
    const stored = await getDraft(form.key);
    expect(stored).toMatchObject({ serverId: 'd1', etag: '"v2"', answers: { nom: 'C' }, page: 'p2', resumeToken: 'secret' });
    await push(client, form.key); // saved with the ETag of the last save, not a stale one
    expect(seen.map((s) => s.ifMatch)).toEqual(['"v1"', '"v2"']);
    expect((await getDraft(form.key))?.etag).toBe('"v3"');
  });

  it('keep the answers a request was sent with once it is on its way', async () => {
    const form = newDraft('acte', 'Acte', 1, { nom: 'A' }, 'p1');
    await saveAnswers(form);
    await update(form.key, (d) => ((d.delivery = 'waiting'), true));
    form.answers = { nom: 'changed after sending' };
    await saveAnswers(form);
    expect(await getDraft(form.key)).toMatchObject({ delivery: 'waiting', answers: { nom: 'A' } });
  });
});
