import { readFileSync } from 'node:fs';
import { describe, expect, test } from 'vitest';
import { ingestArticle, namespaceOf } from '../../pipeline/stages/ingest/ingest-article.js';
import { franc } from 'franc-min';
import { detectLanguage, functionWordsSay, MIN_LETTERS_FOR_DETECTION } from '../../pipeline/stages/ingest/detect-language.js';

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

  // franc's trigrams called these Dutch, Italian, English: they were left untranslated.
  test.for([
    "Ta mère va bien, elle est chez l'oncle Baptiste.",
    "Si tu n'es pas pressé, je ne le suis pas, moi.",
    '« Maintenant, il est tard ; allons nous coucher. »',
  ])('short French with French function words: French (%s)', (text) => {
    expect(detectLanguage(text, 'fr')).toEqual({ lang: 'fr', confident: true });
  });

  test.for([
    ['es', 'El presidente del Gobierno anunció ayer que las negociaciones continuarán la próxima semana en Ginebra.'],
    ['ca', 'El president del Govern va anunciar ahir que les negociacions continuaran la setmana vinent a Ginebra.'],
    ['it', 'Il presidente del Consiglio ha annunciato ieri che i negoziati continueranno la prossima settimana a Ginevra.'],
    ['pt', 'O presidente do governo anunciou ontem que as negociações vão continuar na próxima semana em Genebra.'],
    ['de', 'Der Bundeskanzler hat gestern angekündigt, dass die Verhandlungen nächste Woche in Genf fortgesetzt werden.'],
    ['nl', 'De minister-president heeft gisteren aangekondigd dat de onderhandelingen volgende week in Genève worden voortgezet.'],
    ['en', 'The Musée du Louvre said on Monday that the exhibition would travel to the Centre Pompidou next year.'],
  ])('%s: the function words do not say French (franc decides)', ([, text]) => {
    expect(functionWordsSay(text!, 'fr')).toBe(false);
  });

  test('a source language without a word list always goes to franc', () => {
    expect(functionWordsSay('Le président a parlé hier devant les journalistes réunis à Paris.', 'ru')).toBe(false);
  });

  test('wikinews-1000: every paragraph franc calls French stays French, nearly half without franc', () => {
    const paragraphs = readFileSync(new URL('../fixtures/corpus/wikinews-1000.txt', import.meta.url), 'utf8').split(/\n\s*\n/).filter((p) => (p.match(/\p{L}/gu)?.length ?? 0) >= MIN_LETTERS_FOR_DETECTION);
    expect(paragraphs.length).toBeGreaterThan(900);
    const byFranc = paragraphs.filter((p) => franc(p, { only: ['fra', 'eng', 'spa', 'cat', 'deu', 'ita', 'por', 'nld', 'rus', 'ukr', 'arb'], minLength: MIN_LETTERS_FOR_DETECTION }) === 'fra');
    expect(byFranc.filter((p) => detectLanguage(p, 'fr').lang !== 'fr')).toEqual([]);
    expect(paragraphs.filter((p) => functionWordsSay(p, 'fr')).length / paragraphs.length).toBeGreaterThan(0.4); // 48 %: news French shares many function words with es, ca, it
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
