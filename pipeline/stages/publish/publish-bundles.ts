/**
 * i18next bundles: `locales/<lng>/<namespace>.json`, flat keys (the segment ids) in document order,
 * the same keys in every language. Values are stored exactly; readers must turn off i18next's key and
 * namespace separators and interpolation (see README "Reading the bundles").
 */
import { closeSync, fsyncSync, mkdirSync, openSync, renameSync, unlinkSync, writeSync } from 'node:fs';
import { dirname, join, resolve, sep } from 'node:path';
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
 * one is written are they renamed into place. A failure before that leaves every earlier bundle as it was.
 */
export function writeBundles(localesDir: string, bundles: ReadonlyArray<{ lang: Lang; namespace: string; bundle: Bundle }>): string[] {
  const staged: Array<{ tmp: string; path: string }> = [];
  try {
    for (const { lang, namespace, bundle } of bundles) {
      const path = bundlePath(localesDir, lang, namespace);
      mkdirSync(dirname(path), { recursive: true });
      const tmp = join(dirname(path), `.${namespace}.json.${process.pid}.tmp`);
      staged.push({ tmp, path });
      const fd = openSync(tmp, 'w');
      try {
        writeSync(fd, `${JSON.stringify(bundle, null, 2)}\n`);
        fsyncSync(fd);
      } finally {
        closeSync(fd);
      }
    }
  } catch (e) {
    for (const s of staged) {
      try {
        unlinkSync(s.tmp);
      } catch {
        /* never created */
      }
    }
    const err = e as NodeJS.ErrnoException;
    const why = err.code === 'ENOSPC' ? 'the disk is full' : err.code === 'EACCES' || err.code === 'EROFS' || err.code === 'EPERM' ? `${localesDir} is not writable` : err.message;
    throw new RelaisError('WRITE_FAILED', `could not publish the bundles: ${why}`, {
      place: { file: resolve(localesDir) },
      hint: 'Nothing was published; the previous bundles are intact. Fix the problem and run `relais publish`.',
      cause: e,
    });
  }
  for (const s of staged) renameSync(s.tmp, s.path);
  return staged.map((s) => s.path);
}
