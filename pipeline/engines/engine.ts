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
  /** Release processes and connections. Safe to call twice. */
  close(): Promise<void>;
}
