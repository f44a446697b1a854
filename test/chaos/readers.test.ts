/**
 * Readers never see a broken locales/: a reader process polls `locales/` while publisher processes
 * publish generation after generation — some of them killed (SIGKILL) at a seeded publish step:
 * a bundle staged, a language's version complete, a language swapped, the publish lock taken.
 *   - every file read by its path is whole, valid JSON of one generation;
 *   - a language read through one resolution of `locales/<lang>` is one generation for all its
 *     namespaces, and never goes back to an older one.
 * A control proves the reader does notice a half-written file and a language of mixed generations.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { assertBuilt, ROOT } from '../helpers/cli.js';
import { CHAOS_LONG, CHAOS_SEED, seededRandom } from './harness.js';

const PUBLISHER = join(import.meta.dirname, 'fixtures/publisher.mjs');
const POLLER = join(import.meta.dirname, 'fixtures/poll-locales.mjs');
const LANGS = ['fr', 'en', 'es', 'ca'];
const scratch: string[] = [];
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});
const scratchDir = (prefix: string) => (scratch.push(mkdtempSync(join(tmpdir(), prefix))), scratch.at(-1)!);
const NAMESPACES = ['alpha', 'beta', 'gamma'];

interface PollStats {
  fileReads: number;
  languageReads: number;
  invalid: string[];
  mixedFile: string[];
  mixedLanguage: string[];
  backwards: string[];
  missing: string[];
  /** Languages read file by file that straddled a swap (expected: why a reader resolves the language once). */
  byPathMixes: number;
  generations: Record<string, number>;
}

function startPoller(locales: string): { stop: () => Promise<PollStats> } {
  const child = spawn(process.execPath, [POLLER, locales, LANGS.join(','), NAMESPACES.join(',')], { stdio: ['pipe', 'pipe', 'inherit'] });
  let out = '';
  child.stdout.setEncoding('utf8').on('data', (d: string) => (out += d));
  const closed = new Promise<void>((res) => child.on('close', () => res()));
  return {
    async stop() {
      child.stdin.end();
      await closed;
      return JSON.parse(out) as PollStats;
    },
  };
}

function publish(locales: string, first: number, count: number, crashAt?: string): Promise<{ code: number | null; signal: NodeJS.Signals | null; stderr: string }> {
  return new Promise((res, rej) => {
    const env: NodeJS.ProcessEnv = { ...process.env, ...(crashAt ? { RELAIS_CRASH_AT: crashAt } : {}) };
    delete env.RELAIS_CRASH_TRACE;
    if (!crashAt) delete env.RELAIS_CRASH_AT;
    const child = spawn(process.execPath, [PUBLISHER, join(ROOT, 'dist'), locales, String(first), String(count)], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    child.on('error', rej);
    child.on('close', (code, signal) => res({ code, signal, stderr }));
  });
}

describe('a reader polling locales/ during publishing', () => {
  test('never sees invalid JSON, a file of two generations, a language of mixed generations, or a language going back', async () => {
    assertBuilt();
    const locales = join(scratchDir('relais-readers-'), 'locales');
    const poller = startPoller(locales);
    const random = seededRandom(CHAOS_SEED);
    const steps = [
      ...LANGS.flatMap((l) => [...NAMESPACES.map((ns) => `publish-file:${l}/${ns}.json`), `publish-staged:${l}`, `publish-swap:${l}`]),
      'locales-lock:created', 'locales-lock:held',
    ];
    const until = Date.now() + (CHAOS_LONG ? 30_000 : 4_000);
    let first = 1;
    let killed = 0;
    let publishers = 0;
    const PER_PROCESS = 6;
    while (Date.now() < until || killed < 4) {
      const crashAt = random() < 0.5 ? `${steps[Math.floor(random() * steps.length)]}:${1 + Math.floor(random() * PER_PROCESS)}` : undefined;
      const r = await publish(locales, first, PER_PROCESS, crashAt);
      publishers++;
      if (r.signal === 'SIGKILL') killed++;
      else expect(r.code, r.stderr).toBe(0);
      if (crashAt) expect(r.signal, `${crashAt} was not reached`).toBe('SIGKILL');
      first += PER_PROCESS;
    }
    const stats = await poller.stop();
    console.log(`readers: ${publishers} publisher processes (${killed} killed mid-publish), ${first - 1} generations; ${stats.fileReads} file reads, ${stats.languageReads} language reads; a reader going file by file by path straddled a swap ${stats.byPathMixes} times`);
    expect(stats.invalid).toEqual([]);
    expect(stats.mixedFile).toEqual([]);
    expect(stats.mixedLanguage).toEqual([]);
    expect(stats.backwards).toEqual([]);
    expect(stats.missing).toEqual([]);
    // The reader really read during publishing: many reads, many generations of every language.
    expect(stats.languageReads).toBeGreaterThan(200);
    for (const lang of LANGS) expect(stats.generations[lang]).toBeGreaterThan(5);
  }, 120_000);

  test('control: the reader does notice a half-written file and a language of mixed generations', async () => {
    const locales = join(scratchDir('relais-readers-control-'), 'locales');
    for (const lang of LANGS) {
      mkdirSync(join(locales, lang), { recursive: true });
      for (const [i, ns] of NAMESPACES.entries()) {
        const gen = lang === 'en' && i === 1 ? 2 : 1;
        writeFileSync(join(locales, lang, `${ns}.json`), JSON.stringify({ k0: `g${gen} ${lang} ${ns} x` }));
      }
    }
    writeFileSync(join(locales, 'es', 'gamma.json'), '{"k0": "g1 es gam');
    const poller = startPoller(locales);
    await new Promise((r) => setTimeout(r, 200));
    const stats = await poller.stop();
    expect(stats.invalid.some((s) => s.startsWith('es/gamma.json'))).toBe(true);
    expect(stats.mixedLanguage.some((s) => s.startsWith('en:'))).toBe(true);
  });
});
