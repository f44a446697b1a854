/**
 * A queue worker serving DeepL jobs over time: the quota left is checked before anything is queued; an
 * engine that stopped (a quota used up mid-run) is not kept, so the same run submitted again once there
 * is quota is translated; and a worker never deletes another job's glossary.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { runCliAsync, scratchProject } from '../helpers/cli.js';
import { startFakeDeepL, type FakeDeepL } from '../helpers/fake-deepl-server.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';
import { startWorkerProcess, stopAll } from '../helpers/workers.js';

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
});
