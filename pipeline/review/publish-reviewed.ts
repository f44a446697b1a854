/**
 * What `relais run` and `relais publish` publish once reviewers have been at work: each segment's best
 * text (the reviewer's when there is one), or with `approvedOnly` only approved segments — missing keys
 * then fall back to the source language in i18next (`fallbackLng: 'fr'`). `locales/manifest.json`
 * records, for each bundle, its hash and every key's review state.
 */
import type { Lang } from '../artifacts.js';
import { sha256 } from '../job/hash.js';
import { writeFailure, writeFileAtomically } from '../job/fs-atomic.js';
import type { JobStore } from '../job/job-store.js';
import { RELAIS_VERSION } from '../paths.js';
import { closeSync, existsSync, mkdtempSync, openSync, readdirSync, readFileSync, readSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { buildSourceBundle, bundlePath, serializeBundle, type Bundle } from '../stages/publish/publish-bundles.js';
import type { SegmentedArticle } from '../artifacts.js';
import { RelaisError } from '../errors.js';
import { buildReviewArticle, decidedText, readReviewInputs, reviewedBundle } from './build-review.js';
import type { DecisionStore } from './decision-store.js';
import { SEGMENT_STATES, type SegmentState } from './review-model.js';

export const LOCALES_MANIFEST = 'manifest.json';

export interface LocalesManifest {
  generator: string;
  sourceLang: Lang;
  /** True when every bundle described was published with only approved segments (the rest falls back to the source language). */
  approvedOnly: boolean;
  /** Languages and namespaces of the bundles described: every bundle relais published under this folder, whatever job or run published it. */
  languages: Lang[];
  namespaces: string[];
  bundles: Record<Lang, Record<string, {
    file: string;
    /** sha256 of the bundle file as written. */
    sha256: string;
    /** Keys in the bundle (with approvedOnly, fewer than the article's segments). */
    keys: number;
    /** This bundle was published with only approved segments. */
    approvedOnly: boolean;
    /** Segments of the article by review state (`source` for the source language). */
    counts: Partial<Record<SegmentState | 'source', number>>;
    /** Each segment's state; a key missing from the bundle is published by the fallback language. */
    states: Record<string, SegmentState | 'source'>;
  }>>;
}

/**
 * `locales/manifest.json` as planned: everything but the bundles' entries, and each entry's text in a
 * file (a 1 MB article's entries are ~3 MB of text per language: not held until the publish).
 */
export interface ManifestPlan {
  head: Omit<LocalesManifest, 'bundles'>;
  /** In the manifest's order: by language (source first), then namespace; each entry's text in a file, or kept from an earlier manifest. */
  entries: Array<{ lang: Lang; namespace: string } & ({ file: string } | { text: string })>;
}

export interface PublishPlan {
  /** Each bundle in a file, as it will be published: the run holds none of them until the publish. */
  bundles: Array<{ lang: Lang; namespace: string; file: string }>;
  manifest: ManifestPlan;
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

/** Folders in the job where planners keep what they planned (one each; gone once published). */
const SPILL_PREFIX = '.publishing-';

/**
 * Plans a publish one namespace at a time: `relais run` plans each article as soon as it is
 * translated. Each bundle and its manifest entry go to a file in the job folder as they are planned,
 * so what a run holds for publishing does not grow with the articles: only file names are kept, and
 * publishing reads the files one at a time. Namespaces never added are planned from their artifacts
 * by `plan()`. `dispose()` removes the files.
 */
export class PublishPlanner {
  private readonly planned = new Map<string, Array<{ lang: Lang; file: string; entryFile: string }>>();
  private spill: string | undefined;
  private count = 0;

  constructor(
    private readonly job: JobStore,
    /** Opened when first needed (a getter: a run that fails early leaves no review database behind). */
    private readonly decisions: () => DecisionStore,
    private readonly o: PublishOptions,
  ) {}

  /** Plan `namespace` now: from what the run holds of it (`held`), or from its artifacts. */
  add(namespace: string, held?: PublishInputs): void {
    const { o } = this;
    const spill = (this.spill ??= spillFolder(this.job.dir));
    const n = this.count++;
    const records: Array<{ lang: Lang; file: string; entryFile: string }> = [];
    /** `bundle`: the object, or its serialized text with every id in it; `states[i]` is the state of `ids[i]`. */
    const record = (lang: Lang, bundle: Bundle | string, ids: readonly string[], states: ReadonlyArray<SegmentState | 'source'>) => {
      const text = typeof bundle === 'string' ? bundle : serializeBundle(bundle);
      const counts: Partial<Record<SegmentState | 'source', number>> = {};
      for (const s of states) counts[s] = (counts[s] ?? 0) + 1;
      const entry: Omit<ManifestEntry, 'states'> = {
        file: `${lang}/${namespace}.json`,
        sha256: sha256(text),
        keys: typeof bundle === 'string' ? ids.length : Object.keys(bundle).length,
        approvedOnly: o.approvedOnly,
        counts: Object.fromEntries(['source', ...SEGMENT_STATES].filter((s) => counts[s as SegmentState] !== undefined).map((s) => [s, counts[s as SegmentState]])),
      };
      const file = join(spill, `${n}.${lang}.json`);
      const entryFile = join(spill, `${n}.${lang}.entry.json`);
      for (const [path, data] of [[file, text], [entryFile, manifestEntryText(entry, ids, states)]] as const) {
        try {
          writeFileSync(path, data);
        } catch (e) {
          throw writeFailure(path, e); // the job folder is full, say: WRITE_FAILED naming the file
        }
      }
      records.push({ lang, file, entryFile });
    };
    if (held && o.targets.every((l) => held.targets.get(l)?.length === held.ids.length)) {
      record(o.sourceLang, held.sourceBundle, held.ids, held.ids.map(() => 'source' as const));
      for (const lang of o.targets) {
        const targets = held.targets.get(lang)!;
        const decided = this.decisions().decisions(namespace, lang);
        const bundle: Bundle = {};
        const states = held.ids.map((id, i) => {
          const { state, current, published } = decidedText(decided.get(id), targets[i]!);
          if (published && (!o.approvedOnly || state === 'approved')) bundle[id] = current;
          return state;
        });
        record(lang, bundle, held.ids, states);
      }
    } else {
      const segmented = this.job.readArtifact<SegmentedArticle>(namespace, 'segment.json');
      if (!segmented) throw new RelaisError('JOB_INCOMPLETE', `article "${namespace}" has not finished the segment stage`, { hint: 'Run `relais run <files…>` (it resumes where it stopped), then publish.' });
      const ids = segmented.segments.map((s) => s.id);
      record(o.sourceLang, buildSourceBundle(segmented), ids, ids.map(() => 'source' as const));
      for (const lang of o.targets) {
        // What is published does not depend on earlier runs: no snapshot to read (~5 MB of JSON for a 1 MB article).
        const article = buildReviewArticle(readReviewInputs(this.job, namespace, lang, segmented), this.decisions().decisions(namespace, lang));
        record(lang, reviewedBundle(article, o.approvedOnly), article.segments.map((s) => s.id), article.segments.map((s) => s.state));
      }
    }
    this.planned.set(namespace, records);
  }

  /** Every namespace's bundles and the manifest, in the order of `namespaces` (the same whatever order they were added in). */
  plan(): PublishPlan {
    const { o } = this;
    for (const namespace of o.namespaces) if (!this.planned.has(namespace)) this.add(namespace);
    const bundles: PublishPlan['bundles'] = [];
    const entries: ManifestPlan['entries'] = [];
    for (const namespace of o.namespaces) {
      for (const { lang, file } of this.planned.get(namespace)!) bundles.push({ lang, namespace, file });
    }
    const languages = [o.sourceLang, ...o.targets];
    for (const lang of languages) {
      for (const namespace of o.namespaces) {
        const r = this.planned.get(namespace)!.find((p) => p.lang === lang);
        if (r) entries.push({ lang, namespace, file: r.entryFile });
      }
    }
    const head = { generator: `relais ${RELAIS_VERSION}`, sourceLang: o.sourceLang, approvedOnly: o.approvedOnly, languages, namespaces: [...o.namespaces] };
    return { bundles, manifest: { head, entries } };
  }

  /** Remove what was planned (after publishing, or when the run stops). */
  dispose(): void {
    if (this.spill) rmSync(this.spill, { recursive: true, force: true });
    this.spill = undefined;
    this.planned.clear();
  }
}

function spillFolder(jobDir: string): string {
  try {
    return mkdtempSync(join(jobDir, SPILL_PREFIX));
  } catch (e) {
    throw writeFailure(join(jobDir, `${SPILL_PREFIX}…`), e);
  }
}

/**
 * A bundle's manifest entry as it stands in the manifest's text, three levels in (bundles → language
 * → namespace): what `JSON.stringify` of the manifest with `states` as an object writes (segment ids
 * are never integer-like, so an object would keep their order), built from the ids and states as
 * they are, without a 10,000-key object per bundle.
 */
function manifestEntryText(entry: Omit<ManifestEntry, 'states'>, ids: readonly string[], states: readonly string[]): string {
  const pad = ' '.repeat(6);
  const head = JSON.stringify(entry, null, 2).slice(0, -2).replace(/\n/g, `\n${pad}`); // without its closing "\n}"
  const lines = ids.map((id, i) => `${pad}    ${JSON.stringify(id)}: ${JSON.stringify(states[i])}`);
  return `${head},\n${pad}  "states": ${lines.length === 0 ? '{}' : `{\n${lines.join(',\n')}\n${pad}  }`}\n${pad}}`;
}

/** Planners' files left by a run that was killed (call with the job locked: no planner is at work). */
export function removePlannerDebris(jobDir: string): void {
  let names: string[];
  try {
    names = readdirSync(jobDir);
  } catch {
    return;
  }
  for (const name of names) if (name.startsWith(SPILL_PREFIX)) rmSync(join(jobDir, name), { recursive: true, force: true });
}

/** Plan every namespace (the caller disposes of the planner once the plan is written). */
export function planPublish(job: JobStore, decisions: DecisionStore, o: PublishOptions, known: ReadonlyMap<string, PublishInputs> = new Map()): { planner: PublishPlanner; plan: PublishPlan } {
  const planner = new PublishPlanner(job, () => decisions, o);
  for (const namespace of o.namespaces) planner.add(namespace, known.get(namespace));
  return { planner, plan: planner.plan() };
}

/** The manifest's text, piece by piece, as `JSON.stringify(manifest, null, 2)` would write it. */
export function* manifestChunks(m: ManifestPlan): Generator<string | Buffer> {
  const mark = '\u0000bundles';
  const [before, after] = JSON.stringify({ ...m.head, bundles: mark }, null, 2).split(JSON.stringify(mark)) as [string, string];
  if (m.entries.length === 0) {
    yield `${before}{}${after}\n`;
    return;
  }
  yield `${before}{`;
  let lang: Lang | undefined;
  for (const e of m.entries) {
    const first = e.lang !== lang;
    if (first) yield `${lang === undefined ? '' : '\n    },'}\n    ${JSON.stringify(e.lang)}: {`;
    lang = e.lang;
    yield `${first ? '' : ','}\n      ${JSON.stringify(e.namespace)}: `;
    yield 'file' in e ? readFileSync(e.file) : e.text;
  }
  yield `\n    }\n  }${after}\n`;
}

/**
 * Written after the bundles, atomically, with the locales folder's lock still held (see `writeBundles`'
 * `afterSwap`): a reader sees the old manifest or the new one, and two publishers do not overwrite each
 * other's entries. The manifest describes every bundle relais published under `localesDir`, not only
 * this publish's: an earlier manifest's entries for bundles this publish did not write (another job's
 * articles, a language left out of this run's `--to`) are kept while their bundle is still the one
 * they describe (same sha256); the others are dropped, and named in `dropped`.
 */
/**
 * `locales/manifest.json` without the entries of taken-down namespaces (`relais publish --remove`).
 * Returns the languages each namespace was described in.
 */
export function removeFromLocalesManifest(localesDir: string, namespaces: readonly string[]): Record<string, Lang[]> {
  const path = join(resolve(localesDir), LOCALES_MANIFEST);
  const found: Record<string, Lang[]> = Object.fromEntries(namespaces.map((n) => [n, []]));
  if (!existsSync(path)) return found;
  const m = JSON.parse(readFileSync(path, 'utf8')) as LocalesManifest;
  for (const [lang, byNamespace] of Object.entries(m.bundles ?? {})) {
    for (const ns of namespaces) {
      if (byNamespace && ns in byNamespace) {
        delete byNamespace[ns];
        found[ns]!.push(lang);
      }
    }
  }
  m.namespaces = (m.namespaces ?? []).filter((n) => !namespaces.includes(n));
  writeFileAtomically(path, `${JSON.stringify(m, null, 2)}\n`);
  return found;
}

export function writeLocalesManifest(localesDir: string, manifest: ManifestPlan): { path: string; kept: number; dropped: string[] } {
  const root = resolve(localesDir);
  const path = join(root, LOCALES_MANIFEST);
  const merged = withEarlierEntries(root, path, manifest);
  writeFileAtomically(path, manifestChunks(merged.plan));
  return { path, kept: merged.kept, dropped: merged.dropped };
}

/** The earlier manifest's entries this publish did not replace and that still describe their bundle, added to `plan`. */
function withEarlierEntries(root: string, path: string, plan: ManifestPlan): { plan: ManifestPlan; kept: number; dropped: string[] } {
  const unchanged = { plan, kept: 0, dropped: [] };
  const head = readManifestHead(path);
  if (head === 'none') return unchanged;
  const { languages, namespaces } = plan.head;
  // The usual re-run publishes every bundle the last one described: its entries (~3 MB of text per
  // language for a 1 MB article) need not be read.
  if (head && head.languages.every((l) => languages.includes(l)) && head.namespaces.every((n) => namespaces.includes(n))) return unchanged;
  let earlier: LocalesManifest;
  try {
    earlier = JSON.parse(readFileSync(path, 'utf8')) as LocalesManifest;
    if (typeof earlier.bundles !== 'object' || earlier.bundles === null) throw new Error('no "bundles" object');
  } catch (e) {
    return { ...unchanged, dropped: [`every entry of the earlier ${LOCALES_MANIFEST} (${e instanceof Error ? e.message : String(e)})`] };
  }
  const replaced = new Set(plan.entries.map((e) => `${e.lang}\0${e.namespace}`));
  const keptEntries: Array<{ lang: Lang; namespace: string; text: string; approvedOnly: boolean }> = [];
  const dropped: string[] = [];
  for (const [lang, byNamespace] of Object.entries(earlier.bundles)) {
    for (const [namespace, entry] of Object.entries(byNamespace ?? {})) {
      if (replaced.has(`${lang}\0${namespace}`)) continue;
      const name = `${lang}/${namespace}.json`;
      let bytes: Buffer;
      try {
        bytes = readFileSync(bundlePath(root, lang, namespace));
      } catch (e) {
        dropped.push(`${name} (${(e as NodeJS.ErrnoException).code === 'ENOENT' ? 'no longer there' : 'not readable'})`);
        continue;
      }
      if (typeof entry?.sha256 !== 'string' || sha256(bytes) !== entry.sha256) {
        dropped.push(`${name} (changed since relais published it)`);
        continue;
      }
      const approvedOnly = typeof entry.approvedOnly === 'boolean' ? entry.approvedOnly : earlier.approvedOnly === true;
      const { file, sha256: hash, keys, counts, states } = entry;
      const text = JSON.stringify({ file, sha256: hash, keys, approvedOnly, counts, states }, null, 2).replace(/\n/g, `\n${' '.repeat(6)}`);
      keptEntries.push({ lang, namespace, text, approvedOnly });
    }
  }
  if (keptEntries.length === 0) return { ...unchanged, dropped };
  const allLanguages = [...languages, ...new Set(keptEntries.map((e) => e.lang).filter((l) => !languages.includes(l)))];
  const allNamespaces = [...namespaces, ...new Set(keptEntries.map((e) => e.namespace).filter((n) => !namespaces.includes(n)))];
  const fresh = new Map(plan.entries.map((e) => [`${e.lang}\0${e.namespace}`, e]));
  const kept = new Map(keptEntries.map((e) => [`${e.lang}\0${e.namespace}`, e]));
  const entries: ManifestPlan['entries'] = [];
  for (const lang of allLanguages) {
    for (const namespace of allNamespaces) {
      const key = `${lang}\0${namespace}`;
      const e = fresh.get(key) ?? kept.get(key);
      if (e) entries.push('file' in e ? e : { lang, namespace, text: e.text });
    }
  }
  const head2 = { ...plan.head, approvedOnly: plan.head.approvedOnly && keptEntries.every((e) => e.approvedOnly), languages: allLanguages, namespaces: allNamespaces };
  return { plan: { head: head2, entries }, kept: keptEntries.length, dropped };
}

/**
 * The head of `locales/manifest.json` (everything before `bundles`), read from its first 64 KiB as
 * relais writes it; undefined when it cannot be read that way, 'none' when there is no manifest.
 */
function readManifestHead(path: string): { languages: string[]; namespaces: string[] } | undefined | 'none' {
  let text: string;
  try {
    const fd = openSync(path, 'r');
    try {
      const buf = Buffer.alloc(64 * 1024);
      text = buf.subarray(0, readSync(fd, buf, 0, buf.length, 0)).toString('utf8');
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 'none';
    return undefined;
  }
  const at = text.indexOf('\n  "bundles": ');
  if (at < 0) return undefined;
  try {
    const head = JSON.parse(`${text.slice(0, at).replace(/,\s*$/, '')}\n}`) as Partial<LocalesManifest>;
    const strings = (v: unknown): v is string[] => Array.isArray(v) && v.every((x) => typeof x === 'string');
    return strings(head.languages) && strings(head.namespaces) ? { languages: head.languages, namespaces: head.namespaces } : undefined;
  } catch {
    return undefined;
  }
}
