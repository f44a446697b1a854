/**
 * `relais run --queue redis://…`: the articles' stages as BullMQ jobs, for `relais worker`s anywhere.
 *
 * Submitting checks the articles and the glossary, then runs ingest and segment itself (milliseconds
 * per article, and a bad article is refused with its line and column before anything is queued) into
 * the job folder. The folder must be shared: every worker reads the segments from it and writes its
 * journal, artifacts and review files into it, exactly as a local run does.
 *
 * One BullMQ flow per run: a `publish` job whose children are one `translate` job per article and
 * language group. A group is a target with the pivot it goes through when both are asked for (Apertium's
 * en goes through es: {en, es} share the Spanish pass), or a language alone. BullMQ starts the
 * publish job only when every child has finished, so each language is published once, by one worker,
 * through the same atomic per-language swap as a local run.
 */
import { createHash, randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { FlowProducer, Queue, type JobsOptions } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Glossary, Lang, ProgressEvent } from '../artifacts.js';
import { createEngine, type EngineName } from '../engines/create-engine.js';
import type { Engine } from '../engines/engine.js';
import { RelaisError } from '../errors.js';
import { DEFAULT_JOB_DIR, JobStore } from '../job/job-store.js';
import { acquireJobLock } from '../job/lock.js';
import { readBilling } from '../job/billing.js';
import { checkCost, checkEngineServes, prepareArticles, readRunInputs, type RunOptions } from '../run-job.js';
import { KEY_PREFIX, connectRedis, redactRedisUrl } from './redis.js';
import { RedisTranslationMemory } from './redis-memory.js';

export const QUEUE_NAME = 'stages';

export interface TranslateJobData {
  kind: 'translate';
  run: string;
  jobDir: string;
  namespace: string;
  /** The languages this job translates (a target and its pivot, or one target). */
  targets: Lang[];
  engine: EngineName;
  glossary: Glossary;
  /** sha256 of the segment ids the run was submitted with: a job left from an older run of the folder is refused. */
  segmentsHash: string;
  concurrency?: number;
  requestsPerSecond?: number;
  /** --max-chars: what all of the run's translate jobs together may send (a Redis counter per run). */
  maxChars?: number;
}

export interface PublishJobData {
  kind: 'publish';
  run: string;
  jobDir: string;
  localesDir: string;
  /** Unset: as the locales folder was last published (see `publishPolicy`), decided when it publishes. */
  approvedOnly?: boolean;
}

export type StageJobData = TranslateJobData | PublishJobData;

/** What a run left in Redis for `relais status --queue` and for the submitter waiting on it. */
export interface QueuedRun {
  run: string;
  jobDir: string;
  localesDir: string;
  submitted: string;
  targets: Lang[];
  engine: string;
  publishId: string;
  translate: Array<{ id: string; namespace: string; targets: Lang[]; segments: number }>;
}

export interface SubmitOptions extends Omit<RunOptions, 'engine' | 'memoryFile'> {
  queueUrl: string;
  engine?: EngineName;
}

export const runKey = (run: string) => `${KEY_PREFIX}:run:${run}`;
/** Per run: `<job id>\t<worker>` → why that worker left the job for another (see the worker's `decline`). */
export const declinedKey = (run: string) => `${KEY_PREFIX}:declined:${run}`;
/**
 * Set by a worker told to stop (Ctrl+C, SIGTERM) while it finishes the jobs in hand, and kept alive by
 * it: BullMQ no longer lists a closing worker, and a killed one's key runs out by itself.
 */
export const stoppingKey = (worker: string) => `${KEY_PREFIX}:stopping:${worker}`;
export const STOPPING_TTL_MS = 6000;
/** How long a declined job waits before a worker may take it again. */
export const DECLINE_DELAY_MS = 1000;
export const latestRunKey = (jobDir: string) => `${KEY_PREFIX}:latest-run:${createHash('sha256').update(resolve(jobDir)).digest('hex').slice(0, 16)}`;
export const LATEST_RUN_KEY = `${KEY_PREFIX}:latest-run`;

/** Stages to the queue; returns the run as recorded in Redis. Waiting for it is `waitForRun`'s job. */
export async function submitRun(o: SubmitOptions): Promise<QueuedRun> {
  const emit = o.onProgress ?? (() => {});
  const inputs = readRunInputs(o);
  const { glossary, targets } = inputs;
  const engineName = o.engine ?? 'apertium';
  // Built here only to check languages and cost; workers make their own (and hold the DeepL key).
  const engine = createEngine(engineName, { sourceLang: glossary.source, glossary });
  const redis = await connectRedis(o.queueUrl, 'submit');
  try {
    checkEngineServes(engine, glossary.source, targets, o.targets === undefined ? glossary.file : undefined);
    const store = new JobStore(o.jobDir ?? DEFAULT_JOB_DIR);
    // Held until the run is queued: two submits of one job cannot both pass the check below.
    const lock = acquireJobLock(store.dir);
    try {
      return await queueRun(o, { redis, store, inputs, engine, engineName, emit });
    } finally {
      lock.release();
    }
  } finally {
    await engine.close();
    redis.disconnect();
  }
}

/** The part of `submitRun` done under the job lock: no other run of the job in progress, then queue this one. */
async function queueRun(
  o: SubmitOptions,
  c: { redis: Redis; store: JobStore; inputs: ReturnType<typeof readRunInputs>; engine: ReturnType<typeof createEngine>; engineName: EngineName; emit: (e: ProgressEvent) => void },
): Promise<QueuedRun> {
  const { redis, store, inputs, engine, engineName, emit } = c;
  const { glossary, targets } = inputs;
  await refuseRunInProgress(redis, store.dir, o.queueUrl);
  const prepared = await prepareArticles(store, inputs, engine.info.id, emit);
  // As a local run does before its first request: --max-chars, and what the billing period has left.
  // Segments the workers' shared translation memory already holds are not counted.
  if (engine.estimateCost) await checkCost(engine, store, prepared.map((p) => p.segmented), glossary, targets, o.maxChars, emit, 'queued', new RedisTranslationMemory(redis));
  const run = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  const groups = languageGroups(engine, glossary.source, targets);
  const translate: QueuedRun['translate'] = [];
  const retry: JobsOptions = { attempts: 3, backoff: { type: 'exponential', delay: 5000 }, removeOnComplete: false, removeOnFail: false };
  const children = prepared.flatMap((p, i) => groups.map((g) => {
    const id = `${run}.t${i}.${g.join('-')}`;
    translate.push({ id, namespace: p.namespace, targets: g, segments: p.segmented.segments.length });
    const data: TranslateJobData = {
      kind: 'translate', run, jobDir: store.dir, namespace: p.namespace, targets: g, engine: engineName, glossary,
      segmentsHash: segmentsHash(p.segmented.segments.map((s) => s.id)),
      ...(o.concurrency === undefined ? {} : { concurrency: o.concurrency }),
      ...(o.requestsPerSecond === undefined ? {} : { requestsPerSecond: o.requestsPerSecond }),
      ...(o.maxChars === undefined ? {} : { maxChars: o.maxChars }),
    };
    return { name: 'translate', queueName: QUEUE_NAME, data, opts: { ...retry, jobId: id, failParentOnFailure: true } };
  }));
  const publishId = `${run}.publish`;
  const localesDir = resolve(o.localesDir ?? 'locales');
  const record: QueuedRun = {
    run, jobDir: store.dir, localesDir, submitted: new Date().toISOString(), targets: [...targets], engine: engine.info.id, publishId, translate,
  };
  // Recorded before the flow exists, so that a worker or `status` never sees a job without its run.
  await redis.multi().set(runKey(run), JSON.stringify(record)).set(latestRunKey(store.dir), run).set(LATEST_RUN_KEY, run).exec();
  const flow = new FlowProducer({ connection: redis, prefix: KEY_PREFIX });
  try {
    const publish: PublishJobData = { kind: 'publish', run, jobDir: store.dir, localesDir, ...(o.approvedOnly === undefined ? {} : { approvedOnly: o.approvedOnly }) };
    await flow.add({ name: 'publish', queueName: QUEUE_NAME, data: publish, opts: { ...retry, jobId: publishId }, children });
  } finally {
    await flow.close();
  }
  emit({ type: 'notice', message: `queued run ${run}: ${children.length} translate job${children.length === 1 ? '' : 's'} (${prepared.length} article${prepared.length === 1 ? '' : 's'} × ${groups.map((g) => g.join('+')).join(', ')}), then publish` } satisfies ProgressEvent);
  return record;
}

/** A second run of a job whose queued run is still going would translate (and bill) everything again. */
async function refuseRunInProgress(redis: Redis, jobDir: string, queueUrl: string): Promise<void> {
  const previous = await redis.get(latestRunKey(jobDir));
  const record = previous === null ? null : await redis.get(runKey(previous));
  if (previous !== null && record !== null) {
    const status = await readQueueStatus(redis, JSON.parse(record) as QueuedRun);
    const gone = status.publish.state === 'unknown' && status.articles.every((a) => a.translate.every((t) => t.state === 'unknown'));
    if (!status.done && !status.failed && !gone) {
      throw new RelaisError('JOB_LOCKED', `job ${jobDir} has a queued run in progress (${previous}); a second one would translate it again`, {
        hint: `Wait for it: relais status --queue ${redactRedisUrl(queueUrl)} --run ${previous}, or use another --job folder.`,
      });
    }
  }
}

/** Targets grouped with the pivot they go through, when that pivot is a target too (en with es). */
export function languageGroups(engine: Engine, source: Lang, targets: readonly Lang[]): Lang[][] {
  const groups: Lang[][] = [];
  const placed = new Set<Lang>();
  for (const t of targets) {
    const pivot = engine.pivotOf?.(source, t);
    if (pivot && targets.includes(pivot) && !placed.has(pivot) && !placed.has(t)) {
      groups.push([t, pivot]);
      placed.add(t).add(pivot);
    }
  }
  for (const t of targets) if (!placed.has(t)) groups.push([t]);
  return groups;
}

export function segmentsHash(ids: readonly string[]): string {
  return createHash('sha256').update(ids.join('\n')).digest('hex');
}

export async function readQueuedRun(redis: Redis, o: { run?: string; jobDir?: string }): Promise<QueuedRun> {
  const run = o.run ?? (await redis.get(o.jobDir === undefined ? LATEST_RUN_KEY : latestRunKey(o.jobDir)));
  const raw = run ? await redis.get(runKey(run)) : null;
  if (!raw) {
    throw new RelaisError('JOB_NOT_FOUND', o.run ? `no queued run "${o.run}" in this Redis` : `no run of ${o.jobDir ? resolve(o.jobDir) : 'any job'} was queued in this Redis`, {
      hint: 'Queue one with `relais run --queue <url> <files…>`.',
    });
  }
  return JSON.parse(raw) as QueuedRun;
}

export type StageState = 'waiting' | 'active' | 'completed' | 'failed' | 'delayed' | 'waiting-children' | 'prioritized' | 'unknown';

export interface QueueJobStatus {
  id: string;
  state: StageState;
  /** Per language: segments done of total, as the worker last reported. */
  progress: Record<Lang, { done: number; total: number }>;
  /** Attempts made so far (a stalled job handed to another worker counts once more). */
  attempts: number;
  failedReason?: string;
  worker?: string;
  /** Workers that left this job for another because they cannot serve it, and why (while it is not done). */
  declined?: Array<{ worker: string; why: string }>;
}

export interface QueueRunStatus {
  run: QueuedRun;
  articles: Array<{ namespace: string; segments: number; translate: Array<QueueJobStatus & { targets: Lang[] }> }>;
  publish: QueueJobStatus;
  workers: string[];
  /** Connected workers that were told to stop: they finish the jobs in hand and take no new one. */
  stopping: string[];
  done: boolean;
  failed: boolean;
  /**
   * Characters billed by the workers for this run (every attempt, finished or not, and what a killed
   * worker had checkpointed), per language, and in every run of the job: from its billing records.
   */
  billedCharacters: { run: number; job: number; languages: Record<Lang, number> };
}

export async function readQueueStatus(redis: Redis, run: QueuedRun): Promise<QueueRunStatus> {
  const queue = new Queue(QUEUE_NAME, { connection: redis, prefix: KEY_PREFIX });
  try {
    const one = async (id: string): Promise<QueueJobStatus> => {
      const job = await queue.getJob(id);
      if (!job) return { id, state: 'unknown', progress: {}, attempts: 0 };
      const state = (await job.getState()) as StageState;
      const progress = typeof job.progress === 'object' && job.progress !== null ? (job.progress as Record<Lang, { done: number; total: number }>) : {};
      const result = job.returnvalue as { worker?: string } | null;
      return {
        // BullMQ counts finished attempts (failed or completed) in attemptsMade, and hand-overs from a stopped worker in stalledCounter.
        id, state, progress, attempts: job.attemptsMade + (job.stalledCounter ?? 0) + (state === 'active' ? 1 : 0),
        ...(job.failedReason ? { failedReason: job.failedReason } : {}),
        ...(result?.worker ? { worker: result.worker } : state === 'active' && job.processedBy ? { worker: job.processedBy } : {}),
      };
    };
    const declines = new Map<string, Array<{ worker: string; why: string }>>();
    for (const [field, why] of Object.entries(await redis.hgetall(declinedKey(run.run)))) {
      const [id, worker] = field.split('\t') as [string, string];
      declines.set(id, [...(declines.get(id) ?? []), { worker, why }]);
    }
    const translate = await Promise.all(run.translate.map(async (t) => {
      const status = await one(t.id);
      const declined = status.state === 'completed' || status.state === 'failed' ? undefined : declines.get(t.id);
      return { ...status, ...(declined ? { declined } : {}), targets: t.targets, namespace: t.namespace, segments: t.segments };
    }));
    const articles: QueueRunStatus['articles'] = [];
    for (const t of translate) {
      let a = articles.find((x) => x.namespace === t.namespace);
      if (!a) articles.push((a = { namespace: t.namespace, segments: t.segments, translate: [] }));
      const { namespace: _n, segments: _s, ...rest } = t;
      a.translate.push(rest);
    }
    const publish = await one(run.publishId);
    // BullMQ names each worker's connection `<prefix>:<queue, base64>:w:<worker name>`.
    // CLIENT LIST shows the clients of every database: only this one's count.
    const db = String(redis.options.db ?? 0);
    const workers = (await queue.getWorkers()).filter((w) => w['db'] === undefined || w['db'] === db)
      .map((w) => String(w['rawname'] ?? w['name'] ?? '')).map((n) => n.split(':w:')[1] ?? n).filter(Boolean).sort();
    // A worker finishing its jobs after Ctrl+C is no longer listed by BullMQ: its key says it is there.
    const candidates = [...new Set([...workers, ...translate.filter((t) => t.state === 'active' && t.worker).map((t) => t.worker!)])];
    const stopping = (await Promise.all(candidates.map(async (w) => ((await redis.exists(stoppingKey(w))) ? w : '')))).filter(Boolean).sort();
    for (const w of stopping) if (!workers.includes(w)) workers.push(w);
    workers.sort();
    const { lines, open } = readBilling(run.jobDir);
    const languages: Record<Lang, number> = {};
    let ofRun = 0;
    for (const l of [...lines, ...open]) {
      if (l.run !== run.run) continue;
      ofRun += l.total;
      for (const [lang, n] of Object.entries(l.characters)) languages[lang] = (languages[lang] ?? 0) + n;
    }
    return {
      run, articles, publish, workers, stopping,
      billedCharacters: { run: ofRun, job: [...lines, ...open].reduce((n, l) => n + l.total, 0), languages },
      done: publish.state === 'completed',
      failed: publish.state === 'failed' || translate.some((t) => t.state === 'failed'),
    };
  } finally {
    await queue.close();
  }
}

/** Polls the run until it is published or failed, reporting progress; returns the last status. */
export async function waitForRun(o: {
  queueUrl: string; run: QueuedRun; onStatus?: (s: QueueRunStatus) => void; pollMs?: number;
  /** Said once while Redis does not answer for a while (it may come back: waiting goes on). */
  onWarning?: (message: string) => void;
}): Promise<QueueRunStatus> {
  const redis = await connectRedis(o.queueUrl, 'wait');
  let gone = 0;
  const stuck = new Set<string>();
  try {
    for (;;) {
      let warned = false;
      const silent = setTimeout(() => {
        warned = true;
        o.onWarning?.(`Redis at ${redactRedisUrl(o.queueUrl)} does not answer; still waiting for it (Ctrl+C stops waiting)`);
      }, 5000);
      let status: QueueRunStatus;
      try {
        status = await readQueueStatus(redis, o.run);
      } finally {
        clearTimeout(silent);
      }
      if (warned) o.onWarning?.(`Redis at ${redactRedisUrl(o.queueUrl)} answers again`);
      o.onStatus?.(status);
      for (const a of status.articles) {
        for (const t of a.translate) {
          // Every connected worker that still takes jobs has left this job for another: say which, and why, once.
          const taking = status.workers.filter((w) => !status.stopping.includes(w));
          if (!t.declined || stuck.has(t.id) || taking.length === 0 || !taking.every((w) => t.declined!.some((d) => d.worker === w))) continue;
          stuck.add(t.id);
          o.onWarning?.(`no connected worker can take ${a.namespace} → ${t.targets.join('+')}: ${t.declined.map((d) => `${d.worker}: ${d.why}`).join('; ')}. It waits in the queue until a worker that can serve it connects (relais worker --queue ${redactRedisUrl(o.queueUrl)})`);
        }
      }
      if (status.done) return status;
      // Every job of the run gone from Redis (restarted without persistence, or flushed): nothing will
      // ever finish it. Asked three times, so that a status read while BullMQ moves a job cannot end it.
      gone = status.publish.state === 'unknown' && status.articles.every((a) => a.translate.every((t) => t.state === 'unknown')) ? gone + 1 : 0;
      if (gone >= 3) {
        throw new RelaisError('QUEUE_FAILED', `queued run ${o.run.run} is no longer in Redis at ${redactRedisUrl(o.queueUrl)} (was Redis restarted without persistence, or flushed?)`, {
          hint: 'Finished segments are kept in the job folder: run the same `relais run --queue …` again; only the rest is translated.',
        });
      }
      if (status.failed) {
        const reasons = [...status.articles.flatMap((a) => a.translate.filter((t) => t.state === 'failed').map((t) => `${a.namespace} [${t.targets.join('+')}]: ${t.failedReason ?? 'failed'}`)),
          ...(status.publish.state === 'failed' ? [`publish: ${status.publish.failedReason ?? 'failed'}`] : [])];
        throw new RelaisError('QUEUE_FAILED', `queued run ${o.run.run} failed: ${reasons.join('; ')}`, {
          hint: 'Finished segments are kept in the job folder and the shared memory: fix the cause and run the same `relais run --queue …` again; only the rest is translated.',
        });
      }
      await new Promise((r) => setTimeout(r, o.pollMs ?? 500));
    }
  } finally {
    redis.disconnect();
  }
}
