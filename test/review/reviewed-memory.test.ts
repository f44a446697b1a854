/**
 * Reviewers' work as a translation memory (real Apertium, real SQLite files): a sentence approved or
 * rewritten in one article is offered on the same sentence in another article and in another job —
 * published, marked "needs review" there — and an offer undone is not made again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ProgressEvent } from '../../pipeline/artifacts.js';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { JobStore } from '../../pipeline/job/job-store.js';
import { loadReviewArticle } from '../../pipeline/review/build-review.js';
import { DecisionStore } from '../../pipeline/review/decision-store.js';
import { runJob } from '../../pipeline/run-job.js';
import { scratchProject } from '../helpers/cli.js';

const apertium = new ApertiumEngine();
afterAll(() => apertium.close());

const SHARED = 'Selon la chancellerie, l’entretien a duré deux heures.';
const REVIEWED = 'Según la Cancillería, la reunión duró dos horas.';

describe('the translation memory offers what reviewers approved or wrote', () => {
  test('in another article of the job and in another job; published as needs review; an undone offer is not made again', async () => {
    const dir = scratchProject('relais-reviewed-memory-');
    writeFileSync(join(dir, 'a.txt'), `Sommet à Berlin\n\nLe chancelier a reçu le président.\n\n${SHARED}\n`);
    writeFileSync(join(dir, 'b.txt'), `Visite à Paris\n\n${SHARED}\n\nLe ministre est reparti.\n`);
    const notices: string[] = [];
    const onProgress = (e: ProgressEvent) => { if (e.type === 'notice') notices.push(e.message); };
    const jobs = join(dir, '.relais', 'jobs');
    const run = (files: string[], job: string) => runJob({ files: files.map((f) => join(dir, f)), targets: ['es'], engine: apertium, jobDir: join(jobs, job), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'), onProgress });
    const bundle = (ns: string) => JSON.parse(readFileSync(join(dir, 'locales', 'es', `${ns}.json`), 'utf8')) as Record<string, string>;

    await run(['a.txt'], 'default');
    const job = new JobStore(join(jobs, 'default'));
    let store = new DecisionStore(job.dir);
    const shared = loadReviewArticle(job, store, 'a', 'es').segments[2]!;
    expect(shared.source).toBe(SHARED);
    expect(shared.target).not.toBe(REVIEWED);
    store.save([{ namespace: 'a', lang: 'es', segmentId: shared.id, state: 'edited', text: REVIEWED, source: SHARED, machine: shared.target, updatedAt: new Date().toISOString(), by: 'ana' }]);
    store.close();

    // Article b, in the same job: the sentence comes with Ana's text, to be looked at again.
    await run(['a.txt', 'b.txt'], 'default');
    expect(bundle('b')[shared.id]).toBe(REVIEWED);
    expect(notices).toContain("b: 1 es segment takes a reviewer's text from the translation memory (default/a): published, and marked needs review here");
    store = new DecisionStore(job.dir);
    const offered = loadReviewArticle(job, store, 'b', 'es').segments[1]!;
    expect(offered).toMatchObject({ state: 'needs-review', current: REVIEWED, reviewedText: REVIEWED });
    // Only the sentence the memory knows: the others are the machine's.
    expect(loadReviewArticle(job, store, 'b', 'es').segments.filter((s) => s.state !== 'machine')).toHaveLength(1);

    // Undone in b: the machine translation again, and the next run does not offer it again.
    store.undo('b', 'es', shared.id, 'ben');
    store.close();
    notices.length = 0;
    await run(['a.txt', 'b.txt'], 'default');
    expect(bundle('b')[shared.id]).toBe(shared.target);
    expect(notices.filter((n) => n.includes('translation memory'))).toEqual([]);

    // Another job beside it (the memory is the jobs folder's): offered there too.
    writeFileSync(join(dir, 'c.txt'), `Dépêche\n\n${SHARED}\n`);
    await run(['c.txt'], 'other');
    expect(bundle('c')[shared.id]).toBe(REVIEWED);
    expect(notices.some((n) => n.startsWith("c: 1 es segment takes a reviewer's text from the translation memory (default/a)"))).toBe(true);
  }, 120_000);

  test('--no-tm: nothing is offered', async () => {
    const dir = scratchProject('relais-reviewed-memory-off-');
    writeFileSync(join(dir, 'a.txt'), `Titre\n\n${SHARED}\n`);
    writeFileSync(join(dir, 'b.txt'), `Autre titre\n\n${SHARED}\n`);
    const o = { targets: ['es'], engine: apertium, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'), memoryFile: false as const };
    await runJob({ ...o, files: [join(dir, 'a.txt')] });
    const job = new JobStore(join(dir, 'job'));
    const store = new DecisionStore(job.dir);
    const seg = loadReviewArticle(job, store, 'a', 'es').segments[1]!;
    store.save([{ namespace: 'a', lang: 'es', segmentId: seg.id, state: 'approved', text: REVIEWED, source: SHARED, machine: seg.target, updatedAt: new Date().toISOString(), by: 'ana' }]);
    store.close();
    await runJob({ ...o, files: [join(dir, 'a.txt'), join(dir, 'b.txt')] });
    expect((JSON.parse(readFileSync(join(dir, 'locales', 'es', 'b.json'), 'utf8')) as Record<string, string>)[seg.id]).toBe(seg.target);
  }, 120_000);
});
