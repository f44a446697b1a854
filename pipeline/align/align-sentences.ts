/**
 * Sentence alignment of a text and its translation made elsewhere. Pure: sentences and evidence in,
 * beads out.
 *
 * A bead pairs a run of source sentences with a run of target sentences: 1-1, 1-2, 2-1, 2-2, 1-3, 3-1,
 * and 1-0 / 0-1 for a sentence the translation left out (an omission) or added (an addition). The
 * beads are found by dynamic programming (Gale & Church 1993) with a cost per bead that mixes what a
 * good aligner looks at:
 *
 *  - length: Gale & Church's cost, -log P(type) - log P(δ), with the ratio of target to source
 *    characters measured on the two texts instead of assumed;
 *  - content: how much of the source, translated by an engine, is found in the target (Bleualign's
 *    idea) — a Dice score over word stems weighted by rarity (idf) — together with cognates, words
 *    sharing their first four letters (Simard, Foster & Isabelle 1992: names, "Constitution"/
 *    "constitution"), which stand alone when no engine serves the pair. The score a bead must beat is
 *    the score of unrelated sentences of the same two texts (the noise floor), and each sentence of a
 *    merge must carry some of it, so that an omission does not hide inside a 2-1;
 *  - anchors: numbers read the way each language writes them (2,6 = 2.6; 1 234,5 = 1,234.5) and
 *    glossary names (the source form on one side, the target form on the other), whose mismatch counts
 *    against a pair; question and exclamation marks, quotes, colons and brackets; paragraph starts.
 *
 * Speed: the DP only looks at a band of target sentences around the diagonal of the two texts
 * (measured in characters, so a translation that splits every sentence in two keeps its diagonal),
 * a few dozen sentences wide. Where the best path comes near the edge of the band — a long passage
 * left out, a paragraph moved — the band is widened around those rows and the DP run again. The work
 * is proportional to the number of sentences times the band's width (`AlignStats.cells`): a novel of
 * 7,000 sentences aligns in about a second and a half of CPU once the engine has translated it.
 */
import type { Lang } from '../engines/engine.js';
import { buildMatcher, type TermMatcher } from '../glossary/match.js';
import { extractQuantities } from '../stages/translate/numbers.js';

/** `<source sentences>-<target sentences>`. */
export const BEAD_TYPES = ['1-1', '1-0', '0-1', '2-1', '1-2', '2-2', '3-1', '1-3'] as const;
export type BeadType = (typeof BEAD_TYPES)[number];

/**
 * `omission`: a source sentence with nothing in the target; `addition`: the reverse; `uncertain`: a
 * pairing the engine's translation does not support (no more in common than unrelated sentences, no
 * shared number or name), worth a look.
 */
export type BeadFlag = 'omission' | 'addition' | 'uncertain';

export interface Bead {
  type: BeadType;
  /** Indexes of the source sentences, consecutive, in order ([] for an addition). */
  source: number[];
  /** Indexes of the target sentences, consecutive, in order ([] for an omission). */
  target: number[];
  /**
   * How well the two sides match on content, 0–1: the Dice score of the translated source's word stems
   * (or of the cognates) against the target's, weighted by rarity. 0 for 1-0 and 0-1 beads.
   */
  score: number;
  /** The bead's cost in the DP (lower is better); comparable within one alignment only. */
  cost: number;
  flags: BeadFlag[];
}

/** A glossary name: any of `sourceForms` in a source sentence and any of `targetForms` in a target sentence anchor both. */
export interface AnchorTerm {
  id: string;
  sourceForms: readonly string[];
  targetForms: readonly string[];
}

/** The weights of the cost. The defaults were set on the gold sets of `npm run bench:align`. */
export interface AlignWeights {
  /** Prior probability of each bead type. @default Gale & Church's (1-1 .89, 2-1/1-2 .089, 2-2 .011, 1-0/0-1 .0099), split between the two directions; 3-1/1-3 .004 */
  priors: Record<BeadType, number>;
  /** Variance of the target length per source character (Gale & Church's s²). @default 6.8 */
  variance: number;
  /**
   * Added to the cost of leaving one sentence unaligned. Negative: the translations people bring to
   * `relais align` leave sentences out more often than Gale & Church's Hansard did. @default -1.5
   */
  nullCost: number;
  /** Weight of the content score (0–1) in the cost of a bead. @default 40 */
  similarity: number;
  /**
   * Content score, above the score of unrelated sentences (measured on each pair of texts: see
   * `noiseFloor`), that neither helps nor hurts a bead: above it a bead gets cheaper. @default 0.05
   */
  similarityBaseline: number;
  /** Added to the mass of both sides in the content score, so that a match of one or two words counts less. @default 6 */
  similaritySmoothing: number;
  /** Share of the translation's word stems in the content score when there is a translation; cognates have the rest. @default 0.6 */
  translationShare: number;
  /** Each sentence of a merge (2-1, 1-2…) should have at least this share of its content on the other side… @default 0.05 */
  memberCoverage: number;
  /** …or the bead costs this much per missing share (×1). @default 10 */
  memberPenalty: number;
  /** Reward per matched anchor weight (a number counts 2, a glossary name 3, punctuation 0.3–0.6). @default 1 */
  anchorMatch: number;
  /** Penalty per unmatched weight of numbers and names, on either side. @default 1 */
  anchorMismatch: number;
  /** Penalty per unmatched weight of punctuation, on either side. @default 0.25 */
  punctuationMismatch: number;
  /** Penalty for a bead that joins sentences across a paragraph break. @default 2 */
  paragraphCross: number;
  /** Reward for a bead that starts a paragraph on both sides. @default 1 */
  paragraphMatch: number;
  /**
   * A paired bead whose content score is no more than this above unrelated sentences' (the noise
   * floor), with no number or name in common, is flagged `uncertain`. Only with a translation. @default 0
   */
  uncertainMargin: number;
}

export const DEFAULT_WEIGHTS: Readonly<AlignWeights> = Object.freeze({
  priors: Object.freeze({ '1-1': 0.89, '1-0': 0.005, '0-1': 0.005, '2-1': 0.0445, '1-2': 0.0445, '2-2': 0.011, '3-1': 0.004, '1-3': 0.004 }),
  variance: 6.8,
  nullCost: -1.5,
  similarity: 40,
  similarityBaseline: 0.05,
  similaritySmoothing: 6,
  translationShare: 0.6,
  memberCoverage: 0.05,
  memberPenalty: 10,
  anchorMatch: 1,
  anchorMismatch: 1,
  punctuationMismatch: 0.25,
  paragraphCross: 2,
  paragraphMatch: 1,
  uncertainMargin: 0,
});

export interface BandOptions {
  /** Target sentences on each side of the diagonal in the first pass. @default 24 */
  initialHalfWidth: number;
  /** A path closer than this to the band's edge makes the band twice as wide around it. @default 3 */
  margin: number;
  /** Passes at most (each one widens the band where it was too narrow). @default 8 */
  maxPasses: number;
}

export const DEFAULT_BAND: Readonly<BandOptions> = Object.freeze({ initialHalfWidth: 24, margin: 3, maxPasses: 8 });

export interface AlignEvidence {
  sourceLang: Lang;
  targetLang: Lang;
  /**
   * The machine translation of each source sentence into the target language (same length as the
   * source). Without it, cognates stand in for content.
   */
  translations?: readonly string[];
  /** Glossary names to use as anchors. */
  terms?: readonly AnchorTerm[];
  /** `true` where a source sentence starts a paragraph. */
  sourceParagraphStarts?: readonly boolean[];
  /** `true` where a target sentence starts a paragraph. */
  targetParagraphStarts?: readonly boolean[];
  weights?: Partial<AlignWeights>;
  band?: Partial<BandOptions>;
  /** The bead types the DP may use. @default BEAD_TYPES */
  beadTypes?: readonly BeadType[];
}

export interface AlignStats {
  /** DP cells computed, over all passes: the measure of work (near-linear in the number of sentences). */
  cells: number;
  passes: number;
  /** Widest half-width of the band in the last pass. */
  maxHalfWidth: number;
  /** What the content score compared: the engine's translation with the target (and cognates), cognates only, or nothing (no shared words at all). */
  content: 'translation' | 'cognates' | 'none';
  /** Target characters per source character, as measured. */
  lengthRatio: number;
  /** The content score of sentences that are not translations of each other in these two texts (the noise floor). */
  floor: number;
}

/** Beads covering every source and target sentence once, in order. */
export function alignSentences(source: readonly string[], target: readonly string[], evidence: AlignEvidence): Bead[] {
  return alignSentencesWithStats(source, target, evidence).beads;
}

/** `alignSentences` with the measures of its work. */
export function alignSentencesWithStats(
  source: readonly string[],
  target: readonly string[],
  evidence: AlignEvidence,
): { beads: Bead[]; stats: AlignStats } {
  if (evidence.translations && evidence.translations.length !== source.length) {
    throw new RangeError(`alignSentences: ${evidence.translations.length} translations for ${source.length} source sentences`);
  }
  const weights: AlignWeights = { ...DEFAULT_WEIGHTS, ...evidence.weights, priors: { ...DEFAULT_WEIGHTS.priors, ...evidence.weights?.priors } };
  const band: BandOptions = { ...DEFAULT_BAND, ...evidence.band };
  const types = (evidence.beadTypes ?? BEAD_TYPES).filter((t, i, all) => all.indexOf(t) === i);
  if (!types.includes('1-0') || !types.includes('0-1') || !types.includes('1-1')) {
    throw new RangeError('alignSentences: beadTypes must include 1-1, 1-0 and 0-1');
  }
  const features = prepareFeatures(source, target, evidence, weights);
  const model = new CostModel(features, weights);
  const dp = runBandedDp(features, model, types, band);
  const beads = dp.path.map((step) => model.describe(step.i, step.j, step.a, step.b));
  return {
    beads,
    stats: {
      cells: dp.cells,
      passes: dp.passes,
      maxHalfWidth: dp.maxHalfWidth,
      content: features.hasTranslation ? 'translation' : features.content.length > 0 ? 'cognates' : 'none',
      lengthRatio: features.ratio,
      floor: model.floor,
    },
  };
}

/* ------------------------------------------------------------------ features */

/** Per sentence sparse vectors (sorted unique ids, summed weights) and the prefix sums of their mass. */
interface Vectors {
  ids: Int32Array[];
  weights: Float32Array[];
  mass: Float64Array;
  /** Overlap of each sentence with the next one of the same side (what a merge may count twice). */
  nextOverlap: Float64Array;
}

/** Something both sides are compared on: word stems of the translation, cognates, or anchors. */
interface Channel {
  source: Vectors;
  target: Vectors;
  /** Share of this channel in the content score (anchors: unused). */
  share: number;
}

interface Features {
  n: number;
  m: number;
  /** Prefix sums of sentence lengths (characters, whitespace runs counted once). */
  sourceLength: Float64Array;
  targetLength: Float64Array;
  /** Target characters per source character. */
  ratio: number;
  content: Channel[];
  /** Whether one of the content channels compares an engine's translation with the target. */
  hasTranslation: boolean;
  /** Numbers and glossary names: a mismatch is evidence against a pair. */
  anchors: Channel;
  /** Punctuation: weaker both ways. */
  marks: Channel;
  sourceParagraphStart: Uint8Array;
  targetParagraphStart: Uint8Array;
  hasParagraphs: boolean;
}

const WORD = /[\p{L}\p{N}]+/gu;
const DIGITS = /\p{N}/u;

/** Case- and accent-free form of a text: "Été" → "ete". */
function foldWord(word: string): string {
  return word.normalize('NFD').replace(/\p{M}/gu, '').toLowerCase();
}

/** Words of a translation compared with the target: every word's first five letters ("constitutional" meets "constitution"). */
function stemTokens(text: string): string[] {
  return [...foldWord(text).matchAll(WORD)].map((m) => m[0].slice(0, 5));
}

/**
 * Cognates of a source sentence and its translation (Simard, Foster & Isabelle 1992): words of four
 * letters or more, cut to four — names, "Constitution"/"constitution", "parlement"/"parliament".
 * Numbers are left to the anchors.
 */
function cognateTokens(text: string): string[] {
  const out: string[] = [];
  for (const m of foldWord(text).matchAll(WORD)) {
    const w = m[0];
    if (w.length >= 4 && !DIGITS.test(w)) out.push(w.slice(0, 4));
  }
  return out;
}

/** Punctuation that survives translation, with how much a match says. */
const PUNCTUATION_ANCHORS: ReadonlyArray<readonly [key: string, pattern: RegExp, weight: number]> = [
  ['?', /[?¿]/gu, 0.6],
  ['!', /[!¡]/gu, 0.4],
  ['quote', /[«»“”„"‹›]|``|''/gu, 0.3],
  [':', /:(?!\/\/)/gu, 0.3],
  ['(', /[([]/gu, 0.3],
];
const NUMBER_WEIGHT = 2;
const TERM_WEIGHT = 3;

function anchorTokens(text: string, lang: Lang, matcher: TermMatcher | undefined): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const value of extractQuantities(text, lang)) out.push([`N:${numberKey(value)}`, NUMBER_WEIGHT]);
  if (matcher) for (const o of matcher.find(text)) out.push([`T:${o.termId}`, TERM_WEIGHT]);
  return out;
}

function markTokens(text: string): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  for (const [key, pattern, weight] of PUNCTUATION_ANCHORS) {
    // Several quote marks in a sentence say about as much as one: count presence, not marks.
    const count = (text.match(pattern) ?? []).length;
    for (let k = 0; k < (key === 'quote' ? Math.min(1, count) : count); k++) out.push([`P:${key}`, weight]);
  }
  return out;
}

/** 2.6 and 2.60 are one number. */
function numberKey(value: number): string {
  return Number.isInteger(value) ? String(value) : String(Number(value.toPrecision(12)));
}

/** Token lists of both sides → a channel, each token weighted by its rarity over the sentences of both sides (idf). */
function tokenChannel(source: string[][], target: string[][], share: number): Channel {
  const df = new Map<string, number>();
  for (const list of [...source, ...target]) for (const tok of new Set(list)) df.set(tok, (df.get(tok) ?? 0) + 1);
  const total = Math.max(1, source.length + target.length);
  const ids = new Map<string, number>();
  const weighted = (list: string[]) => list.map((t) => [t, Math.log(1 + total / df.get(t)!)] as [string, number]);
  return {
    source: vectors(source.map(weighted), ids),
    target: vectors(target.map(weighted), ids),
    share,
  };
}

function vectors(sentences: Array<Array<[string, number]>>, ids: Map<string, number>): Vectors {
  const v: Vectors = { ids: [], weights: [], mass: new Float64Array(sentences.length + 1), nextOverlap: new Float64Array(sentences.length) };
  sentences.forEach((weighted, i) => {
    const acc = new Map<number, number>();
    for (const [t, w] of weighted) {
      let id = ids.get(t);
      if (id === undefined) ids.set(t, (id = ids.size));
      acc.set(id, (acc.get(id) ?? 0) + w);
    }
    const keys = [...acc.keys()].sort((a, b) => a - b);
    const weights = Float32Array.from(keys.map((k) => acc.get(k)!));
    v.ids.push(Int32Array.from(keys));
    v.weights.push(weights);
    v.mass[i + 1] = v.mass[i]! + sum(weights);
  });
  for (let i = 0; i + 1 < sentences.length; i++) v.nextOverlap[i] = overlap(v.ids[i]!, v.weights[i]!, v.ids[i + 1]!, v.weights[i + 1]!);
  return v;
}

function prefixLengths(texts: readonly string[]): Float64Array {
  const out = new Float64Array(texts.length + 1);
  texts.forEach((t, i) => (out[i + 1] = out[i]! + t.replace(/\s+/gu, ' ').trim().length));
  return out;
}

function prepareFeatures(source: readonly string[], target: readonly string[], evidence: AlignEvidence, weights: AlignWeights): Features {
  const content: Channel[] = [];
  const cognates = tokenChannel(source.map(cognateTokens), target.map(cognateTokens), 1);
  const translation = evidence.translations ? tokenChannel(evidence.translations.map(stemTokens), target.map(stemTokens), weights.translationShare) : undefined;
  if (translation) {
    content.push(translation);
    cognates.share = 1 - weights.translationShare;
  }
  content.push(cognates);
  const live = content.filter((c) => c.share > 0 && c.source.mass[source.length]! > 0 && c.target.mass[target.length]! > 0);
  const shares = live.reduce((s, c) => s + c.share, 0);
  for (const c of live) c.share /= shares;

  const matcher = (forms: (t: AnchorTerm) => readonly string[]) =>
    evidence.terms?.length ? buildMatcher(evidence.terms.map((t) => ({ id: t.id, forms: [...forms(t)] }))) : undefined;
  const sourceMatcher = matcher((t) => t.sourceForms);
  const targetMatcher = matcher((t) => t.targetForms);
  const anchorIds = new Map<string, number>();
  const anchors: Channel = {
    source: vectors(source.map((t) => anchorTokens(t, evidence.sourceLang, sourceMatcher)), anchorIds),
    target: vectors(target.map((t) => anchorTokens(t, evidence.targetLang, targetMatcher)), anchorIds),
    share: 0,
  };
  const markIds = new Map<string, number>();
  const marks: Channel = { source: vectors(source.map(markTokens), markIds), target: vectors(target.map(markTokens), markIds), share: 0 };

  const sourceLength = prefixLengths(source);
  const targetLength = prefixLengths(target);
  const sl = sourceLength[source.length]!;
  const tl = targetLength[target.length]!;
  return {
    n: source.length,
    m: target.length,
    sourceLength,
    targetLength,
    ratio: sl > 0 && tl > 0 ? tl / sl : 1,
    content: live,
    hasTranslation: translation !== undefined && live.includes(translation),
    anchors,
    marks,
    sourceParagraphStart: Uint8Array.from(source, (_, i) => (evidence.sourceParagraphStarts?.[i] ? 1 : 0)),
    targetParagraphStart: Uint8Array.from(target, (_, j) => (evidence.targetParagraphStarts?.[j] ? 1 : 0)),
    hasParagraphs: evidence.sourceParagraphStarts !== undefined && evidence.targetParagraphStarts !== undefined,
  };
}

function sum(a: Float32Array): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += a[i]!;
  return s;
}

/** Σ min(wa, wb) over the ids both sparse vectors hold. */
function overlap(aIds: Int32Array, aW: Float32Array, bIds: Int32Array, bW: Float32Array): number {
  let i = 0;
  let j = 0;
  let s = 0;
  while (i < aIds.length && j < bIds.length) {
    const x = aIds[i]!;
    const y = bIds[j]!;
    if (x === y) {
      s += Math.min(aW[i]!, bW[j]!);
      i++;
      j++;
    } else if (x < y) i++;
    else j++;
  }
  return s;
}

/* ------------------------------------------------------------------ cost */

/** ln erfc(x) for x ≥ 0 without underflow (Numerical Recipes' erfcc, relative error < 1.2e-7). */
function logErfc(x: number): number {
  const t = 1 / (1 + 0.5 * x);
  return (
    Math.log(t) -
    x * x -
    1.26551223 +
    t * (1.00002368 + t * (0.37409196 + t * (0.09678418 + t * (-0.18628806 + t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))))
  );
}

/**
 * The content score of sentences that are not translations of each other, in these two texts: the
 * mean score of pairs a few sentences off the diagonal. It is higher with an engine's translation
 * (function words meet) than with cognates, and higher for some texts than others, so the score a
 * bead must beat is measured rather than assumed (Vecalign normalises its similarities the same way).
 */
function noiseFloor(f: Features, w: AlignWeights): number {
  if (f.content.length === 0 || f.n === 0 || f.m === 0) return 0;
  const samples = Math.min(f.n, 400);
  let total = 0;
  let count = 0;
  for (let s = 0; s < samples; s++) {
    const x = Math.floor(((s + 0.5) * f.n) / samples);
    const diagonal = Math.round(((x + 0.5) * f.m) / f.n);
    for (const offset of [-9, -5, 5, 9]) {
      const y = diagonal + offset;
      if (y < 0 || y >= f.m) continue;
      let score = 0;
      for (const c of f.content) {
        const ma = c.source.mass[x + 1]! - c.source.mass[x]!;
        const mb = c.target.mass[y + 1]! - c.target.mass[y]!;
        if (ma + mb === 0) continue;
        score += (c.share * 2 * overlap(c.source.ids[x]!, c.source.weights[x]!, c.target.ids[y]!, c.target.weights[y]!)) / (ma + mb + w.similaritySmoothing);
      }
      total += score;
      count++;
    }
  }
  return count === 0 ? 0 : total / count;
}

/** The most sentences on one side of a bead (3-1, 1-3). */
const MAX_SIDE = 3;

class CostModel {
  private readonly f: Features;
  private readonly w: AlignWeights;
  /** -ln prior, indexed by a·4 + b. */
  private readonly logPrior: Float64Array;
  /**
   * Per sentence pair, computed once: the overlap in each content channel, the anchor overlap, and
   * how much of each side the pair covers (for the merge check). `stride` numbers per pair.
   */
  private readonly stride: number;
  private pairs: Float32Array = new Float32Array(0);
  /** The DP's band (see runBandedDp): pair (x, y) lives at offset[x] + y − lo[x] when lo[x] ≤ y ≤ hi[x]. */
  private lo: Int32Array = new Int32Array(0);
  private hi: Int32Array = new Int32Array(0);
  private offset: Int32Array = new Int32Array(0);
  /** Slot for a pair outside the band (recomputed each time). */
  private scratch = 0;
  /** Per-member coverage sums of the bead being costed. */
  private readonly memberSource = new Float64Array(MAX_SIDE);
  private readonly memberTarget = new Float64Array(MAX_SIDE);
  /** Per channel (content…, anchors, marks) × bead member: the member's summed pair overlaps. */
  private readonly sourceSums: Float64Array;
  private readonly targetSums: Float64Array;
  private readonly overlaps: Float64Array;
  /** Content channels, then anchors, then marks. */
  private readonly channels: Channel[];
  /** Score of a bead that neither helps nor hurts: the noise floor plus the weights' baseline. */
  readonly baseline: number;
  /** Mean content score of unrelated sentences. */
  readonly floor: number;
  /** Content score and matched anchor weight of the bead last costed (read by `describe`). */
  private lastScore = 0;
  private lastAnchors = 0;

  constructor(features: Features, weights: AlignWeights) {
    this.f = features;
    this.w = weights;
    this.logPrior = new Float64Array(16).fill(Infinity);
    for (const t of BEAD_TYPES) {
      const [a, b] = t.split('-').map(Number) as [number, number];
      this.logPrior[a * 4 + b] = -Math.log(Math.max(weights.priors[t], 1e-12));
    }
    this.stride = features.content.length + 4;
    this.channels = [...features.content, features.anchors, features.marks];
    this.floor = noiseFloor(features, weights);
    this.baseline = weights.similarityBaseline + this.floor;
    this.sourceSums = new Float64Array(this.channels.length * MAX_SIDE);
    this.targetSums = new Float64Array(this.channels.length * MAX_SIDE);
    this.overlaps = new Float64Array(this.channels.length);
  }

  /** Fresh pair cache for a DP pass over a band. */
  useBand(band: { lo: Int32Array; hi: Int32Array; offset: Int32Array; size: number }): void {
    this.lo = band.lo;
    this.hi = band.hi;
    this.offset = band.offset;
    this.scratch = band.size;
    this.pairs = new Float32Array((band.size + 1) * this.stride).fill(NaN);
  }

  describe(i: number, j: number, a: number, b: number): Bead {
    const cost = this.cost(i, j, a, b);
    const flags: BeadFlag[] = [];
    if (b === 0) flags.push('omission');
    if (a === 0) flags.push('addition');
    // Only with a translation: cognates alone are too often absent from a good pair to mean anything.
    if (a > 0 && b > 0 && this.f.hasTranslation && this.lastScore <= this.floor + this.w.uncertainMargin && this.lastAnchors === 0) flags.push('uncertain');
    return {
      type: `${a}-${b}` as BeadType,
      source: range(i, a),
      target: range(j, b),
      score: round(this.lastScore),
      cost: round(cost),
      flags,
    };
  }

  /** Cost of the bead of `a` source sentences from `i` and `b` target sentences from `j`. */
  cost(i: number, j: number, a: number, b: number): number {
    const f = this.f;
    const w = this.w;
    const prior = this.logPrior[a * 4 + b]!;
    this.lastScore = 0;
    this.lastAnchors = 0;
    if (a === 0 || b === 0) return prior + w.nullCost;

    let cost = prior + this.lengthCost(f.sourceLength[i + a]! - f.sourceLength[i]!, f.targetLength[j + b]! - f.targetLength[j]!);

    const channels = f.content.length;
    const all = this.channels.length;
    const overlaps = this.overlaps;
    const pairs = this.pairs;
    this.memberSource.fill(0);
    this.memberTarget.fill(0);
    if (a === 1 && b === 1) {
      const k = this.pair(i, j);
      for (let ch = 0; ch < all; ch++) overlaps[ch] = pairs[k + ch]!;
    } else {
      this.sourceSums.fill(0);
      this.targetSums.fill(0);
      for (let x = 0; x < a; x++) {
        for (let y = 0; y < b; y++) {
          const k = this.pair(i + x, j + y);
          for (let ch = 0; ch < all; ch++) {
            const v = pairs[k + ch]!;
            this.sourceSums[ch * MAX_SIDE + x] = this.sourceSums[ch * MAX_SIDE + x]! + v;
            this.targetSums[ch * MAX_SIDE + y] = this.targetSums[ch * MAX_SIDE + y]! + v;
          }
          this.memberSource[x] = this.memberSource[x]! + pairs[k + all]!;
          this.memberTarget[y] = this.memberTarget[y]! + pairs[k + all + 1]!;
        }
      }
      for (let ch = 0; ch < all; ch++) overlaps[ch] = this.mergedOverlap(this.channels[ch]!, ch, i, a, j, b);
    }
    const anchorOverlap = overlaps[channels]!;
    const markOverlap = overlaps[channels + 1]!;

    if (channels > 0) {
      let score = 0;
      for (let ch = 0; ch < channels; ch++) {
        const channel = f.content[ch]!;
        const ma = channel.source.mass[i + a]! - channel.source.mass[i]!;
        const mb = channel.target.mass[j + b]! - channel.target.mass[j]!;
        if (ma + mb === 0) continue;
        // The smoothing keeps a one-word sentence ("[Translation]") from looking like a perfect match.
        score += (channel.share * 2 * overlaps[ch]!) / (ma + mb + w.similaritySmoothing);
      }
      cost += w.similarity * (this.baseline - score);
      this.lastScore = score;
      // A merge must be supported by each of its sentences: a sentence with nothing in common with
      // the other side is an omission (or an addition) hiding inside a 2-1, not half of a 2-1.
      if (a > 1) for (let x = 0; x < a; x++) cost += w.memberPenalty * Math.max(0, w.memberCoverage - this.memberSource[x]!);
      if (b > 1) for (let y = 0; y < b; y++) cost += w.memberPenalty * Math.max(0, w.memberCoverage - this.memberTarget[y]!);
    }

    const aa = f.anchors.source.mass[i + a]! - f.anchors.source.mass[i]!;
    const ab = f.anchors.target.mass[j + b]! - f.anchors.target.mass[j]!;
    if (aa + ab > 0) {
      const matched = anchorOverlap;
      cost += -w.anchorMatch * matched + w.anchorMismatch * (aa + ab - 2 * matched);
      this.lastAnchors = matched;
    }
    const pa = f.marks.source.mass[i + a]! - f.marks.source.mass[i]!;
    const pb = f.marks.target.mass[j + b]! - f.marks.target.mass[j]!;
    if (pa + pb > 0) {
      const matched = markOverlap;
      cost += -w.anchorMatch * matched + w.punctuationMismatch * (pa + pb - 2 * matched);
    }

    if (f.hasParagraphs) {
      for (let x = i + 1; x < i + a; x++) if (f.sourceParagraphStart[x]) cost += w.paragraphCross;
      for (let y = j + 1; y < j + b; y++) if (f.targetParagraphStart[y]) cost += w.paragraphCross;
      if (f.sourceParagraphStart[i] && f.targetParagraphStart[j]) cost -= w.paragraphMatch;
    }
    return cost;
  }

  /** Gale & Church: -ln P(|δ|), δ = (lt − c·ls) / √(s²·mean), the mean of both lengths in source units. */
  private lengthCost(ls: number, lt: number): number {
    const c = this.f.ratio;
    const mean = (ls + lt / c) / 2;
    if (mean <= 0) return 0;
    const delta = Math.abs(lt - ls * c) / Math.sqrt(mean * this.w.variance);
    return -logErfc(delta / Math.SQRT2);
  }

  /**
   * Overlap of a merge, from the pairs: their sum counts twice a word that two neighbouring sentences
   * of a side share with the other side, so each neighbour pair takes off what it may have counted twice
   * (at most their own overlap, and at most either one's share). Then capped by both sides' mass.
   */
  private mergedOverlap(channel: Channel, ch: number, i: number, a: number, j: number, b: number): number {
    let sum = 0;
    for (let x = 0; x < a; x++) sum += this.sourceSums[ch * MAX_SIDE + x]!;
    let twice = 0;
    for (let x = 0; x + 1 < a; x++) {
      twice += Math.min(channel.source.nextOverlap[i + x]!, this.sourceSums[ch * MAX_SIDE + x]!, this.sourceSums[ch * MAX_SIDE + x + 1]!);
    }
    for (let y = 0; y + 1 < b; y++) {
      twice += Math.min(channel.target.nextOverlap[j + y]!, this.targetSums[ch * MAX_SIDE + y]!, this.targetSums[ch * MAX_SIDE + y + 1]!);
    }
    const ma = channel.source.mass[i + a]! - channel.source.mass[i]!;
    const mb = channel.target.mass[j + b]! - channel.target.mass[j]!;
    return Math.max(0, Math.min(sum - twice, ma, mb));
  }

  /** Index of pair (x, y)'s numbers in `pairs`, computing them on first use. */
  private pair(x: number, y: number): number {
    const inBand = y >= this.lo[x]! && y <= this.hi[x]!;
    const k = (inBand ? this.offset[x]! + y - this.lo[x]! : this.scratch) * this.stride;
    if (inBand && !Number.isNaN(this.pairs[k]!)) return k;
    const f = this.f;
    const channels = f.content.length;
    const half = this.w.similaritySmoothing / 2;
    let coverSource = 0;
    let coverTarget = 0;
    for (let ch = 0; ch < channels; ch++) {
      const { source, target, share } = f.content[ch]!;
      const ov = overlap(source.ids[x]!, source.weights[x]!, target.ids[y]!, target.weights[y]!);
      this.pairs[k + ch] = ov;
      coverSource += (share * ov) / (source.mass[x + 1]! - source.mass[x]! + half);
      coverTarget += (share * ov) / (target.mass[y + 1]! - target.mass[y]! + half);
    }
    const { anchors, marks } = f;
    this.pairs[k + channels] = overlap(anchors.source.ids[x]!, anchors.source.weights[x]!, anchors.target.ids[y]!, anchors.target.weights[y]!);
    this.pairs[k + channels + 1] = overlap(marks.source.ids[x]!, marks.source.weights[x]!, marks.target.ids[y]!, marks.target.weights[y]!);
    this.pairs[k + channels + 2] = coverSource;
    this.pairs[k + channels + 3] = coverTarget;
    return k;
  }
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => from + k);
}

function round(x: number): number {
  return Math.round(x * 1e4) / 1e4;
}

/* ------------------------------------------------------------------ banded DP */

interface Step {
  i: number;
  j: number;
  a: number;
  b: number;
}

/**
 * The DP over rows i = 0…n (source sentences consumed) and, in each row, the columns lo[i]…hi[i]
 * (target sentences consumed). Passes repeat with a wider band around the rows where the best path
 * came within `margin` of an edge that is not the edge of the texts.
 */
function runBandedDp(f: Features, model: CostModel, types: readonly BeadType[], opts: BandOptions): { path: Step[]; cells: number; passes: number; maxHalfWidth: number } {
  const n = f.n;
  const m = f.m;
  const shapeA = Int32Array.from(types, (t) => Number(t[0]));
  const shapeB = Int32Array.from(types, (t) => Number(t[2]));
  const center = diagonal(f);
  const halfWidth = new Float64Array(n + 1).fill(Math.max(1, opts.initialHalfWidth));
  const widest = Math.max(n, m) + 1;
  let cells = 0;

  for (let pass = 1; ; pass++) {
    const rows = bandRows(center, halfWidth, m);
    const { lo, hi, offset, size } = rows;
    cells += size;
    const cost = new Float64Array(size).fill(Infinity);
    const back = new Uint8Array(size);
    model.useBand(rows);

    for (let i = 0; i <= n; i++) {
      const rowLo = lo[i]!;
      for (let j = rowLo; j <= hi[i]!; j++) {
        const k = offset[i]! + j - rowLo;
        if (i === 0 && j === 0) {
          cost[k] = 0;
          continue;
        }
        let best = Infinity;
        let bestType = 0;
        for (let t = 0; t < shapeA.length; t++) {
          const a = shapeA[t]!;
          const b = shapeB[t]!;
          const pi = i - a;
          const pj = j - b;
          if (pi < 0 || pj < 0 || pj < lo[pi]! || pj > hi[pi]!) continue;
          const prev = cost[offset[pi]! + pj - lo[pi]!]!;
          if (prev === Infinity) continue;
          const c = prev + model.cost(pi, pj, a, b);
          if (c < best) {
            best = c;
            bestType = t;
          }
        }
        cost[k] = best;
        back[k] = bestType;
      }
    }

    const end = offset[n]! + m - lo[n]!;
    const path: Step[] = [];
    const touched: number[] = [];
    if (cost[end] !== Infinity) {
      for (let i = n, j = m; i > 0 || j > 0; ) {
        const t = back[offset[i]! + j - lo[i]!]!;
        const a = shapeA[t]!;
        const b = shapeB[t]!;
        if ((lo[i]! > 0 && j - lo[i]! < opts.margin) || (hi[i]! < m && hi[i]! - j < opts.margin)) touched.push(i);
        i -= a;
        j -= b;
        path.push({ i, j, a, b });
      }
      path.reverse();
    }
    const maxHalfWidth = Math.max(...halfWidth);
    const canWiden = pass < opts.maxPasses && maxHalfWidth < widest;
    if (cost[end] !== Infinity && (touched.length === 0 || !canWiden)) return { path, cells, passes: pass, maxHalfWidth };
    if (cost[end] === Infinity && !canWiden) {
      // Cannot happen with the connectivity kept by bandRows; kept as a guard against an endless loop.
      throw new Error('alignSentences: no path through the band');
    }
    widen(halfWidth, cost[end] === Infinity ? null : touched, widest);
  }
}

/**
 * For each source row, the target column on the diagonal of the two texts measured in characters:
 * row i sits where the target has covered the same share of its characters as the source has.
 */
function diagonal(f: Features): Float64Array {
  const n = f.n;
  const m = f.m;
  const S = f.sourceLength;
  const T = f.targetLength;
  const center = new Float64Array(n + 1);
  const sTotal = S[n]!;
  const tTotal = T[m]!;
  let j = 0;
  for (let i = 0; i <= n; i++) {
    if (sTotal === 0 || tTotal === 0) {
      center[i] = n === 0 ? m : Math.round((i * m) / n);
      continue;
    }
    const share = S[i]! / sTotal;
    while (j < m && T[j + 1]! / tTotal <= share) j++;
    // Between j and j+1: take the nearer one.
    center[i] = j < m && share - T[j]! / tTotal > T[j + 1]! / tTotal - share ? j + 1 : j;
  }
  center[n] = m;
  return center;
}

/** Band rows from centre ± half-width, kept connected: every row overlaps the one before it. */
function bandRows(center: Float64Array, halfWidth: Float64Array, m: number) {
  const n = center.length - 1;
  const lo = new Int32Array(n + 1);
  const hi = new Int32Array(n + 1);
  const offset = new Int32Array(n + 1);
  let size = 0;
  for (let i = 0; i <= n; i++) {
    const w = Math.ceil(halfWidth[i]!);
    let l = Math.max(0, center[i]! - w);
    let h = Math.min(m, center[i]! + w);
    if (i === 0) l = 0;
    if (i === n) h = m;
    if (i > 0) {
      // A path never goes left: columns before the previous row's start are unreachable. And a
      // row must start no later than the previous row ends, or no bead could join them.
      l = Math.min(Math.max(l, lo[i - 1]!), hi[i - 1]!);
      h = Math.max(h, l);
    }
    lo[i] = l;
    hi[i] = h;
    offset[i] = size;
    size += h - l + 1;
  }
  return { lo, hi, offset, size };
}

/** Twice the width around the touched rows (all rows when there is no path at all). */
function widen(halfWidth: Float64Array, touched: number[] | null, widest: number): void {
  if (touched === null) {
    for (let i = 0; i < halfWidth.length; i++) halfWidth[i] = Math.min(widest, halfWidth[i]! * 2);
    return;
  }
  const next = Float64Array.from(halfWidth);
  for (const row of touched) {
    const w = halfWidth[row]!;
    const reach = Math.ceil(4 * w);
    for (let i = Math.max(0, row - reach); i <= Math.min(halfWidth.length - 1, row + reach); i++) next[i] = Math.min(widest, Math.max(next[i]!, w * 2));
  }
  halfWidth.set(next);
}
