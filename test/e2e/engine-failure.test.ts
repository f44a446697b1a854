/**
 * An engine that fails mid-job (DeepL quota, a dead process that cannot restart): the run rejects
 * with the engine's error — no unhandled rejection — finished batches stay journaled, and the next
 * run sends only what is missing.
 */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import type { Engine, EngineResult, EngineSegment } from '../../pipeline/engines/engine.js';
import { RelaisError } from '../../pipeline/errors.js';
import { runJob } from '../../pipeline/run-job.js';
import { CountingEngine } from '../helpers/counting-engine.js';
import { scratchProject } from '../helpers/cli.js';

const CORPUS = join(import.meta.dirname, '../fixtures/corpus/wikinews-400.txt');
const apertium = new ApertiumEngine();
afterAll(() => apertium.close());

/** Real Apertium, except that the n-th batch of segments (probes excluded) fails. */
class FailingEngine implements Engine {
  private batches = 0;
  constructor(private readonly inner: Engine, private readonly failAt: number) {}
  get info() {
    return this.inner.info;
  }
  supports(s: string, t: string) {
    return this.inner.supports(s, t);
  }
  async translate(source: string, target: string, segments: readonly EngineSegment[]): Promise<EngineResult[]> {
    if (!segments[0]?.id.startsWith('probe') && ++this.batches === this.failAt) {
      throw new RelaisError('ENGINE_QUOTA', 'quota exceeded (test)', { hint: 'wait for next month' });
    }
    return this.inner.translate(source, target, segments);
  }
  async close() {}
}

describe('an engine failing mid-job', () => {
  test('rejects cleanly, keeps finished batches, and the next run sends only the rest', async () => {
    const dir = scratchProject('relais-engine-fail-');
    const file = join(dir, 'news.txt');
    const body = readFileSync(CORPUS, 'utf8').split('\n').filter(Boolean).slice(0, 60).join('\n\n');
    writeFileSync(file, `Dépêches\n\n${body}\n`);
    const opts = { files: [file], targets: ['ca'], jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') };

    const err = await runJob({ ...opts, engine: new FailingEngine(apertium, 2) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelaisError);
    expect((err as RelaisError).code).toBe('ENGINE_QUOTA');
    expect(existsSync(join(dir, 'locales'))).toBe(false);
    const journal = join(dir, 'job', 'articles', 'news', 'translate', 'ca.journal.jsonl');
    const journaled = readFileSync(journal, 'utf8').split('\n').filter(Boolean).length;
    expect(journaled).toBeGreaterThanOrEqual(16);
    expect(journaled).toBeLessThan(61);

    const counting = new CountingEngine(apertium);
    const summary = await runJob({ ...opts, engine: counting });
    const segments = summary.languages[0]!.segments;
    expect(segments).toBe(61);
    expect(summary.languages[0]!.translatedNow).toBe(segments - journaled);
    expect(Object.keys(JSON.parse(readFileSync(join(dir, 'locales', 'ca', 'news.json'), 'utf8')) as object)).toHaveLength(61);
  });
});
