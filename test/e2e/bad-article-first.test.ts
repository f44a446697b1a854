/**
 * A run given a good and a bad article fails before any work: the job's manifest and the earlier
 * translations stay as they were, and the engine is asked for nothing.
 */
import { readFileSync, writeFileSync, copyFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { runJob } from '../../pipeline/run-job.js';
import { RelaisError } from '../../pipeline/errors.js';
import { CountingEngine } from '../helpers/counting-engine.js';
import { SEED, scratchProject } from '../helpers/cli.js';

const engine = new CountingEngine(new ApertiumEngine());
afterAll(() => engine.close());

describe('a bad article among good ones', () => {
  test('stops the run before the manifest, the journal or the engine is touched', async () => {
    const dir = scratchProject('relais-bad-first-');
    const seed = join(dir, 'seed.txt');
    copyFileSync(SEED, seed);
    const opts = { targets: ['ca'], engine, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') };
    await runJob({ ...opts, files: [seed] });
    const manifest = readFileSync(join(dir, 'job', 'job.json'), 'utf8');
    const sentBefore = engine.segmentsSent();

    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, Buffer.from('Titre\n\nUn caf\xe9 noir.\n', 'latin1'));
    const err = await runJob({ ...opts, files: [seed, bad], targets: ['es'] }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RelaisError);
    expect((err as RelaisError).code).toBe('INPUT_NOT_UTF8');
    expect((err as Error).message).toMatch(/byte offset 13/);
    expect(readFileSync(join(dir, 'job', 'job.json'), 'utf8')).toBe(manifest);
    expect(engine.segmentsSent()).toBe(sentBefore);
  });
});
