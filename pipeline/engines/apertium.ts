/**
 * Apertium as a relais engine: rule-based, offline, one long-lived null-flush pipeline per mode.
 * Each segment comes out as a fresh pipeline would translate it alone, whatever was translated
 * before or alongside it (the pipeline replaces a tagger whose state changed: see
 * apertium-process.ts), so the same text always gets the same translation: caches, resumed jobs and
 * re-runs rely on it.
 *
 * fr→en has no direct pair: it goes fr→es (`fr-es`) then es→en (`spa-eng`). The Spanish of the
 * first hop is returned in `pivots.es`, and `translateFromPivot('es', 'en', …)` runs only the second
 * hop for a caller who already has the Spanish. Both use the same shared `fr-es`/`spa-eng` pipelines.
 *
 * The routes back to French (es→fr, ca→fr, oc→fr, and en→fr via es) serve the review's round-trip
 * check; they are engines like any other (unknown-word marks, determinism), nothing special-cased.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RelaisError } from '../errors.js';
import type { Engine, EngineInfo, EngineResult, EngineSegment, Lang, UnknownWord } from './engine.js';
import { ApertiumPipeline, DEFAULT_MODES_DIR, PACKAGE_OF_MODE, type ApertiumPipelineOptions } from './apertium-process.js';

/** One Apertium mode per language step. */
const HOPS: Readonly<Record<string, string>> = {
  'fr>es': 'fr-es',
  'fr>ca': 'fra-cat',
  'fr>eo': 'fr-eo',
  'fr>oc': 'fra-oci',
  'es>en': 'spa-eng',
  // Back to French, for the review's round-trip check (pipeline/review/round-trip.ts).
  'es>fr': 'es-fr',
  'ca>fr': 'cat-fra',
  'oc>fr': 'oci-fra',
  'en>es': 'eng-spa',
};

/** Languages each route goes through, source first. Only these routes are offered by `supports`. */
const ROUTES: Readonly<Record<string, readonly Lang[]>> = {
  'fr>es': ['fr', 'es'],
  'fr>ca': ['fr', 'ca'],
  'fr>eo': ['fr', 'eo'],
  'fr>oc': ['fr', 'oc'],
  'fr>en': ['fr', 'es', 'en'],
  // Back to French (round-trip QA). No eo→fr: apertium-eo-fr ships fr→eo only.
  'es>fr': ['es', 'fr'],
  'ca>fr': ['ca', 'fr'],
  'oc>fr': ['oc', 'fr'],
  'en>fr': ['en', 'es', 'fr'],
};

/** Programs every pair runs, whose versions change output too. */
const TOOL_PACKAGES = ['apertium', 'lttoolbox', 'apertium-lex-tools', 'apertium-separable', 'cg3'];

export interface ApertiumEngineOptions extends Omit<ApertiumPipelineOptions, 'markUnknown'> {}

export class ApertiumEngine implements Engine {
  private readonly options: ApertiumEngineOptions;
  private readonly modesDir: string;
  private readonly pipelines = new Map<string, ApertiumPipeline>();
  private cachedInfo: EngineInfo | undefined;
  private closed = false;

  constructor(options: ApertiumEngineOptions = {}) {
    this.options = options;
    this.modesDir = options.modesDir ?? DEFAULT_MODES_DIR;
  }

  /** Read lazily (one dpkg-query) and cached: it goes into translation cache keys. */
  get info(): EngineInfo {
    this.cachedInfo ??= { id: 'apertium', version: installedVersions([...TOOL_PACKAGES, ...new Set(Object.values(PACKAGE_OF_MODE))]) };
    return this.cachedInfo;
  }

  supports(source: Lang, target: Lang): boolean {
    const route = ROUTES[routeKey(source, target)];
    return route !== undefined && modesOf(route).every((m) => existsSync(join(this.modesDir, `${m}.mode`)));
  }

  pivotOf(source: Lang, target: Lang): Lang | undefined {
    const route = ROUTES[routeKey(source, target)];
    return route && route.length > 2 ? route[1] : undefined;
  }

  /** Pipelines started so far, by mode (for tests and diagnostics). */
  pipelinesByMode(): ReadonlyMap<string, ApertiumPipeline> {
    return this.pipelines;
  }

  /** Start the chains of every mode these targets go through (unsupported targets are left to `translate` to report). */
  warm(source: Lang, targets: readonly Lang[]): void {
    if (this.closed) return;
    for (const target of targets) {
      const route = ROUTES[routeKey(source, target)];
      if (route && this.supports(source, target)) for (const m of modesOf(route)) this.pipeline(m).start();
    }
  }

  async translate(source: Lang, target: Lang, segments: readonly EngineSegment[], signal?: AbortSignal): Promise<EngineResult[]> {
    const route = ROUTES[routeKey(source, target)];
    if (!route) throw unsupported(source, target);
    return this.runRoute(route, segments, signal);
  }

  /**
   * Finish a pivoted route from text already in the pivot language: `translateFromPivot('es', 'en', …)`
   * runs only `spa-eng` on Spanish the caller got from a `fr→es` translation (or `pivots.es`).
   */
  async translateFromPivot(pivot: Lang, target: Lang, segments: readonly EngineSegment[], signal?: AbortSignal): Promise<EngineResult[]> {
    const key = routeKey(pivot, target);
    if (!HOPS[key]) throw unsupported(pivot, target);
    return this.runRoute([base(pivot), base(target)], segments, signal);
  }

  async close(): Promise<void> {
    this.closed = true;
    const all = [...this.pipelines.values()];
    this.pipelines.clear();
    await Promise.all(all.map((p) => p.close()));
  }

  /** Each segment goes through the hops one after the other; segments run concurrently (pipelines bound it). */
  private runRoute(route: readonly Lang[], segments: readonly EngineSegment[], signal?: AbortSignal): Promise<EngineResult[]> {
    signal?.throwIfAborted();
    const modes = modesOf(route);
    const pipelines = modes.map((m) => this.pipeline(m));
    return Promise.all(
      segments.map(async (seg): Promise<EngineResult> => {
        let text = seg.text;
        const unknownWords: UnknownWord[] = [];
        const pivots: Record<Lang, string> = {};
        const pivotUnknownWords: Record<Lang, UnknownWord[]> = {};
        for (let h = 0; h < modes.length; h++) {
          const raw = await pipelines[h]!.translate(text, signal);
          // Marks are judged against this hop's input, so a `#tag` or `@name` already there is kept.
          const { clean, unknown } = stripMarks(raw, text, modes[h]!);
          unknownWords.push(...unknown);
          text = clean;
          if (h < modes.length - 1) {
            pivots[route[h + 1]!] = clean;
            pivotUnknownWords[route[h + 1]!] = [...unknownWords];
          }
        }
        return { id: seg.id, text, unknownWords, ...(modes.length > 1 ? { pivots, pivotUnknownWords } : {}) };
      }),
    );
  }

  private pipeline(mode: string): ApertiumPipeline {
    if (this.closed) throw new RelaisError('ENGINE_FAILED', 'the Apertium engine was closed');
    let p = this.pipelines.get(mode);
    if (!p) {
      p = new ApertiumPipeline(mode, { ...this.options, markUnknown: true });
      this.pipelines.set(mode, p);
    }
    return p;
  }
}

// ---------------------------------------------------------------------------------------------

/**
 * A run of unknown-word marks right before a word (not inside one: `a@b.c` is left alone), or after a
 * number before a letter: Apertium reads "14h30" as the number 14 and the unknown word "h30" (`14*h30`,
 * `4*x4`); "2*3" stays.
 */
const MARKS = /(?:(?<![\p{L}\p{N}\p{M}])|(?<=\p{N})(?=[*#@]+\p{L}))([*#@]+)([\p{L}\p{N}\p{M}]+)/gu;
const WORDS = /[\p{L}\p{N}\p{M}]+/gu;

/**
 * Remove the marks Apertium added and list the words they marked.
 *
 * Which marks did Apertium add, when the source may hold `#paix`, `@Blinken` or `a*b`? Apertium
 * passes those characters through (escaping them does not survive lt-proc), so we reason instead:
 * - Apertium puts its mark right against the word (two when hops are chained without cleaning:
 *   `**Blinken`); the input's marks come first in a run.
 * - If the input had a run of marks before the same word (case-insensitive), that run is the
 *   input's: only what follows it is Apertium's (`@Blinken` → `@*Blinken`).
 * - Otherwise, if the word itself occurs in the input, the marks are Apertium's (`*` copies unknown
 *   words as they are).
 * - Otherwise the word was translated (`#paix` → `#paz`) or could not be generated (`#tentar`): a
 *   mark is the input's while the input still has unclaimed runs ending with that mark character
 *   (first come, first served: `#tentar y #paz` from `tentante et #paix` is misread — rare enough).
 * Stacked marks (`#*mot`) give one entry, with the mark nearest the word.
 */
export function stripMarks(output: string, input: string, stage: string): { clean: string; unknown: UnknownWord[] } {
  const inputRuns = new Map<string, string[]>();
  const inputWords = new Set<string>();
  for (const m of input.matchAll(WORDS)) inputWords.add(m[0].toLowerCase());
  for (const m of input.matchAll(MARKS)) {
    const w = m[2]!.toLowerCase();
    inputRuns.set(w, [...(inputRuns.get(w) ?? []), m[1]!]);
  }
  const found = [...output.matchAll(MARKS)].map((m) => {
    const run = m[1]!;
    const word = m[2]!;
    const kept = (inputRuns.get(word.toLowerCase()) ?? []).filter((r) => run.startsWith(r)).sort((a, b) => b.length - a.length)[0];
    return { index: m.index, length: m[0].length, run, word, kept };
  });
  // Input runs not claimed by a same-word match, by their last character.
  const budget = new Map<string, number>();
  for (const [w, runs] of inputRuns) {
    if (found.some((f) => f.kept !== undefined && f.word.toLowerCase() === w)) continue;
    for (const r of runs) budget.set(r.at(-1)!, (budget.get(r.at(-1)!) ?? 0) + 1);
  }
  const unknown: UnknownWord[] = [];
  let clean = '';
  let last = 0;
  for (const f of found) {
    let kept = f.kept;
    if (kept === undefined) {
      // Peel marks off the word's side until one can be the input's; the rest of the run is then too.
      const known = inputWords.has(f.word.toLowerCase());
      let k = f.run.length;
      for (; k > 0; k--) {
        const c = f.run[k - 1]!;
        if (!known && (budget.get(c) ?? 0) > 0) {
          budget.set(c, budget.get(c)! - 1);
          break;
        }
      }
      kept = f.run.slice(0, k);
    }
    const added = f.run.slice(kept.length);
    if (added) unknown.push({ word: f.word, mark: added.at(-1) as UnknownWord['mark'], stage });
    clean += output.slice(last, f.index) + kept + f.word;
    last = f.index + f.length;
  }
  return { clean: clean + output.slice(last), unknown };
}

/** `fr-FR` → `fr`: Apertium pairs are per language, not per region. */
function base(lang: Lang): string {
  return lang.split('-')[0]!.toLowerCase();
}

function routeKey(source: Lang, target: Lang): string {
  return `${base(source)}>${base(target)}`;
}

function modesOf(route: readonly Lang[]): string[] {
  return route.slice(1).map((to, i) => HOPS[`${route[i]}>${to}`]!);
}

function unsupported(source: Lang, target: Lang): RelaisError {
  return new RelaisError('LANGUAGE_UNSUPPORTED', `Apertium cannot translate ${source} → ${target}`, {
    hint: `Apertium routes in relais: ${Object.keys(ROUTES).map((k) => k.replace('>', '→')).join(', ')}.`,
  });
}

/** `pkg=version` for each installed package, `;`-joined (missing ones omitted); `unknown` without dpkg. */
function installedVersions(packages: readonly string[]): string {
  // dpkg-query exits 1 when some package is missing but still prints the others.
  const r = spawnSync('dpkg-query', ['-W', '-f=${Package}=${Version}\\n', ...packages], { encoding: 'utf8' });
  const lines = (r.stdout ?? '').split('\n').filter((l) => /=.+/.test(l));
  return lines.length > 0 ? lines.sort().join(';') : 'unknown';
}
