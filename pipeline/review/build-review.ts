/**
 * Job artifacts + reviewer decisions → the review view of one article in one language, and what gets
 * published from it.
 *
 * When an article is updated and re-run, an edited sentence has a new id (ids hash the text). The
 * sentence lists of the last run and this one are diffed (`diffArrays`); a sentence replaced in place
 * inherits the decision made on the sentence it replaced, as `needs-review`, with both sources kept so
 * the reviewer sees what changed. Unchanged sentences keep their ids and so their decisions.
 */
import { diffArrays } from 'diff';
import type { Lang, SegmentedArticle, TranslatedArticle } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import type { JobStore } from '../job/job-store.js';
import { countForm } from '../glossary/match.js';
import { readTranslation } from '../stages/translate/translation-artifact.js';
import type { DecisionStore, Snapshot } from './decision-store.js';
import type { Decision, ReviewArticle, ReviewSegment, SegmentState } from './review-model.js';

export interface ReviewInputs {
  segmented: SegmentedArticle;
  translated: TranslatedArticle;
}

export function readReviewInputs(job: JobStore, namespace: string, lang: Lang, segmentedRead?: SegmentedArticle): ReviewInputs {
  const segmented = segmentedRead ?? job.readArtifact<SegmentedArticle>(namespace, 'segment.json');
  const translated = readTranslation(job, namespace, lang);
  if (!segmented || !translated || translated.segments.length !== segmented.segments.length) {
    throw new RelaisError('JOB_INCOMPLETE', `article "${namespace}" has no finished ${lang} translation to review`, {
      hint: 'Run `relais run <files…>` first (it resumes where it stopped).',
    });
  }
  return { segmented, translated };
}

/**
 * After a run translated an article: decisions carried over to sentences that replaced decided ones
 * since the last run (as `needs-review`), and the decisions a glossary change sent back to review — an
 * approved or edited sentence whose French did not change but whose machine translation did, now
 * writing a glossary name the reviewer's text does not have ("Olaf Scholtz" approved, the glossary
 * fixed to "Olaf Scholz"). Left as it was, the old spelling would stay published as approved; now it
 * needs review, and the new machine translation is published until then (as after any change under a
 * decision). Then this run is recorded as the new snapshot.
 */
export function carryDecisions(decisions: DecisionStore, inputs: ReviewInputs): { carried: Decision[]; glossaryChanged: Decision[] } {
  const glossaryChanged: Decision[] = [];
  const known = decisions.decisions(inputs.segmented.namespace, inputs.translated.targetLang);
  inputs.segmented.segments.forEach((s, i) => {
    const d = known.get(s.id);
    const t = inputs.translated.segments[i];
    if (!d || !t || (d.state !== 'approved' && d.state !== 'edited') || d.source !== s.text || d.machine === t.target) return;
    const missing = [...new Set(t.termsApplied.map((a) => a.form))].filter((form) => countForm(t.target, form) > 0 && countForm(d.text, form) === 0 && countForm(d.machine, form) === 0);
    if (missing.length > 0) glossaryChanged.push({ ...d, state: 'needs-review', updatedAt: new Date().toISOString(), by: `${GLOSSARY_CHANGED}: ${missing.join(', ')}` });
  });
  if (glossaryChanged.length > 0) decisions.save(glossaryChanged);
  return { carried: carryOver(decisions, inputs), glossaryChanged };
}

/** Decisions carried to the sentences that replaced decided ones; records the run's snapshot. */
function carryOver(decisions: DecisionStore, inputs: ReviewInputs): Decision[] {
  const { segmented, translated } = inputs;
  const ns = segmented.namespace;
  const lang = translated.targetLang;
  const head = decisions.currentHead(ns, lang); // ids and fingerprints: the texts are not read back
  const ids = segmented.segments.map((s) => s.id);
  const known = decisions.decisions(ns, lang);
  const added: Decision[] = [];
  if (head) {
    // A decided sentence goes to the new one most like it (by the French it was decided on).
    const newText = new Map(segmented.segments.map((x) => [x.id, x.text]));
    const similarity = (oldId: string, newId: string) => wordOverlap(known.get(oldId)?.source ?? '', newText.get(newId) ?? '');
    for (const [oldId, newId] of replacedPairs(head.ids, ids, similarity)) {
      const old = known.get(oldId);
      if (!old || known.has(newId)) continue;
      // A rejection is carried too: the reviewer's "this is wrong" must not turn into an unreviewed
      // sentence that is published because its French got a typo fixed.
      const rejected = old.state === 'rejected' || old.by === CARRIED_FROM_REJECTED;
      added.push({ ...old, segmentId: newId, state: 'needs-review', updatedAt: new Date().toISOString(), by: rejected ? CARRIED_FROM_REJECTED : 'relais (source changed)' });
    }
    if (added.length > 0) decisions.save(added);
  }
  decisions.recordRun(ns, lang, { ids, sources: segmented.segments.map((s) => s.text), targets: translated.segments.map((t) => t.target), at: new Date().toISOString() }, head);
  return added;
}

/** The review view: one row per segment with its state, the text to publish and what changed. */
export function buildReviewArticle(inputs: ReviewInputs, decisionsById: ReadonlyMap<string, Decision>, previous?: Snapshot): ReviewArticle {
  const { segmented, translated } = inputs;
  const sincePrevious = new Map<string, string>();
  if (previous) for (const [oldId, newId] of replacedPairs(previous.ids, segmented.segments.map((s) => s.id))) sincePrevious.set(newId, oldId);

  const segments = segmented.segments.map((s, i): ReviewSegment => {
    const t = translated.segments[i]!;
    const d = decisionsById.get(s.id);
    const { state, current, published } = decidedText(d, t.target);
    const before = previous?.segments[sincePrevious.get(s.id) ?? s.id];
    const previousSource = d && d.source !== s.text ? d.source : before && before.source !== s.text ? before.source : undefined;
    const previousMachine = d && d.machine !== t.target ? d.machine : before && before.target !== t.target ? before.target : undefined;
    return {
      id: s.id,
      paragraph: s.paragraph,
      index: s.index,
      source: s.text,
      machine: t.machine,
      target: t.target,
      current,
      state,
      flags: t.flags,
      termsApplied: t.termsApplied,
      ...(published ? {} : { unpublished: true }),
      ...(d?.by ? { decidedBy: d.by } : {}),
      ...(d?.state === 'needs-review' ? { reviewedText: d.text, ...(d.by === CARRIED_FROM_REJECTED ? { reviewedState: 'rejected' as const } : {}) } : {}),
      ...(previousSource === undefined ? {} : { previousSource }),
      ...(previousMachine === undefined ? {} : { previousMachine }),
    };
  });
  const title = segmented.segments.find((s) => s.role === 'title')?.text ?? segmented.namespace;
  return { namespace: segmented.namespace, sourceLang: segmented.sourceLang, targetLang: translated.targetLang, title, segments };
}

/** `by` of a decision a glossary change sent back to review (followed by the names). */
export const GLOSSARY_CHANGED = 'relais (glossary changed)';

/** `by` of a needs-review decision carried over from a rejected sentence (the store keeps no earlier state). */
export const CARRIED_FROM_REJECTED = 'relais (source changed; the sentence before was rejected)';

/**
 * A segment's review state, the text to show as what gets published, and whether it is published:
 * - approved or edited: the reviewer's text;
 * - rejected: not published (the key is left out, so i18next shows the French), never the machine text
 *   a reviewer refused;
 * - needs review (the French changed under a decision): while the engine's text is still the one the
 *   decision was made on (a typographic fix in the French), the decision stands — the reviewer's text,
 *   or nothing after a rejection; once the engine's text changed, the new machine translation.
 * - no decision: the machine translation.
 */
export function decidedText(d: Decision | undefined, target: string): { state: SegmentState; current: string; published: boolean } {
  if (!d) return { state: 'machine', current: target, published: true };
  if (d.state === 'approved' || d.state === 'edited') return { state: d.state, current: d.text, published: true };
  if (d.state === 'rejected') return { state: d.state, current: target, published: false };
  const standing = d.machine === target;
  if (d.by === CARRIED_FROM_REJECTED) return { state: d.state, current: target, published: !standing };
  return { state: d.state, current: standing ? d.text : target, published: true };
}

/** Read everything and build the view (what the review server and the exports use). */
export function loadReviewArticle(job: JobStore, decisions: DecisionStore, namespace: string, lang: Lang): ReviewArticle {
  const inputs = readReviewInputs(job, namespace, lang);
  return buildReviewArticle(inputs, decisions.decisions(namespace, lang), decisions.snapshot(namespace, lang)?.previous);
}

/**
 * The bundle to publish: every segment's best text (reviewed when there is one; rejected ones left
 * out), or with `approvedOnly` just the approved ones — the missing keys fall back to the source
 * language in i18next.
 */
export function reviewedBundle(article: ReviewArticle, approvedOnly: boolean): Record<string, string> {
  return Object.fromEntries(article.segments.filter((s) => !s.unpublished && (!approvedOnly || s.state === 'approved')).map((s) => [s.id, s.current]));
}

/** Pairs (old id, new id) of sentences replaced in place between two versions of an article. */
export function replacedPairs(
  oldIds: readonly string[], newIds: readonly string[], similarity?: (oldId: string, newId: string) => number,
): Array<[string, string]> {
  const pairs: Array<[string, string]> = [];
  const parts = diffArrays([...oldIds], [...newIds]);
  for (let i = 0; i < parts.length; i++) {
    const part = parts[i]!;
    const next = parts[i + 1];
    if (part.removed && next?.added) {
      pairs.push(...pairBlock(part.value, next.value, similarity));
      i++;
    } else if (part.added && next?.removed) {
      pairs.push(...pairBlock(next.value, part.value, similarity));
      i++;
    }
  }
  return pairs;
}

/** Below this, two sentences are not one rewritten (word overlap, see `wordOverlap`). */
const SAME_SENTENCE = 0.3;

/**
 * The sentences a block of removed ones became. One for one, the new took the old one's place. Else,
 * with `similarity`, each old sentence goes to the new one most like it, in order (a sentence inserted
 * beside an edited one must not take its decision); without, by position.
 */
function pairBlock(removed: readonly string[], added: readonly string[], similarity?: (oldId: string, newId: string) => number): Array<[string, string]> {
  if (!similarity || (removed.length === 1 && added.length === 1)) {
    return Array.from({ length: Math.min(removed.length, added.length) }, (_, k) => [removed[k]!, added[k]!] as [string, string]);
  }
  // The order-keeping matching of most total similarity (an alignment, as a diff makes one).
  const m = removed.length;
  const n = added.length;
  const best = Array.from({ length: m + 1 }, () => new Float64Array(n + 1));
  const score = (a: number, b: number) => {
    const x = similarity(removed[a]!, added[b]!);
    return x >= SAME_SENTENCE ? x : -1;
  };
  for (let a = 1; a <= m; a++) {
    for (let b = 1; b <= n; b++) best[a]![b] = Math.max(best[a - 1]![b]!, best[a]![b - 1]!, best[a - 1]![b - 1]! + score(a - 1, b - 1));
  }
  const out: Array<[string, string]> = [];
  for (let a = m, b = n; a > 0 && b > 0;) {
    if (best[a]![b] === best[a - 1]![b]) a--;
    else if (best[a]![b] === best[a]![b - 1]) b--;
    else {
      out.unshift([removed[a - 1]!, added[b - 1]!]);
      a--;
      b--;
    }
  }
  return out;
}

/** Dice overlap of the two sentences' lowercase words, 0–1. */
export function wordOverlap(a: string, b: string): number {
  const words = (t: string) => new Set(t.toLowerCase().match(/\p{L}+|\p{N}+/gu) ?? []);
  const x = words(a);
  const y = words(b);
  if (x.size + y.size === 0) return 0;
  let shared = 0;
  for (const w of x) if (y.has(w)) shared++;
  return (2 * shared) / (x.size + y.size);
}
