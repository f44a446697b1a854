/**
 * `npm run bench:segment`: French sentence segmentation measured on the gold set of
 * test/fixtures/segment-gold/ (published test cases, issue reports, UD French-Sequoia news paragraphs,
 * relais news cases — see its README), for relais's segmenter next to three others, in one run:
 *
 *   relais            segmentSentences() with pipeline/stages/segment/rules/fr.json
 *   Intl.Segmenter    new Intl.Segmenter('fr', { granularity: 'sentence' }) of this Node (ICU)
 *   sentencex         segment('fr', text) of the sentencex npm package, 0.4.2 (Wikimedia; the JavaScript
 *                     implementation: 1.x wraps Rust binaries whose lock entries break `npm ci`)
 *   sbd               sentences(text, { newline_boundaries: true }) of the sbd npm package
 *
 * sbd gets newline_boundaries because the gold set's paragraphs keep a line break between list items
 * and headline lines, and relais and Intl.Segmenter break there too; otherwise every tool runs as
 * shipped. Scores: the exact-match rate (the paragraph segmented exactly like the gold) and micro-averaged
 * boundary precision, recall and F1 (test/segment/gold-metrics.ts).
 *
 *   npm run bench:segment
 *   npm run bench:segment -- --json bench-segment.json   also write every number as JSON
 *   npm run bench:segment -- --failures relais           list the cases a segmenter gets wrong
 */
import { createRequire } from 'node:module';
import { writeFileSync } from 'node:fs';
import { segmentSentences } from '../pipeline/stages/segment/segment-text.js';
import { goldGroup, readGoldCases, scoreSegmenter, type GoldCase, type Score, type Segment } from '../test/segment/gold-metrics.js';

const require = createRequire(import.meta.url);
const sentencex = require('sentencex') as (language: string, text: string) => string[];
const sbd = require('sbd') as { sentences: (text: string, options?: Record<string, unknown>) => string[] };

const intl = new Intl.Segmenter('fr', { granularity: 'sentence' });

const SEGMENTERS: Array<{ name: string; segment: Segment }> = [
  { name: 'relais', segment: (p) => segmentSentences(p).map((s) => s.text) },
  { name: 'Intl.Segmenter', segment: (p) => [...intl.segment(p)].map((s) => s.segment) },
  { name: 'sentencex', segment: (p) => sentencex('fr', p) },
  { name: 'sbd', segment: (p) => sbd.sentences(p, { newline_boundaries: true }) },
];

const pct = (x: number) => `${(100 * x).toFixed(1)} %`;

function table(head: string[], rows: string[][]): string {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  return [line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n');
}

function valueOf(args: string[], flag: string): string | undefined {
  const at = args.indexOf(flag);
  if (at < 0) return undefined;
  const value = args[at + 1];
  if (value === undefined || value.startsWith('--')) throw new Error(`${flag} needs a value`);
  return value;
}

function main(): void {
  const args = process.argv.slice(2);
  const jsonFile = valueOf(args, '--json');
  const failuresOf = valueOf(args, '--failures');
  if (failuresOf !== undefined && !SEGMENTERS.some((s) => s.name === failuresOf)) {
    throw new Error(`--failures ${failuresOf}: no such segmenter (${SEGMENTERS.map((s) => s.name).join(', ')})`);
  }

  const cases = readGoldCases();
  const groups = [...new Set(cases.map(goldGroup))];
  const sentences = cases.reduce((n, c) => n + c.sentences.length, 0);
  console.log(`French sentence segmentation — gold set: ${cases.length} paragraphs, ${sentences} sentences, ${sentences - cases.length} boundaries`);
  console.log(groups.map((g) => `${g} ${cases.filter((c) => goldGroup(c) === g).length}`).join(' · '));
  console.log();

  const scores = SEGMENTERS.map((s) => ({ name: s.name, score: scoreSegmenter(cases, s.segment), byGroup: scoreByGroup(cases, s.segment, groups) }));

  console.log(
    table(
      ['segmenter', 'exact match', 'precision', 'recall', 'F1', 'boundaries found', 'false splits', 'text altered'],
      scores.map(({ name, score }) => [
        name,
        `${pct(score.exactRate)} (${score.exact}/${score.cases})`,
        pct(score.precision),
        pct(score.recall),
        pct(score.f1),
        `${score.truePositives}/${score.goldBoundaries}`,
        String(score.falsePositives),
        String(score.altered),
      ]),
    ),
  );
  console.log();
  console.log('exact match / boundary F1 by part of the set');
  console.log(
    table(
      ['segmenter', ...groups],
      scores.map(({ name, byGroup }) => [name, ...groups.map((g) => `${pct(byGroup[g]!.exactRate)} / ${pct(byGroup[g]!.f1)}`)]),
    ),
  );

  if (failuresOf !== undefined) {
    const { score } = scores.find((s) => s.name === failuresOf)!;
    const wrong = score.results.filter((r) => !r.exact);
    console.log(`\n${failuresOf}: ${wrong.length} paragraphs not segmented like the gold`);
    for (const r of wrong) {
      console.log(`\n${r.id} (${r.falsePositives} false, ${r.falseNegatives} missed${r.altered ? ', text altered' : ''})`);
      console.log(`  gold: ${JSON.stringify(r.expected)}`);
      console.log(`  got:  ${JSON.stringify(r.got)}`);
    }
  }

  if (jsonFile !== undefined) {
    const strip = (s: Score) => ({ ...s, results: undefined });
    const out = {
      date: new Date().toISOString(),
      node: process.version,
      gold: { paragraphs: cases.length, sentences, groups: Object.fromEntries(groups.map((g) => [g, cases.filter((c) => goldGroup(c) === g).length])) },
      segmenters: scores.map(({ name, score, byGroup }) => ({
        name,
        ...strip(score),
        byGroup: Object.fromEntries(Object.entries(byGroup).map(([g, s]) => [g, strip(s)])),
        failures: score.results.filter((r) => !r.exact).map((r) => r.id),
      })),
    };
    writeFileSync(jsonFile, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`\nwritten: ${jsonFile}`);
  }
}

function scoreByGroup(cases: GoldCase[], segment: Segment, groups: string[]): Record<string, Score> {
  return Object.fromEntries(groups.map((g) => [g, scoreSegmenter(cases.filter((c) => goldGroup(c) === g), segment)]));
}

main();
