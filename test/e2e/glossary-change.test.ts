/**
 * A changed glossary translates again only the sentences it concerns (real Apertium, engine requests
 * counted): a segment's cache key holds the glossary terms found in it as its target language writes
 * them, not the hash of the whole glossary. Before, adding one name re-translated every segment of every
 * article in every language — and with DeepL billed them again.
 */
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { runJob } from '../../pipeline/run-job.js';
import { CountingEngine } from '../helpers/counting-engine.js';
import { scratchProject } from '../helpers/cli.js';

const apertium = new ApertiumEngine();
let dir: string;
const files: string[] = [];

beforeAll(() => {
  dir = scratchProject('relais-glossary-change-');
  writeFileSync(join(dir, 'a.txt'), 'Sommet à Moscou\n\nLe ministre est arrivé à Moscou mardi.\n\nIl a rencontré son homologue.\n\nLa réunion a duré deux heures.\n');
  writeFileSync(join(dir, 'b.txt'), 'Visite à Berlin\n\nLe chancelier a quitté Berlin hier.\n\nLes discussions continuent.\n');
  files.push(join(dir, 'a.txt'), join(dir, 'b.txt'));
});
afterAll(() => apertium.close());

/** Runs the job with this glossary; returns the source texts the engine was asked for, per language. */
async function run(glossaryFile: string, targets = ['es', 'ca'], memoryFile: string | false = false): Promise<Record<string, string[]>> {
  const engine = new CountingEngine(apertium);
  await runJob({ files, targets, engine, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile, memoryFile });
  const sent: Record<string, string[]> = Object.fromEntries(targets.map((l) => [l, []]));
  // Segment requests only (glossary-form probes carry no segment id of an article).
  for (const c of engine.calls) c.texts.forEach((t, i) => { if (/^s[0-9a-f]{10}/.test(c.ids[i]!)) (sent[c.target] ??= []).push(t); });
  return sent;
}

const withTerm = (base: string, yaml: string) => `${base.trimEnd()}\n${yaml}\n`;

describe('a glossary change translates again only what it concerns', () => {
  test('a new name: only its sentences, in every language; a fixed form: only its sentences, in that language', async () => {
    const base = readFileSync(join(dir, 'glossary.yaml'), 'utf8');
    const g = join(dir, 'glossary.yaml');
    const first = await run(g);
    expect(first.es!.length).toBe(7);
    expect(first.ca!.length).toBe(7);
    expect(await run(g)).toEqual({ es: [], ca: [] });

    // A new term: Berlin, in b.txt's title and second sentence only.
    writeFileSync(g, withTerm(base, '  - fr: Berlin\n    kind: place\n    es: { form: Berlín, article: false }\n    ca: { form: Berlín, article: false }'));
    const added = await run(g);
    expect(added.es!.sort()).toEqual(['Le chancelier a quitté Berlin hier.', 'Visite à Berlin']);
    expect(added.ca!.sort()).toEqual(['Le chancelier a quitté Berlin hier.', 'Visite à Berlin']);
    const es = JSON.parse(readFileSync(join(dir, 'locales', 'es', 'b.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(es).join('\n')).toContain('Berlín');

    // Its Catalan form fixed: the Catalan sentences with Berlin, nothing in Spanish.
    writeFileSync(g, withTerm(base, '  - fr: Berlin\n    kind: place\n    es: { form: Berlín, article: false }\n    ca: { form: Berlin, article: false }'));
    expect(await run(g)).toEqual({ es: [], ca: expect.arrayContaining(['Visite à Berlin', 'Le chancelier a quitté Berlin hier.']) });

    // The term moved elsewhere in the file, comments added: nothing at all.
    writeFileSync(g, base.replace('terms:\n', 'terms:\n  # Berlin first.\n  - fr: Berlin\n    kind: place\n    es: { form: Berlín, article: false }\n    ca: { form: Berlin, article: false }\n\n'));
    expect(await run(g)).toEqual({ es: [], ca: [] });
  }, 120_000);

  test('a language added to the job: the others are not translated again', async () => {
    const g = join(dir, 'glossary.yaml');
    const sent = await run(g, ['es', 'ca', 'oc']);
    expect(sent.es).toEqual([]);
    expect(sent.ca).toEqual([]);
    expect(sent.oc!.length).toBe(7);
  }, 120_000);
});
