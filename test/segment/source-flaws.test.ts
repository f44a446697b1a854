import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { segmentSentences, splitParagraphs } from '../../pipeline/stages/segment/segment-text.js';
import { cleanForEngine, findSourceFlaws } from '../../pipeline/stages/segment/source-flaws.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

describe('cleanForEngine', () => {
  test.for([
    // stray full stops
    { name: 'stray stop before "de" (seed)', input: 'lors d’un référendum. de rejoindre la Fédération', expected: 'lors d’un référendum de rejoindre la Fédération' },
    { name: 'stray stop before "forces" (seed)', input: 'des militaires occidentaux hostiles. forces et armements', expected: 'des militaires occidentaux hostiles forces et armements' },
    { name: 'stray stop after a closing guillemet', input: 'des pourparlers « constructifs ». de la part', expected: 'des pourparlers « constructifs » de la part' },
    { name: 'stray stop and doubled space together', input: 'un référendum.  de rejoindre', expected: 'un référendum de rejoindre' },
    // doubled spaces
    { name: 'two spaces', input: 'un  deux', expected: 'un deux' },
    { name: 'many spaces', input: 'un     deux', expected: 'un deux' },
    { name: 'space + NBSP keeps the NBSP', input: `mot ${NBSP}: suite`, expected: `mot${NBSP}: suite` },
    { name: 'NNBSP + space keeps the NNBSP', input: `Quoi${NNBSP} ? Rien`, expected: `Quoi${NNBSP}? Rien` },
    { name: 'NBSP and NNBSP: the first no-break space wins', input: `«${NBSP}${NNBSP} Oui`, expected: `«${NBSP}Oui` },
    // left alone
    { name: 'etc. de', input: 'pommes, poires, etc. de toutes sortes', expected: 'pommes, poires, etc. de toutes sortes' },
    { name: 'M. de', input: 'selon M. de Villepin', expected: 'selon M. de Villepin' },
    { name: 'J.-C. et', input: 'en 52 av. J.-C. et après', expected: 'en 52 av. J.-C. et après' },
    { name: 'initials J.-C. et', input: 'avec J.-C. et Marie', expected: 'avec J.-C. et Marie' },
    { name: 'p. ex. le', input: 'p. ex. le président', expected: 'p. ex. le président' },
    { name: 'cf. la', input: 'cf. la page 3', expected: 'cf. la page 3' },
    { name: 'decimal comma', input: 'de 2,6 milliards de dollars', expected: 'de 2,6 milliards de dollars' },
    { name: 'dotted date', input: 'le 12.5.2024 à midi', expected: 'le 12.5.2024 à midi' },
    { name: 'ellipsis … before lowercase', input: 'Il hésita… puis partit', expected: 'Il hésita… puis partit' },
    { name: 'ellipsis ... before lowercase', input: 'Il hésita... puis partit', expected: 'Il hésita... puis partit' },
    { name: 'spaced ellipsis . . . before lowercase', input: 'Il hésita. . . puis partit', expected: 'Il hésita. . . puis partit' },
    { name: 'question mark before lowercase', input: '« Quoi ? » dit-il', expected: '« Quoi ? » dit-il' },
    { name: 'stop inside a closing quote', input: '« Non. » dit-il', expected: '« Non. » dit-il' },
    { name: 'stop before uppercase', input: 'Il pleut. Il vente.', expected: 'Il pleut. Il vente.' },
    { name: 'URL and e-mail', input: 'voir example.org/a.b ou jean.dupont@example.fr', expected: 'voir example.org/a.b ou jean.dupont@example.fr' },
    { name: 'single no-break spaces', input: `«${NBSP}Oui${NBSP}», dit-il${NNBSP}!`, expected: `«${NBSP}Oui${NBSP}», dit-il${NNBSP}!` },
    { name: 'final stop', input: 'Fin.', expected: 'Fin.' },
  ])('$name', ({ input, expected }) => {
    const out = cleanForEngine(input);
    expect(out.text).toBe(expected);
    expect(out.flaws.length > 0).toBe(input !== expected);
  });
});

describe('findSourceFlaws', () => {
  test('offsets and lengths are in the original string, in order', () => {
    const input = 'Un  deux. trois  quatre';
    const flaws = findSourceFlaws(input);
    expect(flaws.map(({ code, offset, length }) => ({ code, offset, length }))).toEqual([
      { code: 'SOURCE_DOUBLE_SPACE', offset: 2, length: 2 },
      { code: 'SOURCE_STRAY_STOP', offset: 8, length: 1 },
      { code: 'SOURCE_DOUBLE_SPACE', offset: 15, length: 2 },
    ]);
    expect(cleanForEngine(input).text).toBe('Un deux trois quatre');
  });

  test('messages say what was found and what the engine gets', () => {
    const [stop] = findSourceFlaws('un référendum. de rejoindre');
    expect(stop!.message).toContain('"de"');
    expect(stop!.message).toContain('full stop');
    const [space] = findSourceFlaws(`a ${NBSP}b`);
    expect(space!.message).toContain('no-break');
  });

  test('no flaws: empty list and the text unchanged', () => {
    expect(findSourceFlaws('Il pleut.')).toEqual([]);
    expect(cleanForEngine('Il pleut.')).toEqual({ text: 'Il pleut.', flaws: [] });
  });

  test('the seed has exactly its two stray full stops', () => {
    const seed = readFileSync(new URL('../../seeds/haut-diplomate-americain.fr.txt', import.meta.url), 'utf8');
    const paragraphs = splitParagraphs(seed);
    const body = paragraphs.slice(2, paragraphs.findIndex((p) => p.text.startsWith('Facebook')));
    const sentences = body.flatMap((p) => segmentSentences(p.text).map((s) => s.text));
    const flaws = sentences.flatMap((s) => findSourceFlaws(s).map((f) => ({ code: f.code, at: s.slice(f.offset - 10, f.offset + 8) })));
    expect(flaws).toEqual([
      { code: 'SOURCE_STRAY_STOP', at: 'référendum. de rej' },
      { code: 'SOURCE_STRAY_STOP', at: 'x hostiles. forces' },
    ]);
  });
});
