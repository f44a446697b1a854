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
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { IngestedArticle, Lang } from '../../artifacts.js';
import { DEFAULT_MODES_DIR, deformat, plainWords } from '../../engines/apertium-process.js';
import { outsideQuotations } from './detect-language.js';


/** Apertium modes whose first program analyzes each source language, in order of preference. */
const MODES_FROM: Readonly<Record<string, readonly string[]>> = {
  fr: ['fr-es', 'fra-cat', 'fr-eo', 'fra-oci'],
};

/**
 * A run of letters longer than any word (a pasted base64 image, a hash): lt-proc takes seconds per
 * 100 KB of one, so it is asked about a short word no dictionary has instead, which counts the same
 * (one unknown word) without the wait (1.2 MB of one took the 60 s timeout, and lost the analyzer for
 * the rest of the run).
 */
const LONG_TOKEN = /[\p{L}\p{N}\p{M}_-]{60,}/gu;
const UNKNOWN_STAND_IN = 'xqzxqz';

/** At least this many lowercase words, and at most this share of them unknown (or two words, both known). */
export const MIN_KNOWN_WORDS = 3;
export const MAX_UNKNOWN_SHARE = 0.1;

/**
 * The analyzer as one long-lived `lt-proc -z` for a whole run: its transducer takes ~30 ms to load,
 * which a process per article paid again for each (100 articles of 10 KB: ~0.6 s of a 9.5 s run, the
 * engine waiting). Questions are answered in order, one NUL-terminated block per text. Started on the
 * first question. Should it fail (not installed, killed), every pending and later question gets no
 * opinion, i.e. franc's verdict stands, as without an analyzer.
 */
export class SourceAnalyzerProcess {
  private child: ChildProcess | undefined;
  private broken = false;
  private out = '';
  /** Questions asked and not answered, oldest first: how many answers each waits for, and those it has. */
  private readonly pending: Array<{ count: number; answers: boolean[]; resolve: (verdicts: boolean[]) => void }> = [];

  constructor(
    private readonly argv: readonly string[],
    /** A question not answered by then means the analyzer hangs: it is killed, and gives no more opinions. */
    private readonly timeoutMs = 60_000,
  ) {}

  /** For each text: the analyzer says it is in the source language. */
  ask(texts: readonly string[]): Promise<boolean[]> {
    if (texts.length === 0) return Promise.resolve([]);
    const child = this.start();
    if (!child) return Promise.resolve(texts.map(() => false));
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        this.fail();
      }, this.timeoutMs);
      timer.unref();
      this.pending.push({ count: texts.length, answers: [], resolve: (verdicts) => (clearTimeout(timer), resolve(verdicts)) });
      child.stdin!.write(texts.map((t) => `${deformat(t.replace(LONG_TOKEN, UNKNOWN_STAND_IN))}\0`).join(''));
    });
  }

  /** Let the process go (it exits once its input ends); pending questions are still answered. */
  close(): void {
    this.child?.stdin?.end();
  }

  private start(): ChildProcess | undefined {
    if (this.broken) return undefined;
    if (this.child) return this.child;
    const child = spawn(this.argv[0]!, ['-z', ...this.argv.slice(1)], { stdio: ['pipe', 'pipe', 'ignore'] });
    this.child = child;
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => this.read(chunk));
    child.stdin!.on('error', () => this.fail());
    child.on('error', () => this.fail());
    child.on('close', () => this.fail()); // after the last of its output was read
    return child;
  }

  private read(chunk: string): void {
    this.out += chunk;
    let end: number;
    while ((end = this.out.indexOf('\0')) !== -1) {
      const answer = this.out.slice(0, end);
      this.out = this.out.slice(end + 1);
      const q = this.pending[0];
      if (!q) continue; // nothing asked: cannot happen with -z
      q.answers.push(knownWordsSay(answer));
      if (q.answers.length === q.count) {
        this.pending.shift();
        q.resolve(q.answers);
      }
    }
  }

  /** The process is gone: what it did not answer gets no opinion. */
  private fail(): void {
    this.broken = true;
    for (const q of this.pending.splice(0)) q.resolve(Array.from({ length: q.count }, (_, i) => q.answers[i] ?? false));
  }
}

/**
 * The paragraphs of `article` franc called foreign, but for those whose language was `known` already
 * (an earlier ingest by the same rules), are asked about in one question; those the analyzer says are
 * in the source language become so.
 */
export async function secondOpinionOn(
  article: IngestedArticle, known: ReadonlyMap<string, unknown>, ask: (texts: readonly string[]) => Promise<boolean[]>,
): Promise<void> {
  const disputed = article.paragraphs.filter((p) => p.lang !== article.sourceLang && !known.has(p.text));
  if (disputed.length === 0) return;
  // Asked about the words outside quotations: a French frame around an English quote is French.
  const inSource = await ask(disputed.map((p) => outsideQuotations(p.text) || p.text));
  disputed.forEach((p, i) => {
    if (inSource[i]) Object.assign(p, { lang: article.sourceLang, langConfidence: 1 });
  });
}

/** The analyzer of `sourceLang` (see `SourceAnalyzerProcess`), or undefined when no installed mode has one (franc's verdict stands). */
export function startSourceAnalyzer(sourceLang: Lang, modesDir = DEFAULT_MODES_DIR): SourceAnalyzerProcess | undefined {
  const argv = analyzerCommand(sourceLang, modesDir);
  return argv ? new SourceAnalyzerProcess(argv) : undefined;
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
  // Two words, both known ("Premier paragraphe. Deuxième phrase.", franc's Spanish), say it too.
  return words >= MIN_KNOWN_WORDS ? unknown <= MAX_UNKNOWN_SHARE * words : words >= 2 && unknown === 0;
}
