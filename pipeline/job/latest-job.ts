import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { DEFAULT_JOB_DIR } from './job-store.js';

/**
 * The job a command means when none is named: the one under `.relais/jobs/` whose manifest was written
 * last (each run rewrites it), or the default job folder when there is none; and the other jobs beside
 * it (a command that picked one says which, when there was a choice).
 */
export function chooseJobDir(root = join('.relais', 'jobs')): { dir: string; others: string[] } {
  if (!existsSync(root)) return { dir: DEFAULT_JOB_DIR, others: [] };
  const jobs: Array<{ dir: string; at: number }> = [];
  for (const name of readdirSync(root)) {
    const manifest = join(root, name, 'job.json');
    if (existsSync(manifest)) jobs.push({ dir: join(root, name), at: statSync(manifest).mtimeMs });
  }
  jobs.sort((a, b) => b.at - a.at);
  return { dir: jobs[0]?.dir ?? DEFAULT_JOB_DIR, others: jobs.slice(1).map((j) => j.dir) };
}
