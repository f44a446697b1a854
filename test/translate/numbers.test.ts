import { describe, expect, test } from 'vitest';
import { extractNumbers, extractQuantities } from '../../pipeline/stages/translate/numbers.js';

const NBSP = '\u00A0';
const NNBSP = '\u202F';

describe('extractNumbers', () => {
  test.for([
    { name: 'French decimal comma', input: 'un taux de 2,6 ici', lang: 'fr', expected: [2.6] },
    { name: 'English decimal point', input: 'a rate of 2.6 here', lang: 'en', expected: [2.6] },
    { name: 'French spaced thousands', input: 'soit 1 234,5 tonnes', lang: 'fr', expected: [1234.5] },
    { name: 'NBSP / NNBSP groups', input: `1${NBSP}234${NNBSP}567 habitants`, lang: 'fr', expected: [1234567] },
    { name: 'English comma thousands', input: '1,234.5 tonnes and 1,234,567 people', lang: 'en', expected: [1234.5, 1234567] },
    { name: 'Spanish point thousands', input: '2.600 personas', lang: 'es', expected: [2600] },
    { name: 'Spanish space thousands, four digits unsplit', input: `31${NBSP}700 y 2600`, lang: 'es', expected: [31700, 2600] },
    { name: 'Catalan point thousands', input: '2.600 milions i 1.234,5', lang: 'ca', expected: [2600, 1234.5] },
    { name: 'seed: février 2022 (years are numbers)', input: 'en février 2022 face aux attaques', lang: 'fr', expected: [2022] },
    { name: 'seed: February 2022', input: 'in February 2022', lang: 'en', expected: [2022] },
    { name: 'seed: febrero de 2022', input: 'en febrero de 2022', lang: 'es', expected: [2022] },
    { name: 'seed: febrer de 2022', input: 'al febrer de 2022', lang: 'ca', expected: [2022] },
    { name: 'a year and a grouped number side by side', input: 'en 2022 2 600 soldats', lang: 'fr', expected: [2022, 2600] },
    { name: 'a decimal comma left in English is not 2.6', input: 'of 2,6 billion', lang: 'en', expected: [] },
    { name: 'a decimal point in French is not 2.6', input: 'de 2.6 milliards', lang: 'fr', expected: [] },
    { name: 'percent', input: `12,5${NBSP}%`, lang: 'fr', expected: [12.5] },
    { name: 'English percent', input: '12.5%', lang: 'en', expected: [12.5] },
    { name: 'range', input: '2022-2023', lang: 'fr', expected: [2022, 2023] },
    { name: 'no numbers in words', input: 'COVID19 et G7', lang: 'fr', expected: [] },
  ])('$name ($lang)', ({ input, lang, expected }) => {
    expect(extractNumbers(input, lang)).toEqual(expected);
  });
});

describe('extractQuantities', () => {
  test.for([
    // The seed article's amounts: source and every expected target reading give the same quantity.
    { name: 'seed 2,6 milliards', input: '2,6 milliards de dollars', lang: 'fr', expected: [2.6e9] },
    { name: 'seed 2,6 milliards', input: '$2.6 billion', lang: 'en', expected: [2.6e9] },
    { name: 'seed 2,6 milliards', input: '2600 millones de dólares', lang: 'es', expected: [2.6e9] },
    { name: 'seed 2,6 milliards', input: '2.600 milions de dòlars', lang: 'ca', expected: [2.6e9] },
    { name: 'seed 31,7 milliards', input: 'plus de 31,7 milliards de dollars', lang: 'fr', expected: [31.7e9] },
    { name: 'seed 31,7 milliards', input: 'more than $31.7 billion', lang: 'en', expected: [31.7e9] },
    { name: 'seed 31,7 milliards', input: `más de 31${NBSP}700 millones de dólares`, lang: 'es', expected: [31.7e9] },
    { name: 'seed 31,7 milliards', input: 'més de 31.700 milions de dòlars', lang: 'ca', expected: [31.7e9] },
    { name: 'seed 48,5 milliards', input: 'd’environ 48,5 milliards de dollars', lang: 'fr', expected: [48.5e9] },
    { name: 'seed 48,5 milliards', input: 'of roughly $48.5 billion', lang: 'en', expected: [48.5e9] },
    { name: 'seed 48,5 milliards', input: `de aproximadamente 48${NBSP}500 millones`, lang: 'es', expected: [48.5e9] },
    { name: 'seed 48,5 milliards', input: "d'aproximadament 48.500 milions", lang: 'ca', expected: [48.5e9] },
    { name: 'seed 150,8 milliards', input: '150,8 milliards de dollars', lang: 'fr', expected: [150.8e9] },
    { name: 'seed 150,8 milliards', input: '$150.8 billion', lang: 'en', expected: [150.8e9] },
    { name: 'seed 150,8 milliards', input: `150${NBSP}800 millones de dólares`, lang: 'es', expected: [150.8e9] },
    { name: 'seed 150,8 milliards', input: '150.800 milions de dòlars', lang: 'ca', expected: [150.8e9] },
    { name: 'seed: the year stays a year', input: 'le budget pour 2022', lang: 'fr', expected: [2022] },
    // Other scale words.
    { name: 'Apertium’s millardos', input: '2,6 millardos de dólares', lang: 'es', expected: [2.6e9] },
    { name: 'mil millones', input: '2,6 mil millones', lang: 'es', expected: [2.6e9] },
    { name: 'Apertium’s mil milions', input: '2,6 mil milions de dòlars', lang: 'ca', expected: [2.6e9] },
    { name: 'milers de milions', input: '2,6 milers de milions', lang: 'ca', expected: [2.6e9] },
    { name: 'millions', input: '31,7 millions de personnes', lang: 'fr', expected: [31.7e6] },
    { name: 'million', input: '31.7 million people', lang: 'en', expected: [31.7e6] },
    { name: 'millón', input: '1 millón de dólares', lang: 'es', expected: [1e6] },
    { name: 'milió', input: '1 milió de dòlars', lang: 'ca', expected: [1e6] },
    { name: 'mille', input: '50 mille roubles', lang: 'fr', expected: [50e3] },
    { name: 'thousand', input: '50 thousand roubles', lang: 'en', expected: [50e3] },
    { name: 'mil', input: '50 mil rublos', lang: 'es', expected: [50e3] },
    { name: 'French billion is 10^12', input: '1,5 billion d’euros', lang: 'fr', expected: [1.5e12] },
    { name: 'English trillion', input: '€1.5 trillion', lang: 'en', expected: [1.5e12] },
    { name: 'billones', input: '1,5 billones de euros', lang: 'es', expected: [1.5e12] },
    { name: 'bilions', input: '1,5 bilions d’euros', lang: 'ca', expected: [1.5e12] },
    { name: 'bn abbreviation', input: '$2.6bn', lang: 'en', expected: [2.6e9] },
    { name: 'Md$ abbreviation', input: '2,6 Md$', lang: 'fr', expected: [2.6e9] },
    { name: 'a scale word must be a whole word', input: '3 milliardaires', lang: 'fr', expected: [3] },
    // What amounts.ts writes for Esperanto and Occitan (every case ending of eo).
    { name: 'eo miliardoj', input: '154 miliardoj da eŭroj', lang: 'eo', expected: [154e9] },
    { name: 'eo milionojn', input: 'Ili ricevis 2 milionojn da dolaroj', lang: 'eo', expected: [2e6] },
    { name: 'eo 1,2 milionoj', input: '1,2 milionoj da dolaroj', lang: 'eo', expected: [1.2e6] },
    { name: 'eo biliono is 10^12', input: '1,5 biliono', lang: 'eo', expected: [1.5e12] },
    { name: 'oc miliards', input: "154 miliards d'èuros", lang: 'oc', expected: [154e9] },
    { name: 'oc milion', input: '1,2 milion de dolars', lang: 'oc', expected: [1.2e6] },
    { name: 'oc bilions is 10^12', input: "1,5 bilions d'èuros", lang: 'oc', expected: [1.5e12] },
  ])('$name ($lang)', ({ input, lang, expected }) => {
    const got = extractQuantities(input, lang);
    expect(got).toHaveLength(expected.length);
    got.forEach((n, i) => expect(n).toBeCloseTo(expected[i]!, 3));
  });
});

describe('extractQuantities: a range writes its scale once', () => {
  test.for<{ input: string; lang: string; expected: number[] }>([
    { input: 'de 2 à 3 milliards d’euros', lang: 'fr', expected: [2e9, 3e9] },
    { input: 'de 2000 a 3000 millones de euros', lang: 'es', expected: [2e9, 3e9] },
    { input: 'de 2.000 a 3.000 milions d’euros', lang: 'ca', expected: [2e9, 3e9] },
    { input: 'from 2 to €3 billion', lang: 'en', expected: [2e9, 3e9] },
    { input: 'inter 3 kaj 4 miliardoj da eŭroj', lang: 'eo', expected: [3e9, 4e9] },
    { input: "entre 3 e 4 miliards d'èuros", lang: 'oc', expected: [3e9, 4e9] },
    // What relais wrote before: the first number lost its scale, and QA now sees it.
    { input: 'de 2 a 3000 millones de euros', lang: 'es', expected: [2e6, 3e9] },
    { input: 'en 2022, 3 milliards', lang: 'fr', expected: [2022, 3e9] },
  ])('$lang: $input', ({ input, lang, expected }) => {
    expect(extractQuantities(input, lang)).toEqual(expected);
  });
});
