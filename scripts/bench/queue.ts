/**
 * `npm run bench -- --only queue`: the same articles through `relais run --queue` with 1, 2 and 4
 * `relais worker` processes on this machine, against a local `relais run` and raw Apertium over the
 * same text in the same run. A real redis-server (Debian) is started for it on a free port.
 *
 * On one machine the engine is the bottleneck: Apertium's chain of processes already keeps the cores
 * busy, so more workers than cores only add scheduling. The row shows that curve; the speed-up
 * from several workers comes from several machines.
 */
import { execFileSync } from 'node:child_process';
import { cpSync, mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { startTestRedis } from '../../test/helpers/redis.js';
import { startWorkerProcess, stopAll, waitFor } from '../../test/helpers/workers.js';
import { articleText, corpusParagraphs } from './corpus.js';
import { measure } from './measure.js';

export interface QueueBenchRow {
  setup: string;
  wallMs: number;
  vsLocal?: number;
  vsRaw: number;
  segmentsPerSecond: number;
}

export async function benchQueue(o: { root: string; cli: string; workDir: string; articles?: number; bytes?: number; to?: string }): Promise<QueueBenchRow[]> {
  const articles = o.articles ?? 8;
  const to = o.to ?? 'es,ca';
  const paragraphs = corpusParagraphs(o.bytes ?? 200_000);
  const per = Math.ceil(paragraphs.length / articles);
  const source = join(o.workDir, 'queue-articles');
  mkdirSync(source, { recursive: true });
  const files: string[] = [];
  let all = '';
  for (let i = 0; i < articles; i++) {
    const text = articleText(`Article ${i + 1}`, paragraphs.slice(i * per, (i + 1) * per));
    const file = join(source, `article-${i + 1}.txt`);
    writeFileSync(file, text);
    files.push(file);
    all += text;
  }
  writeFileSync(join(o.workDir, 'queue-all.txt'), all);
  const project = (name: string) => {
    const dir = mkdtempSync(join(o.workDir, `${name}-`));
    cpSync(join(o.root, 'glossary.yaml'), join(dir, 'glossary.yaml'));
    return dir;
  };

  // Raw Apertium: each pair over all the text as one process, one pair after the other.
  let rawMs = 0;
  for (const pair of to.split(',').map((l) => (l === 'ca' ? 'fra-cat' : `fr-${l}`))) {
    rawMs += (await measure(['apertium', '-u', pair], { stdin: join(o.workDir, 'queue-all.txt') })).wallMs;
  }
  const segmentsOf = (dir: string) => {
    const json = execFileSync(process.execPath, [o.cli, 'status', '--job', join(dir, 'job'), '--json'], { cwd: dir, encoding: 'utf8' });
    return (JSON.parse(json) as { articles: Array<{ segments: number }> }).articles.reduce((n, a) => n + a.segments, 0) * to.split(',').length;
  };

  const rows: QueueBenchRow[] = [];
  const localDir = project('local');
  const local = await measure([process.execPath, o.cli, 'run', ...files, '--to', to, '--job', 'job', '--no-tm', '-q'], { cwd: localDir });
  const segments = segmentsOf(localDir);
  rows.push({ setup: 'local relais run', wallMs: local.wallMs, vsRaw: local.wallMs / rawMs, segmentsPerSecond: segments / (local.wallMs / 1000) });

  const redis = await startTestRedis();
  try {
    for (const [n, db] of [[1, 1], [2, 2], [4, 3]] as const) {
      const url = await redis.url(db);
      const dir = project(`queue-${n}`);
      const workers = Array.from({ length: n }, (_, i) => startWorkerProcess(`b${i + 1}`, url, dir, {}));
      try {
        await waitFor(`${n} workers`, () => workers.every((w) => /waiting for jobs/.test(w.log())));
        const m = await measure([process.execPath, o.cli, 'run', ...files, '--to', to, '--queue', url, '--job', 'job', '-q'], { cwd: dir });
        rows.push({ setup: `queue, ${n} worker${n > 1 ? 's' : ''}`, wallMs: m.wallMs, vsLocal: m.wallMs / local.wallMs, vsRaw: m.wallMs / rawMs, segmentsPerSecond: segments / (m.wallMs / 1000) });
      } finally {
        await stopAll(workers);
      }
    }
  } finally {
    await redis.stop();
  }
  const nf = new Intl.NumberFormat('en', { maximumFractionDigits: 2 });
  const bytes = Buffer.byteLength(all);
  console.log(`${articles} articles, ${nf.format(bytes / 1000)} kB, ${segments} segment translations (--to ${to}); raw apertium, pair after pair: ${nf.format(rawMs / 1000)} s`);
  const head = ['setup', 'wall', 'vs local run', 'vs raw apertium', 'segments/s'];
  const body = rows.map((r) => [r.setup, `${nf.format(r.wallMs / 1000)} s`, r.vsLocal === undefined ? '—' : `${nf.format(r.vsLocal)}×`, `${nf.format(r.vsRaw)}×`, nf.format(Math.round(r.segmentsPerSecond))]);
  const widths = head.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  for (const line of [head, widths.map((w) => '-'.repeat(w)), ...body]) console.log(line.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  '));
  return rows;
}
