/**
 * One long-lived Apertium pipeline for one mode (e.g. `fr-es`), driven in null-flush mode.
 *
 * Why not the `apertium` wrapper: from Node it fails silently on piped stdin, does not flush on `\0`
 * in 3.8.3, and costs ~180 ms per spawn. Instead we run the mode's own program chain with `-z`
 * (every program flushes its output when it reads `\0`) and play the part of the txt deformatter
 * (`apertium-destxt`) and reformatter (`apertium-retxt`) ourselves, byte for byte, so the output
 * equals what `apertium <mode> FILE` prints.
 *
 * Requests are answered strictly in FIFO order (one `\0`-terminated block out per block in), so
 * queues of jobs are all the bookkeeping needed. If a program dies, every block in flight is sent
 * again to a fresh chain.
 *
 * Same text, same translation, whatever went before: each block's answer is what a fresh pipeline
 * gives for that block alone. Every program of the chain forgets a block once it has flushed it,
 * except the HMM tagger (`apertium-tagger -g`, in every mode relais uses): when it meets an
 * ambiguity class missing from its `.prob` file, 3.8.3 overwrites the tag set it gives unknown
 * words (`find_similar_ambiguity_class` assigns through a reference to the open class) for the rest
 * of the process's life. Through one long-lived chain, 7 of the 400 wikinews-400 lines came out
 * differently than alone in `fra-cat` ("entre autres" → "entra altres"), 6 in `fra-oci`. Hence:
 * - The chain runs as separate process groups — the programs before the tagger, the tagger, the
 *   programs after it — and this class carries each block from one to the next, so a tagger can
 *   be replaced alone, by the shell it runs under (`taggerLoop`): no fork of Node, against ~0.4 s for
 *   a whole `fra-cat` chain.
 * - The tagger runs with `-d`: it then prints `Error: A new ambiguity class was found.` on stderr
 *   (unbuffered) while it reads the block, before it writes that block's answer, and names the
 *   class (`New ambiguity class: {ADV,CNJADV,PREP,RELADV}`). Nothing else it prints with `-d` goes
 *   with a change of state. Most such classes do not change it: relais replays the walk over the
 *   `.prob`'s classes (`hmm-tagger-model.ts`) and knows whether the open class moved.
 * - The tagger holds one block at a time, and gets the next only once the previous one is known
 *   not to have changed it: one `setImmediate` after its answer was read, since stderr written
 *   before that answer was readable in the same poll at the latest. So every block goes into a
 *   pristine tagger, and its answer — what a fresh pipeline gives — goes straight on down the chain.
 * - After a block that moved the open class, the tagger alone is replaced before the next block
 *   (on 3,000 sentences of the bench corpus in fra-cat: 424 blocks met a new class, 118 moved it).
 *   These resets are expected: they are counted in `stats.taggerResets`, not as restarts, and
 *   nothing is logged. If the `.prob` cannot be read, every new class counts as a move.
 * - Why not let the tagger run ahead: a warning could then no longer be told from the next block's,
 *   so blocks would be tagged again. Measured on wikinews-400 in `fra-cat` with 8 blocks in the
 *   tagger: ~100 resets and ~600 blocks tagged twice for 79 lines that change it, and no faster
 *   (the tagger is not the slow stage).
 */
import { spawn, spawnSync, type ChildProcess, type SpawnOptions } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { RelaisError } from '../errors.js';
import { openClassAfter, readHmmTaggerModel, sameTagSet, tagSetOf, type HmmTaggerModel, type TagSet } from './hmm-tagger-model.js';

export const DEFAULT_MODES_DIR = '/usr/share/apertium/modes';

/** Debian package that ships each mode relais uses (the package name does not always match the mode). */
export const PACKAGE_OF_MODE: Readonly<Record<string, string>> = {
  'fr-es': 'apertium-fr-es',
  'fra-cat': 'apertium-fra-cat',
  'fr-eo': 'apertium-eo-fr',
  'fra-oci': 'apertium-oci-fra',
  'spa-eng': 'apertium-eng-spa',
  'es-fr': 'apertium-fr-es',
  'cat-fra': 'apertium-fra-cat',
  'oci-fra': 'apertium-oci-fra',
  'eng-spa': 'apertium-eng-spa',
};

export interface ApertiumPipelineOptions {
  /** Directory holding `<mode>.mode` files. @default '/usr/share/apertium/modes' */
  modesDir?: string;
  /** Keep unknown-word marks (`*`, `@`, `#`) in the output (`-g`), or drop them (`-n`). @default true */
  markUnknown?: boolean;
  /** Blocks written to the chain and not yet answered; further requests wait. @default 64 */
  maxInFlight?: number;
  /** How many times one block may be re-sent after a program of the chain died. @default 3 */
  maxRestarts?: number;
  /** After stdin is closed, how long to wait for the chain to exit before killing its process groups. @default 5000 */
  closeTimeoutMs?: number;
}

/** Counters for benches and diagnostics. */
export interface ApertiumPipelineStats {
  /** Blocks written to the chain so far (re-sent blocks count again). */
  blocksSent: number;
  /** Writes into the chain's first stage: blocks sent together (see `pump`) count once. */
  batchesSent: number;
  /** Chains started to replace one whose program died. */
  restarts: number;
  /** Taggers replaced because a block changed their open class (expected, not errors). */
  taggerResets: number;
  /** Blocks that met an ambiguity class missing from the `.prob` file but left the tagger as it was: no reset. */
  taggerKept: number;
  /**
   * Of `taggerResets`, those made without knowing that the tagger changed (to be safe): its warning was
   * not complete when the block's check came, or came when no block was in it. Expected to stay 0.
   */
  taggerResetsUnsure: number;
}

/** One request: its encoded block, its promise, and how often it has already been lost in a crash. */
interface Job {
  block: Buffer;
  /** What the stage the job is in reads: `block` at first, then the previous stage's answer. */
  input: Buffer;
  resolve: (text: string) => void;
  reject: (err: unknown) => void;
  attempts: number;
  /** Set when the caller aborted: the answer is still read (to keep FIFO order) but discarded. */
  settled: boolean;
}

/** One process group of the chain (`bash -c`), and the jobs it holds. */
interface Stage {
  readonly command: string;
  /** An HMM tagger, whose state can change between blocks: it gets a block only when known to be pristine. */
  readonly isTagger: boolean;
  child: ChildProcess | undefined;
  /** Bytes of the answer being read, collected until its `\0` arrives. */
  partial: Buffer[];
  /** Jobs that reached this stage and are not written to it yet (only a tagger holds jobs back). */
  backlog: Job[];
  /** Jobs written to the current child and not answered yet, oldest first (a tagger: one at most). */
  written: Job[];
  /** Tagger: the current child's open class is no longer the one it started with (or may not be). */
  dirty: boolean;
  /** Tagger: the data of its `.prob` needed to follow its open class; null if unreadable (then every new class counts as a change). */
  readonly model: HmmTaggerModel | null;
  /** Tagger: its open class now, replayed from the classes it reported (undefined: as it started). */
  openClass: TagSet | undefined;
  /** Tagger: it reported a new class and has not named it yet. */
  unnamed: boolean;
  /** Tagger: the block it holds met a new class. */
  metClass: boolean;
  /** Tagger: it answered, and whether that changed it is not known yet. */
  checking: boolean;
  /** The end of stderr after its last newline. */
  stderrLine: string;
  /** Tagger: pid of the apertium-tagger its supervising shell runs now (see `taggerLoop`). */
  taggerPid: number | undefined;
  /** Tagger: the old tagger was killed and the shell has not started the next one yet. */
  replacing: boolean;
  /** Tagger: taggers the current shell has started. */
  startedTaggers: number;
}

const STDERR_LINES_KEPT = 20;
/** Blocks written to the first stage at once when it has room for them (see `pump`). */
const REFILL_BATCH = 16;
const NUL = Buffer.from([0]);

/** What the tagger's supervising shell prints before each tagger it starts (see `taggerLoop`). */
const TAGGER_STARTED = /^relais-tagger-pid (\d+)$/;

/** What `apertium-tagger -d` prints when it meets a class missing from its `.prob` (one message per word). */
const NEW_AMBIGUITY_CLASS = /^Error: A new ambiguity class was found\./;
/** The last line of that message: the class, by tag names. */
const CLASS_NAMED = /^New ambiguity class: (\{.*\})$/;

/**
 * Everything else `apertium-tagger -d` printed on wikinews-400 (fr-es, fra-cat, fr-eo, fra-oci),
 * plus its end-of-input complaint: remarks on the input, not failures, so kept out of error messages.
 */
const TAGGER_REMARKS = [
  NEW_AMBIGUITY_CLASS,
  /^Retraining the tagger is necessary so as to take it into account\./,
  /^Word '.*'\.$/,
  CLASS_NAMED,
  /^Problem with word '.*' \{.*\}$/,
  /^Warning: There is not coarse tag for the fine tag /,
  /^\s+This is because of an incomplete tagset definition or a dictionary error/,
  /^Error: The text to disambiguate has finished, but there are ambiguous words/,
  /^This message should never appears/,
];

export class ApertiumPipeline {
  readonly mode: string;
  /** The shell command of this mode's null-flush chain (the tagger with `-d`). */
  readonly command: string;
  /** The same chain cut around its tagger: each part runs as its own process group. */
  readonly stageCommands: readonly string[];

  private readonly maxInFlight: number;
  private readonly maxRestarts: number;
  private readonly closeTimeoutMs: number;

  private readonly stages: Stage[];
  /** True once a program has died unexpectedly: the next chain started counts as a restart. */
  private crashed = false;
  private closing = false;
  private closed: Promise<void> | undefined;

  private readonly waiting: Job[] = [];
  /** Jobs written to the chain and not answered yet, oldest first, whatever stage they are in. */
  private readonly inFlight: Job[] = [];
  /** A pump is due once the current synchronous code is done (see `translate`). */
  private pumpQueued = false;
  private batches = 0;
  private stderrTail: string[] = [];
  private idleWaiters: Array<() => void> = [];

  private sent = 0;
  private restartCount = 0;
  private taggerResetCount = 0;
  private taggerKeptCount = 0;
  private taggerUnsureCount = 0;

  constructor(mode: string, options: ApertiumPipelineOptions = {}) {
    this.mode = mode;
    this.maxInFlight = options.maxInFlight ?? 64;
    this.maxRestarts = options.maxRestarts ?? 3;
    this.closeTimeoutMs = options.closeTimeoutMs ?? 5000;
    this.command = buildCommand(mode, options.modesDir ?? DEFAULT_MODES_DIR, options.markUnknown ?? true);
    this.stages = cutAtTaggers(this.command).map(({ command, isTagger }) => ({
      command,
      isTagger,
      child: undefined,
      partial: [],
      backlog: [],
      written: [],
      dirty: false,
      model: isTagger ? taggerModel(command) : null,
      openClass: undefined,
      unnamed: false,
      metClass: false,
      checking: false,
      stderrLine: '',
      taggerPid: undefined,
      replacing: false,
      startedTaggers: 0,
    }));
    this.stageCommands = this.stages.map((s) => s.command);
  }

  /** Blocks written to a chain so far (re-sent blocks count again). */
  get blocksSent(): number {
    return this.sent;
  }

  /** Chains started to replace one whose program died. */
  get restarts(): number {
    return this.restartCount;
  }

  /** Blocks sent, restarts after crashes, and tagger resets (see the top of this file). */
  get stats(): ApertiumPipelineStats {
    return { blocksSent: this.sent, batchesSent: this.batches, restarts: this.restartCount, taggerResets: this.taggerResetCount, taggerKept: this.taggerKeptCount, taggerResetsUnsure: this.taggerUnsureCount };
  }

  /** Process id of the chain's first stage (`bash`, or the program if it is one), also its process-group id. */
  get pid(): number | undefined {
    return this.stages[0]!.child?.pid;
  }

  /** Process ids of the running stages, in chain order (each also a process-group id). */
  get pids(): number[] {
    return this.stages.flatMap((s) => (s.child?.pid === undefined ? [] : [s.child.pid]));
  }

  /** Translate one block of plain text; resolves with the raw Apertium output (marks kept if `markUnknown`). */
  translate(text: string, signal?: AbortSignal): Promise<string> {
    if (this.closing) return Promise.reject(new RelaisError('ENGINE_FAILED', `apertium ${this.mode}: pipeline is closed`));
    signal?.throwIfAborted();
    return new Promise<string>((resolve, reject) => {
      const block = Buffer.from(deformat(text) + '\0', 'utf8');
      const job: Job = { block, input: block, resolve, reject, attempts: 0, settled: false };
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
      // Once the caller's synchronous code is done: a burst of requests (one per segment of a batch)
      // then goes into the chain as one write.
      if (!this.pumpQueued) {
        this.pumpQueued = true;
        queueMicrotask(() => {
          this.pumpQueued = false;
          this.pump();
        });
      }
    });
  }

  /**
   * Start the chain now, so that its programs load their data while the caller prepares the first
   * blocks. It does not keep Node alive while idle; `close()` ends it as usual.
   */
  start(): void {
    if (this.closing) return;
    this.ensureChain();
    this.updateRef();
  }

  /**
   * Let the chain finish what it was given, end its stdin and wait for it to exit; kill the process
   * groups if it does not within `closeTimeoutMs`. Safe to call twice.
   */
  close(): Promise<void> {
    this.closed ??= this.shutdown();
    return this.closed;
  }

  private shutdown(): Promise<void> {
    this.closing = true;
    // Idle: the programs are told now, not in a later microtask. A caller that goes on with long
    // synchronous work (a run saving its artifacts after its last translation) would otherwise hold
    // that back, and the chain's exit (~0.2 s for fra-cat's programs to free their data) would come
    // after that work instead of beside it.
    if (this.waiting.length === 0 && this.inFlight.length === 0) return this.endChain();
    return this.whenIdle().then(() => this.endChain());
  }

  /** End every program's stdin (everything written was answered) and wait for the chain to exit. */
  private async endChain(): Promise<void> {
    const children = this.stages
      .map((s) => s.child)
      .filter((c): c is ChildProcess => c !== undefined && c.exitCode === null && c.signalCode === null);
    if (children.length === 0) return;
    const exited = Promise.all(children.map((c) => new Promise<void>((res) => c.once('close', () => res()))));
    // destroy(), not end(): end() reaches the pipe only once the event loop runs again; destroy()
    // closes it at once. Nothing is lost: every block written was answered.
    for (const c of children) c.stdin?.destroy();
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((res) => (timer = setTimeout(() => res('timeout'), this.closeTimeoutMs)));
    if ((await Promise.race([exited, timedOut])) === 'timeout') {
      for (const c of children) killGroup(c);
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
    // Refilled in batches: each answer frees one slot, and one write per block into the chain's
    // first stage is a syscall and a wake-up each. Written together (cork), a batch is one writev;
    // meanwhile the chain still holds at least three quarters of what it may.
    const batch = Math.min(REFILL_BATCH, Math.floor(this.maxInFlight / 4));
    if (batch > 1 && this.inFlight.length > this.maxInFlight - batch) {
      this.updateRef();
      return;
    }
    const first = this.stages[0]?.isTagger === false ? this.stages[0].child?.stdin : undefined;
    first?.cork();
    const before = this.sent;
    while (this.waiting.length > 0 && this.canSend(this.waiting[0]!)) {
      const job = this.waiting.shift()!;
      if (job.settled) continue; // aborted before it was sent
      this.ensureChain();
      this.inFlight.push(job);
      this.sent++;
      job.input = job.block;
      this.enter(0, job);
    }
    first?.uncork();
    if (this.sent > before) this.batches++;
    this.updateRef();
    if (this.waiting.length === 0 && this.inFlight.length === 0) {
      for (const res of this.idleWaiters.splice(0)) res();
    }
  }

  /**
   * A block that was in flight when the chain died might be the one that killed it: such blocks go
   * alone, so a poison block only ever takes itself down and the others are not charged restarts.
   */
  private canSend(next: Job): boolean {
    if (this.inFlight.length >= this.maxInFlight) return false;
    if (this.inFlight.some((j) => j.attempts > 0)) return false;
    return next.attempts === 0 || this.inFlight.length === 0;
  }

  private ensureChain(): void {
    if (this.stages.every((s) => s.child)) return;
    if (this.crashed) this.restartCount++;
    this.crashed = false;
    for (const stage of this.stages) if (!stage.child) this.startStage(stage);
  }

  private startStage(stage: Stage): void {
    stage.partial = [];
    stage.stderrLine = '';
    // detached: each stage leads its own process group, so killing -pid stops all of its programs.
    // A single program is run without bash; the tagger runs under the shell that replaces it (`taggerLoop`).
    const argv = plainWords(stage.command);
    const options = { stdio: ['pipe', 'pipe', 'pipe'], detached: true } satisfies SpawnOptions;
    stage.taggerPid = undefined;
    stage.replacing = false;
    stage.startedTaggers = 0;
    stage.openClass = undefined;
    stage.unnamed = false;
    stage.metClass = false;
    // --norc: our stdin is a socket, and Debian's bash then reads ~/.bashrc even for -c when SHLVL < 2
    // (as under `npm start`): pyenv's `init` there waited 60 s on its rehash lock before every stage started.
    const child = stage.isTagger
      ? spawn('bash', ['--norc', '-c', taggerLoop(stage.command)], options)
      : argv ? spawn(argv[0]!, argv.slice(1), options) : spawn('bash', ['--norc', '-c', superviseMembers(stage.command)], options);
    stage.child = child;
    child.stdout!.on('data', (chunk: Buffer) => this.onStdout(stage, child, chunk));
    child.stderr!.setEncoding('utf8');
    child.stderr!.on('data', (s: string) => this.onStderr(stage, child, s));
    // EPIPE when the child died mid-write: the 'close' handler below re-sends, nothing to do here.
    child.stdin!.on('error', () => {});
    child.on('error', (err) => this.onChildGone(child, `could not run: ${err.message}`));
    child.on('close', (code, sig) => this.onChildGone(child, sig ? `killed by ${sig}` : `exited with code ${code}`));
  }

  /** A job reaches stage `i` with `job.input` to read. */
  private enter(i: number, job: Job): void {
    const stage = this.stages[i]!;
    if (stage.isTagger) {
      stage.backlog.push(job);
      this.feedTagger(stage);
    } else {
      stage.written.push(job);
      stage.child?.stdin!.write(job.input);
    }
  }

  /** The next block goes into the tagger once it is free and known to be pristine. */
  private feedTagger(stage: Stage): void {
    const child = stage.child;
    if (!child || stage.dirty || stage.checking || stage.replacing || stage.written.length > 0) return;
    const job = stage.backlog.shift();
    if (!job) return;
    stage.written.push(job);
    child.stdin!.write(job.input);
  }

  private onStdout(stage: Stage, child: ChildProcess, chunk: Buffer): void {
    if (child !== stage.child) return; // a tagger replaced on purpose, or a chain given up
    let start = 0;
    for (let nul = chunk.indexOf(0, start); nul !== -1; nul = chunk.indexOf(0, start)) {
      stage.partial.push(chunk.subarray(start, nul));
      const bytes = Buffer.concat(stage.partial);
      stage.partial = [];
      start = nul + 1;
      // Every real answer holds at least the closing `.[]`; empty blocks are the extra flushes each
      // program of the chain emits when its input ends.
      if (bytes.length === 0) continue;
      const job = stage.written.shift();
      if (!job) continue; // output nobody asked for: ignore rather than crash
      // Before anything else can reach the tagger: whether this block changed it is not known yet.
      if (stage.isTagger) this.checkTagger(stage);
      // A tagger's block went in pristine (see feedTagger): its answer is what a fresh pipeline gives.
      this.passOn(stage, job, bytes);
    }
    if (start < chunk.length) stage.partial.push(chunk.subarray(start));
  }

  /**
   * The tagger answered: did that block change it? A warning it wrote before the answer is on
   * stderr, readable in the same poll at the latest, so it has been seen one event-loop turn later.
   */
  private checkTagger(stage: Stage): void {
    const child = stage.child;
    stage.checking = true;
    setImmediate(() => {
      if (stage.child !== child) return; // the chain died and was cleared meanwhile
      stage.checking = false;
      // A class reported but not named yet would be a message cut short: count it as a change.
      if (stage.dirty || stage.unnamed) {
        if (!stage.dirty) this.taggerUnsureCount++;
        this.resetTagger(stage);
      } else {
        if (stage.metClass) this.taggerKeptCount++;
        stage.metClass = false;
        this.feedTagger(stage);
      }
    });
  }

  /**
   * Replace the tagger (expected: not a restart), before it gets another block. Only the tagger
   * process is killed: its supervising shell starts the next one on the same pipes (see
   * `taggerLoop`), which is far cheaper than a spawn from Node (a fork of this whole process: ~6 ms
   * at 200 MB, 1,600 times on 1 MB of French for fra-cat). The next block waits until the shell
   * says the new tagger runs, so the killed one, reaped by then, cannot read it.
   */
  private resetTagger(stage: Stage): void {
    this.taggerResetCount++;
    // Normally empty: a warning is acted on once the tagger has answered its block.
    stage.backlog.unshift(...stage.written);
    stage.written = [];
    stage.dirty = false;
    stage.openClass = undefined;
    stage.unnamed = false;
    stage.metClass = false;
    stage.checking = false;
    if (stage.child && stage.taggerPid !== undefined) {
      const pid = stage.taggerPid;
      stage.taggerPid = undefined;
      stage.replacing = true;
      try {
        process.kill(pid, 'SIGKILL');
      } catch {
        // already gone: the shell starts the next one all the same
      }
    } else {
      // The shell has not reported its first tagger yet: replace the whole stage.
      const old = stage.child;
      stage.child = undefined; // its 'close' is then ignored
      if (old) killGroup(old);
      this.startStage(stage);
      this.feedTagger(stage);
    }
    this.updateRef();
  }

  /**
   * The tagger named the class it just met: replay `find_similar_ambiguity_class` on its open
   * class. Only a block that leaves the open class other than the one the tagger started with
   * makes it differ from a fresh tagger; a class the model cannot name counts as such a change.
   */
  private onClassNamed(stage: Stage, names: string): void {
    stage.unnamed = false;
    const model = stage.model!;
    const tags = tagSetOf(model, names);
    if (!tags) {
      stage.dirty = true;
      return;
    }
    stage.openClass = openClassAfter(model, stage.openClass ?? model.openClass, tags);
    if (!sameTagSet(stage.openClass, model.openClass)) stage.dirty = true;
  }

  /** A stage answered `job`: hand the answer to the next stage, or to the caller after the last. */
  private passOn(stage: Stage, job: Job, bytes: Buffer): void {
    const next = this.stages.indexOf(stage) + 1;
    if (next < this.stages.length) {
      job.input = Buffer.concat([bytes, NUL]);
      this.enter(next, job);
      return;
    }
    const i = this.inFlight.indexOf(job);
    if (i !== -1) this.inFlight.splice(i, 1);
    if (!job.settled) {
      job.settled = true;
      job.resolve(reformat(bytes.toString('utf8')));
    }
    this.pump();
  }

  private onStderr(stage: Stage, child: ChildProcess, s: string): void {
    if (child !== stage.child) return;
    const lines = (stage.stderrLine + s).split('\n');
    stage.stderrLine = lines.pop()!;
    for (const line of lines) {
      if (child !== stage.child) return; // the tagger was just replaced: the rest is the old one's
      this.onStderrLine(stage, line);
    }
  }

  private onStderrLine(stage: Stage, line: string): void {
    const started = stage.isTagger ? TAGGER_STARTED.exec(line) : null;
    if (started) {
      const expected = stage.replacing || stage.startedTaggers === 0;
      stage.taggerPid = Number(started[1]);
      stage.startedTaggers++;
      if (!expected) {
        // A tagger we did not kill died (killed from outside): the block it held is lost; restart the chain.
        this.onChildGone(stage.child!, 'apertium-tagger was killed');
        return;
      }
      stage.replacing = false;
      this.feedTagger(stage);
      return;
    }
    // Lines written by a killed tagger before it died: its state no longer matters.
    if (stage.replacing) return;
    if (stage.isTagger && NEW_AMBIGUITY_CLASS.test(line)) {
      stage.metClass = true;
      if (stage.model) stage.unnamed = true; // changed or not: its name, three lines on, tells
      else stage.dirty = true;
      // Usually the block is still in the tagger, or its check is pending: they do the reset. If
      // neither (a remark at the end of input), nothing is waiting for this tagger: replace it now.
      if (stage.written.length === 0 && !stage.checking) {
        this.taggerUnsureCount++;
        this.resetTagger(stage);
      }
    }
    const named = stage.isTagger && stage.unnamed ? CLASS_NAMED.exec(line) : null;
    if (named) this.onClassNamed(stage, named[1]!);
    if (line.trim() === '' || (stage.isTagger && TAGGER_REMARKS.some((re) => re.test(line)))) return;
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_LINES_KEPT) this.stderrTail.splice(0, this.stderrTail.length - STDERR_LINES_KEPT);
  }

  /** A program exited or could not start: re-queue what the chain held, or give up on blocks out of retries. */
  private onChildGone(child: ChildProcess, why: string): void {
    const stage = this.stages.find((s) => s.child === child);
    if (!stage) return; // a tagger replaced on purpose, or a chain already given up
    if (stage.stderrLine) this.onStderrLine(stage, stage.stderrLine);
    stage.stderrLine = '';
    if (this.closing && this.waiting.length === 0 && this.inFlight.length === 0) {
      stage.child = undefined; // normal end
      killGroup(child);
      return;
    }
    // Every stage goes (stragglers of this one too: upstream programs still blocked on read).
    this.stopChain();
    const lost = this.inFlight.splice(0);
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

  private stopChain(): void {
    for (const stage of this.stages) {
      if (stage.child) killGroup(stage.child);
      stage.child = undefined;
      stage.partial = [];
      stage.backlog = [];
      stage.written = [];
      stage.dirty = false;
      stage.openClass = undefined;
      stage.unnamed = false;
      stage.metClass = false;
      stage.checking = false;
      stage.stderrLine = '';
    }
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
    const busy = this.inFlight.length > 0 || this.waiting.length > 0;
    for (const { child } of this.stages) if (child) (busy ? ref : unref)(child);
  }
}

type Refable = { ref?: () => void; unref?: () => void } | null;

function ref(c: ChildProcess): void {
  c.ref();
  for (const s of [c.stdin, c.stdout, c.stderr] as unknown as Refable[]) s?.ref?.();
}

function unref(c: ChildProcess): void {
  c.unref();
  for (const s of [c.stdin, c.stdout, c.stderr] as unknown as Refable[]) s?.unref?.();
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
 * (`-g` keeps marks, `-n` drops them), `$2` an optional tagger option we do not use. The HMM tagger
 * gets `-d`, so that it reports on stderr when its state changes (see the top of this file).
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
  const chain = r.stdout.trim().replaceAll('$1', markUnknown ? '-g' : '-n').replaceAll('$2', '');
  return splitPipeline(chain)
    .map((part) => (isHmmTagger(part) ? part.replace(/^apertium-tagger /, 'apertium-tagger -d ') : part))
    .join(' | ');
}

const taggerModels = new Map<string, HmmTaggerModel | null>();

/** The `.prob` model of a tagger command, read once per file; null if it cannot be read. */
export function taggerModel(command: string): HmmTaggerModel | null {
  const words = plainWords(command);
  // Only the HMM tagger's walk is replayed; the sliding-window, unigram and perceptron taggers are not.
  if (!words || words.some((w) => /^-[a-z]*[wux]|^--(sliding-window|unigram|perceptron)/.test(w))) return null;
  const file = words.findLast((w) => w.endsWith('.prob'));
  if (!file) return null;
  let model = taggerModels.get(file);
  if (model === undefined) {
    try {
      model = readHmmTaggerModel(file);
    } catch {
      model = null; // every new class then counts as a change: slower, never wrong
    }
    taggerModels.set(file, model);
  }
  return model;
}

/** `apertium-tagger … -g …`: the tagger in tagging mode (`-d` on or not). */
function isHmmTagger(part: string): boolean {
  return /^apertium-tagger\s/.test(part) && /\s-g(\s|$)/.test(part);
}

/**
 * The programs of a shell pipeline, split at each `|` outside quotes (mode files quote their paths)
 * and trimmed. `a '|' b | c` → `["a '|' b", "c"]`.
 */
export function splitPipeline(command: string): string[] {
  const parts: string[] = [];
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < command.length; i++) {
    const c = command[i]!;
    if (quote) {
      if (c === quote) quote = undefined;
      else if (c === '\\' && quote === '"') i++;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '\\') i++;
    else if (c === '|' && command[i + 1] !== '|' && command[i - 1] !== '|') {
      parts.push(command.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(command.slice(start).trim());
  return parts.filter((p) => p !== '');
}

/**
 * The tagger under a shell that starts it again, on the same pipes, each time relais kills it (SIGKILL:
 * status 137), and prints the new tagger's pid on stderr first (`$BASHPID` of the subshell that then
 * execs the tagger). Any other end — stdin closed by `close()`, a crash — ends the shell.
 */
export function taggerLoop(command: string): string {
  return `while :; do (echo "relais-tagger-pid $BASHPID" >&2; exec ${command}); s=$?; [ "$s" -eq 137 ] || exit "$s"; done`;
}

/**
 * A stage of several programs, each of which takes the whole stage down if it dies. In a plain
 * `a | b | c`, a killed `c` only ends `b` when `b` next writes, and `a` when it next writes; once every
 * block in flight is past `a` and `b`, nothing is written again, bash keeps waiting for them, and the
 * stage hangs without ever exiting. Here a program that ends abnormally (killed, crashed: non-zero
 * status) kills the stage's process group at once, bash exits, and the chain is restarted. A normal end
 * (stdin closed by `close()`) exits 0 and kills nothing.
 */
export function superviseMembers(command: string): string {
  return splitPipeline(command).map((part) => `{ ${part} || kill -9 0; }`).join(' | ');
}

/**
 * The words of a command made only of plain words and single-quoted strings, which can be run
 * without a shell; `undefined` if it needs one. `apertium-tagger -g '/a/b.prob'` →
 * `['apertium-tagger', '-g', '/a/b.prob']`.
 */
export function plainWords(command: string): string[] | undefined {
  const words = command.trim().split(/\s+/);
  const plain = /^(?:[\w\-./,:+@%=]+|'[^']*')+$/;
  if (words[0] === '' || words[0]!.includes('=') || !words.every((w) => plain.test(w))) return undefined;
  return words.map((w) => w.replace(/'([^']*)'/g, '$1'));
}

/**
 * A chain cut so that each HMM tagger runs alone: the programs between taggers stay together.
 * A chain without a tagger stays whole.
 */
export function cutAtTaggers(command: string): Array<{ command: string; isTagger: boolean }> {
  const stages: Array<{ command: string; isTagger: boolean }> = [];
  let run: string[] = [];
  for (const part of splitPipeline(command)) {
    if (!isHmmTagger(part)) {
      run.push(part);
      continue;
    }
    if (run.length > 0) stages.push({ command: run.join(' | '), isTagger: false });
    stages.push({ command: part, isTagger: true });
    run = [];
  }
  if (run.length > 0) stages.push({ command: run.join(' | '), isTagger: false });
  return stages;
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
