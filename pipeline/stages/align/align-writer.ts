/**
 * Writing an article's alignment (TMX and review page, per language) off the main thread.
 *
 * Building them is string work on the whole article (~100 ms per language for a 1 MB article built
 * from nothing; a re-run copies unchanged segments' pieces out of the last files, align-fragments.ts),
 * which the run otherwise does on the thread that feeds the engine, carries decisions over and plans
 * the publish. On a worker thread it overlaps that work. The thread starts when the run knows it has
 * something to translate (`prestart`). Each file is still written atomically, and a failure comes
 * back as the RelaisError the same code would have thrown inline.
 *
 * Where the compiled worker is not there (the TypeScript sources run by the tests' in-process calls),
 * the same function runs inline.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { AlignedArticle, Glossary } from '../../artifacts.js';
import { RelaisError, type ErrorCode } from '../../errors.js';
import { writeFileAtomically } from '../../job/fs-atomic.js';
import { RELAIS_VERSION } from '../../paths.js';
import { alignmentContext, buildAlignment, fragmentIndexJson, fragmentsPathOf, readKeptAlignment } from './align-fragments.js';
import { tmxDate } from './build-tmx.js';

export interface AlignmentJob {
  tmxPath: string;
  htmlPath: string;
  article: AlignedArticle;
  glossary: Glossary;
  /** The article's title, for the review page. */
  title: string;
  /** TMX `creationdate` (tmxDate format). */
  creationDate: string;
}

/**
 * Build and write one language's TMX and review page (each file atomically), reusing the last run's
 * pieces of unchanged segments (see align-fragments.ts), then the index of the new pieces.
 */
export function writeAlignmentFiles(job: AlignmentJob): { reused: number } {
  const context = alignmentContext(job.article, job.glossary, RELAIS_VERSION);
  const kept = readKeptAlignment(context, job.tmxPath, job.htmlPath);
  const built = buildAlignment(job.article, job.glossary, job.title, { toolVersion: RELAIS_VERSION, creationDate: job.creationDate }, kept);
  writeFileAtomically(job.tmxPath, Buffer.concat(built.tmx));
  writeFileAtomically(job.htmlPath, Buffer.concat(built.html));
  // Last: a run stopped before this leaves an index whose stamps no longer match, so nothing is reused.
  writeFileAtomically(fragmentsPathOf(job.tmxPath), fragmentIndexJson(context, built.units, job.tmxPath, job.htmlPath));
  return { reused: built.reused };
}

/**
 * The job for one language. Its article keeps only what the files show: a 1 MB article's segments
 * cross to the thread without their machine text and unknown words (a third less to copy).
 */
export function alignmentJob(paths: { tmxPath: string; htmlPath: string }, article: AlignedArticle, glossary: Glossary, title: string): AlignmentJob {
  const segments = article.segments.map(({ id, source, target, termsApplied, flags, cacheKey }) => ({ id, source, target, termsApplied, flags, cacheKey }));
  return { ...paths, article: { ...article, segments }, glossary, title, creationDate: tmxDate(new Date()) };
}

/** An error as it crosses the thread boundary (structured clone keeps no class or custom fields). */
interface SentError {
  code?: ErrorCode;
  message: string;
  hint?: string;
  stack?: string;
}

type Reply = { id: number; reused?: number; error?: SentError };

const WORKER_FILE = fileURLToPath(new URL('./align-worker.js', import.meta.url));

/**
 * The alignment thread's heap. By default V8 sizes it like the main thread's: up to 48 MB of young
 * generation, and an old generation let grow to 4× what survives a collection (the factor V8 uses when
 * the heap may reach 2 GB or more). On 10 articles of 1 MB that made the thread's heap, not what it
 * holds (~20 MB live between articles, ~47 MB for a 1 MB article in three languages), the part of the
 * run's peak RSS that kept growing. A 12 MB young generation and a limit just under 2 GB (V8 then lets
 * the heap grow to at most 2× its live size) take ~55 MiB off that peak and ~45 MiB off a re-run's,
 * with no measurable time (scripts/bench/apertium.ts has the numbers). 2 GB is still ~40× the largest
 * live heap measured, and more than V8 gives a thread by default on a machine with less than 8 GB.
 */
const THREAD_LIMITS = { maxYoungGenerationSizeMb: 12, maxOldGenerationSizeMb: 2047 } as const;

/** One worker thread for a run, started on the first job; `close()` waits for what was given and ends it. */
export class AlignmentWriter {
  private worker: Worker | undefined;
  private readonly pending = new Map<number, { resolve: (r: { reused: number }) => void; reject: (e: unknown) => void }>();
  private nextId = 0;
  private closed = false;
  /** False where the compiled worker is missing (TypeScript sources): jobs then run inline. */
  readonly threaded: boolean;

  constructor(options: { threaded?: boolean } = {}) {
    this.threaded = (options.threaded ?? true) && WORKER_FILE.endsWith('.js') && existsSync(WORKER_FILE);
  }

  /** Resolves once both files are written (with how many segments' pieces were kept); rejects with the RelaisError that stopped it. */
  write(job: AlignmentJob): Promise<{ reused: number }> {
    if (this.closed) return Promise.reject(new RelaisError('WRITE_FAILED', 'the alignment writer was closed'));
    if (!this.threaded) {
      try {
        return Promise.resolve(writeAlignmentFiles(job));
      } catch (e) {
        return Promise.reject(e);
      }
    }
    const worker = this.start();
    const id = this.nextId++;
    return new Promise<{ reused: number }>((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, job });
    });
  }

  /**
   * Start the thread now (when the run knows it will align something), so that loading its modules
   * overlaps the translation instead of delaying the first alignment. Does nothing inline.
   */
  prestart(): void {
    if (this.threaded && !this.closed) this.start().unref();
  }

  /** Wait for every job given so far (failed or not), then stop the thread. Safe to call twice, also at once. */
  close(): Promise<void> {
    this.closing ??= (async () => {
      this.closed = true;
      if (this.pending.size > 0) await new Promise<void>((res) => (this.onIdle = res));
      const w = this.worker;
      this.worker = undefined;
      if (w) await w.terminate();
    })();
    return this.closing;
  }

  private closing: Promise<void> | undefined;
  private onIdle: (() => void) | undefined;

  private start(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(WORKER_FILE, { resourceLimits: THREAD_LIMITS });
    worker.on('message', (r: Reply) => this.settle(r.id, r.error, r.reused));
    // The thread itself failed (not a job): every job waiting on it fails with the reason.
    const fail = (why: string) => {
      for (const id of [...this.pending.keys()]) this.settle(id, { code: 'WRITE_FAILED', message: `writing the alignment files failed: ${why}` });
      if (this.worker === worker) this.worker = undefined;
    };
    worker.on('error', (e) => fail(e.message));
    worker.on('exit', (code) => {
      if (this.pending.size > 0) fail(`its thread exited with code ${code}`);
    });
    this.worker = worker;
    return worker;
  }

  private settle(id: number, error: SentError | undefined, reused?: number): void {
    const p = this.pending.get(id);
    if (!p) return;
    this.pending.delete(id);
    if (error) {
      const e = error.code ? new RelaisError(error.code, error.message, error.hint === undefined ? {} : { hint: error.hint }) : new Error(error.message);
      if (error.stack) e.stack = error.stack;
      p.reject(e);
    } else {
      p.resolve({ reused: reused ?? 0 });
    }
    if (this.pending.size === 0) {
      // Idle: the thread must not keep the process alive.
      this.worker?.unref();
      this.onIdle?.();
      this.onIdle = undefined;
    }
  }
}

/** The worker side: one job per message, answered in order. */
export function serveAlignmentJobs(port: { on(e: 'message', f: (m: { id: number; job: AlignmentJob }) => void): void; postMessage(r: Reply): void }): void {
  port.on('message', ({ id, job }) => {
    try {
      const { reused } = writeAlignmentFiles(job);
      port.postMessage({ id, reused });
    } catch (e) {
      const err = e instanceof Error ? e : new Error(String(e));
      port.postMessage({
        id,
        error: {
          message: err.message,
          ...(err instanceof RelaisError ? { code: err.code, ...(err.hint === undefined ? {} : { hint: err.hint }) } : {}),
          ...(err.stack ? { stack: err.stack } : {}),
        },
      });
    }
  });
}
