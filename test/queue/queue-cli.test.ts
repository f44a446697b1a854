/**
 * Queue mode's edges, against a real redis-server: what the user sees when Redis is unreachable, an
 * option does not fit, an article is bad, or a worker cannot see the job folder; and the two Redis
 * parts on their own (the shared rate limit, the shared translation memory).
 */
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SEED, runCli, runCliAsync, scratchProject } from '../helpers/cli.js';
import { startWorkerProcess, stopAll, waitFor } from '../helpers/workers.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { SharedRateLimit } from '../../pipeline/queue/redis.js';
import { RedisTranslationMemory } from '../../pipeline/queue/redis-memory.js';
import type { TranslatedSegment } from '../../pipeline/artifacts.js';

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('relais run --queue: refusals', () => {
  test('an unreachable Redis: QUEUE_UNREACHABLE with the fix, the password never shown, no job written', () => {
    const dir = scratchProject('relais-queue-cli-');
    const r = runCli(['run', SEED, '--queue', 'redis://editor:s3cret-pass-word@127.0.0.1:1/0'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/QUEUE_UNREACHABLE cannot reach Redis at redis:\/\/editor:\*\*\*@127\.0\.0\.1:1\/0/);
    expect(r.stderr).toMatch(/apt-get install redis-server/);
    expect(r.stderr + r.stdout).not.toContain('s3cret-pass-word');
    expect(existsSync(join(dir, '.relais'))).toBe(false);
  });

  test('options that do not fit queue mode are refused before anything happens', () => {
    const dir = scratchProject('relais-queue-cli-');
    const cases: Array<[string[], RegExp]> = [
      [['run', SEED, '--queue', 'http://127.0.0.1:6379'], /OPTION_INVALID --queue must be a redis:\/\/ or rediss:\/\/ URL/],
      [['run', SEED, '--queue', 'redis://127.0.0.1:1', '--no-publish'], /OPTION_INVALID --no-publish cannot be combined with --queue/],
      [['run', SEED, '--queue', 'redis://127.0.0.1:1', '--no-tm'], /OPTION_INVALID --no-tm cannot be combined with --queue/],
      [['run', SEED, '--detach'], /OPTION_INVALID --detach needs --queue/],
      [['worker', '--queue', 'localhost:6379'], /OPTION_INVALID --queue must be/],
    ];
    for (const [args, message] of cases) {
      const r = runCli(args, dir);
      expect(r.code, args.join(' ')).toBe(1);
      expect(r.stderr, args.join(' ')).toMatch(message);
    }
    const usage = runCli(['worker'], dir);
    expect(usage.code).toBe(2);
    expect(usage.stderr).toMatch(/required option '--queue <url>'/);
    expect(existsSync(join(dir, '.relais'))).toBe(false);
  });

  test('a database that is not a number, or that the server does not have, is refused before anything is queued', async () => {
    const dir = scratchProject('relais-queue-cli-');
    const base = (await redis.url(0)).replace(/\/\d+$/, '');
    const word = await runCliAsync(['run', SEED, '--queue', `${base}/abc`, '--to', 'es', '--detach'], dir);
    expect([word.code, word.stderr]).toEqual([1, expect.stringMatching(/OPTION_INVALID --queue: the database in ".*\/abc" must be a number/)]);
    const missing = await runCliAsync(['worker', '--queue', `${base}/99`], dir);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/QUEUE_UNREACHABLE Redis at .*\/99 has no database 99/)]);
    const run = await runCliAsync(['run', SEED, '--queue', `${base}/99`, '--to', 'es', '--detach'], dir);
    expect(run.code).toBe(1);
    expect(existsSync(join(dir, '.relais'))).toBe(false);
  });

  test('a bad article is refused with its place before anything is queued', async () => {
    const url = await redis.url(3);
    const dir = scratchProject('relais-queue-cli-');
    writeFileSync(join(dir, 'bad.txt'), Buffer.from([0x54, 0x69, 0x74, 0x72, 0x65, 0x0a, 0x0a, 0x63, 0x61, 0x66, 0xe9, 0x0a]));
    const r = await runCliAsync(['run', SEED, 'bad.txt', '--queue', url], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/bad\.txt:3:4 INPUT_NOT_UTF8/);
    const client = new Redis(url);
    try {
      expect(await client.keys('*')).toEqual([]);
    } finally {
      client.disconnect();
    }
  });
});

describe('relais run --queue --detach, status, and a worker that cannot see the job', () => {
  test('detached: queued and waiting; a worker without the job folder fails the job with the reason, and the waiting run exits 1', async () => {
    const url = await redis.url(4);
    const dir = scratchProject('relais-queue-cli-');
    const q = await runCliAsync(['run', SEED, '--queue', url, '--detach', '--job', 'job', '--to', 'es'], dir);
    expect(q.code).toBe(0);
    const run = /queued run (\S+) \(1 translate jobs, then publish\)/.exec(q.stdout)?.[1];
    expect(run, q.stdout).toBeDefined();
    expect(q.stdout).toContain(`relais status --queue ${url} --run ${run}`);

    const st = await runCliAsync(['status', '--queue', url, '--run', run!], dir);
    expect(st.code).toBe(0);
    expect(st.stdout).toMatch(/workers connected: none/);
    expect(st.stdout).toMatch(/translate\+align \[es\]: waiting/);
    expect(st.stdout).toMatch(/publish \(es\): waiting-children/);

    // A second run, waiting for its workers.
    const waiting = runCliAsync(['run', SEED, '--queue', url, '--job', 'job2', '--to', 'ca'], dir);
    for (let tries = 0; ; tries++) {
      const s = await runCliAsync(['status', '--queue', url, '--job', 'job2'], dir);
      if (s.code === 0) break;
      expect(tries).toBeLessThan(100);
      await new Promise((r) => setTimeout(r, 100));
    }

    // The job folders are gone (as on a machine that does not share them): the jobs fail at once, no retry.
    rmSync(join(dir, 'job'), { recursive: true });
    rmSync(join(dir, 'job2'), { recursive: true });
    const worker = startWorkerProcess('lonely', url, dir, {});
    const w = await waiting;
    expect(w.code).toBe(1);
    expect(w.stderr).toMatch(/QUEUE_FAILED queued run \S+ failed: haut-diplomate-americain \[ca\]: JOB_NOT_FOUND no job folder/);
    expect(w.stderr).toMatch(/run the same `relais run --queue …` again/);
    const deadline = Date.now() + 30_000;
    let json: { failed: boolean; articles: Array<{ translate: Array<{ state: string; failedReason?: string; attempts: number }> }> } | undefined;
    while (Date.now() < deadline) {
      const s = await runCliAsync(['status', '--queue', url, '--run', run!, '--json'], dir);
      json = JSON.parse(s.stdout);
      if (json!.failed) break;
      await new Promise((r) => setTimeout(r, 200));
    }
    expect(json!.failed).toBe(true);
    const t = json!.articles[0]!.translate[0]!;
    expect(t.state).toBe('failed');
    expect(t.attempts).toBe(1);
    expect(t.failedReason).toMatch(/JOB_NOT_FOUND no job folder .*job on this machine: every worker must see the job folder at the same path/);
    expect(worker.log()).toMatch(/lonely: job \S+ failed \(attempt 1\): JOB_NOT_FOUND/);
    await stopAll([worker]);
    expect(worker.child.exitCode).toBe(0);
  }, 60_000);
});

describe('the shared parts in Redis', () => {
  test('SharedRateLimit: three clients together start at most the rate, spaced on Redis’ clock', async () => {
    const url = await redis.url(5);
    const clients = [new Redis(url), new Redis(url), new Redis(url)];
    try {
      const limits = clients.map((c) => new SharedRateLimit(c, 'relais:rate:test', 50));
      const times: number[] = [];
      await Promise.all(limits.map(async (l) => {
        for (let i = 0; i < 10; i++) {
          await l.acquire();
          times.push(performance.now());
        }
      }));
      times.sort((a, b) => a - b);
      // 30 starts at 50/s: at least 29 intervals of 20 ms, and never 5 within 80 ms.
      expect(times.at(-1)! - times[0]!).toBeGreaterThanOrEqual(29 * 20 - 15);
      const spans = times.slice(4).map((t, i) => t - times[i]!);
      expect(Math.min(...spans)).toBeGreaterThanOrEqual(4 * 20 - 12);
    } finally {
      for (const c of clients) c.disconnect();
    }
  });

  test('RedisTranslationMemory: finished segments by key, the first value kept, a damaged entry a miss', async () => {
    const url = await redis.url(6);
    const client = new Redis(url);
    try {
      const tm = new RedisTranslationMemory(client, 'relais:tm:test');
      const seg = (key: string, target: string): TranslatedSegment => ({ id: 's1', source: 'Bonjour.', machine: target, target, termsApplied: [], flags: [], unknownWords: [], cacheKey: key, billedCharacters: 8 });
      await tm.putMany([seg('k1', 'Hola.'), seg('k2', 'Hello.')]);
      await tm.putMany([seg('k1', 'Buenos días.')]);
      await client.hset('relais:tm:test', 'k3', '{torn');
      const [a, b, c, d] = await tm.getMany(['k1', 'k2', 'k3', 'k4']);
      expect(a?.target).toBe('Hola.');
      expect(a).not.toHaveProperty('billedCharacters'); // a reused segment costs nothing again
      expect(b?.target).toBe('Hello.');
      expect(c).toBeUndefined();
      expect(d).toBeUndefined();
      expect(await tm.size()).toBe(3);
    } finally {
      client.disconnect();
    }
  });
});

describe('a run Redis lost', () => {
  test('a waiting run whose jobs are gone from Redis (flushed, restarted without persistence) stops with what to do', async () => {
    const url = await redis.url(7);
    const dir = scratchProject('relais-queue-lost-');
    const waiting = runCliAsync(['run', SEED, '--queue', url, '--job', 'job', '--to', 'es'], dir);
    const client = new Redis(url);
    try {
      // Once it is queued, the queue is emptied under it.
      for (let tries = 0; (await client.keys('relais:stages:*')).length === 0; tries++) {
        expect(tries).toBeLessThan(200);
        await new Promise((r) => setTimeout(r, 50));
      }
      await client.flushdb();
    } finally {
      client.disconnect();
    }
    const r = await waiting;
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/QUEUE_FAILED queued run \S+ is no longer in Redis/);
    expect(r.stderr).toMatch(/run the same `relais run --queue …` again/);
  }, 60_000);
});

describe('the same job submitted twice', () => {
  test('while its first queued run is in progress, a second is refused (it would translate and bill everything again)', async () => {
    const url = await redis.url(8);
    const dir = scratchProject('relais-queue-twice-');
    const first = await runCliAsync(['run', SEED, '--queue', url, '--detach', '--job', 'job', '--to', 'es'], dir);
    expect(first.code, first.stderr).toBe(0);
    const run = /queued run (\S+) /.exec(first.stdout)![1]!;
    const second = await runCliAsync(['run', SEED, '--queue', url, '--detach', '--job', 'job', '--to', 'es'], dir);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(new RegExp(`JOB_LOCKED job .*job has a queued run in progress \\(${run}\\)`));
    expect(second.stderr).toContain(`relais status --queue ${url} --run ${run}`);
    // Another job folder is another job.
    const other = await runCliAsync(['run', SEED, '--queue', url, '--detach', '--job', 'job-b', '--to', 'es'], dir);
    expect(other.code, other.stderr).toBe(0);
  }, 60_000);
});

describe('a worker told to stop', () => {
  test('SIGTERM in the middle of a job: status shows it as stopping while it finishes, then it is gone and the job is done', async () => {
    const url = await redis.url(9);
    const dir = scratchProject('relais-queue-stopping-');
    // ~250 KB of a novel: a few seconds of Apertium, long enough to ask for the status meanwhile.
    writeFileSync(join(dir, 'roman.txt'), readFileSync(join(import.meta.dirname, '../fixtures/corpus/eltec-daudet-le-petit-chose.txt'), 'utf8').slice(0, 250_000));
    const queued = await runCliAsync(['run', 'roman.txt', '--queue', url, '--detach', '--job', 'job', '--to', 'es'], dir);
    expect(queued.code, queued.stderr).toBe(0);
    const worker = startWorkerProcess('w-stop', url, dir, {});
    try {
      await waitFor('the translate job to start', () => /w-stop: translate roman → es/.test(worker.log()));
      worker.child.kill('SIGTERM');
      await waitFor('the worker to say it is stopping', () => /stopping after the jobs in hand/.test(worker.log()));
      const during = await runCliAsync(['status', '--queue', url, '--job', 'job'], dir);
      expect(during.code).toBe(0);
      expect(during.stdout).toMatch(/workers connected: w-stop \(stopping: finishing its jobs, taking no new one\)/);
      expect(during.stdout).toMatch(/translate\+align \[es[^\]]*\]: active by w-stop/);
      expect(await worker.exited).toBe(0);
      const after = await runCliAsync(['status', '--queue', url, '--job', 'job'], dir);
      expect(after.stdout).toMatch(/workers connected: none/);
      expect(after.stdout).toMatch(/translate\+align \[es \d+\/\d+\]: completed by w-stop/);
    } finally {
      await stopAll([worker]);
    }
  }, 90_000);
});
