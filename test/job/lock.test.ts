import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acquireJobLock } from '../../pipeline/job/lock.js';
import { catchError } from '../helpers/catch-error.js';

function jobDir(): string {
  return join(mkdtempSync(join(tmpdir(), 'relais-lock-')), 'job');
}


/** The pid of a process that has exited and been reaped (spawnSync waits for it). */
function deadPid(): number {
  const r = spawnSync(process.execPath, ['-e', '']);
  expect(r.status).toBe(0);
  return r.pid!;
}

function lockOwner(dir: string): { pid: number; started: string } {
  return JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'));
}

let other: ChildProcess;
beforeAll(async () => {
  other = spawn(process.execPath, ['-e', 'console.log("up"); setInterval(() => {}, 1000)'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise<void>((res) => other.stdout!.once('data', () => res()));
});
afterAll(() => {
  other.kill('SIGKILL');
});

describe('acquireJobLock', () => {
  test('creates the job folder and a lock holding our pid; release removes it', () => {
    const dir = jobDir();
    const lock = acquireJobLock(dir);
    expect(lockOwner(dir)).toMatchObject({ pid: process.pid });
    expect(Number.isNaN(Date.parse(lockOwner(dir).started))).toBe(false);
    lock.release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  test('a second acquire in the same process while held throws JOB_LOCKED with the pid', () => {
    const dir = jobDir();
    const lock = acquireJobLock(dir);
    const err = catchError(() => acquireJobLock(dir));
    expect(err).toMatchObject({ code: 'JOB_LOCKED' });
    expect((err as Error).message).toContain(String(process.pid));
    // The first holder still owns it.
    expect(lockOwner(dir).pid).toBe(process.pid);
    lock.release();
    acquireJobLock(dir).release();
  });

  test('a lock held by another live process throws JOB_LOCKED naming that pid, and is left alone', () => {
    const dir = jobDir();
    mkdirSync(dir, { recursive: true });
    const content = JSON.stringify({ pid: other.pid, started: '2026-11-28T10:15:00.000Z' });
    writeFileSync(join(dir, 'lock'), content);
    const err = catchError(() => acquireJobLock(dir));
    expect(err).toMatchObject({ code: 'JOB_LOCKED' });
    expect((err as Error).message).toContain(`process ${other.pid}`);
    expect((err as Error).message).toContain('2026-11-28T10:15:00.000Z');
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(content);
  });

  test.for([
    { name: 'a dead pid', content: () => JSON.stringify({ pid: deadPid(), started: '2026-01-01T00:00:00.000Z' }) },
    { name: 'our own pid left by an earlier run (pid reused) that this process does not hold', content: () => JSON.stringify({ pid: process.pid, started: 'x' }) },
    { name: 'an empty file (killed between create and write)', content: () => '' },
    { name: 'half-written JSON', content: () => '{"pid":' },
    { name: 'half-written JSON with a pid', content: () => `{"pid":${process.pid}` },
    { name: 'not JSON', content: () => 'garbage\u0000' },
    { name: 'pid as a string', content: () => JSON.stringify({ pid: String(other.pid) }) },
    { name: 'no pid', content: () => JSON.stringify({ started: 'x' }) },
    { name: 'JSON null', content: () => 'null' },
    { name: 'pid 0 (would signal our own process group)', content: () => JSON.stringify({ pid: 0, started: 'x' }) },
    { name: 'pid -1 (would signal every process)', content: () => JSON.stringify({ pid: -1, started: 'x' }) },
    { name: 'a fractional pid', content: () => JSON.stringify({ pid: 1.5, started: 'x' }) },
  ])('a stale lock ($name) is taken over', ({ content }) => {
    const dir = jobDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lock'), content());
    const lock = acquireJobLock(dir);
    expect(lockOwner(dir).pid).toBe(process.pid);
    lock.release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  test('release is idempotent and never removes a lock taken after it', () => {
    const dir = jobDir();
    const first = acquireJobLock(dir);
    first.release();
    first.release();
    const second = acquireJobLock(dir);
    const content = readFileSync(join(dir, 'lock'), 'utf8');
    first.release();
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(content);
    expect(catchError(() => acquireJobLock(dir))).toMatchObject({ code: 'JOB_LOCKED' });
    second.release();
    second.release();
    expect(existsSync(join(dir, 'lock'))).toBe(false);
  });

  test('release when the lock file is already gone does not throw', () => {
    const dir = jobDir();
    const lock = acquireJobLock(dir);
    spawnSync('rm', ['-f', join(dir, 'lock')]);
    expect(() => lock.release()).not.toThrow();
    acquireJobLock(dir).release();
  });

  test('two job folders lock independently', () => {
    const a = acquireJobLock(jobDir());
    const b = acquireJobLock(jobDir());
    a.release();
    b.release();
  });
});
