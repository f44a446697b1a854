/** The only way relais writes a file: to a temp file in the same folder, fsync, rename. */
import { mkdirSync, appendFileSync, openSync, closeSync, fsyncSync } from 'node:fs';
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

/** Append lines to a journal and fsync, so a SIGKILL right after returns loses nothing written. */
export function appendLinesDurably(path: string, lines: readonly string[]): void {
  if (lines.length === 0) return;
  try {
    mkdirSync(dirname(path), { recursive: true });
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
