/**
 * One `relais run` per job at a time. The lock is a file created with O_EXCL holding the owner's pid;
 * a lock whose process is gone (killed run) is stale and taken over.
 */
import { openSync, writeSync, closeSync, readFileSync, unlinkSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { RelaisError } from '../errors.js';

export interface JobLock {
  release(): void;
}

export function acquireJobLock(jobDir: string): JobLock {
  mkdirSync(jobDir, { recursive: true });
  const path = join(jobDir, 'lock');
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      const fd = openSync(path, 'wx');
      writeSync(fd, JSON.stringify({ pid: process.pid, started: new Date().toISOString() }));
      closeSync(fd);
      let released = false;
      return {
        release() {
          if (released) return;
          released = true;
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
      if (owner && isAlive(owner.pid) && owner.pid !== process.pid) {
        throw new RelaisError('JOB_LOCKED', `job ${jobDir} is being run by process ${owner.pid} (since ${owner.started})`, {
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
    return typeof o.pid === 'number' ? o : undefined;
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
