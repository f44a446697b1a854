/**
 * What a reviewer sees and decides, per article and target language: the artifacts the review page,
 * the XLIFF/TMX exports and `relais publish` share. Plain data, no I/O.
 */
import type { Lang, QaFlag, TermStrategy } from '../artifacts.js';
import { shortHash } from '../job/hash.js';

/**
 * Where a segment stands for review.
 * - `machine`       nobody decided anything: the text is relais' post-edited machine translation
 * - `edited`        a reviewer changed the text and has not approved it yet
 * - `approved`      a reviewer approved the text (their edit, or the machine translation as is)
 * - `rejected`      a reviewer rejected the machine translation and wrote nothing better yet
 * - `needs-review`  it was approved or edited, then its source sentence changed, or the glossary
 *                   changed a name in it: look again
 */
export type SegmentState = 'machine' | 'edited' | 'approved' | 'rejected' | 'needs-review';

export const SEGMENT_STATES: readonly SegmentState[] = ['machine', 'edited', 'approved', 'rejected', 'needs-review'];

/** XLIFF 2.1 `<segment state>` for each review state (the XLIFF states are initial/translated/reviewed/final). */
export const XLIFF_STATE: Readonly<Record<SegmentState, 'initial' | 'translated' | 'reviewed' | 'final'>> = {
  machine: 'translated',
  edited: 'reviewed',
  approved: 'final',
  rejected: 'initial',
  'needs-review': 'translated',
};

/** A reviewer's decision on one segment, as stored (see decision-store.ts). */
export interface Decision {
  namespace: string;
  lang: Lang;
  /** The segment id (hash of its source text) the decision was made on. */
  segmentId: string;
  state: Exclude<SegmentState, 'machine'>;
  /** The reviewer's text (for `approved` without edit: the machine translation they approved). */
  text: string;
  /** Source and machine translation as they were when the decision was made. */
  source: string;
  machine: string;
  /** ISO time of the decision. */
  updatedAt: string;
  /** Free-form: who decided (`$USER`, the CAT tool of an XLIFF import…). */
  by?: string;
}

export interface ReviewSegment {
  id: string;
  /** Paragraph index (title = -1) and sentence index inside it. */
  paragraph: number;
  index: number;
  source: string;
  /** The engine's output, marks removed (before relais' post-editing). */
  machine: string;
  /** relais' post-edited machine translation (glossary applied, target conventions). */
  target: string;
  /** The text that would be published: the reviewer's text when there is one, else `target`. */
  current: string;
  state: SegmentState;
  /** QA findings: the translate stage's flags and the review checks on `current`. */
  flags: QaFlag[];
  termsApplied: Array<{ termId: string; form: string; strategy: TermStrategy }>;
  /** Round-trip risk from 0 (safe) to 1 (likely wrong), when it was computed. */
  risk?: number;
  /** The back-translation the risk was computed from. */
  backTranslation?: string;
  /** For `needs-review`: the text a reviewer approved or wrote for the earlier source. */
  reviewedText?: string;
  /** Set when the decision before the source changed was a rejection (`reviewedText` is the rejected text). */
  reviewedState?: 'rejected';
  /** Left out of the published bundle (rejected, or still standing as rejected): i18next shows the source. */
  unpublished?: true;
  /** Who made the decision standing on the segment (a reviewer's name, a CAT tool, relais itself). */
  decidedBy?: string;
  /** When the source changed since a decision or since the run before: the earlier source. */
  previousSource?: string;
  /** When the machine translation changed since the last run or since a decision: the earlier one. */
  previousMachine?: string;
}

export interface ReviewArticle {
  namespace: string;
  sourceLang: Lang;
  targetLang: Lang;
  title: string;
  segments: ReviewSegment[];
}

export interface ReviewCounts {
  segments: number;
  approved: number;
  edited: number;
  rejected: number;
  needsReview: number;
  /** Segments with at least one QA flag. */
  flagged: number;
  /** Segments nobody decided on yet. */
  unreviewed: number;
}

export function countSegments(segments: readonly ReviewSegment[]): ReviewCounts {
  const n = (s: SegmentState) => segments.filter((x) => x.state === s).length;
  return {
    segments: segments.length,
    approved: n('approved'),
    edited: n('edited'),
    rejected: n('rejected'),
    needsReview: n('needs-review'),
    flagged: segments.filter((x) => x.flags.length > 0).length,
    unreviewed: n('machine'),
  };
}

/**
 * What a reviewer saw of a segment (its state and the text that gets published). The review page sends
 * it back with a decision, and exports carry it per unit (XLIFF note `relais:seen`, TMX prop
 * `x-relais-seen`): a decision or an import about a segment that changed since is refused, instead of
 * putting back a text nobody chose over a newer one.
 */
export function seenMark(s: Pick<ReviewSegment, 'state' | 'current'>): string {
  return shortHash(`${s.state}\n${s.current}`);
}
