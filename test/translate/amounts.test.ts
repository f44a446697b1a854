import { describe, expect, test } from 'vitest';
import { findAmounts, formatAmount, scaleWordGrammar, type Amount } from '../../pipeline/stages/translate/amounts.js';

const NBSP = '\u00A0';
const NNBSP = '\u202F';

/** The one amount of a French phrase, rendered in `lang`. */
function render(input: string, lang: string): string {
  const found = findAmounts(input);
  expect(found).toHaveLength(1);
  return formatAmount(found[0]!, lang);
}

describe('findAmounts', () => {
  test.for<{ name: string; input: string; lang: string; expected: Partial<Amount>[] }>([
    { name: 'seed: 2,6 milliards de dollars', input: 'une aide militaire de 2,6 milliards de dollars pour l’Ukraine', lang: 'fr',
      expected: [{ start: 22, end: 46, text: '2,6 milliards de dollars', value: 2.6, scale: 'billion', currency: 'USD' }] },
    { name: 'seed: 31,7 milliards de dollars d’aide', input: 'plus de 31,7 milliards de dollars d’aide', lang: 'fr',
      expected: [{ text: '31,7 milliards de dollars', value: 31.7, scale: 'billion', currency: 'USD' }] },
    { name: 'seed: d’environ 48,5 milliards — the preposition is not part of the amount', input: 'une aide d’environ 48,5 milliards de dollars depuis', lang: 'fr',
      expected: [{ start: 19, text: '48,5 milliards de dollars', value: 48.5, scale: 'billion', currency: 'USD' }] },
    { name: 'seed: 150,8 milliards de dollars', input: 'à plus de 150,8 milliards de dollars en Ukraine', lang: 'fr',
      expected: [{ text: '150,8 milliards de dollars', value: 150.8, scale: 'billion', currency: 'USD' }] },
    { name: 'seed: février 2022 and 2022 are not amounts (the engine copies plain integers)', input: 'en février 2022 face aux attaques, le budget pour 2022', lang: 'fr', expected: [] },
    { name: 'decimal comma', input: 'un taux de 2,6 ici', lang: 'fr', expected: [{ text: '2,6', value: 2.6, decimals: 1 }] },
    { name: 'spaced thousands with decimals', input: 'soit 1 234,5 tonnes', lang: 'fr', expected: [{ text: '1 234,5', value: 1234.5 }] },
    { name: 'NBSP and NNBSP group separators', input: `1${NBSP}234${NNBSP}567 habitants`, lang: 'fr', expected: [{ text: `1${NBSP}234${NNBSP}567`, value: 1234567 }] },
    { name: 'millions', input: '31,7 millions de personnes', lang: 'fr', expected: [{ text: '31,7 millions', value: 31.7, scale: 'million' }] },
    { name: 'mille', input: '50 mille roubles', lang: 'fr', expected: [{ text: '50 mille roubles', value: 50, scale: 'thousand', currency: 'RUB' }] },
    { name: 'dollars américains', input: '2 millions de dollars américains', lang: 'fr', expected: [{ text: '2 millions de dollars américains', currency: 'USD', currencyStyle: 'word' }] },
    { name: 'd’euros', input: '3 millions d’euros', lang: 'fr', expected: [{ text: '3 millions d’euros', currency: 'EUR' }] },
    { name: 'dollars without de', input: 'coûte 12,50 dollars', lang: 'fr', expected: [{ text: '12,50 dollars', value: 12.5, decimals: 2, currency: 'USD' }] },
    { name: 'euros without de', input: 'coûte 1 500 euros', lang: 'fr', expected: [{ text: '1 500 euros', value: 1500, currency: 'EUR' }] },
    { name: 'euro sign', input: `coûte 12,50${NBSP}€`, lang: 'fr', expected: [{ text: `12,50${NBSP}€`, currency: 'EUR', currencyStyle: 'symbol' }] },
    { name: 'dollar sign after a plain integer', input: 'coûte 30 $', lang: 'fr', expected: [{ text: '30 $', value: 30, currency: 'USD', currencyStyle: 'symbol' }] },
    { name: 'percent with NBSP', input: `une hausse de 12,5${NBSP}%`, lang: 'fr', expected: [{ text: `12,5${NBSP}%`, value: 12.5, percent: true }] },
    { name: 'percent with NNBSP', input: `de 12,5${NNBSP}% environ`, lang: 'fr', expected: [{ text: `12,5${NNBSP}%`, percent: true }] },
    { name: 'pour cent', input: 'de 7 pour cent', lang: 'fr', expected: [{ text: '7 pour cent', value: 7, percent: true }] },
    { name: 'French billion is 10^12', input: '1,5 billion d’euros', lang: 'fr', expected: [{ scale: 'trillion', currency: 'EUR' }] },
    { name: 'Md$ abbreviation', input: 'un contrat de 2,6 Md$', lang: 'fr', expected: [{ text: '2,6 Md$', scale: 'billion', currency: 'USD' }] },
    { name: 'a lone M is not a scale', input: 'le groupe 3 M', lang: 'fr', expected: [] },
    { name: 'a lone M leaves the decimal number', input: 'soit 2,6 M de personnes', lang: 'fr', expected: [{ text: '2,6', value: 2.6 }] },
    { name: 'a year before a grouped number stays out', input: 'en 2022 2 600 soldats', lang: 'fr', expected: [{ text: '2 600', value: 2600 }] },
    { name: 'two amounts', input: '2,6 milliards de dollars et 12,5 %', lang: 'fr', expected: [{ text: '2,6 milliards de dollars' }, { text: '12,5 %' }] },
  ])('$name', ({ input, expected }) => {
    const found = findAmounts(input);
    expect(found).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(found[i]).toMatchObject(e));
    for (const a of found) expect(input.slice(a.start, a.end)).toBe(a.text);
  });
});

describe('formatAmount', () => {
  test.for([
    // The seed article's amounts, in every target language.
    { name: 'seed 2,6 milliards', input: '2,6 milliards de dollars', lang: 'en', expected: '$2.6 billion' },
    { name: 'seed 2,6 milliards', input: '2,6 milliards de dollars', lang: 'es', expected: '2600 millones de dólares' },
    { name: 'seed 2,6 milliards', input: '2,6 milliards de dollars', lang: 'ca', expected: '2.600 milions de dòlars' },
    { name: 'seed 31,7 milliards', input: '31,7 milliards de dollars', lang: 'en', expected: '$31.7 billion' },
    { name: 'seed 31,7 milliards', input: '31,7 milliards de dollars', lang: 'es', expected: `31${NBSP}700 millones de dólares` },
    { name: 'seed 31,7 milliards', input: '31,7 milliards de dollars', lang: 'ca', expected: '31.700 milions de dòlars' },
    { name: 'seed d’environ 48,5 milliards', input: 'd’environ 48,5 milliards de dollars', lang: 'en', expected: '$48.5 billion' },
    { name: 'seed d’environ 48,5 milliards', input: 'd’environ 48,5 milliards de dollars', lang: 'es', expected: `48${NBSP}500 millones de dólares` },
    { name: 'seed d’environ 48,5 milliards', input: 'd’environ 48,5 milliards de dollars', lang: 'ca', expected: '48.500 milions de dòlars' },
    { name: 'seed 150,8 milliards', input: '150,8 milliards de dollars', lang: 'en', expected: '$150.8 billion' },
    { name: 'seed 150,8 milliards', input: '150,8 milliards de dollars', lang: 'es', expected: `150${NBSP}800 millones de dólares` },
    { name: 'seed 150,8 milliards', input: '150,8 milliards de dollars', lang: 'ca', expected: '150.800 milions de dòlars' },
    // Plain numbers.
    { name: 'decimal', input: '2,6', lang: 'en', expected: '2.6' },
    { name: 'decimal', input: '2,6', lang: 'es', expected: '2,6' },
    { name: 'grouped decimal', input: '1 234,5', lang: 'en', expected: '1,234.5' },
    { name: 'four digits are not grouped in Spanish (RAE)', input: '1 234,5', lang: 'es', expected: '1234,5' },
    { name: 'grouped decimal', input: '1 234,5', lang: 'ca', expected: '1.234,5' },
    { name: 'millions of units', input: `1${NNBSP}234${NNBSP}567`, lang: 'en', expected: '1,234,567' },
    { name: 'Spanish groups with a no-break space', input: '1 234 567', lang: 'es', expected: `1${NBSP}234${NBSP}567` },
    { name: 'the French target keeps the source', input: '1 234 567', lang: 'fr', expected: '1 234 567' },
    { name: 'region subtags are ignored', input: '2,6 milliards de dollars', lang: 'en-GB', expected: '$2.6 billion' },
    // Percentages.
    { name: 'percent', input: `12,5${NBSP}%`, lang: 'en', expected: '12.5%' },
    { name: 'percent (RAE: space before %)', input: `12,5${NNBSP}%`, lang: 'es', expected: `12,5${NBSP}%` },
    { name: 'percent (IEC: space before %)', input: '12,5 %', lang: 'ca', expected: `12,5${NBSP}%` },
    { name: 'pour cent', input: '7 pour cent', lang: 'en', expected: '7%' },
    // Scales and currencies.
    { name: 'millions of euros', input: '31,7 millions d’euros', lang: 'en', expected: '€31.7 million' },
    { name: 'millions of euros', input: '31,7 millions d’euros', lang: 'es', expected: '31,7 millones de euros' },
    { name: 'elided d’ before euros', input: '31,7 millions d’euros', lang: 'ca', expected: '31,7 milions d’euros' },
    { name: 'one million is singular', input: '1 million de dollars', lang: 'es', expected: '1 millón de dólares' },
    { name: 'one million is singular', input: '1 million de dollars', lang: 'ca', expected: '1 milió de dòlars' },
    { name: 'mille becomes the full number', input: '50 mille roubles', lang: 'en', expected: '50,000 roubles' },
    { name: 'mille becomes the full number (Fundéu: not “50 mil”)', input: '50 mille roubles', lang: 'es', expected: `50${NBSP}000 rublos` },
    { name: 'French billion', input: '1,5 billion d’euros', lang: 'en', expected: '€1.5 trillion' },
    { name: 'French billion', input: '1,5 billion d’euros', lang: 'es', expected: '1,5 billones de euros' },
    { name: 'French billion', input: '1,5 billion d’euros', lang: 'ca', expected: '1,5 bilions d’euros' },
    { name: 'unscaled dollars', input: '12,50 dollars', lang: 'en', expected: '$12.50' },
    { name: 'unscaled dollars', input: '12,50 dollars', lang: 'es', expected: '12,50 dólares' },
    { name: 'euro sign', input: '12,50 €', lang: 'es', expected: `12,50${NBSP}€` },
    { name: 'euro sign', input: '1 500 €', lang: 'en', expected: '€1,500' },
    { name: 'Swiss francs take a word in English', input: '2 millions de francs suisses', lang: 'en', expected: '2 million Swiss francs' },
    { name: 'Md$', input: '2,6 Md$', lang: 'es', expected: '2600 millones de dólares' },
    { name: 'more decimals than the scale shift', input: '2,6543 milliards de dollars', lang: 'es', expected: '2654,3 millones de dólares' },
    // 1 000 milliards and more (a state's debt) are trillions: 10¹² is billón, bilió, biliono, bilion.
    { name: '3 000 milliards: trillion', input: '3 000 milliards d’euros', lang: 'en', expected: '€3 trillion' },
    { name: '3 000 milliards: billones', input: '3 000 milliards d’euros', lang: 'es', expected: '3 billones de euros' },
    { name: '1 500 milliards: bilions', input: '1 500 milliards de dollars', lang: 'ca', expected: '1,5 bilions de dòlars' },
    { name: '3 000 milliards: bilionoj', input: '3 000 milliards d’euros', lang: 'eo', expected: '3 bilionoj da eŭroj' },
    { name: '3 250 milliards: bilions', input: '3 250 milliards', lang: 'oc', expected: '3,25 bilions' },
    { name: '999 milliards stay millions', input: '999 milliards d’euros', lang: 'es', expected: `999${NBSP}000 millones de euros` },
  ])('$name ($lang)', ({ input, lang, expected }) => {
    expect(render(input, lang)).toBe(expected);
  });
});

describe('a range whose scale is written once ("de 2 à 3 milliards")', () => {
  test.for<{ name: string; input: string; lang: string; expected: string[] }>([
    { name: 'de 2 à 3 milliards d’euros', input: 'de 2 à 3 milliards d’euros', lang: 'es', expected: ['2000', '3000 millones de euros'] },
    { name: 'de 2 à 3 milliards d’euros', input: 'de 2 à 3 milliards d’euros', lang: 'ca', expected: ['2.000', '3.000 milions d’euros'] },
    { name: 'de 2 à 3 milliards d’euros', input: 'de 2 à 3 milliards d’euros', lang: 'en', expected: ['2', '€3 billion'] },
    { name: 'a decimal first number: 1,5-2,5 milliards', input: '1,5-2,5 milliards de dollars', lang: 'es', expected: ['1500', '2500 millones de dólares'] },
    { name: 'entre 4 et 5 millions', input: 'entre 4 et 5 millions', lang: 'es', expected: ['4', '5 millones'] },
    { name: 'de 2 000 à 3 000 milliards: trillions both', input: 'de 2 000 à 3 000 milliards d’euros', lang: 'en', expected: ['2', '€3 trillion'] },
    { name: 'de 2 000 à 3 000 milliards: billones both', input: 'de 2 000 à 3 000 milliards d’euros', lang: 'es', expected: ['2', '3 billones de euros'] },
    { name: 'de 2 000 à 3 000 milliards: bilionoj both', input: 'de 2 000 à 3 000 milliards d’euros', lang: 'eo', expected: ['2', '3 bilionoj da eŭroj'] },
    { name: 'a number then a scaled one without a connector is no range', input: 'en 2022, 3 milliards', lang: 'es', expected: ['3000 millones'] },
  ])('$lang: $name', ({ input, lang, expected }) => {
    expect(findAmounts(input).map((a) => formatAmount(a, lang))).toEqual(expected);
  });
});

describe('Esperanto and Occitan amounts, from their own words (ICU has no long compact Occitan and gives Esperanto the singular)', () => {
  test.for([
    { input: "3,5 milliards d'euros", lang: 'oc', expected: "3,5 miliards d'èuros" },
    { input: "3,5 milliards d'euros", lang: 'eo', expected: '3,5 miliardoj da eŭroj' },
    { input: '3 millions', lang: 'oc', expected: '3 milions' },
    { input: '3 millions', lang: 'eo', expected: '3 milionoj' },
    { input: '1 million', lang: 'eo', expected: '1 miliono' },
    { input: '1,5 million', lang: 'oc', expected: '1,5 milion' },
    { input: '1,5 million', lang: 'eo', expected: '1,5 milionoj' },
    { input: '2 millions de dollars', lang: 'oc', expected: '2 milions de dolars' },
    { input: '10 millions de francs suisses', lang: 'eo', expected: '10 milionoj da svisaj frankoj' },
    { input: '2 billions de dollars', lang: 'eo', expected: '2 bilionoj da dolaroj' },
    { input: '12,50 €', lang: 'eo', expected: `12,50${NBSP}€` },
    { input: '1 500 euros', lang: 'oc', expected: `1${NBSP}500 èuros` },
    { input: '1 euro', lang: 'eo', expected: '1 eŭro' },
  ])('$lang: $input → $expected', ({ input, lang, expected }) => {
    expect(render(input, lang)).toBe(expected);
  });
});

describe('scaleWordGrammar: what follows a scale word the engine saw as a placeholder', () => {
  test.for([
    { text: 'The city counts 3 million of inhabitants.', lang: 'en', expected: 'The city counts 3 million inhabitants.' },
    { text: 'It received 3 million of the inhabitants.', lang: 'en', expected: 'It received 3 million of the inhabitants.' },
    { text: 'a million of reasons', lang: 'en', expected: 'a million of reasons' },
    { text: 'more than $31.7 billion of weapons', lang: 'en', expected: 'more than $31.7 billion of weapons' },
    { text: 'La urbo havas 3 milionoj de loĝantoj.', lang: 'eo', expected: 'La urbo havas 3 milionoj da loĝantoj.' },
    { text: 'Li ricevis 3 milionoj de la loĝantoj.', lang: 'eo', expected: 'Li ricevis 3 milionoj de la loĝantoj.' },
    { text: '3 millones de habitantes', lang: 'es', expected: '3 millones de habitantes' },
  ])('$lang: $text', ({ text, lang, expected }) => {
    expect(scaleWordGrammar(text, lang)).toBe(expected);
  });
});

describe('an ordinal is no amount', () => {
  test.for(['Le 1 000e visiteur', 'le 100 000ème anniversaire', 'le 1 000 000e abonné', 'le 2e tour'])('%s: left to the engine ("the 1 000th visitor")', (text) => {
    expect(findAmounts(text)).toEqual([]);
  });
  test('a grouped number before a word is still one', () => {
    expect(findAmounts('les 14 000 soldats et 3 000 000 d’habitants').map((a) => a.text)).toEqual(['14 000', '3 000 000']);
  });
});
