import { mkdirSync, mkdtempSync, readFileSync, readdirSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RelaisError } from '../../pipeline/errors.js';
import { bundlePath, writeBundles, type Bundle } from '../../pipeline/stages/publish/publish-bundles.js';
import { catchError } from '../helpers/catch-error.js';

type Entry = { lang: string; namespace: string; bundle: Bundle };

const LANGS = ['fr', 'en', 'ca', 'es'] as const;
const NAMESPACES = ['haut-diplomate', 'sommet-otan'] as const;

/** One run's bundles: every language × every namespace, es last (so a failure on es comes after the rest). */
function runBundles(tag: string): Entry[] {
  return NAMESPACES.flatMap((namespace) =>
    LANGS.map((lang) => ({ lang, namespace, bundle: { a1: `${tag} ${lang} ${namespace} « titre »`, b2: `${tag} ${lang}\u00a0& <b> "x"`, c3: '' } })),
  ).sort((x, y) => (x.lang === 'es' ? 1 : 0) - (y.lang === 'es' ? 1 : 0));
}

/** Every file under dir with its bytes (compared byte for byte), relative paths sorted. */
function snapshot(dir: string): Record<string, Buffer> {
  const out: Record<string, Buffer> = {};
  const walk = (d: string) => {
    for (const name of readdirSync(d).sort()) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out[relative(dir, p)] = readFileSync(p);
    }
  };
  walk(dir);
  return out;
}


function publishedProject(): { dir: string; before: Record<string, Buffer> } {
  const dir = join(mkdtempSync(join(tmpdir(), 'relais-publish-')), 'locales');
  writeBundles(dir, runBundles('v1'));
  return { dir, before: snapshot(dir) };
}

describe('writeBundles', () => {
  test('writes locales/<lng>/<ns>.json with the exact bundle, keys in order, and nothing else', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'relais-publish-')), 'locales');
    const entries = runBundles('v1');
    const paths = writeBundles(dir, entries);
    expect(paths).toEqual(entries.map((e) => join(dir, e.lang, `${e.namespace}.json`)));
    for (const e of entries) {
      const text = readFileSync(join(dir, e.lang, `${e.namespace}.json`), 'utf8');
      expect(text).toBe(`${JSON.stringify(e.bundle, null, 2)}\n`);
      expect(Object.keys(JSON.parse(text))).toEqual(['a1', 'b2', 'c3']);
    }
    expect(Object.keys(snapshot(dir))).toEqual(entries.map((e) => `${e.lang}/${e.namespace}.json`).sort());
  });

  test('a second run replaces every bundle and leaves no temporary files', () => {
    const { dir } = publishedProject();
    const v2 = runBundles('v2');
    writeBundles(dir, v2);
    const after = snapshot(dir);
    expect(Object.keys(after)).toHaveLength(v2.length);
    for (const e of v2) expect(JSON.parse(after[`${e.lang}/${e.namespace}.json`]!.toString('utf8'))).toEqual(e.bundle);
  });

  test('an empty list writes nothing', () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'relais-publish-')), 'locales');
    expect(writeBundles(dir, [])).toEqual([]);
  });
});

describe('writeBundles when one bundle cannot be written', () => {
  test.for([
    {
      name: 'locales/es is a regular file (mkdir fails while staging)',
      breakIt: (dir: string) => replaceWithFile(join(dir, 'es')),
      failing: (dir: string) => join(dir, 'es'),
    },
    {
      name: 'locales/es/sommet-otan.json is a directory (rename fails after the other bundles are renamed)',
      breakIt: (dir: string) => replaceWithDir(join(dir, 'es', 'sommet-otan.json')),
      failing: (dir: string) => join(dir, 'es', 'sommet-otan.json'),
    },
    {
      name: 'a new language folder path is taken by a file',
      breakIt: (dir: string) => {
        writeFileSync(join(dir, 'oc'), 'not a folder');
      },
      failing: (dir: string) => join(dir, 'oc'),
      extra: [{ lang: 'oc', namespace: 'haut-diplomate', bundle: { a1: 'oc' } }],
    },
  ])('$name: WRITE_FAILED naming the path; every published bundle unchanged; no temp files', ({ breakIt, failing, extra }) => {
    const { dir } = publishedProject();
    breakIt(dir);
    const before = snapshot(dir);
    const err = catchError(() => writeBundles(dir, [...runBundles('v2'), ...(extra ?? [])]));
    expect(err).toBeInstanceOf(RelaisError);
    expect(err).toMatchObject({ code: 'WRITE_FAILED', place: { file: expect.stringContaining(failing(dir)) } });
    expect((err as RelaisError).message).toContain(failing(dir));
    // Byte-identical, every language, and no `.tmp`/backup files anywhere.
    expect(snapshot(dir)).toEqual(before);
    for (const lang of ['fr', 'en', 'ca']) {
      for (const ns of NAMESPACES) expect(JSON.parse(before[`${lang}/${ns}.json`]!.toString('utf8')).a1).toBe(`v1 ${lang} ${ns} « titre »`);
    }
  });

  test('a namespace that escapes the locales folder is OPTION_INVALID and nothing is written', () => {
    const { dir, before } = publishedProject();
    const err = catchError(() => writeBundles(dir, [...runBundles('v2'), { lang: 'en', namespace: '../../evil', bundle: { a: 'x' } }]));
    expect(err).toMatchObject({ code: 'OPTION_INVALID' });
    expect(snapshot(dir)).toEqual(before);
  });
});

describe('bundlePath', () => {
  test.for([
    { name: 'a plain namespace', lang: 'en', namespace: 'article', ok: true },
    { name: 'a region subtag', lang: 'pt-BR', namespace: 'article', ok: true },
    { name: 'parent folders in the namespace', lang: 'en', namespace: '../../x', ok: false },
    { name: 'parent folder in the language', lang: '..', namespace: 'x', ok: false },
    { name: 'an absolute namespace', lang: 'en', namespace: '/etc/passwd', ok: false },
  ])('$name', ({ lang, namespace, ok }) => {
    const root = '/tmp/relais-locales';
    if (ok) expect(bundlePath(root, lang, namespace)).toBe(join(root, lang, `${namespace}.json`));
    else expect(() => bundlePath(root, lang, namespace)).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
  });
});

/** Put a regular file where a published folder was (its bundles kept aside, still compared). */
function replaceWithFile(path: string): void {
  renameSync(path, `${path}-published`);
  writeFileSync(path, 'a file where a folder should be');
}

/** Put a non-empty folder where a published bundle was. */
function replaceWithDir(path: string): void {
  renameSync(path, `${path}-published`);
  mkdirSync(join(path, 'child'), { recursive: true });
}
