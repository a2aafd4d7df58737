/** The back office's filter: the address, the inbox's query and a job's filter body say the same. */

import { readFileSync } from 'node:fs';

import { describe, expect, it } from 'vitest';

import { COLUMNS, NO_FILTER, ORDERINGS, SORT_KEYS, apiSearchOf, filterBody, filterFrom, resorted, searchOf, sortOf } from '../src/agents/data';

/** The inbox's ``ordering`` values as the committed OpenAPI file lists them. */
function schemaOrderings(): string[] {
  const schema = readFileSync(new URL('../../schema/openapi.yaml', import.meta.url), 'utf8');
  const list = schema.slice(schema.indexOf('operationId: agent_requests_list'));
  const block = list.slice(list.indexOf('name: ordering'));
  const items = block.slice(block.indexOf('enum:') + 5, block.indexOf('type:'));
  return [...items.matchAll(/^\s+- (\S+)$/gm)].map((m) => m[1]);
}

describe('the inbox filter', () => {
  it('comes back whole from its address', () => {
    const filter = {
      status: 'received', q: 'Anne Dupont', procedure: 'acte-etat-civil', assigned: 'me' as const, deadline_passed: true,
      ordering: 'submitted_at', citizen: '42', from: '2026-11-01', to: '2026-11-30', role: 'etat-civil', cols: 'status,assignee', where: 'type_acte:eq:naissance',
    };
    expect(filterFrom(`?${searchOf(filter).toString()}`)).toEqual(filter);
    expect(searchOf(NO_FILTER).toString()).toBe('');
  });

  it('drops what the API would refuse from an address someone edited', () => {
    const edited = '?assigned=everyone&ordering=random&deadline_passed=yes&citizen=0&from=2026-02-31x&to=hier';
    expect(filterFrom(edited)).toEqual(NO_FILTER);
    expect(filterFrom('?citizen=-3&from=2026-13-45').citizen).toBe('');
    expect(filterFrom('?from=2026-13-45').from).toBe('');
    expect(filterFrom('?role=%3Cscript%3E').role).toBe('');
    expect(filterFrom('?cols=status,password,assignee').cols).toBe('status,assignee');
    expect(filterFrom('?where=Nom:eq:x').where).toBe('');
    expect(filterFrom('?where=nom:like:x').where).toBe('');
    expect(filterFrom('?where=backoffice.priorite:empty:true').where).toBe('backoffice.priorite:empty:true');
  });

  it('asks the API for whole days on the agent’s clock, the last one included', () => {
    const params = apiSearchOf({ ...NO_FILTER, from: '2026-11-01', to: '2026-11-30' });
    expect(params.has('from') || params.has('to')).toBe(false);
    const after = new Date(params.get('submitted_after') ?? '');
    const before = new Date(params.get('submitted_before') ?? '');
    expect([after.getFullYear(), after.getMonth(), after.getDate(), after.getHours(), after.getMinutes()]).toEqual([2026, 10, 1, 0, 0]);
    expect([before.getFullYear(), before.getMonth(), before.getDate(), before.getHours()]).toEqual([2026, 11, 1, 0]);
    // A month's end rolls over into the next year.
    expect(new Date(apiSearchOf({ ...NO_FILTER, to: '2026-12-31' }).get('submitted_before') ?? '').getFullYear()).toBe(2027);
  });

  it('gives a job the API’s list parameters as lists, the flag as a boolean and the account as a number', () => {
    const body = filterBody({ ...NO_FILTER, status: 'received', procedure: 'collecte-encombrants', q: ' x ', deadline_passed: true, citizen: '7', role: 'voirie' });
    expect(body).toEqual({ status: ['received'], procedure: ['collecte-encombrants'], q: 'x', deadline_passed: true, citizen: 7, role: 'voirie' });
    expect(filterBody(NO_FILTER)).toEqual({});
    expect(Object.keys(filterBody({ ...NO_FILTER, from: '2026-11-01', cols: 'status' }))).toEqual(['submitted_after']);
    expect(filterBody({ ...NO_FILTER, where: 'nom:contains:a:b' })).toEqual({ where: ['nom:contains:a:b'] });
  });

  it('sorts by each column the API sorts by, ascending first and then the other way', () => {
    expect([...ORDERINGS].sort()).toEqual(schemaOrderings().sort());
    for (const column of ['reference', ...COLUMNS] as const) {
      const once = { ...NO_FILTER, ordering: resorted(NO_FILTER, column) };
      expect(sortOf(once, column)).toBe('ascending');
      const twice = { ...once, ordering: resorted(once, column) };
      expect(sortOf(twice, column)).toBe('descending');
      expect(filterFrom(`?${searchOf(twice).toString()}`).ordering).toBe(`-${SORT_KEYS[column]}`);
      expect(sortOf(twice, column === 'status' ? 'citizen' : 'status')).toBeUndefined();
    }
    expect(sortOf(NO_FILTER, 'submitted')).toBe('descending');
  });
});
