/**
 * One `relais run` per job at a time. The lock is a file created with O_EXCL holding the owner's pid;
 * a lock whose process is gone (killed run) is stale and taken over.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { resolve } from 'node:path';
import { RelaisError } from '../errors.js';

export interface JobLock {
  release(): void;
}

/**
 * Locks this process holds. A lock file with our own pid is ours only if it is in here; otherwise it was
 * left by a killed run whose pid the system has since given to us, and is stale.
 */
const held = new Set<string>();

export function acquireJobLock(jobDir: string): JobLock {
  mkdirSync(jobDir, { recursive: true });
  const path = resolve(jobDir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, started: new Date().toISOString() }));
      closeSync(fd);
      held.add(path);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
          held.delete(path);
          try {
            unlinkSync(path);
          } catch {
            /* already gone */
          }
        },
      };
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      const owner = readOwner(path);
      if (held.has(path) || (owner && owner.pid !== process.pid && isAlive(owner.pid))) {
        const who = owner ? `process ${owner.pid} (since ${owner.started})` : `process ${process.pid} (this one)`;
        throw new RelaisError('JOB_LOCKED', `job ${jobDir} is being run by ${who}`, {
          hint: 'Wait for that run to finish, or use another --job folder.',
        });
      }
      try {
        unlinkSync(path); // stale: its process is gone
      } catch {
        /* someone else took it over first; retry */
      }
    }
  }
  throw new RelaisError('JOB_LOCKED', `could not lock job ${jobDir}`, { hint: 'Another run is starting; try again.' });
}

function readOwner(path: string): { pid: number; started: string } | undefined {
  try {
    const o = JSON.parse(readFileSync(path, 'utf8')) as { pid: number; started: string };
    // pid 0 and negative pids name process groups: kill(0|-1, 0) would always answer "alive".
    return typeof o === 'object' && o !== null && Number.isInteger(o.pid) && o.pid > 0 ? o : undefined;
  } catch {
    return undefined; // half-written by a run killed at that instant: stale
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
  return !isZombie(pid);
}

/** A killed run whose parent has not reaped it yet (containers without an init) still answers kill(0). */
function isZombie(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).startsWith('Z');
  } catch {
    return false; // no /proc (macOS): trust kill(0)
  }
}
