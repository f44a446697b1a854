import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { cpSync, existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

export const ROOT = resolve(import.meta.dirname, '../..');
export const CLI = join(ROOT, 'dist/pipeline/cli/main.js');
export const SEED = join(ROOT, 'seeds/haut-diplomate-americain.fr.txt');

/** The CLI is tested as users run it: the compiled bin. `npm test` builds it first (pretest). */
export function assertBuilt(): void {
  if (!existsSync(CLI)) throw new Error(`${CLI} is missing: run \`npm test\` (its pretest builds it) or \`npm run build\`.`);
}

/** A scratch project folder holding the real glossary.yaml, where jobs and bundles can be written. */
export function scratchProject(prefix = 'relais-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  cpSync(join(ROOT, 'glossary.yaml'), join(dir, 'glossary.yaml'));
  return dir;
}

export function runCli(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}) {
  assertBuilt();
  const r = spawnSync(process.execPath, [CLI, ...args], { cwd, encoding: 'utf8', env: { ...process.env, ...env }, timeout: 300_000 });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

export function spawnCli(args: string[], cwd: string): ChildProcess {
  assertBuilt();
  return spawn(process.execPath, [CLI, ...args], { cwd, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
}

/**
 * `runCli` without blocking this process's event loop: needed when the test itself serves the CLI
 * (a DeepL-compatible server on 127.0.0.1 answers from this process).
 */
export function runCliAsync(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  assertBuilt();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 120_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr });
    });
  });
}
