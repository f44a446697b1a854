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

export interface PublishOptions {
  namespaces: readonly string[];
  sourceLang: Lang;
  targets: readonly Lang[];
  approvedOnly: boolean;
}

type ManifestEntry = LocalesManifest['bundles'][Lang][string];

/**
 * Plans a publish one namespace at a time: `relais run` plans each article as soon as it is
 * translated and keeps only its bundles' bytes and manifest entries (not the article's texts), so
 * what a run holds for publishing grows by about the size of the bundles, not several times over.
 * Namespaces never added are planned from their artifacts by `plan()`.
 */
export class PublishPlanner {
  private readonly planned = new Map<string, Array<{ lang: Lang; bytes: Buffer; entry: ManifestEntry }>>();

  constructor(
    private readonly job: JobStore,
    /** Opened when first needed (a getter: a run that fails early leaves no review database behind). */
    private readonly decisions: () => DecisionStore,
    private readonly o: PublishOptions,
  ) {}

  /** Plan `namespace` now: from what the run holds of it (`held`), or from its artifacts. */
  add(namespace: string, held?: PublishInputs): void {
    const { o } = this;
    const records: Array<{ lang: Lang; bytes: Buffer; entry: ManifestEntry }> = [];
    /** `bundle`: the object, or its serialized text with every key of `states` in it. */
    const record = (lang: Lang, bundle: Bundle | string, states: Record<string, SegmentState | 'source'>) => {
      const text = typeof bundle === 'string' ? bundle : serializeBundle(bundle);
      const keys = typeof bundle === 'string' ? Object.keys(states).length : Object.keys(bundle).length;
      const counts: Partial<Record<SegmentState | 'source', number>> = {};
      for (const s of Object.values(states)) counts[s] = (counts[s] ?? 0) + 1;
      records.push({
        lang,
        bytes: Buffer.from(text, 'utf8'),
        entry: {
          file: `${lang}/${namespace}.json`,
          sha256: sha256(text),
          keys,
          counts: Object.fromEntries(['source', ...SEGMENT_STATES].filter((s) => counts[s as SegmentState] !== undefined).map((s) => [s, counts[s as SegmentState]])),
          states,
        },
      });
    };
    if (held && o.targets.every((l) => held.targets.get(l)?.length === held.ids.length)) {
      record(o.sourceLang, held.sourceBundle, Object.fromEntries(held.ids.map((id) => [id, 'source' as const])));
      for (const lang of o.targets) {
        const targets = held.targets.get(lang)!;
        const decided = this.decisions().decisions(namespace, lang);
        const bundle: Bundle = {};
        const states: Record<string, SegmentState> = {};
        held.ids.forEach((id, i) => {
          const { state, current } = decidedText(decided.get(id), targets[i]!);
          states[id] = state;
          if (!o.approvedOnly || state === 'approved') bundle[id] = current;
        });
        record(lang, bundle, states);
      }
    } else {
      const segmented = this.job.readArtifact<SegmentedArticle>(namespace, 'segment.json');
      if (!segmented) throw new RelaisError('JOB_INCOMPLETE', `article "${namespace}" has not finished the segment stage`, { hint: 'Run `relais run <files…>` (it resumes where it stopped), then publish.' });
      record(o.sourceLang, buildSourceBundle(segmented), Object.fromEntries(segmented.segments.map((s) => [s.id, 'source' as const])));
      for (const lang of o.targets) {
        // What is published does not depend on earlier runs: no snapshot to read (~5 MB of JSON for a 1 MB article).
        const article = buildReviewArticle(readReviewInputs(this.job, namespace, lang, segmented), this.decisions().decisions(namespace, lang));
        record(lang, reviewedBundle(article, o.approvedOnly), Object.fromEntries(article.segments.map((s) => [s.id, s.state])));
      }
    }
    this.planned.set(namespace, records);
  }

  /** Every namespace's bundles and the manifest, in the order of `namespaces` (the same whatever order they were added in). */
  plan(): PublishPlan {
    const { o } = this;
    const bundles: PublishPlan['bundles'] = [];
    const manifest: LocalesManifest = {
      generator: `relais ${RELAIS_VERSION}`,
      sourceLang: o.sourceLang,
      approvedOnly: o.approvedOnly,
      languages: [o.sourceLang, ...o.targets],
      namespaces: [...o.namespaces],
      bundles: {},
    };
    for (const namespace of o.namespaces) {
      if (!this.planned.has(namespace)) this.add(namespace);
      for (const { lang, bytes, entry } of this.planned.get(namespace)!) {
        bundles.push({ lang, namespace, bytes });
        (manifest.bundles[lang] ??= {})[namespace] = entry;
      }
    }
    return { bundles, manifest };
  }
}

export function planPublish(job: JobStore, decisions: DecisionStore, o: PublishOptions, known: ReadonlyMap<string, PublishInputs> = new Map()): PublishPlan {
  const planner = new PublishPlanner(job, () => decisions, o);
  for (const namespace of o.namespaces) planner.add(namespace, known.get(namespace));
  return planner.plan();
}

/** Written after the bundles, atomically: a reader sees the old manifest or the new one. */
export function writeLocalesManifest(localesDir: string, manifest: LocalesManifest): string {
  const path = join(resolve(localesDir), LOCALES_MANIFEST);
  writeFileAtomically(path, `${JSON.stringify(manifest, null, 2)}\n`);
  return path;
}
