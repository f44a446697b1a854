import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ingestArticle, namespaceOf } from '../../pipeline/stages/ingest/ingest-article.js';
import { detectLanguage } from '../../pipeline/stages/ingest/detect-language.js';

const seed = readFileSync(new URL('../../seeds/haut-diplomate-americain.fr.txt', import.meta.url), 'utf8');
const ingest = (text: string) => ingestArticle({ text, file: 'a.txt', namespace: 'a', sourceHash: 'h', sourceLang: 'fr' });

describe('ingestArticle on the seed', () => {
  const a = ingest(seed);
  test('the first line is the title and its repetition is dropped', () => {
    expect(a.title.text).toBe('Un haut diplomate américain exclut les pourparlers Moscou-Kiev');
    expect(a.paragraphs[0]!.text.startsWith('Le secrétaire d’État américain')).toBe(true);
    expect(a.notes.some((n) => n.includes('repeats the title'))).toBe(true);
  });
  test('page furniture is left out with reasons', () => {
    expect(a.furniture.map((f) => f.reason)).toEqual(['share links', 'comment form heading', 'anti-spam notice (Akismet)']);
    expect(a.paragraphs.some((p) => /Facebook|Akismet|Leave a Comment/.test(p.text))).toBe(false);
    expect(a.paragraphs.at(-1)!.text).toMatch(/^La Russie et ses alliés/);
  });
  test('every body paragraph is detected as French', () => {
    expect(a.paragraphs.length).toBe(14);
    expect(a.paragraphs.every((p) => p.lang === 'fr')).toBe(true);
  });
});

describe('ingestArticle', () => {
  test('a mention of Facebook inside the article is not furniture', () => {
    const a = ingest('Titre\n\nFacebook a annoncé hier de nouvelles règles.\n\nFacebook\nTwitter');
    expect(a.paragraphs.map((p) => p.text)).toEqual(['Facebook a annoncé hier de nouvelles règles.']);
    expect(a.furniture).toHaveLength(1);
  });
  test('an English paragraph is marked as English', () => {
    const a = ingest('Titre\n\nLe président a parlé hier devant les journalistes réunis à Paris.\n\nThe president said yesterday that the talks would continue next week in Geneva.');
    expect(a.paragraphs.map((p) => p.lang)).toEqual(['fr', 'en']);
  });
  test('whitespace only is an error', () => {
    expect(() => ingest(' \n\n \t\n')).toThrow(expect.objectContaining({ code: 'INPUT_EMPTY' }));
  });
});

describe('detectLanguage', () => {
  test.for([
    { text: 'This site uses Akismet to reduce spam. Learn how your comment data is processed.', lang: 'en' },
    { text: 'Le secrétaire d’État américain a exclu des négociations entre les deux pays.', lang: 'fr' },
    { text: 'Leave a Comment', lang: 'fr' }, // too short to trust: the source language is assumed
  ])('$text → $lang', ({ text, lang }) => {
    expect(detectLanguage(text, 'fr').lang).toBe(lang);
  });
});

describe('namespaceOf', () => {
  test.for([
    { file: 'seeds/haut-diplomate-americain.fr.txt', ns: 'haut-diplomate-americain' },
    { file: '/tmp/Été à Paris.txt', ns: 'ete-a-paris' },
    { file: '../x/..weird name!!.txt', ns: 'weird-name' },
    { file: 'é.txt', ns: 'e' },
    { file: '%%%.txt', ns: 'article' },
    // the UTF-8 copy the INPUT_NOT_UTF8 hint makes publishes under the original's namespace
    { file: 'dir/Été.fr.utf8.txt', ns: 'ete' },
    { file: 'latin1.utf8.txt', ns: 'latin1' },
    { file: 'deux..points.txt', ns: 'deux-points' },
  ])('$file → $ns', ({ file, ns }) => {
    expect(namespaceOf(file, 'fr')).toBe(ns);
  });
});
