#!/usr/bin/env node
/** The command line: the only place that parses argv, prints, catches errors and sets the exit code. */
import { Command, InvalidArgumentError, Option } from 'commander';
import { isRelaisError } from '../errors.js';
import { ENGINE_NAMES } from '../engines/create-engine.js';
import { RELAIS_VERSION } from '../paths.js';
import { DEFAULT_JOB_DIR } from '../job/job-store.js';
import { publishJob, readJobStatus, runJob, type RunSummary, type JobStatus } from '../run-job.js';
import { createProgressPrinter, formatMs } from './progress.js';

const program = new Command()
  .name('relais')
  .description('Translate French articles with a glossary, align them for review, publish i18next bundles.')
  .version(RELAIS_VERSION)
  .showHelpAfterError('(run with --help for usage)');

const langList = (v: string): string[] => {
  const list = v.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new InvalidArgumentError('give at least one language, e.g. --to en,es,ca');
  return list;
};

program
  .command('run')
  .description('run every stage (ingest → segment → translate → align → publish) for the given articles; resumes an unfinished job')
  .argument('<files...>', 'article files (UTF-8 text; first line is the title)')
  .option('--to <langs>', 'target languages, comma-separated (default: glossary.yaml `languages`)', langList)
  .addOption(new Option('--engine <name>', 'translation engine').choices([...ENGINE_NAMES]).default('apertium'))
  .option('--job <dir>', 'job folder (state, artifacts, review files)', DEFAULT_JOB_DIR)
  .option('--glossary <file>', 'glossary file', 'glossary.yaml')
  .option('--locales <dir>', 'where bundles are published', 'locales')
  .option('--no-publish', 'stop after the align stage; publish later with `relais publish`')
  .option('--json', 'print the run summary as JSON on stdout')
  .option('-q, --quiet', 'no progress on stderr')
  .action(async (files: string[], o: { to?: string[]; engine: string; job: string; glossary: string; locales: string; publish: boolean; json?: boolean; quiet?: boolean }) => {
    const summary = await runJob({
      files,
      ...(o.to ? { targets: o.to } : {}),
      engine: o.engine,
      jobDir: o.job,
      glossaryFile: o.glossary,
      localesDir: o.locales,
      publish: o.publish,
      onProgress: createProgressPrinter(process.stderr, o.quiet === true || o.json === true),
    });
    process.stdout.write(o.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary));
  });

program
  .command('status')
  .description('show what each article of a job has finished, per stage and language')
  .option('--job <dir>', 'job folder', DEFAULT_JOB_DIR)
  .option('--json', 'print as JSON')
  .action((o: { job: string; json?: boolean }) => {
    const status = readJobStatus(o.job);
    process.stdout.write(o.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
  });

program
  .command('publish')
  .description("write a finished job's bundles to locales/ (atomically; earlier bundles survive a failure)")
  .option('--job <dir>', 'job folder', DEFAULT_JOB_DIR)
  .option('--locales <dir>', 'where bundles are published', 'locales')
  .action((o: { job: string; locales: string }) => {
    const files = publishJob({ jobDir: o.job, localesDir: o.locales });
    process.stdout.write(`published ${files.length} bundles:\n${files.map((f) => `  ${f}`).join('\n')}\n`);
  });

function formatSummary(s: RunSummary): string {
  const nf = new Intl.NumberFormat('en');
  const head = ['language', 'segments', 'terms applied', 'flagged', 'QA flags', 'translated now', 'time'];
  const rows = s.languages.map((l) => [l.lang, nf.format(l.segments), nf.format(l.termsApplied), nf.format(l.flaggedSegments), nf.format(l.flags), nf.format(l.translatedNow), formatMs(l.ms)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ');
  const out = [
    ...s.articles.map((a) => `${a.namespace}: ${a.segments} segments${a.furniture ? `, ${a.furniture} blocks of page furniture left out` : ''}${a.notes.length ? ` (${a.notes.join('; ')})` : ''}`),
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    s.published.length ? `published ${s.published.length} bundles under locales/` : 'not published (--no-publish); run `relais publish` when ready',
    `review pages and TMX: ${s.jobDir}/articles/<namespace>/align/`,
    `done in ${formatMs(s.ms)}`,
  ];
  return `${out.join('\n')}\n`;
}

function formatStatus(st: JobStatus): string {
  const out = [`job ${st.jobDir} · engine ${st.engine} · targets ${st.targets.join(', ')}`];
  for (const a of st.articles) {
    out.push(`${a.namespace} (${a.file}): ${a.segments ?? 0} segments`);
    out.push(`  stages: ${Object.entries(a.stages).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
    for (const [lang, l] of Object.entries(a.languages)) out.push(`  ${lang}: ${l.translated}/${l.total} translated, ${l.flagged} flagged`);
  }
  return `${out.join('\n')}\n`;
}

program.parseAsync(process.argv).catch((e: unknown) => {
  if (isRelaisError(e)) {
    process.stderr.write(`relais: error: ${e.format()}\n`);
    process.exitCode = 1;
    return;
  }
  process.stderr.write(`relais: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\nPlease report this with the command you ran.\n`);
  process.exitCode = 70;
});
