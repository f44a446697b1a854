/** The only way relais writes a file: to a temp file in the same folder, fsync, rename. */
import { mkdirSync, appendFileSync, openSync, closeSync, fsyncSync, existsSync, statSync, readSync, readFileSync, truncateSync } from 'node:fs';
import { dirname } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { RelaisError } from '../errors.js';

export function writeFileAtomically(path: string, data: string | Buffer): void {
  try {
    mkdirSync(dirname(path), { recursive: true });
    writeFileAtomic.sync(path, data, { fsync: true });
  } catch (e) {
    throw writeError(path, e);
  }
}

export function writeJsonAtomically(path: string, value: unknown): void {
  writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Append lines to a journal and fsync, so a SIGKILL right after returns loses nothing written. A line
 * torn by an earlier kill (no final newline) is cut off first: appended after it, the next line would be
 * glued to it and lost, and the torn text would end up in the middle of the journal, where it means damage.
 */
export function appendLinesDurably(path: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
    dropTornTail(path);
    appendFileSync(path, lines.map((l) => `${l}\n`).join(''));
    const fd = openSync(path, 'r');
    try {
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (e) {
    throw writeError(path, e);
  }
}

function dropTornTail(path: string): void {
  if (!existsSync(path)) return;
  const size = statSync(path).size;
  if (size === 0) return;
  const last = Buffer.alloc(1);
  const fd = openSync(path, 'r');
  try {
    readSync(fd, last, 0, 1, size - 1);
  } finally {
    closeSync(fd);
  }
  if (last[0] === 0x0a) return;
  truncateSync(path, readFileSync(path).lastIndexOf(0x0a) + 1); // rare: only after a killed run
}

function writeError(path: string, e: unknown): RelaisError {
  const err = e as NodeJS.ErrnoException;
  const why =
    err.code === 'ENOSPC' ? 'the disk is full'
    : err.code === 'EACCES' || err.code === 'EPERM' ? 'permission denied'
    : err.code === 'EROFS' ? 'the file system is read-only'
    : (err.message ?? String(e));
  return new RelaisError('WRITE_FAILED', `cannot write ${path}: ${why}`, {
    place: { file: path },
    hint: 'Free space or fix permissions, then run again; files written before this one were left as they were.',
    cause: e,
  });
}
