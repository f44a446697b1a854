import { RelaisError } from '../errors.js';

/**
 * One query interface for every machine-translation engine (Okapi's IQuery in spirit):
 * the caller states languages, sends batches of plain-text segments, and closes.
 */

/** BCP 47 language codes relais knows about. */
export type Lang = string;

export interface EngineSegment {
  /** Stable segment id; engines never interpret it, they return it untouched. */
  id: string;
  /** Plain text to translate (already protected / cleaned by the translate stage). */
  text: string;
  /** The surrounding paragraph, for engines that use context (DeepL). */
  context?: string;
}

export interface EngineResult {
  id: string;
  /** Translated text with engine-specific marks removed. */
  text: string;
  /** Words the engine could not translate (Apertium `*`, `@`, `#` marks), in order of appearance. */
  unknownWords: UnknownWord[];
  /**
   * Intermediate texts when the engine pivots (fr→es→en): pivot language → text.
   * Lets a caller reuse the Spanish pass made for `es` as the pivot for `en`.
   */
  pivots?: Record<Lang, string>;
  /** Unknown words met on the way to each pivot (a subset of `unknownWords`). */
  pivotUnknownWords?: Record<Lang, UnknownWord[]>;
  /** Characters the engine billed for this segment (DeepL's `billed_characters`); absent for free engines. */
  billedCharacters?: number;
}

export interface UnknownWord {
  word: string;
  /** `*` unknown in the source, `@` missing from the bilingual dictionary, `#` could not be generated. */
  mark: '*' | '@' | '#';
  /** Which engine step produced it, e.g. `fr-es` or `spa-eng`. */
  stage: string;
}

export interface EngineInfo {
  /** Short id used on the command line and in cache keys, e.g. `apertium`. */
  id: string;
  /** Versions of everything that changes output (engine build, language data); part of cache keys. */
  version: string;
}

export interface Engine {
  readonly info: EngineInfo;
  /** Target languages this engine can produce from `source`. */
  supports(source: Lang, target: Lang): boolean;
  /**
   * Translate a batch. Results come back in the order of `segments`. Implementations bound their own
   * in-flight work; callers may pass large batches.
   */
  translate(source: Lang, target: Lang, segments: readonly EngineSegment[], signal?: AbortSignal): Promise<EngineResult[]>;
  /**
   * The language this engine goes through to reach `target`, if any (Apertium: fr→en via es).
   * A caller translating into both can take the pivot's text from `EngineResult.pivots` instead of
   * asking the engine twice.
   */
  pivotOf?(source: Lang, target: Lang): Lang | undefined;
  /**
   * How the translate stage should hide names and amounts from this engine: `tokens` (letter-only
   * words such as `ZZGA`, which a rule-based engine copies through) or `xml` (the text is XML-escaped
   * and each protected span is an `<x id="…">…</x>` element the engine leaves alone). @default 'tokens'
   */
  readonly protection?: 'tokens' | 'xml';
  /** True when the output is not a language (pseudo-localization): no grammar repairs are made on it. */
  readonly pseudo?: boolean;
  /** Segments per `translate` call that suit this engine (DeepL: 50, its request limit). @default 16 */
  readonly batchSize?: number;
  /**
   * Called once before any translation, with every target of the run: check languages, set up remote
   * resources (DeepL's glossary). Throws a RelaisError when a target cannot be served.
   */
  prepare?(targets: readonly Lang[]): Promise<unknown>;
  /**
   * A hint that `translate` into these targets is coming: start what takes time to start (Apertium's
   * programs load their dictionaries for ~0.4 s) while the caller does other work. Sends nothing.
   */
  warm?(source: Lang, targets: readonly Lang[]): void;
  /** What translating `texts` into `targets` will be billed, for engines that bill (no request made). */
  estimateCost?(texts: readonly string[], targets: readonly Lang[]): { characters: number; requests: number };
  /** Characters billed so far in this billing period and its limit, for engines that bill. */
  usage?(): Promise<{ characterCount: number; characterLimit: number }>;
  /** Release processes and connections. Safe to call twice. */
  close(): Promise<void>;
}

/**
 * `translate` failed. `completed` holds the results of every request that finished before the fault
 * (in the order of the segments, a subset of them): save them, then stop. `code` says why.
 */
export class EngineStoppedError extends RelaisError {
  readonly completed: readonly EngineResult[];
  constructor(from: RelaisError, completed: readonly EngineResult[]) {
    super(from.code, from.message, from.hint === undefined ? {} : { hint: from.hint });
    this.name = 'EngineStoppedError';
    this.completed = completed;
  }
}

/** Results that finished before `e` was thrown by an engine's `translate` ([] for any other error). */
export function completedBefore(e: unknown): readonly EngineResult[] {
  return e instanceof EngineStoppedError ? e.completed : [];
}
