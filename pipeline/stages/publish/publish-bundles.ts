/**
 * i18next bundles: `locales/<lng>/<namespace>.json`, flat keys (the segment ids) in document order,
 * the same keys in every language. Values are stored exactly; readers must turn off i18next's key and
 * namespace separators and interpolation (see README "Reading the bundles").
 */
import { closeSync, constants, copyFileSync, existsSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { basename, dirname, join, resolve, sep } from 'node:path';
import type { Lang, SegmentedArticle, TranslatedArticle } from '../../artifacts.js';
import { RelaisError } from '../../errors.js';

export type Bundle = Record<string, string>;

export function buildSourceBundle(segmented: SegmentedArticle): Bundle {
  return Object.fromEntries(segmented.segments.map((s) => [s.id, s.text]));
}

export function buildTargetBundle(article: TranslatedArticle): Bundle {
  return Object.fromEntries(article.segments.map((s) => [s.id, s.target]));
}

export function bundlePath(localesDir: string, lang: Lang, namespace: string): string {
  const root = resolve(localesDir);
  const path = resolve(root, lang, `${namespace}.json`);
  if (!path.startsWith(root + sep)) {
    throw new RelaisError('OPTION_INVALID', `refusing to write outside ${root}: ${lang}/${namespace}.json`);
  }
  return path;
}

/**
 * Write every bundle of a run as one unit: all go to temporary files first (fsynced); only when every
 * one is written are they renamed into place. A failure while staging leaves every earlier bundle as it
 * was; a rename that fails halfway (the target path became a folder…) puts back the bundles already
 * replaced, from copies taken just before. Either way no temporary file is left behind.
 */
export function writeBundles(localesDir: string, bundles: ReadonlyArray<{ lang: Lang; namespace: string; bundle: Bundle }>): string[] {
  // Refuse a bad language/namespace (OPTION_INVALID) before anything touches the disk.
  const targets = bundles.map((b) => ({ path: bundlePath(localesDir, b.lang, b.namespace), bundle: b.bundle }));
  const staged: Array<{ tmp: string; path: string }> = [];
  const backups: Array<{ backup: string; path: string }> = [];
  const renamed: string[] = [];
  let current = resolve(localesDir);
  try {
    for (const { path, bundle } of targets) {
      current = path;
      mkdirSync(dirname(path), { recursive: true });
      const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
      staged.push({ tmp, path });
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, `${JSON.stringify(bundle, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
    for (const s of staged) {
      current = s.path;
      if (existsSync(s.path)) {
        const backup = `${s.tmp}.bak`;
        copyFileSync(s.path, backup, constants.COPYFILE_FICLONE);
        backups.push({ backup, path: s.path });
      }
      renameSync(s.tmp, s.path);
      renamed.push(s.path);
    }
  } catch (e) {
    for (const path of renamed.reverse()) {
      const b = backups.find((x) => x.path === path);
      tryQuietly(() => (b ? renameSync(b.backup, path) : unlinkSync(path)));
    }
    for (const x of [...staged.map((s) => s.tmp), ...backups.map((b) => b.backup)]) tryQuietly(() => unlinkSync(x));
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOSPC' ? 'the disk is full' : err.code === 'EACCES' || err.code === 'EROFS' || err.code === 'EPERM' ? `${localesDir} is not writable` : err.message;
    throw new RelaisError('WRITE_FAILED', `could not publish ${current}: ${why}`, {
      place: { file: current },
      hint: 'Nothing was published; the previous bundles are intact. Fix the problem and run `relais publish`.',
      cause: e,
    });
  }
  for (const b of backups) tryQuietly(() => unlinkSync(b.backup));
  return staged.map((s) => s.path);
}

function tryQuietly(fn: () => void): void {
  try {
    fn();
  } catch {
    /* best effort: already gone, or never created */
  }
}
