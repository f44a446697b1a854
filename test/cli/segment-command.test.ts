/**
 * `relais segment [FILE]`: one JSON array of sentences per paragraph, from a file or standard input.
 * The command's function is tested directly, and the compiled `relais` bin as a user runs it
 * (pipeline/cli/main.ts wires the command with describeSegmentCommand).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { afterAll, describe, expect, test } from 'vitest';
import { formatSegmentedParagraphs, runSegmentCommand } from '../../pipeline/cli/segment-command.js';
import { loadSegmentRules, segmentSentences, splitParagraphs } from '../../pipeline/stages/segment/segment-text.js';
import { CLI, ROOT, SEED, assertBuilt } from '../helpers/cli.js';

const NBSP = '\u00a0';
const dir = mkdtempSync(join(tmpdir(), 'relais-segment-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Buffer) => {
  const path = join(dir, name);
  writeFileSync(path, content);
  return path;
};
const lines = (stdout: string) => stdout.split('\n').filter((l) => l !== '').map((l) => JSON.parse(l) as string[]);

/** The compiled CLI with `input` on its standard input (an empty string when not given). */
function segmentCli(args: string[], input: string | Buffer = '') {
  assertBuilt();
  const r = spawnSync(process.execPath, [CLI, 'segment', ...args], { cwd: dir, input, encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

const ARTICLE = [
  `Le ministre a été clair : «${NBSP}Nous ne céderons pas.${NBSP}» Les syndicats appellent à la grève.`,
  'M. Martin est arrivé à 14 h 30. Il repart demain.',
  'Il faut :\n- du pain ;\n- du sel.',
  'Le président a\nexclu des négociations. Il part.',
].join('\n\n');
const EXPECTED = [
  [`Le ministre a été clair : «${NBSP}Nous ne céderons pas.${NBSP}»`, 'Les syndicats appellent à la grève.'],
  ['M. Martin est arrivé à 14 h 30.', 'Il repart demain.'],
  ['Il faut :', '- du pain ;', '- du sel.'],
  ['Le président a\nexclu des négociations.', 'Il part.'],
];

describe('runSegmentCommand', () => {
  test('one line per paragraph, each the JSON array of its sentences; a single newline stays in its paragraph', async () => {
    const out = await runSegmentCommand(file('article.txt', ARTICLE));
    expect(out.endsWith('\n')).toBe(true);
    expect(out.split('\n')).toHaveLength(EXPECTED.length + 1);
    expect(lines(out)).toEqual(EXPECTED);
  });

  test('reads standard input when no file is given', async () => {
    const out = await runSegmentCommand(undefined, {}, Readable.from([Buffer.from(ARTICLE.slice(0, 40)), Buffer.from(ARTICLE.slice(40))]));
    expect(lines(out)).toEqual(EXPECTED);
  });

  test('blank lines of any length separate paragraphs; CRLF and a BOM are accepted', async () => {
    const out = await runSegmentCommand(file('crlf.txt', `\ufeffUn. Deux.\r\n \r\n\r\n\tTrois.\r\nQuatre.\r\n`));
    expect(lines(out)).toEqual([['Un.', 'Deux.'], ['Trois.', 'Quatre.']]);
  });

  test('empty or blank input prints nothing', async () => {
    expect(await runSegmentCommand(undefined, {}, Readable.from([]))).toBe('');
    expect(await runSegmentCommand(file('blank.txt', ' \n\n\t\n'))).toBe('');
  });

  test('the seed segments as the pipeline segments it', async () => {
    const expected = splitParagraphs(readFileSync(SEED, 'utf8')).map((p) => segmentSentences(p.text).map((s) => s.text));
    expect(lines(await runSegmentCommand(SEED))).toEqual(expected);
    expect(expected.length).toBeGreaterThan(14);
  });

  test('--rules adds the user file on top of the language rules', async () => {
    const rules = file('rules.json', JSON.stringify({ abbreviations: { neverEnd: ['Cie'] } }));
    const text = file('cie.txt', 'Dupont & Cie. Leroy aussi.');
    expect(lines(await runSegmentCommand(text))).toEqual([['Dupont & Cie.', 'Leroy aussi.']]);
    expect(lines(await runSegmentCommand(text, { rules }))).toEqual([['Dupont & Cie. Leroy aussi.']]);
  });

  test.for([
    { name: 'a missing file', args: () => [join(dir, 'missing.txt'), {}] as const, code: 'INPUT_NOT_FOUND' },
    { name: 'a folder', args: () => [dir, {}] as const, code: 'INPUT_NOT_FOUND' },
    { name: 'invalid UTF-8', args: () => [file('latin1.txt', Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x2e])), {}] as const, code: 'INPUT_NOT_UTF8' },
    { name: 'an unknown language', args: () => [SEED, { lang: 'xx' }] as const, code: 'LANGUAGE_UNSUPPORTED' },
    { name: 'a bad rules file', args: () => [SEED, { rules: file('bad.json', '{"breaks": 3}') }] as const, code: 'OPTION_INVALID' },
  ])('$name is refused with $code', async ({ args, code }) => {
    const [input, options] = args();
    await expect(runSegmentCommand(input, options)).rejects.toMatchObject({ code });
  });

  test('formatSegmentedParagraphs escapes what JSON must escape, and nothing else', () => {
    const out = formatSegmentedParagraphs('Il a dit "oui". C’est «\u00a0tout\u00a0».\n\nLigne\\fin', loadSegmentRules('fr'));
    expect(out).toBe('["Il a dit \\"oui\\".","C’est «\u00a0tout\u00a0»."]\n["Ligne\\\\fin"]\n');
  });
});

describe('the compiled CLI: relais segment', () => {
  test('FILE: one JSON array per paragraph on stdout, exit 0', () => {
    const r = segmentCli([file('cli-article.txt', ARTICLE)]);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(EXPECTED);
  });

  test('standard input when no file is given', () => {
    const r = segmentCli([], `${ARTICLE}\n`);
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual(EXPECTED);
  });

  test('empty standard input: no output, exit 0', () => {
    const r = segmentCli([], '');
    expect(r).toEqual({ code: 0, stdout: '', stderr: '' });
  });

  test('--rules FILE extends the rules', () => {
    const rules = file('cli-rules.json', JSON.stringify({ abbreviations: { neverEnd: ['Cie'] } }));
    const r = segmentCli(['--rules', rules], 'Dupont & Cie. Leroy aussi.');
    expect(r.code).toBe(0);
    expect(lines(r.stdout)).toEqual([['Dupont & Cie. Leroy aussi.']]);
  });

  test.for([
    { name: 'missing file', args: () => ['missing.txt'], input: '', stderr: /INPUT_NOT_FOUND no such file: missing\.txt/ },
    { name: 'Latin-1 file', args: () => [file('cli-latin1.txt', Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a]))], input: '', stderr: /INPUT_NOT_UTF8 invalid UTF-8 at byte offset 3/ },
    { name: 'Latin-1 on stdin', args: () => [], input: Buffer.from([0x43, 0x61, 0x66, 0xe9, 0x0a]), stderr: /<stdin>:1:4 INPUT_NOT_UTF8/ },
    { name: 'unknown language', args: () => ['--lang', 'xx'], input: 'Un.', stderr: /LANGUAGE_UNSUPPORTED/ },
    { name: 'bad rules file', args: () => ['--rules', file('cli-bad.json', '{"breaks": 3}')], input: 'Un.', stderr: /OPTION_INVALID .*"breaks" must be a list/ },
    { name: 'more than 2 MB on stdin', args: () => [], input: 'Phrase. '.repeat(300_000), stderr: /INPUT_TOO_LARGE/ },
  ])('$name: exit 1 with the code on stderr', ({ args, input, stderr }) => {
    const r = segmentCli(args(), input);
    expect(r.code).toBe(1);
    expect(r.stdout).toBe('');
    expect(r.stderr).toMatch(stderr);
  });

  test('a malformed command line exits with 2', () => {
    const r = segmentCli(['a.txt', 'b.txt']);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/too many arguments for 'segment'/);
  });

  test('relais segment --help names the argument and options; relais --help lists the command', () => {
    const help = segmentCli(['--help']);
    expect(help.code).toBe(0);
    for (const s of ['[file]', '--lang <code>', '--rules <file>', 'JSON array']) expect(help.stdout).toContain(s);
    const top = spawnSync(process.execPath, [CLI, '--help'], { cwd: ROOT, encoding: 'utf8' });
    expect(top.stdout).toMatch(/segment \[options\] \[file\]/);
  });
});
