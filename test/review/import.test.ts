/**
 * Bringing a reviewed XLIFF or TMX back: which units update which decisions, which are refused and why
 * (per unit, with the line), and that an unedited export changes nothing.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { shortHash } from '../../pipeline/job/hash.js';
import { comparableText, formatImportProblem, importError, planImport, sameLanguage, type ImportUnit, type XliffState } from '../../pipeline/review/plan-import.js';
import { SEGMENT_STATES, type ReviewArticle, type ReviewSegment, type SegmentState } from '../../pipeline/review/review-model.js';
import { buildReviewTmx, parseTmx } from '../../pipeline/review/tmx.js';
import { buildXliff, parseXliff } from '../../pipeline/review/xliff.js';
import { catchError } from '../helpers/catch-error.js';
import { ROOT } from '../helpers/cli.js';
import { validateTmx } from '../helpers/xmllint.js';
import { validateXliff12 } from '../helpers/xmllint-xliff.js';

const dir = mkdtempSync(join(tmpdir(), 'relais-import-'));
const FR_EN = { sourceLang: 'fr', targetLang: 'en' };
const TMX_OPTS = { toolVersion: '0.1.0', creationDate: '20261128T101500Z', engine: { id: 'apertium', version: '3.8.3' } };

function segment(source: string, current: string, state: SegmentState = 'machine', extra: Partial<ReviewSegment> = {}): ReviewSegment {
  return { id: `s${shortHash(source)}`, paragraph: 0, index: 0, source, machine: current, target: current, current, state, flags: [], termsApplied: [], ...extra };
}

function article(segments: ReviewSegment[], over: Partial<ReviewArticle> = {}): ReviewArticle {
  return { namespace: 'haut-diplomate', sourceLang: 'fr', targetLang: 'en', title: segments[0]?.source ?? '', segments, ...over };
}

function unit(over: Partial<ImportUnit> = {}): ImportUnit {
  return { namespace: 'haut-diplomate', id: undefined, source: '', target: undefined, state: undefined, srcLang: 'fr', trgLang: 'en', line: 1, warnings: [], ...over };
}

/** The job behind test/fixtures/xliff/omegat-1.2.xlf (ids are hashes of the sources, as relais makes them). */
const JOB = article([
  segment('Un haut diplomate américain exclut les pourparlers Moscou-Kiev', 'A senior American diplomat excludes the Moscow-Kiev talks', 'machine', { paragraph: -1 }),
  segment(
    'Le secrétaire d’État américain Antony Blinken a exclu des négociations entre la Russie et l’Ukraine, affirmant que Moscou n’avait pas démontré sa volonté de pourparlers «\u00a0constructifs\u00a0».',
    'The American Secretary of State Antony Blinken ruled out negotiations between Russia and Ukraine, saying that Moscow had not shown its willingness for “constructive” talks.',
    'approved',
  ),
  segment('Il a fait ces remarques lors d’un point de presse en Allemagne vendredi.', 'He made these remarks at a press point in Germany Friday.'),
  segment('Blinken a ensuite affirmé que l’idée d’un cessez-le-feu peut être «\u00a0tentante\u00a0».', 'Blinken then said that the idea of a ceasefire may be “tempting”.', 'edited', {
    target: 'Blinken then affirmed that the idea of a cease-fire can be “tempting”.',
  }),
  segment('Moscou a lancé son opération militaire en Ukraine en février 2022.', 'Moscow launched its military operation in Ukraine in February 2022.'),
]);
const [TITLE, S2, S3, S4, S5] = JOB.segments as [ReviewSegment, ReviewSegment, ReviewSegment, ReviewSegment, ReviewSegment];

describe('an XLIFF 1.2 file as OmegaT writes it', () => {
  const file = join(ROOT, 'test/fixtures/xliff/omegat-1.2.xlf');

  test('the fixture is valid XLIFF 1.2 (strict schema)', () => {
    const r = validateXliff12(file);
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
  });

  test('imports: confirmed → approved, edited → edited, inline codes dropped with a warning, nothing else changes', () => {
    const doc = parseXliff(readFileSync(file, 'utf8'), 'omegat-1.2.xlf');
    expect(doc).toMatchObject({ format: 'xliff', version: '1.2', srcLang: 'fr-FR', trgLang: 'en-US', tool: 'OmegaT 6.0.1' });
    expect(doc.units.map((u) => u.id)).toEqual(JOB.segments.map((s) => s.id));
    const plan = planImport(doc.units, [JOB], FR_EN);
    expect(plan.errors).toEqual([]);
    expect(plan.updates).toEqual([
      {
        namespace: 'haut-diplomate', lang: 'en', segmentId: TITLE.id, state: 'approved', text: 'Top US diplomat rules out Moscow–Kyiv talks',
        source: TITLE.source, machine: TITLE.target, unitId: TITLE.id, line: 14, previous: { state: 'machine', text: TITLE.current },
      },
      {
        namespace: 'haut-diplomate', lang: 'en', segmentId: S3.id, state: 'edited', text: 'He made these remarks at a press briefing in Germany on Friday.',
        source: S3.source, machine: S3.target, unitId: S3.id, line: 23, previous: { state: 'machine', text: S3.current },
      },
    ]);
    expect(plan.warnings).toEqual([
      { code: 'IMPORT_INLINE_MARKUP', line: 23, unitId: S3.id, namespace: 'haut-diplomate', message: `unit "${S3.id}": inline markup (<g>) was dropped; only its text was kept` },
      { code: 'IMPORT_DECISION_KEPT', line: 31, unitId: S4.id, namespace: 'haut-diplomate', message: `unit "${S4.id}": the file marks it "translated"; relais keeps its decision "edited" (a decision is withdrawn on the review page)` },
      { code: 'IMPORT_NO_TARGET', line: 35, unitId: S5.id, namespace: 'haut-diplomate', message: `unit "${S5.id}" has an empty target: nothing imported (to reject a translation, use the review page)` },
    ]);
    expect(plan.unchanged).toBe(3);
    expect(S2.state).toBe('approved');
  });
});

describe('planImport: the state a unit gives its segment', () => {
  const rows: Array<{ current: SegmentState; file: XliffState | undefined; edit: boolean | 'empty' | 'none'; expected: SegmentState | 'unchanged'; warning?: string }> = [
    { current: 'machine', file: 'final', edit: false, expected: 'approved' },
    { current: 'machine', file: 'final', edit: true, expected: 'approved' },
    { current: 'machine', file: 'reviewed', edit: false, expected: 'edited' },
    { current: 'machine', file: 'reviewed', edit: true, expected: 'edited' },
    { current: 'machine', file: 'translated', edit: false, expected: 'unchanged' },
    { current: 'machine', file: 'translated', edit: true, expected: 'edited' },
    { current: 'machine', file: 'initial', edit: false, expected: 'rejected' },
    { current: 'machine', file: 'initial', edit: true, expected: 'edited' },
    { current: 'machine', file: undefined, edit: false, expected: 'unchanged' },
    { current: 'machine', file: undefined, edit: true, expected: 'edited' },
    { current: 'machine', file: 'final', edit: 'empty', expected: 'unchanged', warning: 'IMPORT_NO_TARGET' },
    { current: 'machine', file: 'final', edit: 'none', expected: 'unchanged', warning: 'IMPORT_NO_TARGET' },
    { current: 'approved', file: 'final', edit: false, expected: 'unchanged' },
    { current: 'approved', file: 'final', edit: true, expected: 'approved' },
    { current: 'approved', file: 'reviewed', edit: false, expected: 'edited' },
    { current: 'approved', file: 'translated', edit: false, expected: 'unchanged', warning: 'IMPORT_DECISION_KEPT' },
    { current: 'approved', file: undefined, edit: false, expected: 'unchanged' },
    { current: 'edited', file: 'reviewed', edit: false, expected: 'unchanged' },
    { current: 'edited', file: 'reviewed', edit: true, expected: 'edited' },
    { current: 'edited', file: 'translated', edit: true, expected: 'edited' },
    { current: 'edited', file: 'final', edit: false, expected: 'approved' },
    { current: 'rejected', file: 'initial', edit: false, expected: 'unchanged' },
    { current: 'rejected', file: 'initial', edit: true, expected: 'edited' },
    { current: 'rejected', file: 'translated', edit: false, expected: 'unchanged', warning: 'IMPORT_DECISION_KEPT' },
    { current: 'needs-review', file: 'translated', edit: false, expected: 'unchanged' },
    { current: 'needs-review', file: 'final', edit: false, expected: 'approved' },
    { current: 'needs-review', file: 'reviewed', edit: true, expected: 'edited' },
  ];
  test.for(rows)('$current + <segment state="$file">, edited: $edit → $expected', ({ current, file, edit, expected, warning }) => {
    const s = segment('Bonjour.', 'Hello.', current);
    const target = edit === true ? 'Hi there.' : edit === 'empty' ? '' : edit === 'none' ? undefined : 'Hello.';
    const plan = planImport([unit({ id: s.id, source: 'Bonjour.', target, state: file, line: 7 })], [article([s])], FR_EN);
    expect(plan.errors).toEqual([]);
    expect(plan.warnings.map((w) => w.code)).toEqual(warning ? [warning] : []);
    if (expected === 'unchanged') {
      expect(plan).toMatchObject({ updates: [], unchanged: 1 });
    } else {
      expect(plan.unchanged).toBe(0);
      expect(plan.updates).toEqual([
        { namespace: 'haut-diplomate', lang: 'en', segmentId: s.id, state: expected, text: edit === true ? 'Hi there.' : 'Hello.', source: 'Bonjour.', machine: 'Hello.', unitId: s.id, line: 7, previous: { state: current, text: 'Hello.' } },
      ]);
    }
  });
});

describe('planImport: texts are compared as CAT tools may rewrite them', () => {
  const s = segment('Le haut diplomate a parlé.', 'The senior diplomat spoke.');
  const run = (source: string, target: string) => planImport([unit({ id: s.id, source, target, state: 'translated' })], [article([s])], FR_EN);

  test.for([
    { name: 'NFD (macOS) is NFC', source: 'Le haut diplomate a parle\u0301.', target: 'The senior diplomat spoke.' },
    { name: 're-flowed white space', source: '  Le haut\ndiplomate  a parlé. ', target: 'The senior\n  diplomat spoke.\t' },
  ])('$name: no error, no update', ({ source, target }) => {
    expect(run(source, target)).toEqual({ updates: [], errors: [], warnings: [], unchanged: 1, stale: 0, conflicts: 0 });
  });

  test('a NBSP is not a space: it is an edit, stored as written', () => {
    expect(run(s.source, 'The senior\u00a0diplomat spoke.').updates[0]).toMatchObject({ state: 'edited', text: 'The senior\u00a0diplomat spoke.' });
  });

  test('an edit written in NFD is stored in NFC', () => {
    expect(run(s.source, 'The senior diplomat spoke in Mu\u0308nchen.').updates[0]!.text).toBe('The senior diplomat spoke in M\u00fcnchen.');
  });

  test('comparableText', () => {
    expect(comparableText(' a \t\n b\r\n ')).toBe('a b');
    expect(comparableText('e\u0301\u00a0x')).toBe('\u00e9\u00a0x');
    expect(comparableText('a\u0001b\uD800')).toBe('a\uFFFDb\uFFFD');
  });
});

describe('planImport: refused units, each with its own error and line, and no change', () => {
  const a = article([segment('Un.', 'One.'), segment('Deux.', 'Two.')]);
  const [one, two] = a.segments as [ReviewSegment, ReviewSegment];
  const other = article([segment('Un.', 'Uno.'), segment('Trois.', 'Three.')], { namespace: 'autre' });

  test('an unknown id in a known article', () => {
    const plan = planImport([unit({ id: 's0000000000', source: 'Un.', target: 'One!', line: 12 })], [a], FR_EN);
    expect(plan).toEqual({
      updates: [],
      warnings: [],
      unchanged: 0,
      stale: 0,
      conflicts: 0,
      errors: [
        {
          code: 'IMPORT_UNKNOWN_ID', line: 12, unitId: 's0000000000', namespace: 'haut-diplomate',
          message: 'unit "s0000000000": article "haut-diplomate" has no segment with this id',
          hint: 'The article changed since the export (a changed sentence gets a new id): export again and redo this unit in the new file.',
        },
      ],
    });
  });

  test('an unknown article and id', () => {
    const plan = planImport([unit({ namespace: 'ailleurs', id: 's0000000000', source: 'Un.', target: 'One!', line: 3 })], [a, other], FR_EN);
    expect(plan.errors).toEqual([
      expect.objectContaining({ code: 'IMPORT_UNKNOWN_ID', message: 'unit "s0000000000": this job has no article "ailleurs" and no segment with this id', hint: 'Articles in this job: haut-diplomate, autre. Was the file exported from another job (--job)?' }),
    ]);
  });

  test('a renamed <file> (a CAT tool rewrote original): the id alone finds the segment when only one article has it', () => {
    const plan = planImport([unit({ namespace: 'haut-diplomate.fr.txt', id: two.id, source: 'Deux.', target: 'Two!', state: 'final' })], [a, other], FR_EN);
    expect(plan.errors).toEqual([]);
    expect(plan.updates).toMatchObject([{ namespace: 'haut-diplomate', segmentId: two.id, state: 'approved', text: 'Two!' }]);
  });

  test('… and refuses when several articles have it', () => {
    const plan = planImport([unit({ namespace: 'renamed', id: one.id, source: 'Un.', target: 'One!', line: 4 })], [a, other], FR_EN);
    expect(plan.updates).toEqual([]);
    expect(plan.errors).toEqual([
      expect.objectContaining({ code: 'IMPORT_AMBIGUOUS_ID', line: 4, message: `unit "${one.id}": 2 articles have a segment with this id (haut-diplomate, autre) and the file names none of them ("renamed")` }),
    ]);
  });

  test('a source that is not the job source', () => {
    const s = segment('Le secrétaire d’État américain Antony Blinken a exclu des négociations entre la Russie et l’Ukraine.', 'x');
    const plan = planImport([unit({ id: s.id, source: 'Le secrétaire d’État américain Antony Blinken a exclu toute négociation entre la Russie et l’Ukraine.', target: 'y', line: 9 })], [article([s])], FR_EN);
    expect(plan.updates).toEqual([]);
    expect(plan.errors).toEqual([
      {
        code: 'IMPORT_SOURCE_CHANGED', line: 9, unitId: s.id, namespace: 'haut-diplomate',
        message: `unit "${s.id}": the source text differs from the job's: "…ony Blinken a exclu toute négociation entre la Rus…" in the file, "…ony Blinken a exclu des négociations entre la Russ…" in the job`,
        hint: 'Either the article changed since the export (export again) or the CAT tool edited the source: only targets can be imported.',
      },
    ]);
  });

  test('a second unit for the same segment', () => {
    const plan = planImport(
      [unit({ id: one.id, source: 'Un.', target: 'One!', state: 'final', line: 5 }), unit({ id: one.id, source: 'Un.', target: 'One?', state: 'final', line: 9 })],
      [a],
      FR_EN,
    );
    expect(plan.updates.map((u) => u.text)).toEqual(['One!']);
    expect(plan.errors).toEqual([expect.objectContaining({ code: 'IMPORT_DUPLICATE_UNIT', line: 9, message: `unit "${one.id}": segment "${one.id}" of "haut-diplomate" was already imported from line 5; this unit is ignored` })]);
  });

  test('refused units do not stop the others', () => {
    const plan = planImport(
      [unit({ id: 'sbad', source: 'Un.', target: 'x', line: 2 }), unit({ id: two.id, source: 'Deux.', target: 'Two!', line: 3 }), unit({ id: one.id, source: 'Uno.', target: 'x', line: 4 })],
      [a],
      FR_EN,
    );
    expect(plan.errors.map((e) => [e.code, e.line])).toEqual([['IMPORT_UNKNOWN_ID', 2], ['IMPORT_SOURCE_CHANGED', 4]]);
    expect(plan.updates.map((u) => [u.segmentId, u.state, u.text])).toEqual([[two.id, 'edited', 'Two!']]);
  });

  test('a file in another target language: one error for the file, not one per unit, and no change', () => {
    const units = a.segments.map((s, i) => unit({ id: s.id, source: s.source, target: 'Otro.', state: 'final', trgLang: 'es', line: 10 + i }));
    expect(planImport(units, [a], FR_EN)).toEqual({
      updates: [],
      warnings: [],
      unchanged: 0,
      stale: 0,
      conflicts: 0,
      errors: [{ code: 'IMPORT_WRONG_LANGUAGE', line: 10, unitId: undefined, namespace: 'haut-diplomate', message: 'the file is fr → es, this import is fr → en: 2 units not imported', hint: 'Import it with --lang es.' }],
    });
  });

  test.for([
    { name: 'another source language', srcLang: 'de', trgLang: 'en', message: 'the file is de → en, this import is fr → en: 1 unit not imported', hint: 'Export the file again from this job for the language you review.' },
    { name: 'no target language', srcLang: 'fr', trgLang: undefined, message: 'the file does not say its target language (XLIFF srcLang/trgLang, source-language/target-language, TMX xml:lang), fr → en expected: 1 unit not imported', hint: 'Export the file again from this job for the language you review.' },
    { name: 'en-GB for en-US', srcLang: 'fr', trgLang: 'en-GB', expected: 'en-US', message: 'the file is fr → en-GB, this import is fr → en-US: 1 unit not imported', hint: 'Import it with --lang en-GB.' },
  ])('wrong languages: $name', ({ srcLang, trgLang, expected, message, hint }) => {
    const plan = planImport([unit({ id: one.id, source: 'Un.', target: 'x', srcLang, trgLang })], [{ ...a, targetLang: expected ?? 'en' }], { sourceLang: 'fr', targetLang: expected ?? 'en' });
    expect(plan.errors).toEqual([expect.objectContaining({ code: 'IMPORT_WRONG_LANGUAGE', message, hint })]);
  });

  test.for([
    { file: 'en', expected: 'en', same: true },
    { file: 'en-US', expected: 'en', same: true },
    { file: 'en_us', expected: 'en-US', same: true },
    { file: 'EN', expected: 'en', same: true },
    { file: 'pt', expected: 'pt-BR', same: true },
    { file: 'en-GB', expected: 'en-US', same: false },
    { file: 'es', expected: 'en', same: false },
    { file: 'eng', expected: 'en', same: false },
  ])('sameLanguage($file, $expected) = $same', ({ file, expected, same }) => {
    expect(sameLanguage(file, expected)).toBe(same);
  });

  test('problems print as file:line CODE message, and become RelaisErrors', () => {
    const plan = planImport([unit({ id: 'sbad', source: 'Un.', target: 'x', line: 12 })], [a], FR_EN);
    expect(formatImportProblem(plan.errors[0]!, 'review.xlf')).toBe(
      'review.xlf:12 IMPORT_UNKNOWN_ID unit "sbad": article "haut-diplomate" has no segment with this id\n  → The article changed since the export (a changed sentence gets a new id): export again and redo this unit in the new file.',
    );
    const e = importError(plan.errors[0]!, 'review.xlf');
    expect(e).toMatchObject({ code: 'IMPORT_UNKNOWN_ID', place: { file: 'review.xlf', line: 12 } });
    expect(e.format()).toBe(formatImportProblem(plan.errors[0]!, 'review.xlf'));
  });
});

describe('XLIFF: export, edit as a CAT tool would, import', () => {
  test('only the edited unit is updated', () => {
    const xml = buildXliff([JOB], FR_EN);
    const edited = xml.replace(
      `<segment state="translated" subState="relais:machine">\n        <source>${S3.source}</source>\n        <target>${S3.current}</target>`,
      `<segment state="final" subState="relais:machine">\n        <source>${S3.source}</source>\n        <target>He made these remarks at a &lt;press briefing&gt; in Germany.</target>`,
    );
    expect(edited).not.toBe(xml);
    const plan = planImport(parseXliff(edited, 'review.xlf').units, [JOB], FR_EN);
    expect(plan).toEqual({
      updates: [expect.objectContaining({ segmentId: S3.id, state: 'approved', text: 'He made these remarks at a <press briefing> in Germany.', line: 36 })],
      errors: [],
      warnings: [],
      unchanged: 4,
      stale: 0,
      conflicts: 0,
    });
  });
});

describe('TMX', () => {
  const TRICKY = [
    'Il a écrit <img src=x onerror=alert(1)> & "cité" ]]> {{x}}',
    'M.\u00a0Blinken a dit\u202f: «\u00a0oui\u00a0» 🕊️ שלום',
    '  espaces  autour\tet\nlignes\r\n',
    'a\u0000b\u0001c\uFFFEd\uD800e',
    '',
  ];

  test('the review TMX is valid TMX 1.4b, carries the text a reviewer would publish, and imports as no change', () => {
    const a = article([
      ...TRICKY.map((t, i) => segment(`Phrase ${i} ${t}`, `Sentence ${i} ${t}`)),
      segment('Approuvée.', 'Approved by a reviewer.', 'approved', { target: 'Approved.' }),
    ]);
    const xml = buildReviewTmx(a, TMX_OPTS);
    const file = join(dir, 'review.tmx');
    writeFileSync(file, xml);
    const r = validateTmx(file);
    expect(r.output).toBe('');
    expect(r.ok).toBe(true);
    expect(xml).toContain('<seg>Approved by a reviewer.</seg>');
    const doc = parseTmx(xml, 'review.tmx');
    expect(doc).toMatchObject({ format: 'tmx', version: '1.4', srcLang: 'fr', trgLang: 'en' });
    expect(doc.units.map((u) => [u.namespace, u.id])).toEqual(a.segments.map((s) => ['haut-diplomate', s.id]));
    expect(doc.units[0]!).toMatchObject({ source: `Phrase 0 ${TRICKY[0]}`, target: `Sentence 0 ${TRICKY[0]}`, state: undefined, srcLang: 'fr', trgLang: 'en', warnings: [] });
    expect(planImport(doc.units, [a], FR_EN)).toEqual({ updates: [], errors: [], warnings: [], unchanged: a.segments.length, stale: 0, conflicts: 0 });
  });

  test('an edited <seg> becomes an edit (TMX has no review state)', () => {
    const a = article([segment('Un.', 'One.'), segment('Deux.', 'Two.')]);
    const xml = buildReviewTmx(a, TMX_OPTS).replace('<seg>Two.</seg>', '<seg>Two &amp; more.</seg>');
    expect(planImport(parseTmx(xml, 'r.tmx').units, [a], FR_EN).updates).toEqual([expect.objectContaining({ segmentId: a.segments[1]!.id, state: 'edited', text: 'Two & more.' })]);
  });

  test('a translation memory from another tool: matched by source text, the target language chosen, inline codes dropped', () => {
    const a = article([segment('Un.', 'One.'), segment('Deux.', 'Two.')]);
    const tmx = `<?xml version="1.0" encoding="UTF-8"?>
<tmx version="1.4">
<header creationtool="OmegaT" creationtoolversion="6.0.1" segtype="sentence" o-tmf="OmegaT TMX" adminlang="EN-US" srclang="FR-FR" datatype="plaintext"/>
<body>
<tu tuid="1">
  <tuv xml:lang="FR-FR"><seg>Deux.</seg></tuv>
  <tuv xml:lang="ES"><seg>Dos.</seg></tuv>
  <tuv xml:lang="EN-US"><seg><bpt i="1">&lt;b&gt;</bpt>Two<ept i="1">&lt;/b&gt;</ept> <hi type="x">indeed</hi>.</seg></tuv>
</tu>
<tu tuid="2.5">
  <tuv lang="fr-FR"><seg>Trois.</seg></tuv>
  <tuv lang="en-US"><seg>Three.</seg></tuv>
</tu>
</body>
</tmx>`;
    const doc = parseTmx(tmx, 'memory.tmx', { targetLang: 'en' });
    expect(doc.tool).toBe('OmegaT 6.0.1');
    expect(doc.units.map(({ namespace, id, source, target, srcLang, trgLang, line }) => ({ namespace, id, source, target, srcLang, trgLang, line }))).toEqual([
      { namespace: undefined, id: undefined, source: 'Deux.', target: 'Two indeed.', srcLang: 'FR-FR', trgLang: 'EN-US', line: 5 },
      { namespace: undefined, id: undefined, source: 'Trois.', target: 'Three.', srcLang: 'fr-FR', trgLang: 'en-US', line: 10 },
    ]);
    const plan = planImport(doc.units, [a], FR_EN);
    expect(plan.updates).toEqual([expect.objectContaining({ segmentId: a.segments[1]!.id, state: 'edited', text: 'Two indeed.', unitId: undefined, line: 5 })]);
    expect(plan.errors).toEqual([expect.objectContaining({ code: 'IMPORT_UNKNOWN_SOURCE', line: 10, message: 'the unit with source "Trois.": no segment of this job has this source text' })]);
    expect(plan.warnings).toEqual([expect.objectContaining({ code: 'IMPORT_INLINE_MARKUP', message: 'the unit with source "Deux.": inline codes (<bpt>, <ept>, <hi>) were dropped; only the text was kept' })]);
    // Without a target language, a unit with two candidates has no target.
    expect(parseTmx(tmx, 'memory.tmx').units[0]).toMatchObject({ target: undefined, trgLang: undefined, warnings: [{ code: 'IMPORT_LANGUAGE_AMBIGUOUS' }] });
  });

  test.for([
    { name: 'malformed XML', xml: '<tmx version="1.4">\n<header srclang="fr"/>\n<body><tu><tuv xml:lang="fr"><seg>a</tuv></tu></body></tmx>', line: 3, message: /malformed XML: <\/tuv> closes <seg>/ },
    { name: 'an XLIFF file', xml: '<xliff version="2.1"/>', line: 1, message: /not a TMX file/ },
    { name: 'an old version', xml: '<tmx version="1.0"><header/><body/></tmx>', line: 1, message: /TMX version "1\.0"/ },
    { name: 'no source-language <tuv>', xml: '<tmx version="1.4"><header srclang="fr"/><body>\n<tu tuid="a.s1"><tuv xml:lang="en"><seg>x</seg></tuv></tu></body></tmx>', line: 2, message: /<tu> "a\.s1" has no <tuv> in the source language fr/ },
  ])('TMX_INVALID: $name', ({ xml, line, message }) => {
    const e = catchError(() => parseTmx(xml, 'r.tmx')) as Error;
    expect(e).toMatchObject({ code: 'TMX_INVALID', place: { file: 'r.tmx', line } });
    expect(e.message).toMatch(message);
  });

  test('property: planImport(parseTmx(buildReviewTmx(x)), x) changes nothing', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: fc.constantFrom('<', '&', ']]>', '\u00a0', ' ', '\t', '\n', '\r', '\u0001', '\uD800', '😀', 'e\u0301', 'a') }));
    const seg = fc.record({ source: text, current: text, state: fc.constantFrom(...SEGMENT_STATES) });
    fc.assert(
      fc.property(fc.uniqueArray(seg, { minLength: 1, maxLength: 6, selector: (s) => comparableText(s.source) }), (list) => {
        const a = article(list.map((s, i) => ({ ...segment(s.source, s.current, s.state), id: `s${i}` })));
        const doc = parseTmx(buildReviewTmx(a, TMX_OPTS), 'p.tmx');
        expect(planImport(doc.units, [a], FR_EN)).toEqual({ updates: [], errors: [], warnings: [], unchanged: list.length, stale: 0, conflicts: 0 });
      }),
      { numRuns: 200 },
    );
  });
});

describe('a file that holds no reviewer work is not taken for one', () => {
  // This job's translation of S3 changed since the file was exported (a glossary fix, or another job).
  const NOW = article(JOB.segments.map((s) => (s.id === S3.id ? { ...s, target: 'He made these remarks at a press briefing in Germany on Friday.', current: 'He made these remarks at a press briefing in Germany on Friday.', machine: 'He made these remarks at a press briefing in Germany on Friday.' } : s)));

  test('XLIFF: an unedited unit whose machine text is not the job’s any more is stale, not an edit', () => {
    const plan = planImport(parseXliff(buildXliff([JOB], FR_EN), 'old.xlf').units, [NOW], FR_EN);
    expect(plan.updates).toEqual([]);
    expect(plan.stale).toBe(1);
    expect(plan.unchanged).toBe(4);
    expect(plan.warnings).toEqual([expect.objectContaining({ code: 'IMPORT_STALE', unitId: S3.id })]);
  });

  test('XLIFF: a unit a reviewer edited in the old file is still their edit', () => {
    const xml = buildXliff([JOB], FR_EN).replace(`<target>${S3.current}</target>`, '<target>He said this at a press briefing in Germany.</target>');
    const plan = planImport(parseXliff(xml, 'old.xlf').units, [NOW], FR_EN);
    expect(plan.updates).toEqual([expect.objectContaining({ segmentId: S3.id, state: 'edited', text: 'He said this at a press briefing in Germany.' })]);
    expect(plan.stale).toBe(0);
  });

  test('TMX: the machine text travels as x-relais-machine; a stale unit is refused like in XLIFF', () => {
    const xml = buildReviewTmx(JOB, TMX_OPTS);
    expect(xml).toContain(`<prop type="x-relais-machine">${S4.target}</prop>`);
    const plan = planImport(parseTmx(xml, 'old.tmx').units, [NOW], FR_EN);
    expect(plan).toMatchObject({ updates: [], stale: 1, unchanged: 4 });
  });

  test('TMX: re-importing an unedited export does not undo a later reviewer edit', () => {
    const before = buildReviewTmx(JOB, TMX_OPTS); // S3 unedited
    const edited = article(JOB.segments.map((s) => (s.id === S3.id ? { ...s, state: 'edited' as const, current: 'He spoke at a press briefing in Germany.' } : s)));
    const plan = planImport(parseTmx(before, 'before.tmx').units, [edited], FR_EN);
    expect(plan.updates).toEqual([]);
    expect(plan.warnings).toEqual([expect.objectContaining({ code: 'IMPORT_DECISION_KEPT', unitId: S3.id })]);
  });
});

describe('a file exported before a decision made in relais does not undo it', () => {
  // Exported while S3 was unreviewed; a reviewer then edited S3 on the review page.
  const LATER = article(JOB.segments.map((s) => (s.id === S3.id ? { ...s, state: 'edited' as const, current: 'He spoke at a press briefing in Germany.' } : s)));

  test.for(['xliff', 'tmx'] as const)('%s: the translator’s change to that unit is refused (IMPORT_CONFLICT), the others go in', (format) => {
    const exported = format === 'xliff' ? buildXliff([JOB], FR_EN) : buildReviewTmx(JOB, TMX_OPTS);
    let file = format === 'xliff'
      ? exported.replace(`<target>${S3.current}</target>`, '<target>He said this during a press briefing in Germany.</target>')
      : exported.replace(`<seg>${S3.current}</seg>`, '<seg>He said this during a press briefing in Germany.</seg>');
    file = file.replace(format === 'xliff' ? `<target>${S4.current}</target>` : `<seg>${S4.current}</seg>`, format === 'xliff' ? '<target>An edit of S4.</target>' : '<seg>An edit of S4.</seg>');
    const units = format === 'xliff' ? parseXliff(file, 'old.xlf').units : parseTmx(file, 'old.tmx').units;
    const plan = planImport(units, [LATER], FR_EN);
    expect(plan.conflicts).toBe(1);
    expect(plan.warnings).toEqual([expect.objectContaining({ code: 'IMPORT_CONFLICT', unitId: S3.id, message: expect.stringMatching(/changed in relais after this file was exported \(it is now edited: "He spoke at a press briefing in Germany\."\)/) })]);
    // S4 was not touched in relais since the export: the translator's edit goes in.
    expect(plan.updates).toEqual([expect.objectContaining({ segmentId: S4.id, state: 'edited', text: 'An edit of S4.' })]);
  });

  test('a file exported after that decision imports as before', () => {
    const file = buildXliff([LATER], FR_EN).replace('<target>He spoke at a press briefing in Germany.</target>', '<target>He said this during a press briefing in Germany.</target>');
    const plan = planImport(parseXliff(file, 'new.xlf').units, [LATER], FR_EN);
    expect(plan.conflicts).toBe(0);
    expect(plan.updates).toEqual([expect.objectContaining({ segmentId: S3.id, state: 'edited', text: 'He said this during a press briefing in Germany.' })]);
  });
});
