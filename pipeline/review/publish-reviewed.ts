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
import { buildSourceBundle, serializeBundle, type Bundle } from '../stages/publish/publish-bundles.js';
import type { SegmentedArticle } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import { buildReviewArticle, decidedText, readReviewInputs, reviewedBundle } from './build-review.js';
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
  /** Each bundle as the bytes to write: held until every namespace is planned, lighter than the objects. */
  bundles: Array<{ lang: Lang; namespace: string; bytes: Buffer }>;
  manifest: LocalesManifest;
}

export { serializeBundle };

/**
 * What a run already holds of an article it just translated, so that publishing does not read its
 * stage artifacts back (~11 MB of JSON per MB of article and language, all garbage once planned):
 * segment ids in order, the source bundle's text, and each language's translations in segment order.
 */
export interface PublishInputs {
  ids: readonly string[];
  sourceBundle: string;
  targets: ReadonlyMap<Lang, readonly string[]>;
}

export function publishInputsOf(segmented: SegmentedArticle, translated: readonly { targetLang: Lang; segments: ReadonlyArray<{ target: string }> }[]): PublishInputs {
  return {
    ids: segmented.segments.map((s) => s.id),
    sourceBundle: serializeBundle(buildSourceBundle(segmented)),
    targets: new Map(translated.map((t) => [t.targetLang, t.segments.map((s) => s.target)])),
  };
}

export function planPublish(
  job: JobStore, decisions: DecisionStore, o: { namespaces: readonly string[]; sourceLang: Lang; targets: readonly Lang[]; approvedOnly: boolean },
  known: ReadonlyMap<string, PublishInputs> = new Map(),
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
  /** `bundle`: the object, or its serialized text with every key of `states` in it. */
  const record = (lang: Lang, namespace: string, bundle: Bundle | string, states: Record<string, SegmentState | 'source'>) => {
    const text = typeof bundle === 'string' ? bundle : serializeBundle(bundle);
    const keys = typeof bundle === 'string' ? Object.keys(states).length : Object.keys(bundle).length;
    bundles.push({ lang, namespace, bytes: Buffer.from(text, 'utf8') });
    const counts: Partial<Record<SegmentState | 'source', number>> = {};
    for (const s of Object.values(states)) counts[s] = (counts[s] ?? 0) + 1;
    (manifest.bundles[lang] ??= {})[namespace] = {
      file: `${lang}/${namespace}.json`,
      sha256: sha256(text),
      keys,
      counts: Object.fromEntries(['source', ...SEGMENT_STATES].filter((s) => counts[s as SegmentState] !== undefined).map((s) => [s, counts[s as SegmentState]])),
      states,
    };
  };
  for (const namespace of o.namespaces) {
    const held = known.get(namespace);
    if (held && o.targets.every((l) => held.targets.get(l)?.length === held.ids.length)) {
      record(o.sourceLang, namespace, held.sourceBundle, Object.fromEntries(held.ids.map((id) => [id, 'source' as const])));
      for (const lang of o.targets) {
        const targets = held.targets.get(lang)!;
        const decided = decisions.decisions(namespace, lang);
        const bundle: Bundle = {};
        const states: Record<string, SegmentState> = {};
        held.ids.forEach((id, i) => {
          const { state, current } = decidedText(decided.get(id), targets[i]!);
          states[id] = state;
          if (!o.approvedOnly || state === 'approved') bundle[id] = current;
        });
        record(lang, namespace, bundle, states);
      }
      continue;
    }
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
