/**
 * The crash-safety harness's tools: a multi-article project, the CLI run as a child (killed by its
 * own crash point or by us), the crash points an uninterrupted run passes, a seeded choice among them,
 * and what the job and locales/ hold afterwards.
 */
import { spawn } from 'node:child_process';
import { cpSync, existsSync, lstatSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { EngineRequestLogEntry } from '../../pipeline/job/engine-request-log.js';
import { assertBuilt, CLI, ROOT, scratchProject, SEED } from '../helpers/cli.js';

/** `npm run test:chaos` sets it: more kill points, more engines, chains of kills. */
export const CHAOS_LONG = process.env.RELAIS_CHAOS_LONG === '1';
/** Every choice the harness makes derives from this seed; a failure prints it with the point. */
export const CHAOS_SEED = Number(process.env.RELAIS_CHAOS_SEED ?? 20261128);

const CORPUS = join(ROOT, 'test/fixtures/corpus/wikinews-400.txt');

export { seededRandom } from '../../pipeline/seeded-random.js';

/**
 * Three articles: two of 40 Wikinews sentences each (three engine batches per language each) and the
 * seed, whose glossary names make the translate stage probe and cache renderings.
 */
export const ARTICLE_FILES = ['depeches-un.txt', 'depeches-deux.txt', 'haut-diplomate-americain.fr.txt'];

/** Projects to remove once a test file is done (see `removeProjects`). */
const projects: string[] = [];

/** Remove the projects made by `chaosProject` (call from afterAll; a failed scenario keeps its own). */
export function removeProjects(): void {
  for (const dir of projects.splice(0)) rmSync(dir, { recursive: true, force: true });
}

/** A scratch project with the three articles; `keep`: not removed by `removeProjects` (the caller decides). */
export function chaosProject(prefix: string, seedLocales?: string, keep = false): string {
  const dir = scratchProject(prefix);
  if (!keep) projects.push(dir);
  const lines = readFileSync(CORPUS, 'utf8').split('\n\n').map((l) => l.trim()).filter(Boolean);
  writeFileSync(join(dir, ARTICLE_FILES[0]!), `Dépêches, première partie\n\n${lines.slice(0, 40).join('\n\n')}\n`);
  writeFileSync(join(dir, ARTICLE_FILES[1]!), `Dépêches, seconde partie\n\n${lines.slice(40, 80).join('\n\n')}\n`);
  cpSync(SEED, join(dir, ARTICLE_FILES[2]!));
  // An earlier publication in place, so that publishing replaces bundles (the case readers care about).
  if (seedLocales) cpSync(seedLocales, join(dir, 'locales'), { recursive: true, verbatimSymlinks: true });
  return dir;
}

/** The earlier publication: the same articles minus their last paragraph, published once. */
export async function olderPublication(engine: string): Promise<string> {
  const dir = chaosProject(`relais-chaos-v0-${engine}-`);
  for (const f of ARTICLE_FILES) {
    const text = readFileSync(join(dir, f), 'utf8').trimEnd().split('\n\n');
    writeFileSync(join(dir, f), `${text.slice(0, -1).join('\n\n')}\n`);
  }
  const r = await runRelais(runArgs(engine), dir);
  if (r.code !== 0) throw new Error(`the earlier publication failed (exit ${r.code}, ${r.signal}):\n${r.stderr}`);
  return join(dir, 'locales');
}

export function runArgs(engine: string): string[] {
  return ['run', ...ARTICLE_FILES, '--to', 'en,es,ca', '--engine', engine, '--job', 'job', '--json'];
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
  pid: number;
}

/**
 * The compiled CLI as a child in its own process group. `killAfterMs` SIGKILLs the whole group
 * that long after the start, or after `killAfterPath` appears (the external, timed variant of a crash point).
 */
export function runRelais(args: string[], cwd: string, env: NodeJS.ProcessEnv = {}, killAfterMs?: number, killAfterPath?: string): Promise<RunResult> {
  assertBuilt();
  const t0 = Date.now();
  // The harness's own variables never leak from one run into the next.
  const base = Object.fromEntries(Object.entries(process.env).filter(([k]) => !['RELAIS_CRASH_AT', 'RELAIS_CRASH_TRACE', 'RELAIS_ENGINE_LOG'].includes(k)));
  return new Promise((resolvePromise, reject) => {
    const child = spawn(process.execPath, [CLI, ...args], { cwd, env: { ...base, ...env }, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => (stdout += d));
    child.stderr.setEncoding('utf8').on('data', (d: string) => (stderr += d));
    // The timer starts with the run, or once `killAfterPath` exists (e.g. the first journal: translation has begun).
    let killer: NodeJS.Timeout | undefined;
    const arm = () => (killer = setTimeout(() => killGroup(child.pid!), killAfterMs));
    if (killAfterMs !== undefined && killAfterPath === undefined) arm();
    else if (killAfterMs !== undefined) {
      const poll = () => {
        if (child.exitCode !== null || child.signalCode !== null) return;
        if (existsSync(join(cwd, killAfterPath!))) arm();
        else killer = setTimeout(poll, 2);
      };
      poll();
    }
    const guard = setTimeout(() => killGroup(child.pid!), 180_000);
    child.on('error', reject);
    child.on('close', (code, signal) => {
      clearTimeout(guard);
      if (killer) clearTimeout(killer);
      resolvePromise({ code, signal, stdout, stderr, ms: Date.now() - t0, pid: child.pid! });
    });
  });
}

export function killGroup(pid: number): void {
  try {
    process.kill(-pid, 'SIGKILL');
  } catch {
    /* already gone */
  }
}

/* ------------------------------------------------------------------ crash points */

export interface KillPoint {
  /** `RELAIS_CRASH_AT` value: `<label>:<n>`. */
  at: string;
  kind: string;
}

/** The crash points an uninterrupted run passed, in order (RELAIS_CRASH_TRACE). */
export function readTrace(file: string): string[] {
  return readFileSync(file, 'utf8').split('\n').filter(Boolean);
}

/**
 * `count` distinct points of a trace, seeded: one of every kind first (so every stage is hit, the
 * publish steps included) — or of `kinds` only, if given — then at random over all their hits.
 */
export function choosePoints(trace: readonly string[], count: number, random: () => number, kinds?: readonly string[]): KillPoint[] {
  const seen = new Map<string, number>();
  const all = trace
    .map((label) => {
      const n = (seen.get(label) ?? 0) + 1;
      seen.set(label, n);
      return { at: `${label}:${n}`, kind: label.slice(0, label.indexOf(':')) };
    })
    .filter((p) => !kinds || kinds.includes(p.kind));
  const chosen = new Map<string, KillPoint>();
  const pick = (of: readonly KillPoint[]) => {
    if (of.length === 0 || chosen.size >= count) return;
    const p = of[Math.floor(random() * of.length)]!;
    chosen.set(p.at, p);
  };
  for (const kind of new Set(all.map((p) => p.kind))) pick(all.filter((p) => p.kind === kind));
  // Artifact writes by stage, so that ingest, segment, translate, align and the end of the run all appear.
  for (const what of ['/ingest.json', '/segment.json', '/translate/', '/align/', 'renderings', 'published.json', 'last-run.json']) {
    pick(all.filter((p) => p.kind === 'write' && p.at.includes(what)));
  }
  while (chosen.size < Math.min(count, all.length)) pick(all);
  return [...chosen.values()];
}

/** `count` hits of a trace drawn at random (for chains of kills), in the order drawn. */
export function randomPoints(trace: readonly string[], count: number, random: () => number): KillPoint[] {
  return Array.from({ length: count }, () => {
    const i = Math.floor(random() * trace.length);
    const label = trace[i]!;
    const n = trace.slice(0, i + 1).filter((l) => l === label).length;
    return { at: `${label}:${n}`, kind: label.slice(0, label.indexOf(':')) };
  });
}

/* ------------------------------------------------------------------ what the job and locales/ hold */

/** Segment ids journaled per `<namespace>/<lang>` (a torn last line does not count: it is not finished). */
export function journaled(jobDir: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  const articles = join(jobDir, 'articles');
  if (!existsSync(articles)) return out;
  for (const ns of readdirSync(articles)) {
    const dir = join(articles, ns, 'translate');
    if (!existsSync(dir)) continue;
    for (const f of readdirSync(dir).filter((n) => n.endsWith('.journal.jsonl'))) {
      const ids = new Set<string>();
      for (const line of readFileSync(join(dir, f), 'utf8').split('\n')) {
        try {
          ids.add((JSON.parse(line) as { id: string }).id);
        } catch {
          /* empty or torn */
        }
      }
      out.set(`${ns}/${f.replace('.journal.jsonl', '')}`, ids);
    }
  }
  return out;
}

export function readEngineLog(file: string): EngineRequestLogEntry[] {
  if (!existsSync(file)) return [];
  return readFileSync(file, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l) as EngineRequestLogEntry);
}

export interface EngineCount {
  /** Segments sent (first requests, not retries of a segment being finished). */
  sent: number;
  /** Of those, segments every language the request serves had already journaled. */
  resent: string[];
  /** A segment sent twice for the same language in one run. */
  duplicates: string[];
}

/** What a run asked the engine for, against what was journaled before it started. */
export function countEngineRequests(log: readonly EngineRequestLogEntry[], before: Map<string, Set<string>>): EngineCount {
  const count: EngineCount = { sent: 0, resent: [], duplicates: [] };
  const asked = new Set<string>();
  for (const e of log) {
    if (e.retry) continue;
    for (const id of e.ids) {
      count.sent++;
      if (e.serves.every((l) => before.get(`${e.namespace}/${l}`)?.has(id))) count.resent.push(`${e.namespace}/${e.lang}/${id}`);
      const key = `${e.namespace}/${e.lang}/${id}`;
      if (asked.has(key)) count.duplicates.push(key);
      asked.add(key);
    }
  }
  return count;
}

/**
 * What a reader of `locales/` gets: every `<lang>/<file>` through the language links, with its bytes;
 * where each language link points (content-addressed, so equal content means an equal name); and the
 * files beside them (`manifest.json`).
 */
export function publishedBundles(localesDir: string): Map<string, string | Buffer> {
  const out = new Map<string, string | Buffer>();
  if (!existsSync(localesDir)) return out;
  for (const lang of readdirSync(localesDir).filter((n) => !n.startsWith('.')).sort()) {
    const p = join(localesDir, lang);
    if (!statSync(p).isDirectory()) {
      out.set(lang, readFileSync(p)); // locales/manifest.json
      continue;
    }
    out.set(`${lang} →`, lstatSync(p).isSymbolicLink() ? readlinkSync(p) : '(a real folder)');
    for (const f of readdirSync(p).sort()) out.set(`${lang}/${f}`, readFileSync(join(p, f)));
  }
  return out;
}

/** Leftovers a finished run must not leave: staging folders, temp links, a lock. */
export function debris(dir: string): string[] {
  const found: string[] = [];
  const versions = join(dir, 'locales', '.versions');
  if (existsSync(versions)) {
    for (const name of readdirSync(versions)) {
      if (name.startsWith('.link-') || name === 'lock' || name === 'lock.takeover') found.push(`locales/.versions/${name}`);
      const sub = join(versions, name);
      if (statSync(sub).isDirectory()) for (const v of readdirSync(sub)) if (v.startsWith('.staging-')) found.push(`locales/.versions/${name}/${v}`);
    }
  }
  if (existsSync(join(dir, 'job', 'lock'))) found.push('job/lock');
  return found;
}

/** Run `tasks` with at most `width` at once (the machine has 2 cores; so does CI). */
export async function inPool<T>(width: number, tasks: ReadonlyArray<() => Promise<T>>): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(width, tasks.length) }, async () => {
      while (next < tasks.length) {
        const i = next++;
        results[i] = await tasks[i]!();
      }
    }),
  );
  return results;
}
