/**
 * Two runs at once. On one job: the second is refused with JOB_LOCKED naming the running one, writes
 * nothing, and the job the first one finishes is exactly an uninterrupted run's. On one locales folder
 * (two jobs publishing at the same time): the publishers take turns, and neither loses the other's
 * namespaces. (A stale lock of a killed run is taken over: every kill of kill-points.test.ts leaves one.)
 */
import { spawn } from 'node:child_process';
import { existsSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ROOT } from '../helpers/cli.js';
import { chaosProject, countEngineRequests, journaled, publishedBundles, readEngineLog, readTrace, removeProjects, runRelais } from './harness.js';

afterAll(removeProjects);

const LONG_CORPUS = join(ROOT, 'test/fixtures/corpus/wikinews-1000.txt');

describe('two relais run on one job', () => {
  test('the second is refused with JOB_LOCKED while the first runs; the first finishes the job as if alone', async () => {
    // The first run is long (600 sentences through Apertium), so that the others surely meet it (200 were
    // once done before the other two processes had started).
    const dir = chaosProject('relais-two-runs-');
    writeFileSync(join(dir, 'long.txt'), `Un long article\n\n${readFileSync(LONG_CORPUS, 'utf8').split('\n\n').slice(0, 600).join('\n\n')}`);
    const args = ['run', 'long.txt', '--to', 'ca', '--job', 'job', '--json'];
    const log = join(dir, 'engine.log');
    const first = runRelais(args, dir, { RELAIS_ENGINE_LOG: log });
    const journal = join(dir, 'job', 'articles', 'long', 'translate', 'ca.journal.jsonl');
    const deadline = Date.now() + 60_000;
    while (!(existsSync(journal) && readFileSync(journal, 'utf8').split('\n').length > 20) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const lock = JSON.parse(readFileSync(join(dir, 'job', 'lock'), 'utf8')) as { pid: number };
    // Two more at once: the same command, and another article on the same job.
    const traces = [join(dir, 'trace-1.txt'), join(dir, 'trace-2.txt')];
    const others = await Promise.all([
      runRelais(args, dir, { RELAIS_CRASH_TRACE: traces[0]! }),
      runRelais(['run', 'depeches-un.txt', '--to', 'ca', '--job', 'job', '--engine', 'pseudo'], dir, { RELAIS_CRASH_TRACE: traces[1]! }),
    ]);
    for (const [i, r] of others.entries()) {
      expect(r.code, r.stderr).toBe(1);
      expect(r.stderr).toMatch(new RegExp(`^relais: error: JOB_LOCKED job \\S+/job is being run by process ${lock.pid} \\(since [^)]+\\)\\n  → Wait for that run to finish, or use another --job folder\\.\\n$`));
      expect(r.stdout).toBe('');
      // Nothing durable written by a refused run: its only step was its try at the lock (a temp file, removed).
      expect(readTrace(traces[i]!)).toEqual(['job-lock:created']);
    }
    expect(readdirSync(join(dir, 'job')).filter((n) => n.startsWith('lock.'))).toEqual([]);
    const done = await first;
    expect(done.code, done.stderr).toBe(0);
    // Each segment asked for once, and the job holds each once.
    const count = countEngineRequests(readEngineLog(log), new Map());
    expect(count.duplicates).toEqual([]);
    const lines = readFileSync(journal, 'utf8').split('\n').filter(Boolean).map((l) => (JSON.parse(l) as { id: string }).id);
    expect(new Set(lines).size).toBe(lines.length);
    expect(journaled(join(dir, 'job')).get('long/ca')!.size).toBe(lines.length);
    // Same bundles as a run of the same job alone.
    const alone = chaosProject('relais-two-runs-alone-');
    writeFileSync(join(alone, 'long.txt'), readFileSync(join(dir, 'long.txt')));
    expect((await runRelais(args, alone)).code).toBe(0);
    expect(publishedBundles(join(dir, 'locales'))).toEqual(publishedBundles(join(alone, 'locales')));
    expect(existsSync(join(dir, 'job', 'lock'))).toBe(false);
  }, 240_000);
});

describe('two jobs publishing to one locales folder at once', () => {
  test('they take turns: every namespace of both is there, at its last generation', async () => {
    const locales = join(chaosProject('relais-two-publishers-'), 'locales');
    const publisher = (namespaces: string, first: number) =>
      new Promise<{ code: number | null; out: string; err: string }>((res) => {
        const c = spawn(process.execPath, [join(import.meta.dirname, 'fixtures/publisher.mjs'), join(ROOT, 'dist'), locales, String(first), '25', namespaces], { stdio: ['ignore', 'pipe', 'pipe'] });
        let out = '';
        let err = '';
        c.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
        c.stderr.setEncoding('utf8').on('data', (d: string) => (err += d));
        c.on('close', (code) => res({ code, out, err }));
      });
    const [a, b] = await Promise.all([publisher('alpha,beta', 1000), publisher('gamma', 2000)]);
    expect(a.code, a.err).toBe(0);
    expect(b.code, b.err).toBe(0);
    for (const lang of ['fr', 'en', 'es', 'ca']) {
      expect(readdirSync(join(locales, lang)).sort()).toEqual(['alpha.json', 'beta.json', 'gamma.json']);
      const gen = (ns: string) => Number(/^g(\d+)/.exec(Object.values(JSON.parse(readFileSync(join(locales, lang, `${ns}.json`), 'utf8')) as string[])[0]!)![1]);
      expect([gen('alpha'), gen('beta'), gen('gamma')]).toEqual([1024, 1024, 2024]);
    }
  }, 120_000);
});
