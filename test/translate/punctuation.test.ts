import { describe, expect, test } from 'vitest';
import { localizePunctuation } from '../../pipeline/stages/translate/punctuation.js';

const NBSP = '\u00A0';
const NNBSP = '\u202F';

describe('localizePunctuation', () => {
  test.for([
    // Guillemets.
    { name: '« » with spaces', input: 'de pourparlers « constructifs ».', lang: 'en', expected: 'de pourparlers “constructifs”.' },
    { name: '« » with spaces', input: 'de negociaciones « constructivas ».', lang: 'es', expected: 'de negociaciones «constructivas».' },
    { name: '« » with spaces', input: 'de negociacions « constructives ».', lang: 'ca', expected: 'de negociacions «constructives».' },
    { name: 'the French target keeps its spaces', input: 'de pourparlers « constructifs » : oui ?', lang: 'fr', expected: 'de pourparlers « constructifs » : oui ?' },
    { name: '« » with NBSP', input: `la «${NBSP}operación${NBSP}»`, lang: 'es', expected: 'la «operación»' },
    { name: '« » with NNBSP', input: `the «${NNBSP}operation${NNBSP}»`, lang: 'en', expected: 'the “operation”' },
    { name: '« » without spaces', input: 'the «operation»', lang: 'en', expected: 'the “operation”' },
    { name: 'nested quotes in English', input: 'he said « a “just” peace »', lang: 'en', expected: 'he said “a ‘just’ peace”' },
    { name: 'nested quotes in Spanish (RAE: « » then “ ”)', input: 'dijo « una paz “justa” »', lang: 'es', expected: 'dijo «una paz “justa”»' },
    { name: '“ ” with inner spaces', input: 'a “ just peace ”', lang: 'en', expected: 'a “just peace”' },
    { name: 'outer “ ” become « » in Spanish (RAE)', input: 'una “paz justa”', lang: 'es', expected: 'una «paz justa»' },
    { name: 'outer “ ” become « » in Catalan (IEC)', input: 'una “pau justa”', lang: 'ca', expected: 'una «pau justa»' },
    { name: 'a quotation opened here and closed in a later sentence', input: 'The minister declared: « it is finished.', lang: 'en', expected: 'The minister declared: “it is finished.' },
    { name: '… and closed here', input: 'We leave tomorrow. » The room applauded.', lang: 'en', expected: 'We leave tomorrow.” The room applauded.' },
    { name: 'a closing mark of an earlier sentence, then a quotation of its own', input: 'unidos », ha afirmado el « portavoz ».', lang: 'es', expected: 'unidos», ha afirmado el «portavoz».' },
    // High punctuation.
    { name: 'space before : ; ? !', input: 'yes : no ; why ? now !', lang: 'en', expected: 'yes: no; why? now!' },
    { name: 'NBSP before : ; ? !', input: `sí${NBSP}: no${NNBSP}; ¿por qué${NBSP}? ya${NNBSP}!`, lang: 'es', expected: 'sí: no; ¿por qué? ya!' },
    { name: '¿ ¡ are not invented', input: 'por qué ?', lang: 'es', expected: 'por qué?' },
    { name: 'space before :', input: 'diu : sí', lang: 'ca', expected: 'diu: sí' },
    { name: 'a space Apertium left before a full stop', input: 'It has run without arresting .', lang: 'en', expected: 'It has run without arresting.' },
    { name: '… and before a comma', input: 'sin detenerse , dijo', lang: 'es', expected: 'sin detenerse, dijo' },
    { name: 'not before an ellipsis, .NET or a decimal', input: 'y luego ... el .NET de .5 puntos', lang: 'es', expected: 'y luego ... el .NET de .5 puntos' },
    { name: 'the French target keeps it', input: 'sans arrêt .', lang: 'fr', expected: 'sans arrêt .' },
    // Spaces.
    { name: 'doubled spaces', input: 'two  spaces   here', lang: 'en', expected: 'two spaces here' },
    { name: 'doubled spaces in French', input: 'deux  espaces', lang: 'fr', expected: 'deux espaces' },
    { name: 'the space before % is kept', input: `del 12,5${NBSP}%`, lang: 'es', expected: `del 12,5${NBSP}%` },
    // Decimal commas the engine left in English.
    { name: 'decimal comma', input: 'a help of 2,6 dollars', lang: 'en', expected: 'a help of 2.6 dollars' },
    { name: 'two decimals', input: 'costs 12,50', lang: 'en', expected: 'costs 12.50' },
    { name: 'thousands are not decimals', input: '1,234 people', lang: 'en', expected: '1,234 people' },
    { name: 'a list is not a decimal', input: 'items 1,2,3', lang: 'en', expected: 'items 1,2,3' },
    { name: 'a comma then a space is punctuation', input: 'in 2022, 15 people', lang: 'en', expected: 'in 2022, 15 people' },
    { name: 'Spanish keeps the decimal comma', input: 'de 2,6 dólares', lang: 'es', expected: 'de 2,6 dólares' },
    // URLs.
    { name: 'URLs are not touched', input: 'see https://example.org/a?x=2,6&y=1 !', lang: 'en', expected: 'see https://example.org/a?x=2,6&y=1!' },
    { name: 'quotes around a URL', input: 'voir « https://example.org/a_b  »', lang: 'es', expected: 'voir «https://example.org/a_b»' },
    { name: 'www URLs are not touched', input: 'voir www.example.org/a  :', lang: 'es', expected: 'voir www.example.org/a:' },
    // Apostrophes.
    { name: 'apostrophes are kept', input: "l'OTAN et l’Ukraine", lang: 'ca', expected: "l'OTAN et l’Ukraine" },
    // Seed dates: "février 2022" / "octobre 2022".
    { name: 'seed: February 2022', input: 'in February 2022', lang: 'en', expected: 'in February 2022' },
    { name: 'seed: febrero de 2022 (RAE)', input: 'en febrero 2022 frente a', lang: 'es', expected: 'en febrero de 2022 frente a' },
    { name: 'seed: octubre de 2022', input: 'un decreto en octubre 2022 que', lang: 'es', expected: 'un decreto en octubre de 2022 que' },
    { name: 'seed: febrer de 2022', input: 'al febrer 2022 davant', lang: 'ca', expected: 'al febrer de 2022 davant' },
    { name: 'a date that has its de', input: 'el 3 de marzo de 2022', lang: 'es', expected: 'el 3 de marzo de 2022' },
    // Catalan elision before numbers read with a vowel.
    { name: 'd’1 milió', input: 'una ajuda de 1 milió', lang: 'ca', expected: "una ajuda d'1 milió" },
    { name: 'd’11', input: 'de 11.000 persones i l’OTAN', lang: 'ca', expected: 'd’11.000 persones i l’OTAN' },
    { name: 'd’1,2', input: 'de 1,2 punts', lang: 'ca', expected: "d'1,2 punts" },
    { name: '1.000 is mil: no elision', input: 'de 1.000 persones', lang: 'ca', expected: 'de 1.000 persones' },
    { name: '100 is cent: no elision', input: 'de 100 persones', lang: 'ca', expected: 'de 100 persones' },
    { name: 'seed: de 2.600 milions', input: 'una ajuda de 2.600 milions de dòlars', lang: 'ca', expected: 'una ajuda de 2.600 milions de dòlars' },
  ])('$name ($lang)', ({ input, lang, expected }) => {
    expect(localizePunctuation(input, lang)).toBe(expected);
  });
});
