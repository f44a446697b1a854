/**
 * A re-run rebuilds only the changed segments' TMX units and review-page rows and copies the rest out of
 * the last files (align-fragments.ts). Whatever was kept, the files are byte for byte what a build
 * from nothing makes; and nothing is kept from files or an index that cannot be trusted.
 */
import { cpSync, existsSync, readFileSync, readdirSync, utimesSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import type { TranslatedArticle, TranslatedSegment } from '../../pipeline/artifacts.js';
import { alignmentContext, buildAlignment, CHECK_EVERY, fragmentsPathOf, readKeptAlignment } from '../../pipeline/stages/align/align-fragments.js';
import { RELAIS_VERSION } from '../../pipeline/paths.js';
import { writeAlignmentFiles, type AlignmentJob } from '../../pipeline/stages/align/align-writer.js';
import { readGlossary } from '../../pipeline/glossary/parse.js';
import { ROOT, runCli, scratchProject, SEED } from '../helpers/cli.js';

const glossary = readGlossary(join(ROOT, 'glossary.yaml'));

/** Enough segments for several checked pieces, with glossary names, markup, non-ASCII text and flags. */
function article(n = 3 * CHECK_EVERY + 10): TranslatedArticle {
  const segments: TranslatedSegment[] = [];
  for (let i = 0; i < n; i++) {
    const source = i % 7 === 0 ? `Antony Blinken arrive à Moscou (${i}).` : i % 5 === 0 ? `« L’OTAN & l’Ukraine » <b> n° ${i}` : `Phrase numéro ${i}, déjà traduite.`;
    const target = i % 7 === 0 ? `Antony Blinken arrives in Moscow (${i}).` : i % 5 === 0 ? `"NATO & Ukraine" <b> no. ${i}` : `Sentence number ${i}, already translated.`;
    segments.push({
      id: `s${i}`, source, machine: target, target, unknownWords: [], cacheKey: `key-${source}`,
      termsApplied: i % 7 === 0 ? [{ termId: 'blinken', form: 'Antony Blinken', strategy: 'placeholder' }] : [],
      flags: i % 5 === 0 ? [{ code: 'UNKNOWN_WORD', message: `the engine did not know "b" (${i})` }] : [],
    });
  }
  return { kind: 'translate', version: 1, namespace: 'dépêche', sourceLang: 'fr', targetLang: 'en', engine: { id: 'apertium', version: 'test' }, segments };
}

function job(dir: string, a: TranslatedArticle): AlignmentJob {
  return { tmxPath: join(dir, 'en.tmx'), htmlPath: join(dir, 'en.html'), article: a, glossary, title: 'Dépêche', creationDate: '20261129T000000Z' };
}

/** The files written from nothing (a fresh folder) for `a`. */
function fresh(a: TranslatedArticle): { tmx: string; html: string } {
  const dir = scratchProject('relais-fragments-fresh-');
  expect(writeAlignmentFiles(job(dir, a)).reused).toBe(0);
  return { tmx: readFileSync(join(dir, 'en.tmx'), 'utf8'), html: readFileSync(join(dir, 'en.html'), 'utf8') };
}

function written(dir: string): { tmx: string; html: string } {
  return { tmx: readFileSync(join(dir, 'en.tmx'), 'utf8'), html: readFileSync(join(dir, 'en.html'), 'utf8') };
}

/** An update of the article: one target changed, one sentence inserted, one removed (rows renumbered after them). */
function updated(a: TranslatedArticle): TranslatedArticle {
  const segments = a.segments.map((s) => ({ ...s }));
  segments[3]!.target = 'A sentence the engine now translates differently.';
  segments.splice(10, 0, { ...segments[11]!, id: 'new', source: 'Une phrase nouvelle & <i>.', target: 'A new sentence & <i>.', cacheKey: 'key-new', flags: [] });
  segments.splice(40, 1);
  return { ...a, segments };
}

describe('alignment files from the last run’s pieces', () => {
  test('a re-run keeps every unchanged segment’s pieces and writes exactly what a build from nothing writes', () => {
    const dir = scratchProject('relais-fragments-');
    const first = article();
    writeAlignmentFiles(job(dir, first));
    expect(written(dir)).toEqual(fresh(first));

    const next = updated(first);
    const { reused } = writeAlignmentFiles(job(dir, next));
    // All but the changed target and the inserted sentence (the removed one is simply not there).
    expect(reused).toBe(next.segments.length - 2);
    expect(written(dir)).toEqual(fresh(next));
    expect(written(dir).html).toContain('<td class="n">11</td>'); // the new row's number
    // And once more with nothing changed: everything kept, same bytes.
    expect(writeAlignmentFiles(job(dir, next)).reused).toBe(next.segments.length);
    expect(written(dir)).toEqual(fresh(next));
  });

  test('kept pieces that follow each other in the last files are copied as one view: a handful of chunks, not ~5 per segment', () => {
    const dir = scratchProject('relais-fragments-');
    const first = article();
    writeAlignmentFiles(job(dir, first));
    const next = updated(first);
    writeAlignmentFiles(job(dir, next));
    const j = job(dir, next);
    const kept = readKeptAlignment(alignmentContext(next, glossary, RELAIS_VERSION), j.tmxPath, j.htmlPath)!;
    expect(kept).toBeDefined();
    const same = buildAlignment(next, glossary, j.title, { toolVersion: RELAIS_VERSION, creationDate: j.creationDate }, kept);
    expect(same.reused).toBe(next.segments.length);
    // Header, one view of every unit or row, tail.
    expect(same.tmx).toHaveLength(3);
    expect(same.html).toHaveLength(3);
    // One row inserted at the top: every kept row's number moves, so each row is two views around its new number.
    const moved = { ...next, segments: [{ ...next.segments[0]!, id: 'top', cacheKey: 'key-top', target: 'On top.' }, ...next.segments] };
    const shifted = buildAlignment(moved, glossary, j.title, { toolVersion: RELAIS_VERSION, creationDate: j.creationDate }, kept);
    expect(shifted.reused).toBe(next.segments.length);
    expect(shifted.tmx.length).toBeLessThan(10);
    expect(shifted.html.length).toBeLessThan(3 * moved.segments.length);
    expect(Buffer.concat(shifted.html).toString('utf8')).toBe(fresh(moved).html);
    expect(Buffer.concat(shifted.tmx).toString('utf8')).toBe(fresh(moved).tmx);
  });

  test('same id and cache key but another translation (a journal deleted and translated again): rebuilt, not kept', () => {
    const dir = scratchProject('relais-fragments-');
    const first = article();
    writeAlignmentFiles(job(dir, first));
    const next = { ...first, segments: first.segments.map((s, i) => (i === 20 ? { ...s, target: 'Retranslated.', flags: [{ code: 'UNKNOWN_WORD' as const, message: 'new flag' }] } : s)) };
    expect(writeAlignmentFiles(job(dir, next)).reused).toBe(first.segments.length - 1);
    expect(written(dir)).toEqual(fresh(next));
    expect(written(dir).tmx).toContain('<seg>Retranslated.</seg>');
  });

  test('files changed since the index was written (touched, copied without their times): nothing kept; a copy with its times: kept', () => {
    const first = article();
    const next = updated(first);
    const touched = scratchProject('relais-fragments-');
    writeAlignmentFiles(job(touched, first));
    utimesSync(join(touched, 'en.html'), new Date(), new Date(Date.now() + 5_000));
    expect(writeAlignmentFiles(job(touched, next)).reused).toBe(0);
    expect(written(touched)).toEqual(fresh(next));

    const original = scratchProject('relais-fragments-');
    writeAlignmentFiles(job(original, first));
    const copy = scratchProject('relais-fragments-');
    cpSync(original, copy, { recursive: true }); // new modification times
    expect(writeAlignmentFiles(job(copy, next)).reused).toBe(0);
    expect(written(copy)).toEqual(fresh(next));
    // A copy that keeps the times (cp -p, cpSync's preserveTimestamps) is the same files: kept.
    const kept = scratchProject('relais-fragments-');
    cpSync(original, kept, { recursive: true, preserveTimestamps: true });
    expect(writeAlignmentFiles(job(kept, next)).reused).toBe(next.segments.length - 2);
    expect(written(kept)).toEqual(fresh(next));
  });

  test('an index of another glossary, article or format, a damaged index, or pieces that no longer match how relais writes them: rebuilt from nothing', () => {
    const first = article();
    const next = updated(first);
    const cases: Array<[string, (dir: string) => void, (a: TranslatedArticle) => TranslatedArticle, typeof glossary]> = [
      ['another glossary', () => {}, (a) => a, { ...glossary, hash: 'another' }],
      ['another namespace', () => {}, (a) => ({ ...a, namespace: 'autre' }), glossary],
      ['a damaged index', (dir) => writeFileSync(fragmentsPathOf(join(dir, 'en.tmx')), '{"format":'), (a) => a, glossary],
      ['an index of another format', (dir) => {
        const path = fragmentsPathOf(join(dir, 'en.tmx'));
        writeFileSync(path, readFileSync(path, 'utf8').replace('relais-align-fragments-1', 'relais-align-fragments-0'));
      }, (a) => a, glossary],
      // Two segments' places swapped in the index (as if relais now wrote their pieces differently):
      // the first kept piece is rebuilt and compared, differs, and nothing is kept.
      ['pieces that differ from a rebuild', (dir) => {
        const path = fragmentsPathOf(join(dir, 'en.tmx'));
        const index = JSON.parse(readFileSync(path, 'utf8')) as { units: Array<[string, ...number[]]> };
        const [a, b] = [index.units[0]!, index.units[1]!];
        index.units[0] = [a[0], ...b.slice(1)] as [string, ...number[]];
        index.units[1] = [b[0], ...a.slice(1)] as [string, ...number[]];
        writeFileSync(path, JSON.stringify(index));
      }, (a) => a, glossary],
    ];
    for (const [name, spoil, change, g] of cases) {
      const dir = scratchProject('relais-fragments-');
      writeAlignmentFiles(job(dir, first));
      spoil(dir);
      const a = change(next);
      const built = writeAlignmentFiles({ ...job(dir, a), glossary: g });
      expect(built.reused, name).toBe(0);
      const ref = scratchProject('relais-fragments-fresh-');
      writeAlignmentFiles({ ...job(ref, a), glossary: g });
      expect(written(dir), name).toEqual(written(ref));
    }
  });
});

describe('relais run: a re-run after an article changed', () => {
  test('writes the same TMX and review pages (real Apertium, the alignment thread) as a job that never saw the old article', () => {
    const dir = scratchProject('relais-fragments-run-');
    const seed = readFileSync(SEED, 'utf8');
    const paragraphs = seed.split('\n\n');
    // The second paragraph rewritten, and a new one after the fourth.
    const changed = [paragraphs[0], 'Une phrase toute nouvelle sur Antony Blinken & l’OTAN.', ...paragraphs.slice(2, 4), 'Un paragraphe ajouté.', ...paragraphs.slice(4)].join('\n\n');
    const run = (job: string) => {
      const r = runCli(['run', 'article.txt', '--to', 'en,ca', '--job', job, '--no-tm'], dir);
      expect(r.code, r.stderr).toBe(0);
      return r.stderr.split('\n').find((l) => l.startsWith('relais: align article done'));
    };
    writeFileSync(join(dir, 'article.txt'), seed);
    expect(run('job')).not.toMatch(/kept/);
    const indexBefore = readFileSync(join(dir, 'job/articles/article/align/en.fragments.json'), 'utf8');
    writeFileSync(join(dir, 'article.txt'), changed);
    const ids = () => (JSON.parse(readFileSync(join(dir, 'job/articles/article/segment.json'), 'utf8')) as { value: { segments: Array<{ id: string }> } }).value.segments.map((x) => x.id);
    const before = new Set(ids());
    const line = run('job');
    // Every row but the new sentences' (in both languages) comes from the last run's files.
    const now = ids();
    const added = now.filter((id) => !before.has(id)).length;
    expect(added).toBeGreaterThanOrEqual(2);
    expect(line).toContain(`(${2 * (now.length - added)} of ${2 * now.length} rows kept from the last run)`);
    expect(run('fresh')).not.toMatch(/kept/);
    const align = (job: string) => join(dir, job, 'articles/article/align');
    expect(readdirSync(align('job')).sort()).toEqual(['ca.fragments.json', 'ca.html', 'ca.tmx', 'en.fragments.json', 'en.html', 'en.tmx']);
    for (const f of ['en.tmx', 'en.html', 'ca.tmx', 'ca.html']) {
      const read = (job: string) => readFileSync(join(align(job), f), 'utf8').replace(/creationdate="[^"]*"/, '');
      expect(read('job'), f).toBe(read('fresh'));
    }
    expect(readFileSync(join(align('job'), 'en.fragments.json'), 'utf8')).not.toBe(indexBefore);
    expect(readFileSync(join(align('job'), 'en.html'), 'utf8')).toContain('Antony Blinken');
    expect(existsSync(join(dir, 'locales/en/article.json'))).toBe(true);
  });
});
