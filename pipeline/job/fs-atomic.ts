/** The only way relais writes a file: to a temp file in the same folder, fsync, rename. */
import {
  mkdirSync, appendFileSync, openSync, closeSync, fsyncSync, existsSync, statSync, readSync, readFileSync, truncateSync, writeSync,
  renameSync, unlinkSync, close, fsync, open,
} from 'node:fs';
import { basename, dirname, sep } from 'node:path';
import { RelaisError } from '../errors.js';
import { crashPoint } from './crash-point.js';

/**
 * Temp file, fsync, rename, fsync the folder (`data` may be a sequence of chunks, written in turn): readers see the old file or the new one, never a part,
 * and a kill at any instant leaves the old file whole. The temp name holds our pid, so two processes
 * never share one; a killed run can leave its temp file behind, which nothing reads.
 */
export function writeFileAtomically(path: string, data: string | Buffer | Iterable<string | Buffer>, options: { durable?: boolean } = {}): void {
  // `durable: false` (caches, rebuilt when lost): still atomic against a kill, but a power cut may lose it.
  const durable = options.durable !== false;
  const tmp = `${dirname(path)}${sep}.${basename(path)}.${process.pid}.tmp`;
  try {
    mkdirSync(dirname(path), { recursive: true });
    const fd = openSync(tmp, 'w');
    try {
      // Chunks are written as they come: a large file need not be held whole.
      for (const chunk of typeof data === 'string' || Buffer.isBuffer(data) ? [data] : data) writeAll(fd, chunk);
      if (durable) fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
    crashPoint(`write:${crashLabelOf(path)}`);
    renameSync(tmp, path);
    if (durable) fsyncDir(dirname(path));
  } catch (e) {
    try {
      unlinkSync(tmp);
    } catch {
      /* never created, or already renamed */
    }
    throw writeFailure(path, e);
  }
}

/**
 * Write all of `data` at the file's position. A string goes to the kernel without a Buffer copy made
 * here first (an 8 MB translation artifact: ~9 ms instead of ~19); should the write come up short, the
 * rest is written from its bytes (a full disk then fails with ENOSPC on that write).
 */
function writeAll(fd: number, data: string | Buffer): void {
  if (typeof data === 'string') {
    const written = writeSync(fd, data);
    const total = Buffer.byteLength(data, 'utf8');
    if (written < total) writeAll(fd, Buffer.from(data, 'utf8').subarray(written));
    return;
  }
  for (let at = 0; at < data.length; ) at += writeSync(fd, data, at);
}

/** Make a rename or a new file in `dir` durable (best effort: not every file system can fsync a folder). */
export function fsyncDir(dir: string): void {
  let fd: number | undefined;
  try {
    fd = openSync(dir, 'r');
    fsyncSync(fd);
  } catch {
    /* EISDIR/EINVAL on some platforms: the rename is still atomic, only its durability is the OS's */
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** `…/articles/a1/translate/en.json` → `a1/translate/en.json`; elsewhere the file name. */
function crashLabelOf(path: string): string {
  const at = path.lastIndexOf(`${sep}articles${sep}`);
  return at === -1 ? basename(path) : path.slice(at + `${sep}articles${sep}`.length).split(sep).join('/');
}

export function writeJsonAtomically(path: string, value: unknown): void {
  writeFileAtomically(path, `${JSON.stringify(value, null, 2)}\n`);
}

/**
 * Append lines to a journal. The append is synchronous: once this returns, a SIGKILL loses nothing
 * written (the data is in the kernel's page cache). The fsync that makes it survive a power loss too
 * runs in the background (libuv's thread pool), at most one at a time per journal and once more if
 * lines came in meanwhile: a synchronous fsync per batch blocked the event loop — and with it the
 * engine's pipes — for 2–3 ms each (17 % of a 1 MB fr→es run). An fsync failure is thrown by the
 * next append to that journal. A line torn by an earlier kill (no final newline) is cut off first:
 * appended after it, the next line would be glued to it and lost, and the torn text would end up in
 * the middle of the journal, where it means damage. `crashLabel` names the journal in the crash
 * points (see crash-point.ts).
 */
export function appendLinesDurably(path: string, lines: readonly string[], crashLabel = basename(path)): void {
  if (lines.length === 0) return;
  try {
    const failed = syncFailures.get(path);
    if (failed) {
      syncFailures.delete(path);
      throw failed;
    }
    mkdirSync(dirname(path), { recursive: true });
    dropTornTail(path);
    const text = lines.map((l) => `${l}\n`).join('');
    crashPoint(`journal:${crashLabel}`);
    crashPoint(`journal-torn:${crashLabel}`, () => appendFileSync(path, text.slice(0, Math.max(1, Math.floor(text.length / 2)))));
    appendFileSync(path, text);
    syncInBackground(path);
  } catch (e) {
    throw writeFailure(path, e);
  }
}

/** Journals with an fsync in flight: `true` when more was appended since it started. */
const syncing = new Map<string, boolean>();
const syncFailures = new Map<string, unknown>();

function syncInBackground(path: string): void {
  if (syncing.has(path)) {
    syncing.set(path, true);
    return;
  }
  syncing.set(path, false);
  const done = (err: unknown) => {
    if (err) syncFailures.set(path, err);
    if (syncing.get(path) === true && !err) {
      syncing.set(path, false);
      run();
    } else syncing.delete(path);
  };
  const run = () =>
    open(path, 'r', (err, fd) => {
      if (err) return done(err);
      fsync(fd, (syncErr) => close(fd, () => done(syncErr)));
    });
  run();
}

/**
 * A last line without its newline was cut by a kill — unless it is whole and only the newline is missing,
 * which readers already count as written: that one is kept and given its newline.
 */
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
  // rare: only after a killed run
  const bytes = readFileSync(path);
  const start = bytes.lastIndexOf(0x0a) + 1;
  if (isJson(bytes.subarray(start).toString('utf8'))) appendFileSync(path, '\n');
  else truncateSync(path, start);
}

/** A journal line is a JSON object: a prefix of one never parses as an object. */
function isJson(text: string): boolean {
  try {
    const v: unknown = JSON.parse(text);
    return typeof v === 'object' && v !== null;
  } catch {
    return false;
  }
}

/** A failed write as WRITE_FAILED, naming the file and the reason (disk full, read-only…). */
export function writeFailure(path: string, e: unknown): RelaisError {
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
