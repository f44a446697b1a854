/**
 * Kill `relais run` (SIGKILL, the whole process group) in the middle of translation, run it again:
 * the job finishes without redoing finished segments and publishes exactly what an uninterrupted run does.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { runCli, scratchProject, spawnCli, SEED } from '../helpers/cli.js';

const CORPUS = join(import.meta.dirname, '../fixtures/corpus/wikinews-400.txt');

function journalLines(dir: string, ns: string, lang: string): number {
  const f = join(dir, 'job', 'articles', ns, 'translate', `${lang}.journal.jsonl`);
  return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0;
}

function journalTargets(dir: string, lang: string): Map<string, string> {
  const f = join(dir, 'job', 'articles', 'long-article', 'translate', `${lang}.journal.jsonl`);
  const out = new Map<string, string>();
  if (!existsSync(f)) return out;
  for (const line of readFileSync(f, 'utf8').split('\n')) {
    try {
      const e = JSON.parse(line) as { id: string; target: string };
      out.set(e.id, e.target);
    } catch {
      /* the torn last line of a killed run */
    }
  }
  return out;
}

/**
 * `relais run` over an article long enough that translation takes a few seconds (a title and 400 news
 * sentences), once `atLeast` Catalan segments are journaled.
 */
async function longRunUnderway(prefix: string, options: string[], atLeast: number) {
  const dir = scratchProject(prefix);
  const article = join(dir, 'long-article.txt');
  writeFileSync(article, `Un long article\n\n${readFileSync(CORPUS, 'utf8')}`);
  const args = ['run', article, ...options, '--job', 'job'];
  const child = spawnCli(args, dir);
  let stderr = '';
  child.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
  const deadline = Date.now() + 120_000;
  while (journalLines(dir, 'long-article', 'ca') < atLeast && Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`relais exited before it could be stopped:\n${stderr}`);
    await new Promise((r) => setTimeout(r, 25));
  }
  return { dir, args, child, stderr: () => stderr };
}

describe('resume after SIGKILL', () => {
  test('finishes the job, re-sends only unfinished segments, keeps journaled work, same bytes as an uninterrupted run', async () => {
    const { dir, args, child } = await longRunUnderway('relais-resume-', ['--to', 'es,ca', '--json'], 40);
    process.kill(-child.pid!, 'SIGKILL');
    await new Promise((r) => child.once('exit', r));
    const doneCa = journalLines(dir, 'long-article', 'ca');
    const doneEs = journalLines(dir, 'long-article', 'es');
    expect(doneCa).toBeGreaterThanOrEqual(40);
    expect(existsSync(join(dir, 'locales'))).toBe(false); // nothing published by the killed run
    const beforeResume = { es: journalTargets(dir, 'es'), ca: journalTargets(dir, 'ca') };

    const resumed = runCli(args, dir);
    expect(resumed.stderr).not.toContain('error');
    expect(resumed.code).toBe(0);
    const summary = JSON.parse(resumed.stdout) as { languages: Array<{ lang: string; segments: number; translatedNow: number }> };
    const byLang = Object.fromEntries(summary.languages.map((l) => [l.lang, l]));
    expect(byLang.ca!.translatedNow).toBe(byLang.ca!.segments - doneCa);
    expect(byLang.es!.translatedNow).toBe(byLang.es!.segments - doneEs);

    // An uninterrupted run in a fresh job: same keys in the same order, the same French bundle.
    const fresh = scratchProject('relais-fresh-');
    writeFileSync(join(fresh, 'long-article.txt'), readFileSync(join(dir, 'long-article.txt')));
    const clean = runCli(['run', 'long-article.txt', '--to', 'es,ca', '--job', 'job', '--quiet'], fresh);
    expect(clean.code).toBe(0);
    const published = (root: string, l: string) => JSON.parse(readFileSync(join(root, 'locales', l, 'long-article.json'), 'utf8')) as Record<string, string>;
    expect(readFileSync(join(dir, 'locales', 'fr', 'long-article.json'), 'utf8')).toBe(readFileSync(join(fresh, 'locales', 'fr', 'long-article.json'), 'utf8'));
    for (const l of ['es', 'ca'] as const) {
      const mine = published(dir, l);
      expect(Object.keys(mine)).toEqual(Object.keys(published(fresh, l)));
      expect(Object.values(mine).every((v) => v.trim().length > 0)).toBe(true);
      // Work finished before the kill is published as it was journaled, not redone.
      for (const [id, target] of beforeResume[l]) expect(mine[id]).toBe(target);
    }
    // And byte-identical to it: every segment is translated by a pristine Apertium tagger
    // (see test/engines/apertium-determinism.test.ts), so history does not leak into the output.
    for (const l of ['es', 'ca']) {
      expect(readFileSync(join(dir, 'locales', l, 'long-article.json'), 'utf8')).toBe(readFileSync(join(fresh, 'locales', l, 'long-article.json'), 'utf8'));
    }
  }, 300_000);

  test('a second run on the same job while one is running is refused with a clear message', async () => {
    const dir = scratchProject('relais-lock-');
    const article = join(dir, 'long-article.txt');
    writeFileSync(article, `Un long article\n\n${readFileSync(CORPUS, 'utf8')}`);
    const first = spawnCli(['run', article, '--to', 'ca', '--job', 'job', '--quiet'], dir);
    const deadline = Date.now() + 60_000;
    while (!existsSync(join(dir, 'job', 'lock')) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    const second = runCli(['run', SEED, '--to', 'ca', '--job', 'job'], dir);
    expect(second.code).toBe(1);
    expect(second.stderr).toMatch(/JOB_LOCKED job .* is being run by process \d+/);
    process.kill(-first.pid!, 'SIGKILL');
    await new Promise((r) => first.once('exit', r));
    // the stale lock of the killed run does not block the next one
    const third = runCli(['run', SEED, '--to', 'ca', '--job', 'job', '--quiet', '--no-publish'], dir);
    expect(third.stderr).toBe('');
    expect(third.code).toBe(0);
  }, 300_000);

  test('Ctrl+C (SIGINT) says the run was interrupted and how to go on; the next run finishes from there', async () => {
    const { dir, args, child, stderr: output } = await longRunUnderway('relais-sigint-', ['--to', 'ca', '--quiet'], 20);
    const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
    child.kill('SIGINT');
    expect(await exited).toBe(130);
    const stderr = output();
    expect(stderr).toMatch(/^relais: interrupted\. Every segment finished so far is saved in job; run the same command again to go on from there\.$/m);
    const done = journalLines(dir, 'long-article', 'ca');
    const again = runCli([...args, '--json'].filter((a) => a !== '--quiet'), dir);
    expect(again.code, again.stderr).toBe(0);
    const summary = JSON.parse(again.stdout) as { languages: Array<{ segments: number; translatedNow: number }> };
    expect(summary.languages[0]!.translatedNow).toBeLessThanOrEqual(summary.languages[0]!.segments - done + 20);
  }, 300_000);
});
