import { describe, expect, it } from 'vitest';

import { messages, pickLanguage } from '../src/i18n';

describe('pickLanguage', () => {
  it('takes the first supported language, French by default', () => {
    expect(pickLanguage(['de-DE', 'en-GB', 'fr'])).toBe('en');
    expect(pickLanguage(['fr-BE'])).toBe('fr');
    expect(pickLanguage(['de', 'it'])).toBe('fr');
    expect(pickLanguage([])).toBe('fr');
  });
});

describe('messages', () => {
  it('has every French string in English too, with plurals', () => {
    const fr = messages('fr');
    const en = messages('en');
    expect(Object.keys(en).sort()).toEqual(Object.keys(fr).sort());
    expect(fr.results(0)).toBe('Aucune démarche trouvée');
    expect(fr.results(2)).toBe('2 démarches');
    expect(en.results(1)).toBe('1 procedure');
  });
});
