import { spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, lstatSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, realpathSync, renameSync, rmSync, statSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { RelaisError } from '../../pipeline/errors.js';
import { bundlePath, VERSIONS_DIR, writeBundles, type Bundle } from '../../pipeline/stages/publish/publish-bundles.js';
import { catchError } from '../helpers/catch-error.js';
import { snapshot } from '../helpers/snapshot.js';

const snapshotWithEmpty = (dir: string) => snapshot(dir, { emptyFolders: true });

type Entry = { lang: string; namespace: string; bundle: Bundle };

const LANGS = ['fr', 'en', 'ca', 'es'] as const;
const NAMESPACES = ['haut-diplomate', 'sommet-otan'] as const;

/** One run's bundles: every language × every namespace, es last (so a failure on es comes after the rest). */
function runBundles(tag: string): Entry[] {
  return NAMESPACES.flatMap((namespace) =>
    LANGS.map((lang) => ({ lang, namespace, bundle: { a1: `${tag} ${lang} ${namespace} « titre »`, b2: `${tag} ${lang}\u00a0& <b> "x"`, c3: '' } })),
  ).sort((x, y) => (x.lang === 'es' ? 1 : 0) - (y.lang === 'es' ? 1 : 0));
}


/** What a reader gets through `locales/<lang>/`: `<lang>/<ns>.json` → parsed bundle. */
function published(dir: string): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const lang of readdirSync(dir).filter((n) => !n.startsWith('.')).sort()) {
    for (const f of readdirSync(join(dir, lang)).sort()) out[`${lang}/${f}`] = JSON.parse(readFileSync(join(dir, lang, f), 'utf8'));
  }
  return out;
}

function locales(): string {
  return join(mkdtempSync(join(tmpdir(), 'relais-publish-')), 'locales');
}

function publishedProject(): { dir: string; before: Record<string, Buffer | string> } {
  const dir = locales();
  writeBundles(dir, runBundles('v1'));
  return { dir, before: snapshotWithEmpty(dir) };
}

describe('writeBundles', () => {
  test('writes locales/<lng>/<ns>.json with the exact bundle, each language a link to one version folder', () => {
    const dir = locales();
    const entries = runBundles('v1');
    const paths = writeBundles(dir, entries);
    expect(paths).toEqual(entries.map((e) => join(dir, e.lang, `${e.namespace}.json`)));
    for (const e of entries) {
      const text = readFileSync(join(dir, e.lang, `${e.namespace}.json`), 'utf8');
      expect(text).toBe(`${JSON.stringify(e.bundle, null, 2)}\n`);
      expect(Object.keys(JSON.parse(text))).toEqual(['a1', 'b2', 'c3']);
    }
    for (const lang of LANGS) {
      expect(lstatSync(join(dir, lang)).isSymbolicLink()).toBe(true);
      // Relative, so that locales/ can be copied or deployed elsewhere (cp -r, rsync -a keep it working).
      expect(readlinkSync(join(dir, lang))).toMatch(new RegExp(`^\\${VERSIONS_DIR}/${lang}/[0-9a-f]{16}$`));
      expect(readdirSync(join(dir, lang)).sort()).toEqual(NAMESPACES.map((ns) => `${ns}.json`));
    }
    expect(readdirSync(dir).sort()).toEqual([VERSIONS_DIR, ...LANGS].sort());
  });

  test('a second run replaces every bundle; the replaced versions stay for readers, then go; no temporary files', () => {
    const { dir } = publishedProject();
    const v1 = Object.fromEntries(LANGS.map((l) => [l, realpathSync(join(dir, l))]));
    writeBundles(dir, runBundles('v2'));
    expect(published(dir)).toEqual(Object.fromEntries(runBundles('v2').map((e) => [`${e.lang}/${e.namespace}.json`, e.bundle])));
    // A reader that resolved locales/en just before the swap can still read all of v1.
    for (const l of LANGS) expect(JSON.parse(readFileSync(join(v1[l]!, 'sommet-otan.json'), 'utf8')).a1).toBe(`v1 ${l} sommet-otan « titre »`);
    // Once replaced long enough ago, the next publish removes them; nothing else is left.
    for (const l of LANGS) utimesSync(v1[l]!, new Date(0), new Date(0));
    writeBundles(dir, runBundles('v3'), { keepReplacedMs: 60_000 });
    for (const l of LANGS) {
      expect(readdirSync(join(dir, VERSIONS_DIR, l))).toHaveLength(2); // v3, and v2 replaced just now
      expect(readdirSync(join(dir, VERSIONS_DIR, l))).not.toContain(v1[l]!.split('/').pop());
    }
    expect(Object.keys(snapshotWithEmpty(dir)).filter((k) => /\.staging-|\.link-|\.tmp|lock/.test(k))).toEqual([]);
  });

  test('publishing the same bundles again changes nothing on disk', () => {
    const { dir, before } = publishedProject();
    const mtimes = LANGS.map((l) => statSync(join(dir, VERSIONS_DIR, l)).mtimeMs);
    writeBundles(dir, runBundles('v1'));
    expect(snapshotWithEmpty(dir)).toEqual(before);
    expect(LANGS.map((l) => statSync(join(dir, VERSIONS_DIR, l)).mtimeMs)).toEqual(mtimes);
  });


  test('bundles handed over as files (as `relais run` does) publish the same versions as bytes; the folder name is the hash of the content as earlier relais named it', () => {
    const fromBytes = locales();
    writeBundles(fromBytes, runBundles('v1'));
    const fromFiles = locales();
    const spill = mkdtempSync(join(tmpdir(), 'relais-spill-'));
    const asFiles = runBundles('v1').map((b, i) => {
      const file = join(spill, `${i}.json`);
      writeFileSync(file, `${JSON.stringify(b.bundle, null, 2)}\n`);
      return { lang: b.lang, namespace: b.namespace, file };
    });
    writeBundles(fromFiles, asFiles);
    expect(snapshotWithEmpty(fromFiles)).toEqual(snapshotWithEmpty(fromBytes));
    // sha256 over "<name>\0<length>\0<bytes>" of each file, by name: unchanged, so an upgrade does not re-version what is published.
    const names = NAMESPACES.map((ns) => `${ns}.json`).sort();
    const digest = createHash('sha256');
    for (const n of names) {
      const bytes = readFileSync(join(fromFiles, 'fr', n));
      digest.update(`${n}\0${bytes.length}\0`).update(bytes);
    }
    expect(readlinkSync(join(fromFiles, 'fr'))).toBe(join(VERSIONS_DIR, 'fr', digest.digest('hex').slice(0, 16)));
    const before = snapshotWithEmpty(fromFiles);
    writeBundles(fromFiles, asFiles.slice(0, 3)); // the same files again (others carried over): nothing changes
    expect(snapshotWithEmpty(fromFiles)).toEqual(before);
    // A changed file makes a new version of its language only; the other namespace is carried over.
    writeFileSync(asFiles[0]!.file, '{\n  "a1": "changed"\n}\n');
    writeBundles(fromFiles, [asFiles[0]!]);
    expect(published(fromFiles)).toMatchObject({ [`${asFiles[0]!.lang}/${asFiles[0]!.namespace}.json`]: { a1: 'changed' }, [`${asFiles[0]!.lang}/sommet-otan.json`]: { a1: `v1 ${asFiles[0]!.lang} sommet-otan « titre »` } });
    expect(readdirSync(join(fromFiles, VERSIONS_DIR, asFiles[0]!.lang)).filter((v) => !v.startsWith('.'))).toHaveLength(2);
  });
  test('namespaces this run does not publish (another job\'s articles) are carried into the new version', () => {
    const { dir } = publishedProject();
    writeBundles(dir, [{ lang: 'en', namespace: 'sommet-otan', bundle: { a1: 'new' } }, { lang: 'oc', namespace: 'autre', bundle: { z: 'òc' } }]);
    expect(published(dir)).toMatchObject({
      'en/haut-diplomate.json': { a1: 'v1 en haut-diplomate « titre »' },
      'en/sommet-otan.json': { a1: 'new' },
      'fr/sommet-otan.json': { a1: 'v1 fr sommet-otan « titre »' },
      'oc/autre.json': { z: 'òc' },
    });
  });

  test('a language folder of an older relais (a real folder) is carried over, its other files kept', () => {
    const dir = locales();
    mkdirSync(join(dir, 'en', 'extra'), { recursive: true });
    writeFileSync(join(dir, 'en', 'sommet-otan.json'), '{"old":"yes"}\n');
    writeFileSync(join(dir, 'en', 'common.json'), '{"hello":"Hello"}\n');
    writeFileSync(join(dir, 'en', 'extra', 'notes.txt'), 'kept');
    writeFileSync(join(dir, 'en', '.sommet-otan.json.123.tmp'), 'debris of an older relais killed mid-publish');
    writeBundles(dir, runBundles('v1'));
    expect(lstatSync(join(dir, 'en')).isSymbolicLink()).toBe(true);
    expect(readdirSync(join(dir, 'en')).sort()).toEqual(['common.json', 'extra', 'haut-diplomate.json', 'sommet-otan.json']);
    expect(readFileSync(join(dir, 'en', 'common.json'), 'utf8')).toBe('{"hello":"Hello"}\n');
    expect(readFileSync(join(dir, 'en', 'extra', 'notes.txt'), 'utf8')).toBe('kept');
    expect(JSON.parse(readFileSync(join(dir, 'en', 'sommet-otan.json'), 'utf8')).a1).toBe('v1 en sommet-otan « titre »');
  });

  test('an empty list writes nothing', () => {
    const dir = locales();
    expect(writeBundles(dir, [])).toEqual([]);
    expect(() => readdirSync(dir)).toThrow();
  });

  test('what a killed publisher left (a staging folder, a temporary link, a complete unused version) is cleaned up', () => {
    const { dir } = publishedProject();
    const store = join(dir, VERSIONS_DIR);
    mkdirSync(join(store, 'en', '.staging-99999-abcd'));
    writeFileSync(join(store, 'en', '.staging-99999-abcd', 'sommet-otan.json'), '{"half":');
    spawnSync('ln', ['-s', 'nowhere', join(store, '.link-99999-abcd')]);
    mkdirSync(join(store, 'es', 'ffffffffffffffff'));
    utimesSync(join(store, 'es', 'ffffffffffffffff'), new Date(0), new Date(0));
    writeBundles(dir, runBundles('v2'));
    const left = Object.keys(snapshotWithEmpty(dir));
    expect(left.filter((k) => k.includes('99999') || k.includes('ffffffffffffffff'))).toEqual([]);
  });
});

describe('writeBundles when a language cannot be published', () => {
  test.for([
    {
      name: 'locales/es is a regular file',
      breakIt: (dir: string) => replaceWithFile(join(dir, 'es')),
      failing: (dir: string) => join(dir, 'es'),
      why: /a file is in the way where a folder should be/,
    },
    {
      name: 'the versions folder of es is a file (es fails after every other language is staged)',
      breakIt: (dir: string) => {
        const store = join(dir, VERSIONS_DIR, 'es');
        rmSync(store, { recursive: true });
        writeFileSync(store, 'in the way');
        rmSync(join(dir, 'es'));
      },
      failing: (dir: string) => join(dir, 'es'),
      why: /a file is in the way where a folder should be/,
    },
    {
      name: 'a new language folder path is taken by a file',
      breakIt: (dir: string) => {
        writeFileSync(join(dir, 'oc'), 'not a folder');
      },
      failing: (dir: string) => join(dir, 'oc'),
      extra: [{ lang: 'oc', namespace: 'haut-diplomate', bundle: { a1: 'oc' } }],
      why: /a file is in the way/,
    },
  ])('$name: WRITE_FAILED naming the path; every published bundle unchanged; nothing left behind', ({ breakIt, failing, extra, why }) => {
    const { dir } = publishedProject();
    breakIt(dir);
    const before = snapshotWithEmpty(dir);
    const err = catchError(() => writeBundles(dir, [...runBundles('v2'), ...(extra ?? [])]));
    expect(err).toBeInstanceOf(RelaisError);
    expect(err).toMatchObject({ code: 'WRITE_FAILED', place: { file: failing(dir) } });
    expect((err as RelaisError).message).toContain(failing(dir));
    expect((err as RelaisError).message).toMatch(why);
    expect((err as RelaisError).hint).toMatch(/previous bundles are intact/);
    // Byte-identical, every language, links included, and no staging folder, link or lock anywhere.
    expect(snapshotWithEmpty(dir)).toEqual(before);
    for (const lang of ['fr', 'en', 'ca']) {
      for (const ns of NAMESPACES) expect(JSON.parse(readFileSync(join(dir, lang, `${ns}.json`), 'utf8')).a1).toBe(`v1 ${lang} ${ns} « titre »`);
    }
  });

  test('the manifest cannot be written (a full disk): every language goes back to its previous version', () => {
    const { dir, before } = publishedProject();
    const full = Object.assign(new Error('ENOSPC: no space left on device, write'), { code: 'ENOSPC' });
    const err = catchError(() => writeBundles(dir, runBundles('v2'), { afterSwap: () => { throw full; } }));
    expect(err).toMatchObject({ code: 'WRITE_FAILED', place: { file: join(dir, 'manifest.json') } });
    expect((err as RelaisError).message).toMatch(/could not publish .*manifest\.json: the disk is full/);
    // What readers get is the v1 publication, byte for byte (no v2 version folder left either).
    expect(snapshotWithEmpty(dir)).toEqual(before);
  });

  test('locales/ itself is a file: WRITE_FAILED naming it', () => {
    const dir = locales();
    mkdirSync(join(dir, '..'), { recursive: true });
    writeFileSync(dir, 'a file');
    const err = catchError(() => writeBundles(dir, runBundles('v1')));
    expect(err).toMatchObject({ code: 'WRITE_FAILED', place: { file: dir } });
    expect(readFileSync(dir, 'utf8')).toBe('a file');
  });

  test('a namespace or language that escapes its folder is OPTION_INVALID and nothing is written', () => {
    const { dir, before } = publishedProject();
    for (const bad of [{ lang: 'en', namespace: '../../evil' }, { lang: VERSIONS_DIR, namespace: 'x' }, { lang: 'en/../fr', namespace: 'x' }]) {
      const err = catchError(() => writeBundles(dir, [...runBundles('v2'), { ...bad, bundle: { a: 'x' } }]));
      expect(err).toMatchObject({ code: 'OPTION_INVALID' });
    }
    expect(snapshotWithEmpty(dir)).toEqual(before);
  });
});

describe('one publisher at a time per locales folder', () => {
  test('a publish lock left by a killed publisher is taken over', () => {
    const { dir } = publishedProject();
    const dead = spawnSync(process.execPath, ['-e', '']).pid!;
    writeFileSync(join(dir, VERSIONS_DIR, 'lock'), JSON.stringify({ pid: dead, started: '2026-01-01T00:00:00.000Z' }));
    writeBundles(dir, runBundles('v2'));
    expect(JSON.parse(readFileSync(join(dir, 'en', 'sommet-otan.json'), 'utf8')).a1).toBe('v2 en sommet-otan « titre »');
    expect(readdirSync(join(dir, VERSIONS_DIR))).not.toContain('lock');
  });

  test('while another live process publishes, it waits; past the wait, LOCALES_LOCKED naming that process', () => {
    const { dir } = publishedProject();
    const other = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
    try {
      writeFileSync(join(dir, VERSIONS_DIR, 'lock'), JSON.stringify({ pid: other.pid, started: '2026-11-28T10:15:00.000Z' }));
      const before = snapshotWithEmpty(dir);
      const t0 = Date.now();
      const err = catchError(() => writeBundles(dir, runBundles('v2'), { lockWaitMs: 300 }));
      expect(Date.now() - t0).toBeGreaterThanOrEqual(300);
      expect(err).toMatchObject({ code: 'LOCALES_LOCKED' });
      expect((err as Error).message).toContain(`is being published by process ${other.pid} (since 2026-11-28T10:15:00.000Z); waited 0 s`);
      expect(snapshotWithEmpty(dir)).toEqual(before);
    } finally {
      other.kill('SIGKILL');
    }
  });

  test('afterSwap (where relais writes locales/manifest.json) runs once the bundles are in place, with the lock still held; with no bundles too', () => {
    const { dir } = publishedProject();
    const lock = join(dir, VERSIONS_DIR, 'lock');
    const seen: Array<{ a1: string; locked: boolean }> = [];
    const afterSwap = () => seen.push({ a1: JSON.parse(readFileSync(join(dir, 'en', 'sommet-otan.json'), 'utf8')).a1, locked: readdirSync(join(dir, VERSIONS_DIR)).includes('lock') });
    writeBundles(dir, runBundles('v2'), { afterSwap });
    writeBundles(dir, [], { afterSwap });
    expect(seen).toEqual([{ a1: 'v2 en sommet-otan « titre »', locked: true }, { a1: 'v2 en sommet-otan « titre »', locked: true }]);
    expect(readdirSync(join(dir, VERSIONS_DIR))).not.toContain('lock');
    // Another publisher meanwhile waits: here, one started from inside it gives up after its wait.
    const err = catchError(() => writeBundles(dir, runBundles('v3'), { afterSwap: () => writeBundles(dir, runBundles('v4'), { lockWaitMs: 100 }) }));
    expect(err).toMatchObject({ code: 'LOCALES_LOCKED' });
    // A failing afterSwap takes back the bundles it followed (a manifest must not describe other bundles than those served), and the lock goes.
    expect(JSON.parse(readFileSync(join(dir, 'en', 'sommet-otan.json'), 'utf8')).a1).toBe('v2 en sommet-otan « titre »');
    expect(existsSync(lock)).toBe(false);
  });

  test('the wait ends when the other publisher is done, and this publish goes through', () => {
    const { dir } = publishedProject();
    const lock = join(dir, VERSIONS_DIR, 'lock');
    // Another process holds the lock for 400 ms (its own pid in it), then lets go.
    const holder = spawnSync('bash', ['--norc', '-c', `node -e 'require("fs").writeFileSync(process.argv[1], JSON.stringify({ pid: process.pid, started: "now" })); setTimeout(() => require("fs").unlinkSync(process.argv[1]), 400)' '${lock}' </dev/null >/dev/null 2>&1 & while [ ! -e '${lock}' ]; do sleep 0.01; done`], { encoding: 'utf8' });
    expect(holder.status).toBe(0);
    const t0 = Date.now();
    writeBundles(dir, runBundles('v2'), { lockWaitMs: 10_000 });
    expect(Date.now() - t0).toBeGreaterThanOrEqual(200);
    expect(JSON.parse(readFileSync(join(dir, 'en', 'sommet-otan.json'), 'utf8')).a1).toBe('v2 en sommet-otan « titre »');
  });
});

describe('bundlePath', () => {
  test.for([
    { name: 'a plain namespace', lang: 'en', namespace: 'article', ok: true },
    { name: 'a region subtag', lang: 'pt-BR', namespace: 'article', ok: true },
    { name: 'parent folders in the namespace', lang: 'en', namespace: '../../x', ok: false },
    { name: 'a sub-folder in the namespace', lang: 'en', namespace: 'a/b', ok: false },
    { name: 'parent folder in the language', lang: '..', namespace: 'x', ok: false },
    { name: 'the versions folder as a language', lang: VERSIONS_DIR, namespace: 'x', ok: false },
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
