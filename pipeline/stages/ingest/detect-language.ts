/**
 * Which language a paragraph is in. franc's trigram model is restricted to the languages a French
 * newsroom meets, and short texts (where trigram statistics say little) default to the source language.
 */
import { franc } from 'franc-min';

const ISO3_TO_BCP47: Record<string, string> = {
  fra: 'fr', eng: 'en', spa: 'es', cat: 'ca', deu: 'de', ita: 'it', por: 'pt', nld: 'nl', rus: 'ru', ukr: 'uk', arb: 'ar',
};
const CANDIDATES = Object.keys(ISO3_TO_BCP47);

/** Below this many letters the guess is not trusted and the source language is assumed. */
export const MIN_LETTERS_FOR_DETECTION = 25;

export function detectLanguage(text: string, assumed: string): { lang: string; confident: boolean } {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS_FOR_DETECTION) return { lang: assumed, confident: false };
  const iso3 = franc(text, { only: CANDIDATES, minLength: MIN_LETTERS_FOR_DETECTION });
  const lang = ISO3_TO_BCP47[iso3];
  return lang ? { lang, confident: true } : { lang: assumed, confident: false };
}
