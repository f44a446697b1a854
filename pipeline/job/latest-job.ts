import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_JOB_DIR } from './job-store.js';

/**
 * The job a reading command means when none is named: the one under `.relais/jobs/` whose manifest was
 * written last (each run rewrites it), or the default job folder when there is none.
 */
export function latestJobDir(root = join('.relais', 'jobs')): string {
  if (!existsSync(root)) return DEFAULT_JOB_DIR;
  let best: { dir: string; at: number } | undefined;
  for (const name of readdirSync(root)) {
    const manifest = join(root, name, 'job.json');
    if (!existsSync(manifest)) continue;
    const at = statSync(manifest).mtimeMs;
    if (!best || at > best.at) best = { dir: join(root, name), at };
  }
  return best?.dir ?? DEFAULT_JOB_DIR;
}
