/**
 * `npm run bench:align`: relais' sentence aligner (pipeline/align/) against a plain length-based
 * Gale–Church aligner implemented here, on public parallel texts with gold sentence alignments
 * (test/fixtures/align-gold/, see its README) and on harder variants of each (a few target sentences
 * deleted, a few merged), then the time and DP cells on a book-length pair.
 *
 *   npm run bench:align                       everything (about a minute on 2 cores)
 *   npm run bench:align -- --only gold        one section: gold | book
 *   npm run bench:align -- --book-apertium    also the book through Apertium fr→en, then aligned (a minute or two more)
 *   npm run bench:align -- --json out.json    the numbers as JSON too
 *
 * Metrics (pipeline/align/alignment-metrics.ts): beads F1 — a bead counts when it is exactly a gold bead
 * (same source and target sentences; 1-0 and 0-1 beads included); pair-link F1 — over the sentence pairs
 * (i, j) the beads link; omissions and additions — source (target) sentences left unaligned: how many
 * of the gold's were found, and how many were found that the gold does not have.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { alignSentencesWithStats } from '../pipeline/align/align-sentences.js';
import { makeHarderVariant, parseGoldAlignment, scoreAlignment, type AlignmentBead, type AlignmentScores } from '../pipeline/align/alignment-metrics.js';
import { ApertiumEngine } from '../pipeline/engines/apertium.js';
import { splitParagraphs, segmentSentences } from '../pipeline/stages/segment/segment-text.js';

const ROOT = join(import.meta.dirname, '..');
const GOLD_DIR = join(ROOT, 'test/fixtures/align-gold');
/** Daudet, *Le Petit Chose* (ELTeC, committed: test/fixtures/corpus/README.md): 5,503 sentences. */
const BOOK = join(ROOT, 'test/fixtures/corpus/eltec-daudet-le-petit-chose.txt');
/** Used only if the book is missing (a checkout without the ELTeC fixtures). */
const BOOK_FALLBACK = join(ROOT, 'test/fixtures/corpus/wikinews-1000.txt');

/** The gold sets: source is French, one sentence per line; `<name>.fr-<lang>.gold` holds the beads. */
export const GOLD_SETS = [
  { name: 'baf-hansard', lang: 'en', what: 'BAF, Canadian Hansard (debates)' },
  { name: 'baf-verne', lang: 'en', what: 'BAF, Verne, De la Terre à la Lune (novel)' },
  { name: 'textberg-kingspitz', lang: 'de', what: 'Text+Berg, SAC yearbook 1989 (Bleualign test set)' },
] as const;

/** Sentences deleted and pairs merged in a harder variant: 5 % of the target each, at least 2. */
export function harderVariantOf(target: readonly string[], gold: readonly AlignmentBead[]) {
  const k = Math.max(2, Math.round(target.length * 0.05));
  return makeHarderVariant(target, gold, { deletions: k, merges: k, seed: 7 });
}

export function readGoldSet(name: string, lang: string): { source: string[]; target: string[]; gold: AlignmentBead[] } {
  const lines = (file: string) => readFileSync(join(GOLD_DIR, file), 'utf8').replace(/\n$/u, '').split('\n');
  return { source: lines(`${name}.fr.txt`), target: lines(`${name}.${lang}.txt`), gold: parseGoldAlignment(readFileSync(join(GOLD_DIR, `${name}.fr-${lang}.gold`), 'utf8')) };
}

/* ------------------------------------------------------------------ baseline */

/**
 * Gale & Church (1993), as in the paper's align.c: cost = −100·ln P(|δ|) per bead, δ = (c·l1 − l2) /
 * √(s²·(l1 + l2/c)/2) with c = 1 and s² = 6.8, plus fixed penalties for the bead types (2-1/1-2: 230,
 * 1-0/0-1: 450, 2-2: 440); lengths in characters; full DP over every cell.
 */
export function galeChurch(source: readonly string[], target: readonly string[]): { beads: AlignmentBead[]; cells: number } {
  const ls = source.map((s) => s.length);
  const lt = target.map((s) => s.length);
  const n = ls.length;
  const m = lt.length;
  const match = (l1: number, l2: number) => {
    if (l1 === 0 && l2 === 0) return 0;
    const mean = (l1 + l2) / 2;
    const z = Math.abs(l1 - l2) / Math.sqrt(6.8 * mean);
    const pd = 2 * (1 - pnorm(z));
    return pd > 0 ? -100 * Math.log(pd) : 1e6;
  };
  const moves: Array<[number, number, number]> = [[1, 1, 0], [1, 0, 450], [0, 1, 450], [2, 1, 230], [1, 2, 230], [2, 2, 440]];
  const cost = new Float64Array((n + 1) * (m + 1)).fill(Infinity);
  const back = new Uint8Array((n + 1) * (m + 1));
  cost[0] = 0;
  for (let i = 0; i <= n; i++) {
    for (let j = 0; j <= m; j++) {
      if (i === 0 && j === 0) continue;
      let best = Infinity;
      let arg = 0;
      moves.forEach(([a, b, penalty], t) => {
        if (i < a || j < b) return;
        const prev = cost[(i - a) * (m + 1) + (j - b)]!;
        if (prev === Infinity) return;
        let l1 = 0;
        let l2 = 0;
        for (let x = i - a; x < i; x++) l1 += ls[x]!;
        for (let y = j - b; y < j; y++) l2 += lt[y]!;
        const c = prev + match(l1, l2) + penalty;
        if (c < best) {
          best = c;
          arg = t;
        }
      });
      cost[i * (m + 1) + j] = best;
      back[i * (m + 1) + j] = arg;
    }
  }
  const beads: AlignmentBead[] = [];
  for (let i = n, j = m; i > 0 || j > 0; ) {
    const [a, b] = moves[back[i * (m + 1) + j]!]!;
    beads.push({ source: range(i - a, a), target: range(j - b, b) });
    i -= a;
    j -= b;
  }
  return { beads: beads.reverse(), cells: (n + 1) * (m + 1) };
}

/** Standard normal CDF (Abramowitz & Stegun 26.2.17, as align.c). */
function pnorm(z: number): number {
  const t = 1 / (1 + 0.2316419 * z);
  const pd = 1 - 0.3989423 * Math.exp((-z * z) / 2) * ((((1.330274429 * t - 1.821255978) * t + 1.781477937) * t - 0.356563782) * t + 0.31938153) * t;
  return pd;
}

function range(from: number, count: number): number[] {
  return Array.from({ length: count }, (_, k) => from + k);
}

/* ------------------------------------------------------------------ gold section */

interface GoldRow {
  set: string;
  pair: string;
  variant: 'published' | 'harder';
  aligner: string;
  scores: AlignmentScores;
  ms: number;
}

async function benchGold(): Promise<GoldRow[]> {
  const engine = new ApertiumEngine();
  const rows: GoldRow[] = [];
  try {
    for (const set of GOLD_SETS) {
      const { source, target, gold } = readGoldSet(set.name, set.lang);
      let translations: string[] | undefined;
      if (engine.supports('fr', set.lang)) {
        translations = (await engine.translate('fr', set.lang, source.map((text, i) => ({ id: String(i), text })))).map((r) => r.text);
      }
      const harder = harderVariantOf(target, gold);
      for (const [variant, tgt, g] of [['published', target, gold], ['harder', harder.target, harder.gold]] as const) {
        const run = (aligner: string, align: () => readonly AlignmentBead[]) => {
          const t0 = process.cpuUsage();
          const beads = align();
          const ms = cpuMs(t0);
          rows.push({ set: set.name, pair: `fr→${set.lang}`, variant, aligner, scores: scoreAlignment(beads, g), ms });
        };
        run('Gale–Church (baseline)', () => galeChurch(source, tgt).beads);
        run('relais, no engine', () => alignSentencesWithStats(source, tgt, { sourceLang: 'fr', targetLang: set.lang }).beads);
        if (translations) {
          const mt = translations;
          run('relais + Apertium', () => alignSentencesWithStats(source, tgt, { sourceLang: 'fr', targetLang: set.lang, translations: mt }).beads);
        }
      }
    }
  } finally {
    await engine.close();
  }
  const f = (x: number) => x.toFixed(3);
  const unaligned = (u: AlignmentScores['omissions']) => `${u.correct}/${u.gold}, +${u.found - u.correct}`;
  printTable(
    ['set', 'variant', 'aligner', 'beads P', 'beads R', 'beads F1', 'links F1', 'omissions found/gold, false', 'additions found/gold, false'],
    rows.map((r) => [`${r.set} ${r.pair}`, r.variant, r.aligner, f(r.scores.beads.precision), f(r.scores.beads.recall), f(r.scores.beads.f1), f(r.scores.links.f1), unaligned(r.scores.omissions), unaligned(r.scores.additions)]),
  );
  return rows;
}

/* ------------------------------------------------------------------ book section */

interface BookRow {
  what: string;
  sentences: string;
  cells: number;
  cellsPerSentence: number;
  passes: number;
  ms: number;
}

/**
 * A novel of about 5,500 sentences (Daudet's *Le Petit Chose*, a committed fixture) against a copy of itself with every 37th sentence deleted and every
 * 23rd merged with the next (the copy also serves as the "translation", so the content score works as it
 * would with an engine): the DP's cells and CPU time at a quarter, half and all of the book, to show the
 * work grows linearly. Gale–Church's full DP is timed on the quarter for comparison.
 */
async function benchBook(withApertium: boolean): Promise<BookRow[]> {
  let file = BOOK;
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch {
    file = BOOK_FALLBACK;
    text = readFileSync(file, 'utf8');
  }
  const sentences = splitParagraphs(text).flatMap((p) => segmentSentences(p.text).map((s) => s.text));
  const perturbed = perturb(sentences);
  const rows: BookRow[] = [];
  console.log(`\nbook: ${file.replace(/^.*\//u, '')}, ${sentences.length} sentences; target: ${perturbed.length} sentences (every 37th deleted, every 23rd merged with the next)`);
  for (const share of [0.25, 0.5, 1]) {
    const n = Math.round(sentences.length * share);
    const m = Math.round(perturbed.length * share);
    const src = sentences.slice(0, n);
    const t0 = process.cpuUsage();
    const r = alignSentencesWithStats(src, perturbed.slice(0, m), { sourceLang: 'fr', targetLang: 'fr', translations: src });
    rows.push({ what: `relais, ${share * 100} % of the book`, sentences: `${n} × ${m}`, cells: r.stats.cells, cellsPerSentence: Math.round(r.stats.cells / n), passes: r.stats.passes, ms: cpuMs(t0) });
  }
  {
    const n = Math.round(sentences.length * 0.25);
    const m = Math.round(perturbed.length * 0.25);
    const t0 = process.cpuUsage();
    const r = galeChurch(sentences.slice(0, n), perturbed.slice(0, m));
    rows.push({ what: 'Gale–Church full DP, 25 %', sentences: `${n} × ${m}`, cells: r.cells, cellsPerSentence: Math.round(r.cells / n), passes: 1, ms: cpuMs(t0) });
  }
  if (withApertium) {
    // The book through Apertium fr→en, then aligned with an English "translation" made from that output
    // (same deletions and merges): the time of the engine and the time of the aligner, apart.
    const engine = new ApertiumEngine();
    try {
      const t0 = Date.now();
      const english = (await engine.translate('fr', 'en', sentences.map((text, i) => ({ id: String(i), text })))).map((r) => r.text);
      const translateMs = Date.now() - t0;
      const target = perturb(english);
      const t1 = process.cpuUsage();
      const r = alignSentencesWithStats(sentences, target, { sourceLang: 'fr', targetLang: 'en', translations: english });
      rows.push({ what: `relais + Apertium fr→en (translation: ${Math.round(translateMs / 1000)} s wall)`, sentences: `${sentences.length} × ${target.length}`, cells: r.stats.cells, cellsPerSentence: Math.round(r.stats.cells / sentences.length), passes: r.stats.passes, ms: cpuMs(t1) });
    } finally {
      await engine.close();
    }
  }
  printTable(
    ['run', 'sentences', 'DP cells', 'cells / sentence', 'passes', 'CPU ms'],
    rows.map((r) => [r.what, r.sentences, String(r.cells), String(r.cellsPerSentence), String(r.passes), String(r.ms)]),
  );
  return rows;
}

/** Every 37th sentence deleted, every 23rd merged with the next. */
function perturb(sentences: readonly string[]): string[] {
  const out: string[] = [];
  for (let i = 0; i < sentences.length; i++) {
    if (i % 37 === 5) continue;
    if (i % 23 === 7 && i + 1 < sentences.length) {
      out.push(`${sentences[i]} ${sentences[i + 1]}`);
      i++;
      continue;
    }
    out.push(sentences[i]!);
  }
  return out;
}

/* ------------------------------------------------------------------ main */

function cpuMs(since: NodeJS.CpuUsage): number {
  const u = process.cpuUsage(since);
  return Math.round((u.user + u.system) / 1000);
}

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  console.log(['', line(head), line(widths.map((w) => '-'.repeat(w))), ...rows.map(line)].join('\n'));
}

function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = valueOf(args, '--only');
  const json = valueOf(args, '--json');
  const out: Record<string, unknown> = {};
  if (!only || only === 'gold') out['gold'] = await benchGold();
  if (!only || only === 'book') out['book'] = await benchBook(args.includes('--book-apertium'));
  if (json) writeFileSync(json, `${JSON.stringify(out, null, 2)}\n`);
}

// Run only as a script (the floor test imports the helpers above).
if (process.argv[1] && import.meta.filename === process.argv[1]) {
  main().catch((e: unknown) => {
    console.error(e);
    process.exitCode = 1;
  });
}

