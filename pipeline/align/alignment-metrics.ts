/**
 * Scoring a sentence alignment against a gold one, and making harder test variants of a gold set.
 * Pure. Used by `npm run bench:align` and by the floor tests.
 *
 * Gold files use the format of Bleualign's and Vecalign's evaluation sets: one bead per line,
 * `[source indexes]:[target indexes]`, e.g. `[3, 4]:[5]` or `[7]:[]`.
 */
import { seededRandom } from '../seeded-random.js';

/** A bead as a gold file or an aligner gives it: which source and target sentences go together. */
export interface AlignmentBead {
  source: readonly number[];
  target: readonly number[];
}

export interface PrecisionRecall {
  precision: number;
  recall: number;
  f1: number;
  /** Items in both, in the test alignment, in the gold alignment. */
  correct: number;
  test: number;
  gold: number;
}

export interface UnalignedScore {
  /** Sentences the gold leaves unaligned (1-0 for omissions, 0-1 for additions). */
  gold: number;
  /** Sentences the aligner leaves unaligned. */
  found: number;
  /** Found and in the gold. */
  correct: number;
}

export interface AlignmentScores {
  /** Beads that are exactly a gold bead (same source and same target sentences), 1-0 and 0-1 included. */
  beads: PrecisionRecall;
  /** Sentence pairs (i, j) linked by a bead, over the beads that have both sides. */
  links: PrecisionRecall;
  omissions: UnalignedScore;
  additions: UnalignedScore;
}

const LINE = /^\s*\[([\d,\s]*)\]\s*:\s*\[([\d,\s]*)\]\s*$/u;

/** Parses a gold file; blank lines are skipped, anything else that is not a bead throws with its line. */
export function parseGoldAlignment(text: string): AlignmentBead[] {
  const out: AlignmentBead[] = [];
  text.split(/\r?\n/u).forEach((line, n) => {
    if (line.trim() === '') return;
    const m = LINE.exec(line);
    if (!m) throw new SyntaxError(`line ${n + 1}: not a bead "[i, …]:[j, …]": ${line}`);
    const list = (s: string) => s.split(',').map((x) => x.trim()).filter(Boolean).map(Number);
    out.push({ source: list(m[1]!), target: list(m[2]!) });
  });
  return out;
}

export function formatGoldAlignment(beads: readonly AlignmentBead[]): string {
  return beads.map((b) => `[${b.source.join(', ')}]:[${b.target.join(', ')}]\n`).join('');
}

function prf(correct: number, test: number, gold: number): PrecisionRecall {
  const precision = test === 0 ? 0 : correct / test;
  const recall = gold === 0 ? 0 : correct / gold;
  return { precision, recall, f1: precision + recall === 0 ? 0 : (2 * precision * recall) / (precision + recall), correct, test, gold };
}

const beadKey = (b: AlignmentBead) => `${b.source.join(',')}:${b.target.join(',')}`;

function links(beads: readonly AlignmentBead[]): Set<string> {
  const out = new Set<string>();
  for (const b of beads) for (const i of b.source) for (const j of b.target) out.add(`${i}:${j}`);
  return out;
}

function unaligned(beads: readonly AlignmentBead[], side: 'source' | 'target'): Set<number> {
  const other = side === 'source' ? 'target' : 'source';
  return new Set(beads.filter((b) => b[other].length === 0).flatMap((b) => b[side]));
}

export function scoreAlignment(test: readonly AlignmentBead[], gold: readonly AlignmentBead[]): AlignmentScores {
  const goldBeads = new Set(gold.map(beadKey));
  const testBeads = new Set(test.map(beadKey));
  const beadHits = [...testBeads].filter((k) => goldBeads.has(k)).length;
  const goldLinks = links(gold);
  const testLinks = links(test);
  const linkHits = [...testLinks].filter((k) => goldLinks.has(k)).length;
  const side = (s: 'source' | 'target'): UnalignedScore => {
    const g = unaligned(gold, s);
    const t = unaligned(test, s);
    return { gold: g.size, found: t.size, correct: [...t].filter((x) => g.has(x)).length };
  };
  return {
    beads: prf(beadHits, testBeads.size, goldBeads.size),
    links: prf(linkHits, testLinks.size, goldLinks.size),
    omissions: side('source'),
    additions: side('target'),
  };
}

/* ------------------------------------------------------------------ harder variants */

export interface HarderVariantOptions {
  /** Target sentences to delete (each had exactly one source partner: the gold gets a 1-0 omission). */
  deletions: number;
  /** Pairs of neighbouring target sentences to merge into one (each in its own 1-1 bead: the gold gets a 2-1). */
  merges: number;
  /** Seed of the choice, so a variant is the same on every run. */
  seed: number;
}

export interface HarderVariant {
  target: string[];
  gold: AlignmentBead[];
  /** Original indexes of the deleted target sentences. */
  deleted: number[];
  /** Original index of the first sentence of each merged pair. */
  merged: number[];
}

/**
 * The gold set made harder the way real translations are: a few target sentences deleted (the source
 * sentence becomes an omission) and a few neighbours merged into one sentence (a 1-1 + 1-1 becomes a
 * 2-1). Only sentences in clean 1-1 beads are touched, so the new gold is exact. `gold` must be in
 * text order.
 */
export function makeHarderVariant(target: readonly string[], gold: readonly AlignmentBead[], opts: HarderVariantOptions): HarderVariant {
  const random = seededRandom(opts.seed);
  const oneToOne = gold.map((b, k) => ({ b, k })).filter(({ b }) => b.source.length === 1 && b.target.length === 1);
  const used = new Set<number>();
  const pick = <T>(list: T[]): T | undefined => (list.length === 0 ? undefined : list[Math.floor(random() * list.length)]);

  // Merges: two consecutive gold beads, both 1-1, with consecutive target sentences.
  const mergeAt: number[] = [];
  const mergeCandidates = oneToOne.filter(({ b, k }) => {
    const next = gold[k + 1];
    return next !== undefined && next.source.length === 1 && next.target.length === 1 && next.target[0] === b.target[0]! + 1 && next.source[0] === b.source[0]! + 1;
  });
  for (let n = 0; n < opts.merges; n++) {
    const c = pick(mergeCandidates.filter(({ k }) => !used.has(k) && !used.has(k + 1) && !used.has(k - 1) && !used.has(k + 2)));
    if (!c) break;
    used.add(c.k).add(c.k + 1);
    mergeAt.push(c.k);
  }
  const deleteAt: number[] = [];
  for (let n = 0; n < opts.deletions; n++) {
    const c = pick(oneToOne.filter(({ k }) => !used.has(k) && !used.has(k - 1) && !used.has(k + 1)));
    if (!c) break;
    used.add(c.k);
    deleteAt.push(c.k);
  }

  const deletedTargets = new Set(deleteAt.map((k) => gold[k]!.target[0]!));
  const mergedFirst = new Set(mergeAt.map((k) => gold[k]!.target[0]!));
  // Old target index → new index (merged second sentences map onto the first).
  const newIndex = new Map<number, number>();
  const newTarget: string[] = [];
  for (let j = 0; j < target.length; j++) {
    if (deletedTargets.has(j)) continue;
    if (mergedFirst.has(j - 1)) {
      newIndex.set(j, newTarget.length - 1);
      newTarget[newTarget.length - 1] = `${newTarget[newTarget.length - 1]} ${target[j]}`;
      continue;
    }
    newIndex.set(j, newTarget.length);
    newTarget.push(target[j]!);
  }
  const newGold: AlignmentBead[] = [];
  for (let k = 0; k < gold.length; k++) {
    const b = gold[k]!;
    if (deleteAt.includes(k)) {
      newGold.push({ source: [...b.source], target: [] });
    } else if (mergeAt.includes(k)) {
      const next = gold[k + 1]!;
      newGold.push({ source: [...b.source, ...next.source], target: [newIndex.get(b.target[0]!)!] });
      k++;
    } else {
      newGold.push({ source: [...b.source], target: [...new Set(b.target.map((j) => newIndex.get(j)!))] });
    }
  }
  return { target: newTarget, gold: newGold, deleted: [...deletedTargets].sort((a, b) => a - b), merged: [...mergedFirst].sort((a, b) => a - b) };
}
