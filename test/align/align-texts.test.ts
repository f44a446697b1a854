import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { Glossary } from '../../pipeline/artifacts.js';
import { alignmentToArticle, flagsOfPair, summarizeAlignment } from '../../pipeline/align/alignment-article.js';
import { alignTexts, anchorTermsFor } from '../../pipeline/align/align-texts.js';
import { fallbackSegmentRules, splitSentences } from '../../pipeline/align/split-sentences.js';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { parseGlossary } from '../../pipeline/glossary/parse.js';
import { buildTmx } from '../../pipeline/stages/align/build-tmx.js';
import { renderAlignedHtml } from '../../pipeline/stages/align/render-html.js';
import { CountingEngine } from '../helpers/counting-engine.js';
import { validateTmx } from '../helpers/xmllint.js';
import { EN, FR } from '../helpers/align-sample.js';

const engine = new ApertiumEngine();
const dir = mkdtempSync(join(tmpdir(), 'relais-align-texts-'));
afterAll(async () => {
  await engine.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('splitSentences', () => {
  test.for([
    { lang: 'en', text: 'Mr. Smith lives at No. 21 Union Square. He left at 8 p.m. Then what? In the U.S. The rest.', expected: ['Mr. Smith lives at No. 21 Union Square.', 'He left at 8 p.m.', 'Then what?', 'In the U.S.', 'The rest.'] },
    { lang: 'de', text: 'Die ca. 600 m hohe Wand. Vgl. S. 116 im Führer. Es ist 11 Uhr.', expected: ['Die ca. 600 m hohe Wand.', 'Vgl. S. 116 im Führer.', 'Es ist 11 Uhr.'] },
    { lang: 'es', text: 'El Sr. García llegó a EE. UU. El lunes habló. ¿Por qué?', expected: ['El Sr. García llegó a EE. UU.', 'El lunes habló.', '¿Por qué?'] },
    { lang: 'fr', text: 'M. Dupont est arrivé. Il a vu J.-P. Sartre.', expected: ['M. Dupont est arrivé.', 'Il a vu J.-P. Sartre.'] },
    { lang: 'xx', text: 'First one. J. R. Tolkien wrote. Last one.', expected: ['First one.', 'J. R. Tolkien wrote.', 'Last one.'] },
  ])('$lang', ({ lang, text, expected }) => {
    expect(splitSentences(text, lang).map((s) => s.text)).toEqual(expected);
  });

  test('paragraphs, lines and paragraph starts', () => {
    const s = splitSentences('Titre\n\nUne phrase. Une autre.\n\nFin.', 'fr');
    expect(s.map((x) => [x.text, x.paragraph, x.line, x.paragraphStart])).toEqual([
      ['Titre', 0, 1, true],
      ['Une phrase.', 1, 3, true],
      ['Une autre.', 1, 3, false],
      ['Fin.', 2, 5, true],
    ]);
  });

  test('a language without rules gets the neutral rules', () => {
    expect(fallbackSegmentRules('sv').exceptions.map((e) => e.name)).toEqual(['initials', 'omission', 'list-number']);
  });
});

describe('alignTexts', () => {
  test('with Apertium: the omission and the addition are found, the rest is 1-1', async () => {
    const a = await alignTexts(FR, EN, { targetLang: 'en', engine });
    expect(a.stats.content).toBe('translation');
    expect(a.engine?.id).toBe('apertium');
    expect(a.translations).toHaveLength(a.source.length);
    expect(a.pairs.filter((p) => p.type !== '1-1').map((p) => [p.type, p.source || p.target])).toEqual([
      ['1-0', 'Selon la presse, les discussions sont difficiles.'],
      ['0-1', 'Mr. Smith of Reuters contributed to this report.'],
    ]);
    expect(a.pairs[0]).toMatchObject({ source: 'Le ministre à Moscou', target: 'The minister in Moscow' });
    expect(summarizeAlignment(a)).toMatchObject({ sentences: { source: 9, target: 9 }, omissions: 1, additions: 1, evidence: 'translation' });
  });

  test('an engine that does not serve the pair is not asked anything', async () => {
    const counting = new CountingEngine(engine);
    const a = await alignTexts(FR, EN.replace('The minister', 'Der Minister'), { targetLang: 'de', engine: counting });
    expect(counting.segmentsSent()).toBe(0);
    expect(a.engine).toBeUndefined();
    expect(a.stats.content).toBe('cognates');
  });

  test('without an engine, length, cognates and anchors still find the omission', async () => {
    const a = await alignTexts(FR, EN, { targetLang: 'en' });
    expect(a.pairs.filter((p) => p.flags.includes('omission')).map((p) => p.source)).toEqual(['Selon la presse, les discussions sont difficiles.']);
  });

  test('glossary names become anchors with their target form', () => {
    const { glossary } = parseGlossary('source: fr\nlanguages: [en]\nterms:\n  - fr: Moscou\n    kind: place\n    en: Moscow\n  - fr: Blinken\n    kind: person\n', 'g.yaml');
    expect(anchorTermsFor(glossary as Glossary, 'en')).toEqual([
      { id: 'Moscou', sourceForms: ['Moscou'], targetForms: ['Moscow'] },
      { id: 'Blinken', sourceForms: ['Blinken'], targetForms: ['Blinken'] },
    ]);
  });
});

describe('the alignment as a translation job artifact', () => {
  test('flags, unique ids, a valid TMX and a review page', async () => {
    const a = await alignTexts(FR, EN, { targetLang: 'en', engine });
    const article = alignmentToArticle(a, 'ministre-moscou');
    expect(article.segments).toHaveLength(a.pairs.length);
    expect(new Set(article.segments.map((s) => s.id)).size).toBe(article.segments.length);
    const codes = article.segments.flatMap((s) => s.flags.map((f) => f.code));
    expect(codes).toContain('ALIGN_OMISSION');
    expect(codes).toContain('ALIGN_ADDITION');
    expect(article.segments.find((s) => s.target === '')?.flags[0]).toMatchObject({ code: 'ALIGN_OMISSION', subject: 'Selon la presse, les discussions sont difficiles.' });
    expect(article.engine.id).toBe('align');

    const file = join(dir, 'a.tmx');
    writeFileSync(file, buildTmx(article, { toolVersion: '0.1.0', creationDate: '20261128T101500Z' }));
    expect(validateTmx(file)).toEqual({ ok: true, output: '' });
    const html = renderAlignedHtml(article, { source: 'fr', languages: [], terms: [], hash: '', file: '' }, 'fr ↔ en');
    expect(html).toContain('ALIGN_OMISSION');
    expect(html).toContain('Mr. Smith of Reuters contributed to this report.');
  });

  test('numbers that differ inside a pair are flagged', () => {
    const flags = flagsOfPair(
      { type: '1-1', sourceSentences: [0], targetSentences: [0], source: 'Le contrat porterait sur 2,6 milliards de dollars en 2024.', target: 'The contract would be worth $3.6 billion in 2024.', score: 0.5, flags: [] },
      { sourceLang: 'fr', targetLang: 'en' },
    );
    expect(flags).toEqual([expect.objectContaining({ code: 'NUMBER_MISMATCH', subject: '2,600,000,000, 3,600,000,000' })]);
  });
});
