/**
 * Bad input gets a clear answer (issue 7): every row of ./cases.ts is run through the compiled CLI in
 * its own sandbox — `project/` (the working directory, holding the bundles and job of an earlier good
 * run), `outside/` (a folder next to it), `tmp/` and `home/` (TMPDIR and HOME of the run).
 *
 * Every case: the exit status (1 coded error, 2 malformed command line, 0 handled), no stack trace, no
 * hang (the CLI is killed after 60 s), nothing written outside `project/`. A failed run changes nothing
 * at all: the earlier bundles, the job and every other file stay byte-identical. A handled one writes
 * only its own bundles under `locales/` and its job, and leaves no temporary file.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { copyFileSync, cpSync, existsSync, lstatSync, statSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, relative } from 'node:path';
import i18next from 'i18next';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { CLI, ROOT, SEED, assertBuilt } from '../helpers/cli.js';
import { i18nextReadOptions } from '../../pipeline/i18next-options.js';
import { CASES, FIXTURES, PSEUDO_EN, SEED_ARTICLE, type BadInputCase, type RunContext } from './cases.js';

/** A run that takes longer than this is a hang: it is killed and the case fails. */
const HANG_MS = 60_000;

const sandboxes: string[] = [];
afterAll(() => {
  for (const d of sandboxes) rmSync(d, { recursive: true, force: true });
});

interface Run {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** The compiled CLI as users run it, with TMPDIR and HOME inside the sandbox and a hang limit. */
function relais(args: string[], cwd: string, sandbox: string): Run {
  assertBuilt();
  const t = Date.now();
  const r = spawnSync(process.execPath, [CLI, ...args], {
    cwd,
    encoding: 'utf8',
    env: { ...process.env, TMPDIR: join(sandbox, 'tmp'), HOME: join(sandbox, 'home') },
    timeout: HANG_MS,
    killSignal: 'SIGKILL',
  });
  return { code: r.status, signal: r.signal, stdout: r.stdout, stderr: r.stderr, ms: Date.now() - t };
}

/**
 * Every path under `dir` with what it holds: a file's sha256 (size and mtime for files over 4 MB, which
 * the sparse 3 GB input is), a folder, or a link's target.
 */
function snapshot(dir: string): Map<string, string> {
  const out = new Map<string, string>();
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      const rel = relative(dir, p);
      const st = lstatSync(p);
      if (st.isSymbolicLink()) out.set(rel, `link ${readlinkSync(p)}`);
      else if (st.isDirectory()) {
        out.set(rel, 'dir');
        walk(p);
      } else if (st.size > 4 * 1024 * 1024) out.set(rel, `size ${st.size} mtime ${st.mtimeMs}`);
      else out.set(rel, createHash('sha256').update(readFileSync(p)).digest('hex'));
    }
  };
  walk(dir);
  return out;
}

/** Paths added, removed or changed between two snapshots, e.g. `+ project/stray.txt`. */
function changes(before: Map<string, string>, after: Map<string, string>): string[] {
  const out: string[] = [];
  for (const [p, v] of after) if (!before.has(p)) out.push(`+ ${p}`);
  else if (before.get(p) !== v) out.push(`~ ${p}`);
  for (const p of before.keys()) if (!after.has(p)) out.push(`- ${p}`);
  return out.sort();
}

/**
 * The published bundles as a reader sees them: `<lang>/<namespace>.json` → sha256, through whatever
 * `locales/<lang>` is (a folder, or a link to a version folder).
 */
function bundlesView(localesDir: string): Map<string, string> {
  const out = new Map<string, string>();
  if (!existsSync(localesDir)) return out;
  for (const lang of readdirSync(localesDir)) {
    if (lang.startsWith('.') || !statSync(join(localesDir, lang)).isDirectory()) continue;
    for (const f of readdirSync(join(localesDir, lang))) {
      if (f.endsWith('.json')) out.set(`${lang}/${f}`, createHash('sha256').update(readFileSync(join(localesDir, lang, f))).digest('hex'));
    }
  }
  return out;
}

function targetsOf(args: readonly string[]): string[] {
  const i = args.indexOf('--to');
  return i < 0 ? [] : args[i + 1]!.split(',');
}

/* ------------------------------------------------------------------ the earlier good run */

let template: string;
beforeAll(() => {
  template = mkdtempSync(join(tmpdir(), 'relais-bad-input-template-'));
  sandboxes.push(template);
  copyFileSync(join(ROOT, 'glossary.yaml'), join(template, 'glossary.yaml'));
  copyFileSync(SEED, join(template, SEED_ARTICLE));
  const r = relais(['run', SEED_ARTICLE, '--engine', 'pseudo', '--to', 'en,es,ca', '--quiet'], template, template);
  expect(r.code, r.stderr).toBe(0);
  expect([...bundlesView(join(template, 'locales')).keys()].sort()).toEqual(['ca/seed.json', 'en/seed.json', 'es/seed.json', 'fr/seed.json']);
});

/* ------------------------------------------------------------------ the table */

describe('the table', () => {
  test('has at least 30 cases, each with a unique name', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(CASES.map((c) => c.name)).size).toBe(CASES.length);
  });

  test('every file under test/fixtures/bad-input/ is the input of exactly one case', () => {
    const files = ['articles', 'glossaries'].flatMap((d) => readdirSync(join(FIXTURES, d)).map((f) => `${d}/${f}`)).sort();
    const used = CASES.flatMap((c) => (c.fixture ? [c.fixture] : [])).sort();
    expect(used).toEqual(files);
  });
});

describe('bad input gets a clear answer', () => {
  test.for(CASES)('$name', { timeout: 3 * HANG_MS }, async (c: BadInputCase) => {
    const sandbox = mkdtempSync(join(tmpdir(), 'relais-bad-input-'));
    sandboxes.push(sandbox);
    const project = join(sandbox, 'project');
    cpSync(template, project, { recursive: true });
    for (const d of ['outside', 'tmp', 'home']) mkdirSync(join(sandbox, d));

    let input: string[] = [SEED_ARTICLE];
    if (c.fixture) {
      const name = basename(c.fixture);
      copyFileSync(join(FIXTURES, c.fixture), join(c.outside ? join(sandbox, 'outside') : project, name));
      input = c.outside ? [`../outside/${name}`] : c.fixture.startsWith('glossaries/') ? [SEED_ARTICLE, '--glossary', name] : [name];
    } else if (c.make) {
      input = c.make(project);
    }
    const args = c.args ?? PSEUDO_EN;
    const before = snapshot(sandbox);
    const bundlesBefore = bundlesView(join(project, 'locales'));
    const r = relais(['run', '--quiet', ...input, ...args], project, sandbox);
    const patch = c.needsPatch ? ` (needs ${c.needsPatch})` : '';

    expect(r.signal, `killed after ${r.ms} ms: relais hung`).toBeNull();
    expect(r.stderr, `a stack trace${patch}`).not.toMatch(/^\s+at .+[(:]\d+/m);
    expect(r.stderr, `a bug report instead of an answer${patch}`).not.toMatch(/internal error/);
    const after = snapshot(sandbox);

    const ctx: RunContext = {
      project,
      stdout: r.stdout,
      stderr: r.stderr,
      bundle: (lang, ns) => JSON.parse(readFileSync(join(project, 'locales', lang, `${ns}.json`), 'utf8')) as Record<string, string>,
      readWithI18next: async (langs, ns) => {
        const resources = Object.fromEntries(langs.map((l) => [l, { [ns]: ctx.bundle(l, ns) }]));
        const i18n = i18next.createInstance();
        await i18n.init({ ...i18nextReadOptions, lng: 'fr', ns: [ns], defaultNS: ns, resources });
        return Object.fromEntries(langs.map((l) => [l, Object.fromEntries(Object.keys(resources[l]![ns]!).map((k) => [k, i18n.t(k, { lng: l, x: 'INTERPOLATED', name: 'INTERPOLATED' })]))]));
      },
      rerun: (more) => relais(['run', '--quiet', ...more], project, sandbox),
      sh: (command) => {
        const s = spawnSync('sh', ['-c', command], { cwd: project, encoding: 'utf8', timeout: HANG_MS });
        expect(s.status, `${command}\n${s.stderr}`).toBe(0);
      },
    };

    const e = c.expected;
    if (e.exit === 0) {
      expect(r.code, `${r.stderr}${patch}`).toBe(0);
      expect(r.stderr).toBe('');
      for (const re of e.stdout ?? []) expect(r.stdout).toMatch(re);
      // Only .relais/ (the job, the translation memory) and locales/ changed; there, the earlier bundles read the same and the new ones are
      // this article's, in French and each target; no temporary file is left.
      expect(changes(before, after).filter((p) => !/^[-+~] project\/(\.relais|locales)\//.test(p))).toEqual([]);
      const bundlesAfter = bundlesView(join(project, 'locales'));
      expect(changes(bundlesBefore, bundlesAfter)).toEqual(['fr', ...targetsOf(args)].map((l) => `+ ${l}/${e.namespace}.json`).sort());
      expect([...after.keys()].filter((p) => /\.tmp\b|\.bak$/.test(p))).toEqual([]);
      await e.check?.(ctx);
    } else {
      expect(r.code, `${r.stderr}${patch}`).toBe(e.exit);
      expect(r.stdout).toBe('');
      expect(r.stderr).toMatch(e.exit === 1 ? /^relais: error: / : /^relais: usage error: /);
      if (e.code) expect(r.stderr).toContain(`${e.place ? `${e.place} ` : ''}${e.code} `);
      for (const re of e.stderr) expect(r.stderr).toMatch(re);
      // Nothing at all was written: the earlier bundles, the job, the project and the folders around it.
      expect(changes(before, after)).toEqual([]);
      await e.then?.(ctx);
    }
  });
});
