/**
 * `locales/manifest.json` describes every bundle relais published under the folder, whichever job
 * or run published it: a newsroom publishes its articles from several jobs (or with a narrower `--to`
 * one day) into one `locales/`, and an app reading the manifest must find every bundle that is there.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PseudoEngine } from '../../pipeline/engines/pseudo.js';
import { sha256 } from '../../pipeline/job/hash.js';
import type { LocalesManifest } from '../../pipeline/review/publish-reviewed.js';
import { publishJob, runJob } from '../../pipeline/run-job.js';
import type { ProgressEvent } from '../../pipeline/artifacts.js';
import { runCliAsync, scratchProject } from '../helpers/cli.js';

const CORPUS = readFileSync(join(import.meta.dirname, '../fixtures/corpus/wikinews-400.txt'), 'utf8').split(/\n\s*\n/).filter((l) => l.trim() !== '');

function article(dir: string, name: string, from: number): string {
  const file = join(dir, `${name}.txt`);
  writeFileSync(file, `Article ${name}\n\n${CORPUS.slice(from, from + 6).join('\n\n')}\n`);
  return file;
}

const readManifest = (dir: string) => {
  const text = readFileSync(join(dir, 'locales', 'manifest.json'), 'utf8');
  // Still exactly what JSON.stringify writes, with kept entries in it.
  expect(`${JSON.stringify(JSON.parse(text), null, 2)}\n`).toBe(text);
  return JSON.parse(text) as LocalesManifest;
};
const entriesOf = (m: LocalesManifest) => Object.fromEntries(Object.entries(m.bundles).map(([l, b]) => [l, Object.keys(b).sort()]));

/** Every entry's hash is the hash of the file it names. */
function expectTrue(dir: string, m: LocalesManifest): void {
  for (const byNs of Object.values(m.bundles)) {
    for (const e of Object.values(byNs)) expect(sha256(readFileSync(join(dir, 'locales', e.file)))).toBe(e.sha256);
  }
}

describe('locales/manifest.json', () => {
  test('two jobs and a narrower --to: the manifest keeps describing what the others published', async () => {
    const dir = scratchProject('relais-manifest-');
    const [a, b] = [article(dir, 'alpha', 0), article(dir, 'beta', 10)];
    const o = { engine: new PseudoEngine(), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') };
    await runJob({ ...o, files: [a], targets: ['es', 'ca'], jobDir: join(dir, 'job-a') });
    const afterA = readManifest(dir);
    await runJob({ ...o, files: [b], targets: ['es'], jobDir: join(dir, 'job-b') });
    const m = readManifest(dir);
    expect(m.languages).toEqual(['fr', 'es', 'ca']);
    expect(m.namespaces).toEqual(['beta', 'alpha']);
    expect(entriesOf(m)).toEqual({ fr: ['alpha', 'beta'], es: ['alpha', 'beta'], ca: ['alpha'] });
    // Kept as they were: the entry of a bundle job-b did not write is job-a's, word for word.
    for (const l of ['fr', 'es', 'ca']) expect(m.bundles[l]!.alpha).toEqual(afterA.bundles[l]!.alpha);
    expectTrue(dir, m);

    // A narrower --to on job-a: Spanish stays described.
    await runJob({ ...o, files: [a], targets: ['ca'], jobDir: join(dir, 'job-a') });
    const narrower = readManifest(dir);
    expect(narrower.languages).toEqual(['fr', 'ca', 'es']);
    expect(entriesOf(narrower)).toEqual(entriesOf(m));
    expectTrue(dir, narrower);

    // Each entry says how it was published; the head is true only when every bundle is approved-only.
    publishJob({ jobDir: join(dir, 'job-b'), localesDir: join(dir, 'locales'), approvedOnly: true });
    const mixed = readManifest(dir);
    expect(mixed.approvedOnly).toBe(false);
    expect(mixed.bundles.es!.beta!.approvedOnly).toBe(true);
    expect(mixed.bundles.es!.beta!.keys).toBe(0); // nothing approved yet: i18next falls back to French
    expect(mixed.bundles.es!.alpha!.approvedOnly).toBe(false);
    expectTrue(dir, mixed);
  });

  test('a bundle changed by hand since it was published is no longer described, and the run says so', async () => {
    const dir = scratchProject('relais-manifest-');
    const [a, b] = [article(dir, 'alpha', 20), article(dir, 'beta', 30)];
    const o = { engine: new PseudoEngine(), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'), targets: ['es'] };
    await runJob({ ...o, files: [a], jobDir: join(dir, 'job-a') });
    writeFileSync(join(dir, 'locales', 'es', 'alpha.json'), '{"edited": "by hand"}\n');
    const events: ProgressEvent[] = [];
    await runJob({ ...o, files: [b], jobDir: join(dir, 'job-b'), onProgress: (e) => events.push(e) });
    const m = readManifest(dir);
    expect(entriesOf(m)).toEqual({ fr: ['alpha', 'beta'], es: ['beta'] });
    expect(events.filter((e) => e.type === 'warning').map((e) => (e as { message: string }).message))
      .toEqual([`${join(dir, 'locales', 'manifest.json')} no longer describes es/alpha.json (changed since relais published it)`]);
    expectTrue(dir, m);

    // An earlier manifest that is not JSON any more is replaced, and `relais publish` says what was lost.
    writeFileSync(join(dir, 'locales', 'manifest.json'), '{"bundles": ');
    const warnings: string[] = [];
    publishJob({ jobDir: join(dir, 'job-a'), localesDir: join(dir, 'locales'), onWarning: (w) => warnings.push(w) });
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/no longer describes every entry of the earlier manifest\.json \(.*JSON/);
    expect(entriesOf(readManifest(dir))).toEqual({ fr: ['alpha'], es: ['alpha'] });
  });

  test('two runs of different jobs publishing at once: the manifest describes both (written under the locales lock)', async () => {
    const dir = scratchProject('relais-manifest-');
    const files = ['alpha', 'beta', 'gamma', 'delta'].map((n, i) => article(dir, n, 40 + 6 * i));
    for (let round = 0; round < 3; round++) {
      const runs = await Promise.all(files.map((f, i) => runCliAsync(['run', f, '--engine', 'pseudo', '--to', 'es', '--job', `job-${i}`, '-q', '--no-tm'], dir)));
      for (const r of runs) expect(r.stderr).toBe('');
      for (const r of runs) expect(r.code).toBe(0);
      const m = readManifest(dir);
      expect(entriesOf(m)).toEqual({ fr: ['alpha', 'beta', 'delta', 'gamma'], es: ['alpha', 'beta', 'delta', 'gamma'] });
      expectTrue(dir, m);
    }
  });
});
