/**
 * An alignment of two texts as the artifact a translation job produces (`TranslatedArticle`), so that
 * the job's own TMX writer and review page serve `relais align` unchanged: one segment per bead,
 * omissions and additions as QA flags. Pure.
 */
import type { FlagCode, QaFlag, TranslatedArticle, TranslatedSegment } from '../artifacts.js';
import { shortHash } from '../job/hash.js';
import { extractQuantities } from '../stages/translate/numbers.js';
import { BEAD_TYPES, type BeadType } from './align-sentences.js';
import type { AlignedPair, TextAlignment } from './align-texts.js';

/**
 * The QA codes of an alignment. They are not (yet) in `FlagCode`'s closed union: the patch in the
 * report adds them to pipeline/artifacts.ts; until then they are cast here.
 */
export const ALIGN_FLAG_CODES = {
  omission: 'ALIGN_OMISSION',
  addition: 'ALIGN_ADDITION',
  uncertain: 'ALIGN_UNCERTAIN',
} as const;

const code = (c: string) => c as FlagCode;

/** The QA flags of one aligned pair, as a reviewer reads them. */
export function flagsOfPair(pair: AlignedPair, alignment: Pick<TextAlignment, 'sourceLang' | 'targetLang'>): QaFlag[] {
  const flags: QaFlag[] = [];
  if (pair.flags.includes('omission')) {
    flags.push({ code: code(ALIGN_FLAG_CODES.omission), message: 'left out of the translation: no sentence of the translation corresponds to this one', subject: pair.source });
  }
  if (pair.flags.includes('addition')) {
    flags.push({ code: code(ALIGN_FLAG_CODES.addition), message: 'added by the translation: no sentence of the source corresponds to this one', subject: pair.target });
  }
  if (pair.flags.includes('uncertain')) {
    flags.push({
      code: code(ALIGN_FLAG_CODES.uncertain),
      message: `weak pairing: the engine's translation of the source shares almost nothing with this translation (score ${pair.score.toFixed(2)}); check that they say the same thing`,
    });
  }
  if (pair.source !== '' && pair.target !== '') {
    const missing = multisetDifference(extractQuantities(pair.source, alignment.sourceLang), extractQuantities(pair.target, alignment.targetLang));
    const extra = multisetDifference(extractQuantities(pair.target, alignment.targetLang), extractQuantities(pair.source, alignment.sourceLang));
    if (missing.length > 0 || extra.length > 0) {
      const parts = [
        ...(missing.length ? [`${missing.join(', ')} in the source ${missing.length === 1 ? 'is' : 'are'} not in the translation`] : []),
        ...(extra.length ? [`${extra.join(', ')} in the translation ${extra.length === 1 ? 'is' : 'are'} not in the source`] : []),
      ];
      flags.push({ code: 'NUMBER_MISMATCH', message: `${parts.join('; ')} (numbers written out in words are not compared)`, subject: [...missing, ...extra].join(', ') });
    }
  }
  return flags;
}

function multisetDifference(a: number[], b: number[]): string[] {
  const left = [...b];
  const out: string[] = [];
  for (const x of a) {
    const k = left.indexOf(x);
    if (k >= 0) left.splice(k, 1);
    else out.push(new Intl.NumberFormat('en', { maximumFractionDigits: 6 }).format(x));
  }
  return out;
}

/**
 * The alignment as a translation job's artifact: one segment per bead, its sentences joined; the
 * engine's translation (when there was one) as `machine`. Segment ids are hashes of the pair's text,
 * made unique within the article.
 */
export function alignmentToArticle(alignment: TextAlignment, namespace: string): TranslatedArticle {
  const seen = new Map<string, number>();
  const segments = alignment.pairs.map((pair): TranslatedSegment => {
    const base = shortHash(`${pair.source}\n${pair.target}`);
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    const id = n === 1 ? base : `${base}-${n}`;
    return {
      id,
      source: pair.source,
      machine: pair.machine ?? '',
      target: pair.target,
      termsApplied: [],
      flags: flagsOfPair(pair, alignment),
      unknownWords: [],
      cacheKey: `align:${id}`,
    };
  });
  return {
    kind: 'translate',
    version: 1,
    namespace,
    sourceLang: alignment.sourceLang,
    targetLang: alignment.targetLang,
    engine: {
      id: 'align',
      version: alignment.engine ? `compared through ${alignment.engine.id} ${alignment.engine.version}` : 'length, cognates and anchors (no engine for the pair)',
    },
    segments,
  };
}

/** What `relais align` prints: beads by type, omissions, additions, weak pairings. */
export interface AlignmentSummary {
  sentences: { source: number; target: number };
  beads: Record<BeadType, number>;
  omissions: number;
  additions: number;
  uncertain: number;
  evidence: TextAlignment['stats']['content'];
  /**
   * Of the beads pairing sentences on both sides, the share whose content score is more than
   * SUPPORT_FACTOR × what unrelated sentences of the two texts score (the noise floor): 0.82–0.93 for
   * the gold translations in test/fixtures/align-gold through Apertium, 0.56–0.86 on cognates alone;
   * 0.07–0.26 when the "translation" is of another text. Null without content evidence.
   */
  supported: number | null;
  /** Beads pairing sentences on both sides. */
  paired: number;
}

/** How far above the noise floor a pair's content score must be to count as supported. */
export const SUPPORT_FACTOR = 3;
/** Below this share of supported pairs (with at least MIN_PAIRS_TO_JUDGE pairs), the texts look unrelated. */
export const UNRELATED_BELOW = 0.35;
export const MIN_PAIRS_TO_JUDGE = 8;

export function summarizeAlignment(alignment: TextAlignment): AlignmentSummary {
  const beads = Object.fromEntries(BEAD_TYPES.map((t) => [t, 0])) as Record<BeadType, number>;
  for (const b of alignment.beads) beads[b.type]++;
  const count = (flag: string) => alignment.beads.filter((b) => b.flags.includes(flag as never)).length;
  const paired = alignment.beads.filter((b) => b.source.length > 0 && b.target.length > 0);
  return {
    sentences: { source: alignment.source.length, target: alignment.target.length },
    beads,
    omissions: count('omission'),
    additions: count('addition'),
    uncertain: count('uncertain'),
    evidence: alignment.stats.content,
    supported: alignment.stats.content === 'none' || paired.length === 0 ? null : paired.filter((b) => b.score > 0 && b.score > SUPPORT_FACTOR * alignment.stats.floor).length / paired.length,
    paired: paired.length,
  };
}
