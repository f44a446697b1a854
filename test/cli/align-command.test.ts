/**
 * `relais align SOURCE TARGET --lang xx`: the typed action (runAlignCommand), its commander wiring
 * (registerAlignCommand), and the compiled CLI once main.ts registers the command.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Command } from 'commander';
import { afterAll, describe, expect, test } from 'vitest';
import { formatAlignSummary, registerAlignCommand, runAlignCommand } from '../../pipeline/cli/align-command.js';
import { ROOT, runCli } from '../helpers/cli.js';
import { validateTmx } from '../helpers/xmllint.js';
import { EN, FR } from '../helpers/align-sample.js';

const dir = mkdtempSync(join(tmpdir(), 'relais-align-cmd-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const SOURCE = join(dir, 'ministre-moscou.fr.txt');
const TARGET = join(dir, 'minister-moscow.en.txt');
writeFileSync(SOURCE, FR);
writeFileSync(TARGET, EN);
const GLOSSARY = join(ROOT, 'glossary.yaml');

describe('runAlignCommand', () => {
  test('writes <name>.<lang>.tmx and .html and reports omissions and additions', async () => {
    const out = join(dir, 'out-apertium');
    const r = await runAlignCommand(SOURCE, TARGET, { lang: 'en', out, glossary: GLOSSARY });
    expect(r).toMatchObject({
      namespace: 'ministre-moscou',
      sourceLang: 'fr',
      targetLang: 'en',
      evidence: 'translation',
      sentences: { source: 9, target: 9 },
      beads: { '1-1': 8, '1-0': 1, '0-1': 1 },
      omissions: 1,
      additions: 1,
      omitted: [{ sentence: 6, line: 5, text: 'Selon la presse, les discussions sont difficiles.' }],
      added: [{ sentence: 9, line: 7, text: 'Mr. Smith of Reuters contributed to this report.' }],
      files: { tmx: join(out, 'ministre-moscou.en.tmx'), html: join(out, 'ministre-moscou.en.html') },
    });
    expect(r.engine).toMatch(/^apertium /);
    expect(validateTmx(r.files.tmx)).toEqual({ ok: true, output: '' });
    const html = readFileSync(r.files.html, 'utf8');
    expect(html).toContain('ALIGN_OMISSION');
    expect(html).toContain('<mark class="term" title="glossary: Moscou">Moscou</mark>');

    const text = formatAlignSummary(r);
    expect(text).toContain('beads: 1-1 8 · 1-0 1 · 0-1 1');
    expect(text).toContain('omissions: 1');
    expect(text).toContain('  line 5: Selon la presse, les discussions sont difficiles.');
    expect(text).toContain('additions: 1');
  });

  test('--engine none aligns on lengths, cognates and anchors', async () => {
    const r = await runAlignCommand(SOURCE, TARGET, { lang: 'en', out: join(dir, 'out-none'), engine: 'none', glossary: GLOSSARY });
    expect(r).toMatchObject({ engine: null, evidence: 'cognates', omissions: 1 });
    expect(formatAlignSummary(r)).toContain('lengths, cognates and anchors (no engine translation for fr→en)');
  });

  test('a pair Apertium does not serve falls back, with a notice', async () => {
    const notices: string[] = [];
    const r = await runAlignCommand(SOURCE, TARGET, { lang: 'de', out: join(dir, 'out-de'), glossary: GLOSSARY, onNotice: (m) => notices.push(m) });
    expect(r).toMatchObject({ engine: null, evidence: 'cognates' });
    // (The sample translation is English: the language check says so too.)
    expect(notices).toEqual([expect.stringMatching(/looks like en, not de \(--lang\)/), expect.stringContaining('Apertium has no fr→de pair')]);
    expect(existsSync(join(dir, 'out-de', 'ministre-moscou.de.tmx'))).toBe(true);
  });

  test.for([
    { name: 'a malformed language code', args: { lang: 'english' }, code: 'OPTION_INVALID' },
    { name: 'an engine align cannot use', args: { lang: 'en', engine: 'deepl' }, code: 'ENGINE_UNKNOWN' },
    { name: 'a missing source', args: { lang: 'en' }, source: join(dir, 'nope.txt'), code: 'INPUT_NOT_FOUND' },
    { name: 'a missing glossary', args: { lang: 'en', glossary: join(dir, 'nope.yaml') }, code: 'GLOSSARY_NOT_FOUND' },
  ])('refuses $name ($code)', async ({ args, source, code }) => {
    await expect(runAlignCommand(source ?? SOURCE, TARGET, { out: join(dir, 'out-err'), ...args })).rejects.toMatchObject({ code });
  });

  test('refuses a binary file with the ingest stage code', async () => {
    const png = join(dir, 'image.png');
    writeFileSync(png, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0, 0, 0x0d]));
    await expect(runAlignCommand(SOURCE, png, { lang: 'en', engine: 'none', out: join(dir, 'out-err') })).rejects.toMatchObject({ code: 'INPUT_BINARY' });
  });
});

describe('registerAlignCommand (commander)', () => {
  const program = () => {
    const printed: string[] = [];
    const warned: string[] = [];
    const p = new Command().exitOverride().configureOutput({ writeErr: () => {}, writeOut: () => {} });
    registerAlignCommand(p.command('align'), { print: (t) => printed.push(t), warn: (t) => warned.push(t) });
    return { p, printed, warned };
  };

  test('--json prints the summary as JSON', async () => {
    const { p, printed } = program();
    await p.parseAsync(['align', SOURCE, TARGET, '--lang', 'en', '--engine', 'none', '--glossary', GLOSSARY, '--out', join(dir, 'out-json'), '--json'], { from: 'user' });
    expect(JSON.parse(printed.join(''))).toMatchObject({ namespace: 'ministre-moscou', omissions: 1, additions: 1, beads: { '1-1': 8 } });
  });

  test.for([
    { name: 'no --lang', args: [], code: 'commander.missingMandatoryOptionValue' },
    { name: 'a malformed --lang', args: ['--lang', 'EN_us!'], code: 'commander.invalidArgument' },
  ])('$name is a usage error', async ({ args, code }) => {
    const { p } = program();
    await expect(p.parseAsync(['align', SOURCE, TARGET, ...args], { from: 'user' })).rejects.toMatchObject({ code });
  });
});

describe('the compiled CLI (once main.ts registers `align`)', () => {
  test('relais align writes the review page and TMX and prints the summary', () => {
    const out = join(dir, 'out-cli');
    const r = runCli(['align', SOURCE, TARGET, '--lang', 'en', '--out', out, '--glossary', GLOSSARY], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('omissions: 1');
    expect(existsSync(join(out, 'ministre-moscou.en.tmx'))).toBe(true);
    expect(existsSync(join(out, 'ministre-moscou.en.html'))).toBe(true);
  });

  test('a bad --lang exits with status 2', () => {
    const r = runCli(['align', SOURCE, TARGET, '--lang', 'EN_us!'], dir);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain('expected a language code');
  });
});

describe('the wrong file given as the translation', () => {
  test('a "translation" in the source language, in another language than --lang, or of another text is warned about; a right one is not', async () => {
    const gold = join(ROOT, 'test/fixtures/align-gold');
    const notices = async (target: string, lang: string) => {
      const seen: string[] = [];
      await runAlignCommand(join(gold, 'baf-verne.fr.txt'), target, { lang, out: join(dir, `out-check-${lang}-${seen.length}`), glossary: GLOSSARY, onNotice: (m) => seen.push(m) });
      return seen.filter((m) => m.startsWith('warning:'));
    };
    expect(await notices(join(gold, 'baf-verne.fr.txt'), 'en')).toEqual([expect.stringMatching(/baf-verne\.fr\.txt looks like fr, the source language, not en \(--lang\)/)]);
    expect(await notices(join(gold, 'textberg-kingspitz.de.txt'), 'en')).toEqual([
      expect.stringMatching(/textberg-kingspitz\.de\.txt looks like de, not en/),
      expect.stringMatching(/only 2\d% of the \d+ pairs share more with each other than unrelated sentences of these texts do .*textberg-kingspitz\.de\.txt does not look like a translation of .*baf-verne\.fr\.txt/),
    ]);
    // English, but the translation of another text (a Hansard debate for a Verne novel).
    expect(await notices(join(gold, 'baf-hansard.en.txt'), 'en')).toEqual([
      expect.stringMatching(/only \d% of the \d+ pairs share more .*baf-hansard\.en\.txt does not look like a translation of .*baf-verne\.fr\.txt/),
    ]);
    expect(await notices(join(gold, 'baf-verne.en.txt'), 'en')).toEqual([]);
  }, 120_000);

  test('without an engine, cognates alone tell a translation from a translation of another text', async () => {
    const gold = join(ROOT, 'test/fixtures/align-gold');
    const check = async (source: string, target: string, lang: string) => {
      const seen: string[] = [];
      const r = await runAlignCommand(join(gold, source), join(gold, target), { lang, engine: 'none', out: join(dir, 'out-cognates'), glossary: GLOSSARY, onNotice: (m) => seen.push(m) });
      return { supported: r.supported!, unrelated: seen.filter((m) => /does not look like a translation/.test(m)).length };
    };
    const real = await check('textberg-kingspitz.fr.txt', 'textberg-kingspitz.de.txt', 'de');
    expect(real.unrelated).toBe(0);
    expect(real.supported).toBeGreaterThan(0.5);
    const other = await check('baf-verne.fr.txt', 'baf-hansard.en.txt', 'en');
    expect(other.unrelated).toBe(1);
    expect(other.supported).toBeLessThan(0.25);
  });
});

describe('a translation aligned with relais align comes into a job', () => {
  test('its TMX imports into the job of the same article: the aligned sentences become edits there', () => {
    const project = mkdtempSync(join(tmpdir(), 'relais-align-import-'));
    writeFileSync(join(project, 'ministre-moscou.fr.txt'), FR);
    const run = runCli(['run', 'ministre-moscou.fr.txt', '--to', 'en', '--job', 'job', '--glossary', GLOSSARY, '--no-tm', '-q'], project);
    expect(run.code, run.stderr).toBe(0);
    writeFileSync(join(project, 'minister-moscow.en.txt'), EN);
    const aligned = runCli(['align', 'ministre-moscou.fr.txt', 'minister-moscow.en.txt', '--lang', 'en', '--out', 'aligned', '--glossary', GLOSSARY], project);
    expect(aligned.code, aligned.stderr).toBe(0);
    // The 1-1 pairs come in by their French sentence; the omitted and added ones cannot (--apply-valid keeps the rest).
    const imported = runCli(['import', 'aligned/ministre-moscou.en.tmx', '--job', 'job', '--apply-valid'], project);
    expect(imported.code, imported.stderr).toBe(0);
    expect(imported.stderr).not.toMatch(/IMPORT_UNKNOWN_ID/);
    const bundle = JSON.parse(readFileSync(join(project, 'locales', 'en', 'ministre-moscou.json'), 'utf8')) as Record<string, string>;
    const published = runCli(['publish', '--job', 'job'], project);
    expect(published.code, published.stderr).toBe(0);
    const after = JSON.parse(readFileSync(join(project, 'locales', 'en', 'ministre-moscou.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(after)).toContain('The foreign minister arrived in Moscow on Monday for two days of talks.');
    expect(Object.values(after)).toContain('The government declined to comment.');
    expect(Object.values(after)).not.toEqual(Object.values(bundle));
  });
});
