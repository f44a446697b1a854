import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { appendLinesDurably, writeFileAtomically, writeJsonAtomically } from '../../pipeline/job/fs-atomic.js';
import { catchError } from '../helpers/catch-error.js';

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
