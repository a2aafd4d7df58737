import { describe, expect, it } from 'vitest';

import { GuichetClient, ProblemError, cursorOf, problemFrom, procedureSearchParams } from '../src/api/client';

describe('procedureSearchParams', () => {
  it('leaves out empty values and trims the search', () => {
    expect(procedureSearchParams({ q: '  ', category: '' }).toString()).toBe('');
    expect(procedureSearchParams({ q: ' état civil ', category: 'voirie', pageSize: 5 }).toString()).toBe(
      'q=%C3%A9tat+civil&category=voirie&page_size=5',
    );
  });
});

describe('cursorOf', () => {
  it('reads the cursor of an absolute or relative next link', () => {
    expect(cursorOf('http://127.0.0.1:8000/api/procedures/?cursor=cD1h&q=x')).toBe('cD1h');
    expect(cursorOf('/api/procedures/?cursor=abc')).toBe('abc');
    expect(cursorOf(null)).toBeUndefined();
  });
});

describe('problemFrom', () => {
  it('keeps the problem details the API sent', async () => {
    const body = { type: 'urn:guichet:problem:invalid-query', title: 'Some values are not valid.', status: 400, detail: '1 value is not valid: category.', code: 'invalid-query' };
    const error = await problemFrom(new Response(JSON.stringify(body), { status: 400, headers: { 'Content-Type': 'application/problem+json' } }));
    expect(error).toBeInstanceOf(ProblemError);
    expect(error.problem.code).toBe('invalid-query');
    expect(error.message).toBe('1 value is not valid: category.');
  });

  it('makes a generic problem from a body that is not one', async () => {
    const error = await problemFrom(new Response('<html>bad gateway</html>', { status: 502, statusText: 'Bad Gateway', headers: { 'Content-Type': 'text/html' } }));
    expect(error.problem.status).toBe(502);
    expect(error.problem.code).toBe('http-error');
    expect(error.message).toBe('Bad Gateway');
  });
});

describe('GuichetClient', () => {
  it('asks for JSON in the chosen language and raises problems', async () => {
    const seen: { url: string; headers: Record<string, string> }[] = [];
    const fetcher = (async (url: string, init: RequestInit) => {
      seen.push({ url, headers: init.headers as Record<string, string> });
      return new Response(JSON.stringify({ type: 'urn:guichet:problem:procedure-closed', title: 'Closed', status: 410, detail: 'It closed.', code: 'procedure-closed' }), {
        status: 410,
        headers: { 'Content-Type': 'application/problem+json' },
      });
    }) as unknown as typeof fetch;
    const client = new GuichetClient('https://mairie.example', 'en', fetcher);
    await expect(client.procedures({ q: 'cantine' })).rejects.toThrow('It closed.');
    expect(seen[0].url).toBe('https://mairie.example/api/procedures/?q=cantine');
    expect(seen[0].headers['Accept-Language']).toBe('en');
  });
});
