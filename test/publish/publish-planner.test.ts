/**
 * `relais run` plans each article's bundles as soon as it is translated (PublishPlanner) and keeps
 * only their bytes: what it publishes must be what `relais publish` makes from the job folder, for
 * several articles, with reviewers' decisions, whatever order the articles were planned in.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { PseudoEngine } from '../../pipeline/engines/pseudo.js';
import type { SegmentedArticle } from '../../pipeline/artifacts.js';
import { JobStore } from '../../pipeline/job/job-store.js';
import { DecisionStore } from '../../pipeline/review/decision-store.js';
import { planPublish, PublishPlanner } from '../../pipeline/review/publish-reviewed.js';
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
    const all = planPublish(job, decisions, opts);
    const shuffled = new PublishPlanner(job, () => decisions, opts);
    shuffled.add(namespaces[2]!);
    shuffled.add(namespaces[0]!); // the middle one is left to plan()
    const plan = shuffled.plan();
    expect(plan.manifest).toEqual(all.manifest);
    expect(JSON.stringify(plan.manifest)).toBe(JSON.stringify(all.manifest)); // key order too
    expect(plan.bundles.map((b) => [b.lang, b.namespace, b.bytes.toString('utf8')])).toEqual(all.bundles.map((b) => [b.lang, b.namespace, b.bytes.toString('utf8')]));
    decisions.close();

    publishJob({ jobDir: join(dir, 'job'), localesDir: join(dir, 'locales') });
    expect(read()).toEqual(fromRun);
  });
});
