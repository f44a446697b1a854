/**
 * One writer at a time: one `relais run` per job, one publisher per locales folder. A lock is a file
 * created with O_EXCL holding its owner's pid (and, on Linux, the owner's start time, so that a pid the
 * system has since given to another program does not keep a dead run's lock alive). A lock whose
 * owner is gone (a killed run) is stale and taken over.
 *
 * Taking over is where two starting runs could both win: each sees the dead owner, each deletes "the"
 * lock — the second deleting the one the first just created. So a takeover happens under a second,
 * short-lived O_EXCL file (`<lock>.takeover`): the lock is read again there, and only a lock still stale
 * is deleted: one read there and found stale (a dead owner, or not a lock at all: a live owner's lock
 * is linked into place whole). A name found empty is left alone — the winner of the last takeover may
 * have created its lock there since (deleting it let two of six contending runs in). A takeover file
 * left by a run killed inside those few microseconds is removed the same way; only if two runs find it
 * stale at the same instant, and one removes the file another has just created in its place, could two
 * get in.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync, writeFileSync, linkSync, existsSync, statSync } from 'node:fs';
import { randomBytes } from 'node:crypto';
import { resolve } from 'node:path';
import { RelaisError, type ErrorCode } from '../errors.js';
import { crashPoint } from './crash-point.js';
import { writeFailure } from './fs-atomic.js';

export interface JobLock {
  release(): void;
}

export interface LockOptions {
  /** Error code when another live process holds the lock. */
  code: ErrorCode;
  /** The error message's start, e.g. `job /x/job is being run by`; the owner is appended. */
  heldBy: string;
  hint: string;
  /** Crash-point kind (`job-lock`, `locales-lock`): see crash-point.ts. */
  crashKind: string;
  /** How long to wait for a live owner to finish before refusing. @default 0 (refuse at once) */
  waitMs?: number;
}

/** What a lock file holds. */
interface LockOwner {
  pid: number;
  started: string;
  /** The owner's start time in clock ticks after boot (`/proc/<pid>/stat` field 22); absent off Linux. */
  processStart?: string;
  /** Tells our own lock from one taken after ours was removed. */
  token?: string;
}

/**
 * Locks this process holds. A lock file with our own pid is ours only if it is in here; otherwise it was
 * left by a killed run whose pid the system has since given to us, and is stale.
 */
const held = new Set<string>();
const POLL_MS = 25;

export function acquireJobLock(jobDir: string): JobLock {
  if (existsSync(jobDir) && !statSync(jobDir).isDirectory()) {
    throw new RelaisError('OPTION_INVALID', `--job ${jobDir} is a file, not a job folder`, { place: { file: jobDir }, hint: 'Give --job a folder (it is created if missing).' });
  }
  try {
    mkdirSync(jobDir, { recursive: true });
  } catch (e) {
    throw writeFailure(jobDir, e);
  }
  return acquireLock(resolve(jobDir, 'lock'), {
    code: 'JOB_LOCKED',
    heldBy: `job ${jobDir} is being run by`,
    hint: 'Wait for that run to finish, or use another --job folder.',
    crashKind: 'job-lock',
  });
}

/** Take the lock file at `path` (its folder must exist), waiting up to `waitMs` for a live owner. */
export function acquireLock(path: string, o: LockOptions): JobLock {
  const deadline = Date.now() + (o.waitMs ?? 0);
  for (let attempt = 0; ; attempt++) {
    const lock = tryCreate(path, o.crashKind);
    if (lock) return lock;
    const owner = readOwner(path);
    if (isOwnerAlive(path, owner)) {
      if (Date.now() < deadline) {
        sleep(POLL_MS);
        continue;
      }
      const who = owner ? `process ${owner.pid} (since ${owner.started})` : `process ${process.pid} (this one)`;
      const waited = o.waitMs ? `; waited ${Math.round(o.waitMs / 1000)} s` : '';
      throw new RelaisError(o.code, `${o.heldBy} ${who}${waited}`, { hint: o.hint });
    }
    if (attempt >= 20 && Date.now() >= deadline) {
      throw new RelaisError(o.code, `could not take the stale lock ${path}: other processes keep starting`, { hint: 'Try again.' });
    }
    takeOverStale(path);
  }
}

/**
 * Create the lock, whole: its content goes to a temp file that is then hard-linked to the lock's name
 * (atomic, and refused if the name exists), so no process ever reads a lock half-written by a live
 * owner and mistakes it for a stale one. Undefined if the lock exists.
 */
function tryCreate(path: string, crashKind: string): JobLock | undefined {
  const me: LockOwner = { pid: process.pid, started: new Date().toISOString(), ...processStartOf('self'), token: randomBytes(8).toString('hex') };
  const tmp = `${path}.${process.pid}.tmp`;
  try {
    writeFileSync(tmp, JSON.stringify(me));
    crashPoint(`${crashKind}:created`); // only the temp file exists: nothing holds the lock
    linkSync(tmp, path);
  } catch (e) {
    tryUnlink(tmp);
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return undefined;
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP') return tryCreateWithoutLink(path, me);
    throw writeFailure(path, e);
  }
  tryUnlink(tmp);
  return heldLock(path, me, crashKind);
}

/** File systems without hard links: O_EXCL, then the content (a reader may briefly see it empty). */
function tryCreateWithoutLink(path: string, me: LockOwner): JobLock | undefined {
  let fd: number;
  try {
    fd = openSync(path, 'wx');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'EEXIST') return undefined;
    throw writeFailure(path, e);
  }
  try {
    writeSync(fd, JSON.stringify(me));
  } catch (e) {
    tryUnlink(path);
    throw writeFailure(path, e);
  } finally {
    closeSync(fd);
  }
  return heldLock(path, me, '');
}

function heldLock(path: string, me: LockOwner, crashKind: string): JobLock {
  held.add(path);
  if (crashKind) crashPoint(`${crashKind}:held`);
  let released = false;
  return {
    release() {
      if (released) return;
      released = true;
      held.delete(path);
      // Only our own file: after a takeover (we were thought dead) it belongs to someone else.
      if (readOwner(path)?.token === me.token) tryUnlink(path);
    },
  };
}

/** Delete the lock at `path` if it is still stale, one process at a time. */
function takeOverStale(path: string): void {
  const mutex = `${path}.takeover`;
  const lock = tryCreate(mutex, 'lock-takeover');
  if (!lock) {
    if (isStale(mutex)) tryUnlink(mutex); // left by a process killed while taking over
    else sleep(1); // another process is taking over (or just did): look again after it
    return;
  }
  try {
    if (isStale(path)) tryUnlink(path);
  } finally {
    lock.release();
  }
}

/** The file is there, and its owner is gone (or it is not a lock at all). */
function isStale(path: string): boolean {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch {
    return false; // not there (any more): nothing to take over
  }
  return !isOwnerAlive(path, parseOwner(text));
}

function readOwner(path: string): LockOwner | undefined {
  try {
    return parseOwner(readFileSync(path, 'utf8'));
  } catch {
    return undefined; // gone
  }
}

function parseOwner(text: string): LockOwner | undefined {
  try {
    const o = JSON.parse(text) as LockOwner;
    // pid 0 and negative pids name process groups: kill(0|-1, 0) would always answer "alive".
    return typeof o === 'object' && o !== null && Number.isInteger(o.pid) && o.pid > 0 ? o : undefined;
  } catch {
    return undefined; // half-written, or not a lock
  }
}

function isOwnerAlive(path: string, owner: LockOwner | undefined): boolean {
  if (held.has(path)) return true;
  if (!owner || owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  if (isZombie(owner.pid)) return false;
  // The pid is in use; by the owner only if it started when the owner did.
  const now = processStartOf(String(owner.pid)).processStart;
  return owner.processStart === undefined || now === undefined || now === owner.processStart;
}

/** A killed run whose parent has not reaped it yet (containers without an init) still answers kill(0). */
function isZombie(pid: number): boolean {
  const stat = procStat(String(pid));
  return stat !== undefined && stat[0] === 'Z';
}

/** `/proc/<pid>/stat` after the command name (which may hold spaces and parentheses): state first. */
function procStat(pid: string): string | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2);
  } catch {
    return undefined; // no /proc (macOS): trust kill(0)
  }
}

/** Field 22 of /proc/<pid>/stat, the 20th after the command name. */
function processStartOf(pid: string): { processStart?: string } {
  const start = procStat(pid)?.split(' ')[19];
  return start === undefined ? {} : { processStart: start };
}

function tryUnlink(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    /* already gone */
  }
}

function sleep(ms: number): void {
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
}
