/**
 * A paragraph that is not French (a quoted English statement, a German caption) is kept as written,
 * flagged, and never sent to a French engine — checked with the real Apertium.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { JobStore } from '../../pipeline/job/job-store.js';
import { readTranslation, runJob } from '../../pipeline/run-job.js';
import { CountingEngine } from '../helpers/counting-engine.js';
import { scratchProject } from '../helpers/cli.js';

const FRENCH = 'Le secrétaire d’État américain a exclu des négociations entre la Russie et l’Ukraine vendredi.';
const ENGLISH = 'The Secretary of State said on Friday that Moscow had not shown any willingness to engage in constructive talks.';
const GERMAN = 'Der amerikanische Außenminister schloss am Freitag Verhandlungen zwischen Russland und der Ukraine aus.';

const engine = new CountingEngine(new ApertiumEngine());
afterAll(() => engine.close());

describe('paragraphs in another language', () => {
  test('are kept as written with NOT_SOURCE_LANGUAGE and not sent to the engine', async () => {
    const dir = scratchProject('relais-foreign-');
    const file = join(dir, 'mixed.txt');
    writeFileSync(file, `Négociations exclues\n\n${FRENCH}\n\n${ENGLISH}\n\n${GERMAN}\n`);
    await runJob({ files: [file], targets: ['ca'], engine, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml') });

    const sent = engine.calls.flatMap((c) => c.texts).join('\n');
    expect(sent).toContain('secrétaire');
    expect(sent).not.toContain('Secretary of State');
    expect(sent).not.toContain('Außenminister');

    const t = readTranslation(new JobStore(join(dir, 'job')), 'mixed', 'ca')!;
    for (const foreign of [ENGLISH, GERMAN]) {
      const seg = t.segments.find((s) => s.source === foreign)!;
      expect(seg.target).toBe(foreign);
      expect(seg.flags.map((f) => f.code)).toEqual(['NOT_SOURCE_LANGUAGE']);
    }
    const french = t.segments.find((s) => s.source === FRENCH)!;
    expect(french.target).toMatch(/Rússia/);
    expect(french.flags.map((f) => f.code)).not.toContain('NOT_SOURCE_LANGUAGE');

    const ca = JSON.parse(readFileSync(join(dir, 'locales', 'ca', 'mixed.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(ca)).toContain(ENGLISH);
  });
});
