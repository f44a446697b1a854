/**
 * relais's French segmenter on the gold set of test/fixtures/segment-gold/ (published test cases, issue
 * reports, UD French-Sequoia news paragraphs, relais news cases; sources and licences in its README).
 * The floors sit just under what `npm run bench:segment` measured when the rules were last changed
 * (exact match 286/289 = 99.0 %, boundary precision 100 %, recall 98.9 %, F1 99.4 %): a rule change
 * that costs more than a couple of paragraphs fails here, with the paragraphs it broke.
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, test } from 'vitest';
import { segmentSentences } from '../../pipeline/stages/segment/segment-text.js';
import { boundariesOf, goldGroup, readGoldCases, scoreSegmenter } from './gold-metrics.js';

const cases = readGoldCases();
const relais = (paragraph: string) => segmentSentences(paragraph).map((s) => s.text);
const score = scoreSegmenter(cases, relais);
const failures = score.results.filter((r) => !r.exact);
const describeFailures = () => failures.map((r) => `${r.id}\n  gold: ${JSON.stringify(r.expected)}\n  got:  ${JSON.stringify(r.got)}`).join('\n');

describe('the gold set', () => {
  test('is what its sources build (node test/fixtures/segment-gold/build-gold.mjs --check)', () => {
    const script = fileURLToPath(new URL('../fixtures/segment-gold/build-gold.mjs', import.meta.url));
    const r = spawnSync(process.execPath, [script, '--check'], { encoding: 'utf8' });
    expect(r.stderr).toBe('');
    expect(r.status).toBe(0);
  });

  test('has every part, a source and a licence for each case, and unique ids', () => {
    expect(cases.length).toBeGreaterThanOrEqual(280);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
    const groups = new Map<string, number>();
    for (const c of cases) groups.set(goldGroup(c), (groups.get(goldGroup(c)) ?? 0) + 1);
    expect([...groups.keys()].sort()).toEqual(['UD French-Sequoia', 'UD held out', 'issue reports', 'published tests', 'relais news']);
    for (const c of cases) {
      expect(c.source.trim(), c.id).not.toBe('');
      expect(c.licence.trim(), c.id).not.toBe('');
    }
  });

  test('each case: its sentences are its paragraph, in order, with only whitespace between', () => {
    for (const c of cases) {
      expect(boundariesOf(c.paragraph, c.sentences).altered, c.id).toBe(false);
      let at = 0;
      for (const s of c.sentences) {
        const found = c.paragraph.indexOf(s, at);
        expect(found, `${c.id}: ${s}`).toBeGreaterThanOrEqual(0);
        expect(c.paragraph.slice(at, found).trim(), c.id).toBe('');
        at = found + s.length;
      }
      expect(c.paragraph.slice(at).trim(), c.id).toBe('');
    }
  });

  test('scoring: a perfect, an over-splitting and an under-splitting segmenter', () => {
    const perfect = scoreSegmenter(cases, (p) => cases.find((c) => c.paragraph === p)!.sentences);
    expect(perfect).toMatchObject({ exactRate: 1, precision: 1, recall: 1, f1: 1, altered: 0 });
    const nothing = scoreSegmenter(cases, (p) => [p]);
    expect(nothing.recall).toBe(0);
    expect(nothing.falsePositives).toBe(0);
    expect(nothing.exact).toBe(cases.filter((c) => c.sentences.length === 1).length);
    const everyCharacter = scoreSegmenter(cases, (p) => [...p]);
    expect(everyCharacter.recall).toBe(1);
    expect(everyCharacter.precision).toBeLessThan(0.01);
    expect(everyCharacter.altered).toBe(0);
    const altered = scoreSegmenter(cases.slice(0, 1), (p) => [p.toUpperCase() === p ? `${p}x` : p.toUpperCase()]);
    expect(altered.altered).toBe(1);
    expect(altered.exact).toBe(0);
  });
});

describe('relais on the gold set', () => {
  test('exact match ≥ 98 % of paragraphs', () => {
    expect(score.exactRate, describeFailures()).toBeGreaterThanOrEqual(0.98);
  });

  test('boundary precision ≥ 99 %, recall ≥ 98 %, F1 ≥ 99 %', () => {
    expect(score.precision, describeFailures()).toBeGreaterThanOrEqual(0.99);
    expect(score.recall, describeFailures()).toBeGreaterThanOrEqual(0.98);
    expect(score.f1, describeFailures()).toBeGreaterThanOrEqual(0.99);
  });

  test('never changes the text', () => {
    expect(score.altered).toBe(0);
  });

  test('the held-out UD paragraphs (not used to write the rules) are all exact', () => {
    const heldOut = scoreSegmenter(cases.filter((c) => goldGroup(c) === 'UD held out'), relais);
    expect(heldOut.cases).toBeGreaterThanOrEqual(20);
    expect(heldOut.exactRate, describeFailures()).toBe(1);
  });

  test('every paragraph it gets wrong is a documented conflict with a relais rule', () => {
    const byId = new Map(cases.map((c) => [c.id, c]));
    for (const r of failures) expect(byId.get(r.id)!.note ?? '', `${r.id} is not documented as a conflict:\n${describeFailures()}`).toMatch(/conflicts with the relais rule/);
  });
});
