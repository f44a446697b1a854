/**
 * A queue worker serving DeepL jobs over time: the quota left is checked before anything is queued; an
 * engine that stopped (a quota used up mid-run) is not kept, so the same run submitted again once there
 * is quota is translated; a worker never deletes another job's glossary; and --max-chars holds for a
 * queued run's requests, as for a local run's.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCliAsync, scratchProject, SEED } from '../helpers/cli.js';
import { startFakeDeepL, type FakeDeepL } from '../helpers/fake-deepl-server.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { startWorkerProcess, stopAll, waitFor } from '../helpers/workers.js';

const KEY = 'queue-test-key:fx';
let redis: TestRedis;
let server: FakeDeepL;
beforeAll(async () => {
  redis = await startTestRedis();
  server = await startFakeDeepL({ authKey: KEY });
});
afterAll(async () => {
  await server?.close();
  await redis?.stop();
});

describe('a DeepL queue worker over time', () => {
  test('after a quota stop, the same run submitted again is translated by the same worker; two glossaries live side by side', async () => {
    const url = await redis.url(6);
    const dir = scratchProject('relais-queue-deepl-');
    const env = { DEEPL_AUTH_KEY: KEY, DEEPL_SERVER_URL: server.url };
    writeFileSync(join(dir, 'a.txt'), 'Dépêche\n\nLe ministre est arrivé à Moscou mardi.\n\nIl a rencontré son homologue russe.\n');
    writeFileSync(join(dir, 'g2.yaml'), `${readFileSync(join(dir, 'glossary.yaml'), 'utf8')}\n  - fr: Lyon\n    kind: place\n    en: Lyons\n`);
    const worker = startWorkerProcess('w1', url, dir, env);
    try {
      // /v2/usage says what is left: the submit refuses before anything is queued, as a local run does.
      const sent = server.translateRequests().length;
      server.quotaAfter(server.billedCharacters + 10);
      const refused = await runCliAsync(['run', 'a.txt', '--queue', url, '--engine', 'deepl', '--to', 'en', '--job', 'job'], dir, env);
      expect([refused.code, refused.stderr]).toEqual([1, expect.stringMatching(/ENGINE_QUOTA this run needs about \d+ characters but only \d+ are left .*; nothing was queued/)]);
      expect(server.translateRequests().length).toBe(sent);

      // /v2/usage says there is room, but the account runs dry during the run (another user spent it).
      server.quotaAfter(server.billedCharacters + 10, 100_000_000);
      const first = await runCliAsync(['run', 'a.txt', '--queue', url, '--engine', 'deepl', '--to', 'en', '--job', 'job'], dir, env);
      expect(first.code).toBe(1);
      expect(first.stderr).toMatch(/QUEUE_FAILED .*ENGINE_QUOTA/);

      server.quotaAfter(100_000_000);
      const before = server.translateRequests().length;
      const again = await runCliAsync(['run', 'a.txt', '--queue', url, '--engine', 'deepl', '--to', 'en', '--job', 'job'], dir, env);
      expect([again.code, again.stderr]).toEqual([0, expect.any(String)]);
      expect(server.translateRequests().length).toBeGreaterThan(before);
      // The summary says what the run billed (the failed first run's part counts in the job's total).
      const billed = /billed: ([\d,]+) characters in this run \(en ([\d,]+)\), ([\d,]+) in the job/.exec(again.stdout);
      expect(billed, again.stdout).not.toBeNull();
      const [run, en, job] = billed!.slice(1).map((n) => Number(n.replaceAll(',', '')));
      expect(run).toBeGreaterThan(0);
      expect(en).toBe(run);
      expect(job).toBeGreaterThanOrEqual(run!);

      // Another job with another glossary, then the first glossary again: both still there.
      const other = await runCliAsync(['run', 'a.txt', '--queue', url, '--engine', 'deepl', '--to', 'en', '--glossary', 'g2.yaml', '--job', 'job-g2'], dir, env);
      expect(other.code, other.stderr).toBe(0);
      const third = await runCliAsync(['run', 'a.txt', '--queue', url, '--engine', 'deepl', '--to', 'en', '--job', 'job-3'], dir, env);
      expect(third.code, third.stderr).toBe(0);
      expect(server.glossaries.size).toBe(2);
      expect(worker.log()).not.toMatch(/deleted the stale glossary/);
    } finally {
      await stopAll([worker]);
    }
  }, 90_000);

  test('a worker that cannot serve a job (no DeepL key here) leaves it for one that can, and the waiting run says why', async () => {
    const url = await redis.url(8);
    const dir = scratchProject('relais-queue-decline-');
    writeFileSync(join(dir, 'a.txt'), 'Dépêche\n\nLe ministre est arrivé à Moscou mardi.\n\nIl a rencontré son homologue russe.\n');
    const env = { DEEPL_AUTH_KEY: KEY, DEEPL_SERVER_URL: server.url };
    server.quotaAfter(100_000_000);
    const keyless = startWorkerProcess('keyless', url, dir, { DEEPL_AUTH_KEY: '', DEEPL_SERVER_URL: server.url });
    const workers = [keyless];
    try {
      await waitFor('the keyless worker', () => /waiting for jobs/.test(keyless.log()));
      const submitted = runCliAsync(['run', 'a.txt', '--queue', url, '--engine', 'deepl', '--to', 'en,es', '--job', 'job', '--json'], dir, env);
      await waitFor('a declined job', () => /cannot take a → \w+ \(job \S+\): DEEPL_AUTH_KEY is not set on this worker; left for another worker/.test(keyless.log()));
      await new Promise((r) => setTimeout(r, 1500)); // the waiting run polls twice a second
      const keyed = startWorkerProcess('keyed', url, dir, env);
      workers.push(keyed);
      const r = await submitted;
      expect(r.code, r.stderr).toBe(0);
      expect(r.stderr).toMatch(/warning: no connected worker can take a → (en|es): keyless: DEEPL_AUTH_KEY is not set on this worker\. It waits in the queue until a worker that can serve it connects/);
      const status = JSON.parse(r.stdout) as { articles: Array<{ translate: Array<{ worker?: string; attempts: number; declined?: unknown }> }> };
      for (const t of status.articles[0]!.translate) expect(t).toMatchObject({ worker: 'keyed', attempts: 1 });
      expect(status.articles[0]!.translate.every((t) => t.declined === undefined)).toBe(true);
      expect(keyless.log()).not.toMatch(/failed/);
    } finally {
      await stopAll(workers);
    }
  }, 90_000);

  test('--max-chars holds across the workers: requests sent again for dropped names cannot take a queued run past it', async () => {
    const url = await redis.url(7);
    const dir = scratchProject('relais-queue-maxchars-');
    const env = { DEEPL_AUTH_KEY: KEY, DEEPL_SERVER_URL: server.url };
    writeFileSync(join(dir, 'seed.txt'), readFileSync(SEED, 'utf8'));
    const workers = [startWorkerProcess('m1', url, dir, env), startWorkerProcess('m2', url, dir, env)];
    try {
      server.quotaAfter(100_000_000);
      const probe = await runCliAsync(['run', 'seed.txt', '--queue', url, '--engine', 'deepl', '--job', 'job', '--max-chars', '1'], dir, env);
      expect(probe.stderr).toMatch(/COST_LIMIT this run would send about [\d,]+ characters .*nothing was queued/);
      const estimate = Number(/about ([\d,]+) characters/.exec(probe.stderr)![1]!.replaceAll(',', ''));

      // Every name DeepL gets from now on vanishes with its tags: each such sentence is sent again.
      server.mangleTags('drop-elements', 1_000);
      const before = server.billedCharacters;
      const r = await runCliAsync(['run', 'seed.txt', '--queue', url, '--engine', 'deepl', '--job', 'job', '--max-chars', String(estimate)], dir, env);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(/QUEUE_FAILED .*COST_LIMIT --max-chars [\d,]+ reached: this run has sent [\d,]+ characters to deepl/);
      expect(server.billedCharacters - before).toBeGreaterThan(0);
      expect(server.billedCharacters - before).toBeLessThanOrEqual(estimate);
    } finally {
      server.mangleTags(undefined);
      await stopAll(workers);
    }
  }, 90_000);
});
