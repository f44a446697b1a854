/**
 * Reviewers' work as a translation memory: a sentence a reviewer approved or rewrote in one article (or
 * job) is offered on the same sentence elsewhere, as a CAT tool's memory does — published, and marked
 * "needs review" there, since a context can change what a sentence should say.
 *
 * The memory (tm.sqlite, beside the job folders) learns at the start of each run from the review
 * decisions of every job beside it, so decisions made on the review page or imported from a CAT tool
 * reach the next run of any job.
 */
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang, SegmentedArticle, TranslatedArticle } from '../artifacts.js';
import { JobStore } from '../job/job-store.js';
import type { MemoryStore, ReviewedText, TranslationMemory } from '../memory/translation-memory.js';
import { DecisionStore } from './decision-store.js';
import type { Decision } from './review-model.js';

/** `by` of a decision relais offered from the memory; followed by where it was made. */
export const FROM_MEMORY = 'relais (memory';

/** The approved and edited texts of every job in `jobsRoot` into the memory (the newest per sentence wins). */
export function learnReviewedTexts(memory: TranslationMemory, jobsRoot: string): number {
  if (!existsSync(jobsRoot)) return 0;
  let learned = 0;
  for (const name of readdirSync(jobsRoot)) {
    const dir = join(jobsRoot, name);
    if (!existsSync(join(dir, 'job.json')) || !existsSync(join(dir, 'review.sqlite'))) continue;
    let manifest;
    try {
      manifest = new JobStore(dir).readManifest();
    } catch {
      continue; // a damaged job beside this one is not this run's problem
    }
    const store = new DecisionStore(dir);
    try {
      const entries: ReviewedText[] = [];
      for (const { namespace } of manifest.sources) {
        for (const lang of manifest.targets) {
          for (const d of store.decisions(namespace, lang).values()) {
            if (d.state !== 'approved' && d.state !== 'edited') continue;
            entries.push({ source: d.source, sourceLang: manifest.sourceLang, targetLang: lang, text: d.text, origin: `${name}/${namespace}`, at: d.updatedAt });
          }
        }
      }
      memory.putReviewed(entries);
      learned += entries.length;
    } finally {
      store.close();
    }
  }
  return learned;
}

/**
 * Offer the memory's reviewed texts on this article's undecided sentences: each becomes a needs-review
 * decision whose text is the reviewer's (published while the machine translation stays the one it was
 * offered on). A sentence decided here before — an offer undone, say — is not offered again.
 */
export function offerReviewedTexts(decisions: DecisionStore, memory: MemoryStore, segmented: SegmentedArticle, translated: TranslatedArticle): Decision[] {
  if (!memory.reviewedMany) return [];
  const ns = segmented.namespace;
  const lang: Lang = translated.targetLang;
  const known = decisions.decisions(ns, lang);
  const pending = segmented.segments
    .map((s, i) => ({ s, t: translated.segments[i] }))
    .filter((x) => x.t !== undefined && x.s.translatable && !known.has(x.s.id));
  if (pending.length === 0) return [];
  const hits = memory.reviewedMany(pending.map((x) => x.s.text), segmented.sourceLang, lang);
  const offered: Decision[] = [];
  pending.forEach((x, i) => {
    const hit = hits[i];
    if (!hit || hit.text === x.t!.target || decisions.history(ns, lang, x.s.id).length > 0) return;
    offered.push({
      namespace: ns, lang, segmentId: x.s.id, state: 'needs-review', text: hit.text, source: x.s.text, machine: x.t!.target,
      updatedAt: new Date().toISOString(), by: `${FROM_MEMORY}: ${hit.origin})`,
    });
  });
  decisions.save(offered);
  return offered;
}
