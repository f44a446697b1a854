#!/usr/bin/env node
/**
 * The command line: the only place that parses argv, prints, catches errors and sets the exit code.
 *
 * Exit status:
 *   0   done
 *   1   relais refused or failed, with a stable code (a missing or non-UTF-8 article, a glossary
 *       problem, an unknown language or engine, a missing or locked job, an engine failure)
 *   2   the command line itself is malformed (unknown command or option, missing argument or value);
 *       commander finds these before relais runs anything
 *   70  a bug in relais (EX_SOFTWARE): the stack is printed, please report it
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { RelaisError, isRelaisError } from '../errors.js';
import { ENGINE_NAMES } from '../engines/create-engine.js';
import { RELAIS_VERSION } from '../paths.js';
import { DEFAULT_JOB_DIR, JobStore, jobGlossaryFile, jobLocalesDir } from '../job/job-store.js';
import { chooseJobDir } from '../job/latest-job.js';
import { publishJob, publishPolicy, readJobStatus, runJob, unpublishArticles, type RunSummary, type JobStatus } from '../run-job.js';
import { SEGMENT_STATES, type SegmentState } from '../review/review-model.js';
import { readGlossary } from '../glossary/parse.js';
import { targetFor } from '../glossary/target-for.js';
import { startReviewServer } from '../review/review-server.js';
import { writeReviewSite } from '../review/write-review-site.js';
import { createReviewEnricher } from '../review/enrich-review.js';
import { exportReview, importReview } from '../review/exchange.js';
import { formatImportProblem } from '../review/plan-import.js';
import { writeFileAtomically } from '../job/fs-atomic.js';
import { ApertiumEngine } from '../engines/apertium.js';
import { createProgressPrinter, formatMs, type ProgressPrinter } from './progress.js';
import { registerAlignCommand } from './align-command.js';
import { describeSegmentCommand } from './segment-command.js';
import { printQueueStatus, registerWorkerCommand, runOnQueue } from './queue-command.js';

const EXIT_ERROR = 1;
const EXIT_USAGE = 2;
const EXIT_INTERNAL = 70;

/**
 * Values of environment variables that look like credentials (DEEPL_AUTH_KEY, …). Nothing relais
 * prints should contain them, whatever a library put in an error message.
 */
const SECRETS = Object.entries(process.env)
  .filter(([name, value]) => /(^|_)(KEY|TOKEN|SECRET|PASSWORD)$/i.test(name) && value !== undefined && value.length >= 8)
  .map(([, value]) => value!)
  .sort((a, b) => b.length - a.length);

function redact(text: string): string {
  let out = text;
  for (const s of SECRETS) out = out.split(s).join('[redacted]');
  return out;
}

const out = (text: string) => process.stdout.write(redact(text));
const err = (text: string) => process.stderr.write(redact(text));

/** The bar of the running command, erased before an error is printed. */
let progress: ProgressPrinter | undefined;

const program = new Command()
  .name('relais')
  .description('Translate French articles with a glossary, align them for review, publish i18next bundles.')
  .version(RELAIS_VERSION)
  // Usage errors are thrown (CommanderError) and given exit status 2 below, not process.exit(1).
  .exitOverride()
  .configureOutput({ outputError: (str, write) => write(redact(`relais: usage error: ${str.replace(/^error: /, '')}`)) })
  .showHelpAfterError('  → Run `relais --help` for the commands.')
  .addHelpText('after', `
Exit status: 0 done · 1 error (printed with a code, e.g. INPUT_NOT_UTF8) · 2 malformed command line · 70 bug in relais.`);

/** A subcommand that points at its own help after a usage error. */
function command(name: string): Command {
  return program.command(name).showHelpAfterError(`  → Run \`relais ${name} --help\` for its options.`);
}

command('run')
  .description('run every stage (ingest → segment → translate → align → publish) for the given articles; resumes an unfinished job')
  .argument('<files...>', 'article files (UTF-8 text; first line is the title), anywhere on disk')
  .option('--to <langs>', 'target languages, comma-separated, e.g. en,es,ca; repeatable (--to es --to ca) (default: glossary.yaml `languages`)', (v: string, earlier?: string) => (earlier === undefined ? v : `${earlier},${v}`))
  .option('--engine <name>', `translation engine: ${ENGINE_NAMES.join(' | ')}`, 'apertium')
  .option('--job <dir>', 'job folder (state, artifacts, review files)', DEFAULT_JOB_DIR)
  .option('--glossary <file>', 'glossary file', 'glossary.yaml')
  .option('--locales <dir>', 'where bundles are published', 'locales')
  .option('--no-publish', 'stop after the align stage; publish later with `relais publish`')
  .option('--approved-only', 'publish only approved segments (the others fall back to the source language in i18next); kept by later runs and publishes into the same folder')
  .option('--all-segments', 'publish every segment, machine translations included, in a locales folder last published --approved-only')
  .option('--tm <file>', 'translation memory shared across jobs (default: tm.sqlite beside the job folder)')
  .option('--no-tm', 'do not read or write a translation memory')
  .option('--max-chars <n>', 'paid engines: send at most this many characters in this run (refused before the first request when the estimate is over, and held while it sends)', positiveInteger)
  .option('--deepl-concurrency <n>', 'DeepL requests in flight at once (default: 4)', positiveInteger)
  .option('--deepl-rate <n>', 'DeepL requests started per second, at most (default: no cap)', positiveInteger)
  .option('--json', 'print the run summary as JSON on stdout (no progress)')
  .option('-q, --quiet', 'no progress on stderr (warnings and errors still go there)')
  .option('--queue <url>', 'queue the stages on BullMQ/Redis (redis://HOST:PORT[/DB]) for `relais worker`s instead of running them here')
  .option('--detach', 'with --queue: return once queued instead of waiting for the workers to publish')
  .addHelpText('after', `
Engines:
  apertium  offline, free (Debian packages); en goes through es (fr → es → en)
  deepl     needs DEEPL_AUTH_KEY (Free keys end in :fx); DEEPL_SERVER_URL points at another server.
            glossary.yaml becomes a DeepL glossary; the cost is estimated before the first request
            and each run's billed characters are reported and kept in the job (billing.jsonl).
            A used-up quota (456) or a refused key (403) stops the run with every finished segment
            saved: run the same command again later and only the rest is sent.
  pseudo    pseudo-localization (accented, 30 % longer, bracketed; RELAIS_PSEUDO_EXPANSION=0.5)`)
  .action(async (files: string[], o: { to?: string; engine: string; job: string; glossary: string; locales: string; publish: boolean; approvedOnly?: boolean; allSegments?: boolean; json?: boolean; quiet?: boolean; maxChars?: number; deeplConcurrency?: number; deeplRate?: number; tm?: string | false; queue?: string; detach?: boolean }) => {
    const targets = o.to === undefined ? undefined : parseLanguageList(o.to);
    checkEngineName(o.engine);
    // Commander keeps the last of --tm and --no-tm; given both, the user meant one of them.
    const args = process.argv.slice(2);
    if (args.includes('--no-tm') && args.some((a) => a === '--tm' || a.startsWith('--tm='))) {
      throw new RelaisError('OPTION_INVALID', '--tm and --no-tm contradict each other', { hint: 'Give one: --tm FILE to use that translation memory, --no-tm for none.' });
    }
    const approvedOnly = approvedOnlyOption(o);
    if (approvedOnly === undefined) delete o.approvedOnly;
    else o.approvedOnly = approvedOnly;
    if (o.queue !== undefined) {
      if (o.publish === false) throw new RelaisError('OPTION_INVALID', '--no-publish cannot be combined with --queue: a queued run publishes when its last article is translated');
      if (o.tm !== undefined) throw new RelaisError('OPTION_INVALID', `${o.tm === false ? '--no-tm' : '--tm'} cannot be combined with --queue: queued runs share the translation memory kept in Redis`);
      await runOnQueue({ ...o, queue: o.queue, files, ...(targets ? { targets } : {}) }, { out, err, displayPath });
      return;
    }
    if (o.detach) throw new RelaisError('OPTION_INVALID', '--detach needs --queue', { hint: 'relais run --queue redis://127.0.0.1:6379 --detach seeds/*.txt' });
    progress = createProgressPrinter({ stream: process.stderr, quiet: o.quiet === true || o.json === true, redact });
    // Ctrl+C: what is journaled stays (as after any stop), and the user is told how to go on.
    process.once('SIGINT', () => {
      progress?.finish();
      err(`relais: interrupted. Every segment finished so far is saved in ${displayPath(o.job)}; run the same command again to go on from there.\n`);
      process.exit(130);
    });
    const summary = await runJob({
      files,
      ...(targets ? { targets } : {}),
      engine: o.engine,
      jobDir: o.job,
      glossaryFile: o.glossary,
      localesDir: o.locales,
      publish: o.publish,
      ...(approvedOnly === undefined ? {} : { approvedOnly }),
      onProgress: progress.onProgress,
      ...(o.maxChars === undefined ? {} : { maxChars: o.maxChars }),
      ...(o.tm === undefined ? {} : { memoryFile: o.tm }),
      ...(o.deeplConcurrency === undefined ? {} : { concurrency: o.deeplConcurrency }),
      ...(o.deeplRate === undefined ? {} : { requestsPerSecond: o.deeplRate }),
    });
    progress.finish();
    out(o.json ? `${JSON.stringify(summary, null, 2)}\n` : formatSummary(summary, o.locales));
  });

/** The text of each bundle a publish of the job would write, as it is in `localesDir` now (by absolute path). */
function bundleContents(jobDir: string, localesDir: string): Map<string, string> {
  const out = new Map<string, string>();
  const m = new JobStore(jobDir).readManifest();
  for (const { namespace } of m.sources) {
    for (const lang of [m.sourceLang, ...m.targets]) {
      const path = resolve(localesDir, lang, `${namespace}.json`);
      const text = readIfFile(path);
      if (text !== undefined) out.set(path, text);
    }
  }
  return out;
}

function readIfFile(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** --approved-only / --all-segments: true, false, or unset (the folder's last policy); both is a contradiction. */
function approvedOnlyOption(o: { approvedOnly?: boolean; allSegments?: boolean }): boolean | undefined {
  if (o.approvedOnly && o.allSegments) throw new RelaisError('OPTION_INVALID', '--approved-only and --all-segments contradict each other', { hint: 'Give one: --approved-only publishes approved segments only, --all-segments every segment.' });
  return o.approvedOnly ? true : o.allSegments ? false : undefined;
}

/**
 * The job a command means: --job, else the last one run under .relais/jobs/. When there was a choice the
 * command says which it took (a publish of the wrong job is not undone by reading its file list).
 */
function pickJob(given: string | undefined): string {
  if (given !== undefined) return given;
  const { dir, others } = chooseJobDir();
  if (others.length > 0) err(`relais: job ${displayPath(dir)} (the last one run; also ${others.map(displayPath).join(', ')}: --job chooses)\n`);
  return dir;
}

command('status')
  .description('show what each article of a job has finished, per stage and language')
  .option('--job <dir>', 'job folder (default: the latest job under .relais/jobs/)')
  .option('--queue <url>', 'show a queued run: each article, stage and language, per BullMQ job, and the workers')
  .option('--run <id>', 'with --queue: this run (default: the latest run of --job, or the latest run queued)')
  .option('--json', 'print as JSON')
  .action(async (o: { job?: string; json?: boolean; queue?: string; run?: string }) => {
    if (o.queue !== undefined) {
      await printQueueStatus({ queue: o.queue, ...(o.job ? { job: o.job } : {}), ...(o.run ? { run: o.run } : {}), json: o.json === true }, { out, err, displayPath });
      return;
    }
    const status = readJobStatus(pickJob(o.job));
    out(o.json ? `${JSON.stringify(status, null, 2)}\n` : formatStatus(status));
  });

command('publish')
  .description("write a finished job's bundles to locales/ with reviewers' decisions (atomically; earlier bundles survive a failure)")
  .option('--job <dir>', 'job folder (default: the latest job under .relais/jobs/)')
  .option('--locales <dir>', "where bundles are published (default: where the job's last run published them, else locales/)")
  .option('--approved-only', 'publish only approved segments; the others fall back to the source language in i18next (kept by later runs and publishes into the same folder)')
  .option('--all-segments', 'publish every segment, machine translations included, in a folder last published --approved-only')
  .option('--remove <namespace>', 'take an article down instead: its bundles leave every language, its entries the manifest; repeatable', (v: string, earlier: string[] = []) => [...earlier, v])
  .action((o: { job?: string; locales?: string; approvedOnly?: boolean; allSegments?: boolean; remove?: string[] }) => {
    if (o.remove) {
      const localesDir = o.locales ?? (o.job ? jobLocalesDir(o.job) : undefined) ?? 'locales';
      const found = unpublishArticles(localesDir, o.remove);
      out(`${Object.entries(found).map(([ns, langs]) => `took down ${ns} from ${displayPath(localesDir)} (${langs.join(', ')})`).join('\n')}\n`);
      err(`relais: a later relais run or publish of a job holding ${o.remove.length === 1 ? 'this article' : 'these articles'} publishes ${o.remove.length === 1 ? 'it' : 'them'} again: leave ${o.remove.length === 1 ? 'its file' : 'their files'} out of the run.\n`);
      return;
    }
    const jobDir = pickJob(o.job);
    const localesDir = o.locales ?? jobLocalesDir(jobDir) ?? 'locales';
    const asked = approvedOnlyOption(o);
    const policy = publishPolicy(localesDir, asked);
    const before = bundleContents(jobDir, localesDir);
    const files = publishJob({ jobDir, localesDir, ...(asked === undefined ? {} : { approvedOnly: asked }), onWarning: (m) => err(`relais: warning: ${m}\n`) });
    // What changed for readers (a CDN purge, a note to the desk), file by file.
    const bundles = files.slice(0, -1).map((f) => {
      const was = before.get(resolve(f));
      return { f, what: was === undefined ? 'new' : was === readIfFile(f) ? 'unchanged' : 'changed' };
    });
    const count = (w: string) => bundles.filter((b) => b.what === w).length;
    const summary = ['new', 'changed', 'unchanged'].filter((w) => count(w) > 0).map((w) => `${count(w)} ${w}`).join(', ');
    out(`published job ${displayPath(jobDir)} to ${displayPath(localesDir)}: ${bundles.length} bundles (${summary}) and the manifest${policy.approvedOnly ? ' (approved segments only)' : ''}:\n${bundles.map((b) => `  ${displayPath(b.f)}  ${b.what}`).join('\n')}\n  ${displayPath(files[files.length - 1]!)}\n`);
  });

command('review')
  .description('review translations side by side: serve the review page on 127.0.0.1, or write it as static files (--html)')
  .option('--job <dir>', 'job folder (default: the latest job under .relais/jobs/)')
  .option('--glossary <file>', "glossary the names are marked and checked with (default: the one the job was translated with, else glossary.yaml)")
  .option('--port <n>', 'port to listen on (0: any free port)', portNumber, 0)
  .option('--html <outdir>', 'write the pages as read-only static files into this folder instead of serving them')
  .action(async (o: { job?: string; glossary?: string; port: number; html?: string }) => {
    const job = pickJob(o.job);
    const used = o.glossary === undefined ? jobGlossaryFile(job) : undefined;
    let glossary = readGlossary(o.glossary ?? used?.file ?? 'glossary.yaml');
    if (used && glossary.hash !== used.hash) {
      err(`relais: warning: ${displayPath(used.file)} changed since the job was translated: names are marked and checked as it says now (run the job again to translate with it)\n`);
    }
    // A run while the server is up may translate with a changed glossary: the pages follow it.
    let loadedFor = used?.hash;
    const glossaryNow = () => {
      if (o.glossary !== undefined) return glossary;
      const now = jobGlossaryFile(job);
      if (!now || now.hash === loadedFor) return glossary;
      loadedFor = now.hash;
      try {
        glossary = readGlossary(now.file);
        err(`relais review: the job was translated again with ${displayPath(now.file)} changed: names are marked and checked as it says now\n`);
      } catch (e) {
        err(`relais review: warning: cannot read ${displayPath(now.file)} (${e instanceof Error ? e.message : String(e)}): names are still checked with the glossary read before\n`);
      }
      return glossary;
    };
    // QA checks on the current text, and the round-trip risk from Apertium's way back to French.
    const engine = new ApertiumEngine();
    const { enrich } = createReviewEnricher({ glossary: glossaryNow, jobDir: job, engine });
    try {
      if (o.html !== undefined) {
        const files = await writeReviewSite({ jobDir: job, outDir: o.html, glossary, enrich });
        out(`wrote ${files.length} pages; open ${displayPath(files[0]!)}\n`);
        return;
      }
      const server = await startReviewServer({ jobDir: job, glossary: glossaryNow, port: o.port, enrich });
      out(`relais review: ${server.url} — job ${displayPath(job)} (Ctrl+C to stop; decisions are saved as you make them)\n`);
      await new Promise<void>((resolve) => {
        const stop = () => void server.close().then(resolve);
        process.once('SIGINT', stop);
        process.once('SIGTERM', stop);
      });
    } finally {
      await engine.close();
    }
  });

registerAlignCommand(command('align'), { print: out, warn: err, displayPath });

/** Commander parser for counts: a malformed value is a usage error (exit 2). */
function positiveInteger(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || !Number.isSafeInteger(n) || n < 1) throw new InvalidArgumentError(`expected a whole number of 1 or more, got "${value}"`);
  return n;
}

command('export')
  .description("write a job's review state for a CAT tool: XLIFF 2.1 (state initial/translated/reviewed/final) or TMX 1.4b")
  .requiredOption('--lang <code>', 'target language to export, e.g. en')
  .option('--format <format>', 'xliff | tmx', 'xliff')
  .option('--job <dir>', 'job folder (default: the latest job under .relais/jobs/)')
  .option('--article <namespace>', 'only this article; repeatable (default: every article of the job)', (v: string, earlier: string[] = []) => [...earlier, v])
  .option('--states <list>', `only segments in these review states, comma-separated: ${SEGMENT_STATES.join(', ')} (e.g. approved,edited for a memory of reviewed text)`)
  .option('-o, --output <file>', 'write to this file (default: stdout)')
  .action((o: { lang: string; format: string; job?: string; output?: string; article?: string[]; states?: string }) => {
    o.format = o.format.toLowerCase();
    if (o.format !== 'xliff' && o.format !== 'tmx') throw new RelaisError('OPTION_INVALID', `--format must be xliff or tmx, got "${o.format}"`);
    const states = o.states?.split(',').map((x) => x.trim()).filter(Boolean);
    const wrong = states?.filter((x) => !(SEGMENT_STATES as readonly string[]).includes(x)) ?? [];
    if (wrong.length > 0 || states?.length === 0) throw new RelaisError('OPTION_INVALID', `--states: ${wrong.length > 0 ? `unknown state ${wrong.map((x) => `"${x}"`).join(', ')}` : 'no state given'}`, { hint: `States: ${SEGMENT_STATES.join(', ')}.` });
    if (o.output !== undefined && existsSync(o.output) && statSync(o.output).isDirectory()) {
      throw new RelaisError('OPTION_INVALID', `-o ${o.output} is a folder`, { hint: `Name the file to write, e.g. -o ${join(o.output, `${o.lang}.${o.format === 'tmx' ? 'tmx' : 'xlf'}`)}` });
    }
    const text = exportReview({ jobDir: pickJob(o.job), format: o.format, lang: o.lang, ...(o.article ? { articles: o.article } : {}), ...(states ? { states: states as SegmentState[] } : {}) });
    if (o.output === undefined) out(text);
    else {
      writeFileAtomically(o.output, text);
      err(`relais: wrote ${displayPath(o.output)}\n`);
    }
  });

/** Import warnings printed per code before "… and N more". */
const WARNINGS_PER_CODE = 5;

command('import')
  .description('bring a file reviewed in a CAT tool back (XLIFF 2.x or 1.2, TMX): matching units update the text and state')
  .argument('<file>', 'the reviewed .xlf/.xliff or .tmx file')
  .option('--job <dir>', 'job folder (default: the latest job under .relais/jobs/)')
  .option('--lang <code>', "target language (default: the file's)")
  .option('--apply-valid', 'record the valid units even when others are refused (default: all or nothing)')
  .action((file: string, o: { job?: string; lang?: string; applyValid?: boolean }) => {
    const { plan, recorded } = importReview({ jobDir: pickJob(o.job), file, ...(o.lang ? { lang: o.lang } : {}), applyValid: o.applyValid === true });
    // A whole stale file would print one warning per unit: the first few of each kind, then a count.
    const shown = new Map<string, number>();
    for (const w of plan.warnings) {
      const n = (shown.get(w.code) ?? 0) + 1;
      shown.set(w.code, n);
      if (n <= WARNINGS_PER_CODE) err(`relais: warning: ${formatImportProblem(w, file)}\n`);
    }
    for (const [code, n] of shown) if (n > WARNINGS_PER_CODE) err(`relais: warning: … and ${n - WARNINGS_PER_CODE} more ${code}\n`);
    for (const e of plan.errors) err(`relais: error: ${formatImportProblem(e, file)}\n`);
    const stale = `${plan.stale > 0 ? `, ${plan.stale} stale` : ''}${plan.conflicts > 0 ? `, ${plan.conflicts} decided in relais since the export` : ''}`;
    const counts = `${plan.updates.length} to update, ${plan.unchanged} unchanged${stale}, ${plan.errors.length} refused`;
    if (plan.conflicts > 0) {
      err(`relais: ${plan.conflicts} unit${plan.conflicts === 1 ? ' was' : 's were'} decided in relais after this file was exported: relais kept its newer decision${plan.conflicts === 1 ? '' : 's'}. To bring ${plan.conflicts === 1 ? 'it' : 'them'} into your CAT tool, export again (relais export).\n`);
    }
    if (plan.stale > 0) {
      err(`relais: ${plan.stale} unit${plan.stale === 1 ? ' has' : 's have'} the machine translation of another job or of an earlier run, unedited: not imported. Export the file again from this job (relais export) and review that one.\n`);
    }
    if (plan.errors.length > 0 && recorded === 0 && plan.updates.length > 0) {
      out(`nothing imported (${counts}): fix the refused units, or run again with --apply-valid to record the others\n`);
    } else {
      out(`imported ${recorded} decision${recorded === 1 ? '' : 's'} (${counts})\n`);
    }
    // A file whose every unit is stale is the wrong file: say so with the exit status too.
    if (plan.errors.length > 0 || (plan.stale + plan.conflicts > 0 && plan.updates.length === 0 && plan.unchanged === 0)) process.exitCode = EXIT_ERROR;
  });

command('glossary')
  .description('check a glossary without running a job: every problem with its file:line:column, or what it holds per language')
  .argument('[file]', 'the glossary', 'glossary.yaml')
  .option('--json', 'print the summary as JSON')
  .action((file: string, o: { json?: boolean }) => {
    const g = readGlossary(file);
    const kinds = ['person', 'place', 'organisation', 'other'] as const;
    const byKind = Object.fromEntries(kinds.map((k) => [k, g.terms.filter((t) => t.kind === k).length]));
    const languages = Object.fromEntries(g.languages.map((lang) => {
      const missing = g.terms.filter((t) => targetFor(t, lang) === undefined);
      return [lang, { forms: g.terms.length - missing.length, missing: missing.map((t) => ({ term: t.id, kind: t.kind, line: t.place.line })) }];
    }));
    if (o.json) {
      out(`${JSON.stringify({ file: g.file, source: g.source, languages: g.languages, terms: g.terms.length, kinds: byKind, forms: languages }, null, 2)}\n`);
      return;
    }
    const lines = [`${displayPath(g.file)}: valid · ${g.terms.length} terms (${kinds.filter((k) => byKind[k]! > 0).map((k) => `${byKind[k]} ${k === 'person' ? (byKind[k] === 1 ? 'person' : 'people') : `${k}${byKind[k] === 1 ? '' : 's'}`}`).join(', ')}) · source ${g.source} · languages ${g.languages.join(', ')}`];
    for (const [lang, l] of Object.entries(languages)) {
      const people = l.missing.filter((m) => m.kind === 'person').length;
      const others = l.missing.filter((m) => m.kind !== 'person');
      lines.push(`  ${lang}: a form for ${l.forms} of ${g.terms.length}${people ? ` · ${people} ${people === 1 ? 'person keeps its' : 'people keep their'} French form` : ''}${others.length ? ` · left to the engine: ${others.slice(0, 6).map((m) => `${m.term} (line ${m.line})`).join(', ')}${others.length > 6 ? `, and ${others.length - 6} more` : ''}` : ''}`);
    }
    out(`${lines.join('\n')}\n`);
  });

describeSegmentCommand(command('segment'), out);
registerWorkerCommand(command('worker'), { out, err, displayPath });

/** Commander parser for --port: 0–65535. */
function portNumber(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value.trim()) || n > 65535) throw new InvalidArgumentError(`expected a port number from 0 to 65535, got "${value}"`);
  return n;
}

/** `--to en, es,,ca` → ['en', 'es', 'ca']; the codes themselves are checked by runJob against the glossary's source. */
function parseLanguageList(value: string): string[] {
  const list = value.split(',').map((s) => s.trim()).filter(Boolean);
  if (list.length === 0) throw new RelaisError('OPTION_INVALID', `--to needs at least one language, got "${value}"`, { hint: 'For example: --to en,es,ca' });
  return list;
}

/** Checked before anything is read, so that a typo in --engine is not hidden by another error. */
function checkEngineName(name: string): void {
  if (!(ENGINE_NAMES as readonly string[]).includes(name)) {
    throw new RelaisError('ENGINE_UNKNOWN', `unknown engine "${name}"`, { hint: `Use one of: ${ENGINE_NAMES.join(', ')} (--engine ${ENGINE_NAMES[0]} is the default).` });
  }
}

/** Paths under the working directory are shown relative to it, as the user typed them. */
function displayPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel && !rel.startsWith('..') ? rel : path;
}

function formatSummary(s: RunSummary, localesDir: string): string {
  const nf = new Intl.NumberFormat('en');
  // A billed column only when a paid engine billed something (this run or an earlier one of the job).
  const paid = s.billedCharacters.job > 0;
  const head = ['language', 'segments', 'terms applied', 'flagged', 'QA flags', 'translated now', 'from memory', ...(paid ? ['billed chars'] : []), 'time'];
  const rows = s.languages.map((l) => [l.lang, nf.format(l.segments), nf.format(l.termsApplied), nf.format(l.flaggedSegments), nf.format(l.flags), nf.format(l.translatedNow), nf.format(l.memoryHits), ...(paid ? [nf.format(l.billedCharacters)] : []), formatMs(l.ms)]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => (i === 0 ? c.padEnd(widths[i]!) : c.padStart(widths[i]!))).join('  ').trimEnd();
  const lines = [
    ...s.articles.map((a) => `${a.namespace}: ${a.segments} segments${a.furniture ? `, ${a.furniture} blocks of page furniture left out` : ''}${a.notes.length ? ` (${a.notes.join('; ')})` : ''}`),
    '',
    line(head),
    line(widths.map((w) => '-'.repeat(w))),
    ...rows.map(line),
    '',
    s.published.length
      ? `published ${s.published.length} bundles under ${displayPath(localesDir).replace(/\/?$/, '/')}${s.approvedOnly ? ' (approved segments only)' : ''}`
      : 'not published (--no-publish); run `relais publish` when ready',
    `review pages and TMX: ${displayPath(s.jobDir)}/articles/<namespace>/align/`,
    ...(paid ? [`billed: ${nf.format(s.billedCharacters.run)} characters in this run, ${nf.format(s.billedCharacters.job)} in this job so far`] : []),
    `done in ${formatMs(s.ms)}`,
  ];
  return `${lines.join('\n')}\n`;
}

function formatStatus(st: JobStatus): string {
  const billed = st.billedCharacters > 0 ? ` · ${new Intl.NumberFormat('en').format(st.billedCharacters)} characters billed` : '';
  const lines = [`job ${displayPath(st.jobDir)} · engine ${st.engine} · targets ${st.targets.join(', ')}${billed}`];
  if (st.articles.length === 0) lines.push('no articles yet');
  for (const a of st.articles) {
    lines.push(`${a.namespace} (${a.file}): ${a.segments ?? 0} segments`);
    lines.push(`  stages: ${Object.entries(a.stages).map(([k, v]) => `${k} ${v}`).join(' · ')}`);
    for (const [lang, l] of Object.entries(a.languages)) {
      if (l.total === 0) lines.push(`  ${lang}: not started (the article is not segmented yet)`);
      else {
        const r = l.review;
        const reviewed = r.unreviewed === l.total ? 'not reviewed yet' : `reviewed: ${r.approved} approved, ${r.edited} edited, ${r.rejected} rejected, ${r.needsReview} need review, ${r.unreviewed} not yet`;
        lines.push(`  ${lang}: ${l.translated}/${l.total} translated (${Math.floor((100 * l.translated) / l.total)}%), ${l.flagged} flagged · ${reviewed}`);
      }
    }
  }
  return `${lines.join('\n')}\n`;
}

function exitCodeOf(e: unknown): number {
  if (e instanceof CommanderError) {
    // --help and --version "exit" with 0; everything else commander throws is a malformed command line
    // (its message was already printed by outputError).
    return e.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  progress?.finish();
  if (isRelaisError(e)) {
    err(`relais: error: ${e.format()}\n`);
    return EXIT_ERROR;
  }
  err(`relais: internal error: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\nPlease report this with the command you ran.\n`);
  return EXIT_INTERNAL;
}

program.parseAsync(process.argv).catch((e: unknown) => {
  process.exitCode = exitCodeOf(e);
});
