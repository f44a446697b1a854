/**
 * A second opinion on paragraphs that franc calls foreign: the source language's own morphological
 * analyzer, the first program of an Apertium pair from it (for French, `lt-proc fr-es.automorf.bin`).
 * A paragraph whose ordinary words it nearly all knows is in the source language.
 *
 * Why: a paragraph called foreign is left untranslated (NOT_SOURCE_LANGUAGE). franc's trigrams call
 * short French sentences Dutch or Portuguese ("La porte cria, quelqu'un entrait.") and news sentences
 * full of foreign names Italian ("Le Premier ministre somalien, Ali Mohamed Gedi, est sorti indemne
 * d'un attentat…"); function words alone cannot tell those from Spanish or Catalan without calling
 * real Spanish French. The analyzer knows a language's words, not just its letters. Measured on the
 * 4,771 French paragraphs of test/fixtures/corpus and the 24,160 sentences Apertium made of the 1 MB
 * bench corpus in es, ca and en (of which 21,900 are called foreign): of the 26 French paragraphs
 * called foreign, 17 are French again (the rest: 4 English quotations, rightly foreign, and 5 with
 * fewer than 3 lowercase words); no foreign sentence is called French. At a 15 % threshold 2 would be.
 *
 * Only lowercase words count: names (Gedi, Allaoui, Scajola) are unknown to any dictionary, and all
 * capitals ("IV -- LA DISCUSIÓN DEL PRESUPUESTO") say nothing either way.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../../artifacts.js';
import { DEFAULT_MODES_DIR, deformat, plainWords } from '../../engines/apertium-process.js';

/** For each text: the analyzer says it is in the source language. */
export type SecondOpinion = (texts: readonly string[]) => boolean[];

/** Apertium modes whose first program analyzes each source language, in order of preference. */
const MODES_FROM: Readonly<Record<string, readonly string[]>> = {
  fr: ['fr-es', 'fra-cat', 'fr-eo', 'fra-oci'],
};

/** At least this many lowercase words, and at most this share of them unknown. */
export const MIN_KNOWN_WORDS = 3;
export const MAX_UNKNOWN_SHARE = 0.1;

/**
 * The analyzer of `sourceLang` as a second opinion, or undefined when no installed mode has one (then
 * franc's verdict stands). It runs once per call, on every text given (~20 ms to start).
 */
export function sourceAnalyzer(sourceLang: Lang, modesDir = DEFAULT_MODES_DIR): SecondOpinion | undefined {
  const argv = analyzerCommand(sourceLang, modesDir);
  if (!argv) return undefined;
  return (texts) => {
    if (texts.length === 0) return [];
    const input = texts.map((t) => `${deformat(t)}\0`).join('');
    // `-z`: one NUL-terminated answer per NUL-terminated block.
    const run = spawnSync(argv[0]!, ['-z', ...argv.slice(1)], { input, encoding: 'utf8', maxBuffer: 64 * Buffer.byteLength(input) + (1 << 20), timeout: 60_000 });
    if (run.error || run.status !== 0) return texts.map(() => false); // no opinion: franc's verdict stands
    const answers = run.stdout.split('\0');
    return texts.map((_, i) => knownWordsSay(answers[i] ?? ''));
  };
}

/** The analyzer's command (`lt-proc …automorf.bin`) from the first installed mode of `sourceLang`. */
export function analyzerCommand(sourceLang: Lang, modesDir = DEFAULT_MODES_DIR): string[] | undefined {
  for (const mode of MODES_FROM[sourceLang] ?? []) {
    const file = join(modesDir, `${mode}.mode`);
    if (!existsSync(file)) continue;
    const first = readFileSync(file, 'utf8').split('|')[0] ?? '';
    const argv = plainWords(first);
    if (argv && argv[0] === 'lt-proc' && /automorf\.bin$/.test(argv[argv.length - 1]!) && existsSync(argv[argv.length - 1]!)) return argv;
  }
  return undefined;
}

/**
 * In the analyzer's output for one text (`^porte/porte<n><f><sg>/…$ ^Gedi/*Gedi$`): at least
 * MIN_KNOWN_WORDS words that start lowercase, and at most MAX_UNKNOWN_SHARE of them unknown (`/*`).
 */
export function knownWordsSay(analysis: string): boolean {
  let words = 0;
  let unknown = 0;
  for (const m of analysis.matchAll(/\^((?:\\.|[^/$\\])*)\/((?:\\.|[^$\\])*)\$/g)) {
    const surface = m[1]!;
    if (!/^\p{Ll}/u.test(surface)) continue;
    words++;
    if (m[2]!.startsWith('*')) unknown++;
  }
  return words >= MIN_KNOWN_WORDS && unknown <= MAX_UNKNOWN_SHARE * words;
}
