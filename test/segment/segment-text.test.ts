import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import {
  classifyStop,
  loadSegmentRules,
  segmentSentences,
  splitParagraphs,
  type SentenceSpan,
} from '../../pipeline/stages/segment/segment-text.js';

const NBSP = '\u00a0';
const NNBSP = '\u202f';

const texts = (spans: SentenceSpan[]) => spans.map((s) => s.text);

/** Nothing lost or invented: each span is its slice, and only whitespace lies between/around spans. */
function expectLossless(paragraph: string, spans: SentenceSpan[]): void {
  let from = 0;
  for (const span of spans) {
    expect(paragraph.slice(span.start, span.end)).toBe(span.text);
    expect(span.text).toBe(span.text.trim());
    expect(span.text).not.toBe('');
    expect(paragraph.slice(from, span.start).trim()).toBe('');
    from = span.end;
  }
  expect(paragraph.slice(from).trim()).toBe('');
}

const rows: Array<{ name: string; input: string; expected: string[] }> = [
  // terminators
  { name: 'two plain sentences', input: 'Il pleut. Il vente.', expected: ['Il pleut.', 'Il vente.'] },
  { name: '?! !! and ... runs', input: 'Quoi ?! Vraiment !! Bon... Non.', expected: ['Quoi ?!', 'Vraiment !!', 'Bon...', 'Non.'] },
  { name: 'French spacing (NNBSP) before ? and !', input: `Vraiment${NNBSP}? Oui${NNBSP}!`, expected: [`Vraiment${NNBSP}?`, `Oui${NNBSP}!`] },
  { name: 'short question and answer', input: 'Qui ? Moi.', expected: ['Qui ?', 'Moi.'] },
  { name: 'a number starts a sentence', input: 'Il a fini en 2022. 150 personnes sont venues.', expected: ['Il a fini en 2022.', '150 personnes sont venues.'] },
  { name: 'an opening guillemet starts a sentence', input: 'Il a fini. « Bravo », dit-elle.', expected: ['Il a fini.', '« Bravo », dit-elle.'] },
  { name: 'a dialogue dash starts a sentence', input: 'Il demanda. — Oui, dit-elle.', expected: ['Il demanda.', '— Oui, dit-elle.'] },
  { name: 'surrounding whitespace is outside the spans', input: '  Il pleut.   Il vente.  ', expected: ['Il pleut.', 'Il vente.'] },
  { name: 'empty paragraph', input: '', expected: [] },
  { name: 'whitespace-only paragraph', input: ' \n ', expected: [] },

  // never before a lowercase word
  {
    name: 'stray stop before "de" (seed)',
    input: 'qui ont voté lors d’un référendum. de rejoindre la Fédération de Russie après le début.',
    expected: ['qui ont voté lors d’un référendum. de rejoindre la Fédération de Russie après le début.'],
  },
  {
    name: 'stray stop before "forces" (seed)',
    input: 'placer des militaires occidentaux hostiles. forces et armements à la frontière russe.',
    expected: ['placer des militaires occidentaux hostiles. forces et armements à la frontière russe.'],
  },
  { name: 'lowercase after an opening guillemet', input: 'Il a fini. « bravo » suivit.', expected: ['Il a fini. « bravo » suivit.'] },

  // abbreviations, titles, initials
  { name: 'M. and Mme', input: 'M. Dupont est arrivé. Mme Martin aussi.', expected: ['M. Dupont est arrivé.', 'Mme Martin aussi.'] },
  { name: 'MM.', input: 'MM. Dupont et Durand sont là.', expected: ['MM. Dupont et Durand sont là.'] },
  { name: 'Dr with and without a stop', input: 'Le Dr. House et le Dr Watson sont là.', expected: ['Le Dr. House et le Dr Watson sont là.'] },
  { name: 'p. ex. before a name', input: 'Il cite p. ex. Victor Hugo. Puis il se tait.', expected: ['Il cite p. ex. Victor Hugo.', 'Puis il se tait.'] },
  { name: 'p. ex. across a no-break space', input: `Il cite p.${NBSP}ex. Victor Hugo.`, expected: [`Il cite p.${NBSP}ex. Victor Hugo.`] },
  { name: 'cf. before a capital', input: 'Voir cf. Dupont 2020 pour les détails.', expected: ['Voir cf. Dupont 2020 pour les détails.'] },
  { name: 'p., vol., t. before numbers and roman numerals', input: 'Voir p. 14. Puis le vol. II du t. III.', expected: ['Voir p. 14.', 'Puis le vol. II du t. III.'] },
  { name: 'n°, art. and chap.', input: 'Le n° 5 de l’art. 12 du chap. IV est clair.', expected: ['Le n° 5 de l’art. 12 du chap. IV est clair.'] },
  { name: 'etc. then a capital ends the sentence', input: 'Pommes, poires, etc. Puis il partit.', expected: ['Pommes, poires, etc.', 'Puis il partit.'] },
  { name: 'etc. then lowercase goes on', input: 'Pommes, poires, etc. de toutes sortes.', expected: ['Pommes, poires, etc. de toutes sortes.'] },
  { name: 'etc. then a year goes on', input: 'Pommes, poires, etc. 2024 fut riche.', expected: ['Pommes, poires, etc. 2024 fut riche.'] },
  { name: 'av. J.-C. inside a sentence', input: 'Né en 63 av. J.-C. à Rome, il régna.', expected: ['Né en 63 av. J.-C. à Rome, il régna.'] },
  { name: 'apr. J.-C. ending a sentence', input: 'Il est mort en 14 apr. J.-C. Son fils régna.', expected: ['Il est mort en 14 apr. J.-C.', 'Son fils régna.'] },
  { name: '14 h 30', input: 'Rendez-vous à 14 h 30. Venez tôt.', expected: ['Rendez-vous à 14 h 30.', 'Venez tôt.'] },
  { name: '14 h. ending a sentence', input: 'Le train part à 14 h. Il arrive à 16 h.', expected: ['Le train part à 14 h.', 'Il arrive à 16 h.'] },
  { name: 'sept. the month goes on before a year', input: 'Le 3 sept. 2024 à Paris, il plut.', expected: ['Le 3 sept. 2024 à Paris, il plut.'] },
  { name: 'sept. the number ends a sentence', input: 'Ils étaient sept. Le soir tomba.', expected: ['Ils étaient sept.', 'Le soir tomba.'] },
  { name: 'initials J.-P. and J. R. R.', input: 'J.-P. Sartre lit J. R. R. Tolkien. A. B. Dupont aussi.', expected: ['J.-P. Sartre lit J. R. R. Tolkien.', 'A. B. Dupont aussi.'] },
  { name: 'an acronym is not an initial', input: 'Il a rejoint l’OTAN. Le reste suivit.', expected: ['Il a rejoint l’OTAN.', 'Le reste suivit.'] },
  { name: 'a word ending in m is not M.', input: 'Il a vu le film. Marie aussi.', expected: ['Il a vu le film.', 'Marie aussi.'] },

  // numbers
  { name: 'decimal comma', input: 'Il a reçu 2,6 milliards. Ensuite il a dépensé 1 234,5 euros.', expected: ['Il a reçu 2,6 milliards.', 'Ensuite il a dépensé 1 234,5 euros.'] },
  { name: 'NBSP and NNBSP thousands', input: `Soit 1${NBSP}234,5 euros et 1${NNBSP}234,5 dollars. Fin.`, expected: [`Soit 1${NBSP}234,5 euros et 1${NNBSP}234,5 dollars.`, 'Fin.'] },
  { name: '31,7 milliards', input: 'L’administration a engagé plus de 31,7 milliards de dollars.', expected: ['L’administration a engagé plus de 31,7 milliards de dollars.'] },
  { name: 'ordinal 1er. ends a sentence', input: 'Il est arrivé 1er. Le second a suivi.', expected: ['Il est arrivé 1er.', 'Le second a suivi.'] },
  { name: 'dotted dates and versions', input: 'La version 12.5.2024 est sortie le 12.5.2024. Elle corrige tout.', expected: ['La version 12.5.2024 est sortie le 12.5.2024.', 'Elle corrige tout.'] },
  { name: 'list number at the start of a line', input: '1. Introduction\n2. Méthode', expected: ['1. Introduction', '2. Méthode'] },

  // closing quotes and brackets
  { name: '« Non. » with a space', input: 'Il a dit « Non. » Puis il est parti.', expected: ['Il a dit « Non. »', 'Puis il est parti.'] },
  { name: '« Non. » with NBSP', input: `Il a dit «${NBSP}Non.${NBSP}» Puis il est parti.`, expected: [`Il a dit «${NBSP}Non.${NBSP}»`, 'Puis il est parti.'] },
  { name: '« Non. » with NNBSP', input: `Il a dit «${NNBSP}Non.${NNBSP}» Puis il est parti.`, expected: [`Il a dit «${NNBSP}Non.${NNBSP}»`, 'Puis il est parti.'] },
  { name: '“Non.”', input: 'Il a dit “Non.” Puis il est parti.', expected: ['Il a dit “Non.”', 'Puis il est parti.'] },
  { name: '"Non."', input: 'Il a dit "Non." Puis il est parti.', expected: ['Il a dit "Non."', 'Puis il est parti.'] },
  { name: '« Non ! » then lowercase goes on', input: '« Non ! » dit-il.', expected: ['« Non ! » dit-il.'] },
  { name: 'closing parenthesis', input: 'Il est parti (voir p. 3.) Ensuite il est revenu.', expected: ['Il est parti (voir p. 3.)', 'Ensuite il est revenu.'] },
  { name: '[…] marks a cut, not an end', input: 'Il écrit : « Le texte […] Plus tard, la paix. »', expected: ['Il écrit : « Le texte […] Plus tard, la paix. »'] },

  // titles, lines
  { name: 'title without final punctuation', input: 'Un haut diplomate américain exclut les pourparlers Moscou-Kiev', expected: ['Un haut diplomate américain exclut les pourparlers Moscou-Kiev'] },
  { name: 'a single newline is a boundary (list)', input: 'Il faut :\n- du pain ;\n- du sel.', expected: ['Il faut :', '- du pain ;', '- du sel.'] },
  {
    name: 'rules still apply far into a long paragraph (they look at the last 200 characters before a stop)',
    input: `${'Le ministre a parlé longtemps. '.repeat(12)}Il a cité J. Dupont et M. Martin. Fin.`,
    expected: [...Array.from({ length: 12 }, () => 'Le ministre a parlé longtemps.'), 'Il a cité J. Dupont et M. Martin.', 'Fin.'],
  },
  { name: 'a single newline is a boundary (menu)', input: 'Facebook\nTwitter\nLinkedIn', expected: ['Facebook', 'Twitter', 'LinkedIn'] },
  { name: 'a newline before lowercase is wrapped prose', input: 'Le président a\nexclu des négociations. Il part.', expected: ['Le président a\nexclu des négociations.', 'Il part.'] },
  {
    name: 'hard-wrapped wire copy: a long line ending mid-sentence goes on, even before a name',
    input: 'Le chef de la diplomatie américaine, le secrétaire d’État Antony\nBlinken, est arrivé à Kiev. Il part.',
    expected: ['Le chef de la diplomatie américaine, le secrétaire d’État Antony\nBlinken, est arrivé à Kiev.', 'Il part.'],
  },
  { name: 'a wrapped line without a stop goes on', input: 'Le chef de la diplomatie américaine est arrivé à Kiev ce matin\nLe président aussi.', expected: ['Le chef de la diplomatie américaine est arrivé à Kiev ce matin\nLe président aussi.'] },
  { name: 'a short line without a stop is a line of its own (heading)', input: 'La guerre en Ukraine\nLe président est arrivé.', expected: ['La guerre en Ukraine', 'Le président est arrivé.'] },
  {
    name: 'a long heading before a longer line is a line of its own (the next word would have fitted)',
    input: 'Tempête Ciarán : 1,2 million de foyers privés d’électricité\nLes vents ont atteint 207 km/h à la pointe du Raz. Le bilan provisoire fait état de deux morts.',
    expected: ['Tempête Ciarán : 1,2 million de foyers privés d’électricité', 'Les vents ont atteint 207 km/h à la pointe du Raz.', 'Le bilan provisoire fait état de deux morts.'],
  },
  { name: 'lettered list items in lowercase are sentences of their own', input: '3) La prime de Noël est supprimée\na) pour les couples\nb) pour les célibataires', expected: ['3) La prime de Noël est supprimée', 'a) pour les couples', 'b) pour les célibataires'] },
  { name: 'a lowercase line that is no list item still goes on', input: 'La prime est supprimée\npour les couples a) et b)', expected: ['La prime est supprimée\npour les couples a) et b)'] },
  { name: 'a long line before a list item stays apart', input: 'Les mesures annoncées par le gouvernement ce matin sont les suivantes\n- du pain ;\n- du sel.', expected: ['Les mesures annoncées par le gouvernement ce matin sont les suivantes', '- du pain ;', '- du sel.'] },

  // URLs, e-mail, ellipsis
  { name: 'URL then a sentence', input: 'Voir https://example.org/a.b?c=d. Next page.', expected: ['Voir https://example.org/a.b?c=d.', 'Next page.'] },
  { name: 'e-mail address', input: 'Écrire à jean.dupont@example.fr. Merci.', expected: ['Écrire à jean.dupont@example.fr.', 'Merci.'] },
  { name: '… then uppercase splits', input: 'Il hésita… Puis il partit.', expected: ['Il hésita…', 'Puis il partit.'] },
  { name: '… then lowercase goes on', input: 'Il hésita… puis il partit.', expected: ['Il hésita… puis il partit.'] },
  { name: '... then lowercase goes on', input: 'Il hésita... puis il partit.', expected: ['Il hésita... puis il partit.'] },

  // abbreviations and initials found with the gold set (test/fixtures/segment-gold/)
  { name: 's. (siècle, seconde) ends a sentence before a capital', input: 'L’église date du XIIe s. Elle a été restaurée.', expected: ['L’église date du XIIe s.', 'Elle a été restaurée.'] },
  { name: 's. goes on before lowercase', input: 'Un édifice du XVIe s. dominé par un clocher.', expected: ['Un édifice du XVIe s. dominé par un clocher.'] },
  { name: 'Mrs. and Inc. never end a sentence', input: 'Mrs. Smith dirige Acme Inc. (« ACME ») depuis 2010.', expected: ['Mrs. Smith dirige Acme Inc. (« ACME ») depuis 2010.'] },
  { name: 'É.-U. may end a sentence', input: 'Il a rejoint les É.-U. Sa famille est restée. Les É.-U. ont réagi.', expected: ['Il a rejoint les É.-U.', 'Sa famille est restée.', 'Les É.-U. ont réagi.'] },
  { name: 'sur X. (the network) may end a sentence', input: 'Il a réagi sur X. Le message a été supprimé.', expected: ['Il a réagi sur X.', 'Le message a été supprimé.'] },
  { name: 'a noun that takes a letter is not an initial', input: 'Il faut un plan B. Le reste suivra. J. Dupont approuve.', expected: ['Il faut un plan B.', 'Le reste suivra.', 'J. Dupont approuve.'] },

  // break rules
  { name: 'a lowercase à after a full stop starts a sentence (lost capital of À)', input: 'Le chantier a pris fin. à présent, la route est ouverte.', expected: ['Le chantier a pris fin.', 'à présent, la route est ouverte.'] },
  { name: 'à after an abbreviation goes on', input: 'Ils ont tout vendu, etc. à prix cassés.', expected: ['Ils ont tout vendu, etc. à prix cassés.'] },
  { name: 'à after a closing guillemet goes on', input: 'Il a dit « Non. » à tous.', expected: ['Il a dit « Non. » à tous.'] },
  { name: 'à after an ellipsis goes on', input: 'Il hésita... à peine une seconde.', expected: ['Il hésita... à peine une seconde.'] },
  { name: 'two sentences glued without a space', input: 'Un film culte.Enfin un conte de Noël réussi.', expected: ['Un film culte.', 'Enfin un conte de Noël réussi.'] },
  { name: 'glued stops in domains and after initials stay', input: 'Voir www.Example.com et M.Dupont. Fin.', expected: ['Voir www.Example.com et M.Dupont.', 'Fin.'] },
];

describe('segmentSentences', () => {
  test.for(rows)('$name', ({ input, expected }) => {
    const spans = segmentSentences(input);
    expect(texts(spans)).toEqual(expected);
    expectLossless(input, spans);
  });

  test('offsets point into the paragraph', () => {
    expect(segmentSentences('  Il pleut.  Il vente.')).toEqual([
      { text: 'Il pleut.', start: 2, end: 11 },
      { text: 'Il vente.', start: 13, end: 22 },
    ]);
  });
});

describe('seed: haut-diplomate-americain.fr.txt', () => {
  const seed = readFileSync(new URL('../../seeds/haut-diplomate-americain.fr.txt', import.meta.url), 'utf8');
  const paragraphs = splitParagraphs(seed);
  const furnitureAt = paragraphs.findIndex((p) => p.text.startsWith('Facebook'));
  const body = paragraphs.slice(2, furnitureAt);

  test('two title lines, then 14 body paragraphs before the share buttons', () => {
    expect(paragraphs[0]!.text).toBe(paragraphs[1]!.text);
    expect(furnitureAt).toBeGreaterThan(2);
    expect(body).toHaveLength(14);
  });

  test('every body paragraph is one sentence (the stray stops do not split)', () => {
    const counts = body.map((p) => segmentSentences(p.text).length);
    expect(counts).toEqual([1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 1]);
    for (const p of body) expectLossless(p.text, segmentSentences(p.text));
  });

  test('the two stray full stops stay inside their sentences', () => {
    const sentences = body.flatMap((p) => texts(segmentSentences(p.text)));
    expect(sentences.some((s) => s.includes('référendum. de rejoindre'))).toBe(true);
    expect(sentences.some((s) => s.includes('hostiles. forces et armements'))).toBe(true);
  });
});

describe('splitParagraphs', () => {
  test.for([
    { name: 'blank-line separated', input: 'Titre\n\nUn.\n\nDeux.', expected: [{ text: 'Titre', line: 1 }, { text: 'Un.', line: 3 }, { text: 'Deux.', line: 5 }] },
    { name: 'a single newline stays inside', input: 'a\nb\n\nc', expected: [{ text: 'a\nb', line: 1 }, { text: 'c', line: 4 }] },
    { name: 'whitespace-only lines are blank; runs of them count once', input: '\n\nUn.\n  \n\t\n\nDeux.\n', expected: [{ text: 'Un.', line: 3 }, { text: 'Deux.', line: 7 }] },
    { name: 'surrounding whitespace is trimmed', input: '  Un.  \n', expected: [{ text: 'Un.', line: 1 }] },
    { name: 'CRLF', input: 'Un.\r\n\r\nDeux.\r\nTrois.', expected: [{ text: 'Un.', line: 1 }, { text: 'Deux.\nTrois.', line: 3 }] },
    { name: 'empty text', input: '', expected: [] },
  ])('$name', ({ input, expected }) => {
    expect(splitParagraphs(input)).toEqual(expected);
  });
});

describe('loadSegmentRules', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relais-rules-'));
  const write = (name: string, content: unknown) => {
    const file = join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  test('fr rules are cached, frozen, and plain JSON', () => {
    const rules = loadSegmentRules('fr');
    expect(loadSegmentRules('fr')).toBe(rules);
    expect(Object.isFrozen(rules.abbreviations.neverEnd)).toBe(true);
    expect(rules.language).toBe('fr');
    expect(rules.abbreviations.neverEnd).toContain('M.');
    expect(rules.abbreviations.mayEnd).toContain('etc.');
    expect(JSON.parse(JSON.stringify(rules))).toEqual(rules);
    expect(Object.keys(rules)).not.toContain('$comment');
  });

  test('a user file adds abbreviations and moves entries between lists', () => {
    const file = write('extra.json', { abbreviations: { neverEnd: ['Cie', 'etc.'] } });
    const rules = loadSegmentRules('fr', file);
    expect(rules.abbreviations.neverEnd).toEqual(expect.arrayContaining(['Cie', 'etc.', 'M.']));
    expect(rules.abbreviations.mayEnd).not.toContain('etc.');
    expect(texts(segmentSentences('Dupont & Cie. Leroy aussi.', rules))).toEqual(['Dupont & Cie. Leroy aussi.']);
    expect(texts(segmentSentences('Pommes, etc. Puis il partit.', rules))).toEqual(['Pommes, etc. Puis il partit.']);
    // The built-in rules are untouched.
    expect(texts(segmentSentences('Pommes, etc. Puis il partit.'))).toHaveLength(2);
  });

  test('a user exception replaces or disables a built-in one by name, or adds a new one', () => {
    const file = write('exceptions.json', {
      exceptions: [
        { name: 'initials', disabled: true },
        { name: 'vitamins', before: 'vitamine \\p{Lu}\\.', after: '\\p{Lu}' },
      ],
    });
    const rules = loadSegmentRules('fr', file);
    expect(texts(segmentSentences('J. Dupont est venu.', rules))).toEqual(['J.', 'Dupont est venu.']);
    expect(texts(segmentSentences('Prenez de la vitamine C. Elle aide.', rules))).toEqual(['Prenez de la vitamine C. Elle aide.']);
  });

  test('a user break rule adds a boundary; a built-in one can be switched off by name', () => {
    const file = write('breaks.json', {
      breaks: [
        { name: 'lowercase-a-grave', disabled: true },
        { name: 'lowercase-pronoun', before: '\\.', after: '\\s+(?:il|elle)\\s' },
      ],
    });
    const rules = loadSegmentRules('fr', file);
    expect(texts(segmentSentences('Fini. à présent il part.', rules))).toEqual(['Fini. à présent il part.']);
    expect(texts(segmentSentences('Il est parti. il reviendra.', rules))).toEqual(['Il est parti.', 'il reviendra.']);
    // The built-in rules are untouched.
    expect(texts(segmentSentences('Fini. à présent il part.'))).toHaveLength(2);
    expect(texts(segmentSentences('Il est parti. il reviendra.'))).toHaveLength(1);
  });

  test.for([
    { name: 'not JSON', content: '{ "abbreviations": ', message: /not valid JSON/ },
    { name: 'breaks is not a list', content: { breaks: {} }, message: /"breaks" must be a list/ },
    { name: 'break rule with a bad regex', content: { breaks: [{ name: 'x', before: '\\.', after: '[' }] }, message: /break rule "x": "after" is not a valid regular expression/ },
    { name: 'not an object', content: [], message: /must be a JSON object/ },
    { name: 'unknown key', content: { abreviations: {} }, message: /unknown key "abreviations"/ },
    { name: 'list is not an array', content: { abbreviations: { neverEnd: 'M.' } }, message: /"abbreviations.neverEnd" must be a list/ },
    { name: 'empty entry', content: { abbreviations: { mayEnd: [''] } }, message: /"abbreviations.mayEnd\[0\]" must be a non-empty string/ },
    { name: 'exception without before', content: { exceptions: [{ name: 'x' }] }, message: /exception "x": "before"/ },
    { name: 'exception with a bad regex', content: { exceptions: [{ name: 'x', before: '(' }] }, message: /exception "x": "before" is not a valid regular expression/ },
    { name: 'exception without name', content: { exceptions: [{ before: 'a' }] }, message: /"exceptions\[0\].name"/ },
    { name: 'other language', content: { language: 'en' }, message: /"language" is "en"/ },
  ])('bad user file: $name → OPTION_INVALID naming the file', ({ name, content, message }) => {
    const file = write(`${name.replace(/\W+/g, '-')}.json`, content);
    expect(() => loadSegmentRules('fr', file)).toThrow(expect.objectContaining({ code: 'OPTION_INVALID', place: { file } }));
    expect(() => loadSegmentRules('fr', file)).toThrow(message);
    expect(() => loadSegmentRules('fr', file)).toThrow(file);
  });

  test('a missing user file is OPTION_INVALID', () => {
    const file = join(dir, 'missing.json');
    expect(() => loadSegmentRules('fr', file)).toThrow(expect.objectContaining({ code: 'OPTION_INVALID', message: expect.stringContaining(file) }));
  });

  test('a language without rules is LANGUAGE_UNSUPPORTED; a path is not a language', () => {
    expect(() => loadSegmentRules('xx')).toThrow(expect.objectContaining({ code: 'LANGUAGE_UNSUPPORTED', hint: expect.stringContaining('fr') }));
    expect(() => loadSegmentRules('../fr')).toThrow(expect.objectContaining({ code: 'OPTION_INVALID' }));
  });
});

describe('classifyStop', () => {
  test.for([
    { name: 'etc. is mayEnd', input: 'Pommes, etc. de', stop: 11, expected: { kind: 'mayEnd', entry: 'etc.' } },
    { name: 'M. is neverEnd', input: 'Voici M. de Villepin', stop: 7, expected: { kind: 'neverEnd', entry: 'M.' } },
    { name: 'av. J.-C. beats initials', input: 'En 52 av. J.-C. et', stop: 14, expected: { kind: 'mayEnd', entry: 'av. J.-C.' } },
    { name: 'J.-C. alone is initials', input: 'Voici J.-C. Decaux', stop: 10, expected: { kind: 'exception', name: 'initials' } },
    { name: 'a plain word', input: 'Le référendum. de', stop: 13, expected: null },
  ])('$name', ({ input, stop, expected }) => {
    expect(input[stop]).toBe('.');
    expect(classifyStop(input, stop, stop + 1, stop + 2)).toEqual(expected);
  });
});
