/**
 * The catalog's search while offline: the procedures already seen, filtered here as
 * the server would roughly do it (every word of the search, without accents or case,
 * in the title, summary, keywords or category; the category chosen).
 */

import type { Procedure } from '../api/client';

export function fold(text: string): string {
  return text.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

export function filterOffline(procedures: readonly Procedure[], query: string, category: string): Procedure[] {
  const words = fold(query).split(/[^\p{L}\p{N}]+/u).filter(Boolean);
  return procedures.filter((procedure) => {
    if (category && procedure.category.slug !== category) return false;
    const text = fold([procedure.title, procedure.summary, procedure.category.title, ...procedure.keywords].join(' '));
    return words.every((word) => text.includes(word));
  });
}
