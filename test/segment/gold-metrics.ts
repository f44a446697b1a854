/**
 * The French segmentation gold set (test/fixtures/segment-gold/gold.jsonl) and how a segmenter is scored
 * on it. Shared by test/segment/gold.test.ts (relais only) and scripts/bench-segment.ts (relais next to
 * Intl.Segmenter, sentencex and sbd).
 *
 * A boundary is where a sentence other than the first starts, counted in non-whitespace characters from
 * the start of the paragraph. Whitespace does not count, so segmenters that keep, trim or collapse the
 * spaces between sentences are scored alike; a segmenter that changes any other character is reported
 * (`altered`) and its case cannot be an exact match.
 */
import { readFileSync } from 'node:fs';

export const GOLD_FILE = new URL('../fixtures/segment-gold/gold.jsonl', import.meta.url);

export interface GoldCase {
  id: string;
  /** Repository, path and commit (or issue address) the case comes from. */
  source: string;
  licence: string;
  paragraph: string;
  sentences: string[];
  note?: string;
}

export function readGoldCases(file: URL | string = GOLD_FILE): GoldCase[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line.trim() !== '')
    .map((line, i) => {
      const c = JSON.parse(line) as GoldCase;
      if (typeof c.id !== 'string' || typeof c.paragraph !== 'string' || !Array.isArray(c.sentences)) {
        throw new Error(`${String(file)}:${i + 1}: not a gold case (id, paragraph, sentences[])`);
      }
      return c;
    });
}

/** Which part of the set a case belongs to, from its id. */
export function goldGroup(c: GoldCase): 'published tests' | 'issue reports' | 'UD French-Sequoia' | 'UD held out' | 'relais news' {
  if (c.id.startsWith('ud-heldout-')) return 'UD held out';
  if (c.id.startsWith('ud-')) return 'UD French-Sequoia';
  if (c.id.startsWith('relais-')) return 'relais news';
  if (c.id.startsWith('issue-')) return 'issue reports';
  return 'published tests';
}

const WHITESPACE = /\s/u;

function nonWhitespace(text: string): string {
  return [...text].filter((ch) => !WHITESPACE.test(ch)).join('');
}

/** Boundaries of a segmentation, and whether its sentences hold exactly the paragraph's non-whitespace text. */
export function boundariesOf(paragraph: string, sentences: readonly string[]): { boundaries: number[]; altered: boolean } {
  const boundaries: number[] = [];
  let at = 0;
  sentences.forEach((s, i) => {
    const length = nonWhitespace(s).length;
    if (length === 0) return; // an empty or whitespace-only "sentence" adds no boundary
    if (i > 0 && at > 0) boundaries.push(at);
    at += length;
  });
  return { boundaries: [...new Set(boundaries)], altered: nonWhitespace(sentences.join('')) !== nonWhitespace(paragraph) };
}

export interface CaseResult {
  id: string;
  exact: boolean;
  altered: boolean;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  expected: string[];
  got: string[];
}

export interface Score {
  cases: number;
  exact: number;
  /** Paragraphs segmented exactly like the gold, in [0, 1]. */
  exactRate: number;
  goldBoundaries: number;
  truePositives: number;
  falsePositives: number;
  falseNegatives: number;
  precision: number;
  recall: number;
  f1: number;
  /** Cases where the segmenter changed non-whitespace text. */
  altered: number;
  results: CaseResult[];
}

export type Segment = (paragraph: string) => readonly string[];

/** Micro-averaged boundary precision/recall/F1 and the exact-match rate of `segment` on `cases`. */
export function scoreSegmenter(cases: readonly GoldCase[], segment: Segment): Score {
  const results = cases.map((c): CaseResult => {
    const got = [...segment(c.paragraph)];
    const gold = boundariesOf(c.paragraph, c.sentences);
    const predicted = boundariesOf(c.paragraph, got);
    const goldSet = new Set(gold.boundaries);
    const truePositives = predicted.boundaries.filter((b) => goldSet.has(b)).length;
    const falsePositives = predicted.boundaries.length - truePositives;
    const falseNegatives = gold.boundaries.length - truePositives;
    return {
      id: c.id,
      exact: !predicted.altered && falsePositives === 0 && falseNegatives === 0,
      altered: predicted.altered,
      truePositives,
      falsePositives,
      falseNegatives,
      expected: c.sentences,
      got: got.map((s) => s.trim()).filter((s) => s !== ''),
    };
  });
  const sum = (key: 'truePositives' | 'falsePositives' | 'falseNegatives') => results.reduce((n, r) => n + r[key], 0);
  const truePositives = sum('truePositives');
  const falsePositives = sum('falsePositives');
  const falseNegatives = sum('falseNegatives');
  const precision = truePositives + falsePositives === 0 ? 1 : truePositives / (truePositives + falsePositives);
  const recall = truePositives + falseNegatives === 0 ? 1 : truePositives / (truePositives + falseNegatives);
  const exact = results.filter((r) => r.exact).length;
  return {
    cases: results.length,
    exact,
    exactRate: results.length === 0 ? 1 : exact / results.length,
    goldBoundaries: truePositives + falseNegatives,
    truePositives,
    falsePositives,
    falseNegatives,
    precision,
    recall,
    f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall),
    altered: results.filter((r) => r.altered).length,
    results,
  };
}
