import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { appendLinesDurably, writeFileAtomically, writeJsonAtomically } from '../../pipeline/job/fs-atomic.js';
import { catchError } from '../helpers/catch-error.js';
import { assertBuilt, ROOT } from '../helpers/cli.js';

function scratch(): string {
  return mkdtempSync(join(tmpdir(), 'relais-fs-'));
}


describe('writeFileAtomically', () => {
  test.for([
    { name: 'text', data: 'Moscou « Kyiv »\n' as string | Buffer },
    { name: 'empty', data: '' },
    { name: 'bytes that are not UTF-8', data: Buffer.from([0xff, 0x00, 0xfe]) },
  ])('writes $name exactly, creating folders, leaving nothing else', ({ data }) => {
    const dir = scratch();
    const path = join(dir, 'a', 'b', 'file.bin');
    writeFileSync(join(dir, 'keep'), 'x');
    writeFileAtomically(path, 'old');
    writeFileAtomically(path, data);
    expect(readFileSync(path)).toEqual(Buffer.from(data));
    expect(readdirSync(join(dir, 'a', 'b'))).toEqual(['file.bin']);
  });

  test('a failed write leaves the old file whole', () => {
    const dir = scratch();
    const path = join(dir, 'x.json');
    writeFileAtomically(path, 'old');
    mkdirSync(join(dir, `.x.json.${process.pid}.tmp`)); // the temp name is taken: the write fails before the rename
    expect(catchError(() => writeFileAtomically(path, 'new'))).toMatchObject({ code: 'WRITE_FAILED' });
    expect(readFileSync(path, 'utf8')).toBe('old');
  });

  test.for([
    { name: 'the parent is a file', setup: (d: string) => writeFileSync(join(d, 'p'), ''), path: (d: string) => join(d, 'p', 'x.json') },
    { name: 'the target is a folder', setup: (d: string) => mkdirSync(join(d, 'x.json', 'child'), { recursive: true }), path: (d: string) => join(d, 'x.json') },
  ])('WRITE_FAILED naming the file when $name', ({ setup, path }) => {
    const dir = scratch();
    setup(dir);
    expect(catchError(() => writeJsonAtomically(path(dir), { a: 1 }))).toMatchObject({ code: 'WRITE_FAILED', place: { file: path(dir) } });
  });
});

describe('appendLinesDurably', () => {
  test.for([
    { name: 'a new file', before: undefined as string | undefined, lines: ['a', 'b'], after: 'a\nb\n' },
    { name: 'nothing to append leaves the file alone', before: 'torn', lines: [], after: 'torn' },
    { name: 'after complete lines', before: 'x\n', lines: ['a'], after: 'x\na\n' },
    { name: 'after a torn last line: the torn text is cut off', before: 'x\n{"id":', lines: ['a'], after: 'x\na\n' },
    { name: 'a file that is only a torn line', before: '{"id"', lines: ['a'], after: 'a\n' },
    { name: 'an empty file', before: '', lines: ['a'], after: 'a\n' },
    // Readers count a whole JSON line as written even without its newline: it is kept, not cut.
    { name: 'after a whole last line that only lacks its newline', before: 'x\n{"id":"s1"}', lines: ['a'], after: 'x\n{"id":"s1"}\na\n' },
    { name: 'after a torn line that happens to be valid JSON but not an object', before: 'x\n{"id":"s1"}\n12', lines: ['a'], after: 'x\n{"id":"s1"}\na\n' },
  ])('$name', ({ before, lines, after }) => {
    const path = join(scratch(), 'j', 'en.jsonl');
    if (before !== undefined) {
      mkdirSync(join(path, '..'), { recursive: true });
      writeFileSync(path, before);
    }
    appendLinesDurably(path, lines);
    expect(readFileSync(path, 'utf8')).toBe(after);
  });

  test('WRITE_FAILED when the journal path is a folder', () => {
    const path = join(scratch(), 'en.jsonl');
    mkdirSync(path);
    expect(catchError(() => appendLinesDurably(path, ['a']))).toMatchObject({ code: 'WRITE_FAILED', place: { file: path } });
  });
});

describe('crash points (RELAIS_CRASH_AT), in a child process killed for real', () => {
  const run = (code: string, env: Record<string, string>) =>
    spawnSync(process.execPath, ['--input-type=module', '-e', code], { env: { ...process.env, ...env }, encoding: 'utf8' });

  test('a kill before the rename leaves the old file whole (and only a temp file beside it)', () => {
    assertBuilt();
    const dir = scratch();
    const path = join(dir, 'articles', 'a1', 'segment.json');
    const code = `import { writeFileAtomically } from ${JSON.stringify(join(ROOT, 'dist/pipeline/job/fs-atomic.js'))};
      writeFileAtomically(${JSON.stringify(path)}, 'old'); writeFileAtomically(${JSON.stringify(path)}, 'new');`;
    const r = run(code, { RELAIS_CRASH_AT: 'write:a1/segment.json:2' });
    expect(r.signal).toBe('SIGKILL');
    expect(readFileSync(path, 'utf8')).toBe('old');
    expect(readdirSync(join(dir, 'articles', 'a1')).sort()).toEqual(['.segment.json.' + r.pid + '.tmp', 'segment.json']);
  });

  test('a journal append torn by a kill is cut off by the next append, whole lines kept', () => {
    assertBuilt();
    const path = join(scratch(), 'en.journal.jsonl');
    const code = `import { appendLinesDurably } from ${JSON.stringify(join(ROOT, 'dist/pipeline/job/fs-atomic.js'))};
      appendLinesDurably(${JSON.stringify(path)}, ['{"id":"s1"}'], 'a1/en');
      appendLinesDurably(${JSON.stringify(path)}, ['{"id":"s2"}', '{"id":"s3"}', '{"id":"s4"}'], 'a1/en');`;
    const r = run(code, { RELAIS_CRASH_AT: 'journal-torn:a1/en:2' });
    expect(r.signal).toBe('SIGKILL');
    const torn = readFileSync(path, 'utf8');
    expect(torn.startsWith('{"id":"s1"}\n{"id":"s2"}\n')).toBe(true);
    expect(torn.endsWith('\n')).toBe(false);
    appendLinesDurably(path, ['{"id":"s5"}']);
    expect(readFileSync(path, 'utf8')).toBe('{"id":"s1"}\n{"id":"s2"}\n{"id":"s5"}\n');
  });

  test('RELAIS_CRASH_TRACE lists every point reached, in order', () => {
    assertBuilt();
    const dir = scratch();
    const trace = join(dir, 'trace.txt');
    const code = `import { writeFileAtomically, appendLinesDurably } from ${JSON.stringify(join(ROOT, 'dist/pipeline/job/fs-atomic.js'))};
      writeFileAtomically(${JSON.stringify(join(dir, 'job.json'))}, '{}'); appendLinesDurably(${JSON.stringify(join(dir, 'j.jsonl'))}, ['{}'], 'a1/ca');`;
    const r = run(code, { RELAIS_CRASH_TRACE: trace });
    expect(r.status, r.stderr).toBe(0);
    expect(readFileSync(trace, 'utf8')).toBe('write:job.json\njournal:a1/ca\njournal-torn:a1/ca\n');
  });

  test('a malformed RELAIS_CRASH_AT is refused, not ignored', () => {
    assertBuilt();
    const r = run(`import ${JSON.stringify(join(ROOT, 'dist/pipeline/job/crash-point.js'))};`, { RELAIS_CRASH_AT: 'write:job.json' });
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain('RELAIS_CRASH_AT must be <label>:<n>');
  });
});
