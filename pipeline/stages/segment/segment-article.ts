/** Ingested article → sentences with stable ids. Pure. */
import type { IngestedArticle, Segment, SegmentedArticle } from '../../artifacts.js';
import { shortHash } from '../../job/hash.js';
import { segmentSentences, type SegmentRules } from './segment-text.js';

/**
 * The id of a segment is a hash of its text, so an unchanged sentence keeps its id (and its cached
 * translation and review decisions) whatever was inserted around it. A sentence repeated inside one
 * article gets `-2`, `-3`… in order of appearance. The id is also the i18next key.
 *
 * `known`: paragraphs already split by the same rules (an edited article keeps most of its paragraphs),
 * each sentence with its `shortHash`; the others are split here. `sentencesByParagraph` gives them back.
 */
export function segmentArticle(article: IngestedArticle, rules?: SegmentRules, known?: ReadonlyMap<string, readonly KnownSentence[]>): SegmentedArticle {
  const seen = new Map<string, number>();
  const idFor = (text: string, hash = shortHash(text)): string => {
    const base = `s${hash}`;
    const n = (seen.get(base) ?? 0) + 1;
    seen.set(base, n);
    return n === 1 ? base : `${base}-${n}`;
  };
  const segments: Segment[] = [];
  segments.push({
    id: idFor(article.title.text),
    role: 'title',
    paragraph: -1,
    index: 0,
    text: article.title.text,
    lang: article.sourceLang,
    translatable: true,
  });
  article.paragraphs.forEach((p, paragraph) => {
    const sentences = known?.get(p.text) ?? segmentSentences(p.text, rules).map((s) => ({ text: s.text, hash: undefined }));
    sentences.forEach((s, index) => {
      segments.push({
        id: idFor(s.text, s.hash),
        role: 'body',
        paragraph,
        index,
        text: s.text,
        lang: p.lang,
        translatable: p.lang === article.sourceLang,
      });
    });
  });
  return { kind: 'segment', version: 1, namespace: article.namespace, sourceLang: article.sourceLang, segments };
}

/** A sentence of a paragraph split earlier, with the hash its id is made from. */
export interface KnownSentence {
  text: string;
  hash?: string | undefined;
}

/** Each body paragraph's text → its sentences and their hashes, for `segmentArticle`'s `known` next time. */
export function sentencesByParagraph(article: IngestedArticle, segmented: SegmentedArticle): Record<string, KnownSentence[]> {
  const out: Record<string, KnownSentence[]> = Object.create(null) as Record<string, KnownSentence[]>;
  for (const s of segmented.segments) {
    if (s.role !== 'body') continue;
    const text = article.paragraphs[s.paragraph]!.text;
    (out[text] ??= [])[s.index] = { text: s.text, hash: s.id.slice(1, 11) };
  }
  return out;
}
