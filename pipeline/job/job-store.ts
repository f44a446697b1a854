/**
 * A job is a folder (default `.relais/jobs/default`) holding one JSON artifact per stage and article,
 * plus an append-only journal of translated segments. Every artifact records the hash of its inputs;
 * a stage whose recorded input hash still matches is not run again.
 */
import { closeSync, existsSync, openSync, readFileSync, readSync, readdirSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { RelaisError } from '../errors.js';
import type { Lang, TranslatedSegment } from '../artifacts.js';
import { appendLinesDurably, writeFileAtomically, writeJsonAtomically } from './fs-atomic.js';

export const DEFAULT_JOB_DIR = join('.relais', 'jobs', 'default');

/** What a job is about; written at the start of every run. */
export interface JobManifest {
  kind: 'job';
  version: 1;
  sources: Array<{ file: string; namespace: string }>;
  sourceLang: Lang;
  targets: Lang[];
  engine: string;
  /** The glossary as given (`file`), its absolute path (runs since 0.1.0's review fix) and its hash. */
  glossary: { file: string; path?: string; hash: string };
  /** Absolute path of the folder the run publishes to (`--locales`): `relais publish` uses it when not told another. */
  locales?: string;
  updated: string;
}

/** Stored artifacts wrap the stage output with the hash of what it was made from. */
export interface Stored<T> {
  inputHash: string;
  value: T;
}

export class JobStore {
  readonly dir: string;

  constructor(dir: string = DEFAULT_JOB_DIR) {
    this.dir = resolve(dir);
  }

  exists(): boolean {
    return existsSync(join(this.dir, 'job.json'));
  }

  readManifest(): JobManifest {
    const path = join(this.dir, 'job.json');
    if (!existsSync(path)) {
      throw new RelaisError('JOB_NOT_FOUND', `no job in ${this.dir}`, { hint: 'Start one with `relais run <files…>`.' });
    }
    const m = this.readJson<JobManifest>(path);
    // Valid JSON of another shape (a sync tool's leftover, a hand edit) is as corrupt as broken JSON.
    const ok = typeof m === 'object' && m !== null && m.kind === 'job'
      && Array.isArray(m.sources) && m.sources.every((x) => typeof x?.namespace === 'string' && typeof x.file === 'string')
      && Array.isArray(m.targets) && m.targets.every((t) => typeof t === 'string')
      && typeof m.sourceLang === 'string' && typeof m.engine === 'string' && typeof m.glossary?.hash === 'string';
    if (!ok) {
      throw new RelaisError('JOB_CORRUPT', `cannot read ${path}: not a relais job manifest`, {
        place: { file: path },
        hint: 'Run the job again with `relais run <files…> --job <dir>` (it rewrites job.json), or delete the folder.',
      });
    }
    return m;
  }

  writeManifest(m: JobManifest): void {
    writeJsonAtomically(join(this.dir, 'job.json'), m);
  }

  artifactPath(namespace: string, name: string): string {
    return join(this.dir, 'articles', namespace, name);
  }

  /** The stored artifact if it was made from `inputHash`, else undefined. */
  readArtifact<T>(namespace: string, name: string, inputHash?: string): T | undefined {
    const path = this.artifactPath(namespace, name);
    if (!existsSync(path)) return undefined;
    // The hash is written first: a stale artifact (an edited article's 3 MB segment.json) is known
    // from its first bytes, without parsing the rest.
    if (inputHash !== undefined) {
      const stale = storedHash(path);
      if (stale !== undefined && stale !== inputHash) return undefined;
    }
    const stored = this.readJson<Stored<T>>(path);
    if (typeof stored !== 'object' || stored === null || Array.isArray(stored) || !('value' in stored)) {
      throw new RelaisError('JOB_CORRUPT', `cannot read ${path}: not a stored artifact ({ inputHash, value })`, {
        place: { file: path },
        hint: 'Delete the job folder (or this file) and run again.',
      });
    }
    if (inputHash !== undefined && stored.inputHash !== inputHash) return undefined;
    return stored.value;
  }

  writeArtifact<T>(namespace: string, name: string, inputHash: string, value: T): void {
    // One line, not indented: a 1 MB article's English translation is 8 MB so, 12 MB indented, and
    // stage artifacts are read by relais, not by people (`relais status`, `review`, `export` show them).
    writeFileAtomically(this.artifactPath(namespace, name), `${JSON.stringify({ inputHash, value } satisfies Stored<T>)}\n`);
  }

  /**
   * A cache beside the artifacts (what an earlier run worked out, kept to be reused: paragraph
   * languages, sentence splits). Atomic like an artifact but not fsynced: lost or damaged by a power
   * cut, it is simply worked out again — `readCache` then returns undefined instead of failing.
   */
  writeCache<T>(namespace: string, name: string, inputHash: string, value: T): void {
    writeFileAtomically(this.artifactPath(namespace, name), `${JSON.stringify({ inputHash, value } satisfies Stored<T>)}\n`, { durable: false });
  }

  readCache<T>(namespace: string, name: string, inputHash: string): T | undefined {
    try {
      return this.readArtifact<T>(namespace, name, inputHash);
    } catch {
      return undefined;
    }
  }

  journalPath(namespace: string, lang: Lang): string {
    return this.artifactPath(namespace, join('translate', `${lang}.journal.jsonl`));
  }

  /**
   * Finished segments by cache key. A line torn by a kill mid-write is ignored (that segment is simply
   * translated again); anything else unreadable means the job folder was damaged.
   */
  readJournal(namespace: string, lang: Lang): Map<string, TranslatedSegment> {
    const path = this.journalPath(namespace, lang);
    const done = new Map<string, TranslatedSegment>();
    if (!existsSync(path)) return done;
    const lines = readFileSync(path, 'utf8').split('\n');
    lines.forEach((line, i) => {
      if (line.trim() === '') return;
      try {
        const seg = JSON.parse(line) as TranslatedSegment;
        done.set(seg.cacheKey, seg);
      } catch (e) {
        const isLast = lines.slice(i + 1).every((l) => l.trim() === '');
        if (!isLast) {
          throw new RelaisError('JOB_CORRUPT', `damaged journal line: ${(e as Error).message}`, {
            place: { file: path, line: i + 1 },
            hint: `Delete ${path} to translate this language again.`,
          });
        }
      }
    });
    return done;
  }

  appendJournal(namespace: string, lang: Lang, segments: readonly TranslatedSegment[]): void {
    appendLinesDurably(this.journalPath(namespace, lang), segments.map((s) => JSON.stringify(s)), `${namespace}/${lang}`);
  }

  namespaces(): string[] {
    const dir = join(this.dir, 'articles');
    return existsSync(dir) ? readdirSync(dir).filter((n) => !n.startsWith('_')).sort() : [];
  }

  private readJson<T>(path: string): T {
    try {
      return JSON.parse(readFileSync(path, 'utf8')) as T;
    } catch (e) {
      throw new RelaisError('JOB_CORRUPT', `cannot read ${path}: ${(e as Error).message}`, {
        place: { file: path },
        hint: 'Delete the job folder (or this file) and run again.',
      });
    }
  }
}

/** The `inputHash` at the start of a stored artifact, if it is there in the shape `writeArtifact` writes. */
function storedHash(path: string): string | undefined {
  const head = Buffer.alloc(256);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'r');
    const n = readSync(fd, head, 0, head.length, 0);
    return /^\{\s*"inputHash"\s*:\s*"([0-9a-f]{64})"/.exec(head.toString('utf8', 0, n))?.[1];
  } catch {
    return undefined; // the full read reports what is wrong
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/**
 * The glossary a job was translated with: its recorded path when the file is still there (else the
 * path as given, from the current folder), and whether that file still has the job's hash. undefined
 * when neither exists.
 */
/** The locales folder the job's last run published to, when it recorded one. */
export function jobLocalesDir(jobDir: string): string | undefined {
  const path = join(jobDir, 'job.json');
  if (!existsSync(path)) return undefined;
  return new JobStore(jobDir).readManifest().locales;
}

export function jobGlossaryFile(jobDir: string): { file: string; hash: string } | undefined {
  const m = new JobStore(jobDir).readManifest();
  const file = [m.glossary.path, m.glossary.file].find((f): f is string => f !== undefined && existsSync(f));
  return file === undefined ? undefined : { file, hash: m.glossary.hash };
}
