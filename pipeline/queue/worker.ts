/**
 * `relais worker --queue redis://…`: takes translate and publish jobs off the queue and runs the same
 * stage code as a local run (run-job.ts `translateArticle`, `publishJob`) on the shared job folder.
 *
 * - Engines are long-lived per worker: one Apertium pipeline per pair serves every job it takes.
 * - The translation memory is a Redis hash every worker shares (redis-memory.ts).
 * - DeepL requests from all workers together start at most `requestsPerSecond` per second
 *   (redis.ts SharedRateLimit); DeepL's glossary is set up by one worker at a time.
 * - A worker killed mid-stage: BullMQ finds the job stalled once its lock lapses (`lockMs`) and hands
 *   it to another worker, which reads the job's journal and sends only the segments not finished yet.
 * - Ctrl+C / SIGTERM: the jobs in hand are finished first, then the worker exits.
 */
import { hostname } from 'node:os';
import { existsSync } from 'node:fs';
import { DelayedError, UnrecoverableError, Worker, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { IngestedArticle, Lang, ProgressEvent, SegmentedArticle } from '../artifacts.js';
import { createEngine } from '../engines/create-engine.js';
import type { Engine } from '../engines/engine.js';
import { isRelaisError } from '../errors.js';
import { JobStore } from '../job/job-store.js';
import { DecisionStore } from '../review/decision-store.js';
import { addToSummary, publishJob, reportDeepLEvent, translateArticle, type LanguageSummary } from '../run-job.js';
import { BillingRecorder } from '../job/billing.js';
import { withCostLimit, type SentCounter } from '../engines/cost-limit.js';
import { RedisTranslationMemory } from './redis-memory.js';
import { KEY_PREFIX, SharedRateLimit, connectRedis, withRedisLock } from './redis.js';
import { DECLINE_DELAY_MS, QUEUE_NAME, STOPPING_TTL_MS, declinedKey, stoppingKey, segmentsHash, type PublishJobData, type StageJobData, type TranslateJobData } from './submit.js';

export interface WorkerOptions {
  queueUrl: string;
  /** Jobs this worker runs at once. @default 2 */
  concurrency?: number;
  /** How long a job's lock lasts without renewal: a killed worker's job goes to another after about this long. @default 30000 */
  lockMs?: number;
  /** Shown in `relais status --queue`. @default host:pid */
  name?: string;
  /** One line per job started, finished or failed, and warnings. */
  log?: (line: string) => void;
  /** Where DEEPL_AUTH_KEY and DEEPL_SERVER_URL are read. @default process.env */
  env?: NodeJS.ProcessEnv;
}

export interface TranslateJobResult {
  worker: string;
  languages: LanguageSummary[];
  billed: Record<Lang, number>;
}

export interface RunningWorker {
  name: string;
  /** Finish the jobs in hand, then stop and close engines and connections. */
  close(): Promise<void>;
}

export async function startWorker(o: WorkerOptions): Promise<RunningWorker> {
  const name = o.name ?? `${hostname()}:${process.pid}`;
  const log = o.log ?? (() => {});
  const redis = await connectRedis(o.queueUrl, 'worker');
  // A worker of this name that was stopping before (same --name, or a reused pid) is not this one.
  await redis.del(stoppingKey(name));
  const memory = new RedisTranslationMemory(redis);
  /**
   * One engine per kind of job, kept while it works. An engine that failed a job (a DeepL quota or key
   * stop, retries used up, a glossary gone) is dropped, and closed once no job uses it: the next attempt
   * — BullMQ's retry, or the same run submitted again — gets a new one that asks DeepL again.
   */
  const engines = new Map<string, EngineEntry>();
  type EngineEntry = { engine: Engine; prepared: Set<string>; users: number; dropped: boolean };
  const release = (entry: EngineEntry, failed: boolean) => {
    entry.users--;
    if (failed && !entry.dropped) {
      entry.dropped = true;
      for (const [k, v] of engines) if (v === entry) engines.delete(k);
    }
    if (entry.dropped && entry.users === 0) void Promise.resolve(entry.engine.close()).catch(() => {});
  };

  const engineFor = async (d: TranslateJobData): Promise<EngineEntry> => {
    const key = JSON.stringify([d.engine, d.glossary.hash, d.concurrency ?? null, d.requestsPerSecond ?? null]);
    let entry = engines.get(key);
    if (!entry) {
      const limit = d.requestsPerSecond === undefined ? undefined : new SharedRateLimit(redis, `${KEY_PREFIX}:rate:${d.engine}`, d.requestsPerSecond);
      const engine = createEngine(d.engine, {
        sourceLang: d.glossary.source,
        glossary: d.glossary,
        ...(o.env ? { env: o.env } : {}),
        ...(d.concurrency === undefined ? {} : { concurrency: d.concurrency }),
        ...(limit ? { beforeRequest: () => limit.acquire() } : {}),
        onDeepLEvent: (e) => reportDeepLEvent(e, (p) => report(log, name, p)),
        deleteStaleGlossaries: false,
      });
      engines.set(key, (entry = { engine, prepared: new Set(), users: 0, dropped: false }));
    }
    entry.users++;
    try {
      const targets = [...d.targets].sort().join(',');
      if (entry.engine.prepare && !entry.prepared.has(targets)) {
        // One worker at a time sets up remote resources (DeepL's glossary): the others then find and reuse it.
        await withRedisLock(redis, `${KEY_PREFIX}:lock:prepare:${d.engine}`, () => entry!.engine.prepare!(d.targets));
        entry.prepared.add(targets);
      }
    } catch (e) {
      release(entry, true);
      throw e;
    }
    return entry;
  };

  /**
   * Why this worker cannot take a translate job, when it cannot (another worker may): DeepL without a
   * key here, or an Apertium pair not installed here. Apertium's pairs are looked up, not started.
   */
  let apertiumHere: Engine | undefined;
  const cannotServe = (d: TranslateJobData): string | undefined => {
    if (d.engine === 'deepl' && !(o.env ?? process.env).DEEPL_AUTH_KEY?.trim()) return 'DEEPL_AUTH_KEY is not set on this worker';
    if (d.engine === 'apertium') {
      apertiumHere ??= createEngine('apertium');
      const missing = d.targets.filter((t) => !apertiumHere!.supports(d.glossary.source, t));
      if (missing.length > 0) return `Apertium here has no ${missing.map((t) => `${d.glossary.source}→${t}`).join(', ')} (its pairs are installed with apt-get install apertium-…)`;
    }
    return undefined;
  };
  const declinedLogged = new Set<string>();
  /** Leave the job for another worker: back to the queue in a second, with the reason kept for `status --queue`. */
  const decline = async (job: Job<StageJobData>, token: string | undefined, d: TranslateJobData, why: string): Promise<never> => {
    if (!declinedLogged.has(job.id!)) {
      declinedLogged.add(job.id!);
      log(`${name}: cannot take ${d.namespace} → ${d.targets.join('+')} (job ${job.id}): ${why}; left for another worker`);
    }
    const key = declinedKey(d.run);
    await redis.multi().hset(key, `${job.id}\t${name}`, why).expire(key, 7 * 24 * 3600).exec();
    await job.moveToDelayed(Date.now() + DECLINE_DELAY_MS, token);
    throw new DelayedError();
  };

  const translate = async (job: Job<StageJobData>, d: TranslateJobData, token: string | undefined): Promise<TranslateJobResult> => {
    const unable = cannotServe(d);
    if (unable) return decline(job, token, d, unable);
    const store = openStore(d.jobDir);
    const ingested = store.readArtifact<IngestedArticle>(d.namespace, 'ingest.json');
    const segmented = store.readArtifact<SegmentedArticle>(d.namespace, 'segment.json');
    if (!ingested || !segmented) {
      throw new UnrecoverableError(`JOB_INCOMPLETE article "${d.namespace}" is not segmented in ${d.jobDir}: every worker must see the job folder at the same path (a shared directory)`);
    }
    if (segmentsHash(segmented.segments.map((s) => s.id)) !== d.segmentsHash) {
      throw new UnrecoverableError(`JOB_CORRUPT article "${d.namespace}" was segmented again after run ${d.run} was queued (a newer run of ${d.jobDir}?); this job is out of date`);
    }
    let entry: EngineEntry;
    try {
      entry = await engineFor(d);
    } catch (e) {
      // A missing key, a refused key, a quota used up: as final as when it happens mid-job.
      throw asJobError(e);
    }
    // --max-chars holds for the whole run, across its jobs and workers: every request counted in Redis first.
    const engine = d.maxChars !== undefined && entry.engine.estimateCost ? withCostLimit(entry.engine, d.maxChars, redisSentCounter(redis, d.run)) : entry.engine;
    let failed = true;
    const billing: Record<Lang, number> = {};
    // Checkpointed while the job goes: a worker killed mid-job leaves what DeepL had answered counted.
    const recorder = new BillingRecorder(store.dir, engine.info.id, billing, { run: d.run, namespace: d.namespace });
    let decisions: DecisionStore | undefined;
    const progress: Record<Lang, { done: number; total: number }> = Object.fromEntries(d.targets.map((l) => [l, { done: 0, total: 0 }]));
    // Progress counts the article's sentences, not this attempt's: a job handed over after its worker
    // died, or resumed, starts from what is already journaled (or in the memory).
    const translatable = segmented.segments.filter((s) => s.translatable).length;
    const already: Record<Lang, number> = {};
    let lastReport = 0;
    const emit = (e: ProgressEvent) => {
      if ((e.type === 'stage-start' || e.type === 'stage-progress') && e.stage === 'translate' && e.lang && progress[e.lang]) {
        const p = progress[e.lang]!;
        if (e.type === 'stage-start') {
          already[e.lang] = Math.max(0, translatable - (e.total ?? translatable));
          p.done = already[e.lang]!;
          p.total = translatable;
        } else {
          p.done = Math.min(translatable, (already[e.lang] ?? 0) + e.done);
          p.total = translatable;
        }
        if (Date.now() - lastReport > 250) {
          lastReport = Date.now();
          void job.updateProgress({ ...progress }).catch(() => {});
        }
      } else if (e.type === 'warning' || e.type === 'notice') report(log, name, e);
    };
    log(`${name}: translate ${d.namespace} → ${d.targets.join('+')} (job ${job.id}, attempt ${attemptOf(job)})`);
    try {
      const done = await translateArticle({
        store, article: { namespace: d.namespace, file: ingested.file, ingested, segmented }, glossary: d.glossary, engine, targets: d.targets,
        emit, billing, memory, decisions: () => (decisions ??= new DecisionStore(store.dir)),
      });
      recorder.finish('finished');
      const perLang = new Map<Lang, LanguageSummary>(d.targets.map((l) => [l, { lang: l, segments: 0, termsApplied: 0, flaggedSegments: 0, flags: 0, translatedNow: 0, billedCharacters: billing[l] ?? 0, memoryHits: 0, ms: 0 }]));
      addToSummary(perLang, done);
      for (const l of d.targets) progress[l] = { done: translatable, total: translatable };
      await job.updateProgress(progress);
      const languages = [...perLang.values()];
      log(`${name}: done ${d.namespace} → ${languages.map((l) => `${l.lang} ${l.translatedNow} sent, ${l.memoryHits} from memory`).join(' · ')}`);
      failed = false;
      return { worker: name, languages, billed: billing };
    } catch (e) {
      recorder.finish(isRelaisError(e) ? `stopped: ${e.code}` : 'failed');
      throw asJobError(e);
    } finally {
      decisions?.close();
      release(entry, failed);
    }
  };

  const publish = (job: Job<StageJobData>, d: PublishJobData) => {
    log(`${name}: publish ${d.jobDir} (job ${job.id})`);
    try {
      const files = publishJob({ jobDir: d.jobDir, localesDir: d.localesDir, ...(d.approvedOnly === undefined ? {} : { approvedOnly: d.approvedOnly }), onWarning: (m) => log(`${name}: warning: ${m}`) });
      log(`${name}: published ${files.length - 1} bundles`);
      return { worker: name, files };
    } catch (e) {
      throw asJobError(e);
    }
  };

  const worker = new Worker<StageJobData>(
    QUEUE_NAME,
    async (job, token) => (job.data.kind === 'translate' ? translate(job, job.data, token) : publish(job, job.data)),
    {
      connection: redis,
      prefix: KEY_PREFIX,
      name,
      concurrency: o.concurrency ?? 2,
      lockDuration: o.lockMs ?? 30_000,
      stalledInterval: Math.max(1000, Math.floor((o.lockMs ?? 30_000) / 2)),
      maxStalledCount: 3,
      autorun: true,
    },
  );
  worker.on('failed', (job, e) => log(`${name}: job ${job?.id ?? '?'} failed (attempt ${job?.attemptsMade ?? '?'}): ${e.message}`));
  worker.on('stalled', (id) => log(`${name}: job ${id} stalled (its worker stopped answering); handed back to the queue`));
  worker.on('error', (e) => log(`${name}: ${e.message}`));
  await worker.waitUntilReady();
  log(`${name}: waiting for jobs on ${QUEUE_NAME} (concurrency ${o.concurrency ?? 2})`);

  return {
    name,
    async close() {
      // `status --queue` shows it as stopping while it finishes what it has; the key is renewed until
      // then, so that a worker killed meanwhile is not shown for long.
      const mark = () => redis.set(stoppingKey(name), new Date().toISOString(), 'PX', STOPPING_TTL_MS).catch(() => {});
      await mark();
      const renew = setInterval(() => void mark(), STOPPING_TTL_MS / 3);
      try {
        await worker.close();
      } finally {
        clearInterval(renew);
        await redis.del(stoppingKey(name)).catch(() => {});
      }
      for (const { engine } of engines.values()) await engine.close();
      await apertiumHere?.close();
      redis.disconnect();
    },
  };
}

function openStore(jobDir: string): JobStore {
  if (!existsSync(jobDir)) {
    throw new UnrecoverableError(`JOB_NOT_FOUND no job folder ${jobDir} on this machine: every worker must see the job folder at the same path (a shared directory)`);
  }
  return new JobStore(jobDir);
}

/**
 * Faults that another try cannot fix (a refused key, a used-up quota, bad input, a damaged job) fail
 * the job at once; the rest (an engine busy or unreachable for a while) are retried with backoff.
 */
/** Characters sent for one queued run by all its workers: a Redis counter, kept 30 days. */
function redisSentCounter(redis: Redis, run: string): SentCounter {
  const key = `${KEY_PREFIX}:sent:${run}`;
  return {
    async add(n) {
      const [[e, total]] = (await redis.multi().incrby(key, n).expire(key, 30 * 24 * 3600).exec())! as [[Error | null, number]];
      if (e) throw e;
      return total;
    },
    async remove(n) {
      await redis.decrby(key, n);
    },
  };
}

/**
 * Which attempt of `job` this is: its failures, plus the times it was taken over from a worker that
 * stopped answering (BullMQ's stalled counter), plus this one. Jobs declined by workers that cannot
 * serve them (moved back to wait) do not count.
 */
export function attemptOf(job: Pick<Job, 'stalledCounter' | 'attemptsMade'>): number {
  return job.attemptsMade + (job.stalledCounter ?? 0) + 1;
}

function asJobError(e: unknown): Error {
  if (e instanceof UnrecoverableError) return e;
  if (isRelaisError(e)) {
    const text = `${e.code} ${e.message}${e.hint ? ` → ${e.hint}` : ''}`;
    const retry = e.code === 'ENGINE_RATE_LIMITED' || e.code === 'ENGINE_UNAVAILABLE' || e.code === 'JOB_LOCKED' || e.code === 'LOCALES_LOCKED' || e.code === 'QUEUE_FAILED';
    return retry ? new Error(text) : new UnrecoverableError(text);
  }
  return e instanceof Error ? e : new Error(String(e));
}

function report(log: (line: string) => void, name: string, e: ProgressEvent): void {
  if (e.type === 'warning') log(`${name}: warning: ${e.namespace ? `${e.namespace}: ` : ''}${e.message}`);
  else if (e.type === 'notice') log(`${name}: ${e.message}`);
}

