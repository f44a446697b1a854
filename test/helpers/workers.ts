/**
 * `relais worker` processes for queue tests: started from the compiled CLI in their own process group
 * (a SIGKILL takes any engine child with it), their output kept, stopped with SIGTERM.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { CLI, assertBuilt } from './cli.js';

export interface WorkerProcess {
  name: string;
  child: ChildProcess;
  log: () => string;
  exited: Promise<number | null>;
}

export function startWorkerProcess(name: string, url: string, cwd: string, env: NodeJS.ProcessEnv, extra: string[] = []): WorkerProcess {
  assertBuilt();
  const child = spawn(process.execPath, [CLI, 'worker', '--queue', url, '--name', name, '--lock-seconds', '2', '--concurrency', '1', ...extra], {
    cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true,
  });
  let log = '';
  child.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
  child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
  const exited = new Promise<number | null>((r) => child.once('exit', (code) => r(code)));
  return { name, child, log: () => log, exited };
}

export async function waitFor(what: string, ok: () => boolean, ms = 60_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!ok()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

export async function stopAll(workers: WorkerProcess[]): Promise<void> {
  for (const w of workers) if (w.child.exitCode === null && w.child.signalCode === null) w.child.kill('SIGTERM');
  await Promise.all(workers.map((w) => w.exited));
}

