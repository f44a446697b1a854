/**
 * `relais align SOURCE TARGET --lang xx`: a French text and a translation made elsewhere (a press
 * agency's English version, a freelancer's Spanish), aligned sentence by sentence into the same review
 * page and TMX a translation job writes, with omissions and additions flagged.
 *
 * `runAlignCommand` is the typed action (tests call it); `registerAlignCommand` declares the options on
 * a commander subcommand; printing stays with the caller, like every command of main.ts.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import type { Glossary } from '../artifacts.js';
import { alignmentToArticle, MIN_PAIRS_TO_JUDGE, summarizeAlignment, UNRELATED_BELOW, type AlignmentSummary } from '../align/alignment-article.js';
import { alignTexts, type TextAlignment } from '../align/align-texts.js';
import { BEAD_TYPES } from '../align/align-sentences.js';
import { createEngine } from '../engines/create-engine.js';
import type { Engine } from '../engines/engine.js';
import { RelaisError } from '../errors.js';
import { readGlossary } from '../glossary/parse.js';
import { writeFileAtomically } from '../job/fs-atomic.js';
import { RELAIS_VERSION } from '../paths.js';
import { buildTmx, tmxDate } from '../stages/align/build-tmx.js';
import { renderAlignedHtml } from '../stages/align/render-html.js';
import { decodeArticle } from '../stages/ingest/decode-text.js';
import { detectLanguage } from '../stages/ingest/detect-language.js';
import { namespaceOf } from '../stages/ingest/ingest-article.js';

/** Engines `relais align` can compare through. `none`: length, cognates and anchors only. */
export const ALIGN_ENGINES = ['apertium', 'none'] as const;
export type AlignEngineName = (typeof ALIGN_ENGINES)[number];

export interface AlignCommandOptions {
  /** Language of the translation (BCP 47), e.g. `en`. */
  lang: string;
  /** Where `<name>.<lang>.tmx` and `.html` are written. @default '.' */
  out?: string;
  /** @default 'apertium' */
  engine?: string;
  /**
   * Glossary whose names are anchors and are marked on the page. @default glossary.yaml when it exists
   * in the working directory, else none.
   */
  glossary?: string;
  /** Language of SOURCE. @default the glossary's source, else 'fr' */
  sourceLang?: string;
  /** For tests: builds the engine (default: relais' createEngine). */
  createEngine?: (name: 'apertium') => Engine;
  /** Told when something worth knowing happens (no engine for the pair…). The CLI prints these on stderr. */
  onNotice?: (message: string) => void;
}

export interface AlignCommandResult extends AlignmentSummary {
  source: string;
  target: string;
  namespace: string;
  sourceLang: string;
  targetLang: string;
  /** The engine whose translation was compared with the target, or null. */
  engine: string | null;
  /** Sentences left out of the translation / added by it, with where they are. */
  omitted: Array<{ sentence: number; line: number; text: string }>;
  added: Array<{ sentence: number; line: number; text: string }>;
  files: { tmx: string; html: string };
  ms: number;
}

const LANG = /^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$/u;

export async function runAlignCommand(sourceFile: string, targetFile: string, options: AlignCommandOptions): Promise<AlignCommandResult> {
  const started = Date.now();
  const notice = options.onNotice ?? (() => {});
  const targetLang = checkLang(options.lang, '--lang');
  const engineName = checkEngine(options.engine ?? 'apertium');
  const glossary = loadGlossary(options.glossary);
  const sourceLang = checkLang(options.sourceLang ?? glossary?.source ?? 'fr', 'source language');
  const sourceText = readText(sourceFile);
  const targetText = readText(targetFile);
  // The wrong file given as the translation (the French itself, another language) still aligns on
  // length and anchors: say so rather than write French under xml:lang="en".
  const seen = detectLanguage(targetText.slice(0, 20_000), targetLang.split('-')[0]!);
  if (seen.confident && seen.lang !== targetLang.split('-')[0]) {
    notice(`warning: ${targetFile} looks like ${seen.lang === sourceLang.split('-')[0] ? `${seen.lang}, the source language` : seen.lang}, not ${targetLang} (--lang): check that it is the translation you meant`);
  }

  let engine: Engine | undefined;
  if (engineName === 'apertium') {
    engine = (options.createEngine ?? ((name) => createEngine(name, { sourceLang })))('apertium');
    if (!engine.supports(sourceLang, targetLang)) {
      notice(`Apertium has no ${sourceLang}→${targetLang} pair installed (it serves fr→en, es, ca, eo, oc): aligning on length, cognates and anchors.`);
    }
  }
  let alignment: TextAlignment;
  try {
    alignment = await alignTexts(sourceText, targetText, {
      sourceLang,
      targetLang,
      ...(engine ? { engine } : {}),
      ...(glossary ? { glossary } : {}),
    });
  } finally {
    await engine?.close();
  }

  const summary = summarizeAlignment(alignment);
  // A translation of another text still aligns (lengths, anchors): most of its pairs then share no more
  // than unrelated sentences of the two texts do.
  if (summary.supported !== null && summary.paired >= MIN_PAIRS_TO_JUDGE && summary.supported < UNRELATED_BELOW) {
    notice(`warning: only ${percent(summary.supported)} of the ${summary.paired} pairs share more with each other than unrelated sentences of these texts do (a translation gives over ${percent(UNRELATED_BELOW)}, usually over 80%): ${targetFile} does not look like a translation of ${sourceFile}`);
  }

  const namespace = namespaceOf(sourceFile, sourceLang);
  const outDir = resolve(options.out ?? '.');
  try {
    mkdirSync(outDir, { recursive: true });
  } catch (cause) {
    throw new RelaisError('WRITE_FAILED', `cannot create the output folder ${outDir}: ${(cause as Error).message}`, { place: { file: outDir }, cause });
  }
  const article = alignmentToArticle(alignment, namespace);
  const files = { tmx: join(outDir, `${namespace}.${targetLang}.tmx`), html: join(outDir, `${namespace}.${targetLang}.html`) };
  writeFileAtomically(files.tmx, buildTmx(article, { toolVersion: RELAIS_VERSION, creationDate: tmxDate(new Date()) }));
  writeFileAtomically(files.html, renderAlignedHtml(article, glossary ?? emptyGlossary(sourceLang), `${basename(sourceFile)} ↔ ${basename(targetFile)}`));

  const unaligned = (side: 'source' | 'target') =>
    alignment.beads
      .filter((b) => b.flags.includes(side === 'source' ? 'omission' : 'addition'))
      .map((b) => {
        const k = b[side][0]!;
        const s = alignment[side][k]!;
        return { sentence: k + 1, line: s.line, text: s.text };
      });
  return {
    source: sourceFile,
    target: targetFile,
    namespace,
    sourceLang,
    targetLang,
    engine: alignment.engine ? `${alignment.engine.id} ${alignment.engine.version}` : null,
    ...summary,
    omitted: unaligned('source'),
    added: unaligned('target'),
    files,
    ms: Date.now() - started,
  };
}

const percent = (x: number) => new Intl.NumberFormat('en', { style: 'percent', maximumFractionDigits: 0 }).format(x);

/** The summary `relais align` prints. */
export function formatAlignSummary(r: AlignCommandResult, displayPath: (path: string) => string = (p) => p): string {
  const evidence =
    r.evidence === 'translation'
      ? `compared through ${r.engine?.split(' ')[0] ?? 'the engine'}'s ${r.sourceLang}→${r.targetLang} translation, lengths and anchors`
      : `lengths, cognates and anchors (no engine translation for ${r.sourceLang}→${r.targetLang})`;
  const types = BEAD_TYPES.filter((t) => r.beads[t] > 0).map((t) => `${t} ${r.beads[t]}`);
  const quote = (raw: string) => {
    const text = raw.replace(/\s+/gu, ' ');
    return text.length > 90 ? `${text.slice(0, 89)}…` : text;
  };
  const lines = [
    `${r.namespace}: ${r.sentences.source} source sentences, ${r.sentences.target} in the translation (${r.targetLang}); ${evidence}`,
    `beads: ${types.join(' · ') || 'none'}`,
    `omissions: ${r.omissions} (source sentences with nothing in the translation)`,
    ...r.omitted.slice(0, 10).map((o) => `  line ${o.line}: ${quote(o.text)}`),
    ...(r.omitted.length > 10 ? [`  … and ${r.omitted.length - 10} more (see the review page)`] : []),
    `additions: ${r.additions} (translation sentences with nothing in the source)`,
    ...r.added.slice(0, 10).map((o) => `  line ${o.line}: ${quote(o.text)}`),
    ...(r.added.length > 10 ? [`  … and ${r.added.length - 10} more (see the review page)`] : []),
    ...(r.evidence === 'translation' ? [`weak pairings: ${r.uncertain} (flagged ALIGN_UNCERTAIN on the page)`] : []),
    ...(r.supported === null ? [] : [`pairs supported by their content: ${percent(r.supported)} of ${r.paired} (a translation of another text scores below ${percent(UNRELATED_BELOW)})`]),
    `review page: ${displayPath(r.files.html)}`,
    `TMX:         ${displayPath(r.files.tmx)}`,
  ];
  return `${lines.join('\n')}\n`;
}

/**
 * Declares `align`'s arguments and options on `cmd` (from main.ts: `registerAlignCommand(command('align'), …)`).
 * `print` gets the summary (or JSON), `warn` the notices.
 */
export function registerAlignCommand(
  cmd: Command,
  io: { print: (text: string) => void; warn: (text: string) => void; displayPath?: (path: string) => string },
): Command {
  return cmd
    .description('align a French text with a translation made elsewhere, sentence by sentence: review page and TMX, omissions and additions flagged')
    .argument('<source>', 'the French text (UTF-8; blank lines between paragraphs)')
    .argument('<target>', 'its translation (UTF-8)')
    .requiredOption('--lang <code>', 'language of the translation, e.g. en', (v: string) => {
      if (!LANG.test(v)) throw new InvalidArgumentError(`expected a language code such as en or pt-BR, got "${v}"`);
      return v;
    })
    .option('--out <dir>', 'where to write <name>.<lang>.tmx and <name>.<lang>.html', '.')
    .option('--engine <name>', `translate the French to compare it with the translation: ${ALIGN_ENGINES.join(' | ')}`, 'apertium')
    .option('--glossary <file>', 'glossary whose names anchor the alignment (default: glossary.yaml if there is one)')
    .option('--json', 'print the summary as JSON on stdout')
    .addHelpText('after', `
Evidence: sentence lengths (Gale & Church), the engine's translation of each French sentence compared
with the translation (when the engine serves the pair; Apertium: en, es, ca, eo, oc), cognates, numbers,
glossary names, punctuation and paragraph breaks. Without an engine for the pair, lengths, cognates and
anchors do the work.`)
    .action(async (source: string, target: string, o: { lang: string; out: string; engine: string; glossary?: string; json?: boolean }) => {
      const result = await runAlignCommand(source, target, {
        lang: o.lang,
        out: o.out,
        engine: o.engine,
        ...(o.glossary === undefined ? {} : { glossary: o.glossary }),
        onNotice: (m) => io.warn(`relais: ${m}\n`),
      });
      io.print(o.json ? `${JSON.stringify(result, null, 2)}\n` : formatAlignSummary(result, io.displayPath));
    });
}

function checkLang(value: string, what: string): string {
  if (!LANG.test(value)) {
    throw new RelaisError('OPTION_INVALID', `${what} must be a language code such as en or pt-BR, got "${value}"`, { hint: 'For example: relais align article.fr.txt article.en.txt --lang en' });
  }
  return value;
}

function checkEngine(name: string): AlignEngineName {
  if (!(ALIGN_ENGINES as readonly string[]).includes(name)) {
    throw new RelaisError('ENGINE_UNKNOWN', `relais align cannot use engine "${name}"`, {
      hint: `Use --engine apertium (offline; serves fr→en, es, ca, eo, oc) or --engine none (lengths and anchors only).`,
    });
  }
  return name as AlignEngineName;
}

function loadGlossary(file: string | undefined): Glossary | undefined {
  if (file !== undefined) return readGlossary(file);
  return existsSync('glossary.yaml') ? readGlossary('glossary.yaml') : undefined;
}

function readText(file: string): string {
  if (!existsSync(file)) throw new RelaisError('INPUT_NOT_FOUND', `no such file: ${file}`, { place: { file } });
  if (!statSync(file).isFile()) throw new RelaisError('INPUT_NOT_FOUND', `not a file: ${file}`, { place: { file }, hint: 'Give relais align two text files.' });
  return decodeArticle(readFileSync(file), file).text;
}

function emptyGlossary(source: string): Glossary {
  return { source, languages: [], terms: [], hash: '', file: '' };
}
