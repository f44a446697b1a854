import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { alignSentences, alignSentencesWithStats, BEAD_TYPES, type AlignEvidence, type Bead } from '../../pipeline/align/align-sentences.js';

/** A short news story and its English version, sentence by sentence. */
const FR = [
  'Le ministre des Affaires étrangères est arrivé lundi à Moscou pour deux jours de discussions.',
  'Il doit rencontrer son homologue russe mardi matin.',
  'Les deux pays négocient depuis 2019 un accord sur le gaz.',
  'Le contrat porterait sur 2,6 milliards de dollars par an.',
  'Selon la presse, les discussions sont difficiles.',
  'Un diplomate a déclaré : « Rien n’est encore décidé. »',
  'La délégation rentrera à Paris jeudi soir.',
  'Le gouvernement n’a pas souhaité commenter.',
  'Les marchés ont réagi avec prudence à l’annonce.',
  'Le prix du gaz a baissé de 1,5 % dans la journée.',
  'Une conférence de presse est prévue vendredi.',
];
const EN = [
  'The foreign minister arrived in Moscow on Monday for two days of talks.',
  'He is due to meet his Russian counterpart on Tuesday morning.',
  'The two countries have been negotiating a gas deal since 2019.',
  'The contract would be worth $2.6 billion a year.',
  'According to the press, the talks are difficult.',
  'One diplomat said: “Nothing has been decided yet.”',
  'The delegation will return to Paris on Thursday evening.',
  'The government declined to comment.',
  'Markets reacted cautiously to the announcement.',
  'The price of gas fell by 1.5% during the day.',
  'A press conference is planned for Friday.',
];
/** What an engine would make of FR: close to EN, not the same words everywhere. */
const MT = [
  'The minister of Foreign Affairs arrived Monday in Moscow for two days of discussions.',
  'He must meet his Russian counterpart Tuesday morning.',
  'The two countries negotiate since 2019 an agreement on the gas.',
  'The contract would concern 2.6 billion dollars per year.',
  'According to the press, the discussions are difficult.',
  'A diplomat declared: “Nothing is yet decided.”',
  'The delegation will return to Paris Thursday evening.',
  'The government did not wish to comment.',
  'The markets reacted with caution to the announcement.',
  'The price of the gas fell by 1.5% in the day.',
  'A press conference is planned Friday.',
];

const withEngine = (translations: readonly string[] = MT): AlignEvidence => ({ sourceLang: 'fr', targetLang: 'en', translations });
const noEngine: AlignEvidence = { sourceLang: 'fr', targetLang: 'en' };

const shape = (beads: Bead[]) => beads.map((b) => `${b.type} [${b.source.join(',')}]:[${b.target.join(',')}]${b.flags.length ? ` ${b.flags.join(',')}` : ''}`);
const without = <T>(list: readonly T[], ...indexes: number[]) => list.filter((_, k) => !indexes.includes(k));

describe('bead types on hand-made cases', () => {
  test.for([
    { name: 'a faithful translation', evidence: withEngine() },
    { name: 'a faithful translation, no engine', evidence: noEngine },
  ])('$name: eleven 1-1 beads', ({ evidence }) => {
    const beads = alignSentences(FR, EN, evidence);
    expect(beads.map((b) => b.type)).toEqual(Array(11).fill('1-1'));
    expect(beads.map((b) => b.target[0])).toEqual(FR.map((_, k) => k));
    expect(beads.every((b) => b.flags.length === 0)).toBe(true);
  });

  test('a sentence left out is a 1-0 bead flagged as an omission', () => {
    const beads = alignSentences(FR, without(EN, 4), withEngine());
    expect(shape(beads)).toContain('1-0 [4]:[] omission');
    expect(beads.filter((b) => b.type !== '1-1')).toHaveLength(1);
  });

  test('a sentence added by the translator is a 0-1 bead flagged as an addition', () => {
    const target = [...EN.slice(0, 7), 'This article was updated at 6 p.m. with the government’s reaction.', ...EN.slice(7)];
    const beads = alignSentences(FR, target, withEngine());
    expect(shape(beads)).toContain('0-1 []:[7] addition');
    expect(beads.filter((b) => b.type !== '1-1')).toHaveLength(1);
  });

  test('one sentence split in two is a 1-2 bead', () => {
    const target = ['The foreign minister arrived in Moscow on Monday.', 'He came for two days of talks.', ...EN.slice(1)];
    const beads = alignSentences(FR, target, withEngine());
    expect(shape(beads)[0]).toBe('1-2 [0]:[0,1]');
    expect(beads.slice(1).every((b) => b.type === '1-1')).toBe(true);
  });

  test('two sentences joined in one is a 2-1 bead', () => {
    const target = [...EN.slice(0, 7), 'The government declined to comment, and markets reacted cautiously to the announcement.', ...EN.slice(9)];
    const beads = alignSentences(FR, target, withEngine());
    expect(shape(beads)).toContain('2-1 [7,8]:[7]');
    expect(beads.filter((b) => b.type !== '1-1')).toHaveLength(1);
  });

  test('two sentences told in the other order are a 2-2 bead', () => {
    // The translator put the consequence first: each target sentence answers the other source sentence.
    const source = ['Les pluies de mars ont noyé les vignes du Médoc.', 'Les vendanges commenceront donc en octobre.', ...FR.slice(6)];
    const mt = ['The rains of March drowned the vineyards of the Médoc.', 'The harvest will therefore begin in October.', ...MT.slice(6)];
    const target = ['The harvest will only begin in October.', 'March rains have drowned the vineyards of the Médoc.', ...EN.slice(6)];
    const beads = alignSentences(source, target, withEngine(mt));
    expect(shape(beads)[0]).toBe('2-2 [0,1]:[0,1]');
    expect(beads.slice(1).every((b) => b.type === '1-1')).toBe(true);
  });

  test('without an engine, numbers decide which of three look-alike sentences was left out', () => {
    const source = ['Le premier lot pèse 1 234,5 kilos.', 'Le deuxième lot pèse 2 468,2 kilos.', 'Le troisième lot pèse 3 702,9 kilos.', 'Fin de la liste.'];
    const target = ['The first batch weighs 1,234.5 kilos.', 'The third batch weighs 3,702.9 kilos.', 'End of the list.'];
    expect(shape(alignSentences(source, target, noEngine))).toEqual(['1-1 [0]:[0]', '1-0 [1]:[] omission', '1-1 [2]:[1]', '1-1 [3]:[2]']);
  });

  test('without an engine, glossary names decide which sentence was left out', () => {
    const terms = [
      { id: 'Allemagne', sourceForms: ['Allemagne'], targetForms: ['Germany'] },
      { id: 'Pékin', sourceForms: ['Pékin'], targetForms: ['Beijing'] },
      { id: 'Varsovie', sourceForms: ['Varsovie'], targetForms: ['Warsaw'] },
    ];
    const source = ['La délégation est allée en Allemagne.', 'Elle a ensuite gagné Pékin.', 'Elle a terminé à Varsovie.'];
    const target = ['The delegation went to Germany.', 'It ended its tour in Warsaw.'];
    expect(shape(alignSentences(source, target, { ...noEngine, terms }))).toEqual(['1-1 [0]:[0]', '1-0 [1]:[] omission', '1-1 [2]:[1]']);
  });

  test('a pairing the translation does not support is flagged uncertain', () => {
    const target = [...EN.slice(0, 10), 'Shares in the gas company closed higher.'];
    const beads = alignSentences(FR, target, withEngine());
    expect(beads.at(-1)).toMatchObject({ source: [10], target: [10], flags: ['uncertain'] });
  });

  test('score and cost: a good pair scores high, an omission scores 0', () => {
    const beads = alignSentences(FR, without(EN, 4), withEngine());
    expect(beads[0]!.score).toBeGreaterThan(0.3);
    expect(beads.find((b) => b.type === '1-0')!.score).toBe(0);
    expect(beads.every((b) => Number.isFinite(b.cost))).toBe(true);
  });

  test('empty sides: everything is an omission, or an addition', () => {
    expect(shape(alignSentences(FR.slice(0, 2), [], noEngine))).toEqual(['1-0 [0]:[] omission', '1-0 [1]:[] omission']);
    expect(shape(alignSentences([], EN.slice(0, 1), noEngine))).toEqual(['0-1 []:[0] addition']);
    expect(alignSentences([], [], noEngine)).toEqual([]);
  });

  test('a translation list of the wrong length is refused', () => {
    expect(() => alignSentences(FR, EN, withEngine(MT.slice(1)))).toThrow(RangeError);
  });
});

describe('beads cover both texts once, in order', () => {
  const sentence = fc.array(fc.constantFrom('gaz', 'Moscou', 'prix', '2019', 'le', 'la', 'accord', 'minister', 'gas', 'price', '1,5', 'the'), { minLength: 1, maxLength: 12 }).map((w) => `${w.join(' ')}.`);
  test('for any pair of texts', () => {
    fc.assert(
      fc.property(fc.array(sentence, { maxLength: 25 }), fc.array(sentence, { maxLength: 25 }), fc.boolean(), (source, target, engine) => {
        const beads = alignSentences(source, target, engine ? withEngine(source) : noEngine);
        expect(beads.flatMap((b) => b.source)).toEqual(source.map((_, k) => k));
        expect(beads.flatMap((b) => b.target)).toEqual(target.map((_, k) => k));
        for (const b of beads) {
          expect(BEAD_TYPES).toContain(b.type);
          expect(b.type).toBe(`${b.source.length}-${b.target.length}`);
        }
      }),
      { numRuns: 150 },
    );
  });
});

describe('near-linear work: DP cells, not time', () => {
  /** A seeded pseudo-text: words from a 3,000-word vocabulary, 4 to 30 words a sentence. */
  function pseudoText(n: number, seed: number): string[] {
    let s = seed >>> 0;
    const next = () => ((s = (Math.imul(s, 1664525) + 1013904223) >>> 0) / 2 ** 32);
    return Array.from({ length: n }, () => `${Array.from({ length: 4 + Math.floor(next() * 27) }, () => `w${Math.floor(next() * 3000)}`).join(' ')}.`);
  }
  /** The "translation": every 41st sentence left out, every 29th merged with the next. */
  function perturb(source: string[]): string[] {
    const out: string[] = [];
    for (let i = 0; i < source.length; i++) {
      if (i % 41 === 3) continue;
      if (i % 29 === 11 && i + 1 < source.length) out.push(`${source[i]} ${source[++i]}`);
      else out.push(source[i]!);
    }
    return out;
  }
  const measure = (n: number) => {
    const source = pseudoText(n, 42);
    const target = perturb(source);
    return { ...alignSentencesWithStats(source, target, withEngine(source)), target };
  };

  test('10 times the sentences is about 10 times the cells (not 100)', () => {
    const small = measure(1_000);
    const large = measure(10_000);
    const ratio = large.stats.cells / small.stats.cells;
    expect(ratio).toBeGreaterThan(8);
    expect(ratio).toBeLessThan(13);
    // A full DP would fill n × m ≈ 10⁸ cells for the large pair.
    expect(large.stats.cells).toBeLessThan(100 * 10_000);
    // And the alignment is right: every left-out sentence found, every merge a 2-1.
    expect(large.beads.filter((b) => b.type === '1-0').map((b) => b.source[0])).toEqual(Array.from({ length: 244 }, (_, k) => 3 + 41 * k).filter((i) => i < 10_000 && i % 29 !== 12));
    expect(large.beads.filter((b) => b.type === '2-1')).toHaveLength(large.beads.length - large.beads.filter((b) => b.type === '1-1' || b.type === '1-0').length);
  });

  test('a long passage left out widens the band where it is needed, and is found', () => {
    const source = pseudoText(2_000, 7);
    const target = [...source.slice(0, 900), ...source.slice(1_000)];
    const { beads, stats } = alignSentencesWithStats(source, target, withEngine(source));
    expect(stats.passes).toBeGreaterThan(1);
    expect(beads.filter((b) => b.type === '1-0').map((b) => b.source[0])).toEqual(Array.from({ length: 100 }, (_, k) => 900 + k));
    // Widened around the gap only: far less than the full DP's n × m cells.
    expect(stats.cells).toBeLessThan(0.3 * source.length * target.length);
  });
});
