/**
 * Properties that hold for any text (fast-check, seeded: a failure prints its seed and the shrunk case).
 * - Segmentation loses and invents nothing: the sentences, with the whitespace between them, are the paragraph.
 * - Glossary protect → identity engine → restore gives the text with exactly the glossary's replacements.
 * - Bundle write → i18next read returns every string exactly.
 * (XLIFF/TMX export → import is the identity: test/review/xliff.test.ts and import.test.ts.)
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import type { Glossary, GlossaryTerm } from '../../pipeline/artifacts.js';
import { findTermOccurrences } from '../../pipeline/glossary/match.js';
import { i18nextReadOptions } from '../../pipeline/i18next-options.js';
import { writeBundles } from '../../pipeline/stages/publish/publish-bundles.js';
import { segmentSentences } from '../../pipeline/stages/segment/segment-text.js';
import { prepareSegment } from '../../pipeline/stages/translate/protect.js';
import { restoreSegment } from '../../pipeline/stages/translate/restore.js';

const RUNS = { numRuns: 300, seed: 20261128 };

/* ------------------------------------------------------------------ segmentation */

/** Pieces French news text is made of, the tricky ones over-represented. */
const PIECES = [
  'Le', 'président', 'a', 'dit', 'que', 'M.', 'Dupont', 'etc.', 'J.-C.', 's.', 'h', '14 h 30', '2,6', '1 234,5', '3.5',
  'É.-U.', 'U.R.S.S.', 'Inc.', 'p.', 'n°', 'www.example.org', 'a.b@c.fr', '«', '»', '“', '”', '"', '(', ')', '—', '…',
  '.', '.', '.', '!', '?', ';', ':', ',', '\u00a0', '\u202f', 'A.', 'B.', 'vitamine C.', 'Il', 'Elle', 'de', 'à', 'À', '1.', '2)',
  'Kiev', 'Moscou', '🙂', 'عربي', '\t',
];
const paragraph = fc.array(fc.constantFrom(...PIECES), { minLength: 1, maxLength: 40 }).chain((words) =>
  fc.array(fc.constantFrom(' ', ' ', ' ', '', '\n', '  '), { minLength: words.length, maxLength: words.length }).map((seps) =>
    words.map((w, i) => w + seps[i]).join('').trim(),
  ),
).filter((p) => p.length > 0);

describe('segmentation', () => {
  test('the sentences, with the whitespace between them, are exactly the paragraph', () => {
    fc.assert(
      fc.property(paragraph, (p) => {
        const spans = segmentSentences(p);
        let at = 0;
        let rebuilt = '';
        for (const s of spans) {
          expect(s.text).toBe(p.slice(s.start, s.end));
          expect(s.text).toBe(s.text.trim());
          expect(s.text.length).toBeGreaterThan(0);
          expect(s.start).toBeGreaterThanOrEqual(at);
          // Only whitespace between two sentences: nothing dropped.
          expect(p.slice(at, s.start).trim()).toBe('');
          rebuilt += p.slice(at, s.start) + s.text;
          at = s.end;
        }
        expect(p.slice(at).trim()).toBe('');
        expect(rebuilt + p.slice(at)).toBe(p);
      }),
      RUNS,
    );
  });
});

/* ------------------------------------------------------------------ glossary */

function term(id: string, kind: GlossaryTerm['kind'], forms: string[], target?: string): GlossaryTerm {
  return { id, forms, kind, targets: target ? { fr: { form: target } } : {}, place: { line: 1, column: 1 } };
}

/** A glossary whose "target language" is the source's, so an identity engine changes nothing else. */
const glossary: Glossary = {
  source: 'fr',
  languages: ['fr'],
  terms: [
    term('Antony Blinken', 'person', ['Antony Blinken'], 'A. Blinken'),
    term('Blinken', 'person', ['Blinken'], 'BLINKEN'),
    term('Moscou', 'place', ['Moscou'], 'Moskva'),
    term('Kiev', 'place', ['Kiev'], 'Kyiv'),
    term('Union européenne', 'organization', ['Union européenne'], 'UE'),
    term('OTAN', 'organization', ['OTAN']),
  ],
  hash: 'property-test',
  file: 'property-test.yaml',
};

const WORDS = ['Antony Blinken', 'Blinken', 'Moscou', 'Kiev', 'Union européenne', 'OTAN', 'a', 'parlé', 'avec', 'et', 'la', 'de', 'Paris', 'Moscovite', 'Kievien', 'Antony', ','];
const sentence = fc.array(fc.constantFrom(...WORDS), { minLength: 1, maxLength: 14 }).map((w) => `${w.join(' ').replace(/ ,/g, ',')}.`);

describe('glossary enforcement', () => {
  test('protect → identity engine → restore replaces exactly the glossary occurrences', () => {
    fc.assert(
      fc.property(sentence, (text) => {
        const prep = prepareSegment('p', text, glossary);
        const renderings = new Map(glossary.terms.flatMap((t) => t.forms.map((f) => [f, [f]] as [string, string[]])));
        const restored = restoreSegment(prep, prep.engineText, 'fr', renderings, [], { grammar: false });
        let expected = '';
        let at = 0;
        for (const o of findTermOccurrences(text, glossary)) {
          const t = glossary.terms.find((x) => x.id === o.termId)!;
          expected += text.slice(at, o.start) + (t.targets.fr?.form ?? o.form);
          at = o.end;
        }
        expected += text.slice(at);
        expect(restored.target).toBe(expected);
        // A place or organisation with no form in the language (OTAN here) is the engine's: not applied.
        const enforced = findTermOccurrences(text, glossary).filter((o) => {
          const t = glossary.terms.find((x) => x.id === o.termId)!;
          return t.kind === 'person' || t.targets.fr !== undefined;
        });
        expect(restored.termsApplied).toHaveLength(enforced.length);
        expect(restored.failedTerms).toEqual([]);
      }),
      RUNS,
    );
  });
});

/* ------------------------------------------------------------------ bundles */

/** Any text relais can publish: everything but NUL (ingest refuses it), including lone surrogates. */
const value = fc.string({ unit: 'binary', maxLength: 60 }).filter((s) => !s.includes('\u0000'));
const bundle = fc.uniqueArray(fc.tuple(fc.stringMatching(/^s[0-9a-f]{10}$/), value), { selector: ([k]) => k, minLength: 1, maxLength: 12 });

describe('bundles', () => {
  test('write → i18next read returns every string exactly', async () => {
    const root = mkdtempSync(join(tmpdir(), 'relais-prop-bundles-'));
    let n = 0;
    await fc.assert(
      fc.asyncProperty(bundle, async (entries) => {
        const dir = join(root, String(n++));
        const data = Object.fromEntries(entries);
        writeBundles(dir, [{ lang: 'en', namespace: 'article', bundle: data }]);
        const read = JSON.parse(readFileSync(join(dir, 'en', 'article.json'), 'utf8')) as Record<string, string>;
        const i18n = i18next.createInstance();
        await i18n.init({ ...i18nextReadOptions, lng: 'en', ns: ['article'], defaultNS: 'article', resources: { en: { article: read } } });
        for (const [k, v] of entries) expect(i18n.t(k)).toBe(v);
      }),
      { numRuns: 100, seed: 20261128 },
    );
  });
});
