import { statfsSync } from 'node:fs';
import { dirname } from 'node:path';
import { RelaisError } from '../errors.js';

/** SQLite reports a full disk as an I/O error when it is the WAL index (-shm) that cannot grow. */
function diskNearlyFull(file: string): boolean {
  try {
    const st = statfsSync(dirname(file));
    return st.bavail * st.bsize < 1024 * 1024;
  } catch {
    return false;
  }
}

/**
 * A better-sqlite3 error → what the user can do about it. A full disk, a read-only folder or an I/O
 * error is WRITE_FAILED (nothing is wrong with the file: free space and run again); only a file that
 * is not a database, or a damaged one, is JOB_CORRUPT.
 */
export function sqliteError(e: unknown, file: string, what: string): RelaisError {
  if (e instanceof RelaisError) return e;
  const code = (e as { code?: unknown }).code;
  const message = e instanceof Error ? e.message : String(e);
  if (typeof code === 'string' && /^SQLITE_(FULL|IOERR|READONLY|CANTOPEN|PERM|BUSY|LOCKED)/.test(code)) {
    const why = code.startsWith('SQLITE_FULL') || (code.startsWith('SQLITE_IOERR') && diskNearlyFull(file)) ? 'the disk is full'
      : code.startsWith('SQLITE_READONLY') || code.startsWith('SQLITE_PERM') ? 'the folder or file is read-only'
      : code.startsWith('SQLITE_BUSY') || code.startsWith('SQLITE_LOCKED') ? 'another process holds it locked'
      : code.startsWith('SQLITE_CANTOPEN') ? 'it cannot be opened' : `an I/O error (${code})`;
    return new RelaisError('WRITE_FAILED', `could not ${what} ${file}: ${why}`, {
      place: { file },
      hint: 'Nothing already saved in it is lost. Free space or fix the permissions, then run the command again.',
    });
  }
  if (typeof code === 'string' && /^SQLITE_(CORRUPT|NOTADB)/.test(code)) {
    return new RelaisError('JOB_CORRUPT', `${file} is damaged or not a database (${code}): ${message}`, {
      place: { file },
      hint: 'Move the file away and run again; what it held is lost unless you have a copy (for review decisions: an XLIFF export).',
    });
  }
  return new RelaisError('WRITE_FAILED', `could not ${what} ${file}: ${message}`, { place: { file }, hint: 'Check the disk and the file, then run the command again.' });
}
