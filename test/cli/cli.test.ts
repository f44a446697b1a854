/**
 * The CLI as a user meets it: the compiled `relais` bin with the real Apertium, in scratch project
 * folders. Every case checks the exit status and what the user reads.
 *
 * Exit status: 0 done · 1 an error relais reports with a code · 2 a malformed command line · 70 a bug.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { acquireJobLock } from '../../pipeline/job/lock.js';
import { DecisionStore } from '../../pipeline/review/decision-store.js';
import { ROOT, SEED, runCli, spawnCli, scratchProject as makeScratchProject } from '../helpers/cli.js';

const NS = 'haut-diplomate-americain';
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;
const SECRET = 'secret-key-123:fx';

/** Scratch folders of this file, removed at the end. */
const scratch: string[] = [];
const scratchProject = (prefix: string) => (scratch.push(makeScratchProject(prefix)), scratch.at(-1)!);
const scratchDir = (prefix: string) => (scratch.push(mkdtempSync(join(tmpdir(), prefix))), scratch.at(-1)!);
afterAll(() => {
  for (const d of scratch) rmSync(d, { recursive: true, force: true });
});

/** Every file under `dir` (relative path → bytes); empty when `dir` does not exist. */
function readTree(dir: string): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  const walk = (d: string) => {
    // locales/.versions holds the version folders the language links point to: they are read through the links.
    for (const name of readdirSync(d).filter((n) => n !== '.versions')) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else out.set(relative(dir, p), readFileSync(p));
    }
  };
  if (existsSync(dir)) walk(dir);
  return out;
}

/** "Titre\n\nCaf" is 10 bytes: the Latin-1 é after it is at byte offset 10, line 3, column 4. */
const LATIN1_ARTICLE = Buffer.concat([Buffer.from('Titre\n\nCaf'), Buffer.from([0xe9]), Buffer.from(' au lait.\n')]);
const DUPLICATE_TERM = '\n  - fr: Moscou\n    kind: place\n    en: Moscow\n';
/** Where the shipped glossary defines Moscou (the duplicate error points there). */
const MOSCOU_LINE = readFileSync(join(ROOT, 'glossary.yaml'), 'utf8').split('\n').findIndex((l) => l === '  - fr: Moscou') + 1;

/* ------------------------------------------------------------------ help, version, usage */

describe('help and version', () => {
  test.for([
    { name: 'relais --help', args: ['--help'], expected: ['run [options] <files...>', 'status', 'publish', 'glossary', '--version', 'Exit status'] },
    {
      name: 'relais run --help',
      args: ['run', '--help'],
      expected: ['<files...>', '--to <langs>', '--engine <name>', 'apertium', '--job <dir>', '--glossary <file>', '--locales <dir>', '--no-publish', '--json', '--quiet'],
    },
    { name: 'relais help run', args: ['help', 'run'], expected: ['--to <langs>', '--no-publish'] },
    { name: 'relais status --help', args: ['status', '--help'], expected: ['--job <dir>', '--json'] },
    { name: 'relais publish --help', args: ['publish', '--help'], expected: ['--job <dir>', '--locales <dir>'] },
  ])('$name lists the options', ({ args, expected }) => {
    const r = runCli(args, ROOT);
    expect(r.code).toBe(0);
    for (const s of expected) expect(r.stdout).toContain(s);
    expect(r.stderr).toBe('');
  });

  test.for(['--version', '-V'])('relais %s prints the version of package.json', (flag) => {
    const r = runCli([flag], ROOT);
    expect(r.code).toBe(0);
    expect(r.stdout).toBe(`${VERSION}\n`);
  });
});

describe('relais glossary: a glossary checked without a job', () => {
  test('valid: what it holds per language, in text and JSON; broken: each problem with its place, exit 1, nothing written', () => {
    const dir = scratchProject('relais-glossary-check-');
    const ok = runCli(['glossary'], dir);
    expect(ok.code, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/^glossary\.yaml: valid · \d+ terms \(\d+ people, \d+ places, \d+ organisations?, \d+ other\) · source fr · languages en, es, ca$/m);
    expect(ok.stdout).toMatch(/^ {2}es: a form for \d+ of \d+ · \d+ people keep their French form$/m);
    const json = JSON.parse(runCli(['glossary', '--json'], dir).stdout) as { terms: number; forms: Record<string, { forms: number; missing: unknown[] }> };
    expect(json.forms.ca!.forms + json.forms.ca!.missing.length).toBe(json.terms);

    writeFileSync(join(dir, 'g2.yaml'), `${readFileSync(join(dir, 'glossary.yaml'), 'utf8')}\n  - fr: Berlin\n    kind: place\n    esp: Berlín\n`);
    const extra = runCli(['glossary', 'g2.yaml'], dir);
    expect(extra.code).toBe(1);
    expect(extra.stderr).toMatch(/g2\.yaml:\d+:5 GLOSSARY_(UNKNOWN_KEY|UNKNOWN_LANGUAGE) /);
    expect(existsSync(join(dir, '.relais'))).toBe(false);
  });
});

describe('a malformed command line exits with 2 and points at the help', () => {
  test.for([
    { name: 'no command', args: [], stderr: [/Usage: relais/, /Commands:/] },
    { name: 'unknown command', args: ['translate', SEED], stderr: [/^relais: usage error: unknown command 'translate'/, /Run `relais --help`/] },
    { name: 'unknown option', args: ['run', SEED, '--too', 'ca'], stderr: [/^relais: usage error: unknown option '--too'/, /Run `relais run --help`/] },
    { name: 'no article', args: ['run', '--to', 'ca'], stderr: [/^relais: usage error: missing required argument 'files'/, /relais run --help/] },
    { name: '--to without a value', args: ['run', SEED, '--to'], stderr: [/^relais: usage error: option '--to <langs>' argument missing/] },
    { name: 'status with an argument', args: ['status', 'job'], stderr: [/^relais: usage error: too many arguments for 'status'/, /relais status --help/] },
  ])('$name', ({ args, stderr }) => {
    const dir = scratchProject('relais-cli-usage-');
    const r = runCli(args, dir);
    expect(r.code).toBe(2);
    for (const re of stderr) expect(r.stderr).toMatch(re);
    expect(r.stdout).toBe('');
    expect(readTree(dir).size).toBe(1); // glossary.yaml only: nothing was started
  });
});

/* ------------------------------------------------------------------ bad input */

describe('bad input: exit 1, a stable code, the place, and nothing done', () => {
  interface Row {
    name: string;
    /** Prepares the scratch project; returns the arguments after `run`. */
    setup: (dir: string) => string[];
    stderr: RegExp[];
  }
  const rows: Row[] = [
    {
      name: 'a missing article',
      setup: () => ['missing/article.txt', '--to', 'ca'],
      stderr: [/^relais: error: missing\/article\.txt INPUT_NOT_FOUND no such file: missing\/article\.txt$/m],
    },
    {
      name: 'an article that is not UTF-8',
      setup: (dir) => (writeFileSync(join(dir, 'latin1.txt'), LATIN1_ARTICLE), ['latin1.txt', '--to', 'ca']),
      stderr: [/^relais: error: latin1\.txt:3:4 INPUT_NOT_UTF8 invalid UTF-8 at byte offset 10 \(byte 0xe9\)$/m, /iconv -f WINDOWS-1252 -t UTF-8/],
    },
    {
      name: 'an unknown target language',
      setup: () => [SEED, '--to', 'xx'],
      stderr: [/^relais: error: LANGUAGE_UNSUPPORTED unknown language "xx"$/m, /Known: .*\ben\b.*\bca\b/],
    },
    {
      name: 'a language code with an underscore',
      setup: () => [SEED, '--to', 'en_US'],
      stderr: [/^relais: error: OPTION_INVALID "en_US" is not a language code$/m, /Did you mean "en-US"\?/],
    },
    {
      name: 'a language Apertium does not serve from French',
      setup: () => [SEED, '--to', 'de'],
      stderr: [/^relais: error: LANGUAGE_UNSUPPORTED engine apertium\S* cannot translate fr → de$/m, /^ {2}→ Here apertium translates fr into: en, es, ca, eo, oc\. Other Apertium pairs are Debian packages/m],
    },
    {
      name: 'a language of the glossary\'s `languages` Apertium does not serve: the glossary is named',
      setup: (dir: string) => (writeFileSync(join(dir, 'glossary.yaml'), readFileSync(join(dir, 'glossary.yaml'), 'utf8').replace(/^languages: .*$/m, 'languages: [en, de]')), [SEED]),
      stderr: [/^relais: error: LANGUAGE_UNSUPPORTED engine apertium cannot translate fr → de \(de is in `languages` of glossary\.yaml; --to chooses others\)$/m],
    },
    {
      name: 'an empty --to',
      setup: () => [SEED, '--to', ' , '],
      stderr: [/^relais: error: OPTION_INVALID --to needs at least one language/m, /--to en,es,ca/],
    },
    {
      name: 'an unknown engine',
      setup: () => [SEED, '--to', 'ca', '--engine', 'babelfish'],
      stderr: [/^relais: error: ENGINE_UNKNOWN unknown engine "babelfish"$/m, /Use one of: apertium/],
    },
    {
      name: 'a glossary with a duplicate source form',
      setup: (dir) => (writeFileSync(join(dir, 'glossary.yaml'), readFileSync(join(dir, 'glossary.yaml'), 'utf8') + DUPLICATE_TERM), [SEED, '--to', 'ca']),
      stderr: [/^relais: error: glossary\.yaml has 1 problem$/m, new RegExp(String.raw`^ {2}glossary\.yaml:\d+:\d+ GLOSSARY_DUPLICATE_TERM "Moscou" is already defined at ${MOSCOU_LINE}:\d+$`, 'm')],
    },
    {
      name: 'a glossary that is not valid YAML',
      setup: (dir) => (writeFileSync(join(dir, 'glossary.yaml'), 'source: fr\nlanguages: [en, es, ca]\nterms:\n  - fr: Moscou\n    en: [Moscow\n'), [SEED, '--to', 'ca']),
      stderr: [/^ {2}glossary\.yaml:\d+:\d+ GLOSSARY_YAML_SYNTAX /m],
    },
    {
      name: 'a glossary with several problems reports them all',
      setup: (dir) => (
        writeFileSync(join(dir, 'glossary.yaml'), 'source: fr\nlanguages: [en]\nterms:\n  - fr: Moscou\n    kind: place\n  - fr: Moscou\n    kind: place\n  - fr: Kiev\n    kindd: place\n'),
        [SEED, '--to', 'en']
      ),
      stderr: [
        /^relais: error: glossary\.yaml has 3 problems$/m,
        /^ {2}glossary\.yaml:6:9 GLOSSARY_DUPLICATE_TERM "Moscou" is already defined at 4:9$/m,
        /^ {2}glossary\.yaml:8:5 GLOSSARY_SHAPE term "Kiev" has no "kind"$/m,
        /^ {2}glossary\.yaml:9:5 GLOSSARY_UNKNOWN_KEY unknown key "kindd"$/m,
        /Did you mean "kind"\?/,
      ],
    },
    {
      name: 'no glossary',
      setup: () => [SEED, '--to', 'ca', '--glossary', 'nowhere.yaml'],
      stderr: [/^relais: error: nowhere\.yaml GLOSSARY_NOT_FOUND /m, /--glossary <file>/],
    },
  ];

  test.for(rows)('$name', ({ setup, stderr }) => {
    const dir = scratchProject('relais-cli-bad-');
    const r = runCli(['run', ...setup(dir)], dir);
    expect(r.code).toBe(1);
    for (const re of stderr) expect(r.stderr).toMatch(re);
    expect(r.stderr).not.toMatch(/internal error|\n\s+at /); // a message, not a stack trace
    expect(r.stdout).toBe('');
    // No engine work: nothing was journaled, no review file written, nothing published.
    const files = [...readTree(dir).keys()];
    expect(files.filter((f) => /\.journal\.jsonl$|\.tmx$|^locales\//.test(f))).toEqual([]);
  });

  test('a glossary error stops the run before the job is even created', () => {
    const dir = scratchProject('relais-cli-glossary-');
    writeFileSync(join(dir, 'glossary.yaml'), readFileSync(join(dir, 'glossary.yaml'), 'utf8') + DUPLICATE_TERM);
    const r = runCli(['run', SEED, '--to', 'ca'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/GLOSSARY_DUPLICATE_TERM/);
    expect(existsSync(join(dir, '.relais'))).toBe(false);
    expect(existsSync(join(dir, 'locales'))).toBe(false);
  });
});

describe('a failed run leaves the bundles of an earlier run byte-identical', () => {
  let dir: string;
  let before: Map<string, Buffer>;
  beforeAll(() => {
    dir = scratchProject('relais-cli-keep-');
    const r = runCli(['run', SEED, '--to', 'ca', '--quiet'], dir);
    expect(r.code, r.stderr).toBe(0);
    before = readTree(join(dir, 'locales'));
    expect([...before.keys()].sort()).toEqual([`ca/${NS}.json`, `fr/${NS}.json`, 'manifest.json']);
  });

  test.for([
    {
      name: 'a broken glossary',
      setup: (d: string) => writeFileSync(join(d, 'glossary.yaml'), readFileSync(join(ROOT, 'glossary.yaml'), 'utf8') + DUPLICATE_TERM),
      args: [SEED, '--to', 'ca'],
      stderr: /GLOSSARY_DUPLICATE_TERM/,
    },
    {
      // The seed is ingested and translated (from the journal) before the second article fails.
      name: 'a second article that is not UTF-8',
      setup: (d: string) => writeFileSync(join(d, 'latin1.txt'), LATIN1_ARTICLE),
      args: [SEED, 'latin1.txt', '--to', 'ca'],
      stderr: /latin1\.txt:3:4 INPUT_NOT_UTF8 invalid UTF-8 at byte offset 10/,
    },
    { name: 'a missing second article', setup: () => {}, args: [SEED, 'gone.txt', '--to', 'ca'], stderr: /gone\.txt INPUT_NOT_FOUND/ },
    { name: 'an unknown language', setup: () => {}, args: [SEED, '--to', 'ca,xx'], stderr: /LANGUAGE_UNSUPPORTED unknown language "xx"/ },
  ])('after $name', ({ setup, args, stderr }) => {
    setup(dir);
    try {
      const r = runCli(['run', ...args], dir);
      expect(r.code).toBe(1);
      expect(r.stderr).toMatch(stderr);
      expect(r.stdout).toBe('');
      expect(readTree(join(dir, 'locales'))).toEqual(before);
    } finally {
      cpSync(join(ROOT, 'glossary.yaml'), join(dir, 'glossary.yaml'));
    }
  });
});

/* ------------------------------------------------------------------ --no-publish, status, publish */

describe('run --no-publish, status, publish', () => {
  let dir: string;
  const journal = () => join(dir, 'job', 'articles', NS, 'translate', 'ca.journal.jsonl');
  beforeAll(() => {
    dir = scratchProject('relais-cli-status-');
  });

  test('run --no-publish translates and aligns but writes nothing under locales/', () => {
    const r = runCli(['run', SEED, '--to', 'es,ca', '--job', 'job', '--no-publish'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toContain('not published (--no-publish); run `relais publish` when ready');
    expect(r.stdout).toMatch(/^es +15 /m);
    expect(r.stdout).toMatch(/^ca +15 /m);
    expect(existsSync(join(dir, 'locales'))).toBe(false);
    expect(existsSync(join(dir, 'job', 'articles', NS, 'align', 'ca.html'))).toBe(true);
  });

  test('status shows each language finished and publish pending', () => {
    const r = runCli(['status', '--job', 'job'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^job job · engine apertium\S* · targets es, ca$/m);
    expect(r.stdout).toMatch(new RegExp(`^${NS} \\(.*haut-diplomate-americain\\.fr\\.txt\\): 15 segments$`, 'm'));
    expect(r.stdout).toContain('stages: ingest done · segment done · translate done · align done · publish pending');
    expect(r.stdout).toMatch(/^ {2}es: 15\/15 translated \(100%\), \d+ flagged · not reviewed yet$/m);
    expect(r.stdout).toMatch(/^ {2}ca: 15\/15 translated \(100%\), \d+ flagged · not reviewed yet$/m);
    expect(r.stderr).toBe('');
  });

  test('status counts the reviewers\' decisions per language', () => {
    const fr = JSON.parse(readFileSync(join(dir, 'job', 'articles', NS, 'segment.json'), 'utf8')) as { value?: { segments: Array<{ id: string; text: string }> }; segments?: Array<{ id: string; text: string }> };
    const segments = (fr.value ?? fr).segments!;
    const store = new DecisionStore(join(dir, 'job'));
    const now = new Date().toISOString();
    store.save([
      { namespace: NS, lang: 'es', segmentId: segments[1]!.id, state: 'approved', text: 'x', source: segments[1]!.text, machine: 'x', updatedAt: now },
      { namespace: NS, lang: 'es', segmentId: segments[2]!.id, state: 'rejected', text: 'y', source: segments[2]!.text, machine: 'y', updatedAt: now },
    ]);
    store.close();
    const r = runCli(['status', '--job', 'job'], dir);
    expect(r.stdout).toMatch(/^ {2}es: 15\/15 translated \(100%\), \d+ flagged · reviewed: 1 approved, 0 edited, 1 rejected, 0 need review, 13 not yet$/m);
    expect(r.stdout).toMatch(/^ {2}ca: .* · not reviewed yet$/m);
    const json = JSON.parse(runCli(['status', '--job', 'job', '--json'], dir).stdout) as { articles: Array<{ languages: Record<string, { review: Record<string, number> }> }> };
    expect(json.articles[0]!.languages.es!.review).toEqual({ approved: 1, edited: 0, rejected: 1, needsReview: 0, unreviewed: 13 });
    const undo = new DecisionStore(join(dir, 'job'));
    undo.clear(NS, 'es', segments[1]!.id);
    undo.clear(NS, 'es', segments[2]!.id);
    undo.close();
  });

  test('status --json is valid JSON with the documented fields', () => {
    const r = runCli(['status', '--job', 'job', '--json'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    const status = JSON.parse(r.stdout) as unknown;
    expect(status).toMatchObject({
      jobDir: join(dir, 'job'),
      engine: expect.stringMatching(/^apertium/),
      targets: ['es', 'ca'],
      articles: [
        {
          namespace: NS,
          file: expect.stringMatching(/haut-diplomate-americain\.fr\.txt$/),
          segments: 15,
          stages: { ingest: 'done', segment: 'done', translate: 'done', align: 'done', publish: 'pending' },
          languages: {
            es: { translated: 15, total: 15, flagged: expect.any(Number) },
            ca: { translated: 15, total: 15, flagged: expect.any(Number) },
          },
        },
      ],
    });
  });

  test('status shows a language that is part-way through', () => {
    const full = readFileSync(journal(), 'utf8');
    try {
      writeFileSync(journal(), `${full.split('\n').slice(0, 5).join('\n')}\n`);
      const r = runCli(['status', '--job', 'job'], dir);
      expect(r.code).toBe(0);
      expect(r.stdout).toMatch(/^ {2}ca: 5\/15 translated \(33%\), \d+ flagged · not reviewed yet$/m);
      expect(r.stdout).toMatch(/^ {2}es: 15\/15 translated \(100%\)/m);
      expect(r.stdout).toContain('translate partial');
      const json = JSON.parse(runCli(['status', '--job', 'job', '--json'], dir).stdout) as { articles: Array<{ languages: Record<string, { translated: number }> }> };
      expect(json.articles[0]!.languages.ca!.translated).toBe(5);
    } finally {
      writeFileSync(journal(), full);
    }
  });

  test('publish writes the bundles of the job, and status then says so', () => {
    const r = runCli(['publish', '--job', 'job'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toBe(`published job job to locales: 3 bundles (3 new) and the manifest:\n  locales/fr/${NS}.json  new\n  locales/es/${NS}.json  new\n  locales/ca/${NS}.json  new\n  locales/manifest.json\n`);
    // Again: nothing changed for readers, and it says so.
    expect(runCli(['publish', '--job', 'job'], dir).stdout).toMatch(/^published job job to locales: 3 bundles \(3 unchanged\) and the manifest:\n {2}locales\/fr\/.*\.json {2}unchanged\n/);
    const fr = JSON.parse(readFileSync(join(dir, 'locales', 'fr', `${NS}.json`), 'utf8')) as Record<string, string>;
    for (const lang of ['es', 'ca']) {
      const bundle = JSON.parse(readFileSync(join(dir, 'locales', lang, `${NS}.json`), 'utf8')) as Record<string, string>;
      expect(Object.keys(bundle)).toEqual(Object.keys(fr));
    }
    expect(Object.keys(fr)).toHaveLength(15);
    expect(runCli(['status', '--job', 'job'], dir).stdout).toContain('align done · publish done');
  });

  test('a sentence that comes back in the article counts as translated (it is journaled once)', () => {
    writeFileSync(join(dir, 'dup.txt'), 'Titre répété\n\nIl pleut. Oui.\n\nIl fait beau. Oui.\n');
    expect(runCli(['run', 'dup.txt', '--to', 'es', '--job', 'job-dup', '--locales', 'locales-dup', '--quiet'], dir).code).toBe(0);
    const st = runCli(['status', '--job', 'job-dup'], dir).stdout;
    expect(st).toContain('stages: ingest done · segment done · translate done · align done · publish done');
    expect(st).toContain('es: 5/5 translated (100%)');
  });

  test('status says publish pending again once what was published changed: the article, or a reviewer decision', () => {
    const file = join(dir, 'short.txt');
    writeFileSync(file, 'Petit titre\n\nLe chien dort à Kiev.\n');
    expect(runCli(['run', 'short.txt', '--to', 'es', '--job', 'job-short', '--quiet'], dir).code).toBe(0);
    const status = () => runCli(['status', '--job', 'job-short'], dir).stdout;
    expect(status()).toContain('publish done');
    writeFileSync(file, 'Petit titre\n\nLe cheval mange à Paris.\n');
    expect(runCli(['run', 'short.txt', '--to', 'es', '--job', 'job-short', '--no-publish', '--quiet'], dir).code).toBe(0);
    expect(status()).toContain('align done · publish pending');
    expect(runCli(['publish', '--job', 'job-short', '--locales', 'locales-short'], dir).code).toBe(0);
    expect(status()).toContain('publish done');
    // A reviewer's decision is not published until the next publish.
    runCli(['export', '--lang', 'es', '--job', 'job-short', '-o', 'short.xlf'], dir);
    const xlf = readFileSync(join(dir, 'short.xlf'), 'utf8');
    writeFileSync(join(dir, 'short.xlf'), xlf.replace(/<segment state="translated"/, '<segment state="final"'));
    expect(runCli(['import', 'short.xlf', '--job', 'job-short'], dir).code).toBe(0);
    expect(status()).toContain('publish pending');
    expect(runCli(['publish', '--job', 'job-short', '--locales', 'locales-short'], dir).code).toBe(0);
    expect(status()).toContain('publish done');
  });
});

describe('a job that does not exist', () => {
  test.for([
    { name: 'status', args: ['status'], where: /no job in .*\.relais\/jobs\/default$/m },
    { name: 'status --json', args: ['status', '--json'], where: /no job in .*\.relais\/jobs\/default$/m },
    { name: 'status --job', args: ['status', '--job', 'jobs/nightly'], where: /no job in .*jobs\/nightly$/m },
    { name: 'publish', args: ['publish', '--job', 'jobs/nightly'], where: /no job in .*jobs\/nightly$/m },
  ])('$name says there is no job and how to start one', ({ args, where }) => {
    const dir = scratchProject('relais-cli-nojob-');
    const r = runCli(args, dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^relais: error: JOB_NOT_FOUND /);
    expect(r.stderr).toMatch(where);
    expect(r.stderr).toContain('→ Start one with `relais run <files…>');
    expect(r.stdout).toBe('');
    expect(existsSync(join(dir, 'locales'))).toBe(false);
  });

  test('user errors around the job folder and the import file: exit 1 with a code, never 70', () => {
    const dir = scratchProject('relais-cli-usererrors-');
    writeFileSync(join(dir, 'a.txt'), 'Titre\n\nUne phrase.\n');
    writeFileSync(join(dir, 'not-a-folder'), '');
    const asFile = runCli(['run', 'a.txt', '--to', 'es', '--job', 'not-a-folder', '-q'], dir);
    expect([asFile.code, asFile.stderr]).toEqual([1, expect.stringMatching(/OPTION_INVALID --job .*not-a-folder is a file, not a job folder/)]);
    expect(runCli(['run', 'a.txt', '--to', 'es', '--job', 'job', '-q', '--no-publish'], dir).code).toBe(0);
    const missing = runCli(['import', 'missing.xlf', '--job', 'job'], dir);
    expect([missing.code, missing.stderr]).toEqual([1, expect.stringMatching(/INPUT_NOT_FOUND no such file: missing\.xlf/)]);
    mkdirSync(join(dir, 'folder.xlf'));
    const folder = runCli(['import', 'folder.xlf', '--job', 'job'], dir);
    expect([folder.code, folder.stderr]).toEqual([1, expect.stringMatching(/INPUT_NOT_FOUND not a file: folder\.xlf/)]);
    // A job.json of valid JSON but another shape.
    writeFileSync(join(dir, 'job', 'job.json'), '[]');
    for (const args of [['status'], ['publish'], ['export', '--lang', 'es'], ['review', '--html', 'out']]) {
      const r = runCli([...args, '--job', 'job'], dir);
      expect([r.code, r.stderr], args.join(' ')).toEqual([1, expect.stringMatching(/JOB_CORRUPT cannot read .*job\.json: not a relais job manifest/)]);
    }
    // A mistyped --job leaves nothing behind.
    expect(runCli(['export', '--lang', 'es', '--job', 'jbo'], dir).code).toBe(1);
    expect(existsSync(join(dir, 'jbo'))).toBe(false);
  });

  test('publish of an unfinished job says which stage is missing', () => {
    const dir = scratchProject('relais-cli-unfinished-');
    expect(runCli(['run', SEED, '--to', 'ca', '--job', 'job', '--no-publish', '--quiet'], dir).code).toBe(0);
    writeFileSync(join(dir, 'job', 'articles', NS, 'translate', 'ca.json'), JSON.stringify({ inputHash: '', value: { segments: [] } }));
    const r = runCli(['publish', '--job', 'job'], dir);
    expect(r.code).toBe(1);
    expect(r.stderr).toMatch(/^relais: error: JOB_INCOMPLETE article "haut-diplomate-americain" has not finished the translate \(ca\) stage$/m);
    expect(existsSync(join(dir, 'locales'))).toBe(false);
    // While a run holds the job, that is the answer (its articles are unfinished because it is running).
    const lock = acquireJobLock(join(dir, 'job'));
    try {
      const busy = runCli(['publish', '--job', 'job'], dir);
      expect([busy.code, busy.stderr]).toEqual([1, expect.stringMatching(/^relais: error: JOB_LOCKED /m)]);
    } finally {
      lock.release();
    }
  });
});

/* ------------------------------------------------------------------ progress and summary */

describe('progress on stderr and the summary on stdout', () => {
  let dir: string;
  let first: ReturnType<typeof runCli>;
  beforeAll(() => {
    dir = scratchProject('relais-cli-progress-');
    first = runCli(['run', SEED, '--to', 'en,es,ca'], dir); // stderr is a pipe here, not a terminal
    expect(first.code, first.stderr).toBe(0);
  }, 120_000);

  test('when stderr is not a terminal, progress is plain lines: no ANSI escapes, no carriage returns', () => {
    expect(first.stderr).not.toMatch(/\x1b/);
    expect(first.stderr).not.toMatch(/\r/);
    const lines = first.stderr.trimEnd().split('\n');
    for (const line of lines) expect(line).toMatch(/^relais: /);
    for (const lang of ['en', 'es', 'ca']) {
      expect(first.stderr).toMatch(new RegExp(`^relais: translate ${NS} → ${lang}: 15 segments to translate$`, 'm'));
      expect(first.stderr).toMatch(new RegExp(`^relais: translate ${NS} → ${lang} done in \\d`, 'm'));
    }
    expect(first.stderr).toMatch(new RegExp(`^relais: publish ${NS} done in `, 'm'));
  });

  test('the summary has a row per language with segments, terms applied, QA flags and time', () => {
    const lines = first.stdout.split('\n');
    const head = lines.findIndex((l) => l.startsWith('language'));
    expect(lines[head]).toMatch(/^language +segments +terms applied +flagged +QA flags +translated now +from memory +time$/);
    expect(lines[head + 1]).toMatch(/^-+( +-+){7}$/);
    const rows = lines.slice(head + 2, head + 5).map((l) => l.split(/ {2,}/));
    expect(rows.map((r) => r[0])).toEqual(['en', 'es', 'ca']);
    for (const [, segments, terms, flagged, flags, now, memory, time] of rows) {
      expect({ segments, now, memory }).toEqual({ segments: '15', now: '15', memory: '0' });
      expect(Number(terms)).toBeGreaterThan(0);
      expect(Number(flags)).toBeGreaterThanOrEqual(Number(flagged));
      expect(time).toMatch(/^\d+(\.\d)? m?s$/);
    }
    expect(first.stdout).toMatch(new RegExp(`^${NS}: 15 segments, 3 blocks of page furniture left out`, 'm'));
    expect(first.stdout).toContain('published 4 bundles under locales/');
    expect(first.stdout).not.toMatch(/\x1b/);
  });

  test('--quiet prints no progress; a re-run asks the engine for nothing', () => {
    const r = runCli(['run', SEED, '--to', 'en,es,ca', '--quiet'], dir);
    expect(r.code).toBe(0);
    expect(r.stderr).toBe('');
    for (const lang of ['en', 'es', 'ca']) expect(r.stdout).toMatch(new RegExp(`^${lang} +15 +\\d+ +\\d+ +\\d+ +0 +\\d`, 'm'));
  });

  test('--json prints the summary as JSON and no progress', () => {
    const r = runCli(['run', SEED, '--to', 'ca', '--json'], dir);
    expect(r.code).toBe(0);
    // No progress; only the warning that en and es, translated by the run before, leave the job.
    expect(r.stderr).toMatch(/^relais: warning: en, es are no longer among this job's languages [^\n]*\n$/);
    expect(JSON.parse(r.stdout)).toMatchObject({
      jobDir: join(dir, '.relais', 'jobs', 'default'),
      articles: [{ namespace: NS, segments: 15, furniture: 3 }],
      languages: [{ lang: 'ca', segments: 15, termsApplied: expect.any(Number), flaggedSegments: expect.any(Number), flags: expect.any(Number), translatedNow: 0, ms: expect.any(Number) }],
      published: [join(dir, 'locales', 'fr', `${NS}.json`), join(dir, 'locales', 'ca', `${NS}.json`)],
    });
  });

  test('--locales publishes elsewhere and the summary says where', () => {
    const r = runCli(['run', SEED, '--to', 'ca', '--quiet', '--locales', 'public/i18n'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('published 2 bundles under public/i18n/');
    expect(existsSync(join(dir, 'public', 'i18n', 'ca', `${NS}.json`))).toBe(true);
  });
});

/* ------------------------------------------------------------------ any file, secrets */

describe('an article outside seeds/', () => {
  test('is translated and published under its own namespace like a seed', () => {
    const dir = scratchProject('relais-cli-outside-');
    const elsewhere = scratchDir('relais-drafts-');
    const article = join(elsewhere, 'Brève été.txt');
    writeFileSync(article, 'Réunion à Kiev\n\nLes délégations se sont rencontrées à Kiev vendredi. Moscou a répondu le lendemain.\n');
    const r = runCli(['run', article, '--to', 'ca'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^breve-ete: 3 segments$/m);
    expect(r.stdout).toMatch(/^ca +3 +\d+ +\d+ +\d+ +3 +\d/m);
    expect(r.stdout).toContain('published 2 bundles under locales/');
    expect(r.stderr).toMatch(/^relais: translate breve-ete → ca: 3 segments to translate$/m);
    const fr = JSON.parse(readFileSync(join(dir, 'locales', 'fr', 'breve-ete.json'), 'utf8')) as Record<string, string>;
    const ca = JSON.parse(readFileSync(join(dir, 'locales', 'ca', 'breve-ete.json'), 'utf8')) as Record<string, string>;
    expect(Object.values(fr)).toEqual(['Réunion à Kiev', 'Les délégations se sont rencontrées à Kiev vendredi.', 'Moscou a répondu le lendemain.']);
    expect(Object.keys(ca)).toEqual(Object.keys(fr));
    expect(Object.values(ca).join(' ')).toContain('Kíiv'); // the glossary's Catalan form
  });

  test('a relative path from another folder works too', () => {
    const dir = scratchProject('relais-cli-relative-');
    mkdirSync(join(dir, 'project'));
    cpSync(join(dir, 'glossary.yaml'), join(dir, 'project', 'glossary.yaml'));
    cpSync(SEED, join(dir, 'inbox.txt'));
    const r = runCli(['run', '../inbox.txt', '--to', 'ca', '--quiet'], join(dir, 'project'));
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^inbox: 15 segments/m);
    expect(existsSync(join(dir, 'project', 'locales', 'ca', 'inbox.json'))).toBe(true);
  });
});

describe('secrets in the environment never reach the output', () => {
  const env = { DEEPL_AUTH_KEY: SECRET };
  let dir: string;
  beforeAll(() => {
    dir = scratchProject('relais-cli-secret-');
  });

  test.for([
    { name: 'run', args: ['run', SEED, '--to', 'ca', '--job', 'job'], code: 0 },
    { name: 'run --json', args: ['run', SEED, '--to', 'ca', '--job', 'job', '--json'], code: 0 },
    { name: 'status', args: ['status', '--job', 'job'], code: 0 },
    { name: 'status --json', args: ['status', '--job', 'job', '--json'], code: 0 },
    { name: 'publish', args: ['publish', '--job', 'job'], code: 0 },
    { name: 'a failed run', args: ['run', 'missing.txt', '--to', 'ca', '--job', 'job'], code: 1 },
    { name: 'an unknown engine', args: ['run', SEED, '--to', 'ca', '--engine', 'nope'], code: 1 },
    { name: 'a usage error', args: ['run', SEED, `--key=${SECRET}`], code: 2 },
    // Even when a message would quote it (here the user's own argument), the key is masked.
    { name: 'an error message that contains the key', args: ['run', `${SECRET}.txt`, '--to', 'ca', '--job', 'job'], code: 1 },
  ])('$name', ({ args, code }) => {
    const r = runCli(args, dir, env);
    expect(r.code, r.stderr).toBe(code);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    expect(r.stdout + r.stderr).not.toContain('secret-key-123');
  });

  test('the job and the bundles do not hold the key either', () => {
    const files = [...readTree(join(dir, 'job')), ...readTree(join(dir, 'locales'))];
    expect(files.length).toBeGreaterThan(5);
    for (const [name, bytes] of files) expect(bytes.includes(SECRET), name).toBe(false);
  });
});

describe('commands that read a job', () => {
  test('without --job, status, export and publish use the latest job under .relais/jobs/', () => {
    const dir = scratchProject('relais-latest-job-');
    expect(runCli(['run', SEED, '--to', 'ca', '--job', '.relais/jobs/older', '--quiet'], dir).code).toBe(0);
    expect(runCli(['run', SEED, '--to', 'es', '--job', '.relais/jobs/newer', '--quiet'], dir).code).toBe(0);
    const status = JSON.parse(runCli(['status', '--json'], dir).stdout) as { jobDir: string; targets: string[] };
    expect(status.jobDir).toBe(join(dir, '.relais', 'jobs', 'newer'));
    expect(status.targets).toEqual(['es']);
    expect(runCli(['export', '--lang', 'es'], dir).stdout).toMatch(/trgLang="es"/);
    const published = runCli(['publish'], dir);
    expect(published.stdout).toMatch(/^published job \.relais\/jobs\/newer to locales: /);
    expect(published.stdout).toMatch(/locales\/es\/haut-diplomate-americain\.json/);
    // There was a choice: each command says which job it took, and how to take another.
    for (const r of [published, runCli(['status'], dir)]) expect(r.stderr).toContain('relais: job .relais/jobs/newer (the last one run; also .relais/jobs/older: --job chooses)');
  });

  test('publish without --locales publishes where the job was run to publish: a scratch job never lands in the real locales/', () => {
    const dir = scratchProject('relais-job-locales-');
    expect(runCli(['run', SEED, '--to', 'es', '--quiet'], dir).code).toBe(0);
    const real = readFileSync(join(dir, 'locales', 'es', 'haut-diplomate-americain.json'), 'utf8');
    writeFileSync(join(dir, 'essai.txt'), 'Essai\n\nUn article pour voir.\n');
    expect(runCli(['run', 'essai.txt', '--to', 'es', '--job', '.relais/jobs/essai', '--locales', 'brouillon', '--quiet'], dir).code).toBe(0);
    const r = runCli(['publish'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect(r.stdout).toMatch(/^published job \.relais\/jobs\/essai to brouillon: /);
    expect(existsSync(join(dir, 'locales', 'es', 'essai.json'))).toBe(false);
    expect(existsSync(join(dir, 'brouillon', 'es', 'essai.json'))).toBe(true);
    expect(readFileSync(join(dir, 'locales', 'es', 'haut-diplomate-americain.json'), 'utf8')).toBe(real);
    // Told where, it publishes there; the default job publishes to its own folder.
    expect(runCli(['publish', '--job', '.relais/jobs/default'], dir).stdout).toMatch(/^published job \.relais\/jobs\/default to locales: /);
  });
});

describe('review uses the glossary the job was translated with', () => {
  test('run with --glossary, review from another folder: that glossary, and a warning once it changed', () => {
    const dir = scratchProject('relais-review-glossary-');
    cpSync(join(dir, 'glossary.yaml'), join(dir, 'names.yaml'));
    rmSync(join(dir, 'glossary.yaml'));
    writeFileSync(join(dir, 'a.txt'), 'Titre\n\nLa Russie et Kiev négocient.\n');
    const run = runCli(['run', 'a.txt', '--to', 'es', '--glossary', 'names.yaml', '--job', 'job', '--no-tm', '-q'], dir);
    expect(run.code, run.stderr).toBe(0);

    const elsewhere = scratchDir('relais-review-cwd-');
    const page = runCli(['review', '--job', join(dir, 'job'), '--html', 'out'], elsewhere);
    expect(page.code, page.stderr).toBe(0);
    expect(page.stderr).toBe('');
    expect(readFileSync(join(elsewhere, 'out', 'a', 'es.html'), 'utf8')).toContain('<mark');

    writeFileSync(join(dir, 'names.yaml'), readFileSync(join(dir, 'names.yaml'), 'utf8').replace('es: { form: Kiev, article: false }', 'es: { form: Kyiv, article: false }'));
    const changed = runCli(['review', '--job', join(dir, 'job'), '--html', 'out2'], elsewhere);
    expect(changed.code, changed.stderr).toBe(0);
    expect(changed.stderr).toMatch(/^relais: warning: .*names\.yaml changed since the job was translated: names are marked and checked as it says now/m);
  });

  test('a running review server follows a run that translated with a changed glossary', async () => {
    const dir = scratchProject('relais-review-live-glossary-');
    writeFileSync(join(dir, 'a.txt'), 'Titre\n\nLa Russie et Kiev négocient.\n');
    expect(runCli(['run', 'a.txt', '--to', 'es', '--job', 'job', '--no-tm', '-q'], dir).code).toBe(0);
    const server = spawnCli(['review', '--job', 'job'], dir);
    let stdout = '';
    let stderr = '';
    server.stdout!.on('data', (d: Buffer) => (stdout += d.toString()));
    server.stderr!.on('data', (d: Buffer) => (stderr += d.toString()));
    try {
      await expect.poll(() => /http:\/\/127\.0\.0\.1:\d+\//.test(stdout), { timeout: 20_000 }).toBe(true);
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(stdout)![0];
      const page = async () => (await fetch(`${url}a/a/es`)).text();
      expect(await page()).not.toContain('TERM_UNVERIFIED');
      // The glossary now writes Kyiv in Spanish, and the job is run again while the server is up.
      writeFileSync(join(dir, 'glossary.yaml'), readFileSync(join(dir, 'glossary.yaml'), 'utf8').replace('es: { form: Kiev, article: false }', 'es: { form: Kyiv, article: false }'));
      expect(runCli(['run', 'a.txt', '--to', 'es', '--job', 'job', '--no-tm', '-q'], dir).code).toBe(0);
      const html = await page();
      expect(html).toContain('Kyiv');
      // Checked with the new glossary: the new machine translation is right, not flagged for lacking "Kiev".
      expect(html).not.toContain('TERM_UNVERIFIED');
      expect(stderr).toMatch(/relais review: the job was translated again with glossary\.yaml changed: names are marked and checked as it says now/);
    } finally {
      server.kill('SIGTERM');
    }
  }, 60_000);
});

describe('--tm and --no-tm together', () => {
  test.for([['--tm', 'x.sqlite', '--no-tm'], ['--no-tm', '--tm=x.sqlite']])('%j: a clear error, not the last one silently', (opts) => {
    const dir = scratchProject('relais-cli-tm-');
    writeFileSync(join(dir, 'a.txt'), 'Titre\n\nUne phrase.\n');
    const r = runCli(['run', 'a.txt', '--to', 'es', '--job', 'job', ...opts], dir);
    expect([r.code, r.stderr]).toEqual([1, expect.stringMatching(/OPTION_INVALID --tm and --no-tm contradict each other/)]);
    expect(existsSync(join(dir, 'job'))).toBe(false);
  });
});

describe('--to is repeatable', () => {
  test('--to es --to ca translates both (the first was dropped)', () => {
    const dir = scratchProject('relais-cli-to-');
    writeFileSync(join(dir, 'a.txt'), 'Titre\n\nUne phrase.\n');
    const r = runCli(['run', 'a.txt', '--to', 'es', '--to', 'ca', '--job', 'job', '--no-tm', '--no-publish', '--json'], dir);
    expect(r.code, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { languages: Array<{ lang: string }> }).languages.map((l) => l.lang)).toEqual(['es', 'ca']);
    // A later run with fewer languages says which ones the job lets go, and how to keep them.
    const fewer = runCli(['run', 'a.txt', '--to', 'ca', '--job', 'job', '--no-tm', '--no-publish', '-q'], dir);
    expect(fewer.code, fewer.stderr).toBe(0);
    expect(fewer.stderr).toMatch(/warning: es is no longer among this job's languages \(this run is --to ca\): its translations and review decisions are kept in .*job, but review, export and publish now cover ca only\. Run with --to ca,es to keep it\./);
    expect(runCli(['run', 'a.txt', '--to', 'ca', '--job', 'job', '--no-tm', '--no-publish', '-q'], dir).stderr).toBe('');
  });
});

describe('hints that can be followed', () => {
  test('each error says what is wrong and a way out that works', () => {
    const dir = scratchProject('relais-cli-hints-');
    writeFileSync(join(dir, 'a.txt'), 'Titre\n\nUne phrase.\n');
    const twice = runCli(['run', 'a.txt', 'a.txt', '--to', 'es', '--job', 'job'], dir);
    expect([twice.code, twice.stderr]).toEqual([1, expect.stringMatching(/OPTION_INVALID "a\.txt" is given twice\n {2}→ Give each article once/)]);
    expect(runCli(['run', 'a.txt', '--to', 'es', '--job', 'job', '--no-tm', '-q'], dir).code).toBe(0);

    const source = runCli(['export', '--lang', 'fr', '--job', 'job'], dir);
    expect(source.stderr).toMatch(/the job has no fr translation \(its languages: es\)\n {2}→ fr is the job's source language, published as written\. Use --lang es\./);
    mkdirSync(join(dir, 'out'));
    const folder = runCli(['export', '--lang', 'es', '--job', 'job', '-o', 'out'], dir);
    expect([folder.code, folder.stderr]).toEqual([1, expect.stringMatching(/OPTION_INVALID -o out is a folder\n {2}→ Name the file to write, e.g\. -o out\/es\.xlf/)]);

    const xlf = runCli(['export', '--lang', 'es', '--job', 'job'], dir).stdout;
    writeFileSync(join(dir, 'de.xlf'), xlf.replace('trgLang="es"', 'trgLang="de"'));
    const wrong = runCli(['import', 'de.xlf', '--job', 'job'], dir);
    expect([wrong.code, wrong.stderr]).toEqual([1, expect.stringMatching(/^relais: error: de\.xlf LANGUAGE_UNSUPPORTED the file is in de; the job has no de translation/m)]);

    const rules = runCli(['segment', 'a.txt', '--lang', 'es'], dir);
    expect(rules.stderr).toMatch(/no sentence segmentation rules for "es" \(relais has: fr\)\n {2}→ Add .*pipeline\/stages\/segment\/rules\/es\.json/);
  });

  test('a Windows-1252 article in seeds/: the hint converts it in place, and the same command then runs', () => {
    const dir = scratchProject('relais-cli-latin1-');
    mkdirSync(join(dir, 'seeds'), { recursive: true });
    writeFileSync(join(dir, 'seeds', 'ete.fr.txt'), Buffer.from("L'été à Moscou\n\nLe soleil de l'été brûle.\n", 'latin1'));
    const files = () => readdirSync(join(dir, 'seeds')).filter((f) => f.endsWith('.txt')).map((f) => `seeds/${f}`);
    const bad = runCli(['run', ...files(), '--to', 'es', '--job', 'job', '-q'], dir);
    expect(bad.code).toBe(1);
    const command = /Convert it: (iconv .*)$/m.exec(bad.stderr)?.[1];
    expect(command, bad.stderr).toBe("iconv -f WINDOWS-1252 -t UTF-8 'seeds/ete.fr.txt' > 'seeds/ete.fr.utf8.txt' && mv 'seeds/ete.fr.utf8.txt' 'seeds/ete.fr.txt'");
    execFileSync('sh', ['-c', command!], { cwd: dir });
    expect(files()).toEqual(['seeds/ete.fr.txt']);
    const good = runCli(['run', ...files(), '--to', 'es', '--job', 'job', '-q'], dir);
    expect(good.code, good.stderr).toBe(0);
    expect(readFileSync(join(dir, 'locales', 'fr', 'ete.json'), 'utf8')).toContain("Le soleil de l'été brûle.");

    // A copy left beside its original (an earlier hint): the clash names which to remove.
    writeFileSync(join(dir, 'seeds', 'ete.fr.utf8.txt'), readFileSync(join(dir, 'seeds', 'ete.fr.txt')));
    const clash = runCli(['run', ...files(), '--to', 'es', '--job', 'job', '-q'], dir);
    expect([clash.code, clash.stderr]).toEqual([1, expect.stringContaining('→ "seeds/ete.fr.utf8.txt" is the UTF-8 copy of "seeds/ete.fr.txt": remove the original (mv "seeds/ete.fr.utf8.txt" "seeds/ete.fr.txt").')]);
  });
});
