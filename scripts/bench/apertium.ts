/**
 * relais end to end (the compiled CLI, `relais run … --no-tm`, one child process per run) against raw
 * `apertium` over the same text as one process, both measured in the same bench run, interleaved.
 * Every relais run has a fresh job folder. CPU time is the whole process tree's (Node and every Apertium
 * program), from GNU time (see measure.ts); Node's own CPU time and peak RSS come from
 * `process.resourceUsage()` in the child (node-usage.mjs). Per-stage times are read from the progress lines.
 * Engine calls are counted from the engine request log the translate stage writes before every request
 * (RELAIS_ENGINE_LOG, pipeline/job/engine-request-log.ts), not from the run's summary.
 *
 * Sections (issue 6):
 *   overhead     1 MB fr→es: relais / `apertium fr-es` (target ≤ 1.10×); and a second job over the
 *                same corpus served from a translation memory filled by a first one
 *   languages    1 MB into en, es, ca: relais / (`apertium fr-es` + `apertium fra-cat` +
 *                `apertium fr-es | apertium spa-eng`) (target ≤ 0.85×)
 *   incremental  the languages job again after one paragraph in 100 changed: time / first run
 *                (target ≤ 5 %), and segments sent to the engine against segments changed
 *   scaling      fr→es at 0.1 and 1 MB (and 10 MB with --full): time, segments/s and peak RSS
 *   articles     100 articles of 10 KB in one `relais run` (1 MB): engines and memory shared
 */
import { cpSync, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { BenchCorpus, type BenchInput } from './corpus.js';
import { checkGnuTime, measure, spread, type Measurement, type Spread } from './measure.js';

export interface ApertiumBenchOptions {
  root: string;
  /** The compiled CLI measured. @default <root>/dist/pipeline/cli/main.js */
  cli: string;
  /** Scratch folder (inputs, jobs, outputs). */
  workDir: string;
  /** Runs of each measurement. */
  repeat: number;
  /** Add the 10 MB scaling row. */
  full: boolean;
}

/** What one `relais run` reported. */
export interface RelaisRun extends Measurement {
  jobDir: string;
  /** Translatable source segments (what reaches the engine on a first run), all articles. */
  sourceSegments: number;
  /** Segments the run reported as translated now, per language (`translatedNow` of last-run.json). */
  engineSegments: Record<string, number>;
  memoryHits: Record<string, number>;
  /** Milliseconds per stage from the progress lines, summed over articles (translate: the slowest language). */
  stages: Record<string, number>;
  /** Engine requests and the segments they held, from RELAIS_ENGINE_LOG (no file: no request was made). */
  engineRequests: EngineRequests;
  /** CPU time and peak RSS of the Node process alone (Apertium's programs not included). */
  node: { cpuMs: number; maxRssKiB: number };
}

/** One line of the bench table. */
export interface BenchRow {
  section: string;
  row: string;
  input: string;
  bytes: number;
  to: string;
  relais: { wallMs: Spread; cpuMs: Spread; nodeCpuMs: Spread; maxRssMiB: number; stages: Record<string, number> };
  baseline?: { what: string; wallMs: Spread; cpuMs: Spread; maxRssMiB: number };
  /** relais wall time / baseline wall time (medians), and the same for CPU time. */
  ratio?: number;
  cpuRatio?: number;
  target?: string;
  segments: number;
  segmentsPerSecond: number;
  engineSegments: Record<string, number>;
  engineRequests: EngineRequests;
  memoryHits?: Record<string, number>;
  notes: string[];
}

type Raw = 'fr-es' | 'fra-cat' | 'fr-es | spa-eng';

/** What the engine request log of one run holds. */
export interface EngineRequests {
  /** `engine.translate` calls (retries included). */
  requests: number;
  /** Segments those calls held (a segment sent twice counts twice). */
  segments: number;
  /** Calls that were a second request for segments being finished (placeholder or tag retries). */
  retries: number;
  /** Segments sent on first requests, by language served (an `en` request through Apertium also serves `es`). */
  byLang: Record<string, number>;
}

export class ApertiumBench {
  readonly rows: BenchRow[] = [];
  private readonly corpus: BenchCorpus;
  private readonly runs = new Map<string, unknown[]>();
  private jobs = 0;

  constructor(private readonly o: ApertiumBenchOptions) {
    this.corpus = new BenchCorpus(join(o.workDir, 'inputs'));
  }

  /** Tools every Apertium section needs, checked before the first run. */
  check(): void {
    checkGnuTime();
    if (!existsSync(this.o.cli)) throw new Error(`${this.o.cli} is missing: run \`npm run build\` first`);
    for (const mode of ['fr-es', 'fra-cat', 'spa-eng']) {
      if (!existsSync(`/usr/share/apertium/modes/${mode}.mode`)) {
        throw new Error(`Apertium mode ${mode} is missing: sudo apt-get install -y apertium apertium-fr-es apertium-fra-cat apertium-eng-spa`);
      }
    }
  }

  /* -------------------------------------------------------------- sections */

  async overhead(): Promise<void> {
    const input = this.corpus.ofSize(1_000_000);
    const [raw, relais] = (await this.series(this.rawSpec('fr-es', 'size-1mb', input), this.relaisSpec('es-1mb', input, ['es']))) as [Measurement[], RelaisRun[]];
    this.addRow('overhead', 'fr→es, 1 article', input, ['es'], relais, { what: 'apertium fr-es', runs: raw }, '≤ 1.10×');

    // A first job fills a translation memory; a second job (new folder) over the same corpus is served from it.
    const tmRuns = await this.series<RelaisRun>({
      key: 'tm-1mb',
      run: async (i) => {
        const tm = join(this.o.workDir, `tm-${i}.sqlite`);
        rmSync(tm, { force: true });
        await this.relais(input, ['es'], { tm });
        return this.relais(input, ['es'], { tm });
      },
    });
    this.addRow('overhead', 'fr→es, 2nd job from TM', input, ['es'], tmRuns[0]!, { what: 'apertium fr-es', runs: raw }, undefined, [
      'a first job (not timed) filled a fresh translation memory',
    ]);
  }

  async languages(): Promise<void> {
    const input = this.corpus.ofSize(1_000_000);
    const [es, ca, en, relais] = (await this.series(
      this.rawSpec('fr-es', 'size-1mb', input),
      this.rawSpec('fra-cat', 'size-1mb', input),
      this.rawSpec('fr-es | spa-eng', 'size-1mb', input),
      this.relaisSpec('en,es,ca-1mb', input, ['en', 'es', 'ca']),
    )) as [Measurement[], Measurement[], Measurement[], RelaisRun[]];
    const sum: Measurement[] = es.map((m, i) => ({
      wallMs: m.wallMs + ca[i]!.wallMs + en[i]!.wallMs,
      cpuMs: m.cpuMs + ca[i]!.cpuMs + en[i]!.cpuMs,
      maxRssKiB: Math.max(m.maxRssKiB, ca[i]!.maxRssKiB, en[i]!.maxRssKiB),
      stderr: '',
    }));
    const med = (runs: Measurement[]) => fmtS(spread(runs.map((r) => r.wallMs)).median);
    this.addRow('languages', 'fr→en,es,ca, 1 article', input, ['en', 'es', 'ca'], relais, { what: 'sum of 3 apertium runs', runs: sum }, '≤ 0.85×', [
      `raw runs one after the other: fr-es ${med(es)}, fra-cat ${med(ca)}, fr-es | spa-eng ${med(en)}`,
    ]);
  }

  async incremental(): Promise<void> {
    const input = this.corpus.ofSize(1_000_000);
    const changed = this.corpus.changed();
    const [first] = (await this.series(this.relaisSpec('en,es,ca-1mb', input, ['en', 'es', 'ca']))) as [RelaisRun[]];
    const reruns = await this.series<RelaisRun>({
      key: 'incremental-1mb',
      run: async (i) => {
        // A copy of the first run's job, so that each repeat starts from the same state. With its files'
        // times: a re-run trusts the last alignment files only if they are as it left them (size, mtime).
        const jobDir = this.newJobDir('incremental');
        cpSync(first[i]!.jobDir, jobDir, { recursive: true, preserveTimestamps: true });
        return this.relais(changed, ['en', 'es', 'ca'], { jobDir });
      },
    });
    const before = segmentIds(first[0]!.jobDir);
    const after = segmentIds(reruns[0]![0]!.jobDir);
    const newSegments = [...after].filter((id) => !before.has(id)).length;
    // From the engine request log: what really reached the engine, per language served.
    const log = reruns[0]![0]!.engineRequests;
    const sent = ['en', 'es', 'ca'].map((l) => log.byLang[l] ?? 0);
    const onlyChanged = sent.every((n) => n === newSegments);
    this.addRow('incremental', 're-run, 1 ¶ in 100 changed', changed, ['en', 'es', 'ca'], reruns[0]!, { what: 'first run (languages)', runs: first }, '≤ 0.05×', [
      `${changed.changedParagraphs} paragraphs changed → ${newSegments} new segments; the engine got ${sent.join(' / ')} (en / es / ca) in ${log.requests} calls: ${onlyChanged ? 'only the changed segments' : 'NOT only the changed segments'}`,
    ]);
  }

  async scaling(): Promise<void> {
    const sizes = [100_000, 1_000_000, ...(this.o.full ? [10_000_000] : [])];
    for (const size of sizes) {
      const input = this.corpus.ofSize(size);
      const key = `${size / 1_000_000}mb`;
      const [raw, relais] = (await this.series(this.rawSpec('fr-es', `size-${key}`, input), this.relaisSpec(`es-${key}`, input, ['es']))) as [Measurement[], RelaisRun[]];
      const what = input.files.length > 1 ? `fr→es, ${input.files.length} × 1 MB articles` : 'fr→es, 1 article';
      this.addRow('scaling', what, input, ['es'], relais, { what: 'apertium fr-es', runs: raw }, size === 1_000_000 ? '≤ 1.10×' : undefined);
    }
    if (!this.o.full) console.log('(10 MB row: npm run bench -- --only scaling --full)');
  }

  async articles(): Promise<void> {
    const input = this.corpus.articles(100);
    const [raw, relais] = (await this.series(this.rawSpec('fr-es', 'articles-100', input), this.relaisSpec('es-articles-100', input, ['es']))) as [Measurement[], RelaisRun[]];
    const progressLines = relais[0]!.stderr.split('\n').filter((l) => l.startsWith('relais: translate ') && l.includes(' done in ')).length;
    this.addRow('articles', 'fr→es, 100 articles × 10 KB', input, ['es'], relais, { what: 'apertium fr-es (concatenated)', runs: raw }, undefined, [
      `one relais process, one engine and one progress printer for all articles (${progressLines} translate lines); up to 4 small articles are with the engine at once, so its pipelines do not run dry between them`,
    ]);
  }

  /* -------------------------------------------------------------- runs */

  /** Runs each spec `repeat` times, interleaved (a, b, a, b…); results are kept by key and reused by later sections. */
  private async series<T = Measurement | RelaisRun>(...specs: Array<{ key: string; run: (i: number) => Promise<T> }>): Promise<T[][]> {
    // Mixed specs (raw and relais) come back as Measurement | RelaisRun: callers narrow them by position.
    const todo = specs.filter((s) => !this.runs.has(s.key));
    const fresh = todo.map((): T[] => []);
    for (let i = 0; i < this.o.repeat; i++) {
      for (const [k, s] of todo.entries()) {
        const r = await s.run(i);
        fresh[k]!.push(r);
        const m = r as unknown as Measurement;
        const node = (r as Partial<RelaisRun>).node;
        process.stderr.write(`  ${s.key} #${i + 1}: ${fmtS(m.wallMs)} wall, ${fmtS(m.cpuMs)} CPU${node ? ` (Node ${fmtS(node.cpuMs)})` : ''}, ${Math.round((node ?? m).maxRssKiB / 1024)} MiB\n`);
      }
    }
    todo.forEach((s, k) => this.runs.set(s.key, fresh[k]!));
    return specs.map((s) => this.runs.get(s.key) as T[]);
  }

  private rawSpec(raw: Raw, inputKey: string, input: BenchInput): { key: string; run: () => Promise<Measurement> } {
    return { key: `raw ${raw} ${inputKey}`, run: () => this.raw(raw, input) };
  }

  private relaisSpec(key: string, input: BenchInput, to: string[]): { key: string; run: () => Promise<RelaisRun> } {
    return { key: `relais ${key}`, run: () => this.relais(input, to, {}) };
  }

  /** Raw Apertium over the concatenated input, as one process (a shell pipe for fr→en). */
  private raw(raw: Raw, input: BenchInput): Promise<Measurement> {
    const out = join(this.o.workDir, 'raw.out');
    const argv = raw.includes('|') ? ['bash', '--norc', '-c', raw.split('|').map((m) => `apertium ${m.trim()}`).join(' | ')] : ['apertium', raw];
    return measure(argv, { stdin: input.concatenated, stdout: out });
  }

  private newJobDir(name: string): string {
    const dir = join(this.o.workDir, 'jobs', `${++this.jobs}-${name}`);
    mkdirSync(join(dir, '..'), { recursive: true });
    return dir;
  }

  /** `relais run` in a child process: a fresh job folder (unless given), no translation memory (unless `tm`). */
  private async relais(input: BenchInput, to: string[], o: { tm?: string; jobDir?: string }): Promise<RelaisRun> {
    const jobDir = o.jobDir ?? this.newJobDir(to.join(''));
    const engineLog = `${jobDir}.engine-log.jsonl`;
    const usage = `${jobDir}.node-usage.json`;
    rmSync(engineLog, { force: true });
    const argv = [
      process.execPath, '--import', pathToFileURL(join(import.meta.dirname, 'node-usage.mjs')).href, this.o.cli, 'run', ...input.files, '--to', to.join(','), '--job', jobDir, '--locales', `${jobDir}.locales`,
      '--glossary', join(this.o.root, 'glossary.yaml'), ...(o.tm ? ['--tm', o.tm] : ['--no-tm']),
    ];
    const m = await measure(argv, { env: { ...process.env, RELAIS_ENGINE_LOG: engineLog, RELAIS_BENCH_USAGE: usage }, cwd: this.o.root });
    const node = JSON.parse(readFileSync(usage, 'utf8')) as { userMs: number; systemMs: number; maxRssKiB: number };
    const summary = JSON.parse(readFileSync(join(jobDir, 'last-run.json'), 'utf8')) as {
      languages: Array<{ lang: string; translatedNow: number; memoryHits: number }>;
    };
    let sourceSegments = 0;
    for (const ns of readdirNamespaces(jobDir)) sourceSegments += readSegments(jobDir, ns).filter((s) => s.translatable).length;
    return {
      ...m,
      jobDir,
      sourceSegments,
      engineSegments: Object.fromEntries(summary.languages.map((l) => [l.lang, l.translatedNow])),
      memoryHits: Object.fromEntries(summary.languages.map((l) => [l.lang, l.memoryHits])),
      stages: stageTimes(m.stderr),
      node: { cpuMs: node.userMs + node.systemMs, maxRssKiB: node.maxRssKiB },
      engineRequests: readEngineLog(engineLog),
    };
  }

  /* -------------------------------------------------------------- rows */

  private addRow(
    section: string, row: string, input: BenchInput, to: string[], runs: RelaisRun[],
    baseline: { what: string; runs: Measurement[] } | undefined, target: string | undefined, notes: string[] = [],
  ): void {
    const wall = spread(runs.map((r) => r.wallMs));
    const cpu = spread(runs.map((r) => r.cpuMs));
    const base = baseline && { what: baseline.what, wallMs: spread(baseline.runs.map((r) => r.wallMs)), cpuMs: spread(baseline.runs.map((r) => r.cpuMs)), maxRssMiB: Math.max(...baseline.runs.map((r) => r.maxRssKiB)) / 1024 };
    const first = runs[0]!;
    const stageNames = [...new Set(runs.flatMap((r) => Object.keys(r.stages)))];
    const r: BenchRow = {
      section, row,
      input: input.files.length > 1 ? `${fmtMB(input.bytes)} (${input.files.length} files)` : fmtMB(input.bytes),
      bytes: input.bytes,
      to: to.join(','),
      relais: { wallMs: wall, cpuMs: cpu, nodeCpuMs: spread(runs.map((x) => x.node.cpuMs)), maxRssMiB: Math.max(...runs.map((x) => x.node.maxRssKiB)) / 1024, stages: Object.fromEntries(stageNames.map((s) => [s, spread(runs.map((x) => x.stages[s] ?? 0)).median])) },
      ...(base ? { baseline: base, ratio: wall.median / base.wallMs.median, cpuRatio: cpu.median / base.cpuMs.median } : {}),
      ...(target ? { target } : {}),
      segments: first.sourceSegments,
      segmentsPerSecond: first.sourceSegments / (wall.median / 1000),
      engineSegments: first.engineSegments,
      engineRequests: first.engineRequests,
      ...(Object.values(first.memoryHits).some((n) => n > 0) ? { memoryHits: first.memoryHits } : {}),
      notes,
    };
    this.rows.push(r);
    printRows([r]);
    const stages = Object.entries(r.relais.stages).map(([s, ms]) => `${s} ${fmtS(ms)}`).join(' · ');
    const rest = wall.median - Object.values(r.relais.stages).reduce((a, b) => a + b, 0);
    // Several articles' stages overlap (the next is translated while one finishes): their sum is not wall time.
    console.log(`  relais stages (median): ${stages} · ${rest >= 0 ? `rest ${fmtS(rest)}` : 'summed over articles, which overlap'}`);
    for (const n of notes) console.log(`  ${n}`);
    if (r.memoryHits) console.log(`  from the translation memory: ${Object.entries(r.memoryHits).map(([l, n]) => `${l} ${n}`).join(', ')}`);
    console.log();
  }
}

/* ------------------------------------------------------------------ table */

export function printRows(rows: readonly BenchRow[], withHead = true): void {
  const head = ['row', 'input', 'to', 'relais', 'relais CPU (Node)', 'baseline', 'baseline CPU', 'ratio (CPU)', 'target', 'segments/s', 'peak RSS', 'engine calls (segments)'];
  const body = rows.map((r) => [
    r.row, r.input, r.to,
    fmtSpread(r.relais.wallMs), `${fmtS(r.relais.cpuMs.median)} (${fmtS(r.relais.nodeCpuMs.median)})`,
    r.baseline ? fmtSpread(r.baseline.wallMs) : '—', r.baseline ? fmtS(r.baseline.cpuMs.median) : '—',
    r.ratio === undefined ? '—' : `${times(r.ratio)} (${times(r.cpuRatio!)})`,
    r.target ?? '', nf0.format(r.segmentsPerSecond), `${nf0.format(r.relais.maxRssMiB)} MiB`, fmtEngine(r.engineRequests),
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i < 3 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  if (withHead) {
    console.log(line(head));
    console.log(line(widths.map((w) => '-'.repeat(w))));
  }
  for (const b of body) console.log(line(b));
}

/** `612 (9,760 × 2)`: calls, and the segments they held per language served (listed when they differ). */
function fmtEngine(e: EngineRequests): string {
  const v = Object.values(e.byLang);
  const segs = v.length === 0 ? nf0.format(e.segments)
    : v.every((n) => n === v[0]) ? `${nf0.format(v[0]!)}${v.length > 1 ? ` × ${v.length}` : ''}`
    : Object.entries(e.byLang).map(([l, n]) => `${l} ${nf0.format(n)}`).join(', ');
  return `${nf0.format(e.requests)} (${segs}${e.retries > 0 ? `, ${nf0.format(e.retries)} retries` : ''})`;
}

const nf0 = new Intl.NumberFormat('en', { maximumFractionDigits: 0 });
const nf1 = new Intl.NumberFormat('en', { minimumFractionDigits: 1, maximumFractionDigits: 1 });
const nf2 = new Intl.NumberFormat('en', { minimumFractionDigits: 2, maximumFractionDigits: 2 });

function fmtS(ms: number): string {
  return ms < 10_000 ? `${nf2.format(ms / 1000)} s` : `${nf1.format(ms / 1000)} s`;
}

/** Median, and the range when there were several runs: `7.95 s (7.80–8.10)`. */
function fmtSpread(s: Spread): string {
  if (s.values.length < 2) return fmtS(s.median);
  const f = (ms: number) => (ms < 10_000 ? nf2 : nf1).format(ms / 1000);
  return `${fmtS(s.median)} (${f(s.min)}–${f(s.max)})`;
}

function fmtMB(bytes: number): string {
  return `${new Intl.NumberFormat('en', { maximumFractionDigits: 2 }).format(bytes / 1_000_000)} MB`;
}

/* ------------------------------------------------------------------ job files */

function readdirNamespaces(jobDir: string): string[] {
  const manifest = JSON.parse(readFileSync(join(jobDir, 'job.json'), 'utf8')) as { sources: Array<{ namespace: string }> };
  return manifest.sources.map((s) => s.namespace);
}

function readSegments(jobDir: string, ns: string): Array<{ id: string; translatable: boolean }> {
  const stored = JSON.parse(readFileSync(join(jobDir, 'articles', ns, 'segment.json'), 'utf8')) as { value: { segments: Array<{ id: string; translatable: boolean }> } };
  return stored.value.segments;
}

/** Ids of the translatable segments of a job. */
function segmentIds(jobDir: string): Set<string> {
  return new Set(readdirNamespaces(jobDir).flatMap((ns) => readSegments(jobDir, ns).filter((s) => s.translatable).map((s) => s.id)));
}

/** The run's engine request log; no file means the engine got no request (the bench always sets RELAIS_ENGINE_LOG). */
export function readEngineLog(file: string): EngineRequests {
  const out: EngineRequests = { requests: 0, segments: 0, retries: 0, byLang: {} };
  if (!existsSync(file)) return out;
  for (const line of readFileSync(file, 'utf8').split('\n')) {
    if (!line) continue;
    const e = JSON.parse(line) as { lang: string; serves?: string[]; ids: string[]; retry?: boolean };
    out.requests++;
    out.segments += e.ids.length;
    if (e.retry) {
      out.retries++;
      continue;
    }
    for (const l of e.serves ?? [e.lang]) out.byLang[l] = (out.byLang[l] ?? 0) + e.ids.length;
  }
  return out;
}

/**
 * Per-stage times from the plain progress lines (`relais: ingest a1 done in 460 ms`,
 * `relais: translate a1 → es done in 6.7 s`), summed over articles; languages translated side by
 * side count once (the slowest).
 */
export function stageTimes(stderr: string): Record<string, number> {
  const out: Record<string, number> = {};
  const translate = new Map<string, number>();
  for (const m of stderr.matchAll(/^relais: (\w+) (\S+)(?: → (\S+))? done in ([\d.,]+) (ms|s)(?: \(.*\))?$/gm)) {
    const ms = Number(m[4]!.replaceAll(',', '')) * (m[5] === 's' ? 1000 : 1);
    if (m[1] === 'translate') translate.set(m[2]!, Math.max(translate.get(m[2]!) ?? 0, ms));
    else out[m[1]!] = (out[m[1]!] ?? 0) + ms;
  }
  if (translate.size > 0) out.translate = [...translate.values()].reduce((a, b) => a + b, 0);
  return Object.fromEntries(['ingest', 'segment', 'translate', 'align', 'publish'].filter((s) => s in out).map((s) => [s, out[s]!]));
}

/** A ratio as `1.61×`; below 0.1 with one more digit (`0.049×`), so that a ratio near a 0.05 target is not rounded onto it. */
function times(ratio: number): string {
  return `${ratio.toFixed(ratio < 0.1 ? 3 : 2)}×`;
}
