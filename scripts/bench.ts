/**
 * `npm run bench`: relais measured against a baseline measured in the same run, printed as tables
 * (and written as JSON with --json FILE). Nothing here is a pass/fail test; the numbers go to the README.
 *
 *   npm run bench                               every section (about 5 minutes on 2 idle cores, 9 on a busy machine)
 *   npm run bench -- --only overhead,languages  some sections
 *   npm run bench -- --full                     also the 10 MB scaling row (about 6 minutes more)
 *   npm run bench -- --repeat 3                 runs per measurement (default 2; the table shows the median and the range)
 *   npm run bench -- --json bench.json
 *   npm run bench -- --cli other/dist/pipeline/cli/main.js   measure another build (default: this one, built first)
 *   npm run bench -- --keep                     keep the scratch folder (inputs, jobs, outputs) and print where it is
 *
 * Sections:
 *   overhead, languages, incremental, scaling, articles
 *          relais end to end (the compiled CLI in a child process, fresh job, --no-tm) against raw
 *          `apertium` over the same French text as one process: see scripts/bench/apertium.ts, and
 *          scripts/bench/corpus.ts for the corpus. Needs GNU time (/usr/bin/time, Debian package `time`),
 *          which `node scripts/setup.mjs --for-bench` installs (run first, as `npm start` runs setup).
 *   deepl  1,000 news segments fr → en through the DeepL engine against the DeepL-compatible server of
 *          the tests (127.0.0.1, a fixed latency per request standing in for the network): requests per
 *          1,000 segments, bytes per request, and wall time with concurrency 1 against the default (4).
 *   queue  8 articles (200 kB, --to es,ca) through `relais run --queue` with 1, 2 and 4 `relais worker`
 *          processes on this machine and a real redis-server, against a local run and raw Apertium
 *          (scripts/bench/queue.ts). Needs the Debian package redis-server.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { DeepLEngine } from '../pipeline/engines/deepl.js';
import { readGlossary } from '../pipeline/glossary/parse.js';
import { runJob } from '../pipeline/run-job.js';
import { startFakeDeepL } from '../test/helpers/fake-deepl-server.js';
import { ApertiumBench, printRows } from './bench/apertium.js';
import { GNU_TIME } from './bench/measure.js';
import { benchQueue } from './bench/queue.js';

const ROOT = join(import.meta.dirname, '..');
const nf = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });

interface Section {
  name: string;
  run: () => Promise<unknown>;
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const only = valueOf(args, '--only');
  const jsonFile = valueOf(args, '--json');
  const repeat = Number(valueOf(args, '--repeat') ?? 2);
  if (!Number.isInteger(repeat) || repeat < 1) throw new Error(`--repeat: expected a whole number of 1 or more, got ${valueOf(args, '--repeat')}`);
  const cliOption = valueOf(args, '--cli');
  const workDir = mkdtempSync(join(tmpdir(), 'relais-bench-'));
  const apertium = new ApertiumBench({
    root: ROOT, cli: cliOption ?? join(ROOT, 'dist/pipeline/cli/main.js'), workDir, repeat, full: args.includes('--full'),
  });
  const SECTIONS: Section[] = [
    { name: 'overhead', run: () => apertium.overhead() },
    { name: 'languages', run: () => apertium.languages() },
    { name: 'incremental', run: () => apertium.incremental() },
    { name: 'scaling', run: () => apertium.scaling() },
    { name: 'articles', run: () => apertium.articles() },
    { name: 'deepl', run: benchDeepL },
    { name: 'queue', run: () => benchQueue({ root: ROOT, cli: cliOption ?? join(ROOT, 'dist/pipeline/cli/main.js'), workDir }) },
  ];
  const chosen = SECTIONS.filter((s) => !only || only.split(',').includes(s.name));
  if (chosen.length === 0) throw new Error(`--only ${only}: no such section (sections: ${SECTIONS.map((s) => s.name).join(', ')})`);
  const usesApertium = chosen.some((s) => s.name !== 'deepl');
  if (usesApertium) {
    // What the bench needs is installed the way `npm start` installs its own (scripts/setup.mjs: as root
    // with apt, GNU time and Apertium's pairs; otherwise it prints the command to run), and the CLI
    // measured is this checkout's, compiled now by the same script (unless --cli names another build).
    if (!cliOption || !existsSync(GNU_TIME)) execFileSync(process.execPath, [join(ROOT, 'scripts/setup.mjs'), '--for-bench'], { stdio: 'inherit' });
    apertium.check();
  }
  const machine = `${cpus().length} × ${cpus()[0]?.model.trim() ?? 'CPU'}, ${Math.round(totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
  console.log(`relais bench — ${machine}${usesApertium ? `, apertium ${apertiumVersion()}, ${repeat} run${repeat > 1 ? 's' : ''} per measurement` : ''}\n`);
  const out: Record<string, unknown> = { machine, date: new Date().toISOString(), repeat };
  try {
    for (const s of chosen) {
      if (s.name !== 'deepl') console.log(`## ${s.name}`);
      const rows = await s.run();
      if (s.name === 'deepl') out.deepl = rows;
      if (s.name === 'queue') out.queue = rows;
      console.log();
    }
  } finally {
    if (args.includes('--keep')) console.log(`scratch folder kept: ${workDir}`);
    else rmSync(workDir, { recursive: true, force: true });
  }
  if (apertium.rows.length > 0) {
    out.apertium = apertium.rows;
    console.log(`relais against raw Apertium (median of ${repeat}, range in brackets; ratio = relais / baseline, wall time (CPU time)):\n`);
    printRows(apertium.rows);
    console.log();
  }
  if (jsonFile) {
    writeFileSync(jsonFile, `${JSON.stringify(out, null, 2)}\n`);
    console.log(`written: ${jsonFile}`);
  }
}

function apertiumVersion(): string {
  try {
    return execFileSync('dpkg-query', ['-W', '-f=${Version}', 'apertium'], { encoding: 'utf8' }).trim();
  } catch {
    return 'unknown';
  }
}

/* ------------------------------------------------------------------ deepl */

const DEEPL_SEGMENTS = 1000;
const DEEPL_LATENCY_MS = 60;

async function benchDeepL(): Promise<Record<string, unknown>[]> {
  console.log(`DeepL engine — ${nf.format(DEEPL_SEGMENTS)} news segments fr → en, local DeepL-compatible server, ${DEEPL_LATENCY_MS} ms per request`);
  const sentences = readFileSync(join(ROOT, 'test/fixtures/corpus/wikinews-1000.txt'), 'utf8').split(/\n\s*\n/).map((s) => s.trim()).filter(Boolean);
  const rows: Record<string, unknown>[] = [];
  for (const concurrency of [1, 4]) {
    const key = 'bench-key:fx';
    const server = await startFakeDeepL({ authKey: key, latencyMs: DEEPL_LATENCY_MS });
    const dir = mkdtempSync(join(tmpdir(), 'relais-bench-deepl-'));
    try {
      const file = join(dir, 'depeches.txt');
      writeFileSync(file, `Dépêches\n\n${sentences.slice(0, DEEPL_SEGMENTS - 1).join('\n\n')}\n`);
      const engine = new DeepLEngine({ authKey: key, serverUrl: server.url, sourceLang: 'fr', concurrency, tagHandling: 'xml', ignoreTags: ['x'], glossary: readGlossary(join(ROOT, 'glossary.yaml')) });
      const t0 = performance.now();
      const summary = await runJob({ files: [file], targets: ['en'], engine, jobDir: join(dir, 'job'), localesDir: join(dir, 'locales'), glossaryFile: join(ROOT, 'glossary.yaml') });
      const ms = performance.now() - t0;
      await engine.close();
      const translate = server.translateRequests();
      const segments = summary.languages[0]!.segments;
      const texts = translate.reduce((n, q) => n + (q.params.text?.length ?? 0), 0);
      rows.push({
        concurrency,
        segments,
        requests: translate.length,
        requestsPer1000: (1000 * translate.length) / segments,
        textsPerRequest: texts / translate.length,
        bytesPerRequest: translate.reduce((n, q) => n + q.bodyBytes, 0) / translate.length,
        maxBytes: Math.max(...translate.map((q) => q.bodyBytes)),
        billedCharacters: summary.billedCharacters.run,
        ms,
      });
    } finally {
      await server.close();
      rmSync(dir, { recursive: true, force: true });
    }
  }
  const base = rows[0]!.ms as number;
  printTable(
    ['concurrency', 'segments', 'requests', 'requests / 1,000 segments', 'texts / request', 'KB / request (max)', 'billed chars', 'time', 'vs concurrency 1'],
    rows.map((r) => [
      String(r.concurrency), nf.format(r.segments as number), nf.format(r.requests as number), nf.format(r.requestsPer1000 as number),
      nf.format(r.textsPerRequest as number), `${nf.format((r.bytesPerRequest as number) / 1024)} (${nf.format((r.maxBytes as number) / 1024)})`,
      nf.format(r.billedCharacters as number), `${nf.format((r.ms as number) / 1000)} s`, `${nf.format((r.ms as number) / base)}×`,
    ]),
  );
  console.log('(requests include the glossary-form probes; the server answers every request after a fixed delay, so time is dominated by round trips)');
  return rows;
}

/* ------------------------------------------------------------------ helpers */

function printTable(head: string[], rows: string[][]): void {
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  console.log(line(head));
  console.log(line(widths.map((w) => '-'.repeat(w))));
  for (const r of rows) console.log(line(r));
}

function valueOf(args: string[], flag: string): string | undefined {
  const i = args.indexOf(flag);
  return i >= 0 ? args[i + 1] : undefined;
}

main().catch((e: unknown) => {
  console.error(e instanceof Error ? e.message : e);
  process.exitCode = 1;
});
