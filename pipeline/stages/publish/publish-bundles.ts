/**
 * i18next bundles: `locales/<lng>/<namespace>.json`, flat keys (the segment ids) in document order,
 * the same keys in every language. Values are stored exactly; readers must turn off i18next's key and
 * namespace separators and interpolation (see README "Reading the bundles").
 *
 * A language is published as a unit. `locales/<lng>` is a symbolic link to a version folder holding
 * every namespace of that language, `locales/.versions/<lng>/<hash>/`, named by the hash of its
 * content and never changed once complete. Publishing writes new version folders for every language
 * it changes, and only when all are complete swaps each link by one rename — atomic on POSIX. So a
 * reader never sees a half-written file, and a reader that resolves `locales/<lng>` once (realpath,
 * or one open of the folder) reads one consistent set of namespaces, old or new, never a mix, even
 * when the publisher is killed. Publishing the same bundles again changes nothing on disk.
 *
 * A replaced version stays for `keepReplacedMs` (a reader may be in the middle of it), then goes.
 * One publisher at a time per locales folder (`.versions/lock`; others wait). A `locales/<lng>` that
 * is still a real folder (published by an older relais, or made by hand) is carried over into the
 * first version: only then is there an instant without `locales/<lng>`, between two renames.
 */
import {
  closeSync, constants, copyFileSync, existsSync, fsyncSync, lstatSync, mkdirSync, openSync, readFileSync, readdirSync, readlinkSync,
  renameSync, rmSync, statSync, symlinkSync, unlinkSync, utimesSync, writeSync,
} from 'node:fs';
import { createHash, randomBytes } from 'node:crypto';
import { dirname, join, relative, resolve, sep } from 'node:path';
import type { Lang, SegmentedArticle, TranslatedArticle } from '../../artifacts.js';
import { RelaisError } from '../../errors.js';
import { crashPoint } from '../../job/crash-point.js';
import { fsyncDir } from '../../job/fs-atomic.js';
import { acquireLock } from '../../job/lock.js';

export type Bundle = Record<string, string>;

/**
 * One bundle to publish: the key → text object, its bytes as `serializeBundle` wrote them, or a file
 * holding those bytes (`relais run` keeps what it plans on disk: publishing holds one file at a time).
 */
export type BundleEntry = { lang: Lang; namespace: string } & ({ bundle: Bundle } | { bytes: Buffer } | { file: string });

/** A file of a language's new version: its bytes, or where to read them (read when needed, one at a time). */
type Source = Buffer | { path: string };

/** The folder under `locales/` that holds every language's versions (and the publish lock). */
export const VERSIONS_DIR = '.versions';

export interface WriteBundlesOptions {
  /** How long a replaced version stays for readers that resolved the link just before the swap. @default 60000 */
  keepReplacedMs?: number;
  /** How long to wait for another process publishing to the same folder. @default 30000 */
  lockWaitMs?: number;
  /**
   * Runs once the bundles are in place, before the lock goes: what must not interleave with another
   * publisher (`locales/manifest.json`, which describes every language's namespaces). Runs even when
   * there are no bundles. If it throws, every language goes back to its previous version.
   */
  afterSwap?: () => void;
  /**
   * Namespaces to take down: their file leaves every language that has it (each such language gets a
   * new version without it, swapped in like any publish).
   */
  remove?: readonly string[];
}

export function buildSourceBundle(segmented: SegmentedArticle): Bundle {
  return Object.fromEntries(segmented.segments.map((s) => [s.id, s.text]));
}

export function buildTargetBundle(article: TranslatedArticle): Bundle {
  return Object.fromEntries(article.segments.map((s) => [s.id, s.target]));
}

/** The text of a published bundle, as written (review/publish-reviewed.ts hashes it for the manifest). */
export function serializeBundle(bundle: Bundle): string {
  return `${JSON.stringify(bundle, null, 2)}\n`;
}

function bundleSource(entry: BundleEntry): Source {
  if ('file' in entry) return { path: entry.file };
  return 'bytes' in entry ? entry.bytes : Buffer.from(serializeBundle(entry.bundle), 'utf8');
}

function bytesOf(source: Source): Buffer {
  return Buffer.isBuffer(source) ? source : readFileSync(source.path);
}

export function bundlePath(localesDir: string, lang: Lang, namespace: string): string {
  const root = resolve(localesDir);
  const path = resolve(root, lang, `${namespace}.json`);
  // One folder per language right under the root (not `.versions`, not `..`), one file per namespace in it.
  const ok = lang !== '' && !lang.startsWith('.') && !/[\\/]/.test(lang) && path.startsWith(root + sep) && dirname(path) === join(root, lang);
  if (!ok) {
    throw new RelaisError('OPTION_INVALID', `refusing to write outside ${join(root, '<language>')}: ${lang}/${namespace}.json`);
  }
  return path;
}

/** What `locales/<lng>` is before publishing. */
type Current =
  | { kind: 'none' }
  /** A link to one of our versions (`dir`), or to a folder elsewhere; `text` is the link as written. */
  | { kind: 'version' | 'foreign'; dir: string; text: string }
  /** A real folder. */
  | { kind: 'legacy'; dir: string };

interface Plan {
  lang: Lang;
  link: string;
  version: string;
  /** The version folder was made by this call (removed again if publishing fails). */
  made: boolean;
  previous: Current;
  /** Where a legacy folder was moved when the link took its place. */
  movedTo?: string;
}

/**
 * Publish bundles: each language they touch becomes a new version (its other namespaces carried over)
 * swapped in by one rename, after every language's version is complete. A failure before the swaps
 * leaves `locales/` as it was; one during the swaps puts back the languages already swapped.
 * Returns the bundle paths (`locales/<lng>/<ns>.json`).
 */
export function writeBundles(
  localesDir: string, bundles: readonly BundleEntry[], options: WriteBundlesOptions = {},
): string[] {
  // Refuse a bad language/namespace (OPTION_INVALID) before anything touches the disk.
  const paths = bundles.map((b) => bundlePath(localesDir, b.lang, b.namespace));
  const entries = bundles;
  const remove = new Set((options.remove ?? []).map((ns) => `${ns}.json`));
  if (entries.length === 0 && !options.afterSwap && remove.size === 0) return [];
  const root = resolve(localesDir);
  const store = join(root, VERSIONS_DIR);
  const byLang = new Map<Lang, Map<string, Source>>();
  for (const e of entries) {
    const files = byLang.get(e.lang) ?? new Map<string, Source>();
    files.set(`${e.namespace}.json`, bundleSource(e));
    byLang.set(e.lang, files);
  }
  // A take-down touches every language that has one of the files.
  if (remove.size > 0 && existsSync(root)) {
    for (const lang of readdirSync(root)) {
      if (lang.startsWith('.') || byLang.has(lang)) continue;
      if ([...remove].some((name) => existsSync(join(root, lang, name)))) byLang.set(lang, new Map());
    }
  }

  let lock;
  try {
    mkdirSync(store, { recursive: true });
    lock = acquireLock(join(store, 'lock'), {
      code: 'LOCALES_LOCKED',
      heldBy: `${localesDir} is being published by`,
      hint: 'Another relais is publishing there; run `relais publish` again once it is done.',
      crashKind: 'locales-lock',
      waitMs: options.lockWaitMs ?? 30_000,
    });
  } catch (e) {
    if (e instanceof RelaisError && e.code !== 'WRITE_FAILED') throw e;
    throw publishFailure(localesDir, existsSync(store) ? join(store, 'lock') : root, e instanceof RelaisError ? e.cause : e);
  }
  try {
    removeDebris(store);
    const plans: Plan[] = [];
    let at = root;
    try {
      for (const [lang, files] of byLang) {
        at = join(root, lang);
        const plan = stageLanguage(root, store, lang, files, remove);
        if (plan) plans.push(plan);
      }
    } catch (e) {
      for (const p of plans) if (p.made) tryQuietly(() => rmSync(p.version, { recursive: true, force: true }));
      removeDebris(store);
      throw e instanceof RelaisError ? e : publishFailure(localesDir, at, e);
    }
    const swapped: Plan[] = [];
    try {
      for (const p of plans) {
        at = p.link;
        swapLanguage(root, store, p);
        swapped.push(p);
      }
      // The manifest is part of the publish: if it cannot be written (a full disk), the languages go
      // back to what they were, so that it never describes bundles other than those being served.
      at = join(root, 'manifest.json');
      options.afterSwap?.();
    } catch (e) {
      for (const p of swapped.reverse()) tryQuietly(() => swapBack(root, store, p));
      for (const p of plans) if (p.made) tryQuietly(() => rmSync(p.version, { recursive: true, force: true }));
      removeDebris(store);
      throw e instanceof RelaisError && e.code !== 'WRITE_FAILED' ? e : publishFailure(localesDir, at, e);
    }
    collectReplaced(root, store, options.keepReplacedMs ?? 60_000);
  } finally {
    lock.release();
  }
  return paths;
}

/**
 * The new version of one language: what `locales/<lng>` holds now, with `files` written over it, in
 * a folder named by the hash of its content. Undefined when that is exactly what is published already.
 * Files are read one at a time (to hash, compare and copy them): memory does not grow with the bundles.
 */
function stageLanguage(root: string, store: string, lang: Lang, files: ReadonlyMap<string, Source>, remove: ReadonlySet<string> = new Set()): Plan | undefined {
  const link = join(root, lang);
  const previous = currentOf(root, store, link);
  const content = previous.kind === 'none' ? new Map<string, Source>() : listTree(previous.dir);
  for (const [name, source] of files) content.set(name, source);
  for (const name of remove) content.delete(name);
  const names = [...content.keys()].sort();
  const digest = createHash('sha256');
  for (const n of names) {
    const bytes = bytesOf(content.get(n)!);
    digest.update(`${n}\0${bytes.length}\0`).update(bytes);
  }
  const hash = digest.digest('hex').slice(0, 16);
  const langDir = join(store, lang);
  let version = join(langDir, hash);
  if (previous.kind === 'version' && previous.dir === version && sameTree(version, content)) return undefined;
  let made = false;
  if (existsSync(version) && !sameTree(version, content)) {
    // A folder of that name with other content (changed by hand through the link): never reuse it.
    if (previous.kind === 'version' && previous.dir === version) version = `${version}-${Date.now().toString(36)}`;
    else rmSync(version, { recursive: true, force: true });
  }
  if (!existsSync(version)) {
    mkdirSync(langDir, { recursive: true });
    const staging = join(langDir, `.staging-${process.pid}-${randomBytes(4).toString('hex')}`);
    mkdirSync(staging);
    for (const name of names) {
      writeDurably(join(staging, name), content.get(name)!);
      crashPoint(`publish-file:${lang}/${name}`);
    }
    fsyncDir(staging);
    renameSync(staging, version);
    fsyncDir(langDir);
    made = true;
    crashPoint(`publish-staged:${lang}`);
  }
  return { lang, link, version, made, previous };
}

/** Point `locales/<lng>` at the plan's version: one rename of a new link over the old one. */
function swapLanguage(root: string, store: string, p: Plan): void {
  if (p.previous.kind === 'legacy') {
    // A real folder cannot be replaced by a rename: it is moved into the store first (kept like a replaced version).
    p.movedTo = join(store, p.lang, `legacy-${Date.now().toString(36)}`);
    renameSync(p.link, p.movedTo);
  }
  pointLink(root, store, p.link, relative(root, p.version));
  if (p.previous.kind === 'version' || p.previous.kind === 'legacy') markReplaced(p.movedTo ?? p.previous.dir);
  crashPoint(`publish-swap:${p.lang}`);
}

/** Undo `swapLanguage` (a later language failed). */
function swapBack(root: string, store: string, p: Plan): void {
  const prev = p.previous;
  if (prev.kind === 'none') unlinkSync(p.link);
  else if (prev.kind === 'legacy') {
    unlinkSync(p.link);
    renameSync(p.movedTo!, p.link);
  } else pointLink(root, store, p.link, prev.text);
}

/** Create the link beside the store and rename it over `link` (an existing link is replaced atomically). */
function pointLink(root: string, store: string, link: string, target: string): void {
  const tmp = join(store, `.link-${process.pid}-${randomBytes(4).toString('hex')}`);
  symlinkSync(target, tmp);
  try {
    renameSync(tmp, link);
  } catch (e) {
    tryQuietly(() => unlinkSync(tmp));
    throw e;
  }
  fsyncDir(root);
}

function currentOf(root: string, store: string, link: string): Current {
  let st;
  try {
    st = lstatSync(link);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return { kind: 'none' };
    throw e;
  }
  if (st.isSymbolicLink()) {
    const text = readlinkSync(link);
    const dir = resolve(root, text);
    if (!existsSync(dir) || !statSync(dir).isDirectory()) return { kind: 'none' }; // dangling: replaced
    return { kind: dir.startsWith(store + sep) ? 'version' : 'foreign', dir, text };
  }
  if (st.isDirectory()) return { kind: 'legacy', dir: link };
  throw Object.assign(new Error(`${link} is a file, not a folder`), { code: 'ENOTDIR' });
}

/** Every file under `dir` (relative paths, `/`-separated) and where it is. */
function listTree(dir: string): Map<string, Source> {
  const out = new Map<string, Source>();
  const walk = (d: string, prefix: string) => {
    for (const entry of readdirSync(d, { withFileTypes: true })) {
      if (entry.name.startsWith('.')) continue; // temp files an older relais could leave in a language folder
      const p = join(d, entry.name);
      if (entry.isDirectory()) walk(p, `${prefix}${entry.name}/`);
      else if (entry.isFile() || (entry.isSymbolicLink() && statSync(p).isFile())) out.set(`${prefix}${entry.name}`, { path: p });
    }
  };
  walk(dir, '');
  return out;
}

function sameTree(dir: string, content: ReadonlyMap<string, Source>): boolean {
  try {
    const have = listTree(dir);
    return have.size === content.size && [...content].every(([n, source]) => {
      const there = have.get(n);
      return there !== undefined && bytesOf(there).equals(bytesOf(source));
    });
  } catch {
    return false;
  }
}

/** Write (or copy) one file of a staged version and make it durable. */
function writeDurably(path: string, source: Source): void {
  mkdirSync(join(path, '..'), { recursive: true });
  if (!Buffer.isBuffer(source)) copyFileSync(source.path, path, constants.COPYFILE_EXCL);
  const fd = openSync(path, Buffer.isBuffer(source) ? 'wx' : 'r+');
  try {
    if (Buffer.isBuffer(source)) writeSync(fd, source);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

/** A replaced version's mtime says when it was replaced (it is kept `keepReplacedMs` after that). */
function markReplaced(dir: string): void {
  const now = new Date();
  tryQuietly(() => utimesSync(dir, now, now));
}

/**
 * Under the lock no one else is staging: staging folders and links left behind are a killed
 * publisher's, and go.
 */
function removeDebris(store: string): void {
  for (const name of safeReaddir(store)) {
    const p = join(store, name);
    if (name.startsWith('.link-')) tryQuietly(() => unlinkSync(p));
    else if (!name.startsWith('.') && name !== 'lock') {
      for (const v of safeReaddir(p)) if (v.startsWith('.staging-')) tryQuietly(() => rmSync(join(p, v), { recursive: true, force: true }));
    }
  }
}

/** Versions that are not current and were replaced (or staged and never used) over `keepMs` ago. */
function collectReplaced(root: string, store: string, keepMs: number): void {
  const now = Date.now();
  for (const lang of safeReaddir(store)) {
    if (lang.startsWith('.') || lang.startsWith('lock')) continue;
    let current: string | undefined;
    try {
      current = resolve(root, readlinkSync(join(root, lang)));
    } catch {
      current = undefined;
    }
    for (const v of safeReaddir(join(store, lang))) {
      const p = join(store, lang, v);
      if (p === current || v.startsWith('.')) continue;
      tryQuietly(() => {
        if (now - statSync(p).mtimeMs >= keepMs) rmSync(p, { recursive: true, force: true });
      });
    }
  }
}

function publishFailure(localesDir: string, path: string, e: unknown): RelaisError {
  // A WRITE_FAILED from a write of our own (the manifest's) is told by the system error under it.
  const err = (e instanceof RelaisError && e.cause !== undefined ? e.cause : e) as NodeJS.ErrnoException;
  const why =
    err?.code === 'ENOSPC' ? 'the disk is full'
    : err?.code === 'EROFS' ? `${localesDir} is on a read-only file system`
    : err?.code === 'EACCES' || err?.code === 'EPERM' ? `${localesDir} is not writable (permission denied)`
    : err?.code === 'ENOTDIR' || err?.code === 'EEXIST' ? `a file is in the way where a folder should be (${err.message})`
    : (err?.message ?? String(e));
  return new RelaisError('WRITE_FAILED', `could not publish ${path}: ${why}`, {
    place: { file: path },
    hint: 'Nothing was published; the previous bundles are intact. Fix the problem (free space, make the folder writable) and run `relais publish`.',
    cause: e,
  });
}

function safeReaddir(dir: string): string[] {
  try {
    return readdirSync(dir);
  } catch {
    return [];
  }
}

function tryQuietly(fn: () => void): void {
  try {
    fn();
  } catch {
    /* best effort: already gone, or never created */
  }
}
