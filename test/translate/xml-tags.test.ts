/**
 * Placeholders as ignored XML elements (for DeepL): what is sent, and every way an engine can hand the
 * elements back — intact, moved, altered, repeated, unwrapped, gone — each with its outcome and flag.
 */
import { describe, expect, test } from 'vitest';
import type { Glossary } from '../../pipeline/artifacts.js';
import { parseGlossary } from '../../pipeline/glossary/parse.js';
import { prepareSegment } from '../../pipeline/stages/translate/protect.js';
import { decodeXml, escapeXml, fromXmlOutput, toXmlEngineText } from '../../pipeline/stages/translate/xml-tags.js';

const glossary: Glossary = parseGlossary(
  `source: fr
languages: [en]
terms:
  - fr: Antony Blinken
    kind: person
  - fr: Moscou
    kind: place
    en: Moscow
`,
  'glossary.yaml',
).glossary!;

const prep = prepareSegment('s1', 'Antony Blinken a dit à Moscou que AT&T paierait 2,6 milliards de dollars <bientôt>.', glossary);

describe('toXmlEngineText', () => {
  test('names and amounts become <x> elements holding their text; the rest is XML-escaped', () => {
    expect(toXmlEngineText(prep)).toBe('<x id="GA">Antony Blinken</x> a dit à Moscou que AT&amp;T paierait <x id="NA">2,6 milliards de dollars</x> &lt;bientôt&gt;.');
  });

  test('escape and decode are inverse, and numeric references decode', () => {
    for (const s of ['a & b < c > d', '&amp; is literal', '« x » — “y”']) expect(decodeXml(escapeXml(s))).toBe(s);
    expect(decodeXml('&#233;t&#xE9; &quot;x&quot; &apos;y&apos;')).toBe('été "x" \'y\'');
  });
});

describe('fromXmlOutput', () => {
  test('intact elements, even moved, become tokens again; no flag', () => {
    const r = fromXmlOutput(prep, 'In Moscow, <x id="NA">2,6 milliards de dollars</x> AT&amp;T, said <x id="GA">Antony Blinken</x> &lt;soon&gt;.');
    expect(r).toEqual({ text: 'In Moscow, 9900001 AT&T, said ZZGA <soon>.', flags: [], lost: [] });
  });

  test('altered content is repaired and flagged', () => {
    const r = fromXmlOutput(prep, '<x id="GA">Antony Blinkens</x> said <x id="NA">2,6 milliards de dollars</x>.');
    expect(r.text).toBe('ZZGA said 9900001.');
    expect(r.flags).toEqual([expect.objectContaining({ code: 'TAG_REPAIRED', subject: 'Antony Blinken' })]);
  });

  test('a repeated element keeps the first one, unwraps the others, and is flagged', () => {
    const r = fromXmlOutput(prep, '<x id="GA">Antony Blinken</x> and <x id="GA">Antony Blinken</x> <x id="NA">2,6 milliards de dollars</x>');
    expect(r.text).toBe('ZZGA and Antony Blinken 9900001');
    expect(r.flags.map((f) => f.code)).toEqual(['TAG_REPAIRED']);
  });

  test('a dropped tag around text still there is repaired; stray tags are removed; both flagged', () => {
    const r = fromXmlOutput(prep, 'Antony Blinken said <x id="NA">2,6 milliards de dollars</x> <x id="ZZ">?</x>');
    expect(r.text).toBe('ZZGA said 9900001 ?');
    expect(r.flags.map((f) => f.code)).toEqual(['TAG_REPAIRED', 'TAG_REPAIRED']);
    expect(r.lost).toEqual([]);
  });

  test('an element gone with its text is reported lost (the caller retries without tags)', () => {
    const r = fromXmlOutput(prep, 'He said <x id="NA">2,6 milliards de dollars</x>.');
    expect(r.lost.map((p) => p.token)).toEqual(['ZZGA']);
    expect(r.text).toBe('He said 9900001.');
  });

  test('a name inside a longer word is not taken for the name', () => {
    const p = prepareSegment('s2', 'Antony Blinken part.', glossary);
    expect(fromXmlOutput(p, 'Antony Blinkenson leaves.').lost).toHaveLength(1);
  });

  test('without placeholders (the retry) there is nothing to check', () => {
    const plain = prepareSegment('s3', 'Antony Blinken a 2,6 milliards.', glossary, { placeholders: false });
    expect(toXmlEngineText(plain)).toBe('Antony Blinken a 2,6 milliards.');
    expect(fromXmlOutput(plain, 'Antony Blinken has 2.6 billion.')).toEqual({ text: 'Antony Blinken has 2.6 billion.', flags: [], lost: [] });
  });
});

describe('a run of letters too long to be a word', () => {
  test('goes to the engine as a placeholder and comes back as written, flagged', async () => {
    const { restoreSegment } = await import('../../pipeline/stages/translate/restore.js');
    const long = 'a'.repeat(5000);
    const p = prepareSegment('s4', `Le code ${long} est arrivé.`, glossary);
    expect(p.engineText).toBe('Le code ZZVA est arrivé.');
    expect(toXmlEngineText(p)).toBe(`Le code <x id="VA">${long}</x> est arrivé.`);
    const r = restoreSegment(p, 'The code ZZVA arrived.', 'en', new Map(), []);
    expect(r.target).toBe(`The code ${long} arrived.`);
    expect(r.flags.map((f) => f.code)).toEqual(['LONG_WORD_KEPT']);
    // Ordinary long words are not touched.
    expect(prepareSegment('s5', 'Anticonstitutionnellement, intergouvernementalisations.', glossary).engineText).toBe('Anticonstitutionnellement, intergouvernementalisations.');
  });
});
