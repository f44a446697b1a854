/**
 * Preloaded into the relais child by the bench (`node --import …/node-usage.mjs`): at exit, writes
 * Node's own CPU time and peak RSS (`process.resourceUsage()`, children not included) as JSON to
 * RELAIS_BENCH_USAGE, so that relais' own work can be told from Apertium's.
 */
import { writeFileSync } from 'node:fs';

const file = process.env.RELAIS_BENCH_USAGE;
if (file) {
  process.on('exit', () => {
    const u = process.resourceUsage();
    writeFileSync(file, JSON.stringify({ userMs: u.userCPUTime / 1000, systemMs: u.systemCPUTime / 1000, maxRssKiB: u.maxRSS }));
  });
}
