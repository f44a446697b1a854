/**
 * The French inputs of the Apertium benchmark, built from the committed fixtures (test/fixtures/corpus/,
 * sources and licences in its README) — nothing is downloaded.
 *
 * - 1 MB: *Le Petit Chose* (Daudet) + *Une vie* (Maupassant) + the first Wikinews sentences, cut at
 *   the last paragraph that fits in 1,000,000 bytes. One article (a title line, then the text).
 * - 0.1 MB: the first 100,000 bytes of that text, cut the same way.
 * - 10 MB: ten articles: the 1 MB text, and nine variants of it in which every sentence starts with a
 *   French connective ("Pourtant, il…", "Ce jour-là, la…") that differs from variant to variant, so no
 *   two articles share a segment (the variants are ~10 % longer; a translation memory or cache cannot
 *   serve them from the original).
 * - 100 articles of 10 KB: the 1 MB text cut at paragraph boundaries into 100 articles.
 * - "changed": the 1 MB article with one paragraph in 100 changed (its first sentence gets a connective),
 *   for the incremental re-run.
 */
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const FIXTURES = join(import.meta.dirname, '..', '..', 'test', 'fixtures', 'corpus');

export interface BenchInput {
  /** Article files given to `relais run`, each a title line and paragraphs. */
  files: string[];
  /** The same bytes, concatenated: what raw `apertium` reads as one process. */
  concatenated: string;
  bytes: number;
}

/** Fixture paragraphs (blank-line separated) in order, until `limit` bytes (UTF-8, with separators). */
export function corpusParagraphs(limit: number): string[] {
  const read = (name: string) => readFileSync(join(FIXTURES, name), 'utf8').split(/\n\s*\n/).map((p) => p.trim()).filter(Boolean);
  const all = [...read('eltec-daudet-le-petit-chose.txt'), ...read('eltec-maupassant-une-vie.txt'), ...read('wikinews-1000.txt')];
  const out: string[] = [];
  let size = 0;
  for (const p of all) {
    const add = Buffer.byteLength(p) + 2;
    if (size + add > limit) break;
    out.push(p);
    size += add;
  }
  return out;
}

/** An article file's text: the title line, a blank line, the paragraphs. */
export function articleText(title: string, paragraphs: readonly string[]): string {
  return `${title}\n\n${paragraphs.join('\n\n')}\n`;
}

const CONNECTIVES = ['Ce jour-là', 'Pourtant', 'Cependant', "D'ailleurs", 'Au fond', 'Sans doute', 'En effet', 'Peu après', 'Bien sûr'];

/** Sentence-initial words written lower-case after a connective ("Pourtant, il…"); others (names) keep their capital. */
const LOWERABLE = new Set(
  ('Je Tu Il Elle On Nous Vous Ils Elles Le La Les Un Une Des Du De Ce Cet Cette Ces Mon Ma Mes Ton Ta Tes Son Sa Ses ' +
    'Notre Nos Votre Vos Leur Leurs Et Mais Puis Alors Quand Lorsque Comme En Au Aux Dans Sur Pour Par Avec Sans Tout ' +
    'Toute Tous Toutes Si Oui Non Enfin Après Avant Là Ici Quelques Plusieurs Chaque Personne Rien').split(' '),
);

/**
 * A sentence start: the start of a paragraph, or after . ! ? … (and a closing guillemet) and spaces
 * (not after an initial or "M."), with an optional dialogue dash or opening guillemet, before a capital letter.
 */
const SENTENCE_START = /(^|(?<!(?:^|[\s(])(?:\p{Lu}|M|Mme|Mlle|Mgr|Dr|St|Ste))[.!?…](?:\s*[»”"])?\s+)((?:--|—|-|«)\s*)?(\p{Lu}\p{Ll}*)(['’]?)/gmu;

/**
 * Variant `k` (1…9) of a paragraph: a connective before every sentence (`all`) or only the first one;
 * sentence `i` of variant `k` gets connective (k + i) mod 9, so two variants never give a sentence the same one.
 */
export function varyParagraph(paragraph: string, k: number, all = true): string {
  let i = 0;
  return paragraph.replace(SENTENCE_START, (m, before: string, dash: string | undefined, word: string, apos: string, offset: number) => {
    if (!all && offset > 0) return m;
    const connective = CONNECTIVES[(k + i++) % CONNECTIVES.length]!;
    const lower = apos !== '' || LOWERABLE.has(word);
    return `${before}${dash ?? ''}${connective}, ${lower ? word.toLowerCase() : word}${apos}`;
  });
}

/** Write the inputs of every size under `dir`; each is built once. */
export class BenchCorpus {
  private readonly cache = new Map<string, BenchInput>();

  constructor(private readonly dir: string) {}

  /** One article of about `bytes` (≤ 1 MB), or, above 1 MB, 1 MB articles (the original, then variants). */
  ofSize(bytes: number): BenchInput {
    return this.make(`size-${bytes}`, () => {
      if (bytes <= 1_000_000) return [{ name: `corpus-${label(bytes)}.txt`, text: articleText(`Corpus de ${label(bytes)}`, corpusParagraphs(bytes)) }];
      const base = corpusParagraphs(1_000_000);
      return Array.from({ length: Math.round(bytes / 1_000_000) }, (_, k) => ({
        name: `corpus-1mb-${String(k).padStart(2, '0')}.txt`,
        text: articleText(`Corpus, copie ${k}`, k === 0 ? base : base.map((p) => varyParagraph(p, k))),
      }));
    });
  }

  /** The 1 MB text cut into `count` articles at paragraph boundaries. */
  articles(count: number): BenchInput {
    return this.make(`articles-${count}`, () => {
      const paragraphs = corpusParagraphs(1_000_000);
      const total = paragraphs.reduce((n, p) => n + Buffer.byteLength(p) + 2, 0);
      const files: Array<{ name: string; text: string }> = [];
      let chunk: string[] = [];
      let size = 0;
      for (const p of paragraphs) {
        chunk.push(p);
        size += Buffer.byteLength(p) + 2;
        // Cut where the running size passes the next hundredth, so that long paragraphs do not leave too few articles.
        if (size >= ((files.length + 1) * total) / count && files.length < count - 1) {
          files.push({ name: `article-${String(files.length + 1).padStart(3, '0')}.txt`, text: articleText(`Extrait ${files.length + 1}`, chunk) });
          chunk = [];
        }
      }
      if (chunk.length > 0) files.push({ name: `article-${String(files.length + 1).padStart(3, '0')}.txt`, text: articleText(`Extrait ${files.length + 1}`, chunk) });
      return files;
    });
  }

  /**
   * The 1 MB article (same file name, so the same namespace) with paragraph 50, 150, 250… changed:
   * its first sentence gets a connective. Only those sentences are new segments.
   */
  changed(): BenchInput & { changedParagraphs: number } {
    let changedParagraphs = 0;
    const paragraphs = corpusParagraphs(1_000_000).map((p, i) => {
      if (i % 100 !== 50) return p;
      const v = varyParagraph(p, 1, false);
      if (v !== p) changedParagraphs++;
      return v;
    });
    const input = this.make('changed', () => [{ name: `corpus-${label(1_000_000)}.txt`, text: articleText(`Corpus de ${label(1_000_000)}`, paragraphs) }]);
    return { ...input, changedParagraphs };
  }

  private make(name: string, build: () => Array<{ name: string; text: string }>): BenchInput {
    let input = this.cache.get(name);
    if (!input) {
      const dir = join(this.dir, name);
      mkdirSync(dir, { recursive: true });
      const built = build();
      const files = built.map((f) => {
        const file = join(dir, f.name);
        writeFileSync(file, f.text);
        return file;
      });
      const concatenated = join(dir, 'all.txt.raw');
      writeFileSync(concatenated, built.map((f) => f.text).join('\n'));
      input = { files, concatenated, bytes: built.reduce((n, f) => n + Buffer.byteLength(f.text), 0) };
      this.cache.set(name, input);
    }
    return input;
  }
}

/** 100000 → `0.1mb`, 1000000 → `1mb`. */
function label(bytes: number): string {
  return `${bytes / 1_000_000}mb`;
}
