/** Ingested article → sentences with stable ids. Pure. */
import type { IngestedArticle, Segment, SegmentedArticle } from '../../artifacts.js';
import { shortHash } from '../../job/hash.js';
import { segmentSentences, type SegmentRules } from './segment-text.js';

/**
 * The id of a segment is a hash of its text, so an unchanged sentence keeps its id (and its cached
 * translation and review decisions) whatever was inserted around it. A sentence repeated inside one
 * article gets `-2`, `-3`… in order of appearance. The id is also the i18next key.
 */
export function segmentArticle(article: IngestedArticle, rules?: SegmentRules): SegmentedArticle {
  const seen = new Map<string, number>();
  const idFor = (text: string): string => {
    const base = `s${shortHash(text)}`;
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
    segmentSentences(p.text, rules).forEach((s, index) => {
      segments.push({
        id: idFor(s.text),
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
