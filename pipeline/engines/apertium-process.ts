/**
 * One long-lived Apertium pipeline for one mode (e.g. `fr-es`), driven in null-flush mode.
 *
 * Why not the `apertium` wrapper: from Node it fails silently on piped stdin, does not flush on `\0`
 * in 3.8.3, and costs ~180 ms per spawn. Instead we run the mode's own program chain with `-z`
 * (every program flushes its output when it reads `\0`) and play the part of the txt deformatter
 * (`apertium-destxt`) and reformatter (`apertium-retxt`) ourselves, byte for byte, so the output
 * equals what `apertium <mode> FILE` prints.
 *
 * Requests are answered strictly in FIFO order (one `\0`-terminated block out per block in), so a
 * queue of pending resolvers is all the bookkeeping needed. If the child dies, every block in
 * flight is sent again to a fresh child.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RelaisError } from '../errors.js';

export const DEFAULT_MODES_DIR = '/usr/share/apertium/modes';

/** Debian package that ships each mode relais uses (the package name does not always match the mode). */
export const PACKAGE_OF_MODE: Readonly<Record<string, string>> = {
  'fr-es': 'apertium-fr-es',
  'fra-cat': 'apertium-fra-cat',
  'fr-eo': 'apertium-eo-fr',
  'fra-oci': 'apertium-oci-fra',
  'spa-eng': 'apertium-eng-spa',
};

export interface ApertiumPipelineOptions {
  /** Directory holding `<mode>.mode` files. @default '/usr/share/apertium/modes' */
  modesDir?: string;
  /** Keep unknown-word marks (`*`, `@`, `#`) in the output (`-g`), or drop them (`-n`). @default true */
  markUnknown?: boolean;
  /** Blocks written to the child and not yet answered; further requests wait. @default 64 */
  maxInFlight?: number;
  /** How many times one block may be re-sent after the child died. @default 3 */
  maxRestarts?: number;
  /** After stdin is closed, how long to wait for the child to exit before killing its group. @default 5000 */
  closeTimeoutMs?: number;
}

/** One request: its encoded block, its promise, and how often it has already been lost in a crash. */
interface Job {
  block: Buffer;
  resolve: (text: string) => void;
  reject: (err: unknown) => void;
  attempts: number;
  /** Set when the caller aborted: the answer is still read (to keep FIFO order) but discarded. */
  settled: boolean;
}

const STDERR_LINES_KEPT = 20;

export class ApertiumPipeline {
  readonly mode: string;
  /** The shell command run for this mode (null-flush pipeline). */
  readonly command: string;

  private readonly maxInFlight: number;
  private readonly maxRestarts: number;
  private readonly closeTimeoutMs: number;

  private child: ChildProcess | undefined;
  /** True once a child has died unexpectedly: the next spawn counts as a restart. */
  private crashed = false;
  private closing = false;
  private closed: Promise<void> | undefined;

  private readonly waiting: Job[] = [];
  private readonly inFlight: Job[] = [];
  /** Bytes of the block being read, collected until its `\0` arrives. */
  private partial: Buffer[] = [];
  private stderrTail: string[] = [];
  private idleWaiters: Array<() => void> = [];

  private sent = 0;
  private restartCount = 0;

  constructor(mode: string, options: ApertiumPipelineOptions = {}) {
    this.mode = mode;
    this.maxInFlight = options.maxInFlight ?? 64;
    this.maxRestarts = options.maxRestarts ?? 3;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.command = buildCommand(mode, options.modesDir ?? DEFAULT_MODES_DIR, options.markUnknown ?? true);
  }

  /** Blocks written to a child so far (re-sent blocks count again). */
  get blocksSent(): number {
    return this.sent;
  }

  /** Children started to replace one that died. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Process id of the current child (`bash`, also its process-group id), if one is running. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /** Translate one block of plain text; resolves with the raw Apertium output (marks kept if `markUnknown`). */
  translate(text: string, signal?: AbortSignal): Promise<string> {
    if (this.closing) return Promise.reject(new RelaisError('ENGINE_FAILED', `apertium ${this.mode}: pipeline is closed`));
    signal?.throwIfAborted();
    return new Promise<string>((resolve, reject) => {
      const job: Job = { block: Buffer.from(deformat(text) + '\0', 'utf8'), resolve, reject, attempts: 0, settled: false };
      const onAbort = (): void => this.abort(job, signal!.reason);
      signal?.addEventListener('abort', onAbort, { once: true });
      job.resolve = (t) => {
        signal?.removeEventListener('abort', onAbort);
        resolve(t);
      };
      job.reject = (e) => {
        signal?.removeEventListener('abort', onAbort);
        reject(e);
      };
      this.waiting.push(job);
      this.pump();
    });
  }

  /**
   * Let the child finish what it was given, end its stdin and wait for it to exit; kill the whole
   * process group if it does not within `closeTimeoutMs`. Safe to call twice.
   */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  private async shutdown(): Promise<void> {
    this.closing = true;
    await this.whenIdle();
    const child = this.child;
    if (!child || child.exitCode !== null || child.signalCode !== null) return;
    const exited = new Promise<void>((res) => child.once('close', () => res()));
    child.stdin?.end();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), this.closeTimeoutMs)));
    if ((await Promise.race([exited, timedOut])) === 'timeout') {
      killGroup(child);
      await exited;
    }
    clearTimeout(timer);
  }

  private whenIdle(): Promise<void> {
    if (this.waiting.length === 0 && this.inFlight.length === 0) return Promise.resolve();
    return new Promise((res) => this.idleWaiters.push(res));
  }

  /** Send waiting blocks while there is room in flight. */
  private pump(): void {
    while (this.waiting.length > 0 && this.canSend(this.waiting[0]!)) {
      const job = this.waiting.shift()!;
      if (job.settled) continue; // aborted before it was sent
      const child = this.ensureChild();
      this.inFlight.push(job);
      this.sent++;
      child.stdin!.write(job.block);
    }
    this.updateRef();
    if (this.waiting.length === 0 && this.inFlight.length === 0) {
      for (const res of this.idleWaiters.splice(0)) res();
    }
  }

  /**
   * A block that was in flight when the child died might be the one that killed it: such blocks go
   * alone, so a poison block only ever takes itself down and the others are not charged restarts.
   */
  private canSend(next: Job): boolean {
    if (this.inFlight.length >= this.maxInFlight) return false;
    if (this.inFlight.some((j) => j.attempts > 0)) return false;
    return next.attempts === 0 || this.inFlight.length === 0;
  }

  private ensureChild(): ChildProcess {
    if (this.child) return this.child;
    if (this.crashed) this.restartCount++;
    this.crashed = false;
    this.partial = [];
    // detached: the child leads its own process group, so killing -pid stops every program of the chain.
    const child = spawn('bash', ['-c', this.command], { stdio: ['pipe', 'pipe', 'pipe'], detached: true });
    this.child = child;
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(child, chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => this.onStderr(s));
    // EPIPE when the child died mid-write: the 'close' handler below re-sends, nothing to do here.
    child.stdin!.on('error', () => {});
    child.on('error', (err) => this.onChildGone(child, `could not run: ${err.message}`));
    child.on('close', (code, sig) => this.onChildGone(child, sig ? `killed by ${sig}` : `exited with code ${code}`));
    return child;
  }

  private onStdout(child: ChildProcess, chunk: Buffer): void {
    if (child !== this.child) return;
    let start = 0;
    for (let nul = chunk.indexOf(0, start); nul !== -1; nul = chunk.indexOf(0, start)) {
      this.partial.push(chunk.subarray(start, nul));
      const bytes = Buffer.concat(this.partial);
      this.partial = [];
      start = nul + 1;
      // Every real answer holds at least the closing `.[]`; empty blocks are the extra flushes each
      // program of the chain emits when its input ends.
      if (bytes.length > 0) this.answer(bytes.toString('utf8'));
    }
    if (start < chunk.length) this.partial.push(chunk.subarray(start));
  }

  private answer(raw: string): void {
    const job = this.inFlight.shift();
    if (!job) return; // output nobody asked for: ignore rather than crash
    if (!job.settled) {
      job.settled = true;
      job.resolve(reformat(raw));
    }
    this.pump();
  }

  private onStderr(s: string): void {
    this.stderrTail.push(...s.split('\n').filter((l) => l.trim() !== ''));
    if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.splice(0, this.stderrTail.length - STDERR_LINES_KEPT);
  }

  /** The child exited or could not start: re-queue what it held, or give up on blocks out of retries. */
  private onChildGone(child: ChildProcess, why: string): void {
    if (child !== this.child) return;
    this.child = undefined;
    killGroup(child); // stragglers of the chain (upstream programs still blocked on read)
    const lost = this.inFlight.splice(0);
    if (this.closing && this.waiting.length === 0 && lost.length === 0) return; // normal end
    this.crashed = true;
    const retry: Job[] = [];
    for (const job of lost) {
      if (job.settled) continue;
      job.attempts++;
      if (job.attempts > this.maxRestarts) {
        job.settled = true;
        job.reject(this.failure(why));
      } else retry.push(job);
    }
    this.waiting.unshift(...retry);
    this.pump();
  }

  private failure(why: string): RelaisError {
    const tail = this.stderrTail.slice(-5).join('\n    ');
    return new RelaisError(
      'ENGINE_FAILED',
      `apertium ${this.mode} pipeline died ${this.maxRestarts + 1} times on the same block (last: ${why})` +
        (tail ? `; stderr:\n    ${tail}` : ''),
      { hint: `Check that \`echo 'Bonjour.' | apertium ${this.mode}\` works in a shell.` },
    );
  }

  private abort(job: Job, reason: unknown): void {
    if (job.settled) return;
    job.settled = true;
    const i = this.waiting.indexOf(job);
    if (i !== -1) this.waiting.splice(i, 1);
    job.reject(reason);
    this.pump();
  }

  /** Keep Node alive only while answers are awaited, so a forgotten close() does not hang the process. */
  private updateRef(): void {
    const c = this.child;
    if (!c) return;
    const busy = this.inFlight.length > 0 || this.waiting.length > 0;
    const streams = [c.stdin, c.stdout, c.stderr] as unknown as Array<{ ref?: () => void; unref?: () => void } | null>;
    if (busy) {
      c.ref();
      for (const s of streams) s?.ref?.();
    } else {
      c.unref();
      for (const s of streams) s?.unref?.();
    }
  }
}

function killGroup(child: ChildProcess): void {
  if (child.pid === undefined) return;
  try {
    process.kill(-child.pid, 'SIGKILL');
  } catch {
    // already gone
  }
}

/**
 * The mode's program chain in null-flush form. `$1` is the generator's unknown-word option
 * (`-g` keeps marks, `-n` drops them), `$2` an optional tagger option we do not use.
 */
export function buildCommand(mode: string, modesDir: string = DEFAULT_MODES_DIR, markUnknown = true): string {
  const pkg = PACKAGE_OF_MODE[mode] ?? `the package providing ${mode}`;
  const hint = `apt-get install apertium ${pkg}`;
  if (!/^[A-Za-z0-9_-]+$/.test(mode)) throw new RelaisError('ENGINE_MISSING', `"${mode}" is not an Apertium mode name`, { hint });
  const file = join(modesDir, `${mode}.mode`);
  if (!existsSync(file)) {
    throw new RelaisError('ENGINE_MISSING', `Apertium mode ${mode} is not installed (no ${file})`, { hint });
  }
  const r = spawnSync('apertium-wblank-mode', ['-z', file], { encoding: 'utf8' });
  if (r.error || r.status !== 0 || !r.stdout.trim()) {
    const why = r.error ? r.error.message : `exit ${r.status}: ${r.stderr.trim()}`;
    throw new RelaisError('ENGINE_MISSING', `cannot read Apertium mode ${mode} with apertium-wblank-mode (${why})`, { hint });
  }
  return r.stdout.trim().replaceAll('$1', markUnknown ? '-g' : '-n').replaceAll('$2', '');
}

// ---------------------------------------------------------------------------------------------
// Deformatter / reformatter: the txt format of apertium-destxt (without -n) and apertium-retxt.

/** Characters that have a meaning in the Apertium stream format. */
const SPECIAL = /[\\[\]^$/<>@{}]/g;
/** Runs of blanks, which destxt carries as superblanks (a lone space stays a plain blank). */
const BLANKS = /[ \t\n\r~]+/g;
/** A run containing an empty line is a paragraph break: destxt marks it as a sentence end. */
const PARAGRAPH = /\n\n|\r\n\r\n/;
/** What destxt puts at a sentence end it invents; retxt removes exactly this. */
const END = '.[]';

/**
 * Text → Apertium stream, as `apertium-destxt` does: escape special characters, wrap blank runs
 * in superblanks (their content is literal and comes back unchanged), and put `.[]` before every
 * paragraph break and at the end of the block. The invented `.` gives the tagger and transfer a
 * sentence end; `apertium-retxt` (here: `reformat`) deletes it again. NUL would end the block
 * early in null-flush mode, so it is dropped.
 */
export function deformat(text: string): string {
  const clean = text.replaceAll('\0', '');
  let out = '';
  let last = 0;
  let endsInBlank = false;
  for (const m of clean.matchAll(BLANKS)) {
    out += escape(clean.slice(last, m.index));
    const run = m[0];
    const atEnd = m.index + run.length === clean.length;
    if (PARAGRAPH.test(run) || atEnd) out += END;
    out += run === ' ' ? ' ' : `[${run}]`;
    last = m.index + run.length;
    endsInBlank = atEnd;
  }
  out += escape(clean.slice(last));
  return endsInBlank ? out : out + END;
}

function escape(s: string): string {
  return s.replace(SPECIAL, '\\$&');
}

/**
 * Apertium stream → text, as `apertium-retxt` does: drop the invented `.[]` sentence ends, unwrap
 * superblanks (unescaping inside them too) and remove escaping backslashes.
 */
export function reformat(stream: string): string {
  let out = '';
  let inBlank = false;
  for (let i = 0; i < stream.length; i++) {
    const c = stream[i]!;
    if (c === '\\' && i + 1 < stream.length) {
      out += stream[++i];
    } else if (!inBlank && stream.startsWith(END, i)) {
      i += END.length - 1;
    } else if (c === '[') {
      inBlank = true; // `[[…]]` word-bound blanks nest one level; their content is kept as well
    } else if (c === ']') {
      inBlank = false;
    } else {
      out += c;
    }
  }
  return out;
}
