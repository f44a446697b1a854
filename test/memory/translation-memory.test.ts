/**
 * The translation memory shared by jobs side by side: a segment finished in one job is not sent to the
 * engine again by another; a different glossary or engine version is a miss; the file is real SQLite.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { TranslationMemory } from '../../pipeline/memory/translation-memory.js';
import { runJob } from '../../pipeline/run-job.js';
import { CountingEngine } from '../helpers/counting-engine.js';
import { runCli, scratchProject, SEED } from '../helpers/cli.js';

const apertium = new ApertiumEngine();
afterAll(() => apertium.close());

const segmentCalls = (e: CountingEngine) => e.calls.filter((c) => !c.ids[0]!.startsWith('probe')).reduce((n, c) => n + c.ids.length, 0);

describe('translation memory', () => {
  test('a second job reuses every segment of the first without the engine, with the same bundles', async () => {
    const dir = scratchProject('relais-tm-');
    const base = { files: [SEED], targets: ['en', 'es', 'ca'], glossaryFile: join(dir, 'glossary.yaml') };
    const first = new CountingEngine(apertium);
    const a = await runJob({ ...base, engine: first, jobDir: join(dir, 'jobs', 'a'), localesDir: join(dir, 'locales-a') });
    expect(a.languages.map((l) => l.memoryHits)).toEqual([0, 0, 0]);
    expect(segmentCalls(first)).toBeGreaterThan(0);
    const tm = new TranslationMemory(join(dir, 'jobs', 'tm.sqlite'));
    expect(tm.size()).toBe(45);
    tm.close();

    const second = new CountingEngine(apertium);
    const b = await runJob({ ...base, engine: second, jobDir: join(dir, 'jobs', 'b'), localesDir: join(dir, 'locales-b') });
    expect(b.languages.map((l) => [l.lang, l.memoryHits, l.translatedNow])).toEqual([['en', 15, 0], ['es', 15, 0], ['ca', 15, 0]]);
    expect(segmentCalls(second)).toBe(0);
    for (const lang of ['en', 'es', 'ca']) {
      expect(readFileSync(join(dir, 'locales-b', lang, 'haut-diplomate-americain.json'), 'utf8')).toBe(readFileSync(join(dir, 'locales-a', lang, 'haut-diplomate-americain.json'), 'utf8'));
    }
  });

  test('a glossary form changed: a miss for the sentences holding that name only (the key holds the terms found in the sentence); --no-tm neither reads nor writes', async () => {
    const dir = scratchProject('relais-tm-miss-');
    const base = { files: [SEED], targets: ['es'] };
    await runJob({ ...base, engine: apertium, jobDir: join(dir, 'jobs', 'a'), localesDir: join(dir, 'l'), glossaryFile: join(dir, 'glossary.yaml') });
    const other = join(dir, 'other-glossary.yaml');
    writeFileSync(other, readFileSync(join(dir, 'glossary.yaml'), 'utf8').replace('es: { form: Moscú, article: false }', 'es: { form: Moscova, article: false }'));
    const counting = new CountingEngine(apertium);
    const b = await runJob({ ...base, engine: counting, jobDir: join(dir, 'jobs', 'b'), localesDir: join(dir, 'l'), glossaryFile: other });
    const french = Object.values(JSON.parse(readFileSync(join(dir, 'l', 'fr', 'haut-diplomate-americain.json'), 'utf8')) as Record<string, string>);
    const withMoscou = french.filter((t) => t.includes('Moscou')).length;
    expect(withMoscou).toBeGreaterThanOrEqual(3);
    expect(b.languages[0]!.memoryHits).toBe(15 - withMoscou);
    expect(segmentCalls(counting)).toBe(withMoscou);
    const es = Object.values(JSON.parse(readFileSync(join(dir, 'l', 'es', 'haut-diplomate-americain.json'), 'utf8')) as Record<string, string>).join('\n');
    expect(es).toContain('Moscova');
    expect(es).not.toContain('Moscú');

    const cli = scratchProject('relais-no-tm-');
    const r = runCli(['run', SEED, '--to', 'es', '--job', 'jobs/x', '--no-tm', '--json'], cli);
    expect(r.code).toBe(0);
    expect(existsSync(join(cli, 'jobs', 'tm.sqlite'))).toBe(false);
    const withTm = runCli(['run', SEED, '--to', 'es', '--job', 'jobs/y', '--tm', 'memory.sqlite', '--json'], cli);
    expect(JSON.parse(withTm.stdout).languages[0].memoryHits).toBe(0);
    expect(existsSync(join(cli, 'memory.sqlite'))).toBe(true);
    const again = runCli(['run', SEED, '--to', 'es', '--job', 'jobs/z', '--tm', 'memory.sqlite', '--json'], cli);
    expect(JSON.parse(again.stdout).languages[0]).toMatchObject({ memoryHits: 15, translatedNow: 0 });
  });
});

describe('repeated sentences', () => {
  test('a sentence repeated in an article keeps both keys in the bundle, and the memory serves each occurrence in another article', async () => {
    const dir = scratchProject('relais-tm-repeat-');
    const line = "« J'ai reçu votre lettre du 8 courant. »";
    writeFileSync(join(dir, 'lettres.txt'), `Lettres\n\n${line}\n\nIl la relut le soir.\n\n${line}\n`);
    writeFileSync(join(dir, 'autres.txt'), `Autres lettres\n\n${line}\n\nElle ne répondit pas.\n\n${line}\n`);
    const base = { targets: ['es'], glossaryFile: join(dir, 'glossary.yaml'), localesDir: join(dir, 'locales') };
    const first = new CountingEngine(apertium);
    await runJob({ ...base, files: [join(dir, 'lettres.txt')], engine: first, jobDir: join(dir, 'jobs', 'a') });
    const bundle = JSON.parse(readFileSync(join(dir, 'locales', 'es', 'lettres.json'), 'utf8')) as Record<string, string>;
    const source = JSON.parse(readFileSync(join(dir, 'locales', 'fr', 'lettres.json'), 'utf8')) as Record<string, string>;
    // Every source key has its translation (the second occurrence's id ends in -2).
    expect(Object.keys(bundle)).toEqual(Object.keys(source));
    expect(Object.keys(bundle).filter((k) => k.endsWith('-2'))).toHaveLength(1);
    const [firstKey, secondKey] = Object.keys(source).filter((k) => source[k] === line);
    expect(secondKey).toBe(`${firstKey}-2`);
    expect(bundle[firstKey!]).toBe(bundle[secondKey!]);
    expect(bundle[firstKey!]).not.toBe(line);
    // Published by `relais publish` too (it checks every id against the segments).
    expect(runCli(['publish', '--job', join(dir, 'jobs', 'a'), '--locales', join(dir, 'locales')], dir).code).toBe(0);

    const second = new CountingEngine(apertium);
    const b = await runJob({ ...base, files: [join(dir, 'autres.txt')], engine: second, jobDir: join(dir, 'jobs', 'b') });
    expect(b.languages[0]!.memoryHits).toBe(2);
    expect(b.languages[0]!.translatedNow).toBe(2); // the title and the new sentence
    const other = JSON.parse(readFileSync(join(dir, 'locales', 'es', 'autres.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(other).filter((v) => v === bundle[firstKey!])).toHaveLength(2);
  });
});
