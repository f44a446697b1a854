/**
 * The typed API behind the CLI: run a job (ingest → segment → translate → align → publish), read its
 * status and artifacts, publish it. Other Node programs drive relais through these functions.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { dirname, join, relative, resolve } from 'node:path';
import type {
  Glossary, IngestedArticle, Lang, ProgressEvent, SegmentedArticle, StageName, TranslatedArticle,
} from './artifacts.js';
import { createEngine } from './engines/create-engine.js';
import type { Engine } from './engines/engine.js';
import type { DeepLEvent } from './engines/deepl.js';
import { RelaisError } from './errors.js';
import { readGlossary } from './glossary/parse.js';
import { sha256 } from './job/hash.js';
import { JobStore, DEFAULT_JOB_DIR } from './job/job-store.js';
import { acquireJobLock } from './job/lock.js';
import { writeFileAtomically } from './job/fs-atomic.js';
import { BillingRecorder, readBilledCharacters } from './job/billing.js';
import { checkArticleSize, decodeArticle, shellQuote } from './stages/ingest/decode-text.js';
import { ingestArticle, namespaceOf } from './stages/ingest/ingest-article.js';
import { secondOpinionOn, startSourceAnalyzer, type SourceAnalyzerProcess } from './stages/ingest/source-analyzer.js';
import { segmentArticle, sentencesByParagraph, type KnownSentence } from './stages/segment/segment-article.js';
import { loadSegmentRules } from './stages/segment/segment-text.js';
import { runTranslateStage, textsToSend } from './stages/translate/translate-stage.js';
import { readTranslation, writeTranslation } from './stages/translate/translation-artifact.js';

export { readTranslation };
import { AlignmentWriter, alignmentJob } from './stages/align/align-writer.js';
import { bundlePath, writeBundles } from './stages/publish/publish-bundles.js';
import { carryDecisions, GLOSSARY_CHANGED } from './review/build-review.js';
import { FROM_MEMORY, learnReviewedTexts, offerReviewedTexts } from './review/reviewed-memory.js';
import { DECISIONS_FILE, DecisionStore } from './review/decision-store.js';
import { TranslationMemory, type MemoryStore } from './memory/translation-memory.js';
import { withCostLimit } from './engines/cost-limit.js';
import { planPublish, publishInputsOf, PublishPlanner, removeFromLocalesManifest, removePlannerDebris, writeLocalesManifest, LOCALES_MANIFEST, type PublishPlan } from './review/publish-reviewed.js';
import { KNOWN_LANGUAGES, validateTargets } from './languages.js';

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
  /**
   * The translation memory shared by jobs side by side: identical segments finished by any of them are
   * reused without the engine. `false`: none. @default `tm.sqlite` in the folder holding the job folder
   */
  memoryFile?: string | false;
  /**
   * Publish only segments a reviewer approved (the rest falls back to the source language). Unset: as
   * the locales folder was last published (`approvedOnly` of its manifest), else false — a folder
   * published approved-only stays so until a run or publish is told `false` (`--all-segments`).
   */
  approvedOnly?: boolean;
  /** @default 'glossary.yaml' */
  glossaryFile?: string;
  onProgress?: (e: ProgressEvent) => void;
  /**
   * Paid engines (DeepL): stop before any translation request when the run would send more than this
   * many characters. The run also stops when it would need more than the billing period has left.
   */
  maxChars?: number;
  /** DeepL: requests in flight at once. @default 4 */
  concurrency?: number;
  /** DeepL: requests started per second, at most. @default no cap */
  requestsPerSecond?: number;
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
  /** Characters billed by a paid engine in this run (0 for Apertium and pseudo). */
  billedCharacters: number;
  /** Segments taken from the translation memory (finished in another job) instead of the engine. */
  memoryHits: number;
  ms: number;
}

export interface RunSummary {
  jobDir: string;
  articles: Array<{ file: string; namespace: string; segments: number; furniture: number; notes: string[] }>;
  languages: LanguageSummary[];
  /** Bundles written under locales/ (empty with publish: false). */
  published: string[];
  /** locales/manifest.json, written after the bundles (absent with publish: false). */
  manifest?: string;
  /** Per-language TMX and HTML review files. */
  alignFiles: string[];
  /** Characters billed in this run, all languages; and in every run of this job so far (billing.jsonl). */
  billedCharacters: { run: number; job: number };
  /** The bundles hold approved segments only (asked for, or kept from the folder's last publish). */
  approvedOnly: boolean;
  ms: number;
}

/**
 * Whether a publish into `localesDir` holds approved segments only: as asked, else as the folder was
 * last published (its manifest says), else not. `kept` when the folder's policy was carried over.
 */
export function publishPolicy(localesDir: string, asked: boolean | undefined): { approvedOnly: boolean; kept: boolean } {
  if (asked !== undefined) return { approvedOnly: asked, kept: false };
  try {
    const m = JSON.parse(readFileSync(join(localesDir, LOCALES_MANIFEST), 'utf8')) as { approvedOnly?: unknown };
    if (m.approvedOnly === true) return { approvedOnly: true, kept: true };
  } catch {
    // no manifest yet, or not one of relais': nothing to keep
  }
  return { approvedOnly: false, kept: false };
}

/** Said when a run or publish keeps the folder's approved-only policy. */
export function keptPolicyNotice(localesDir: string): string {
  return `${localesDir} was last published with approved segments only: so is this publish (--all-segments publishes machine translations too)`;
}

// ingest-2: VT, FF, U+2028 and U+2029 become line breaks (they were joined into one segment).
// ingest-3: a paragraph whose function words are clearly the source language's is in it (detect-language.ts).
// ingest-4: a paragraph franc calls foreign is in the source language when its analyzer knows its words (source-analyzer.ts).
// ingest-5: a paragraph of names only is in the source language; the analyzer judges the words outside quotations, and two known words are enough.
const INGEST_VERSION = 'ingest-5';
// segment-3: a line lettered as a list item ("a) pour les couples") is a sentence of its own, lowercase or not.
const SEGMENT_VERSION = 'segment-3';

/** A run's inputs, checked before the job, its manifest or the engine is touched. */
export interface RunInputs {
  glossary: Glossary;
  targets: Lang[];
  /** Namespace → article file. */
  namespaces: Map<string, string>;
  /** Where the run publishes (absolute): recorded in job.json for `relais publish`. */
  locales: string;
}

/** Checks a run's articles, glossary and languages: a bad article stops the run before anything is written. */
export function readRunInputs(options: Pick<RunOptions, 'files' | 'targets' | 'glossaryFile' | 'localesDir'>): RunInputs {
  if (options.files.length === 0) throw new RelaisError('OPTION_INVALID', 'no article given', { hint: 'relais run seeds/*.txt' });
  const glossary = readGlossary(options.glossaryFile ?? 'glossary.yaml');
  const targets = validateTargets(options.targets ?? glossary.languages, glossary.source);
  const files = options.files.map((f) => checkInput(f));
  const namespaces = new Map<string, string>();
  for (const f of files) {
    const ns = namespaceOf(f, glossary.source);
    const other = namespaces.get(ns);
    if (other && resolve(other) === resolve(f)) throw new RelaisError('OPTION_INVALID', `"${f}" is given twice`, { hint: 'Give each article once (a glob and a file name can both name it).' });
    if (other) {
      // The copy an earlier INPUT_NOT_UTF8 hint had written beside the original ("a.utf8.txt").
      const copy = [other, f].find((x) => /\.utf8(\.[^./\\]*)?$/.test(x));
      const original = copy === undefined ? undefined : [other, f].find((x) => x !== copy);
      throw new RelaisError('OPTION_INVALID', `"${other}" and "${f}" would publish to the same namespace "${ns}"`, {
        hint: copy && original ? `"${copy}" is the UTF-8 copy of "${original}": remove the original (mv "${copy}" "${original}").` : 'Rename one of the files.',
      });
    }
    namespaces.set(ns, f);
  }
  for (const file of namespaces.values()) decodeArticle(readFileSync(file), file);
  return { glossary, targets: [...targets], namespaces, locales: resolve(options.localesDir ?? 'locales') };
}

/**
 * Every target is one the engine serves here; else LANGUAGE_UNSUPPORTED with the languages it does
 * serve on this machine, and the glossary file when the languages came from its `languages`.
 */
export function checkEngineServes(engine: Engine, sourceLang: Lang, targets: readonly Lang[], fromGlossary?: string): void {
  for (const t of targets) {
    if (!engine.supports(sourceLang, t)) {
      const served = [...KNOWN_LANGUAGES].filter((l) => l !== sourceLang && !l.includes('-') && engine.supports(sourceLang, l));
      const where = fromGlossary === undefined ? '' : ` (${t} is in \`languages\` of ${fromGlossary}; --to chooses others)`;
      throw new RelaisError('LANGUAGE_UNSUPPORTED', `engine ${engine.info.id} cannot translate ${sourceLang} → ${t}${where}`, {
        hint: served.length > 0
          ? `Here ${engine.info.id} translates ${sourceLang} into: ${served.join(', ')}.${engine.info.id === 'apertium' ? ' Other Apertium pairs are Debian packages (apt-get install apertium-…).' : ''}`
          : `${engine.info.id} translates nothing from ${sourceLang} on this machine.`,
      });
    }
  }
}

export interface PreparedArticle {
  namespace: string;
  file: string;
  ingested: IngestedArticle;
  segmented: SegmentedArticle;
}

/**
 * Writes the job manifest, then ingests and segments every article (cached by input hash).
 * `onChanged` is called when an article is new or changed since the last run (its ingest is not cached):
 * there is translating ahead, and the caller can start the engine meanwhile.
 * `hold: 'first'` keeps only the first article in memory; the others read their stage artifacts back
 * each time `ingested` or `segmented` is read, so a run over many articles holds one at a time.
 */
export async function prepareArticles(
  store: JobStore, inputs: RunInputs, engineId: string, emit: (e: ProgressEvent) => void, onChanged?: () => void, hold: 'all' | 'first' = 'all',
): Promise<PreparedArticle[]> {
  const { glossary, targets, namespaces } = inputs;
  // A language an earlier run translated and this one does not: its translations and decisions stay in
  // the folder, but review, export and publish follow this run's languages. Say so.
  let before: string[] = [];
  let earlier: string[] = [];
  try {
    // Only about articles this run translates again (the default job serves one article after another).
    const m = store.exists() ? store.readManifest() : undefined;
    if (m?.sources.some((x) => namespaces.has(x.namespace))) before = m.targets;
    earlier = m?.sources.map((x) => x.namespace) ?? [];
  } catch {
    // a damaged job.json is rewritten below
  }
  const left = before.filter((l) => !targets.includes(l));
  if (left.length > 0) {
    emit({ type: 'warning', message: `${left.join(', ')} ${left.length === 1 ? 'is' : 'are'} no longer among this job's languages (this run is --to ${targets.join(',')}): ${left.length === 1 ? 'its' : 'their'} translations and review decisions are kept in ${store.dir}, but review, export and publish now cover ${targets.join(', ')} only. Run with --to ${[...targets, ...left].join(',')} to keep ${left.length === 1 ? 'it' : 'them'}.` });
  }
  store.writeManifest({
    kind: 'job', version: 1,
    sources: [...namespaces].map(([namespace, file]) => ({ file: relative(process.cwd(), resolve(file)) || file, namespace })),
    sourceLang: glossary.source, targets: [...targets], engine: engineId,
    glossary: { file: glossary.file, path: resolve(glossary.file), hash: glossary.hash }, locales: inputs.locales,
    updated: new Date().toISOString(),
  });
  const prepared: PreparedArticle[] = [];
  // One analyzer process for every article that needs a second opinion on its language.
  const analyzer = new LazyAnalyzer(glossary.source);
  try {
    for (const [namespace, file] of namespaces) {
      const t = Date.now();
      emit({ type: 'stage-start', stage: 'ingest', namespace });
      const ingested = await runIngest(store, file, namespace, glossary.source, analyzer, onChanged);
      emit({ type: 'stage-done', stage: 'ingest', namespace, cached: false, ms: Date.now() - t });
      const segmented = stage(emit, 'segment', namespace, () => runSegment(store, ingested));
      if (!earlier.includes(namespace)) carryRenamed(store, earlier.filter((ns) => !namespaces.has(ns)), segmented, emit, inputs.locales);
      prepared.push(hold === 'all' || prepared.length === 0 ? { namespace, file, ingested, segmented } : readBack(store, namespace, file));
    }
  } finally {
    analyzer.close();
  }
  return prepared;
}

/**
 * A new article that is one the job had under another name (its file renamed: most of the sentences of
 * an article the last run had and this one has not): the review decisions follow it, and the run says
 * so and that the old name's bundles stay published. Decisions are keyed by article, so they had been
 * left behind without a word.
 */
function carryRenamed(store: JobStore, gone: readonly string[], segmented: SegmentedArticle, emit: (e: ProgressEvent) => void, localesDir: string): void {
  if (gone.length === 0) return;
  const ids = new Set(segmented.segments.map((s) => s.id));
  for (const old of gone) {
    const was = store.readArtifact<SegmentedArticle>(old, 'segment.json');
    if (!was || was.segments.length === 0) continue;
    const shared = was.segments.filter((s) => ids.has(s.id)).length;
    if (shared / was.segments.length < 0.8) continue;
    const decisions = new DecisionStore(store.dir);
    let carried = 0;
    try {
      const langs = new Set(decisions.languagesOf(old));
      for (const lang of langs) {
        const have = decisions.decisions(segmented.namespace, lang);
        const moving = [...decisions.decisions(old, lang).values()].filter((d) => ids.has(d.segmentId) && !have.has(d.segmentId));
        decisions.save(moving.map((d) => ({ ...d, namespace: segmented.namespace })));
        carried += moving.length;
      }
    } finally {
      decisions.close();
    }
    emit({
      type: 'warning', namespace: segmented.namespace,
      message: `taken for "${old}" renamed (${shared} of its ${was.segments.length} sentences): ${carried} review decision${carried === 1 ? '' : 's'} carried over. "${old}"'s bundles are still published; to take them down: relais publish --remove ${old}${relative(process.cwd(), localesDir) === 'locales' ? '' : ` --locales ${relative(process.cwd(), localesDir) || '.'}`}`,
    });
    return;
  }
}

/** The source language's analyzer (source-analyzer.ts), looked for and started only when first asked. */
class LazyAnalyzer {
  private process: SourceAnalyzerProcess | undefined | null = null;

  constructor(private readonly sourceLang: Lang) {}

  ask(texts: readonly string[]): Promise<boolean[]> {
    if (this.process === null) this.process = startSourceAnalyzer(this.sourceLang);
    return this.process ? this.process.ask(texts) : Promise.resolve(texts.map(() => false));
  }

  close(): void {
    this.process?.close();
  }
}

/** An article whose ingest and segment artifacts are read when asked for (written by this run, under its lock). */
function readBack(store: JobStore, namespace: string, file: string): PreparedArticle {
  const read = <T>(name: string): T => {
    const value = store.readArtifact<T>(namespace, name);
    if (value === undefined) throw new RelaisError('JOB_CORRUPT', `${store.artifactPath(namespace, name)} vanished while the run was using it`, { hint: 'Another program changed the job folder; run again.' });
    return value;
  };
  return {
    namespace,
    file,
    get ingested() {
      return read<IngestedArticle>('ingest.json');
    },
    get segmented() {
      return read<SegmentedArticle>('segment.json');
    },
  };
}

export interface ArticleTranslation {
  translated: TranslatedArticle[];
  engineSegments: Record<Lang, number>;
  msByLang: Record<Lang, number>;
  memoryHits: Record<Lang, number>;
  alignFiles: string[];
  /** Settles when the alignment files are written (already settled unless an `aligner` thread writes them). */
  aligned: Promise<void>;
}

/**
 * The translate and align stages of one article: what a local run does for each article, and what a
 * queue worker does for one article and a group of languages.
 */
export async function translateArticle(o: {
  store: JobStore; article: PreparedArticle; glossary: Glossary; engine: Engine; targets: readonly Lang[];
  emit: (e: ProgressEvent) => void; billing: Record<Lang, number>; memory?: MemoryStore; decisions: () => DecisionStore;
  /** Writes the alignment files on its own thread; the caller awaits `aligned`. Without it they are written before this returns. */
  aligner?: AlignmentWriter;
  /** Called as soon as the engine is done with this article (before its translation is saved and aligned). */
  onTranslated?: () => void;
}): Promise<ArticleTranslation> {
  const { store, glossary, emit } = o;
  const { namespace, ingested, segmented } = o.article;
  const { articles: translated, engineSegments, msByLang, memoryHits } = await runTranslateStage({
    store, segmented, glossary, engine: o.engine, targets: o.targets, onProgress: emit, billing: o.billing, ...(o.memory ? { memory: o.memory } : {}),
  });
  o.onTranslated?.();
  const alignFiles: string[] = [];
  let aligned: Promise<void> | undefined;
  const startAlign = (writer: AlignmentWriter) => {
    const t0 = Date.now();
    emit({ type: 'stage-start', stage: 'align', namespace });
    const writes = translated.map((t) => {
      const paths = { tmxPath: store.artifactPath(namespace, `align/${t.targetLang}.tmx`), htmlPath: store.artifactPath(namespace, `align/${t.targetLang}.html`) };
      alignFiles.push(paths.tmxPath, paths.htmlPath);
      return writer.write(alignmentJob(paths, t, glossary, ingested.title.text));
    });
    aligned = Promise.all(writes).then((done) => {
      const kept = done.reduce((n, d) => n + d.reused, 0);
      const rows = translated.reduce((n, t) => n + t.segments.length, 0);
      const count = (n: number) => new Intl.NumberFormat('en').format(n);
      emit({ type: 'stage-done', stage: 'align', namespace, cached: false, ms: Date.now() - t0, ...(kept > 0 ? { detail: `${count(kept)} of ${count(rows)} rows kept from the last run` } : {}) });
    });
    aligned.catch(() => {}); // awaited by the caller; not an unhandled rejection meanwhile
  };
  // On a thread, the alignment is built while this thread saves the translation and carries decisions over.
  if (o.aligner?.threaded) startAlign(o.aligner);
  for (const t of translated) {
    writeTranslation(store, t);
    // Reviewer decisions on sentences this run replaced follow them, as "needs review".
    const { carried, glossaryChanged } = carryDecisions(o.decisions(), { segmented, translated: t });
    const offered = o.memory ? offerReviewedTexts(o.decisions(), o.memory, segmented, t) : [];
    if (offered.length > 0) {
      const from = [...new Set(offered.map((d) => d.by!.slice(FROM_MEMORY.length + 2, -1)))];
      emit({ type: 'notice', message: `${namespace}: ${offered.length} ${t.targetLang} segment${offered.length === 1 ? '' : 's'} take${offered.length === 1 ? 's' : ''} a reviewer's text from the translation memory (${from.slice(0, 3).join(', ')}${from.length > 3 ? ', …' : ''}): published, and marked needs review here` });
    }
    if (carried.length > 0) emit({ type: 'warning', namespace, message: `${carried.length} reviewed ${t.targetLang} segment${carried.length === 1 ? '' : 's'} changed in the source and need${carried.length === 1 ? 's' : ''} review again` });
    if (glossaryChanged.length > 0) {
      const names = [...new Set(glossaryChanged.flatMap((d) => d.by!.slice(GLOSSARY_CHANGED.length + 2).split(', ')))];
      emit({ type: 'warning', namespace, message: `${glossaryChanged.length} reviewed ${t.targetLang} segment${glossaryChanged.length === 1 ? '' : 's'} did not write ${names.map((n) => `"${n}"`).join(', ')} as the glossary now does: ${glossaryChanged.length === 1 ? 'it needs' : 'they need'} review again (the new machine translation is published until then)` });
    }
  }
  if (!aligned) {
    startAlign(o.aligner ?? new AlignmentWriter({ threaded: false }));
    await aligned;
  }
  return { translated, engineSegments, msByLang, memoryHits, alignFiles, aligned: aligned! };
}

/**
 * A full garbage collection of this thread's heap. Node exposes `gc` only when started with
 * --expose-gc; V8 reads that flag whenever it makes a context, so setting it now and making one gives
 * the function without a launcher. False where that does not work (the run goes on without).
 */
export function collectGarbage(): boolean {
  if (fullGc === null) {
    try {
      setFlagsFromString('--expose-gc');
      const gc: unknown = runInNewContext('gc');
      fullGc = typeof gc === 'function' ? (gc as () => void) : undefined;
    } catch {
      fullGc = undefined;
    }
  }
  fullGc?.();
  return fullGc !== undefined;
}
let fullGc: (() => void) | undefined | null = null;

/**
 * From now on, V8 lets each heap of the process grow to 1.5× what survived its last full collection,
 * where its default allows up to 4× on a machine with much memory (`--heap-growing-percent`, read each
 * time V8 sizes a heap, so it applies from here on, to both threads). Set once a run has a large
 * article behind it and more to come: 10 articles of 1 MB peaked ~25 MiB lower, at the same speed,
 * while the factor cost a one-article re-run ~5 % of its time, so runs of one article keep the default.
 */
function limitHeapGrowth(): void {
  if (heapGrowthLimited) return;
  heapGrowthLimited = true;
  setFlagsFromString('--heap-growing-percent=50');
}
let heapGrowthLimited = false;

/** Articles translated at once in one run (see runJob). */
const ARTICLES_AHEAD = 4;
/** A further article starts only while those being translated hold fewer segments than this. */
const SEGMENTS_AHEAD = 1_000;

export async function runJob(options: RunOptions): Promise<RunSummary> {
  const t0 = Date.now();
  const emit = options.onProgress ?? (() => {});
  const inputs = readRunInputs(options);
  const { glossary, targets, namespaces } = inputs;

  const engineOwned = typeof options.engine !== 'object';
  const created = typeof options.engine === 'object'
    ? options.engine
    : createEngine(options.engine ?? 'apertium', {
        sourceLang: glossary.source,
        glossary,
        ...(options.concurrency === undefined ? {} : { concurrency: options.concurrency }),
        ...(options.requestsPerSecond === undefined ? {} : { requestsPerSecond: options.requestsPerSecond }),
        onDeepLEvent: (e) => reportDeepLEvent(e, emit),
      });
  // A paid engine's --max-chars holds for what is sent, retries included (the check before the run estimates).
  const engine = options.maxChars !== undefined && created.estimateCost ? withCostLimit(created, options.maxChars) : created;
  const billing: Record<Lang, number> = {};
  let store: JobStore | undefined;
  let outcome = 'failed';
  let engineClosing: Promise<void> | undefined;
  try {
    checkEngineServes(engine, glossary.source, targets, options.targets === undefined ? glossary.file : undefined);
    store = new JobStore(options.jobDir ?? DEFAULT_JOB_DIR);
    const lock = acquireJobLock(store.dir);
    removePlannerDebris(store.dir);
    let decisionStore: DecisionStore | undefined;
    const decisions = () => (decisionStore ??= new DecisionStore(store!.dir));
    const memory = options.memoryFile === false ? undefined : new TranslationMemory(options.memoryFile ?? join(dirname(store.dir), 'tm.sqlite'));
    // What reviewers approved or wrote in any job beside this one is offered on the same sentences here.
    if (memory) learnReviewedTexts(memory, dirname(store.dir));
    const aligner = new AlignmentWriter();
    let planner: PublishPlanner | undefined;
    const policy = publishPolicy(options.localesDir ?? 'locales', options.approvedOnly);
    // A paid engine's billing is checkpointed while the run goes (job/billing.ts).
    const recorder = engine.estimateCost ? new BillingRecorder(store.dir, engine.info.id, billing) : undefined;
    try {
      const perLang = new Map<Lang, LanguageSummary>(targets.map((l) => [l, { lang: l, segments: 0, termsApplied: 0, flaggedSegments: 0, flags: 0, translatedNow: 0, billedCharacters: 0, memoryHits: 0, ms: 0 }]));
      const articles: RunSummary['articles'] = [];
      const alignFiles: string[] = [];
      const alignments: Array<Promise<void>> = [];
      const ns = [...namespaces.keys()];
      /** Each article's bundles, planned as soon as it is translated (see PublishPlanner). */
      planner = options.publish === false ? undefined : new PublishPlanner(store, decisions, { namespaces: ns, sourceLang: glossary.source, targets, approvedOnly: policy.approvedOnly });
      if (planner && policy.kept) emit({ type: 'warning', message: keptPolicyNotice(options.localesDir ?? 'locales') });

      // A new or changed article means translating: Apertium's programs start loading meanwhile (~0.4 s).
      let warmed = false;
      const warm = () => {
        if (!warmed) {
          engine.warm?.(glossary.source, targets);
          aligner.prestart();
        }
        warmed = true;
      };
      const prepared = await prepareArticles(store, inputs, engine.info.id, emit, warm, 'first');
      // Languages and remote resources (DeepL's glossary) are checked, and the cost weighed, before
      // the first translation request.
      await engine.prepare?.(targets);
      if (engine.estimateCost) await checkCost(engine, store, prepared.map((p) => p.segmented), glossary, targets, options.maxChars, emit, 'sent', memory);

      // After the last article's translation the engine's processes end while its translation is saved,
      // aligned and published (Apertium's programs take ~0.1 s to free their dictionaries).
      let untranslated = 0; // articles started whose engine work is not done
      const closeEngineEarly = () => {
        if (engineOwned && prepared.length === 0 && untranslated === 0) engineClosing ??= engine.close();
        engineClosing?.catch(() => {}); // awaited below; not an unhandled rejection meanwhile
      };

      // Articles are translated in order, but the next ones start while one is still with the engine,
      // so that its pipelines do not run dry between articles (draining ~10 programs, then the next
      // article's glossary probe and first blocks going through them again): at most
      // ARTICLES_AHEAD at once, and a further one only while those started hold fewer than
      // SEGMENTS_AHEAD segments — a large article is translated alone, so what a run holds does not
      // grow. Taken off the list as they go: an article is held only while it is translated (and aligned).
      const started: Array<{ article: PreparedArticle; segments: number; result: Promise<ArticleTranslation> }> = [];
      let held = 0;
      let failed = false;
      const startMore = () => {
        while (!failed && prepared.length > 0 && (started.length === 0 || (started.length < ARTICLES_AHEAD && held < SEGMENTS_AHEAD))) {
          const { namespace, file, ingested, segmented } = prepared.shift()!; // read back once, if it was not kept
          const article = { namespace, file, ingested, segmented };
          untranslated++;
          const result = translateArticle({
            store: store!, article, glossary, engine, targets, emit, billing, decisions, aligner, ...(memory ? { memory } : {}),
            onTranslated: () => {
              untranslated--;
              closeEngineEarly();
            },
          });
          result.catch(() => (failed = true)); // the loop below awaits it; no unhandled rejection meanwhile
          held += segmented.segments.length;
          started.push({ article, segments: segmented.segments.length, result });
        }
      };
      startMore();
      /**
       * The oldest article started: awaited, recorded, and let go. A function of its own so that nothing
       * of it stays reachable (its translations are tens of MB for a 1 MB article) when the next starts.
       */
      const finishOldest = async (): Promise<number> => {
        const next = started[0]!;
        let done: ArticleTranslation;
        try {
          done = await next.result;
        } catch (e) {
          // Nothing more starts; what the others are doing finishes (and is journaled) before the run stops.
          failed = true;
          await Promise.allSettled(started.map((s) => s.result));
          throw e;
        }
        started.shift();
        held -= next.segments;
        const { namespace, file, ingested, segmented } = next.article;
        alignFiles.push(...done.alignFiles);
        alignments.push(done.aligned);
        planner?.add(namespace, publishInputsOf(segmented, done.translated));
        // At most one article waits for the alignment thread: when the engine is faster than the
        // alignment (the pseudo engine, the translation memory), articles would pile up there.
        if (alignments.length >= 2) await alignments[alignments.length - 2];
        articles.push({ file, namespace, segments: segmented.segments.length, furniture: ingested.furniture.length, notes: ingested.notes });
        addToSummary(perLang, done);
        return next.segments;
      };
      while (started.length > 0) {
        const segments = await finishOldest();
        // A large article leaves a large heap behind, which V8 would let grow further before collecting:
        // collected now, the next article starts from the size one article needs.
        if (segments >= SEGMENTS_AHEAD && prepared.length > 0) {
          limitHeapGrowth();
          collectGarbage();
        }
        startMore();
      }

      let published: string[] = [];
      let manifestFile: string | undefined;
      if (planner) {
        // Planned article by article; written only once every article is aligned, so a failed
        // alignment publishes nothing.
        const t = Date.now();
        emit({ type: 'stage-start', stage: 'publish', namespace: ns.join(',') });
        const plan = planner.plan();
        await Promise.all(alignments);
        let dropped: string[];
        ({ bundles: published, manifest: manifestFile, manifestDropped: dropped } = writePublishPlan(store, plan, { namespaces: ns, targets, localesDir: options.localesDir ?? 'locales', decisions }));
        for (const d of dropped) emit({ type: 'warning', message: manifestDropWarning(options.localesDir ?? 'locales', d) });
        emit({ type: 'stage-done', stage: 'publish', namespace: ns.join(','), cached: false, ms: Date.now() - t });
      }
      await Promise.all(alignments);
      for (const s of perLang.values()) s.billedCharacters = billing[s.lang] ?? 0;
      const run = sum(Object.values(billing));
      outcome = 'finished';
      recorder?.finish(outcome);
      const summary: RunSummary = {
        jobDir: store.dir, articles, languages: [...perLang.values()], published, ...(manifestFile ? { manifest: manifestFile } : {}), alignFiles,
        billedCharacters: { run, job: readBilledCharacters(store.dir) }, approvedOnly: planner !== undefined && policy.approvedOnly, ms: Date.now() - t0,
      };
      writeFileAtomically(`${store.dir}/last-run.json`, `${JSON.stringify({ ...summary, finished: new Date().toISOString() }, null, 2)}\n`);
      return summary;
    } catch (e) {
      if (e instanceof RelaisError) outcome = `stopped: ${e.code}`;
      recorder?.finish(outcome);
      throw explainStop(e, billing);
    } finally {
      // Alignment files still being written are finished before the lock goes.
      await aligner.close();
      planner?.dispose();
      decisionStore?.close();
      memory?.close();
      lock.release();
    }
  } finally {
    if (engineOwned) await (engineClosing ?? engine.close());
  }
}

/** Adds one article's translation to the per-language summary. */
export function addToSummary(perLang: Map<Lang, LanguageSummary>, done: Pick<ArticleTranslation, 'translated' | 'engineSegments' | 'memoryHits' | 'msByLang'>): void {
  for (const t of done.translated) {
    const s = perLang.get(t.targetLang);
    if (!s) continue;
    s.segments += t.segments.length;
    s.termsApplied += t.segments.reduce((n, x) => n + x.termsApplied.length, 0);
    s.flaggedSegments += t.segments.filter((x) => x.flags.length > 0).length;
    s.flags += t.segments.reduce((n, x) => n + x.flags.length, 0);
    s.translatedNow += done.engineSegments[t.targetLang] ?? 0;
    s.memoryHits += done.memoryHits[t.targetLang] ?? 0;
    s.ms += done.msByLang[t.targetLang] ?? 0;
  }
}

/** Bundles (reviewed text where there is some), then locales/manifest.json; recorded in the job. */
export function publishPlanned(
  store: JobStore, decisions: DecisionStore, o: { namespaces: string[]; sourceLang: Lang; targets: readonly Lang[]; approvedOnly: boolean; localesDir: string },
): { bundles: string[]; manifest: string; manifestDropped: string[] } {
  removePlannerDebris(store.dir);
  const { planner, plan } = planPublish(store, decisions, o);
  try {
    return writePublishPlan(store, plan, { ...o, decisions: () => decisions });
  } finally {
    planner.dispose();
  }
}

/** Write what `planPublish` planned: the bundles (all staged, then renamed), then the manifest. */
function writePublishPlan(
  store: JobStore, plan: PublishPlan, o: { namespaces: string[]; targets: readonly Lang[]; localesDir: string; decisions: () => DecisionStore },
): { bundles: string[]; manifest: string; manifestDropped: string[] } {
  let manifest: ReturnType<typeof writeLocalesManifest> | undefined;
  // The manifest is written before the locales lock goes: it describes what every publisher put there.
  const bundles = writeBundles(o.localesDir, plan.bundles, { afterSwap: () => { manifest = writeLocalesManifest(o.localesDir, plan.manifest); } });
  const inputs = Object.fromEntries(o.namespaces.map((ns) => [ns, publishInputs(store, ns, o.targets, o.decisions())]));
  recordPublish(store, [...bundles, manifest!.path], o.namespaces, inputs);
  return { bundles, manifest: manifest!.path, manifestDropped: manifest!.dropped };
}

/* ------------------------------------------------------------------ paid engines */

/** Before the first request: what this run will send, against --max-chars and the period's quota. */
export async function checkCost(
  engine: Engine, store: JobStore, segmented: readonly SegmentedArticle[], glossary: Glossary, targets: readonly Lang[],
  maxChars: number | undefined, emit: (e: ProgressEvent) => void, nothing: 'sent' | 'queued' = 'sent', memory?: MemoryStore,
): Promise<void> {
  const nf = new Intl.NumberFormat('en');
  let characters = 0;
  let requests = 0;
  const parts: string[] = [];
  for (const t of targets) {
    const texts = await textsToSend(store, segmented, glossary, engine, t, memory);
    if (texts.length === 0) continue;
    const est = engine.estimateCost!(texts, [t]);
    characters += est.characters;
    requests += est.requests;
    parts.push(`${t} ${nf.format(est.characters)}`);
  }
  if (characters === 0) return;
  emit({ type: 'notice', message: `${engine.info.id}: about ${nf.format(characters)} characters to translate in ${nf.format(requests)} requests (${parts.join(' · ')})` });
  if (maxChars !== undefined && characters > maxChars) {
    throw new RelaisError('COST_LIMIT', `this run would send about ${nf.format(characters)} characters to ${engine.info.id}, more than --max-chars ${nf.format(maxChars)}; nothing was ${nothing}`, {
      hint: 'Raise --max-chars, translate fewer languages or articles (--to en), or use --engine apertium (offline, free).',
    });
  }
  if (!engine.usage) return;
  const u = await engine.usage();
  const left = u.characterLimit - u.characterCount;
  if (characters > left) {
    throw new RelaisError('ENGINE_QUOTA', `this run needs about ${nf.format(characters)} characters but only ${nf.format(Math.max(0, left))} are left in this billing period (${nf.format(u.characterCount)} of ${nf.format(u.characterLimit)} used); nothing was ${nothing}`, {
      hint: 'Wait for the next billing period or raise the limit (DeepL account → Usage), or translate fewer languages or articles (--to).',
    });
  }
  if (Number.isFinite(left) && characters > 0.8 * left) {
    emit({ type: 'warning', message: `this run uses ${Math.round((100 * characters) / left)} % of the ${nf.format(left)} characters left in this billing period` });
  }
}

/** Faults that stop a run leave finished work saved: say so, with what the run cost. */
function explainStop(e: unknown, billing: Record<Lang, number>): unknown {
  if (!(e instanceof RelaisError) || !['ENGINE_QUOTA', 'ENGINE_AUTH', 'ENGINE_RATE_LIMITED', 'ENGINE_UNAVAILABLE', 'COST_LIMIT'].includes(e.code)) return e;
  const billed = sum(Object.values(billing));
  if (billed === 0) return e;
  const nf = new Intl.NumberFormat('en');
  return new RelaisError(e.code, `${e.message}. This run had ${nf.format(billed)} characters billed (${Object.entries(billing).map(([l, n]) => `${l} ${nf.format(n)}`).join(' · ')}); every segment it finished is saved`, e.hint === undefined ? {} : { hint: e.hint });
}


/** One line per run that billed anything, kept in the job: the job's cost survives failed runs. */
export function reportDeepLEvent(e: DeepLEvent, emit: (e: ProgressEvent) => void): void {
  if (e.type === 'retry') {
    emit({ type: 'warning', message: `DeepL: ${e.status ? `HTTP ${e.status}` : e.reason} — pausing ${formatSeconds(e.delayMs)} before try ${e.attempt + 1} (${e.what})` });
  } else if (e.type === 'glossary') {
    const what = e.action === 'reused' ? 'reusing' : e.action === 'created' ? 'created' : 'deleted the stale';
    emit({ type: 'notice', message: `DeepL: ${what} glossary ${e.name} (${e.languages.join(', ')})` });
  }
}

function formatSeconds(ms: number): string {
  return `${new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(ms / 1000)} s`;
}

function sum(values: readonly number[]): number {
  return values.reduce((a, b) => a + b, 0);
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
  const st = statSync(file);
  if (!st.isFile()) {
    throw new RelaisError('INPUT_NOT_FOUND', `not a file: ${file}`, {
      place: { file },
      hint: st.isDirectory() ? `Give the articles in it, e.g. relais run ${shellQuote(file)}/*.txt` : 'Give relais regular text files.',
    });
  }
  // Before anything reads it: readFileSync cannot even hold a file over 2 GiB (ERR_FS_FILE_TOO_LARGE).
  checkArticleSize(st.size, file);
  return file;
}

async function runIngest(store: JobStore, file: string, namespace: string, sourceLang: Lang, analyzer: LazyAnalyzer, onChanged?: () => void): Promise<IngestedArticle> {
  const bytes = readFileSync(file);
  const inputHash = sha256(Buffer.concat([Buffer.from(`${INGEST_VERSION}\0${sourceLang}\0`), bytes]));
  const cached = store.readArtifact<IngestedArticle>(namespace, 'ingest.json', inputHash);
  if (cached) return cached;
  onChanged?.();
  const { text, notes } = decodeArticle(bytes, file);
  // An edited article keeps most of its paragraphs: their language (franc: ~0.5 s per MB) is taken from
  // the last ingest made by the same rules for the same source language.
  const rulesHash = sha256(`${INGEST_VERSION}\0${sourceLang}`);
  const known = store.readCache<Record<string, { lang: Lang; langConfidence: number }>>(namespace, 'ingest-languages.json', rulesHash) ?? {};
  const detected = new Map(Object.entries(known));
  const article = ingestArticle({ text, file, namespace, sourceHash: sha256(bytes), sourceLang, notes, detected });
  // A paragraph franc calls foreign is left untranslated: the source language's analyzer has a say first.
  await secondOpinionOn(article, detected, (texts) => analyzer.ask(texts));
  store.writeArtifact(namespace, 'ingest.json', inputHash, article);
  store.writeCache(namespace, 'ingest-languages.json', rulesHash, Object.fromEntries(article.paragraphs.map((p) => [p.text, { lang: p.lang, langConfidence: p.langConfidence }])));
  return article;
}

function runSegment(store: JobStore, ingested: IngestedArticle): SegmentedArticle {
  const rules = loadSegmentRules(ingested.sourceLang);
  const inputHash = sha256(JSON.stringify([SEGMENT_VERSION, ingested, rules]));
  const cached = store.readArtifact<SegmentedArticle>(ingested.namespace, 'segment.json', inputHash);
  if (cached) return cached;
  // An edited article keeps most of its paragraphs: their sentences are taken from the last split made
  // by the same rules instead of being split (and hashed) again.
  const rulesHash = sha256(JSON.stringify([SEGMENT_VERSION, rules]));
  const known = store.readCache<Record<string, KnownSentence[]>>(ingested.namespace, 'segment-sentences.json', rulesHash) ?? {};
  const segmented = segmentArticle(ingested, rules, new Map(Object.entries(known)));
  store.writeArtifact(ingested.namespace, 'segment.json', inputHash, segmented);
  store.writeCache(ingested.namespace, 'segment-sentences.json', rulesHash, sentencesByParagraph(ingested, segmented));
  return segmented;
}

/* ------------------------------------------------------------------ status and publish */

export interface JobStatus {
  jobDir: string;
  targets: Lang[];
  engine: string;
  /** Characters a paid engine billed over every run of this job. */
  billedCharacters: number;
  articles: Array<{
    namespace: string;
    file: string;
    stages: Record<StageName, 'done' | 'pending' | 'partial'>;
    segments?: number;
    languages: Record<Lang, {
      translated: number; total: number; flagged: number;
      /** Reviewers' decisions on the article's sentences as they are now (what the review page counts). */
      review: { approved: number; edited: number; rejected: number; needsReview: number; unreviewed: number };
    }>;
  }>;
}

export function readJobStatus(jobDir: string = DEFAULT_JOB_DIR): JobStatus {
  const store = new JobStore(jobDir);
  const m = store.readManifest();
  const published = store.readArtifact<{ namespaces: string[]; inputs?: Record<string, string> }>('_shared', 'published.json');
  // Read only: a job without decisions has no database, and status creates none.
  const decisions = existsSync(join(store.dir, DECISIONS_FILE)) ? new DecisionStore(store.dir, { readonly: true }) : undefined;
  try {
    return statusOf(store, m, published, decisions);
  } finally {
    decisions?.close();
  }
}

function statusOf(
  store: JobStore, m: ReturnType<JobStore['readManifest']>, published: { namespaces: string[]; inputs?: Record<string, string> } | undefined, decisions: DecisionStore | undefined,
): JobStatus {
  // Published, and nothing it was made from changed since (a run with --no-publish, a failed publish,
  // a reviewer's decision). A record from before inputs were kept trusts the namespace.
  const isPublished = (namespace: string) =>
    published?.namespaces.includes(namespace) === true && (published.inputs === undefined || published.inputs[namespace] === publishInputs(store, namespace, m.targets, decisions));
  return {
    jobDir: store.dir,
    targets: m.targets,
    engine: m.engine,
    billedCharacters: readBilledCharacters(store.dir),
    articles: m.sources.map(({ namespace, file }) => {
      const segmented = store.readArtifact<SegmentedArticle>(namespace, 'segment.json');
      const total = segmented?.segments.length ?? 0;
      const languages: JobStatus['articles'][number]['languages'] = {};
      for (const lang of m.targets) {
        // A journal entry counts for a segment when it has the same id and source text. A sentence that
        // comes back in the article ("Oui.": id s…-2) is journaled once, under its first occurrence's id.
        const firstId = (id: string) => id.replace(/-\d+$/u, '');
        const byId = new Map([...store.readJournal(namespace, lang).values()].map((j) => [`${firstId(j.id)}\0${j.source}`, j]));
        const done = (segmented?.segments ?? []).map((s) => byId.get(`${firstId(s.id)}\0${s.text}`)).filter((j) => j !== undefined);
        const decided = decisions?.decisions(namespace, lang);
        const review = { approved: 0, edited: 0, rejected: 0, needsReview: 0, unreviewed: 0 };
        for (const s of segmented?.segments ?? []) {
          const state = decided?.get(s.id)?.state;
          if (state === 'approved') review.approved++;
          else if (state === 'edited') review.edited++;
          else if (state === 'rejected') review.rejected++;
          else if (state === 'needs-review') review.needsReview++;
          else review.unreviewed++;
        }
        languages[lang] = { translated: done.length, total, flagged: done.filter((j) => j.flags.length > 0).length, review };
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
          publish: allDone && isPublished(namespace) ? 'done' : 'pending',
        },
        segments: total,
        languages,
      };
    }),
  };
}

/**
 * Publish the bundles of a finished job (what `relais run` does at its end), with reviewers' decisions.
 * Returns the bundle files, then locales/manifest.json.
 */
export function publishJob(options: { jobDir?: string; localesDir?: string; approvedOnly?: boolean; onWarning?: (message: string) => void } = {}): string[] {
  const store = new JobStore(options.jobDir ?? DEFAULT_JOB_DIR);
  const policy = publishPolicy(options.localesDir ?? 'locales', options.approvedOnly);
  if (policy.kept) options.onWarning?.(keptPolicyNotice(options.localesDir ?? 'locales'));
  const m = store.readManifest();
  // Not while a run is writing the same job: it would publish half-updated translations (and its
  // unfinished articles would read as JOB_INCOMPLETE, when the answer is JOB_LOCKED).
  const lock = acquireJobLock(store.dir);
  let decisions: DecisionStore | undefined;
  try {
    for (const { namespace } of m.sources) {
      const segmented = store.readArtifact<SegmentedArticle>(namespace, 'segment.json');
      if (!segmented) throw incomplete(namespace, 'segment');
      for (const lang of m.targets) {
        const t = readTranslation(store, namespace, lang);
        if (!t || t.segments.length !== segmented.segments.length || t.segments.some((s, i) => !s || s.id !== segmented.segments[i]!.id)) {
          throw incomplete(namespace, `translate (${lang})`);
        }
      }
    }
    decisions = new DecisionStore(store.dir);
    const { bundles, manifest, manifestDropped } = publishPlanned(store, decisions, {
      namespaces: m.sources.map((s) => s.namespace), sourceLang: m.sourceLang, targets: m.targets,
      approvedOnly: policy.approvedOnly, localesDir: options.localesDir ?? 'locales',
    });
    for (const d of manifestDropped) options.onWarning?.(manifestDropWarning(options.localesDir ?? 'locales', d));
    return [...bundles, manifest];
  } finally {
    decisions?.close();
    lock.release();
  }
}

/**
 * Take articles down: their bundle leaves every language of `localesDir` (a new version of each
 * language, swapped in atomically) and their entries leave `locales/manifest.json`. i18next then shows
 * the source language's text, or nothing where the source bundle went too. Returns, per namespace,
 * the languages it was taken out of.
 */
export function unpublishArticles(localesDir: string, namespaces: readonly string[]): Record<string, Lang[]> {
  for (const ns of namespaces) bundlePath(localesDir, 'fr', ns); // a name that is no namespace is refused before anything moves
  const published = (ns: string) => existsSync(resolve(localesDir)) && readdirSync(resolve(localesDir)).some((l) => !l.startsWith('.') && existsSync(join(resolve(localesDir), l, `${ns}.json`)));
  const none = namespaces.filter((ns) => !published(ns));
  if (none.length > 0) {
    throw new RelaisError('OPTION_INVALID', `nothing is published under ${none.map((n) => `"${n}"`).join(', ')} in ${localesDir}`, { hint: `The namespaces there are the file names under ${join(localesDir, '<lang>')}/, without .json.` });
  }
  let found: Record<string, Lang[]> = {};
  writeBundles(localesDir, [], { remove: namespaces, afterSwap: () => { found = removeFromLocalesManifest(localesDir, namespaces); } });
  return found;
}

/** What the manifest stopped describing: a bundle an earlier publish wrote that is gone or was changed by hand since. */
function manifestDropWarning(localesDir: string, what: string): string {
  return `${join(localesDir, LOCALES_MANIFEST)} no longer describes ${what}`;
}

function recordPublish(store: JobStore, files: string[], namespaces: string[], inputs: Record<string, string>): void {
  store.writeArtifact('_shared', 'published.json', '', { namespaces, inputs, files, at: new Date().toISOString() });
}

/**
 * What an article's bundles were made from: its segments and translations (the artifact files, by
 * identity: a changed article rewrites them) and its reviewers' decisions. `status` says "publish
 * done" only while this is what the last publish recorded.
 */
function publishInputs(store: JobStore, namespace: string, targets: readonly Lang[], decisions: DecisionStore | undefined): string {
  const files = ['segment.json', ...targets.map((l) => `translate/${l}.json`)].map((name) => {
    try {
      const st = statSync(store.artifactPath(namespace, name));
      return `${st.ino}:${st.size}:${st.mtimeMs}`;
    } catch {
      return '-';
    }
  });
  return sha256(JSON.stringify([files, decisions?.decisionsMark(namespace) ?? '0']));
}


function incomplete(namespace: string, stageName: string): RelaisError {
  return new RelaisError('JOB_INCOMPLETE', `article "${namespace}" has not finished the ${stageName} stage`, {
    hint: 'Run `relais run <files…>` (it resumes where it stopped), then publish.',
  });
}
