/**
 * The typed API behind the CLI: run a job (ingest → segment → translate → align → publish), read its
 * status and artifacts, publish it. Other Node programs drive relais through these functions.
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import type {
  Glossary, IngestedArticle, Lang, ProgressEvent, SegmentedArticle, StageName, TranslatedArticle,
} from './artifacts.js';
import { createEngine } from './engines/create-engine.js';
import type { Engine } from './engines/engine.js';
import { RelaisError } from './errors.js';
import { readGlossary } from './glossary/parse.js';
import { sha256 } from './job/hash.js';
import { JobStore, DEFAULT_JOB_DIR } from './job/job-store.js';
import { acquireJobLock } from './job/lock.js';
import { writeFileAtomically } from './job/fs-atomic.js';
import { RELAIS_VERSION } from './paths.js';
import { decodeArticle } from './stages/ingest/decode-text.js';
import { ingestArticle, namespaceOf } from './stages/ingest/ingest-article.js';
import { segmentArticle } from './stages/segment/segment-article.js';
import { loadSegmentRules } from './stages/segment/segment-text.js';
import { runTranslateStage } from './stages/translate/translate-stage.js';
import { buildTmx, tmxDate } from './stages/align/build-tmx.js';
import { renderAlignedHtml } from './stages/align/render-html.js';
import { buildSourceBundle, buildTargetBundle, writeBundles } from './stages/publish/publish-bundles.js';
import { validateTargets } from './languages.js';

export interface RunOptions {
  /** Article files (UTF-8 text, first line = title). */
  files: readonly string[];
  /** Target languages. @default the glossary's `languages` */
  targets?: readonly Lang[];
  /** Engine name or instance. @default 'apertium' */
  engine?: string | Engine;
  /** @default '.relais/jobs/default' */
  jobDir?: string;
  /** Publish bundles at the end. @default true */
  publish?: boolean;
  /** @default 'locales' */
  localesDir?: string;
  /** @default 'glossary.yaml' */
  glossaryFile?: string;
  onProgress?: (e: ProgressEvent) => void;
}

export interface LanguageSummary {
  lang: Lang;
  segments: number;
  /** Glossary occurrences rendered as the glossary says. */
  termsApplied: number;
  /** Segments with at least one QA flag. */
  flaggedSegments: number;
  flags: number;
  /** Segments sent to the engine in this run (0 = all from the job's journal). */
  translatedNow: number;
  ms: number;
}

export interface RunSummary {
  jobDir: string;
  articles: Array<{ file: string; namespace: string; segments: number; furniture: number; notes: string[] }>;
  languages: LanguageSummary[];
  /** Files written under locales/ (empty with publish: false). */
  published: string[];
  /** Per-language TMX and HTML review files. */
  alignFiles: string[];
  ms: number;
}

const INGEST_VERSION = 'ingest-1';
const SEGMENT_VERSION = 'segment-1';

export async function runJob(options: RunOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const emit = options.onProgress ?? (() => {});
  if (options.files.length === 0) throw new RelaisError('OPTION_INVALID', 'no article given', { hint: 'relais run seeds/*.txt' });
  const glossary = readGlossary(options.glossaryFile ?? 'glossary.yaml');
  const targets = validateTargets(options.targets ?? glossary.languages, glossary.source);
  const files = options.files.map((f) => checkInput(f));
  const namespaces = new Map<string, string>();
  for (const f of files) {
    const ns = namespaceOf(f, glossary.source);
    const other = namespaces.get(ns);
    if (other) throw new RelaisError('OPTION_INVALID', `"${other}" and "${f}" would publish to the same namespace "${ns}"`, { hint: 'Rename one of the files.' });
    namespaces.set(ns, f);
  }
  // A bad article stops the run before the job, its manifest or the engine is touched.
  for (const file of namespaces.values()) decodeArticle(readFileSync(file), file);

  const engineOwned = typeof options.engine !== 'object';
  const engine = typeof options.engine === 'object' ? options.engine : createEngine(options.engine ?? 'apertium');
  try {
    for (const t of targets) {
      if (!engine.supports(glossary.source, t)) {
        throw new RelaisError('LANGUAGE_UNSUPPORTED', `engine ${engine.info.id} cannot translate ${glossary.source} → ${t}`, {
          hint: 'Check `relais run --help` for the languages each engine serves.',
        });
      }
    }
    const store = new JobStore(options.jobDir ?? DEFAULT_JOB_DIR);
    const lock = acquireJobLock(store.dir);
    try {
      store.writeManifest({
        kind: 'job', version: 1,
        sources: [...namespaces].map(([namespace, file]) => ({ file: relative(process.cwd(), resolve(file)) || file, namespace })),
        sourceLang: glossary.source, targets: [...targets], engine: engine.info.id,
        glossary: { file: glossary.file, hash: glossary.hash }, updated: new Date().toISOString(),
      });
      const perLang = new Map<Lang, LanguageSummary>(targets.map((l) => [l, { lang: l, segments: 0, termsApplied: 0, flaggedSegments: 0, flags: 0, translatedNow: 0, ms: 0 }]));
      const articles: RunSummary['articles'] = [];
      const alignFiles: string[] = [];
      const toPublish: Array<{ lang: Lang; namespace: string; bundle: Record<string, string> }> = [];

      for (const [namespace, file] of namespaces) {
        const ingested = stage(emit, 'ingest', namespace, () => runIngest(store, file, namespace, glossary.source));
        const segmented = stage(emit, 'segment', namespace, () => runSegment(store, ingested));
        const { articles: translated, engineSegments, msByLang } = await runTranslateStage({ store, segmented, glossary, engine, targets, onProgress: emit });
        for (const t of translated) store.writeArtifact(namespace, `translate/${t.targetLang}.json`, sha256(JSON.stringify(t.segments.map((s) => s.cacheKey))), t);
        stage(emit, 'align', namespace, () => {
          for (const t of translated) alignFiles.push(...writeAlignment(store, t, glossary, ingested.title.text));
        });
        articles.push({ file, namespace, segments: segmented.segments.length, furniture: ingested.furniture.length, notes: ingested.notes });
        toPublish.push({ lang: glossary.source, namespace, bundle: buildSourceBundle(segmented) });
        for (const t of translated) {
          const s = perLang.get(t.targetLang)!;
          s.segments += t.segments.length;
          s.termsApplied += t.segments.reduce((n, x) => n + x.termsApplied.length, 0);
          s.flaggedSegments += t.segments.filter((x) => x.flags.length > 0).length;
          s.flags += t.segments.reduce((n, x) => n + x.flags.length, 0);
          s.translatedNow += engineSegments[t.targetLang] ?? 0;
          s.ms += msByLang[t.targetLang] ?? 0;
          toPublish.push({ lang: t.targetLang, namespace, bundle: buildTargetBundle(t) });
        }
      }

      let published: string[] = [];
      if (options.publish !== false) {
        published = stage(emit, 'publish', [...namespaces.keys()].join(','), () => writeBundles(options.localesDir ?? 'locales', toPublish));
        recordPublish(store, published);
      }
      const summary: RunSummary = { jobDir: store.dir, articles, languages: [...perLang.values()], published, alignFiles, ms: Date.now() - t0 };
      writeFileAtomically(`${store.dir}/last-run.json`, `${JSON.stringify({ ...summary, finished: new Date().toISOString() }, null, 2)}\n`);
      return summary;
    } finally {
      lock.release();
    }
  } finally {
    if (engineOwned) await engine.close();
  }
}

function stage<T>(emit: (e: ProgressEvent) => void, name: StageName, namespace: string, fn: () => T): T {
  const t = Date.now();
  emit({ type: 'stage-start', stage: name, namespace });
  const out = fn();
  emit({ type: 'stage-done', stage: name, namespace, cached: false, ms: Date.now() - t });
  return out;
}

function checkInput(file: string): string {
  if (!existsSync(file)) throw new RelaisError('INPUT_NOT_FOUND', `no such file: ${file}`, { place: { file } });
  if (!statSync(file).isFile()) throw new RelaisError('INPUT_NOT_FOUND', `not a file: ${file}`, { place: { file } });
  return file;
}

function runIngest(store: JobStore, file: string, namespace: string, sourceLang: Lang): IngestedArticle {
  const bytes = readFileSync(file);
  const inputHash = sha256(Buffer.concat([Buffer.from(`${INGEST_VERSION}\0${sourceLang}\0`), bytes]));
  const cached = store.readArtifact<IngestedArticle>(namespace, 'ingest.json', inputHash);
  if (cached) return cached;
  const { text, notes } = decodeArticle(bytes, file);
  const article = ingestArticle({ text, file, namespace, sourceHash: sha256(bytes), sourceLang, notes });
  store.writeArtifact(namespace, 'ingest.json', inputHash, article);
  return article;
}

function runSegment(store: JobStore, ingested: IngestedArticle): SegmentedArticle {
  const rules = loadSegmentRules(ingested.sourceLang);
  const inputHash = sha256(JSON.stringify([SEGMENT_VERSION, ingested, rules]));
  const cached = store.readArtifact<SegmentedArticle>(ingested.namespace, 'segment.json', inputHash);
  if (cached) return cached;
  const segmented = segmentArticle(ingested, rules);
  store.writeArtifact(ingested.namespace, 'segment.json', inputHash, segmented);
  return segmented;
}

function writeAlignment(store: JobStore, t: TranslatedArticle, glossary: Glossary, title: string): string[] {
  const tmxPath = store.artifactPath(t.namespace, `align/${t.targetLang}.tmx`);
  const htmlPath = store.artifactPath(t.namespace, `align/${t.targetLang}.html`);
  writeFileAtomically(tmxPath, buildTmx(t, { toolVersion: RELAIS_VERSION, creationDate: tmxDate(new Date()) }));
  writeFileAtomically(htmlPath, renderAlignedHtml(t, glossary, title));
  return [tmxPath, htmlPath];
}

/* ------------------------------------------------------------------ status and publish */

export interface JobStatus {
  jobDir: string;
  targets: Lang[];
  engine: string;
  articles: Array<{
    namespace: string;
    file: string;
    stages: Record<StageName, 'done' | 'pending' | 'partial'>;
    segments?: number;
    languages: Record<Lang, { translated: number; total: number; flagged: number }>;
  }>;
}

export function readJobStatus(jobDir: string = DEFAULT_JOB_DIR): JobStatus {
  const store = new JobStore(jobDir);
  const m = store.readManifest();
  const published = store.readArtifact<{ namespaces: string[] }>('_shared', 'published.json');
  return {
    jobDir: store.dir,
    targets: m.targets,
    engine: m.engine,
    articles: m.sources.map(({ namespace, file }) => {
      const segmented = store.readArtifact<SegmentedArticle>(namespace, 'segment.json');
      const total = segmented?.segments.length ?? 0;
      const languages: JobStatus['articles'][number]['languages'] = {};
      for (const lang of m.targets) {
        // A journal entry counts for a segment when it has the same id and source text.
        const byId = new Map([...store.readJournal(namespace, lang).values()].map((j) => [`${j.id}\0${j.source}`, j]));
        const done = (segmented?.segments ?? []).map((s) => byId.get(`${s.id}\0${s.text}`)).filter((j) => j !== undefined);
        languages[lang] = { translated: done.length, total, flagged: done.filter((j) => j.flags.length > 0).length };
      }
      const allDone = m.targets.every((l) => languages[l]!.translated === total && total > 0);
      const someDone = m.targets.some((l) => languages[l]!.translated > 0);
      const aligned = m.targets.every((l) => existsSync(store.artifactPath(namespace, `align/${l}.tmx`)));
      return {
        namespace, file,
        stages: {
          ingest: store.readArtifact(namespace, 'ingest.json') ? 'done' : 'pending',
          segment: segmented ? 'done' : 'pending',
          translate: allDone ? 'done' : someDone ? 'partial' : 'pending',
          align: allDone && aligned ? 'done' : 'pending',
          publish: published?.namespaces.includes(namespace) && allDone ? 'done' : 'pending',
        },
        segments: total,
        languages,
      };
    }),
  };
}

/** Publish the bundles of a finished job (what `relais run` does at its end). */
export function publishJob(options: { jobDir?: string; localesDir?: string } = {}): string[] {
  const store = new JobStore(options.jobDir ?? DEFAULT_JOB_DIR);
  const m = store.readManifest();
  const bundles: Array<{ lang: Lang; namespace: string; bundle: Record<string, string> }> = [];
  for (const { namespace } of m.sources) {
    const segmented = store.readArtifact<SegmentedArticle>(namespace, 'segment.json');
    if (!segmented) throw incomplete(namespace, 'segment');
    bundles.push({ lang: m.sourceLang, namespace, bundle: buildSourceBundle(segmented) });
    for (const lang of m.targets) {
      const t = readTranslation(store, namespace, lang);
      if (!t || t.segments.length !== segmented.segments.length || t.segments.some((s, i) => !s || s.id !== segmented.segments[i]!.id)) {
        throw incomplete(namespace, `translate (${lang})`);
      }
      bundles.push({ lang, namespace, bundle: buildTargetBundle(t) });
    }
  }
  const files = writeBundles(options.localesDir ?? 'locales', bundles);
  recordPublish(store, files, m.sources.map((s) => s.namespace));
  return files;
}

function recordPublish(store: JobStore, files: string[], namespaces = store.readManifest().sources.map((s) => s.namespace)): void {
  store.writeArtifact('_shared', 'published.json', '', { namespaces, files, at: new Date().toISOString() });
}

export function readTranslation(store: JobStore, namespace: string, lang: Lang): TranslatedArticle | undefined {
  return store.readArtifact<TranslatedArticle>(namespace, `translate/${lang}.json`);
}

function incomplete(namespace: string, stageName: string): RelaisError {
  return new RelaisError('JOB_INCOMPLETE', `article "${namespace}" has not finished the ${stageName} stage`, {
    hint: 'Run `relais run <files…>` (it resumes where it stopped), then publish.',
  });
}
