/**
 * Text of an article → title, body paragraphs (with their language) and page furniture. Pure: the
 * caller asks the source language's analyzer about the paragraphs franc called foreign
 * (source-analyzer.ts; `runIngest` in run-job.ts).
 */
import type { IngestedArticle, Lang } from '../../artifacts.js';
import { RelaisError } from '../../errors.js';
import { splitParagraphs } from '../segment/segment-text.js';
import { detectLanguage } from './detect-language.js';
import { findTrailingFurniture, furnitureReason } from './furniture.js';

export function ingestArticle(input: {
  text: string;
  file: string;
  namespace: string;
  sourceHash: string;
  sourceLang: Lang;
  notes?: string[];
  /** Languages already detected, by paragraph text (an earlier ingest by the same rules): reused as they are. */
  detected?: ReadonlyMap<string, { lang: Lang; langConfidence: number }>;
}): IngestedArticle {
  const notes = [...(input.notes ?? [])];
  const paragraphs = splitParagraphs(input.text).filter((p) => p.text.trim() !== '');
  if (paragraphs.length === 0) {
    throw new RelaisError('INPUT_EMPTY', 'the article has no text (only whitespace)', { place: { file: input.file } });
  }
  const [first, ...rest] = paragraphs;
  // The first line is the title; the rest of a first paragraph (if any) is body text.
  const [titleLine, ...firstRest] = first!.text.split('\n');
  const title = { text: titleLine!.trim(), line: first!.line };
  const body = firstRest.length > 0 ? [{ text: firstRest.join('\n'), line: first!.line + 1 }, ...rest] : rest;

  if (body[0] && sameText(body[0].text, title.text)) {
    notes.push(`line ${body[0].line} repeats the title; it is not translated twice`);
    body.shift();
  }

  const furnitureFrom = findTrailingFurniture(body.map((p) => p.text));
  const furniture = body.slice(furnitureFrom).map((p) => ({ text: p.text, line: p.line, reason: furnitureReason(p.text)! }));
  const article = body.slice(0, furnitureFrom).map((p) => {
    const known = input.detected?.get(p.text);
    if (known) return { text: p.text, line: p.line, lang: known.lang, langConfidence: known.langConfidence };
    const { lang, confident } = detectLanguage(p.text, input.sourceLang);
    return { text: p.text, line: p.line, lang, langConfidence: confident ? 1 : 0 };
  });

  return {
    kind: 'ingest',
    version: 1,
    namespace: input.namespace,
    file: input.file,
    sourceHash: input.sourceHash,
    sourceLang: input.sourceLang,
    title,
    paragraphs: article,
    furniture,
    notes,
  };
}

function sameText(a: string, b: string): boolean {
  const norm = (s: string) => s.replace(/\s+/gu, ' ').trim();
  return norm(a) === norm(b);
}

/**
 * The i18next namespace of an article: its file name without extension(s), as a lowercase ASCII slug
 * (`haut-diplomate-americain.fr.txt` → `haut-diplomate-americain`, `Été à Paris.txt` → `ete-a-paris`).
 * A `.utf8` before the extension is dropped too: the copy that the INPUT_NOT_UTF8 hint's iconv command
 * makes (`article.utf8.txt`) publishes under the namespace of the original (`article`).
 */
export function namespaceOf(fileName: string, sourceLang: Lang): string {
  const base = fileName
    .replace(/^.*[\\/]/, '')
    .replace(/\.[^.]*$/, '')
    .replace(/\.utf-?8$/i, '')
    .replace(new RegExp(`\\.${sourceLang}$`, 'i'), '');
  const slug = base
    .normalize('NFD')
    .replace(/\p{M}/gu, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '');
  return slug || 'article';
}
