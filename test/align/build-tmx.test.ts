import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { XMLParser } from 'fast-xml-parser';
import { describe, expect, test } from 'vitest';
import type { QaFlag, TranslatedArticle, TranslatedSegment } from '../../pipeline/artifacts.js';
import { buildTmx, tmxDate, xmlSafe } from '../../pipeline/stages/align/build-tmx.js';
import { validateTmx } from '../helpers/xmllint.js';

const dir = mkdtempSync(join(tmpdir(), 'relais-tmx-'));
const OPTS = { toolVersion: '0.1.0', creationDate: '20261128T101500Z' };
const R = '\uFFFD';

function segment(id: string, source: string, target: string, extra: Partial<TranslatedSegment> = {}): TranslatedSegment {
  return { id, source, machine: target, target, termsApplied: [], flags: [], unknownWords: [], cacheKey: `k-${id}`, ...extra };
}

function article(segments: TranslatedSegment[], over: Partial<TranslatedArticle> = {}): TranslatedArticle {
  return { kind: 'translate', version: 1, namespace: 'haut-diplomate', sourceLang: 'fr', targetLang: 'en', engine: { id: 'pseudo', version: '1.0' }, segments, ...over };
}

/** Parse the TMX back the way a CAT tool would: entities resolved, whitespace inside <seg> kept. */
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  processEntities: true,
  htmlEntities: false,
  alwaysCreateTextNode: true,
  isArray: (name) => ['tu', 'tuv', 'prop', 'note'].includes(name),
});

interface ParsedTu {
  tuid: string;
  props: Array<{ type: string; text: string }>;
  tuv: Array<{ lang: string; seg: string }>;
}

function readBack(xml: string): { srclang: string; tus: ParsedTu[] } {
  const doc = parser.parse(xml) as any;
  const tus = ((doc.tmx.body.tu ?? []) as any[]).map((tu) => ({
    tuid: tu['@tuid'],
    props: ((tu.prop ?? []) as any[]).map((p) => ({ type: p['@type'], text: p['#text'] ?? '' })),
    tuv: (tu.tuv as any[]).map((v) => ({ lang: v['@xml:lang'], seg: v.seg['#text'] ?? '' })),
  }));
  return { srclang: doc.tmx.header['@srclang'], tus };
}

function validated(name: string, xml: string): void {
  const file = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.tmx`);
  writeFileSync(file, xml);
  const r = validateTmx(file);
  expect(r.output).toBe('');
  expect(r.ok).toBe(true);
}

const LONG = 'Le haut diplomate américain & son homologue <russe> ont parlé. '.repeat(2000);

describe('xmlSafe', () => {
  test.for([
    { name: 'plain text is untouched', input: 'Moscou et Kyiv', expected: 'Moscou et Kyiv' },
    { name: 'tab, LF, CR are legal XML and kept', input: 'a\tb\nc\rd', expected: 'a\tb\nc\rd' },
    { name: 'NUL and other C0 controls', input: 'a\u0000b\u0001c\u0008d\u000Be\u000Cf\u000Eg\u001Fh', expected: `a${R}b${R}c${R}d${R}e${R}f${R}g${R}h` },
    { name: 'U+FFFE and U+FFFF', input: 'x\uFFFEy\uFFFFz', expected: `x${R}y${R}z` },
    { name: 'lone high surrogate', input: 'x\uD800y', expected: `x${R}y` },
    { name: 'lone low surrogate', input: 'x\uDC00y', expected: `x${R}y` },
    { name: 'high surrogate at the end', input: 'fin\uD83D', expected: `fin${R}` },
    { name: 'reversed pair', input: '\uDE00\uD83D', expected: `${R}${R}` },
    { name: 'a real pair (emoji) is kept', input: 'Paix 🕊️ 😀', expected: 'Paix 🕊️ 😀' },
    { name: 'NBSP and narrow NBSP are kept', input: 'M.\u00a0Blinken\u202f:', expected: 'M.\u00a0Blinken\u202f:' },
    { name: 'DEL and C1 controls are legal XML 1.0 chars', input: 'a\u007Fb\u0085c', expected: 'a\u007Fb\u0085c' },
  ])('$name', ({ input, expected }) => {
    expect(xmlSafe(input)).toBe(expected);
  });
});

describe('tmxDate', () => {
  test.for([
    { name: 'a date with milliseconds', input: '2026-11-28T10:15:00.123Z', expected: '20261128T101500Z' },
    { name: 'midnight on new year', input: '2027-01-01T00:00:00.000Z', expected: '20270101T000000Z' },
    { name: 'a non-UTC input is converted to UTC', input: '2026-03-05T23:59:59.999+02:00', expected: '20260305T215959Z' },
  ])('$name', ({ input, expected }) => {
    const s = tmxDate(new Date(input));
    expect(s).toBe(expected);
    expect(s).toMatch(/^\d{8}T\d{6}Z$/);
  });
});

describe('buildTmx', () => {
  const rows: Array<{ name: string; source: string; target: string; expectedSource?: string; expectedTarget?: string; flags?: QaFlag[] }> = [
    { name: 'markup characters', source: 'A & B < C > D "cité" l\'OTAN', target: 'A & B < C > D "quoted" NATO\'s' },
    { name: 'text that looks like entities and CDATA', source: '&amp; &lt; &#38; &#x0; <![CDATA[x]]> ]]>', target: '&nbsp; ]]> <!-- c --> <?pi x?>' },
    { name: 'a segment that looks like a tag', source: '<seg>faux</seg></tuv></tu>', target: '<tu tuid="x"><script>alert(1)</script>' },
    { name: 'C0 controls', source: 'a\u0000b\u0001c\u001Fd', target: 'x\u000By\u000Cz', expectedSource: `a${R}b${R}c${R}d`, expectedTarget: `x${R}y${R}z` },
    { name: 'tab and newline kept', source: 'col1\tcol2\nligne 2', target: 'col1\tcol2\nline 2' },
    { name: 'lone surrogates', source: 'avant \uD800 après \uDFFF', target: 'fin\uD83D', expectedSource: `avant ${R} après ${R}`, expectedTarget: `fin${R}` },
    { name: 'noncharacters U+FFFE / U+FFFF', source: 'a\uFFFEb', target: 'c\uFFFFd', expectedSource: `a${R}b`, expectedTarget: `c${R}d` },
    { name: 'NBSP and narrow NBSP', source: 'M.\u00a0Blinken a dit\u202f: « oui\u202f»', target: 'Mr.\u00a0Blinken said: “yes”' },
    { name: 'leading and trailing spaces', source: '  espaces  autour  ', target: ' x ' },
    { name: 'empty target', source: 'Une phrase.', target: '' },
    { name: 'target that looks like a number or boolean', source: '0', target: 'true' },
    { name: 'emoji and right-to-left text', source: 'Paix 🕊️ et שלום', target: 'Peace 🕊️ and שלום' },
    { name: 'very long segment', source: LONG, target: LONG.toUpperCase() },
    {
      name: 'nasty QA flag text',
      source: 'Il a vu Zelensky.',
      target: 'He saw Zelensky.',
      flags: [
        { code: 'UNKNOWN_WORD', message: 'unknown "<b>" & \u0000 word', subject: '<b>' },
        { code: 'NUMBER_MISMATCH', message: 'source has 3, target has 4' },
      ],
    },
  ];

  test.for(rows)('$name: valid TMX 1.4b, text survives the round trip', ({ name, source, target, expectedSource, expectedTarget, flags }) => {
    const s = segment('a1b2c3d4e5', source, target, flags ? { flags } : {});
    const xml = buildTmx(article([s]), OPTS);
    validated(name, xml);
    const back = readBack(xml);
    expect(back.tus).toHaveLength(1);
    expect(back.tus[0]!.tuv).toEqual([
      { lang: 'fr', seg: expectedSource ?? source },
      { lang: 'en', seg: expectedTarget ?? target },
    ]);
    // Nothing the XML layer cannot carry may remain in the returned string.
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/);
    expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  test.for([
    { name: 'fr → en', sourceLang: 'fr', targetLang: 'en' },
    { name: 'fr → es', sourceLang: 'fr', targetLang: 'es' },
    { name: 'fr → ca', sourceLang: 'fr', targetLang: 'ca' },
    { name: 'region subtag', sourceLang: 'fr', targetLang: 'pt-BR' },
  ])('$name: srclang and xml:lang', ({ sourceLang, targetLang }) => {
    const xml = buildTmx(article([segment('s1', 'Bonjour.', 'Hola.')], { sourceLang, targetLang }), OPTS);
    validated(`lang-${targetLang}`, xml);
    const back = readBack(xml);
    expect(back.srclang).toBe(sourceLang);
    expect(back.tus[0]!.tuv.map((v) => v.lang)).toEqual([sourceLang, targetLang]);
  });

  test('one <tu> per segment, in order, each tuid naming its segment id', () => {
    const segs = Array.from({ length: 25 }, (_, i) => segment(`seg${String(i).padStart(3, '0')}`, `Phrase ${i}.`, i % 3 === 0 ? '' : `Sentence ${i}.`));
    const xml = buildTmx(article(segs), OPTS);
    validated('many', xml);
    const back = readBack(xml);
    expect(back.tus).toHaveLength(segs.length);
    // tuid = `<namespace>.<segment id>`: unique across the TMX files of one job when they are merged.
    expect(back.tus.map((t) => t.tuid)).toEqual(segs.map((s) => `haut-diplomate.${s.id}`));
    expect(new Set(back.tus.map((t) => t.tuid)).size).toBe(segs.length);
    expect(back.tus.map((t) => t.tuv[1]!.seg)).toEqual(segs.map((s) => s.target));
  });

  test('an article without segments is still valid TMX', () => {
    const xml = buildTmx(article([]), OPTS);
    validated('empty-article', xml);
    expect(readBack(xml).tus).toEqual([]);
  });

  test('QA flags and applied terms become <prop> elements before the <tuv>s', () => {
    const s = segment('f1', 'Blinken à Moscou', 'Blinken in Moscow', {
      flags: [
        { code: 'TERM_REPAIRED', message: 'replaced "Moscou" by "Moscow"', subject: 'Moscou' },
        { code: 'UNKNOWN_WORD', message: 'the engine did not know "ruse"', subject: 'ruse' },
      ],
      termsApplied: [{ termId: 'Moscou', form: 'Moscow', strategy: 'rewrite' }],
    });
    const clean = segment('f2', 'Rien.', 'Nothing.');
    const xml = buildTmx(article([s, clean]), OPTS);
    validated('flags', xml);
    const [flagged, plain] = readBack(xml).tus;
    expect(flagged!.props).toEqual([
      { type: 'x-relais-flag', text: 'TERM_REPAIRED: replaced "Moscou" by "Moscow"' },
      { type: 'x-relais-flag', text: 'UNKNOWN_WORD: the engine did not know "ruse"' },
      { type: 'x-relais-term', text: 'Moscou → Moscow (rewrite)' },
    ]);
    expect(plain!.props).toEqual([]);
  });

  test('header: tool, version, date in TMX format, namespace and engine', () => {
    const xml = buildTmx(article([segment('h', 'a', 'b')], { engine: { id: 'apertium', version: '3.9 "fr-es" & co' } }), {
      toolVersion: '0.1.0-beta.1',
      creationDate: tmxDate(new Date('2026-11-28T10:15:00Z')),
    });
    validated('header', xml);
    const doc = parser.parse(xml) as any;
    const h = doc.tmx.header;
    expect(h).toMatchObject({
      '@creationtool': 'relais',
      '@creationtoolversion': '0.1.0-beta.1',
      '@creationdate': '20261128T101500Z',
      '@segtype': 'sentence',
      '@srclang': 'fr',
      '@adminlang': 'en',
      '@datatype': 'plaintext',
    });
    expect(h.prop.map((p: any) => [p['@type'], p['#text']])).toEqual([
      ['x-relais-namespace', 'haut-diplomate'],
      ['x-relais-engine', 'apertium 3.9 "fr-es" & co'],
    ]);
  });

  test('header text from outside (engine version) with control characters stays valid', () => {
    const xml = buildTmx(article([segment('h', 'a', 'b')], { engine: { id: 'apertium', version: 'fr-es=1.0\u0007\uD800' } }), OPTS);
    validated('header-controls', xml);
    const doc = parser.parse(xml) as any;
    expect(doc.tmx.header.prop[1]['#text']).toBe(`apertium fr-es=1.0${R}${R}`);
  });
});
