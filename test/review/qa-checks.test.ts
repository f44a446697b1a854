/**
 * The review's QA column: every check has a case that fires and one that does not. Pure, no engine.
 * (The checks on the engine's real output are in round-trip.test.ts.)
 */
import { describe, expect, test } from 'vitest';
import type { FlagCode, QaFlag } from '../../pipeline/artifacts.js';
import { parseGlossary } from '../../pipeline/glossary/parse.js';
import { checkSegment, lengthRatio, LENGTH_BOUNDS, reviewFlags, withQaChecks } from '../../pipeline/review/qa-checks.js';
import type { ReviewArticle } from '../../pipeline/review/review-model.js';

const { glossary, errors } = parseGlossary(
  `source: fr
languages: [en, es, ca]
terms:
  - fr: Moscou
    kind: place
    en: Moscow
    es: Moscú
    ca: Moscou
  - fr: [Kiev, Kyiv]
    kind: place
    en: Kyiv
    es: Kiev
    ca: Kíiv
  - fr: Antony Blinken
    kind: person
`,
  'glossary.yaml',
);
if (!glossary) throw errors[0];

interface Row {
  name: string;
  source: string;
  target: string;
  lang: string;
  unknownWords?: string[];
  /** Codes expected among the flags (others of the same family must not be there). */
  fires: FlagCode | null;
  /** The family under test: with `fires: null`, no flag of this code may be raised. */
  code: FlagCode;
  /** Part of the message or subject that must be there. */
  says?: string | RegExp;
}

const check = (r: Pick<Row, 'source' | 'target' | 'lang' | 'unknownWords'>): QaFlag[] =>
  checkSegment({ source: r.source, target: r.target, lang: r.lang, glossary, sourceLang: 'fr', ...(r.unknownWords ? { unknownWords: r.unknownWords } : {}) });

const ROWS: Row[] = [
  // ---------------------------------------------------------------- glossary
  { name: 'term present as the glossary says', code: 'TERM_UNVERIFIED', fires: null, lang: 'en', source: 'Moscou et Kiev ont parlé.', target: 'Moscow and Kyiv talked.' },
  { name: 'term altered: the es form in English', code: 'TERM_UNVERIFIED', fires: 'TERM_UNVERIFIED', lang: 'en', source: 'Moscou et Kiev ont parlé.', target: 'Moscow and Kiev talked.', says: /"Kiev" is "Kyiv" in English; "Kiev" is there instead/ },
  { name: 'term missing', code: 'TERM_UNVERIFIED', fires: 'TERM_UNVERIFIED', lang: 'es', source: 'Moscou a répondu.', target: 'La capital respondió.', says: /"Moscou" is "Moscú" in Spanish; it is not in the target/ },
  { name: 'term counted: twice in the source, once in the target', code: 'TERM_UNVERIFIED', fires: 'TERM_UNVERIFIED', lang: 'en', source: 'Moscou a répondu à Moscou.', target: 'Moscow answered.', says: 'the source has it 2 times, the target 1' },
  { name: 'term counted: twice and twice', code: 'TERM_UNVERIFIED', fires: null, lang: 'en', source: 'Moscou a répondu à Moscou.', target: 'Moscow answered Moscow.' },
  { name: 'a name without a target form stays as written', code: 'TERM_UNVERIFIED', fires: null, lang: 'ca', source: 'Antony Blinken a parlé.', target: 'Antony Blinken ha parlat.' },
  { name: 'a name without a target form, misspelt', code: 'TERM_UNVERIFIED', fires: 'TERM_UNVERIFIED', lang: 'ca', source: 'Antony Blinken a parlé.', target: 'Anthony Blinken ha parlat.', says: '"Antony Blinken" stays as it is in Catalan' },
  { name: 'the Catalan form inside an elision', code: 'TERM_UNVERIFIED', fires: null, lang: 'ca', source: 'Les armes de Kiev.', target: 'Les armes de Kíiv.' },

  // ---------------------------------------------------------------- numbers
  { name: '2,6 and 2.6 are the same number', code: 'NUMBER_MISMATCH', fires: null, lang: 'en', source: 'Une hausse de 2,6 points.', target: 'A rise of 2.6 points.' },
  { name: '1 234,5 and 1,234.5 are the same number', code: 'NUMBER_MISMATCH', fires: null, lang: 'en', source: 'Il a payé 1 234,5 euros.', target: 'He paid 1,234.5 euros.' },
  { name: '1 234,5 (no-break space) and 1.234,5 in Spanish', code: 'NUMBER_MISMATCH', fires: null, lang: 'es', source: 'Il a payé 1\u00A0234,5 euros.', target: 'Pagó 1.234,5 euros.' },
  { name: '2,6 milliards = $2.6 billion', code: 'NUMBER_MISMATCH', fires: null, lang: 'en', source: 'Une aide de 2,6 milliards de dollars.', target: 'Aid of $2.6 billion.' },
  { name: '2,6 milliards = 2600 millones', code: 'NUMBER_MISMATCH', fires: null, lang: 'es', source: 'Une aide de 2,6 milliards de dollars.', target: 'Una ayuda de 2600 millones de dólares.' },
  { name: 'a number changed', code: 'NUMBER_MISMATCH', fires: 'NUMBER_MISMATCH', lang: 'en', source: 'Une hausse de 2,6 points.', target: 'A rise of 2.7 points.', says: /not in the target: 2\.6 \(the target has 2\.7\)/ },
  { name: 'a French decimal comma left in English', code: 'NUMBER_MISMATCH', fires: 'NUMBER_MISMATCH', lang: 'en', source: 'Une hausse de 2,6 points.', target: 'A rise of 2,6 points.' },
  { name: 'a number the source lacks', code: 'NUMBER_MISMATCH', fires: 'NUMBER_MISMATCH', lang: 'ca', source: 'Il est venu en février.', target: 'Va venir el febrer de 2022.', says: 'that the source does not have: 2022' },
  { name: 'a number dropped', code: 'NUMBER_MISMATCH', fires: 'NUMBER_MISMATCH', lang: 'es', source: 'En 2021 et en 2022.', target: 'En 2021.', says: '2022' },
  { name: 'a number in another notation in the source, copied as is', code: 'NUMBER_MISMATCH', fires: null, lang: 'en', source: 'Un processeur de 1.5 à 1.67 GHz.', target: 'A processor of 1.5 to 1.67 GHz.' },

  // ---------------------------------------------------------------- unknown words
  { name: 'a word the engine did not know, still there', code: 'UNKNOWN_WORD', fires: 'UNKNOWN_WORD', lang: 'en', source: 'Les pourparlers.', target: 'The pourparlers.', unknownWords: ['pourparlers'], says: '"pourparlers"' },
  { name: 'a word the engine did not know, fixed by the reviewer', code: 'UNKNOWN_WORD', fires: null, lang: 'en', source: 'Les pourparlers.', target: 'The talks.', unknownWords: ['pourparlers'] },

  // ---------------------------------------------------------------- untranslated
  { name: 'target = source', code: 'UNTRANSLATED', fires: 'UNTRANSLATED', lang: 'es', source: 'Le chat dort.', target: 'Le chat dort.' },
  { name: 'target = source but for typography', code: 'UNTRANSLATED', fires: 'UNTRANSLATED', lang: 'en', source: 'Il a dit « non ».', target: 'Il a dit “non”.' },
  { name: 'names alone are the same in every language', code: 'UNTRANSLATED', fires: null, lang: 'en', source: 'Antony Blinken', target: 'Antony Blinken' },
  { name: 'a translation', code: 'UNTRANSLATED', fires: null, lang: 'es', source: 'Le chat dort.', target: 'El gato duerme.' },

  // ---------------------------------------------------------------- punctuation
  { name: 'en: French guillemets', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'en', source: 'Il a dit « non ».', target: 'He said «no».', says: 'French quotation marks « »' },
  { name: 'en: curly quotes', code: 'PUNCTUATION_STYLE', fires: null, lang: 'en', source: 'Il a dit « non ».', target: 'He said “no”.' },
  { name: 'es: a name moved out of its quotation marks', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'es', source: 'la «Russie» et l’Ukraine', target: 'Rusia «» y Ucrania', says: 'empty quotation marks «»' },
  { name: 'en: empty curly quotes', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'en', source: 'la «Russie» et l’Ukraine', target: 'Russia “” and Ukraine', says: 'empty quotation marks “”' },
  { name: 'es: empty quotes the source has too are not the engine’s doing', code: 'PUNCTUATION_STYLE', fires: null, lang: 'es', source: 'le signe «» vide', target: 'el signo «» vacío' },
  { name: 'en: a space before ?', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'en', source: 'Est-ce vrai ?', target: 'Is it true ?', says: 'only French' },
  { name: 'en: a no-break space before :', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'en', source: 'Il a dit : non.', target: 'He said\u00A0: no.' },
  { name: 'en: a time and a URL are not spacing', code: 'PUNCTUATION_STYLE', fires: null, lang: 'en', source: 'À 12:22, voir https://example.org.', target: 'At 12:22, see https://example.org.' },
  { name: 'en: straight quotes', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'en', source: 'Il a dit « non ».', target: 'He said "no".', says: 'straight quotation marks' },
  { name: 'es: angle quotes outside', code: 'PUNCTUATION_STYLE', fires: null, lang: 'es', source: 'Il a dit « non ».', target: 'Dijo «no».' },
  { name: 'es: curly quotes outside', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'es', source: 'Il a dit « non ».', target: 'Dijo “no”.', says: /outer quotation marks are “/ },
  { name: 'ca: spaces inside guillemets', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'ca', source: 'Il a dit « non ».', target: 'Va dir « no ».', says: 'spaces inside' },
  { name: 'es: a question without ¿', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'es', source: 'Est-ce vrai ?', target: 'Es verdad?', says: '¿' },
  { name: 'es: a question with ¿', code: 'PUNCTUATION_STYLE', fires: null, lang: 'es', source: 'Est-ce vrai ?', target: '¿Es verdad?' },
  { name: 'a closing quote lost', code: 'PUNCTUATION_STYLE', fires: 'PUNCTUATION_STYLE', lang: 'ca', source: 'Il a dit « non » hier.', target: 'Va dir «no ahir.', says: 'do not pair up' },
  { name: 'a quote that spans sentences in the source too', code: 'PUNCTUATION_STYLE', fires: null, lang: 'ca', source: 'Il a dit « non.', target: 'Va dir «no.' },

  // ---------------------------------------------------------------- length
  { name: 'a usual length', code: 'LENGTH_RATIO', fires: null, lang: 'en', source: 'Le président a signé le décret hier soir à Paris.', target: 'The president signed the decree last night in Paris.' },
  { name: 'much too short', code: 'LENGTH_RATIO', fires: 'LENGTH_RATIO', lang: 'en', source: 'Le président a signé le décret hier soir à Paris, après de longues discussions.', target: 'The president signed the decree.', says: 'something may be missing' },
  { name: 'much too long', code: 'LENGTH_RATIO', fires: 'LENGTH_RATIO', lang: 'es', source: 'Le président a signé le décret.', target: 'El presidente firmó el decreto. El presidente firmó el decreto otra vez.', says: 'added or repeated' },
  { name: 'short sentences are not judged', code: 'LENGTH_RATIO', fires: null, lang: 'en', source: 'Non, merci.', target: 'No.' },
  { name: 'an empty target', code: 'LENGTH_RATIO', fires: 'LENGTH_RATIO', lang: 'ca', source: 'Non, merci.', target: ' ', says: 'empty' },

  // ---------------------------------------------------------------- i18next
  { name: 'interpolation', code: 'I18NEXT_SYNTAX', fires: 'I18NEXT_SYNTAX', lang: 'en', source: 'Le code {{nom}}.', target: 'The code {{name}}.', says: /i18nextReadOptions.*default options would replace "\{\{name\}\}".*interpolation/ },
  { name: 'nesting', code: 'I18NEXT_SYNTAX', fires: 'I18NEXT_SYNTAX', lang: 'en', source: 'Voir $t(cle).', target: 'See $t(key).', says: 'nesting' },
  { name: 'an HTML tag', code: 'I18NEXT_SYNTAX', fires: 'I18NEXT_SYNTAX', lang: 'es', source: 'Un <b>mot</b>.', target: 'Una <b>palabra</b>.', says: /i18next leaves it as text, but react-i18next's <Trans>/ },
  { name: 'braces, a lone {{ and a comparison are not syntax', code: 'I18NEXT_SYNTAX', fires: null, lang: 'en', source: 'Si a < b, { x } et {{ seul.', target: 'If a < b, { x } and {{ alone.' },

  // ---------------------------------------------------------------- the source
  { name: 'a stray full stop in the source', code: 'SOURCE_STRAY_STOP', fires: 'SOURCE_STRAY_STOP', lang: 'en', source: 'Ils ont voté lors d’un référendum. de rejoindre la fédération.', target: 'They voted in a referendum to join the federation.', says: '"de"' },
  { name: 'doubled spaces in the source', code: 'SOURCE_DOUBLE_SPACE', fires: 'SOURCE_DOUBLE_SPACE', lang: 'en', source: 'Le chat  dort.', target: 'The cat sleeps.' },
  { name: 'an abbreviation is not a stray stop', code: 'SOURCE_STRAY_STOP', fires: null, lang: 'en', source: 'Il a vu M. de Villepin etc. hier.', target: 'He saw Mr de Villepin etc. yesterday.' },
];

describe('checkSegment', () => {
  test.for(ROWS)('$code: $name', (row) => {
    const flags = check(row);
    const mine = flags.filter((f) => f.code === row.code);
    if (row.fires === null) {
      expect(mine).toEqual([]);
      return;
    }
    expect(mine).toHaveLength(1);
    const [flag] = mine;
    expect(flag!.message.length).toBeGreaterThan(10);
    expect(flag).toHaveProperty('subject');
    if (row.says) expect(`${flag!.message} ${flag!.subject}`).toMatch(row.says);
  });

  test('a clean translation gets no flag at all', () => {
    expect(check({ lang: 'en', source: 'Moscou a annoncé une aide de 2,6 milliards de dollars à Kiev.', target: 'Moscow announced $2.6 billion in aid to Kyiv.' })).toEqual([]);
  });

  test('fast enough to run on every save: under 1 ms a segment', () => {
    const rows = ROWS.filter((r) => r.source.length > 0);
    const rounds = 50;
    const t0 = performance.now();
    for (let i = 0; i < rounds; i++) for (const r of rows) check(r);
    const perSegment = (performance.now() - t0) / (rounds * rows.length);
    expect(perSegment).toBeLessThan(1);
  });

  test('the length bounds hold the ratios they were calibrated on (see LENGTH_BOUNDS)', () => {
    for (const [lo, hi] of Object.values(LENGTH_BOUNDS)) expect(lo < 1 && hi > 1).toBe(true);
    expect(lengthRatio('0123456789', '0123456789')).toBe(1);
    // Short sentences are damped towards 1: "Non." → "No, no, no." is not 275 %.
    expect(lengthRatio('Non.', 'No, no, no.')).toBeLessThan(1.6);
  });
});

describe('reviewFlags / withQaChecks: the QA column of a row after an edit', () => {
  const stage: QaFlag[] = [
    { code: 'TERM_REPAIRED', message: 'the engine wrote "Kiev"; relais wrote "Kyiv"', subject: 'Kyiv' },
    { code: 'NUMBER_MISMATCH', message: 'number of the source not found in the target: 2.6', subject: '2.6' },
    { code: 'UNKNOWN_WORD', message: 'the engine (fr-es) did not know "pourparlers" (unknown word)', subject: 'pourparlers' },
  ];
  const source = 'Les pourparlers de Kiev portent sur 2,6 milliards de dollars.';

  test('what relais did stays; what the edit fixed goes; what is still wrong is found again', () => {
    const machine = reviewFlags(stage, { source, target: 'The pourparlers of Kyiv are about 2,6 billion.', lang: 'en', glossary, sourceLang: 'fr' });
    expect(machine.map((f) => f.code)).toEqual(['TERM_REPAIRED', 'NUMBER_MISMATCH', 'UNKNOWN_WORD']);
    const edited = reviewFlags(stage, { source, target: 'The talks in Kyiv are about an amount of $2.6 billion.', lang: 'en', glossary, sourceLang: 'fr' });
    expect(edited.map((f) => f.code)).toEqual(['TERM_REPAIRED']);
  });

  test('withQaChecks checks each row\'s current text', () => {
    const article: ReviewArticle = {
      namespace: 'n', sourceLang: 'fr', targetLang: 'en', title: 't',
      segments: [{ id: 's1', paragraph: 0, index: 0, source, machine: 'x', target: 'x', current: 'The talks in Kiev are about an amount of $2.6 billion.', state: 'edited', flags: stage, termsApplied: [] }],
    };
    const flags = withQaChecks(article, glossary).segments[0]!.flags;
    expect(flags.map((f) => f.code)).toEqual(['TERM_REPAIRED', 'TERM_UNVERIFIED']);
    expect(flags[1]!.message).toContain('"Kiev" is there instead');
  });
});
