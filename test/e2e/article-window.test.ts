/**
 * Several articles in one run: the next article's segments reach the engine while the previous one is
 * still being translated (its pipelines never run dry between articles), a large article is translated
 * alone (what a run holds does not grow), and an engine failing in one of the articles in flight stops
 * the run cleanly with everything finished kept.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import type { ProgressEvent } from '../../pipeline/artifacts.js';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import type { Engine, EngineResult, EngineSegment } from '../../pipeline/engines/engine.js';
import { PseudoEngine } from '../../pipeline/engines/pseudo.js';
import { RelaisError } from '../../pipeline/errors.js';
import { collectGarbage, runJob } from '../../pipeline/run-job.js';
import { scratchProject } from '../helpers/cli.js';

const CORPUS = readFileSync(join(import.meta.dirname, '../fixtures/corpus/wikinews-400.txt'), 'utf8').split('\n').filter(Boolean);
const apertium = new ApertiumEngine();
afterAll(() => apertium.close());

/**
 * Articles named a, b, c…, of `sizes[i]` one-sentence paragraphs from the corpus; every paragraph
 * starts with "Dépêche <name>." so that a request's context tells which article it belongs to.
 */
function writeArticles(dir: string, sizes: readonly number[]): string[] {
  let line = 0;
  return sizes.map((n, i) => {
    const name = String.fromCharCode(97 + i);
    const paragraphs = Array.from({ length: n }, () => `Dépêche ${name}. ${CORPUS[line++ % CORPUS.length]}`);
    const file = join(dir, `${name}.txt`);
    writeFileSync(file, `Dépêches ${name}\n\n${paragraphs.join('\n\n')}\n`);
    return file;
  });
}

const articleOf = (s: EngineSegment) => /Dépêche ([a-z])\./.exec(s.context ?? '')?.[1];

/** One sequence of what happened: engine requests (by article) and the end of each article's translate stage. */
class Recorder implements Engine {
  readonly events: string[] = [];
  failOn: string | undefined;
  constructor(private readonly inner: Engine) {}
  get info() {
    return this.inner.info;
  }
  get pseudo() {
    return (this.inner as { pseudo?: boolean }).pseudo;
  }
  supports(s: string, t: string) {
    return this.inner.supports(s, t);
  }
  pivotOf(s: string, t: string) {
    return this.inner.pivotOf?.(s, t);
  }
  async translate(source: string, target: string, segments: readonly EngineSegment[]): Promise<EngineResult[]> {
    const article = segments.map(articleOf).find(Boolean);
    if (article) this.events.push(`request ${article}`);
    if (article && article === this.failOn) throw new RelaisError('ENGINE_QUOTA', 'quota exceeded (test)', { hint: 'wait for next month' });
    return this.inner.translate(source, target, segments);
  }
  onProgress = (e: ProgressEvent) => {
    if (e.type === 'stage-done' && e.stage === 'translate') this.events.push(`translated ${e.namespace}`);
  };
  /** Position of the first event equal to `event`. */
  at(event: string): number {
    const i = this.events.indexOf(event);
    if (i < 0) throw new Error(`no "${event}" in ${this.events.join(', ')}`);
    return i;
  }
  async close() {}
}

function options(dir: string, files: string[]) {
  return { files, targets: ['es'], jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'), memoryFile: false as const };
}

describe('articles in flight', () => {
  test('the next small article reaches Apertium before the previous one is translated; results are the same as one at a time', async () => {
    const dir = scratchProject('relais-window-');
    const files = writeArticles(dir, [40, 40, 40, 40, 40]);
    const engine = new Recorder(apertium);
    const summary = await runJob({ ...options(dir, files), engine, onProgress: engine.onProgress });

    expect(engine.at('request b')).toBeLessThan(engine.at('translated a'));
    expect(engine.at('request c')).toBeLessThan(engine.at('translated b'));
    // In file order in the summary, every segment translated and published.
    expect(summary.articles.map((a) => a.namespace)).toEqual(['a', 'b', 'c', 'd', 'e']);
    expect(summary.languages[0]!.segments).toBe(summary.articles.reduce((n, a) => n + a.segments, 0));

    // The same articles run one by one (a job each) publish the same bundles.
    for (const file of files) {
      const one = join(dir, 'single');
      await runJob({ ...options(one, [file]), glossaryFile: join(dir, 'glossary.yaml'), engine: apertium });
      const name = file.slice(-5, -4);
      expect(readFileSync(join(one, 'locales', 'es', `${name}.json`), 'utf8')).toBe(readFileSync(join(dir, 'locales', 'es', `${name}.json`), 'utf8'));
    }
  });

  test('a large article is translated alone: nothing after it starts before it is done', async () => {
    const dir = scratchProject('relais-window-large-');
    // a is small, so b starts with it; b holds more than a thousand segments, so c waits for it.
    const files = writeArticles(dir, [20, 1_100, 20, 20]);
    const engine = new Recorder(new PseudoEngine());
    const summary = await runJob({ ...options(dir, files), engine, onProgress: engine.onProgress });

    expect(engine.at('request b')).toBeLessThan(engine.at('translated a'));
    expect(engine.at('request c')).toBeGreaterThan(engine.at('translated b'));
    const sizes = summary.articles.map((a) => a.segments);
    expect(sizes[1]).toBeGreaterThan(1_000);
    expect(Math.max(sizes[0]!, sizes[2]!, sizes[3]!)).toBeLessThan(100);
  });

  test('an engine failing on one article while another is in flight: the run stops with its error and keeps what was finished', async () => {
    const dir = scratchProject('relais-window-fail-');
    const files = writeArticles(dir, [60, 30, 30, 30, 30]);
    const engine = new Recorder(apertium);
    engine.failOn = 'b';
    const err = await runJob({ ...options(dir, files), engine, onProgress: engine.onProgress }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelaisError);
    expect((err as RelaisError).code).toBe('ENGINE_QUOTA');
    expect(existsSync(join(dir, 'locales'))).toBe(false);
    // b failed while a was in flight; e (the fifth: four are in flight at most) never started.
    expect(engine.at('request b')).toBeLessThan(engine.at('translated a'));
    expect(engine.events).not.toContain('request e');
    const journaled = (ns: string) => {
      const f = join(dir, 'job', 'articles', ns, 'translate', 'es.journal.jsonl');
      return existsSync(f) ? readFileSync(f, 'utf8').split('\n').filter(Boolean).length : 0;
    };
    const kept = ['a', 'b', 'c', 'd', 'e'].reduce((n, ns) => n + journaled(ns), 0);
    const keptOfA = journaled('a');

    // The next run sends only what is missing.
    const again = new Recorder(apertium);
    const summary = await runJob({ ...options(dir, files), engine: again, onProgress: again.onProgress });
    expect(keptOfA).toBe(summary.articles[0]!.segments); // finished while b failed: kept
    expect(again.events).not.toContain('request a');
    expect(summary.languages[0]!.translatedNow).toBe(summary.languages[0]!.segments - kept);
  });
});

describe('between large articles', () => {
  test('a full garbage collection is available without a launcher flag (V8 reads --expose-gc when a context is made)', () => {
    expect(collectGarbage()).toBe(true);
    expect(collectGarbage()).toBe(true);
  });
});
