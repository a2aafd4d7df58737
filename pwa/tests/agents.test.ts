/** The back office's filter: the address, the inbox's query and a job's filter body say the same. */

import { describe, expect, it } from 'vitest';

import { NO_FILTER, filterBody, filterFrom, searchOf } from '../src/agents/data';

describe('the inbox filter', () => {
  it('comes back whole from its address', () => {
    const filter = { status: 'received', q: 'Anne Dupont', procedure: 'acte-etat-civil', assigned: 'me' as const, deadline_passed: true, ordering: 'submitted_at' };
    expect(filterFrom(`?${searchOf(filter).toString()}`)).toEqual(filter);
    expect(searchOf(NO_FILTER).toString()).toBe('');
  });

  it('drops what the API would refuse from an address someone edited', () => {
    expect(filterFrom('?assigned=everyone&ordering=random&deadline_passed=yes')).toEqual(NO_FILTER);
  });

  it('gives a job the API’s list parameters as lists and the flag as a boolean', () => {
    const body = filterBody({ ...NO_FILTER, status: 'received', procedure: 'collecte-encombrants', q: ' x ', deadline_passed: true });
    expect(body).toEqual({ status: ['received'], procedure: ['collecte-encombrants'], q: 'x', deadline_passed: true });
    expect(filterBody(NO_FILTER)).toEqual({});
  });
});
