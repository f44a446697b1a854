/**
 * Pseudo-localization: accented, stretched, bracketed — and names in capitals or placeholders untouched.
 */
import { describe, expect, test } from 'vitest';
import { PseudoEngine, pseudoLocalize } from '../../pipeline/engines/pseudo.js';
import { createEngine } from '../../pipeline/engines/create-engine.js';
import { RelaisError } from '../../pipeline/errors.js';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { JobStore } from '../../pipeline/job/job-store.js';
import { readTranslation, runJob } from '../../pipeline/run-job.js';
import { scratchProject, SEED } from '../helpers/cli.js';

describe('pseudoLocalize', () => {
  test.for([
    ['Moscou a lancé', 0, '[!! Ṁöšçöû à ļàñçé !!]'],
    ['l’OTAN et la TASS', 0, '[!! ļ’OTAN éţ ļà TASS !!]'],
    ['ZZGA a dit', 0, '[!! ZZGA à đîţ !!]'],
    ['2,6 milliards', 0, '[!! 2,6 ɱîļļîàŕđš !!]'],
    ['abcd', 0.5, '[!! àƀçđ ~~ !!]'],
  ] as const)('%j (expansion %d) → %j', ([text, expansion, expected]) => {
    expect(pseudoLocalize(text, expansion)).toBe(expected);
  });

  test('the padding follows the expansion ratio in characters of the source', () => {
    const text = 'Les États-Unis ont annoncé un nouveau programme d’aide militaire.';
    for (const ratio of [0.1, 0.3, 1]) {
      const out = pseudoLocalize(text, ratio);
      expect(out.match(/~+/)![0].length).toBe(Math.round([...text].length * ratio));
    }
  });

  test('blank text stays blank', () => {
    expect(pseudoLocalize('  ', 0.3)).toBe('  ');
  });
});

describe('PseudoEngine', () => {
  test('translates a batch in order and reports no unknown words', async () => {
    const engine = new PseudoEngine({ expansion: 0 });
    const out = await engine.translate('fr', 'es', [
      { id: 'a', text: 'Kiev' },
      { id: 'b', text: 'Donbass' },
    ]);
    expect(out).toEqual([
      { id: 'a', text: '[!! Ķîéṽ !!]', unknownWords: [] },
      { id: 'b', text: '[!! Đöñƀàšš !!]', unknownWords: [] },
    ]);
    expect(engine.supports('fr', 'fr')).toBe(false);
    expect(engine.supports('fr', 'de')).toBe(true);
    expect(engine.info.version).toContain('expansion=0');
  });

  test('an expansion out of range is refused', () => {
    expect(() => new PseudoEngine({ expansion: -1 })).toThrow(/between 0 and 3/);
  });

  test('createEngine("pseudo") reads RELAIS_PSEUDO_EXPANSION and rejects a bad value with a clear error', () => {
    const saved = process.env.RELAIS_PSEUDO_EXPANSION;
    try {
      process.env.RELAIS_PSEUDO_EXPANSION = '0.5';
      expect(createEngine('pseudo').info.version).toBe('pseudo-1 expansion=0.5');
      process.env.RELAIS_PSEUDO_EXPANSION = 'lots';
      expect(() => createEngine('pseudo')).toThrow(RelaisError);
      expect(() => createEngine('pseudo')).toThrow(/RELAIS_PSEUDO_EXPANSION must be a number from 0 to 3, got "lots"/);
    } finally {
      if (saved === undefined) delete process.env.RELAIS_PSEUDO_EXPANSION;
      else process.env.RELAIS_PSEUDO_EXPANSION = saved;
    }
  });
});

describe('a pseudo-localized job', () => {
  test('names keep the glossary form and no grammar is "repaired" in pseudo-text (no article added, no flag)', async () => {
    const dir = scratchProject('relais-pseudo-job-');
    const summary = await runJob({
      files: [SEED], targets: ['es', 'ca'], engine: new PseudoEngine(), jobDir: join(dir, 'job'),
      localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'),
    });
    expect(summary.languages.map((l) => l.segments)).toEqual([15, 15]);
    for (const lang of ['es', 'ca']) {
      const t = readTranslation(new JobStore(join(dir, 'job')), 'haut-diplomate-americain', lang)!;
      const text = t.segments.map((s) => s.target).join('\n');
      expect(text).toContain('OTAN'); // the glossary form (es: OTAN, ca: OTAN), kept as capitals
      // French "l’OTAN" becomes "ļ’OTAN", never "ļ’la OTAN": there is no article to restore in pseudo-text.
      expect(text).not.toMatch(/ļ’(la|el|l’) /);
      expect(t.segments.flatMap((s) => s.flags.map((f) => f.code))).not.toContain('ARTICLE_RESTORED');
      for (const s of t.segments) expect(s.target).toMatch(/^\[!! [\s\S]* !!\]$/);
    }
  });
});

describe('regional targets', () => {
  test('en-GB and pt-BR take the glossary forms of en and pt, and publish under the code asked for', async () => {
    const dir = scratchProject('relais-regional-');
    await runJob({
      files: [SEED], targets: ['en-GB'], engine: new PseudoEngine(), jobDir: join(dir, 'job'),
      localesDir: join(dir, 'locales'), glossaryFile: join(dir, 'glossary.yaml'),
    });
    const t = readTranslation(new JobStore(join(dir, 'job')), 'haut-diplomate-americain', 'en-GB')!;
    const text = t.segments.map((s) => s.target).join('\n');
    expect(text).toContain('Kyiv');
    expect(text).toContain('Volodymyr Zelenskyy');
    expect(text).not.toMatch(/Kiev|Moscou/);
    expect(t.segments.flatMap((s) => s.flags.map((f) => f.code))).not.toContain('TERM_UNVERIFIED');
    expect(existsSync(join(dir, 'locales', 'en-GB', 'haut-diplomate-americain.json'))).toBe(true);
  });
});
