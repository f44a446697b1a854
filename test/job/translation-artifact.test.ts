/**
 * `translate/<lang>.json` refers to the journal's segments by cache key instead of copying them (a 1 MB
 * article's English was 8 MB rewritten on every run): what is read back is the whole translation,
 * repeated sentences under their own ids; a job written by an earlier relais still reads; a journal
 * deleted to translate a language again makes the translation unfinished, not wrong.
 */
import { readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { SegmentedArticle, TranslatedArticle } from '../../pipeline/artifacts.js';
import { PseudoEngine } from '../../pipeline/engines/pseudo.js';
import { JobStore } from '../../pipeline/job/job-store.js';
import { publishJob, readTranslation, runJob } from '../../pipeline/run-job.js';
import { catchError } from '../helpers/catch-error.js';
import { scratchProject } from '../helpers/cli.js';

const CORPUS = readFileSync(join(import.meta.dirname, '../fixtures/corpus/wikinews-400.txt'), 'utf8').split(/\n\s*\n/).filter((l) => l.trim() !== '');

describe('translate/<lang>.json', () => {
  test('holds ids and cache keys; reads back as the whole translation, repeated sentences under their own ids', async () => {
    const dir = scratchProject('relais-translation-');
    const file = join(dir, 'repeat.txt');
    // The same paragraph twice: its sentences share a cache key and get ids -2.
    writeFileSync(file, `Un titre\n\n${CORPUS.slice(0, 8).join('\n\n')}\n\n${CORPUS[3]}\n`);
    const o = { files: [file], targets: ['es', 'ca'], engine: new PseudoEngine(), jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') };
    await runJob(o);
    const store = new JobStore(join(dir, 'job'));
    const segmented = store.readArtifact<SegmentedArticle>('repeat', 'segment.json')!;

    for (const lang of ['es', 'ca']) {
      const stored = JSON.parse(readFileSync(store.artifactPath('repeat', `translate/${lang}.json`), 'utf8')) as { value: Record<string, unknown> };
      expect(stored.value).toMatchObject({ kind: 'translate', version: 2, namespace: 'repeat', targetLang: lang, ids: segmented.segments.map((s) => s.id) });
      expect(stored.value.segments).toBeUndefined();
      expect(statSync(store.artifactPath('repeat', `translate/${lang}.json`)).size).toBeLessThan(statSync(store.journalPath('repeat', lang)).size / 2);

      const t = readTranslation(store, 'repeat', lang)!;
      expect(t.version).toBe(1);
      expect(t.segments.map((s) => s.id)).toEqual(segmented.segments.map((s) => s.id));
      expect(t.segments.map((s) => s.source)).toEqual(segmented.segments.map((s) => s.text));
      // What was published is what is read back.
      const bundle = JSON.parse(readFileSync(join(dir, 'locales', lang, 'repeat.json'), 'utf8')) as Record<string, string>;
      expect(Object.fromEntries(t.segments.map((s) => [s.id, s.target]))).toEqual(bundle);
      const repeated = t.segments.filter((s) => s.id.endsWith('-2'));
      expect(repeated.length).toBeGreaterThan(0);
      for (const r of repeated) expect(r.target).toBe(t.segments.find((s) => s.id === r.id.replace(/-2$/, ''))!.target);
    }
  });

  test('a job written by an earlier relais (segments copied in the artifact) still reads; a deleted journal makes the language unfinished, and the next run redoes it', async () => {
    const dir = scratchProject('relais-translation-');
    const file = join(dir, 'article.txt');
    writeFileSync(file, `Un titre\n\n${CORPUS.slice(10, 16).join('\n\n')}\n`);
    const o = { files: [file], targets: ['es'], engine: new PseudoEngine(), jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') };
    await runJob(o);
    const store = new JobStore(join(dir, 'job'));
    const t = readTranslation(store, 'article', 'es')!;
    const bundle = readFileSync(join(dir, 'locales', 'es', 'article.json'), 'utf8');

    // Version 1: the whole article in the artifact, read as it is (even without its journal).
    const path = store.artifactPath('article', 'translate/es.json');
    const v2 = readFileSync(path);
    const inputHash = (JSON.parse(v2.toString('utf8')) as { inputHash: string }).inputHash;
    writeFileSync(path, `${JSON.stringify({ inputHash, value: { ...t, version: 1 } satisfies TranslatedArticle })}\n`);
    rmSync(store.journalPath('article', 'es'));
    expect(readTranslation(store, 'article', 'es')).toEqual(t);

    // Version 2 without its journal: unfinished, and `publish` says to run again.
    writeFileSync(path, v2);
    expect(readTranslation(store, 'article', 'es')).toBeUndefined();
    const err = catchError(() => publishJob({ jobDir: join(dir, 'job'), localesDir: join(dir, 'locales') }));
    expect(err).toMatchObject({ code: 'JOB_INCOMPLETE' });
    expect((err as Error).message).toContain('article "article" has not finished the translate (es) stage');
    const summary = await runJob({ ...o, engine: new PseudoEngine() });
    const segmented = store.readArtifact<SegmentedArticle>('article', 'segment.json')!;
    // Taken from the translation memory beside the job, not from the engine again.
    expect(summary.languages[0]).toMatchObject({ translatedNow: 0, memoryHits: segmented.segments.filter((s) => s.translatable).length });
    expect(readTranslation(store, 'article', 'es')).toEqual(t);
    expect(readFileSync(join(dir, 'locales', 'es', 'article.json'), 'utf8')).toBe(bundle);
  });
});
