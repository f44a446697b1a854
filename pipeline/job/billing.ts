/**
 * What a paid engine billed, kept in the job folder.
 *
 * - `billing.jsonl`: one line per run (or per queued job attempt) when it ends, finished or not.
 * - `billing.open/<id>.json`: while it runs, its totals so far, rewritten within 0.1 s of a change. A run
 *   killed outright (SIGKILL, a lost machine) never writes its line; its checkpoint stays, and what it
 *   holds stays counted in the job's total. Only requests still unanswered at the kill are unknown.
 *
 * A line carries its checkpoint's id, so a run killed between appending its line and removing its
 * checkpoint is not counted twice.
 */
import { randomBytes } from 'node:crypto';
import { appendFileSync, closeSync, existsSync, fstatSync, mkdirSync, openSync, readdirSync, readFileSync, readSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../artifacts.js';
import { writeFileAtomically } from './fs-atomic.js';

export const BILLING_FILE = 'billing.jsonl';
const OPEN_DIR = 'billing.open';

export interface BillingLine {
  at: string;
  engine: string;
  outcome: string;
  characters: Record<Lang, number>;
  total: number;
  /** The checkpoint this line closes. */
  id?: string;
  /** The queued run it belongs to (queue mode). */
  run?: string;
  namespace?: string;
}

const sum = (r: Record<string, number>) => Object.values(r).reduce((n, v) => n + v, 0);

/**
 * Records one run's billing: `billing` is the live per-language count the translate stage adds to;
 * its checkpoint is written while it changes, and `finish` turns it into the run's line.
 */
export class BillingRecorder {
  readonly id = `${Date.now().toString(36)}-${randomBytes(3).toString('hex')}`;
  private written = 0;
  private readonly timer: NodeJS.Timeout;
  private finished = false;

  constructor(
    private readonly jobDir: string,
    private readonly engineId: string,
    private readonly billing: Record<Lang, number>,
    private readonly meta: { run?: string; namespace?: string } = {},
    everyMs = 100,
  ) {
    this.timer = setInterval(() => this.checkpoint(), everyMs);
    this.timer.unref();
  }

  private get file(): string {
    return join(this.jobDir, OPEN_DIR, `${this.id}.json`);
  }

  /** Write the totals so far, if they changed. Errors are not the run's: the final line is what counts. */
  checkpoint(): void {
    const total = sum(this.billing);
    if (this.finished || total === this.written) return;
    try {
      mkdirSync(join(this.jobDir, OPEN_DIR), { recursive: true });
      writeFileAtomically(this.file, JSON.stringify(this.line(`running (pid ${process.pid})`)));
      this.written = total;
    } catch {
      // the job folder went away or is full: the line at the end is tried anyway
    }
  }

  /** The run's line in billing.jsonl (when it billed anything), and its checkpoint removed. Once. */
  finish(outcome: string): void {
    if (this.finished) return;
    this.finished = true;
    clearInterval(this.timer);
    if (sum(this.billing) > 0) {
      const file = join(this.jobDir, BILLING_FILE);
      // After a torn last line (a run killed while appending), this one starts on a line of its own.
      appendFileSync(file, `${endsTorn(file) ? '\n' : ''}${JSON.stringify(this.line(outcome))}\n`);
    }
    rmSync(this.file, { force: true });
  }

  private line(outcome: string): BillingLine {
    return {
      at: new Date().toISOString(), engine: this.engineId, outcome, characters: { ...this.billing }, total: sum(this.billing), id: this.id,
      ...(this.meta.run ? { run: this.meta.run } : {}), ...(this.meta.namespace ? { namespace: this.meta.namespace } : {}),
    };
  }
}

/** True when `file` exists and its last byte is not a newline. */
function endsTorn(file: string): boolean {
  let fd: number;
  try {
    fd = openSync(file, 'r');
  } catch {
    return false;
  }
  try {
    const size = fstatSync(fd).size;
    if (size === 0) return false;
    const last = Buffer.alloc(1);
    readSync(fd, last, 0, 1, size - 1);
    return last[0] !== 0x0a;
  } finally {
    closeSync(fd);
  }
}

/**
 * Every billing record of a job: the lines of billing.jsonl (a torn last line, from a killed run, is
 * skipped) and the checkpoints no line closed — runs still going, or killed before they could write one.
 */
export function readBilling(jobDir: string): { lines: BillingLine[]; open: BillingLine[] } {
  const lines: BillingLine[] = [];
  const file = join(jobDir, BILLING_FILE);
  if (existsSync(file)) {
    for (const text of readFileSync(file, 'utf8').split('\n')) {
      try {
        const line = JSON.parse(text) as BillingLine;
        if (typeof line.total === 'number') lines.push(line);
      } catch {
        // an empty or torn line
      }
    }
  }
  const closed = new Set(lines.map((l) => l.id).filter(Boolean));
  const open: BillingLine[] = [];
  const dir = join(jobDir, OPEN_DIR);
  if (existsSync(dir)) {
    for (const name of readdirSync(dir)) {
      if (!name.endsWith('.json')) continue;
      try {
        const line = JSON.parse(readFileSync(join(dir, name), 'utf8')) as BillingLine;
        if (typeof line.total === 'number' && !closed.has(line.id)) open.push(line);
      } catch {
        // removed meanwhile, or not ours
      }
    }
  }
  return { lines, open };
}

/** Characters billed over every run of a job, those that ended without a line included. */
export function readBilledCharacters(jobDir: string): number {
  const { lines, open } = readBilling(jobDir);
  return [...lines, ...open].reduce((n, l) => n + l.total, 0);
}
