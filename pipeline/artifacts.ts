/**
 * The artifacts that flow between stages. Each is plain JSON with `kind` and `version`, written to the
 * job folder by the stage runner, so a job can be inspected with any JSON tool and resumed.
 */
import type { Lang, UnknownWord } from './engines/engine.js';

export type { Lang, UnknownWord };

/* ------------------------------------------------------------------ glossary */

export type TermKind = 'person' | 'place' | 'organisation' | 'other';

/** How a name is written in one target language. */
export interface TargetForm {
  form: string;
  /**
   * Whether the name takes a definite article in this language ("the United States", "la OTAN").
   * `undefined` = let the engine decide. Used by fix-up rules that repair neighbours of a name.
   */
  article?: boolean;
}

export interface GlossaryTerm {
  /** Stable id: the first source form. */
  id: string;
  /** Source-language forms (variants share the targets). Never empty, never contains ''. */
  forms: string[];
  kind: TermKind;
  /** Explicit target forms. A language without an entry keeps the matched source form unchanged. */
  targets: Record<Lang, TargetForm>;
  /** Grammatical gender/number in the source language, when given (helps article repair). */
  gender?: 'm' | 'f';
  number?: 'sg' | 'pl';
  /** Where the term is defined in glossary.yaml (1-based). */
  place: { line: number; column: number };
}

export interface Glossary {
  source: Lang;
  /** Default targets of `relais run`. */
  languages: Lang[];
  terms: GlossaryTerm[];
  /** sha256 of the normalised content: part of every translation cache key. */
  hash: string;
  file: string;
}

/** One occurrence of a glossary form in a text. Offsets are UTF-16 indexes into that text. */
export interface TermOccurrence {
  termId: string;
  /** The source form as it appears in the text. */
  form: string;
  start: number;
  end: number;
}

/* ------------------------------------------------------------------ QA */

export type FlagCode =
  | 'UNKNOWN_WORD'          // the engine marked a word it could not translate
  | 'SOURCE_STRAY_STOP'     // the source has a full stop before a lowercase word
  | 'SOURCE_DOUBLE_SPACE'   // the source has doubled spaces
  | 'TERM_UNVERIFIED'       // a glossary term could not be found in the target as the glossary says
  | 'TERM_REPAIRED'         // the engine's rendering of a term was replaced by the glossary form
  | 'ARTICLE_RESTORED'      // the engine dropped the article before a glossary name; relais put it back
  | 'NUMBER_MISMATCH'       // numbers of source and target differ
  | 'NOT_SOURCE_LANGUAGE'   // segment is not in the source language; not sent to the engine
  | 'LONG_WORD_KEPT'        // a run of letters too long to be a word (a hash, a URL fragment) was kept as written
  | 'TAG_REPAIRED'          // the engine moved, altered or dropped a protection tag; relais repaired it
  | 'TAG_RETRIED'           // the engine lost a protected name; the segment was translated again without tags
  | 'UNTRANSLATED'          // target equals source
  | 'PUNCTUATION_STYLE'     // quotes or spacing of another language (« » or a space before ? in English…)
  | 'LENGTH_RATIO'          // the target is unusually short or long for its source
  | 'I18NEXT_SYNTAX'        // {{…}}, $t(…) or an HTML tag that i18next (default options) or the page would interpret
  | 'ALIGN_OMISSION'        // relais align: a source sentence with nothing in the translation
  | 'ALIGN_ADDITION'        // relais align: a sentence of the translation with nothing in the source
  | 'ALIGN_UNCERTAIN';      // relais align: a pairing the engine's translation does not support

export interface QaFlag {
  code: FlagCode;
  message: string;
  /** The text the flag is about (a word, a term, a number). */
  subject?: string;
}

/* ------------------------------------------------------------------ ingest */

export interface FurnitureBlock {
  text: string;
  line: number;
  reason: string;
}

export interface IngestedArticle {
  kind: 'ingest';
  version: 1;
  /** i18next namespace = the article's slug. */
  namespace: string;
  file: string;
  /** sha256 of the raw bytes. */
  sourceHash: string;
  /** The language the article is written in (the glossary's `source`). */
  sourceLang: Lang;
  title: { text: string; line: number };
  /** Body paragraphs in order (title and repeated title excluded), NFC, as written. */
  paragraphs: Array<{ text: string; line: number; lang: Lang; langConfidence: number }>;
  furniture: FurnitureBlock[];
  /** Things the reader should know (a repeated title dropped, a BOM removed…). */
  notes: string[];
}

/* ------------------------------------------------------------------ segment */

export interface Segment {
  /** Stable id from the text: the same text gets the same id on every run. Also the i18next key. */
  id: string;
  role: 'title' | 'body';
  /** Paragraph index (title = -1) and sentence index inside it. */
  paragraph: number;
  index: number;
  /** As written in the article (NFC). This is what the source-language bundle publishes. */
  text: string;
  lang: Lang;
  /** False for segments that must not go through a source-language engine (wrong language). */
  translatable: boolean;
}

export interface SegmentedArticle {
  kind: 'segment';
  version: 1;
  namespace: string;
  sourceLang: Lang;
  segments: Segment[];
}

/* ------------------------------------------------------------------ translate */

/** What a segment's TMX unit and review-page row show (see stages/align). */
export type AlignedSegment = Pick<TranslatedSegment, 'id' | 'source' | 'target' | 'termsApplied' | 'flags' | 'cacheKey'>;

/** A translated article as its alignment files need it: its segments without what they do not show. */
export type AlignedArticle = Omit<TranslatedArticle, 'segments'> & { segments: AlignedSegment[] };

export interface TranslatedSegment {
  id: string;
  source: string;
  /** What the engine produced, marks removed, before relais's post-editing (for reviewers). */
  machine: string;
  /** Final text: glossary applied, conventions of the target language. */
  target: string;
  termsApplied: Array<{ termId: string; form: string; strategy: TermStrategy }>;
  flags: QaFlag[];
  unknownWords: UnknownWord[];
  /** Cache key: source + engine version + pair + the glossary terms in the source (as the target writes them) + relais rules version. */
  cacheKey: string;
  /** Characters a paid engine billed for this segment (DeepL), retries included; absent for free engines. */
  billedCharacters?: number;
}

/** How a term got into the target: the engine's own rendering, rewritten by relais, or a placeholder. */
export type TermStrategy = 'engine' | 'rewrite' | 'placeholder' | 'kept';

export interface TranslatedArticle {
  kind: 'translate';
  version: 1;
  namespace: string;
  sourceLang: Lang;
  targetLang: Lang;
  engine: { id: string; version: string };
  segments: TranslatedSegment[];
}

/* ------------------------------------------------------------------ progress */

/** Stages emit these; the CLI decides how to draw them. They never print. */
export type ProgressEvent =
  | { type: 'stage-start'; stage: StageName; namespace: string; total?: number; lang?: Lang }
  | { type: 'stage-progress'; stage: StageName; namespace: string; done: number; total: number; lang?: Lang }
  | { type: 'stage-done'; stage: StageName; namespace: string; cached: boolean; ms: number; lang?: Lang; /** Printed after the time, in brackets. */ detail?: string }
  | { type: 'warning'; message: string; namespace?: string }
  /** Something worth a line that is not a problem (a cost estimate, a DeepL glossary reused). */
  | { type: 'notice'; message: string };

export type StageName = 'ingest' | 'segment' | 'translate' | 'align' | 'publish';
