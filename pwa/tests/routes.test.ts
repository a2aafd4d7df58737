import { describe, expect, it } from 'vitest';

import { ROUTES, isAppPath, match } from '../src/app/routes';

describe('match', () => {
  it('finds each screen and its params', () => {
    expect(match('/')?.route.tag).toBe('guichet-catalog');
    expect(match('/demarches/')?.route.tag).toBe('guichet-catalog');
    expect(match('/demarches')?.route.tag).toBe('guichet-catalog');
    const procedure = match('/demarches/acte-etat-civil/');
    expect(procedure?.route.tag).toBe('guichet-procedure');
    expect(procedure?.params).toEqual({ slug: 'acte-etat-civil' });
  });

  it('keeps the back office’s screens while the address moves within each', () => {
    const id = '0b5e8f8a-4c1e-4a5b-9d43-3f1a2b3c4d5e';
    expect(match('/agents/')?.route.tag).toBe('guichet-backoffice');
    expect(match(`/agents/demandes/${id}/`)?.params).toEqual({ id });
    expect(match(`/agents/demandes/${id}/`)?.route.tag).toBe('guichet-backoffice');
    expect(match('/agents/saisie/')?.route.tag).toBe('guichet-agent-desk');
    expect(['/agents/', '/agents/saisie/', `/agents/demandes/${id}/`].every((path) => match(path)?.route.keep)).toBe(true);
    expect(match('/agents/saisie/x/')).toBeUndefined();
  });

  it('finds nothing for what is no screen', () => {
    for (const path of ['/demarches/a/b/', '/demarches/Acte/', '/demarches/-x/', '/compte/inconnu', '/nulle-part']) {
      expect(match(path), path).toBeUndefined();
    }
  });

  it('leaves the API and the admin to the browser', () => {
    expect(isAppPath('/demarches/x/')).toBe(true);
    expect(isAppPath('/')).toBe(true);
    expect(isAppPath('/api/procedures/')).toBe(false);
    expect(isAppPath('/admin/')).toBe(false);
    expect(isAppPath('/demarchesx')).toBe(false);
    expect(ROUTES.every((route) => route.tag.startsWith('guichet-'))).toBe(true);
  });
});

describe('the server and the app agree on what is the app', () => {
  it('on every section and on paths around them', async () => {
    const { readFileSync } = await import('node:fs');
    const views = readFileSync(new URL('../../api/core/views.py', import.meta.url), 'utf8');
    const found = /APP_ROUTES = r"\^\(([a-z|-]+)\)\(\/\[\\s\\S\]\*\)\?\$"/.exec(views);
    expect(found, 'APP_ROUTES in api/core/views.py').not.toBeNull();
    const sections = (found?.[1] ?? '').split('|');
    // The server's rule, as Django applies it to the path without its leading slash.
    const server = new RegExp(`^(${sections.join('|')})(/[\\s\\S]*)?$`);
    const paths = sections.flatMap((s) => [`/${s}`, `/${s}/`, `/${s}/x/y`, `/${s}x`, `/x${s}`, `/${s.toUpperCase()}/`]);
    for (const path of [...paths, '/api/', '/admin/', '/static/x.js', '/ws/']) {
      expect(isAppPath(path), path).toBe(server.test(path.slice(1)));
    }
  });
});
