import { describe, expect, test } from 'vitest';
import type { Glossary, GlossaryTerm } from '../../pipeline/artifacts.js';
import { buildMatcher, countForm, findTermOccurrences, formKey, sourceVariants } from '../../pipeline/glossary/match.js';

function term(forms: string | string[], id?: string): GlossaryTerm {
  const list = Array.isArray(forms) ? forms : [forms];
  return { id: id ?? list[0]!, forms: list, kind: 'place', targets: {}, place: { line: 1, column: 1 } };
}

function glossaryOf(...terms: GlossaryTerm[]): Glossary {
  return { source: 'fr', languages: ['en'], terms, hash: 'test', file: 'glossary.yaml' };
}

const G = glossaryOf(
  term('Moscou'),
  term(['Kiev', 'Kyiv']),
  term('Russie'),
  term('Russe'),
  term('Fédération de Russie'),
  term('Ukraine'),
  term('Allemagne'),
  term('OTAN'),
  term('États-Unis'),
  term('Unis'),
  term('Antony Blinken'),
  term('Blinken'),
  term('l’Occident'),
  term('Donbass'),
  term('G7'),
  term('C++'),
);

/** [termId, form as in the text] of every occurrence, in order. */
const found = (text: string, g: Glossary = G) => findTermOccurrences(text, g).map((o) => [o.termId, o.form]);

describe('findTermOccurrences', () => {
  test.for([
    { name: 'a plain name', text: 'Il va à Moscou demain.', expected: [['Moscou', 'Moscou']] },
    { name: 'elision with a typographic apostrophe', text: 'les demandes de l’OTAN', expected: [['OTAN', 'OTAN']] },
    { name: 'elision with d’', text: 'un point de presse en Allemagne et d’Allemagne', expected: [['Allemagne', 'Allemagne'], ['Allemagne', 'Allemagne']] },
    { name: 'elision with a straight apostrophe', text: "l'Ukraine voisine", expected: [['Ukraine', 'Ukraine']] },
    { name: 'hyphen is a boundary: both names of Moscou-Kiev', text: 'les pourparlers Moscou-Kiev', expected: [['Moscou', 'Moscou'], ['Kiev', 'Kiev']] },
    { name: 'a variant reports the shared term id', text: 'à Kyiv', expected: [['Kiev', 'Kyiv']] },
    { name: 'pro-russes does not match Russe (case and whole word)', text: 'les républiques pro-russes du Donbass', expected: [['Donbass', 'Donbass']] },
    { name: 'a hyphenated prefix before a name still matches it', text: 'une position anti-OTAN', expected: [['OTAN', 'OTAN']] },
    { name: 'no match inside a longer word', text: 'les Moscovites, la Russienne, Ukrainerie, Allemagnes', expected: [] },
    { name: 'case-sensitive (an acronym in title case is its spelling: see below)', text: "l'otan, l'OTan, moscou, MOSCOU", expected: [] },
    { name: 'an acronym of three or more capitals, in title case (AFP: "Otan")', text: "l'Otan et l’OTAN", expected: [['OTAN', 'Otan'], ['OTAN', 'OTAN']] },
    { name: 'a leading accented capital written without its accent (AFP: "Etats-Unis")', text: 'aux Etats-Unis', expected: [['États-Unis', 'Etats-Unis']] },
    { name: 'longest first: Fédération de Russie, not Russie', text: 'rejoindre la Fédération de Russie après', expected: [['Fédération de Russie', 'Fédération de Russie']] },
    { name: 'longest first: Antony Blinken, then Blinken alone', text: 'Antony Blinken a exclu… Blinken a ensuite', expected: [['Antony Blinken', 'Antony Blinken'], ['Blinken', 'Blinken']] },
    { name: 'longest first: États-Unis, not Unis', text: 'dirigée par les États-Unis. Unis ?', expected: [['États-Unis', 'États-Unis'], ['Unis', 'Unis']] },
    { name: 'an apostrophe form matches the typographic apostrophe', text: 'parrainé par l’Occident', expected: [['l’Occident', 'l’Occident']] },
    { name: 'an apostrophe form matches the straight apostrophe', text: "parrainé par l'Occident", expected: [['l’Occident', "l'Occident"]] },
    { name: 'a space in a form matches NBSP', text: 'Antony\u00a0Blinken', expected: [['Antony Blinken', 'Antony\u00a0Blinken']] },
    { name: 'a space in a form matches NNBSP', text: 'la Fédération\u202fde\u202fRussie', expected: [['Fédération de Russie', 'Fédération\u202fde\u202fRussie']] },
    { name: 'a space in a form matches a doubled space', text: 'Antony  Blinken', expected: [['Antony Blinken', 'Antony  Blinken']] },
    { name: 'digits are word characters', text: 'le G7, le G77 et G7x', expected: [['G7', 'G7']] },
    { name: 'a form ending in punctuation', text: 'du C++ moderne, pas du aC++', expected: [['C++', 'C++']] },
    { name: 'quotes and brackets are boundaries', text: '« Moscou », (Kiev) et “Russie”', expected: [['Moscou', 'Moscou'], ['Kiev', 'Kiev'], ['Russie', 'Russie']] },
    { name: 'a combining mark after the name makes it another word', text: 'Moscou\u0301 Kiev', expected: [['Kiev', 'Kiev']] },
    { name: 'empty text', text: '', expected: [] },
  ])('$name', ({ text, expected }) => {
    expect(found(text)).toEqual(expected);
  });

  test('offsets index the caller’s text and occurrences are sorted by start', () => {
    const text = 'Moscou-Kiev : l’OTAN et les États-Unis';
    const occ = findTermOccurrences(text, G);
    expect(occ.map((o) => o.start)).toEqual([...occ.map((o) => o.start)].sort((a, b) => a - b));
    for (const o of occ) expect(text.slice(o.start, o.end)).toBe(o.form);
    expect(occ).toEqual([
      { termId: 'Moscou', form: 'Moscou', start: 0, end: 6 },
      { termId: 'Kiev', form: 'Kiev', start: 7, end: 11 },
      { termId: 'OTAN', form: 'OTAN', start: 16, end: 20 },
      { termId: 'États-Unis', form: 'États-Unis', start: 28, end: 38 },
    ]);
  });

  test('a text that is not NFC still matches, with offsets into the text as given', () => {
    const text = 'Les E\u0301tats-Unis et la Fe\u0301de\u0301ration de Russie';
    const occ = findTermOccurrences(text, G);
    expect(occ.map((o) => o.termId)).toEqual(['États-Unis', 'Fédération de Russie']);
    for (const o of occ) expect(text.slice(o.start, o.end)).toBe(o.form);
    expect(occ[0]).toMatchObject({ start: 4, end: 15 });
  });

  test('glossary forms that are not NFC match NFC text', () => {
    const g = glossaryOf(term('E\u0301tats-Unis'));
    expect(found('les États-Unis', g)).toEqual([['E\u0301tats-Unis', 'États-Unis']]);
  });

  test('an empty glossary finds nothing', () => {
    expect(findTermOccurrences('Moscou', glossaryOf())).toEqual([]);
  });
});

describe('sourceVariants', () => {
  test.for([
    ['OTAN', ['Otan']], ['ONU', ['Onu']], ['UE', []], ['G7', []], ['États-Unis', ['Etats-Unis']], ['Élysée', ['Elysée']],
    ['Moscou', []], ['Fédération de Russie', []], ['ÉTATS', ['États', 'ETATS']],
  ] as const)('%s → %j', ([form, variants]) => {
    expect(sourceVariants(form)).toEqual(variants);
  });

  test('a target form is counted as the glossary writes it: "Otan" is not "OTAN" in a translation', () => {
    expect(countForm('el jefe del Otan', 'OTAN')).toBe(0);
    expect(countForm('Etats-Unis', 'États-Unis')).toBe(0);
  });
});

describe('countForm', () => {
  test.for([
    { name: 'a target form', text: 'talks between Moscow and Kyiv; Kyiv said', form: 'Kyiv', count: 2 },
    { name: 'multiword', text: 'the United States and the United States', form: 'United States', count: 2 },
    { name: 'not inside a longer word', text: 'Russian forces and the Russian Federation', form: 'Russia', count: 0 },
    { name: 'inside a longer name it counts (whole words)', text: 'la Federación de Rusia y Rusia', form: 'Rusia', count: 2 },
    { name: 'case-sensitive', text: 'nato, Nato', form: 'NATO', count: 0 },
    { name: 'elision', text: "l'OTAN i l’OTAN", form: 'OTAN', count: 2 },
    { name: 'apostrophe variants of the form', text: "l'OTAN i l’OTAN", form: 'l’OTAN', count: 2 },
    { name: 'NBSP in the text', text: 'Estats\u00a0Units', form: 'Estats Units', count: 1 },
    { name: 'hyphen boundary', text: 'Moscow-Kyiv talks', form: 'Kyiv', count: 1 },
    { name: 'empty form', text: 'anything', form: '', count: 0 },
    { name: 'empty text', text: '', form: 'Kyiv', count: 0 },
  ])('$name: "$form" ×$count', ({ text, form, count }) => {
    expect(countForm(text, form)).toBe(count);
  });
});

describe('formKey', () => {
  test.for([
    { a: 'l’Occident', b: "l'Occident" },
    { a: 'Antony  Blinken ', b: 'Antony\u00a0Blinken' },
    { a: 'E\u0301tats‑Unis', b: 'États-Unis' },
  ])('"$a" ≡ "$b"', ({ a, b }) => {
    expect(formKey(a)).toBe(formKey(b));
  });
});

describe('scale', () => {
  test('10,000 terms against a 5,000-word text: well under a second', () => {
    // Deterministic pseudo-random names sharing first words, like real glossaries ("Saint-…", "Fédération de …").
    let seed = 42;
    const rand = (n: number) => {
      seed = (Math.imul(seed, 1103515245) + 12345) >>> 0;
      return (seed >>> 8) % n;
    };
    const syl = ['ba', 'ko', 'ri', 'mé', 'tan', 'lu', 'vor', 'si', 'dé', 'gra', 'nu', 'pel', 'zo', 'ka', 'fi'];
    const word = () => {
      let w = '';
      for (let i = 0, n = 2 + rand(3); i < n; i++) w += syl[rand(syl.length)];
      return w[0]!.toUpperCase() + w.slice(1);
    };
    const firsts = Array.from({ length: 300 }, word);
    const forms = new Set<string>();
    while (forms.size < 10_000) {
      const shape = rand(4);
      const f = firsts[rand(firsts.length)]!;
      forms.add(shape === 0 ? f : shape === 1 ? `${f} ${word()}` : shape === 2 ? `${f}-${word()}` : `${f} de ${word()}`);
    }
    const terms = [...forms].map((f) => term(f));
    const formList = [...forms];
    const words: string[] = [];
    for (let i = 0; i < 5_000; i++) {
      const r = rand(10);
      words.push(r < 2 ? formList[rand(formList.length)]! : r < 4 ? `l’${firsts[rand(firsts.length)]}` : ['le', 'de', 'la', 'et', 'guerre', 'paix'][rand(6)]!);
    }
    const text = words.join(' ');
    const t0 = performance.now();
    const matcher = buildMatcher(glossaryOf(...terms));
    const occ = matcher.find(text);
    const ms = performance.now() - t0;
    expect(matcher.size).toBe(10_000);
    expect(occ.length).toBeGreaterThan(1_500);
    for (let i = 1; i < occ.length; i++) expect(occ[i]!.start).toBeGreaterThanOrEqual(occ[i - 1]!.end);
    expect(ms).toBeLessThan(2_000);
  });
});
