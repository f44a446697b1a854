/**
 * Reviewer decisions survive re-runs and article updates; publishing uses them; --approved-only leaves
 * the rest to i18next's fallback; locales/manifest.json records every key's state. Real Apertium, real
 * SQLite file.
 */
import { readFileSync, renameSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import i18next from 'i18next';
import { afterAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { i18nextReadOptions } from '../../pipeline/i18next-options.js';
import { sha256 } from '../../pipeline/job/hash.js';
import { JobStore } from '../../pipeline/job/job-store.js';
import { loadReviewArticle, replacedPairs, wordOverlap } from '../../pipeline/review/build-review.js';
import type { ReviewSegment as ReviewRow } from '../../pipeline/review/review-model.js';
import { DecisionStore } from '../../pipeline/review/decision-store.js';
import type { LocalesManifest } from '../../pipeline/review/publish-reviewed.js';
import { publishJob, runJob } from '../../pipeline/run-job.js';
import { CountingEngine } from '../helpers/counting-engine.js';
import { runCli, scratchProject, SEED } from '../helpers/cli.js';

const apertium = new ApertiumEngine();
afterAll(() => apertium.close());

const NS = 'article';

describe('decisions across runs', () => {
  test('survive a re-run; a changed source sentence becomes "needs review" with its diff; only it is re-translated', async () => {
    const dir = scratchProject('relais-decisions-');
    const file = join(dir, 'article.txt');
    writeFileSync(file, readFileSync(SEED));
    const opts = { files: [file], targets: ['es'], jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') };
    await runJob({ ...opts, engine: apertium });

    const job = new JobStore(join(dir, 'job'));
    let store = new DecisionStore(job.dir);
    const first = loadReviewArticle(job, store, NS, 'es');
    const [s1, s2, s3] = [first.segments[1]!, first.segments[2]!, first.segments[3]!];
    const now = new Date().toISOString();
    store.save([
      { namespace: NS, lang: 'es', segmentId: s1.id, state: 'approved', text: s1.target, source: s1.source, machine: s1.target, updatedAt: now, by: 'ana' },
      { namespace: NS, lang: 'es', segmentId: s2.id, state: 'edited', text: 'Texto de Ana.', source: s2.source, machine: s2.target, updatedAt: now, by: 'ana' },
      { namespace: NS, lang: 'es', segmentId: s3.id, state: 'approved', text: 'Aprobado por Ana.', source: s3.source, machine: s3.target, updatedAt: now, by: 'ana' },
    ]);
    store.close();

    // An unchanged re-run overwrites nothing and publishes the reviewed text.
    await runJob({ ...opts, engine: apertium });
    let bundle = JSON.parse(readFileSync(join(dir, 'locales', 'es', `${NS}.json`), 'utf8')) as Record<string, string>;
    expect(bundle[s2.id]).toBe('Texto de Ana.');
    expect(bundle[s3.id]).toBe('Aprobado por Ana.');

    // The news article is updated: s1's sentence is rewritten.
    const changedSource = s1.source.replace('Antony Blinken', 'Antony Blinken, en visite à Berlin,');
    expect(changedSource).not.toBe(s1.source);
    writeFileSync(file, readFileSync(SEED, 'utf8').replace(s1.source, changedSource));
    const counting = new CountingEngine(apertium);
    const summary = await runJob({ ...opts, engine: counting });
    expect(summary.languages[0]!.translatedNow).toBe(1);
    expect(counting.calls.filter((c) => !c.ids[0]!.startsWith('probe')).flatMap((c) => c.ids)).toHaveLength(1);

    store = new DecisionStore(job.dir);
    const after = loadReviewArticle(job, store, NS, 'es');
    const changed = after.segments[1]!;
    expect(changed.source).toBe(changedSource);
    expect(changed.state).toBe('needs-review');
    expect(changed.previousSource).toBe(s1.source);
    expect(changed.reviewedText).toBe(s1.target);
    // Unchanged sentences keep their decisions.
    expect(after.segments[2]!).toMatchObject({ id: s2.id, state: 'edited', current: 'Texto de Ana.' });
    expect(after.segments[3]!).toMatchObject({ id: s3.id, state: 'approved', current: 'Aprobado por Ana.' });
    // The decision on the old sentence is still in the history.
    expect(store.history(NS, 'es', s1.id).map((h) => h.state)).toEqual(['approved']);
    store.close();

    // Publishing: best text by default; approved only with --approved-only, the rest falls back to fr.
    bundle = JSON.parse(readFileSync(join(dir, 'locales', 'es', `${NS}.json`), 'utf8')) as Record<string, string>;
    expect(Object.keys(bundle)).toHaveLength(after.segments.length);
    expect(bundle[changed.id]).toBe(changed.target);
    publishJob({ jobDir: job.dir, localesDir: opts.localesDir, approvedOnly: true });
    const esFile = readFileSync(join(dir, 'locales', 'es', `${NS}.json`), 'utf8');
    bundle = JSON.parse(esFile) as Record<string, string>;
    expect(bundle).toEqual({ [s3.id]: 'Aprobado por Ana.' });
    const fr = JSON.parse(readFileSync(join(dir, 'locales', 'fr', `${NS}.json`), 'utf8')) as Record<string, string>;
    const i18n = i18next.createInstance();
    await i18n.init({ ...i18nextReadOptions, lng: 'es', ns: [NS], defaultNS: NS, resources: { fr: { [NS]: fr }, es: { [NS]: bundle } } });
    expect(i18n.t(s3.id)).toBe('Aprobado por Ana.');
    expect(i18n.t(s2.id)).toBe(fr[s2.id]);

    const manifest = JSON.parse(readFileSync(join(dir, 'locales', 'manifest.json'), 'utf8')) as LocalesManifest;
    expect(manifest.approvedOnly).toBe(true);
    expect(manifest.languages).toEqual(['fr', 'es']);
    const entry = manifest.bundles.es![NS]!;
    expect(entry.sha256).toBe(sha256(esFile));
    expect(entry.keys).toBe(1);
    expect(entry.counts).toEqual({ machine: after.segments.length - 3, edited: 1, approved: 1, 'needs-review': 1 });
    expect(entry.states[changed.id]).toBe('needs-review');
    expect(manifest.bundles.fr![NS]!.counts).toEqual({ source: after.segments.length });
  });

  test('a rejected sentence is never published; a decision stands while the French changes only where the engine does not', async () => {
    const dir = scratchProject('relais-decisions-stand-');
    const file = join(dir, 'incendie.txt');
    const text = (a: string, n: string) => `Incendie\n\nLes dégâts sont estimés à plusieurs millions d${a}euros.\n\nSelon lui, le feu serait d${a}origine accidentelle.\n\nLes pompiers sont intervenus vers ${n} heures du matin.\n`;
    writeFileSync(file, text("'", 'deux'));
    const opts = { files: [file], targets: ['es'], jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') };
    await runJob({ ...opts, engine: apertium });
    const job = new JobStore(join(dir, 'job'));
    let store = new DecisionStore(job.dir);
    const [, damage, cause, firemen] = loadReviewArticle(job, store, 'incendie', 'es').segments as [unknown, ReviewRow, ReviewRow, ReviewRow];
    const now = new Date().toISOString();
    const decide = (s: ReviewRow, state: 'edited' | 'rejected', t: string) => ({ namespace: 'incendie', lang: 'es', segmentId: s.id, state, text: t, source: s.source, machine: s.target, updatedAt: now, by: 'ana' });
    store.save([decide(damage, 'edited', 'Los daños se estiman en varios millones de euros.'), decide(cause, 'rejected', cause.target), decide(firemen, 'edited', 'Los bomberos intervinieron hacia las dos de la madrugada.')]);
    store.close();
    const bundle = () => JSON.parse(readFileSync(join(dir, 'locales', 'es', 'incendie.json'), 'utf8')) as Record<string, string>;

    // Rejected: left out of the bundle, so i18next shows the French; the manifest says why.
    publishJob({ jobDir: job.dir, localesDir: opts.localesDir });
    expect(bundle()).not.toHaveProperty(cause.id);
    expect(bundle()[damage.id]).toBe('Los daños se estiman en varios millones de euros.');
    const manifest = JSON.parse(readFileSync(join(dir, 'locales', 'manifest.json'), 'utf8')) as LocalesManifest;
    expect(manifest.bundles.es!.incendie!.states[cause.id]).toBe('rejected');

    // The article is updated: typographic apostrophes in two sentences, "deux" → "trois" in the third.
    writeFileSync(file, text('’', 'trois'));
    await runJob({ ...opts, engine: apertium });
    store = new DecisionStore(job.dir);
    const [, damage2, cause2, firemen2] = loadReviewArticle(job, store, 'incendie', 'es').segments as [unknown, ReviewRow, ReviewRow, ReviewRow];
    store.close();
    for (const s of [damage2, cause2, firemen2]) expect(s.state).toBe('needs-review');
    // The engine wrote the same Spanish for the first two: the edit still stands, the rejection too.
    expect(damage2.target, 'apertium fr-es gives the same text for both apostrophes').toBe(damage.target);
    expect(cause2.target).toBe(cause.target);
    expect(bundle()[damage2.id]).toBe('Los daños se estiman en varios millones de euros.');
    expect(bundle()).not.toHaveProperty(cause2.id);
    expect(cause2).toMatchObject({ reviewedState: 'rejected', reviewedText: cause.target, unpublished: true });
    // The third changed in Spanish too: its new machine translation is published until it is reviewed again.
    expect(firemen2.target).not.toBe(firemen.target);
    expect(bundle()[firemen2.id]).toBe(firemen2.target);
    expect(firemen2.reviewedText).toBe('Los bomberos intervinieron hacia las dos de la madrugada.');
  });

  test('a glossary form fixed under an approved sentence sends it back to review, says so, and publishes the fixed name', async () => {
    const dir = scratchProject('relais-glossary-fix-');
    const file = join(dir, 'berlin.txt');
    writeFileSync(file, 'Sommet à Berlin\n\nOlaf Scholz a reçu le ministre.\n\nLa réunion a duré deux heures.\n');
    const glossary = join(dir, 'glossary.yaml');
    const base = readFileSync(glossary, 'utf8').trimEnd();
    writeFileSync(glossary, `${base}\n  - fr: Olaf Scholz\n    kind: person\n    es: Olaf Scholtz\n`);
    const warnings: string[] = [];
    const opts = { files: [file], targets: ['es'], jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: glossary, engine: apertium, onProgress: (e: { type: string; message?: string }) => { if (e.type === 'warning') warnings.push(e.message!); } };
    await runJob(opts);
    const job = new JobStore(join(dir, 'job'));
    let store = new DecisionStore(job.dir);
    const [, named, other] = loadReviewArticle(job, store, 'berlin', 'es').segments as [ReviewRow, ReviewRow, ReviewRow];
    expect(named.target).toContain('Olaf Scholtz');
    const now = new Date().toISOString();
    store.save([
      { namespace: 'berlin', lang: 'es', segmentId: named.id, state: 'approved', text: named.target, source: named.source, machine: named.target, updatedAt: now, by: 'ana' },
      { namespace: 'berlin', lang: 'es', segmentId: other.id, state: 'edited', text: 'La reunión duró dos horas.', source: other.source, machine: other.target, updatedAt: now, by: 'ana' },
    ]);
    store.close();

    // The typo is fixed in the glossary.
    writeFileSync(glossary, `${base}\n  - fr: Olaf Scholz\n    kind: person\n    es: Olaf Scholz\n`);
    await runJob(opts);
    expect(warnings).toContain('1 reviewed es segment did not write "Olaf Scholz" as the glossary now does: it needs review again (the new machine translation is published until then)');
    store = new DecisionStore(job.dir);
    const [, named2, other2] = loadReviewArticle(job, store, 'berlin', 'es').segments as [ReviewRow, ReviewRow, ReviewRow];
    store.close();
    expect(named2).toMatchObject({ state: 'needs-review', reviewedText: named.target });
    expect(named2.current).toContain('Olaf Scholz ');
    // The other sentence holds no such name: its edit stands.
    expect(other2).toMatchObject({ state: 'edited', current: 'La reunión duró dos horas.' });
    const bundle = JSON.parse(readFileSync(join(dir, 'locales', 'es', 'berlin.json'), 'utf8')) as Record<string, string>;
    expect(bundle[named2.id]).toContain('Olaf Scholz ');
    expect(bundle[other2.id]).toBe('La reunión duró dos horas.');
  });

  test('an article file renamed: its decisions follow it, and the run says so and what stays published', async () => {
    const dir = scratchProject('relais-renamed-');
    writeFileSync(join(dir, 'sommet.txt'), readFileSync(SEED));
    const warnings: string[] = [];
    const opts = { targets: ['es'], engine: apertium, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'), onProgress: (e: { type: string; message?: string }) => { if (e.type === 'warning') warnings.push(e.message!); } };
    await runJob({ ...opts, files: [join(dir, 'sommet.txt')] });
    const job = new JobStore(join(dir, 'job'));
    let store = new DecisionStore(job.dir);
    const s2 = loadReviewArticle(job, store, 'sommet', 'es').segments[2]!;
    store.save([{ namespace: 'sommet', lang: 'es', segmentId: s2.id, state: 'edited', text: 'Texto de Ana.', source: s2.source, machine: s2.target, updatedAt: new Date().toISOString(), by: 'ana' }]);
    store.close();

    renameSync(join(dir, 'sommet.txt'), join(dir, 'blinken-moscou.txt'));
    await runJob({ ...opts, files: [join(dir, 'blinken-moscou.txt')] });
    expect(warnings.some((w) => /^taken for "sommet" renamed \(15 of its 15 sentences\): 1 review decision carried over\. "sommet"'s bundles are still published; to take them down: relais publish --remove sommet( --locales \S+locales)?$/.test(w)), warnings.join('\n')).toBe(true);
    store = new DecisionStore(job.dir);
    expect(loadReviewArticle(job, store, 'blinken-moscou', 'es').segments[2]).toMatchObject({ state: 'edited', current: 'Texto de Ana.' });
    store.close();
    expect((JSON.parse(readFileSync(join(dir, 'locales', 'es', 'blinken-moscou.json'), 'utf8')) as Record<string, string>)[s2.id]).toBe('Texto de Ana.');
  });

  test('relais publish --approved-only through the CLI', async () => {
    const dir = scratchProject('relais-approved-only-');
    await runJob({ files: [SEED], targets: ['en'], engine: apertium, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') });
    const r = runCli(['publish', '--job', 'job', '--approved-only'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^published job job to locales: 2 bundles \(1 changed, 1 unchanged\) and the manifest \(approved segments only\)/);
    const en = () => JSON.parse(readFileSync(join(dir, 'locales', 'en', 'haut-diplomate-americain.json'), 'utf8')) as Record<string, string>;
    expect(en()).toEqual({});

    // The folder's policy holds: a later run (npm start) does not put unreviewed machine text back live.
    const again = runCli(['run', SEED, '--to', 'en', '--job', 'job'], dir);
    expect(again.code, again.stderr).toBe(0);
    expect(again.stderr).toContain('relais: warning: locales was last published with approved segments only: so is this publish (--all-segments publishes machine translations too)');
    expect(again.stdout).toContain('published 2 bundles under locales/ (approved segments only)');
    expect(en()).toEqual({});
    // Until told otherwise; then that is the folder's policy.
    const all = runCli(['run', SEED, '--to', 'en', '--job', 'job', '--all-segments', '--quiet'], dir);
    expect(all.code, all.stderr).toBe(0);
    expect(Object.keys(en())).toHaveLength(15);
    expect(runCli(['publish', '--job', 'job'], dir).stdout).not.toContain('approved segments only');
    expect(Object.keys(en())).toHaveLength(15);
    expect(runCli(['publish', '--job', 'job', '--approved-only', '--all-segments'], dir).stderr).toMatch(/OPTION_INVALID --approved-only and --all-segments contradict each other/);
  });
});

describe('which new sentence a decided one became', () => {
  const texts: Record<string, string> = {
    old1: 'Les pompiers sont intervenus vers deux heures du matin.',
    new1: 'Un nouveau bilan est attendu dans la journée.',
    new2: 'Les pompiers sont intervenus vers trois heures du matin.',
  };
  const similarity = (a: string, b: string) => wordOverlap(texts[a]!, texts[b]!);

  test('a sentence inserted before an edited one does not take its decision', () => {
    expect(replacedPairs(['t', 'old1', 'z'], ['t', 'new1', 'new2', 'z'], similarity)).toEqual([['old1', 'new2']]);
    // Without texts to compare, by position (as before).
    expect(replacedPairs(['t', 'old1', 'z'], ['t', 'new1', 'new2', 'z'])).toEqual([['old1', 'new1']]);
  });

  test('one for one, the new sentence took the old one\'s place, however rewritten', () => {
    expect(replacedPairs(['t', 'old1', 'z'], ['t', 'new1', 'z'], similarity)).toEqual([['old1', 'new1']]);
  });
});

