/**
 * The alignment writer's thread, as `relais run` uses it: the compiled module (dist/, built by the
 * test setup), since a worker thread runs JavaScript. Same bytes as the inline path, and a failure
 * comes back as the RelaisError the inline path throws.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ROOT, scratchProject } from '../helpers/cli.js';
import { readGlossary } from '../../pipeline/glossary/parse.js';
import type { TranslatedArticle } from '../../pipeline/artifacts.js';

const compiled = join(ROOT, 'dist/pipeline/stages/align/align-writer.js');
type WriterModule = typeof import('../../pipeline/stages/align/align-writer.js');
const { AlignmentWriter, alignmentJob } = (await import(compiled)) as WriterModule;
const glossary = readGlossary(join(ROOT, 'glossary.yaml'));

/** Sentences with glossary names, markup characters and a flag: every escaping path of both files. */
function sampleTranslatedArticle(): TranslatedArticle {
  const rows: Array<[string, string]> = [
    ['Antony Blinken arrive à Moscou.', 'Antony Blinken arrives in Moscow.'],
    ['« L’OTAN & l’Ukraine » <b>', '"NATO & Ukraine" <b>'],
    ['Le Kremlin répond.', 'The Kremlin answers.'],
  ];
  return {
    kind: 'translate', version: 1, namespace: 'dépêche', sourceLang: 'fr', targetLang: 'en', engine: { id: 'apertium', version: 'test' },
    segments: rows.map(([source, target], i) => ({
      id: `s${i}`, source, machine: target, target, unknownWords: [], cacheKey: `k${i}`,
      termsApplied: i === 0 ? [{ termId: 'blinken', form: 'Antony Blinken', strategy: 'placeholder' }] : [],
      flags: i === 1 ? [{ code: 'UNKNOWN_WORD', message: 'the engine did not know "b"' }] : [],
    })) as TranslatedArticle['segments'],
  };
}

describe('AlignmentWriter', () => {
  test('on its thread: the same TMX and review page as written inline, for several jobs at once', async () => {
    const dir = scratchProject('relais-align-writer-');
    const article = sampleTranslatedArticle();
    const threaded = new AlignmentWriter();
    const inline = new AlignmentWriter({ threaded: false });
    expect(threaded.threaded).toBe(true);
    expect(inline.threaded).toBe(false);
    const job = (where: string, k: number) => ({ ...alignmentJob({ tmxPath: join(dir, where, `${k}.tmx`), htmlPath: join(dir, where, `${k}.html`) }, article, glossary, 'Titre'), creationDate: '20261129T000000Z' });
    const writes = [0, 1, 2].map((k) => threaded.write(job('thread', k)));
    await Promise.all([0, 1, 2].map((k) => inline.write(job('inline', k))));
    // Closed twice at once while jobs are still on the thread: both wait for them.
    await Promise.all([threaded.close(), threaded.close()]);
    await Promise.all(writes);
    for (const k of [0, 1, 2]) {
      for (const ext of ['tmx', 'html']) {
        const a = readFileSync(join(dir, 'thread', `${k}.${ext}`), 'utf8');
        expect(a.length).toBeGreaterThan(500);
        expect(a).toBe(readFileSync(join(dir, 'inline', `${k}.${ext}`), 'utf8'));
      }
    }
    await expect(threaded.write(job('late', 0))).rejects.toThrow(/closed/);
  });

  test('a file that cannot be written: WRITE_FAILED naming it, from the thread as inline; the others are still written', async () => {
    const dir = scratchProject('relais-align-writer-');
    writeFileSync(join(dir, 'blocked'), 'a file where a folder should be');
    mkdirSync(join(dir, 'ok'));
    const article = sampleTranslatedArticle();
    for (const writer of [new AlignmentWriter(), new AlignmentWriter({ threaded: false })]) {
      const bad = writer.write(alignmentJob({ tmxPath: join(dir, 'blocked', 'x.tmx'), htmlPath: join(dir, 'blocked', 'x.html') }, article, glossary, 'T'));
      const good = writer.write(alignmentJob({ tmxPath: join(dir, 'ok', `${writer.threaded}.tmx`), htmlPath: join(dir, 'ok', `${writer.threaded}.html`) }, article, glossary, 'T'));
      const err = await bad.then(() => undefined, (e: unknown) => e as { name: string; code: string; message: string });
      expect(err, `threaded: ${writer.threaded}`).toMatchObject({ name: 'RelaisError', code: 'WRITE_FAILED' });
      expect(err!.message).toContain(join(dir, 'blocked'));
      await good;
      expect(readFileSync(join(dir, 'ok', `${writer.threaded}.tmx`), 'utf8')).toContain('<tmx version="1.4">');
      await writer.close();
    }
  });
});
