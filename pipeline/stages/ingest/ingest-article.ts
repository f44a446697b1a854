/** Text of an article → title, body paragraphs (with their language) and page furniture. Pure but for `secondOpinion`. */
import type { IngestedArticle, Lang } from '../../artifacts.js';
import { RelaisError } from '../../errors.js';
import { splitParagraphs } from '../segment/segment-text.js';
import { detectLanguage } from './detect-language.js';
import { findTrailingFurniture, furnitureReason } from './furniture.js';
import type { SecondOpinion } from './source-analyzer.js';

export function ingestArticle(input: {
  text: string;
  file: string;
  namespace: string;
  sourceHash: string;
  sourceLang: Lang;
  notes?: string[];
  /** Languages already detected, by paragraph text (an earlier ingest by the same rules): reused as they are. */
  detected?: ReadonlyMap<string, { lang: Lang; langConfidence: number }>;
  /** Asked, once, about the paragraphs detected as foreign: those it says are in the source language are (source-analyzer.ts). */
  secondOpinion?: SecondOpinion;
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
  const disputed: Array<{ text: string; line: number; lang: Lang; langConfidence: number }> = [];
  const article = body.slice(0, furnitureFrom).map((p) => {
    const known = input.detected?.get(p.text);
    if (known) return { text: p.text, line: p.line, lang: known.lang, langConfidence: known.langConfidence };
    const { lang, confident } = detectLanguage(p.text, input.sourceLang);
    const paragraph = { text: p.text, line: p.line, lang, langConfidence: confident ? 1 : 0 };
    if (lang !== input.sourceLang) disputed.push(paragraph);
    return paragraph;
  });
  if (input.secondOpinion && disputed.length > 0) {
    const inSource = input.secondOpinion(disputed.map((p) => p.text));
    disputed.forEach((p, i) => {
      if (inSource[i]) Object.assign(p, { lang: input.sourceLang, langConfidence: 1 });
    });
  }

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
