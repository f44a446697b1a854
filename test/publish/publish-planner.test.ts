/**
 * `relais run` plans each article's bundles as soon as it is translated (PublishPlanner) and keeps
 * them in files in the job folder: what it publishes must be what `relais publish` makes from the job
 * folder, for several articles, with reviewers' decisions, whatever order the articles were planned in.
 */
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PseudoEngine } from '../../pipeline/engines/pseudo.js';
import type { SegmentedArticle } from '../../pipeline/artifacts.js';
import { JobStore } from '../../pipeline/job/job-store.js';
import { DecisionStore } from '../../pipeline/review/decision-store.js';
import { manifestChunks, planPublish, PublishPlanner, type PublishPlan } from '../../pipeline/review/publish-reviewed.js';
import { publishJob, runJob } from '../../pipeline/run-job.js';
import { scratchProject, SEED } from '../helpers/cli.js';

const CORPUS = readFileSync(join(import.meta.dirname, '../fixtures/corpus/wikinews-400.txt'), 'utf8').split(/\n\s*\n/).filter((l) => l.trim() !== '');

describe('publishing article by article', () => {
  test('three articles: the run publishes what `publish` makes from the job folder, decisions included; any planning order gives the same plan', async () => {
    const dir = scratchProject('relais-planner-');
    const files = [SEED];
    for (const [i, name] of ['deuxieme', 'troisieme'].entries()) {
      const f = join(dir, `${name}.txt`);
      writeFileSync(f, `Article ${name}\n\n${CORPUS.slice(i * 20, i * 20 + 20).join('\n\n')}\n`);
      files.push(f);
    }
    const o = { files, targets: ['es', 'ca'], engine: new PseudoEngine(), jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') };
    const first = await runJob(o);
    const namespaces = first.articles.map((a) => a.namespace);
    expect(namespaces).toHaveLength(3);

    // A reviewer edits a segment of the second article; the next run publishes it.
    const job = new JobStore(join(dir, 'job'));
    const decisions = new DecisionStore(job.dir);
    const seg = job.readArtifact<SegmentedArticle>(namespaces[1]!, 'segment.json')!.segments[2]!;
    const now = new Date().toISOString();
    decisions.save([{ namespace: namespaces[1]!, lang: 'ca', segmentId: seg.id, state: 'edited', text: 'Text de la Núria.', source: seg.text, machine: 'x', updatedAt: now, by: 'nuria' }]);

    await runJob({ ...o, engine: new PseudoEngine() });
    const published = ['manifest.json', ...['fr', 'es', 'ca'].flatMap((l) => namespaces.map((ns) => `${l}/${ns}.json`))];
    const read = () => Object.fromEntries(published.map((f) => [f, readFileSync(join(dir, 'locales', f), 'utf8')]));
    const fromRun = read();
    expect(JSON.parse(fromRun[`ca/${namespaces[1]}.json`]!)[seg.id]).toBe('Text de la Núria.');

    const opts = { namespaces, sourceLang: 'fr', targets: ['es', 'ca'], approvedOnly: false };
    expect(readdirSync(job.dir).filter((n) => n.startsWith('.publishing-'))).toEqual([]);
    const { planner: first_, plan: all } = planPublish(job, decisions, opts);
    const shuffled = new PublishPlanner(job, () => decisions, opts);
    shuffled.add(namespaces[2]!);
    shuffled.add(namespaces[0]!); // the middle one is left to plan()
    const plan = shuffled.plan();
    const manifestText = (p: PublishPlan) => Buffer.concat([...manifestChunks(p.manifest)].map((c) => Buffer.from(c))).toString('utf8');
    expect(manifestText(plan)).toBe(manifestText(all)); // key order too
    expect(manifestText(plan)).toBe(fromRun['manifest.json']);
    // Written piece by piece, the manifest is exactly what JSON.stringify writes of it.
    expect(`${JSON.stringify(JSON.parse(fromRun['manifest.json']!), null, 2)}\n`).toBe(fromRun['manifest.json']);
    const none = new PublishPlanner(job, () => decisions, { ...opts, namespaces: [] }).plan();
    expect(manifestText(none)).toBe(`${JSON.stringify({ ...none.manifest.head, bundles: {} }, null, 2)}\n`);
    const bundles = (p: PublishPlan) => p.bundles.map((b) => [b.lang, b.namespace, readFileSync(b.file, 'utf8')]);
    expect(bundles(plan)).toEqual(bundles(all));
    const expected = namespaces.flatMap((ns) => ['fr', 'es', 'ca'].map((l) => [`${l}/${ns}.json`, fromRun[`${l}/${ns}.json`]]));
    expect(bundles(plan).map(([l, ns, text]) => [`${l}/${ns}.json`, text])).toEqual(expected);
    // What was planned is on disk in the job folder until disposed of; a run leaves none of it.
    const spills = () => readdirSync(job.dir).filter((n) => n.startsWith('.publishing-'));
    expect(spills()).toHaveLength(2);
    first_.dispose();
    shuffled.dispose();
    expect(spills()).toEqual([]);
    decisions.close();

    publishJob({ jobDir: join(dir, 'job'), localesDir: join(dir, 'locales') });
    expect(read()).toEqual(fromRun);
  });
});
