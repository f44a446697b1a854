/**
 * One command run in a child process under GNU time (`/usr/bin/time`, Debian package `time`): wall time,
 * CPU time (user + system) of the child and every process it waited for — Apertium's chain of programs
 * included — and peak RSS (of the largest single process of that tree, not their sum).
 */
import { spawn } from 'node:child_process';
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export const GNU_TIME = '/usr/bin/time';

export interface Measurement {
  wallMs: number;
  /** User + system CPU of the whole process tree. */
  cpuMs: number;
  /** Peak resident set size of the largest process of the tree, in KiB. */
  maxRssKiB: number;
  stderr: string;
}

/** GNU time is needed for CPU time and RSS of a child's whole tree; say how to get it when it is missing. */
export function checkGnuTime(): void {
  if (!existsSync(GNU_TIME)) {
    throw new Error(`${GNU_TIME} is missing (GNU time, for CPU time and peak RSS of child processes). Install it: sudo apt-get install -y time`);
  }
}

export interface RunOptions {
  /** File read as stdin. @default nothing (/dev/null) */
  stdin?: string;
  /** File stdout goes to. @default discarded */
  stdout?: string;
  env?: NodeJS.ProcessEnv;
  cwd?: string;
}

/** Run `argv` under GNU time; rejects when it exits with a non-zero status (with its stderr). */
export async function measure(argv: readonly string[], o: RunOptions = {}): Promise<Measurement> {
  const dir = mkdtempSync(join(tmpdir(), 'relais-bench-time-'));
  const report = join(dir, 'time.txt');
  const fds: number[] = [];
  const open = (file: string | undefined, flags: string): number | 'ignore' => {
    if (!file) return 'ignore';
    const fd = openSync(file, flags);
    fds.push(fd);
    return fd;
  };
  try {
    const stdin = open(o.stdin, 'r');
    const stdout = open(o.stdout, 'w');
    const t0 = performance.now();
    const child = spawn(GNU_TIME, ['-f', '%e %U %S %M', '-o', report, ...argv], {
      stdio: [stdin, stdout, 'pipe'],
      env: o.env ?? process.env,
      ...(o.cwd ? { cwd: o.cwd } : {}),
    });
    let stderr = '';
    child.stderr!.setEncoding('utf8').on('data', (s: string) => (stderr += s));
    const code = await new Promise<number | null>((resolve, reject) => {
      child.on('error', reject);
      child.on('close', resolve);
    });
    const wallMs = performance.now() - t0;
    if (code !== 0) throw new Error(`${argv.join(' ')} exited with ${code}:\n${stderr.slice(-2000)}`);
    const [, user, sys, rss] = readFileSync(report, 'utf8').trim().split('\n').at(-1)!.split(' ').map(Number);
    return { wallMs, cpuMs: 1000 * (user! + sys!), maxRssKiB: rss!, stderr };
  } finally {
    for (const fd of fds) closeSync(fd);
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface Spread {
  median: number;
  min: number;
  max: number;
  values: number[];
}

export function spread(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length / 2;
  const median = sorted.length % 2 ? sorted[Math.floor(mid)]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
  return { median, min: sorted[0]!, max: sorted.at(-1)!, values: [...values] };
}
