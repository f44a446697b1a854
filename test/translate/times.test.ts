/**
 * Times of day: found in the French with their preposition (a duration is left alone), written the way
 * each target's newsrooms write them, read back by QA as the same time; and through real Apertium
 * (fr→es, fra-cat, fr→es→en, fr-eo, fra-oci), where raw Apertium gives "to the 14*h30", "a 14*h30", "je la9a".
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { checkNumbers } from '../../pipeline/review/qa-checks.js';
import { runJob } from '../../pipeline/run-job.js';
import { extractQuantities, extractTimes } from '../../pipeline/stages/translate/numbers.js';
import { findTimes, formatTime, type TimeOfDay } from '../../pipeline/stages/translate/times.js';
import { scratchProject } from '../helpers/cli.js';

describe('findTimes', () => {
  test.for([
    ['La réunion commence à 14h30.', [['à 14h30', { hour: 14, minute: 30, preposition: 'à' }]]],
    ['Le train part à 9 h.', [['à 9 h', { hour: 9, preposition: 'à' }]]],
    ['À 18\u00A0h\u00A015, tout était fini.', [['À 18\u00A0h\u00A015', { hour: 18, minute: 15, preposition: 'à', capital: true }]]],
    ["Ouvert jusqu'à 0h30, dès 8h, vers 12 h.", [["jusqu'à 0h30", { hour: 0, minute: 30, preposition: 'jusqu’à' }], ['dès 8h', { hour: 8, preposition: 'dès' }], ['vers 12 h', { hour: 12, preposition: 'vers' }]]],
    ['Ouvert de 9h à 17h.', [['de 9h', { hour: 9, preposition: 'de' }], ['à 17h', { hour: 17, preposition: 'à (range)' }]]],
    ['Entre 9 h 15 et 11 h, rien.', [['Entre 9 h 15', { hour: 9, minute: 15, preposition: 'entre', capital: true }], ['et 11 h', { hour: 11, preposition: 'et (range)' }]]],
    ['Le 3 mars, 14h30 : début.', [['14h30', { hour: 14, minute: 30 }]]],
    ['Avant 8 h, personne.', [['8 h', { hour: 8 }]]],
  ] as const)('%s', ([text, expected]) => {
    expect(findTimes(text).map((t) => [t.text, t.time])).toEqual(expected);
  });

  test.for([
    'Il a marché pendant 3 h.',
    'Il a couru en 2h30.',
    'Les 24 h du Mans.',
    'Il y a 25 h de route.',
    'La version 14h30b du logiciel.',
    'Le score est 3,5 h.',
  ])('not a time of day: %s', (text) => {
    expect(findTimes(text)).toEqual([]);
  });
});

describe('formatTime', () => {
  const T = (hour: number, minute: number | undefined, preposition?: TimeOfDay['preposition']): TimeOfDay => ({ hour, ...(minute === undefined ? {} : { minute }), ...(preposition ? { preposition } : {}) });
  test.for([
    ['en', T(14, 30, 'à'), 'at 2:30 p.m.'],
    ['en', T(9, undefined, 'vers'), 'around 9 a.m.'],
    ['en', T(12, undefined, 'à'), 'at noon'],
    ['en', T(0, undefined, 'jusqu’à'), 'until midnight'],
    ['en', T(0, 30), '12:30 a.m.'],
    ['en-GB', T(17, undefined, 'à (range)'), 'to 5 p.m.'],
    ['es', T(14, 30, 'à'), 'a las 14:30'],
    ['es', T(1, 15, 'à'), 'a la 1:15'],
    ['es', T(9, undefined, 'de'), 'de las 9:00'],
    ['ca', T(14, 30, 'à'), 'a les 14.30 h'],
    ['ca', T(1, undefined, 'dès'), 'des de la 1.00 h'],
    ['eo', T(9, 5, 'à'), 'je la 9:05'],
    ['oc', T(18, 15, 'à'), 'a 18\u00A0h\u00A015'],
    ['pt', T(14, 30, 'à'), 'às 14h30'],
    ['it', T(1, undefined, 'à'), 'all’1:00'],
    ['de', T(8, undefined, 'dès'), 'ab 8:00 Uhr'],
    ['nl', T(14, 30, 'à'), 'om 14.30 uur'],
  ] as const)('%s %j → %s', ([lang, time, text]) => {
    expect(formatTime(time, lang, 'à 14h30')).toBe(text);
  });

  test('a capital folded preposition stays capital; a language without rules keeps the French', () => {
    expect(formatTime({ hour: 9, preposition: 'à', capital: true }, 'en', 'À 9h')).toBe('At 9 a.m.');
    expect(formatTime({ hour: 9, preposition: 'à' }, 'ja', 'à 9h')).toBe('à 9h');
  });
});

describe('QA reads times as times', () => {
  test.for([
    ['fr', 'Départ à 14h30 puis à 9 h.', [870, 540]],
    ['en', 'Leaves at 2:30 p.m. then at 9 a.m., or at noon.', [870, 540, 720]],
    ['es', 'Sale a las 14:30.', [870]],
    ['ca', 'Surt a les 14.30 h.', [870]],
    ['oc', 'Partís a 14\u00A0h\u00A030.', [870]],
    ['de', 'Ab 14:30 Uhr.', [870]],
  ] as const)('%s: %s', ([lang, text, minutes]) => {
    expect(extractTimes(text, lang)).toEqual(minutes);
  });

  test('the digits of a time are no quantity; a duration is one', () => {
    expect(extractQuantities('À 14h30, 3 000 personnes.', 'fr')).toEqual([3000]);
    expect(extractQuantities('At 2:30 p.m., 3,000 people.', 'en')).toEqual([3000]);
    expect(extractQuantities('Il a marché pendant 3 h.', 'fr')).toEqual([3]);
    expect(extractQuantities('Ha caminat durant 3 h.', 'oc')).toEqual([3]);
  });

  test('a time changed by an edit is flagged as a time; the same time written the target way is not', () => {
    expect(checkNumbers('La réunion commence à 14h30.', 'The meeting begins at 2:30 p.m.', 'fr', 'en')).toEqual([]);
    const flags = checkNumbers('La réunion commence à 14h30.', 'The meeting begins at 3:30 p.m.', 'fr', 'en');
    expect(flags.map((f) => f.message)).toEqual(['time of the source not in the target: 14:30 (the target has 15:30)']);
  });
});

const ARTICLE = [
  'Horaires',
  '',
  'La réunion commence à 14h30 et finit à 18 h 15.',
  '',
  'Le marché ouvre de 9h à 17h, mais la police est là dès 8 h.',
  '',
  'À 12h, il a couru pendant 3 h.',
  '',
].join('\n');

const apertium = new ApertiumEngine();
let bundles: Record<string, string[]>;
let flags: string[];
beforeAll(async () => {
  const dir = scratchProject('relais-times-');
  writeFileSync(join(dir, 'horaires.txt'), ARTICLE);
  const langs = ['en', 'es', 'ca', 'eo', 'oc'];
  const result = await runJob({ files: [join(dir, 'horaires.txt')], targets: langs, engine: apertium, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'), memoryFile: false });
  expect(result).toBeDefined();
  bundles = Object.fromEntries(langs.map((l) => [l, Object.values(JSON.parse(readFileSync(join(dir, 'locales', l, 'horaires.json'), 'utf8')) as Record<string, string>)]));
  flags = langs.flatMap((l) => readFileSync(join(dir, 'job', 'articles', 'horaires', 'translate', `${l}.journal.jsonl`), 'utf8').match(/"code":"NUMBER_MISMATCH"[^}]*/g) ?? []);
}, 120_000);
afterAll(() => apertium.close());

describe('times through real Apertium', () => {
  test.for([
    ['en', ['The meeting begins at 2:30 p.m. and finishes at 6:15 p.m.', 'from 9 a.m. to 5 p.m.', 'from 8 a.m.', 'At noon,', '3 h']],
    ['es', ['a las 14:30', 'a las 18:15', 'de las 9:00 a las 17:00', 'desde las 8:00', 'A las 12:00,', '3 h']],
    ['ca', ['a les 14.30 h', 'a les 18.15 h', 'de les 9.00 h a les 17.00 h', 'des de les 8.00 h', 'A les 12.00 h,']],
    ['eo', ['je la 14:30', 'je la 18:15', 'de la 9:00 ĝis la 17:00', 'ekde la 8:00', 'Je la 12:00,']],
    ['oc', ['a 14\u00A0h\u00A030', 'a 18\u00A0h\u00A015', 'de 9\u00A0h a 17\u00A0h', 'dempuèi 8\u00A0h', 'A 12\u00A0h,']],
  ] as const)('%s', ([lang, expected]) => {
    const text = bundles[lang]!.join('\n');
    for (const e of expected) expect(text).toContain(e);
    // No French hour mark, no unknown-word mark, no doubled full stop.
    expect(text).not.toMatch(/\d ?h ?\d\d|\*|\.\.|\p{L}\d/u);
  });

  test('no time is reported missing, and the duration stays a number', () => {
    expect(flags).toEqual([]);
  });
});
