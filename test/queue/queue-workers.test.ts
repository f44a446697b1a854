/**
 * Queue mode end to end: a real redis-server, the compiled CLI as three `relais worker` processes and
 * one `relais run --queue`, DeepL played by a DeepL-compatible server on 127.0.0.1 (the engine whose
 * requests can be counted and timed from outside), and Apertium for real.
 *
 * One worker is killed (SIGKILL) in the middle of a translation. Then: the bundles equal a local run's
 * byte for byte, no segment reached DeepL twice except those of requests the killed worker had in
 * flight, the shared rate limit held across the three workers, and the killed worker's job was
 * finished by another one.
 */
import { mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { SEED, runCliAsync, scratchProject } from '../helpers/cli.js';
import { startWorkerProcess, stopAll, waitFor, type WorkerProcess } from '../helpers/workers.js';
import { startFakeDeepL, type FakeDeepL, type RecordedRequest } from '../helpers/fake-deepl-server.js';
import { startTestRedis, type TestRedis } from '../helpers/redis.js';

const KEY = 'queue-secret-key-51c2e8d7:fx';
const CORPUS = join(import.meta.dirname, '../fixtures/corpus/wikinews-1000.txt');
const RATE = 10;

/** Eight articles of 100 news sentences each (no pivot with DeepL: three groups per article). */
function project(prefix: string): { dir: string; files: string[] } {
  const dir = scratchProject(prefix);
  const paragraphs = readFileSync(CORPUS, 'utf8').split(/\n\s*\n/).filter((p) => p.trim());
  mkdirSync(join(dir, 'articles'));
  const files: string[] = [];
  for (let i = 0; i < 8; i++) {
    const file = join(dir, 'articles', `depeches-${i + 1}.txt`);
    writeFileSync(file, `Dépêches, page ${i + 1}\n\n${paragraphs.slice(i * 100, i * 100 + 100).join('\n\n')}\n`);
    files.push(relative(dir, file));
  }
  return { dir, files };
}

/** Every file under `locales/`, links followed, by path relative to it. */
function tree(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const f of readdirSync(dir, { recursive: true, encoding: 'utf8' })) {
    const path = join(dir, f);
    if (!f.startsWith('.versions') && statSync(path).isFile()) out[f] = readFileSync(path, 'utf8');
  }
  return out;
}

const translateRequests = (server: FakeDeepL) => server.requests.filter((r) => r.path === '/v2/translate');
/** Segment requests carry the paragraph as context; glossary-name probes do not. */
const segmentRequests = (server: FakeDeepL) => translateRequests(server).filter((r) => r.params.context !== undefined);
const textsOf = (r: RecordedRequest) => (r.params.text ?? []).map((t) => `${r.params.target_lang![0]}\t${t}`);

let redis: TestRedis;
beforeAll(async () => {
  redis = await startTestRedis();
});
afterAll(async () => {
  await redis?.stop();
});

describe('relais worker × 3 on a BullMQ queue', () => {
  test('a worker killed mid-translation: bundles equal a local run, nothing translated twice beyond its in-flight requests, the shared rate held', async () => {
    // Room for both runs in the billing period (the queued run checks it before queuing).
    const server = await startFakeDeepL({ authKey: KEY, latencyMs: 150, characterLimit: 100_000_000 });
    const workers: WorkerProcess[] = [];
    try {
      const env = { DEEPL_AUTH_KEY: KEY, DEEPL_SERVER_URL: server.url };

      // The reference: the same articles translated by a local run.
      const local = project('relais-queue-local-');
      const l = await runCliAsync(['run', ...local.files, '--engine', 'deepl', '--job', 'job', '--json'], local.dir, env);
      expect(l.stderr).not.toMatch(/error/);
      expect(l.code).toBe(0);
      const localTexts = new Set(segmentRequests(server).flatMap(textsOf));
      server.requests.length = 0;
      const billedLocally = server.billedCharacters;

      const url = await redis.url(1);
      const queued = project('relais-queue-');
      for (const name of ['w1', 'w2', 'w3']) workers.push(startWorkerProcess(name, url, queued.dir, env));
      await waitFor('three workers', () => workers.every((w) => /waiting for jobs/.test(w.log())));

      const submitted = runCliAsync(['run', ...queued.files, '--queue', url, '--engine', 'deepl', '--deepl-concurrency', '2', '--deepl-rate', String(RATE), '--job', 'job', '--json'], queued.dir, env);
      // Kill the worker that started a translation last, while it is translating.
      await waitFor('a third of the requests', () => segmentRequests(server).length >= 15);
      const busy = (w: WorkerProcess) => (w.log().match(/translate \S+ →/g) ?? []).length > (w.log().match(/: done \S+ →/g) ?? []).length;
      await waitFor('a busy worker', () => workers.some(busy));
      const victim = workers.find(busy)!;
      process.kill(-victim.child.pid!, 'SIGKILL');
      const killedAt = Date.now();
      await victim.exited;
      const victimJob = [...victim.log().matchAll(/\(job (\S+), attempt \d+\)/g)].at(-1)![1]!;

      const r = await submitted;
      expect(r.stderr).not.toMatch(/error/);
      expect(r.code).toBe(0);
      const status = JSON.parse(r.stdout) as {
        done: boolean; workers: string[];
        articles: Array<{ translate: Array<{ id: string; state: string; worker?: string; attempts: number; progress: Record<string, { done: number; total: number }> }> }>;
        billedCharacters: { run: number; job: number; languages: Record<string, number> };
      };
      expect(status.done).toBe(true);
      // The run's billing, from every worker's records — the killed one's checkpoint included: short of
      // what DeepL billed by at most its requests in flight (2) and one answered as it was killed.
      const billedQueued = server.billedCharacters - billedLocally;
      const largest = Math.max(...translateRequests(server).map((q) => (q.params.text ?? []).reduce((n, t) => n + [...t].length, 0)));
      expect(Object.keys(status.billedCharacters.languages).sort()).toEqual(['ca', 'en', 'es']);
      expect(status.billedCharacters.job).toBe(status.billedCharacters.run);
      expect(status.billedCharacters.run).toBeLessThanOrEqual(billedQueued);
      expect(status.billedCharacters.run).toBeGreaterThanOrEqual(billedQueued - 3 * largest);

      // Every bundle complete and identical to the local run's (links followed; version folders by content hash).
      const mine = tree(join(queued.dir, 'locales'));
      expect(Object.keys(mine).sort()).toEqual(Object.keys(tree(join(local.dir, 'locales'))).sort());
      expect(mine).toEqual(tree(join(local.dir, 'locales')));
      expect(Object.keys(mine).filter((f) => f.endsWith('.json') && f !== 'manifest.json')).toHaveLength(8 * 4);

      // The killed worker's job was handed to another worker and finished there.
      const handed = status.articles.flatMap((a) => a.translate).find((t) => t.id === victimJob)!;
      expect(handed.state).toBe('completed');
      expect(handed.worker).not.toBe(victim.name);
      expect(['w1', 'w2', 'w3'].filter((n) => n !== victim.name)).toContain(handed.worker);
      // Counted as its second attempt, and its progress is the article's, not what was left of it.
      expect(handed.attempts).toBe(2);
      const siblings = status.articles.find((a) => a.translate.some((t) => t.id === victimJob))!.translate.filter((t) => t.id !== victimJob);
      const articleTotal = Object.values(siblings[0]!.progress)[0]!.total;
      for (const [lang, p] of Object.entries(handed.progress)) expect(p, lang).toEqual({ done: articleTotal, total: articleTotal });
      expect(victim.log()).toMatch(/attempt 1\)/);
      expect(workers.filter((w) => w !== victim).map((w) => w.log()).join('\n')).toMatch(new RegExp(`\\(job ${victimJob.replaceAll('.', '\\.')}, attempt 2\\)`));

      // No segment reached DeepL twice, except those of requests still in flight when the worker died
      // (sent before the kill and not answered — or answered too recently to be journaled — by then).
      const requests = segmentRequests(server);
      const inFlight = new Set(requests.filter((q) => q.receivedAt <= killedAt && (q.answeredAt === undefined || q.answeredAt > killedAt - 250)).flatMap(textsOf));
      const seen = new Map<string, number>();
      for (const t of requests.flatMap(textsOf)) seen.set(t, (seen.get(t) ?? 0) + 1);
      const twice = [...seen].filter(([, n]) => n > 1).map(([t]) => t);
      expect(twice.filter((t) => !inFlight.has(t))).toEqual([]);
      // At most what the killed worker could have in flight: --deepl-concurrency 2 × 50 texts a request.
      expect(twice.length).toBeLessThanOrEqual(2 * 50);
      // Every text the local run sent was sent (at least once), and nothing else: 8 articles × 100 × 3
      // languages, less a sentence the corpus repeats.
      expect(new Set(seen.keys())).toEqual(localTexts);
      expect(seen.size).toBeGreaterThan(8 * 100 * 3 - 10);

      // The shared rate: any 6 consecutive requests of all workers together span about 5 intervals
      // (3 workers each keeping 10/s on their own would send 30/s: 6 requests in ~170 ms). The server
      // sees them when their bodies have arrived, so the workers' scheduling jitter is in its times:
      // up to ~100 ms while the whole suite loads 2 cores (6 requests in 405 ms once, for 500 granted).
      const times = translateRequests(server).map((q) => q.receivedAt).sort((a, b) => a - b);
      expect(times.length).toBeGreaterThan(40);
      const spans = times.slice(5).map((t, i) => t - times[i]!);
      expect(Math.min(...spans)).toBeGreaterThanOrEqual(5 * (1000 / RATE) - 150);

      // A second run of the same articles in another job: every segment from the shared memory in Redis.
      server.requests.length = 0;
      const again = await runCliAsync(['run', ...queued.files, '--queue', url, '--engine', 'deepl', '--job', 'job2', '--json'], queued.dir, env);
      expect(again.code, again.stderr + again.stdout).toBe(0);
      expect(segmentRequests(server)).toEqual([]);
      expect(tree(join(queued.dir, 'locales'))).toEqual(mine);
    } finally {
      await stopAll(workers);
      await server.close();
    }
  }, 240_000);

  test('Apertium on two workers: the same bundles as a local run; en and es share one Spanish pass', async () => {
    const url = await redis.url(2);
    const local = scratchProject('relais-queue-apertium-local-');
    const l = await runCliAsync(['run', SEED, '--job', 'job', '--json'], local);
    expect(l.code).toBe(0);
    const queued = scratchProject('relais-queue-apertium-');
    const workers = ['a1', 'a2'].map((n) => startWorkerProcess(n, url, queued, {}));
    try {
      await waitFor('two workers', () => workers.every((w) => /waiting for jobs/.test(w.log())));
      const r = await runCliAsync(['run', SEED, '--queue', url, '--job', 'job'], queued);
      expect(r.stderr).not.toMatch(/error/);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/translate\+align \[en 15\/15, es 15\/15\]: completed by a[12]/);
      expect(r.stdout).toMatch(/translate\+align \[ca 15\/15\]: completed by a[12]/);
      expect(r.stdout).toMatch(/publish \(en, es, ca\): completed/);
      expect(tree(join(queued, 'locales'))).toEqual(tree(join(local, 'locales')));

      const st = await runCliAsync(['status', '--queue', url, '--job', 'job'], queued);
      expect(st.code).toBe(0);
      expect(st.stdout).toMatch(/workers connected: a1, a2/);
      expect(st.stdout).toMatch(/haut-diplomate-americain: 15 segments · ingest done · segment done/);
    } finally {
      await stopAll(workers);
    }
    // SIGTERM: each worker finished and exited cleanly.
    for (const w of workers) expect(w.child.exitCode).toBe(0);
  }, 120_000);
});
