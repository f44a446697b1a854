/**
 * `relais segment [FILE]`: the sentences relais would translate, one JSON array per paragraph.
 *
 *   $ printf 'M. Dupont est arrivé. Il pleut.\n\nTitre\n' | relais segment
 *   ["M. Dupont est arrivé.","Il pleut."]
 *   ["Titre"]
 *
 * Paragraphs are separated by blank lines; a single newline stays inside its paragraph (where the
 * segmenter treats it as a boundary unless the next line goes on in lowercase). The input is read like
 * an article (strict UTF-8, BOM and CRLF accepted, NFC, up to 2 MB), from FILE or, without one, from
 * standard input; empty input prints nothing. The rules are those of `relais run`
 * (pipeline/stages/segment/rules/<lang>.json), extended by `--rules FILE` when given.
 */
import { readFileSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import { RelaisError } from '../errors.js';
import { MAX_ARTICLE_BYTES, checkArticleSize, decodeArticle } from '../stages/ingest/decode-text.js';
import { loadSegmentRules, segmentSentences, splitParagraphs, type SegmentRules } from '../stages/segment/segment-text.js';

export interface SegmentCommandOptions {
  /**
   * Language of the rules file.
   * @default 'fr'
   */
  lang?: string;
  /** A user rules file merged on top of the language's rules (same shape as rules/fr.json, every key optional). */
  rules?: string;
}

/** How standard input is named in error messages. */
export const STDIN_NAME = '<stdin>';

/** One line per paragraph, each the JSON array of its sentences. Pure. */
export function formatSegmentedParagraphs(text: string, rules: SegmentRules): string {
  return splitParagraphs(text)
    .map((p) => `${JSON.stringify(segmentSentences(p.text, rules).map((s) => s.text))}\n`)
    .join('');
}

/** What `relais segment` prints for FILE (or for `stdin` when `file` is undefined). */
export async function runSegmentCommand(file: string | undefined, options: SegmentCommandOptions = {}, stdin: AsyncIterable<Buffer | string> = process.stdin): Promise<string> {
  // The rules first: a bad --lang or --rules is reported before any input is read or awaited.
  const rules = loadSegmentRules(options.lang ?? 'fr', options.rules);
  const bytes = file === undefined ? await readAll(stdin) : readInputFile(file);
  // Unlike an article, nothing to segment is not an error: it segments into nothing.
  if (bytes.toString('utf8').trim() === '') return '';
  const { text } = decodeArticle(bytes, file ?? STDIN_NAME);
  return formatSegmentedParagraphs(text, rules);
}

/**
 * Adds the arguments, options and action to `cmd` (created by the CLI as `command('segment')`); `write`
 * prints to standard output.
 */
export function describeSegmentCommand(cmd: Command, write: (text: string) => void): Command {
  return cmd
    .description('print the sentences of a text as relais segments it: one JSON array per paragraph (paragraphs are separated by blank lines)')
    .argument('[file]', 'UTF-8 text file (default: standard input)')
    .option('--lang <code>', 'language of the segmentation rules', 'fr')
    .option('--rules <file>', 'extra rules merged on top (JSON, same shape as pipeline/stages/segment/rules/fr.json: abbreviations, exceptions, breaks)')
    .addHelpText('after', `
Example:
  $ printf 'M. Dupont est arrivé. Il pleut.\\n\\nTitre\\n' | relais segment
  ["M. Dupont est arrivé.","Il pleut."]
  ["Titre"]`)
    .action(async (file: string | undefined, o: { lang: string; rules?: string }) => {
      write(await runSegmentCommand(file, { lang: o.lang, ...(o.rules === undefined ? {} : { rules: o.rules }) }));
    });
}

function readInputFile(file: string): Buffer {
  let size: number;
  try {
    const st = statSync(file);
    if (!st.isFile()) throw new RelaisError('INPUT_NOT_FOUND', `not a file: ${file}`, { place: { file }, hint: 'Give relais segment a text file, or pipe the text to it.' });
    size = st.size;
  } catch (e) {
    if (e instanceof RelaisError) throw e;
    throw new RelaisError('INPUT_NOT_FOUND', `no such file: ${file}`, { place: { file } });
  }
  checkArticleSize(size, file);
  return readFileSync(file);
}

/** Standard input to its end, refused as soon as it outgrows an article (`yes | relais segment` stops). */
async function readAll(stream: AsyncIterable<Buffer | string>): Promise<Buffer> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of stream) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    size += bytes.length;
    if (size > MAX_ARTICLE_BYTES) checkArticleSize(size, STDIN_NAME);
    chunks.push(bytes);
  }
  return Buffer.concat(chunks);
}
