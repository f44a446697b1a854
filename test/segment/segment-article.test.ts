/**
 * Segmenting an edited article from the sentences of its last split: the same segments, ids and
 * repeat suffixes as splitting it from scratch.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { ingestArticle } from '../../pipeline/stages/ingest/ingest-article.js';
import { segmentArticle, sentencesByParagraph } from '../../pipeline/stages/segment/segment-article.js';
import { loadSegmentRules } from '../../pipeline/stages/segment/segment-text.js';
import { ROOT } from '../helpers/cli.js';

const rules = loadSegmentRules('fr');
const paragraphs = readFileSync(join(ROOT, 'test/fixtures/corpus/wikinews-400.txt'), 'utf8').split(/\n\s*\n/).slice(0, 60);
const ingest = (body: string[]) =>
  ingestArticle({ text: `Dépêches\n\n${body.join('\n\n')}\n`, file: 'a.txt', namespace: 'a', sourceHash: 'x', sourceLang: 'fr' });

describe('segmentArticle with the sentences of an earlier split', () => {
  test('an edited article: equal to a split from scratch, only the changed paragraphs split again', () => {
    const first = ingest(paragraphs);
    const known = new Map(Object.entries(sentencesByParagraph(first, segmentArticle(first, rules))));
    expect(known.size).toBeGreaterThan(50);
    // One paragraph changed, one moved, one repeated (its sentences get -2 ids), one new.
    const edited = [...paragraphs];
    edited[3] = `Pourtant, ${edited[3]!.charAt(0).toLowerCase()}${edited[3]!.slice(1)}`;
    edited.push(edited[10]!, 'Un paragraphe nouveau. Il a deux phrases.');
    edited.splice(20, 1);
    const article = ingest(edited);
    const fresh = segmentArticle(article, rules);
    const reused = segmentArticle(article, rules, known);
    expect(reused).toEqual(fresh);
    expect(fresh.segments.some((s) => /-2$/.test(s.id))).toBe(true);
    // An entry is used for exactly its paragraph text: a (wrong) entry shows where that paragraph is, and nowhere else.
    const poisoned = new Map(known);
    poisoned.set('Un paragraphe nouveau. Il a deux phrases.', [{ text: 'faux', hash: '0000000000' }]);
    expect(segmentArticle(article, rules, poisoned).segments.map((s) => s.text)).toContain('faux');
    expect(segmentArticle(ingest(paragraphs), rules, poisoned)).toEqual(segmentArticle(ingest(paragraphs), rules));
  });

  test('a paragraph whose text is "__proto__" or "constructor" is kept like any other', () => {
    const article = ingest(['__proto__', 'constructor', 'Une phrase. Une autre.']);
    const byParagraph = sentencesByParagraph(article, segmentArticle(article, rules));
    expect(Object.keys(byParagraph)).toEqual(['__proto__', 'constructor', 'Une phrase. Une autre.']);
    const again = JSON.parse(JSON.stringify(byParagraph)) as Record<string, never>;
    expect(segmentArticle(article, rules, new Map(Object.entries(again)))).toEqual(segmentArticle(article, rules));
  });
});
