/**
 * Queue mode on the command line: `relais run --queue`, `relais worker`, `relais status --queue`.
 */
import type { Command } from 'commander';
import { InvalidArgumentError } from 'commander';
import type { EngineName } from '../engines/create-engine.js';
import type { Lang } from '../artifacts.js';
import type { QueueRunStatus } from '../queue/submit.js';
import { formatMs } from './progress.js';

// BullMQ and ioredis are loaded only by the queue commands: local runs do not pay for them.
const queueModules = async () => {
  const [redis, submit, worker] = await Promise.all([import('../queue/redis.js'), import('../queue/submit.js'), import('../queue/worker.js')]);
  return { ...redis, ...submit, ...worker };
};

interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  displayPath: (path: string) => string;
}

export interface QueueRunCliOptions {
  queue: string;
  files: string[];
  targets?: Lang[];
  engine: string;
  job: string;
  glossary: string;
  locales: string;
  approvedOnly?: boolean;
  json?: boolean;
  quiet?: boolean;
  detach?: boolean;
  maxChars?: number;
  deeplConcurrency?: number;
  deeplRate?: number;
}

export async function runOnQueue(o: QueueRunCliOptions, io: Io): Promise<void> {
  const { submitRun, waitForRun, redactRedisUrl } = await queueModules();
  const t0 = Date.now();
  const quiet = o.quiet === true || o.json === true;
  const note = (line: string) => {
    if (!quiet) io.err(`relais: ${line}\n`);
  };
  const run = await submitRun({
    queueUrl: o.queue,
    files: o.files,
    ...(o.targets ? { targets: o.targets } : {}),
    engine: o.engine as EngineName,
    jobDir: o.job,
    glossaryFile: o.glossary,
    localesDir: o.locales,
    ...(o.approvedOnly === undefined ? {} : { approvedOnly: o.approvedOnly }),
    onProgress: (e) => {
      if (e.type === 'notice') note(e.message);
      else if (e.type === 'warning') io.err(`relais: warning: ${e.message}\n`);
    },
    ...(o.maxChars === undefined ? {} : { maxChars: o.maxChars }),
    ...(o.deeplConcurrency === undefined ? {} : { concurrency: o.deeplConcurrency }),
    ...(o.deeplRate === undefined ? {} : { requestsPerSecond: o.deeplRate }),
  });
  const follow = `relais status --queue ${redactRedisUrl(o.queue)} --run ${run.run}`;
  if (o.detach) {
    io.out(o.json ? `${JSON.stringify(run, null, 2)}\n` : `queued run ${run.run} (${run.translate.length} translate jobs, then publish); follow it with:\n  ${follow}\n`);
    return;
  }
  note(`waiting for workers (start them with \`relais worker --queue ${redactRedisUrl(o.queue)}\`; Ctrl+C stops waiting, the run stays queued: ${follow})`);
  let last = '';
  const status = await waitForRun({
    queueUrl: o.queue,
    run,
    onStatus: (s) => {
      const line = progressLine(s);
      if (line !== last && !quiet) io.err(`relais: ${line}\n`);
      last = line;
    },
    onWarning: (m) => io.err(`relais: warning: ${m}\n`),
  });
  if (o.json) {
    io.out(`${JSON.stringify(status, null, 2)}\n`);
    return;
  }
  io.out(`${formatQueueStatus(status, io)}published under ${io.displayPath(run.localesDir).replace(/\/?$/, '/')} in ${formatMs(Date.now() - t0)}\n`);
}

export async function printQueueStatus(o: { queue: string; job?: string; run?: string; json: boolean }, io: Io): Promise<void> {
  const { connectRedis, readQueuedRun, readQueueStatus } = await queueModules();
  const redis = await connectRedis(o.queue, 'status');
  try {
    const run = await readQueuedRun(redis, { ...(o.run ? { run: o.run } : {}), ...(o.job ? { jobDir: o.job } : {}) });
    const status = await readQueueStatus(redis, run);
    io.out(o.json ? `${JSON.stringify(status, null, 2)}\n` : formatQueueStatus(status, io));
  } finally {
    redis.disconnect();
  }
}

export function registerWorkerCommand(cmd: Command, io: Io): void {
  cmd
    .description('take translate and publish jobs off a Redis queue (BullMQ), on any number of machines; the job folders must be shared')
    .requiredOption('--queue <url>', 'Redis holding the queue, e.g. redis://127.0.0.1:6379')
    .option('--concurrency <n>', 'jobs at once in this worker', positiveInteger, 2)
    .option('--lock-seconds <n>', "a stopped worker's jobs go to another worker after about this long", positiveInteger, 30)
    .option('--name <name>', 'shown in `relais status --queue` (default: host:pid)')
    .addHelpText('after', `
Each worker keeps its engines running between jobs (one Apertium pipeline per language pair) and shares
the translation memory and DeepL's rate limit with the other workers through Redis. A worker takes
DeepL jobs only where DEEPL_AUTH_KEY is set, and Apertium jobs only for the pairs installed on its
machine; it leaves the others in the queue for a worker that can. Ctrl+C or SIGTERM: the jobs in hand are finished,
then the worker exits; a killed worker's jobs are handed to another one after --lock-seconds.`)
    .action(async (o: { queue: string; concurrency: number; lockSeconds: number; name?: string }) => {
      const { startWorker } = await queueModules();
      const worker = await startWorker({
        queueUrl: o.queue,
        concurrency: o.concurrency,
        lockMs: o.lockSeconds * 1000,
        ...(o.name ? { name: o.name } : {}),
        log: (line) => io.err(`relais worker: ${line}\n`),
      });
      await new Promise<void>((resolve) => {
        const stop = () => {
          io.err(`relais worker: ${worker.name}: stopping after the jobs in hand\n`);
          void worker.close().then(resolve);
        };
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    });
}

function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of 1 or more, got "${value}"`);
  return n;
}

function progressLine(s: QueueRunStatus): string {
  const jobs = s.articles.flatMap((a) => a.translate);
  const finished = jobs.filter((j) => j.state === 'completed').length;
  const active = jobs.filter((j) => j.state === 'active').length;
  let done = 0;
  let total = 0;
  for (const j of jobs) {
    for (const p of Object.values(j.progress)) {
      done += p.done;
      total += p.total;
    }
  }
  const pct = total > 0 ? ` · ${Math.floor((100 * done) / total)} % of started segments` : '';
  return `translate ${finished}/${jobs.length} jobs done, ${active} running${pct} · publish ${s.publish.state} · ${s.workers.length} worker${s.workers.length === 1 ? '' : 's'}${s.stopping.length ? ` (${s.stopping.length} stopping)` : ''}`;
}

export function formatQueueStatus(s: QueueRunStatus, io: Pick<Io, 'displayPath'>): string {
  const lines = [`run ${s.run.run} · job ${io.displayPath(s.run.jobDir)} · engine ${s.run.engine} · targets ${s.run.targets.join(', ')} · queued ${s.run.submitted}`];
  lines.push(`workers connected: ${s.workers.length ? s.workers.map((w) => (s.stopping.includes(w) ? `${w} (stopping: finishing its jobs, taking no new one)` : w)).join(', ') : 'none'}`);
  for (const a of s.articles) {
    lines.push(`${a.namespace}: ${a.segments} segments · ingest done · segment done`);
    for (const t of a.translate) {
      const langs = t.targets.map((l) => {
        const p = t.progress[l];
        return p && p.total > 0 ? `${l} ${p.done}/${p.total}` : l;
      }).join(', ');
      const extra = [
        t.attempts > 1 ? `${t.attempts} attempts` : '', t.worker ? `by ${t.worker}` : '', t.failedReason ? `: ${t.failedReason}` : '',
        t.declined ? `(left by ${t.declined.map((d) => `${d.worker}: ${d.why}`).join('; ')})` : '',
      ].filter(Boolean).join(' ');
      lines.push(`  translate+align [${langs}]: ${t.state}${extra ? ` ${extra}` : ''}`);
    }
  }
  lines.push(`publish (${s.run.targets.join(', ')}): ${s.publish.state}${s.publish.failedReason ? `: ${s.publish.failedReason}` : ''}`);
  const b = s.billedCharacters;
  if (b.run > 0 || b.job > 0) {
    const nf = new Intl.NumberFormat('en');
    const langs = Object.entries(b.languages).map(([l, n]) => `${l} ${nf.format(n)}`).join(' · ');
    lines.push(`billed: ${nf.format(b.run)} characters in this run${langs ? ` (${langs})` : ''}, ${nf.format(b.job)} in the job`);
  }
  return `${lines.join('\n')}\n`;
}
