/**
 * `relais run --engine deepl` end to end: the compiled CLI, deepl-node inside it, and a DeepL-compatible
 * server on 127.0.0.1 started by the test (no network). What was sent (requests, sizes, glossary ids,
 * tag options, context) and what the job did (journal, bundles, billing) are both checked.
 */
import { spawn } from 'node:child_process';
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, test } from 'vitest';
import { CLI, runCliAsync, scratchProject, SEED } from '../helpers/cli.js';
import { waitFor } from '../helpers/workers.js';
import { startFakeDeepL, type FakeDeepL, type RecordedRequest } from '../helpers/fake-deepl-server.js';

const KEY = 'e2e-secret-key-7f3a9c1b:fx';
const CORPUS = join(import.meta.dirname, '../fixtures/corpus/wikinews-400.txt');

/** The seed and an article of 120 news paragraphs: several DeepL requests per language. */
function project(): { dir: string; files: string[] } {
  const dir = scratchProject('relais-deepl-');
  const long = join(dir, 'depeches.txt');
  const paragraphs = readFileSync(CORPUS, 'utf8').split(/\n\s*\n/).slice(0, 120);
  writeFileSync(long, `Dépêches du jour\n\n${paragraphs.join('\n\n')}\n`);
  return { dir, files: [SEED, long] };
}

function filesUnder(dir: string): string[] {
  return readdirSync(dir, { recursive: true, encoding: 'utf8' }).map((f) => join(dir, f)).filter((f) => statSync(f).isFile());
}

function journal(dir: string, ns: string, lang: string): Array<{ id: string; source: string; target: string; flags: Array<{ code: string }>; billedCharacters?: number }> {
  return readFileSync(join(dir, 'job', 'articles', ns, 'translate', `${lang}.journal.jsonl`), 'utf8')
    .split('\n')
    .filter(Boolean)
    .map((l) => JSON.parse(l));
}

/** `target_lang` + text of every text a translate request carried, for requests DeepL answered 200. */
function sentTexts(requests: readonly RecordedRequest[], ok = true): string[] {
  return requests
    .filter((r) => r.path === '/v2/translate' && (!ok || r.status === 200))
    .flatMap((r) => (r.params.text ?? []).map((t) => `${r.params.target_lang![0]}\t${t}`));
}

let server: FakeDeepL;
beforeEach(async () => {
  server = await startFakeDeepL({ authKey: KEY });
});
afterEach(async () => {
  await server.close();
});

const env = () => ({ DEEPL_AUTH_KEY: KEY, DEEPL_SERVER_URL: server.url });
const run = (dir: string, files: string[], extra: string[] = []) =>
  runCliAsync(['run', ...files, '--engine', 'deepl', '--job', 'job', '--json', ...extra], dir, env());

describe('relais run --engine deepl', () => {
  test('batches of at most 50 texts with context, names as ignored tags, one glossary, billed characters reported', async () => {
    const { dir, files } = project();
    const r = await run(dir, files);
    expect(r.stderr).not.toMatch(/error/);
    expect(r.code).toBe(0);

    // One multilingual glossary, made from glossary.yaml, used by every translate request.
    expect(server.glossaries.size).toBe(1);
    const [glossary] = [...server.glossaries.values()];
    expect(glossary!.name).toMatch(/^relais-[0-9a-f]+$/);
    expect(glossary!.dictionaries.map((d) => d.target_lang).sort()).toEqual(['ca', 'en', 'es']);

    const translate = server.translateRequests();
    const segmentRequests = translate.filter((q) => (q.params.text ?? []).some((t) => t.length > 40));
    expect(segmentRequests.length).toBeGreaterThanOrEqual(9); // 135 segments → at least 3 requests per language
    for (const q of translate) {
      expect(q.params.text!.length).toBeLessThanOrEqual(50);
      expect(q.bodyBytes).toBeLessThanOrEqual(100 * 1024);
      expect(q.params.split_sentences).toEqual(['0']);
      expect(q.params.tag_handling).toEqual(['xml']);
      expect(q.params.ignore_tags).toEqual(['x']);
      expect(q.params.glossary_id).toEqual([glossary!.glossary_id]);
    }
    // en is sent as en-US (DeepL refuses a bare EN), es and ca as they are; bundles keep relais' codes.
    expect(new Set(translate.map((q) => q.params.target_lang![0]))).toEqual(new Set(['en-US', 'es', 'ca']));
    for (const q of segmentRequests) expect(q.params.context?.[0]?.length ?? 0).toBeGreaterThan(0);

    // The seed's person names travel inside <x> elements; the published text has them, without tags.
    const seedTexts = translate.flatMap((q) => q.params.text ?? []).filter((t) => t.includes('Blinken'));
    expect(seedTexts.length).toBeGreaterThan(0);
    for (const t of seedTexts) expect(t).toMatch(/<x id="G[A-Z]+">(Antony )?Blinken<\/x>/);
    const en = JSON.parse(readFileSync(join(dir, 'locales', 'en', 'haut-diplomate-americain.json'), 'utf8')) as Record<string, string>;
    const enText = Object.values(en).join('\n');
    expect(enText).toContain('Blinken');
    expect(enText).not.toMatch(/<\/?x\b|ZZG/);
    expect(enText).toContain('[EN-US]'); // the fake server's "translation"

    // Billing: what the server counted is what relais reports, per run and in the job.
    const summary = JSON.parse(r.stdout) as { billedCharacters: { run: number; job: number }; languages: Array<{ lang: string; billedCharacters: number }> };
    expect(server.billedCharacters).toBeGreaterThan(0);
    expect(summary.billedCharacters).toEqual({ run: server.billedCharacters, job: server.billedCharacters });
    expect(summary.languages.reduce((n, l) => n + l.billedCharacters, 0)).toBe(server.billedCharacters);
    for (const l of summary.languages) expect(l.billedCharacters).toBeGreaterThan(0);
    const status = await runCliAsync(['status', '--job', 'job', '--json'], dir, env());
    expect(JSON.parse(status.stdout).billedCharacters).toBe(server.billedCharacters);

    // A re-run sends nothing and bills nothing.
    const before = server.translateRequests().length;
    const again = await run(dir, files);
    expect(again.code).toBe(0);
    expect(server.translateRequests().length).toBe(before);
    expect(JSON.parse(again.stdout).billedCharacters).toEqual({ run: 0, job: server.billedCharacters });

    // The key is nowhere: not in any file the job wrote, not in the output.
    for (const f of filesUnder(dir)) expect(readFileSync(f, 'utf8'), f).not.toContain(KEY);
    expect(r.stdout + r.stderr + again.stdout + again.stderr).not.toContain(KEY);
  });

  test('a quota used up mid-run (456) stops cleanly; the next run sends only the unfinished segments and ends byte-identical', async () => {
    // Answers take 80 ms and the 456 comes at once: other languages' requests are still in flight
    // when the quota runs out, and what they bring back must be kept and counted.
    await server.close();
    server = await startFakeDeepL({ authKey: KEY, latencyMs: 80 });
    const { dir, files } = project();
    // /v2/usage says there is room, but the account runs dry after about a third of the work.
    server.quotaAfter(30_000, 1_000_000);
    const first = await run(dir, files);
    expect(first.code).toBe(1);
    expect(first.stderr).toMatch(/ENGINE_QUOTA DeepL's character quota for this billing period is used up \(HTTP 456/);
    expect(first.stderr).toMatch(/every segment it finished is saved/);
    expect(first.stderr).toMatch(/Run the same `relais run` again/);
    expect(first.stderr).not.toMatch(/\n\s+at /); // no stack trace
    const finishedFirst = sentTexts(server.requests);
    expect(finishedFirst.length).toBeGreaterThan(0);
    const journaled = ['en', 'es', 'ca'].reduce((n, l) => {
      try {
        return n + journal(dir, 'depeches', l).length;
      } catch {
        return n;
      }
    }, 0);
    expect(journaled).toBeGreaterThan(0);
    expect(journaled).toBeLessThan(3 * 121);
    const billedFirst = server.billedCharacters;
    // What the stopped run recorded as billed is what the server billed, in-flight answers included.
    const recorded = readFileSync(join(dir, 'job', 'billing.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as { total: number });
    expect(recorded.reduce((n, l) => n + l.total, 0)).toBe(billedFirst);

    // Quota renewed: the same command finishes the job.
    const requestsBefore = server.requests.length;
    server.quotaAfter(Number.POSITIVE_INFINITY);
    const second = await run(dir, files);
    expect(second.stderr).not.toMatch(/error/);
    expect(second.code).toBe(0);
    const sentSecond = sentTexts(server.requests.slice(requestsBefore), false);
    // No double billing: nothing DeepL answered in the first run is sent again.
    const again = sentSecond.filter((t) => finishedFirst.includes(t));
    expect(again).toEqual([]);
    const summary = JSON.parse(second.stdout) as { billedCharacters: { run: number; job: number } };
    expect(summary.billedCharacters.job).toBe(server.billedCharacters);
    expect(summary.billedCharacters.run).toBe(server.billedCharacters - billedFirst);

    // Same bundles as a run that was never interrupted.
    const fresh = await startFakeDeepL({ authKey: KEY });
    try {
      const other = project();
      const r = await runCliAsync(['run', ...other.files, '--engine', 'deepl', '--job', 'job', '--json'], other.dir, { DEEPL_AUTH_KEY: KEY, DEEPL_SERVER_URL: fresh.url });
      expect(r.code).toBe(0);
      for (const lang of ['fr', 'en', 'es', 'ca']) {
        for (const ns of ['haut-diplomate-americain', 'depeches']) {
          const a = readFileSync(join(dir, 'locales', lang, `${ns}.json`), 'utf8');
          const b = readFileSync(join(other.dir, 'locales', lang, `${ns}.json`), 'utf8');
          expect(a, `${lang}/${ns}`).toBe(b);
        }
      }
    } finally {
      await fresh.close();
    }
  });

  test('--max-chars below the estimate, or a quota too small for the run, stops before any translation request', async () => {
    const { dir, files } = project();
    const capped = await run(dir, files, ['--max-chars', '1000']);
    expect(capped.code).toBe(1);
    expect(capped.stderr).toMatch(/COST_LIMIT this run would send about [\d,]+ characters to deepl, more than --max-chars 1,000; nothing was sent/);
    expect(server.translateRequests()).toEqual([]);

    server.quotaAfter(5_000);
    const short = await run(dir, files);
    expect(short.code).toBe(1);
    expect(short.stderr).toMatch(/ENGINE_QUOTA this run needs about [\d,]+ characters but only 5,000 are left in this billing period/);
    expect(server.translateRequests()).toEqual([]);

    const bad = await run(dir, files, ['--max-chars', 'lots']);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/--max-chars.*expected a whole number/);
  });

  test('the estimate is what the run sends (markup and glossary probes included), so --max-chars at the estimate passes and one below it stops', async () => {
    const { dir, files } = project();
    const refused = await run(dir, files, ['--no-tm', '--max-chars', '1']);
    const estimate = Number(/about ([\d,]+) characters/.exec(refused.stderr)?.[1]?.replaceAll(',', ''));
    expect(server.translateRequests()).toEqual([]);
    const first = await run(dir, files, ['--no-tm']);
    expect(first.code).toBe(0);
    // Exact: no sentence needed a second request here, and the fake server bills what it receives.
    expect(estimate).toBe(server.billedCharacters);
    // The two articles, translated at once, share their names' probes: no text went twice to a language.
    const sent = sentTexts(server.translateRequests());
    expect(new Set(sent).size).toBe(sent.length);
    expect(server.translateRequests().some((q) => q.params.text!.some((t) => t.includes('<x id=')))).toBe(true);

    const other = project();
    const below = await run(other.dir, other.files, ['--no-tm', '--max-chars', String(estimate - 1)]);
    expect(below.code).toBe(1);
    expect(below.stderr).toMatch(/COST_LIMIT this run would send about [\d,]+ characters/);
    const before = server.billedCharacters;
    const at = await run(other.dir, other.files, ['--no-tm', '--max-chars', String(estimate)]);
    expect(at.stderr).not.toMatch(/COST_LIMIT/);
    expect(at.code).toBe(0);
    expect(server.billedCharacters - before).toBe(estimate);
  });

  test('--max-chars holds while the run sends: sentences sent again after DeepL dropped their names cannot take it past the limit', async () => {
    const { dir, files } = project();
    const probe = await run(dir, files, ['--no-tm', '--max-chars', '1']);
    const estimate = Number(/about ([\d,]+) characters/.exec(probe.stderr)?.[1]?.replaceAll(',', ''));
    expect(estimate).toBeGreaterThan(1000);
    // Every name DeepL gets from now on vanishes with its tags: each such sentence is sent a second time.
    server.mangleTags('drop-elements', 1_000);
    const r = await run(dir, files, ['--no-tm', '--max-chars', String(estimate)]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/COST_LIMIT --max-chars [\d,]+ reached: this run has sent [\d,]+ characters to deepl and the next request \([\d,]+ → \w+\) would pass the limit; it was not sent\. This run had [\d,]+ characters billed/);
    expect(server.billedCharacters).toBeGreaterThan(0);
    expect(server.billedCharacters).toBeLessThanOrEqual(estimate);
    const billedFirst = server.billedCharacters;

    // What it finished is saved: the next run sends only the rest.
    server.mangleTags(undefined);
    const rest = await run(dir, files, ['--no-tm']);
    expect(rest.code).toBe(0);
    const summary = JSON.parse(rest.stdout) as { billedCharacters: { run: number; job: number } };
    expect(summary.billedCharacters.run).toBe(server.billedCharacters - billedFirst);
    expect(summary.billedCharacters.run).toBeLessThan(estimate);
  });

  test('a run killed outright (SIGKILL) leaves what DeepL had billed counted in the job; the next run adds its own', async () => {
    const slow = await startFakeDeepL({ authKey: KEY, latencyMs: 200 });
    try {
      const dir = scratchProject('relais-deepl-kill-');
      writeFileSync(join(dir, 'depeches.txt'), `Dépêches du jour\n\n${readFileSync(CORPUS, 'utf8')}\n`);
      const files = ['depeches.txt'];
      const envSlow = { ...process.env, DEEPL_AUTH_KEY: KEY, DEEPL_SERVER_URL: slow.url };
      const child = spawn(process.execPath, [CLI, 'run', ...files, '--engine', 'deepl', '--job', 'job', '--no-tm', '--deepl-concurrency', '1', '-q'], { cwd: dir, env: envSlow, stdio: 'ignore' });
      const exited = new Promise((r) => child.on('exit', r));
      const chars = (q: RecordedRequest) => (q.params.text ?? []).reduce((n, t) => n + [...t].length, 0);
      const answered = () => slow.translateRequests().filter((q) => q.status === 200 && q.answeredAt !== undefined);
      await waitFor('6 answered requests', () => answered().length >= 6);
      const billedBefore = answered().reduce((n, q) => n + chars(q), 0);
      await new Promise((r) => setTimeout(r, 500)); // the run checkpoints its billing within 0.1 s
      child.kill('SIGKILL');
      await exited;
      expect(readFileSync(join(dir, 'job', 'billing.jsonl'), { flag: 'a+', encoding: 'utf8' })).toBe(''); // it never wrote its line

      const killed = await runCliAsync(['status', '--job', 'job', '--json'], dir);
      const seen = (JSON.parse(killed.stdout) as { billedCharacters: number }).billedCharacters;
      expect(seen).toBeGreaterThanOrEqual(billedBefore);
      expect(seen).toBeLessThanOrEqual(slow.billedCharacters);

      const rest = await runCliAsync(['run', ...files, '--engine', 'deepl', '--job', 'job', '--no-tm', '--json'], dir, { DEEPL_AUTH_KEY: KEY, DEEPL_SERVER_URL: slow.url });
      expect(rest.code).toBe(0);
      const summary = JSON.parse(rest.stdout) as { billedCharacters: { run: number; job: number } };
      expect(summary.billedCharacters.job).toBe(seen + summary.billedCharacters.run);
      // Lost: the request in flight at the kill (one at a time here), and one answered while the run
      // was writing its last checkpoint, at most.
      const largest = Math.max(...slow.translateRequests().map(chars));
      expect(slow.billedCharacters - summary.billedCharacters.job).toBeLessThanOrEqual(2 * largest);
      expect(slow.billedCharacters - summary.billedCharacters.job).toBeGreaterThanOrEqual(0);
    } finally {
      await slow.close();
    }
  });

  test('segments the translation memory holds are not counted: a second job over the same text passes --max-chars 1 and sends nothing', async () => {
    const { dir, files } = project();
    expect((await run(dir, files)).code).toBe(0);
    const sent = server.translateRequests().length;
    const second = await runCliAsync(['run', ...files, '--engine', 'deepl', '--job', 'job2', '--json', '--max-chars', '1'], dir, env());
    expect(second.stderr).not.toMatch(/COST_LIMIT/);
    expect(second.code).toBe(0);
    expect(server.translateRequests().length).toBe(sent);
  });

  test('a changed glossary creates exactly one new DeepL glossary and deletes the one relais made before', async () => {
    const dir = scratchProject('relais-deepl-glossary-');
    const first = await run(dir, [SEED]);
    expect(first.code).toBe(0);
    const [old] = [...server.glossaries.values()];
    const creates = () => server.requests.filter((q) => q.method === 'POST' && q.path === '/v3/glossaries').length;
    expect(creates()).toBe(1);

    // Unchanged glossary: reused, nothing created or deleted.
    await run(dir, [SEED]);
    expect(creates()).toBe(1);
    expect([...server.glossaries.keys()]).toEqual([old!.glossary_id]);

    const yaml = readFileSync(join(dir, 'glossary.yaml'), 'utf8');
    writeFileSync(join(dir, 'glossary.yaml'), yaml.replace('en: { form: Moscow, article: false }', 'en: { form: Moskva, article: false }'));
    const second = await run(dir, [SEED]);
    expect(second.code).toBe(0);
    expect(creates()).toBe(2);
    const deletes = server.requests.filter((q) => q.method === 'DELETE');
    expect(deletes.map((q) => q.path)).toEqual([`/v3/glossaries/${old!.glossary_id}`]);
    expect(server.glossaries.size).toBe(1);
    const [now] = [...server.glossaries.values()];
    expect(now!.name).not.toBe(old!.name);
    expect(now!.dictionaries.find((d) => d.target_lang === 'en')!.entries).toContainEqual(['Moscou', 'Moskva']);
    const en = readFileSync(join(dir, 'locales', 'en', 'haut-diplomate-americain.json'), 'utf8');
    expect(en).toContain('Moskva');
  });

  test('a target DeepL has no glossary for stops the run before any translation request', async () => {
    await server.close();
    server = await startFakeDeepL({ authKey: KEY, glossaryPairs: [['fr', 'en'], ['fr', 'es']] });
    const dir = scratchProject('relais-deepl-pairs-');
    const r = await run(dir, [SEED]);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/LANGUAGE_UNSUPPORTED DeepL has no glossaries for fr → ca, and glossary.yaml has names for it/);
    expect(r.stderr).toMatch(/--engine apertium/);
    expect(server.translateRequests()).toEqual([]);
    // --to without ca runs.
    const ok = await run(dir, [SEED], ['--to', 'en,es']);
    expect(ok.code).toBe(0);
  });

  test('a refused key (403) and a missing key are clear errors that never show the key', async () => {
    const dir = scratchProject('relais-deepl-auth-');
    server.rejectKey(true);
    const refused = await run(dir, [SEED]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(/ENGINE_AUTH DeepL refused the key \(HTTP 403/);
    expect(refused.stderr).toMatch(/Check DEEPL_AUTH_KEY/);
    expect(refused.stdout + refused.stderr).not.toContain(KEY);
    for (const f of filesUnder(dir)) expect(readFileSync(f, 'utf8'), f).not.toContain(KEY);

    const missing = await runCliAsync(['run', SEED, '--engine', 'deepl', '--job', 'job'], dir, { DEEPL_AUTH_KEY: '' });
    expect(missing.code).toBe(1);
    expect(missing.stderr).toMatch(/ENGINE_AUTH --engine deepl needs a DeepL API key, and DEEPL_AUTH_KEY is not set/);
  });
});
