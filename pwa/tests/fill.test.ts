import { describe, expect, it } from 'vitest';

import { display, errorMap, getAt, missing, pathOf, serverErrors, setAt } from '../src/fill/answers';
import { controlId, parseTyped, shownAs, type Field } from '../src/fill/fields';
import { changes, isTransient } from '../src/fill/outbox';
import { ProblemError } from '../src/api/client';
import { match } from '../src/app/routes';

const page = (fields: Field[]) => ({ id: 'p', title: 'P', fields }) as never;

describe('answers by path', () => {
  it('reads and writes inside a block’s rows without touching the original', () => {
    const before = { enfants: [{ prenom: 'Léa' }], nom: 'Durand' };
    const after = setAt(before, ['enfants', 1, 'prenom'], 'Noé');
    expect(after).toEqual({ enfants: [{ prenom: 'Léa' }, { prenom: 'Noé' }], nom: 'Durand' });
    expect(before.enfants).toHaveLength(1);
    expect(getAt(after, ['enfants', 1, 'prenom'])).toBe('Noé');
    expect(getAt(after, ['enfants', 5, 'prenom'])).toBeUndefined();
    expect(setAt(after, ['nom'], undefined)).not.toHaveProperty('nom');
  });

  it('finds the field of a server error from its JSON pointer, escapes included', () => {
    expect(pathOf('/data/nom')).toEqual(['nom']);
    expect(pathOf('/data/enfants/0/prenom')).toEqual(['enfants', 0, 'prenom']);
    expect(pathOf('/data/a~1b~0c')).toEqual(['a/b~c']);
    expect(pathOf('/data')).toEqual([]);
    expect(pathOf(undefined)).toEqual([]);
    const errors = serverErrors([{ pointer: '/data/enfants/0/prenom', reason: 'Trop long.' }, { pointer: '/data/enfants/0/prenom', reason: 'Autre.' }]);
    expect(errorMap(errors).get('enfants.0.prenom')).toBe('Trop long.'); // the first one is shown
    expect(controlId(['enfants', 0, 'prenom'])).toBe('f-enfants-0-prenom');
  });
});

describe('the device’s own check', () => {
  const fields: Field[] = [
    { type: 'text', varname: 'nom', label: 'Nom', required: true },
    { type: 'text', varname: 'tel', label: 'Téléphone' },
    { type: 'title', varname: 't', label: 'Titre' },
    {
      type: 'block', varname: 'enfants', label: 'Enfants', required: true,
      fields: [
        { type: 'text', varname: 'prenom', label: 'Prénom', required: true },
        { type: 'text', varname: 'classe', label: 'Classe', required: true, condition: { '==': [{ var: 'row.scolarise' }, true] } },
      ],
    },
  ];

  it('asks for each required answer that is visible, rows and row conditions included', () => {
    const visible = ['nom', 'tel', 'enfants'];
    expect(missing(page(fields), {}, visible, {}).map((e) => e.path)).toEqual([['nom'], ['enfants']]);
    const answers = { nom: ' ', enfants: [{ prenom: 'Léa', scolarise: true }, {}] };
    expect(missing(page(fields), answers, visible, {}).map((e) => e.path)).toEqual([['nom'], ['enfants', 0, 'classe'], ['enfants', 1, 'prenom']]);
    expect(missing(page(fields), answers, ['tel'], {})).toEqual([]); // hidden fields are not asked for
  });
});

describe('what is typed, as stored', () => {
  it('reads numbers with a comma, keeps what is not one for the server to refuse', () => {
    expect(parseTyped('number', '2,5')).toBe(2.5);
    expect(parseTyped('number', ' 3 ')).toBe(3);
    expect(parseTyped('number', 'trois')).toBe('trois');
    expect(parseTyped('text', '   ')).toBeUndefined();
  });

  it('turns a date typed as dd/mm/yyyy into the stored form and back, for every day of several years', () => {
    for (let time = Date.UTC(1999, 0, 1); time < Date.UTC(2031, 0, 1); time += 86400000 * 3) {
      const iso = new Date(time).toISOString().slice(0, 10);
      expect(parseTyped('date', shownAs('date', iso))).toBe(iso);
    }
    expect(parseTyped('date', '5/3/2020')).toBe('2020-03-05');
    expect(parseTyped('date', '15/03/20')).toBe('15/03/20'); // left for the server to refuse, with its message
  });

  it('writes answers out for the check page', () => {
    const choice: Field = { type: 'choice', varname: 'c', options: [{ value: 'a', label: 'Ahh' }] };
    expect(display(choice, 'a', {}, '', 'fr')).toBe('Ahh');
    expect(display({ type: 'boolean', varname: 'b' }, false, {}, '', 'fr')).toBe('Non');
    expect(display({ type: 'date', varname: 'd' }, '2020-03-15', {}, '', 'fr')).toBe('15 mars 2020');
    expect(display({ type: 'address', varname: 'a' }, { street: '1 rue', postcode: '91200', city: 'B' }, {}, '', 'fr')).toBe('1 rue, 91200 B');
    expect(display({ type: 'text', varname: 't' }, '', {}, '', 'fr')).toBe('Non renseigné');
    const source: Field = { type: 'choice', varname: 's' };
    expect(display(source, 'x', { '/pages/0/fields/0': [{ value: 'x', label: 'Ixe' }] }, '/pages/0/fields/0', 'fr')).toBe('Ixe');
  });
});

describe('the outbox', () => {
  it('removes on the server what the device no longer holds', () => {
    expect(changes({ a: 1 }, ['a', 'b'])).toEqual({ a: 1, b: null });
    expect(changes({}, [])).toEqual({});
  });

  it('tries again after a network failure or a server error, not after a refusal', () => {
    const problem = (status: number) => new ProblemError({ type: 'about:blank', title: 't', status, detail: '', code: 'c' } as never);
    expect(isTransient(new TypeError('Failed to fetch'))).toBe(true);
    for (const status of [408, 429, 500, 503]) expect(isTransient(problem(status)), String(status)).toBe(true);
    for (const status of [400, 401, 403, 404, 409, 410, 412, 422]) expect(isTransient(problem(status)), String(status)).toBe(false);
  });
});

describe('the filling screens’ addresses', () => {
  it('open the form and a resume link', () => {
    expect(match('/demarches/acte-etat-civil/remplir/')?.route.tag).toBe('guichet-fill');
    const resume = match('/demarches/acte-etat-civil/brouillon/0b7d8f3e-2c4a-4e1b-9f6d-1a2b3c4d5e6f');
    expect(resume?.route.tag).toBe('guichet-fill');
    expect(resume?.params).toEqual({ slug: 'acte-etat-civil', draft: '0b7d8f3e-2c4a-4e1b-9f6d-1a2b3c4d5e6f' });
    expect(match('/demarches/acte-etat-civil/brouillon/pas-un-id')).toBeUndefined();
    const verify = match('/compte/verifier/MTIz:1vG8x:abc');
    expect(verify?.route.tag).toBe('guichet-sign-in');
    expect(verify?.params).toEqual({ mode: 'verifier', key: 'MTIz:1vG8x:abc' });
  });
});
