import { describe, expect, it } from 'vitest';

import type { Procedure } from '../src/api/client';
import { filterOffline, fold } from '../src/components/offline-filter';

function procedure(slug: string, title: string, category: string, keywords: string[] = []): Procedure {
  return {
    slug,
    title,
    summary: `Résumé de ${title}`,
    category: { slug: category, title: category === 'etat-civil' ? 'État civil' : 'Voirie' },
    keywords,
    updated_at: '2026-11-30T00:00:00Z',
  };
}

const seen = [
  procedure('acte', "Demande d'acte d'état civil", 'etat-civil', ['naissance']),
  procedure('encombrants', 'Collecte des encombrants', 'voirie', ['déchets']),
  procedure('voie', 'Signaler un problème sur la voie publique', 'voirie'),
];

describe('filterOffline', () => {
  it('matches every word without accents or case, in title, summary, keywords or category', () => {
    expect(filterOffline(seen, 'ETAT civil', '').map((p) => p.slug)).toEqual(['acte']);
    expect(filterOffline(seen, 'dechets', '').map((p) => p.slug)).toEqual(['encombrants']);
    expect(filterOffline(seen, 'voirie', '').map((p) => p.slug)).toEqual(['encombrants', 'voie']);
    expect(filterOffline(seen, 'naissance encombrants', '')).toEqual([]);
  });

  it('keeps the category chosen, and everything for an empty search', () => {
    expect(filterOffline(seen, '', 'voirie').map((p) => p.slug)).toEqual(['encombrants', 'voie']);
    expect(filterOffline(seen, '  ', '')).toHaveLength(3);
    expect(filterOffline(seen, 'collecte', 'etat-civil')).toEqual([]);
  });

  it('folds accents and case', () => {
    expect(fold('Élection À')).toBe('election a');
  });
});
