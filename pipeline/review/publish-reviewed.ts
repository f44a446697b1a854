/**
 * What `relais run` and `relais publish` publish once reviewers have been at work: each segment's best
 * text (the reviewer's when there is one), or with `approvedOnly` only approved segments — missing keys
 * then fall back to the source language in i18next (`fallbackLng: 'fr'`). `locales/manifest.json`
 * records, for each bundle, its hash and every key's review state.
 */
import type { Lang } from '../artifacts.js';
import { sha256 } from '../job/hash.js';
import { writeFileAtomically } from '../job/fs-atomic.js';
import type { JobStore } from '../job/job-store.js';
import { RELAIS_VERSION } from '../paths.js';
import { join, resolve } from 'node:path';
import { buildSourceBundle, type Bundle } from '../stages/publish/publish-bundles.js';
import type { SegmentedArticle } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import { buildReviewArticle, readReviewInputs, reviewedBundle } from './build-review.js';
import type { DecisionStore } from './decision-store.js';
import { SEGMENT_STATES, type SegmentState } from './review-model.js';

export const LOCALES_MANIFEST = 'manifest.json';

export interface LocalesManifest {
  generator: string;
  sourceLang: Lang;
  /** True when only approved segments were published (the rest falls back to the source language). */
  approvedOnly: boolean;
  languages: Lang[];
  namespaces: string[];
  bundles: Record<Lang, Record<string, {
    file: string;
    /** sha256 of the bundle file as written. */
    sha256: string;
    /** Keys in the bundle (with approvedOnly, fewer than the article's segments). */
    keys: number;
    /** Segments of the article by review state (`source` for the source language). */
    counts: Partial<Record<SegmentState | 'source', number>>;
    /** Each segment's state; a key missing from the bundle is published by the fallback language. */
    states: Record<string, SegmentState | 'source'>;
  }>>;
}

export interface PublishPlan {
  bundles: Array<{ lang: Lang; namespace: string; bundle: Bundle }>;
  manifest: LocalesManifest;
}

/** The text every bundle is written as (publish-bundles.ts writes exactly this). */
export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

export function planPublish(
  job: JobStore, decisions: DecisionStore, o: { namespaces: readonly string[]; sourceLang: Lang; targets: readonly Lang[]; approvedOnly: boolean },
): PublishPlan {
  const bundles: PublishPlan['bundles'] = [];
  const manifest: LocalesManifest = {
    generator: `relais ${RELAIS_VERSION}`,
    sourceLang: o.sourceLang,
    approvedOnly: o.approvedOnly,
    languages: [o.sourceLang, ...o.targets],
    namespaces: [...o.namespaces],
    bundles: {},
  };
  const record = (lang: Lang, namespace: string, bundle: Bundle, states: Record<string, SegmentState | 'source'>) => {
    bundles.push({ lang, namespace, bundle });
    const counts: Partial<Record<SegmentState | 'source', number>> = {};
    for (const s of Object.values(states)) counts[s] = (counts[s] ?? 0) + 1;
    (manifest.bundles[lang] ??= {})[namespace] = {
      file: `${lang}/${namespace}.json`,
      sha256: sha256(serializeBundle(bundle)),
      keys: Object.keys(bundle).length,
      counts: Object.fromEntries(['source', ...SEGMENT_STATES].filter((s) => counts[s as SegmentState] !== undefined).map((s) => [s, counts[s as SegmentState]])),
      states,
    };
  };
  for (const namespace of o.namespaces) {
    const segmented = job.readArtifact<SegmentedArticle>(namespace, 'segment.json');
    if (!segmented) throw new RelaisError('JOB_INCOMPLETE', `article "${namespace}" has not finished the segment stage`, { hint: 'Run `relais run <files…>` (it resumes where it stopped), then publish.' });
    record(o.sourceLang, namespace, buildSourceBundle(segmented), Object.fromEntries(segmented.segments.map((s) => [s.id, 'source' as const])));
    for (const lang of o.targets) {
      // What is published does not depend on earlier runs: no snapshot to read (~5 MB of JSON for a 1 MB article).
      const article = buildReviewArticle(readReviewInputs(job, namespace, lang, segmented), decisions.decisions(namespace, lang));
      record(lang, namespace, reviewedBundle(article, o.approvedOnly), Object.fromEntries(article.segments.map((s) => [s.id, s.state])));
    }
  }
  return { bundles, manifest };
}

/** Written after the bundles, atomically: a reader sees the old manifest or the new one. */
export function writeLocalesManifest(localesDir: string, manifest: LocalesManifest): string {
  const path = join(resolve(localesDir), LOCALES_MANIFEST);
  writeFileAtomically(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return path;
}
