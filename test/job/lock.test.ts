import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acquireJobLock, acquireLock } from '../../pipeline/job/lock.js';
import { catchError } from '../helpers/catch-error.js';
import { assertBuilt, ROOT } from '../helpers/cli.js';

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

  test('a lock whose pid now belongs to another program (started later) is stale', () => {
    const dir = jobDir();
    mkdirSync(dir, { recursive: true });
    // `other` is alive, but did not start at this time: the pid was reused after the owner died.
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: other.pid, started: '2026-01-01T00:00:00.000Z', processStart: '1' }));
    const lock = acquireJobLock(dir);
    expect(lockOwner(dir).pid).toBe(process.pid);
    lock.release();
  });

  test('the lock records our start time, so that a reused pid is told apart', () => {
    const dir = jobDir();
    const lock = acquireJobLock(dir);
    const stat = readFileSync('/proc/self/stat', 'utf8');
    expect(lockOwner(dir)).toMatchObject({ processStart: stat.slice(stat.lastIndexOf(')') + 2).split(' ')[19] });
    lock.release();
  });

  test('the lock file never exists half-written: it is linked into place whole', () => {
    const dir = jobDir();
    const lock = acquireJobLock(dir);
    expect(() => JSON.parse(readFileSync(join(dir, 'lock'), 'utf8'))).not.toThrow();
    expect(readdirSync(dir)).toEqual(['lock']); // no temp file left
    lock.release();
  });

  test('release leaves alone a lock that is no longer ours (taken over after we were thought dead)', () => {
    const dir = jobDir();
    const lock = acquireJobLock(dir);
    const theirs = JSON.stringify({ pid: other.pid, started: 'later', token: 'theirs' });
    writeFileSync(join(dir, 'lock'), theirs);
    lock.release();
    expect(readFileSync(join(dir, 'lock'), 'utf8')).toBe(theirs);
  });

  test('waitMs: waits for a live owner, then refuses naming it and how long it waited', () => {
    const dir = jobDir();
    mkdirSync(dir, { recursive: true });
    writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: other.pid, started: 'then' }));
    const t0 = Date.now();
    const err = catchError(() => acquireLock(join(dir, 'lock'), { code: 'LOCALES_LOCKED', heldBy: 'x is used by', hint: 'h', crashKind: 'test', waitMs: 250 }));
    expect(Date.now() - t0).toBeGreaterThanOrEqual(250);
    expect(err).toMatchObject({ code: 'LOCALES_LOCKED', message: `x is used by process ${other.pid} (since then); waited 0 s` });
  });

  test('six processes starting at the same instant over a stale lock: exactly one gets it, every round', async () => {
    assertBuilt();
    for (let round = 0; round < 5; round++) {
      const dir = jobDir();
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, 'lock'), JSON.stringify({ pid: deadPid(), started: '2026-01-01T00:00:00.000Z' }));
      const startAt = Date.now() + 600;
      const outcomes = await Promise.all(Array.from({ length: 6 }, () => new Promise<string>((res) => {
        const c = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/contend-lock.mjs'), join(ROOT, 'dist'), dir, String(startAt), '800'], { stdio: ['ignore', 'pipe', 'inherit'] });
        let out = '';
        c.stdout!.setEncoding('utf8').on('data', (d: string) => (out += d));
        c.on('close', () => res(out));
      })));
      expect(outcomes.filter((o) => o === 'got'), `round ${round}: ${outcomes.join(' ')}`).toHaveLength(1);
      expect(outcomes.filter((o) => o === 'JOB_LOCKED')).toHaveLength(5);
      expect(existsSync(join(dir, 'lock'))).toBe(false);
    }
  }, 60_000);
});

