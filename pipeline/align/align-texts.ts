/**
 * Two texts → aligned sentence pairs: the plumbing around `alignSentences`. Both texts are split into
 * paragraphs and sentences; when an engine serves the pair, the source sentences are translated
 * (Bleualign-style evidence); the glossary's names become anchors; paragraph starts are evidence too.
 * Without an engine for the pair, length, cognates and anchors do the work.
 */
import type { Glossary } from '../artifacts.js';
import type { Engine, EngineInfo, Lang } from '../engines/engine.js';
import { targetFor } from '../glossary/target-for.js';
import {
  alignSentencesWithStats,
  type AlignStats,
  type AlignWeights,
  type AnchorTerm,
  type BandOptions,
  type Bead,
  type BeadFlag,
  type BeadType,
} from './align-sentences.js';
import { splitSentences, type TextSentence } from './split-sentences.js';

export interface AlignTextsOptions {
  /** Language of the source text. @default 'fr' */
  sourceLang?: Lang;
  /** Language of the translation. */
  targetLang: Lang;
  /** Translates the source sentences when it serves sourceLang → targetLang; ignored otherwise. */
  engine?: Engine;
  /** Its names are anchors: a source form on one side, the target form (or the same name) on the other. */
  glossary?: Glossary;
  signal?: AbortSignal;
  weights?: Partial<AlignWeights>;
  band?: Partial<BandOptions>;
}

/** One bead with its text. */
export interface AlignedPair {
  type: BeadType;
  /** Indexes into `TextAlignment.source` / `.target`. */
  sourceSentences: number[];
  targetSentences: number[];
  /** The sentences of each side joined with a space ('' for the missing side of an omission or addition). */
  source: string;
  target: string;
  /** The engine's translation of `source`, when there was an engine. */
  machine?: string;
  score: number;
  flags: BeadFlag[];
}

export interface TextAlignment {
  sourceLang: Lang;
  targetLang: Lang;
  source: TextSentence[];
  target: TextSentence[];
  /** The engine's translation of each source sentence, when an engine served the pair. */
  translations?: string[];
  /** The engine whose translation was used. */
  engine?: EngineInfo;
  beads: Bead[];
  pairs: AlignedPair[];
  stats: AlignStats;
}

/** The glossary's names as anchors for `targetLang`. A name with no entry for that language keeps its source form. */
export function anchorTermsFor(glossary: Glossary, targetLang: Lang): AnchorTerm[] {
  return glossary.terms.map((term) => {
    const form = targetFor(term, targetLang)?.form;
    return { id: term.id, sourceForms: term.forms, targetForms: form === undefined ? term.forms : [form] };
  });
}

export async function alignTexts(sourceText: string, targetText: string, options: AlignTextsOptions): Promise<TextAlignment> {
  const sourceLang = options.sourceLang ?? 'fr';
  const { targetLang } = options;
  const source = splitSentences(sourceText, sourceLang);
  const target = splitSentences(targetText, targetLang);

  const engine = options.engine && options.engine.supports(sourceLang, targetLang) ? options.engine : undefined;
  let translations: string[] | undefined;
  if (engine && source.length > 0) {
    const results = await engine.translate(sourceLang, targetLang, source.map((s, i) => ({ id: String(i), text: s.text })), options.signal);
    translations = results.map((r) => r.text);
  }

  const { beads, stats } = alignSentencesWithStats(
    source.map((s) => s.text),
    target.map((s) => s.text),
    {
      sourceLang,
      targetLang,
      ...(translations ? { translations } : {}),
      ...(options.glossary ? { terms: anchorTermsFor(options.glossary, targetLang) } : {}),
      sourceParagraphStarts: source.map((s) => s.paragraphStart),
      targetParagraphStarts: target.map((s) => s.paragraphStart),
      ...(options.weights ? { weights: options.weights } : {}),
      ...(options.band ? { band: options.band } : {}),
    },
  );

  const join = (texts: readonly string[], indexes: number[]) => indexes.map((k) => texts[k]!).join(' ');
  const sourceTexts = source.map((s) => s.text);
  const targetTexts = target.map((s) => s.text);
  const pairs = beads.map(
    (b): AlignedPair => ({
      type: b.type,
      sourceSentences: b.source,
      targetSentences: b.target,
      source: join(sourceTexts, b.source),
      target: join(targetTexts, b.target),
      ...(translations && b.source.length > 0 ? { machine: join(translations, b.source) } : {}),
      score: b.score,
      flags: b.flags,
    }),
  );
  return {
    sourceLang,
    targetLang,
    source,
    target,
    ...(translations ? { translations } : {}),
    ...(engine ? { engine: engine.info } : {}),
    beads,
    pairs,
    stats,
  };
}
