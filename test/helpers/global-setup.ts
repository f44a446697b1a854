/**
 * Every temporary folder the tests make (theirs and the CLI's they spawn) goes under one folder for
 * the run, removed at the end: thousands of scratch projects no longer pile up in /tmp.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export default function setup(): () => void {
  const previous = process.env.TMPDIR;
  const dir = mkdtempSync(join(tmpdir(), 'relais-tests-'));
  process.env.TMPDIR = dir;
  return () => {
    if (previous === undefined) delete process.env.TMPDIR;
    else process.env.TMPDIR = previous;
    try {
      rmSync(dir, { recursive: true, force: true, maxRetries: 3 });
    } catch (e) {
      console.warn(`could not remove the tests' temporary folder ${dir}: ${(e as Error).message}`);
    }
  };
}
