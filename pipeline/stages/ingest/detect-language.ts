/**
 * Which language a paragraph is in. franc's trigram model is restricted to the languages a French
 * newsroom meets, and short texts (where trigram statistics say little) default to the source language.
 *
 * Before franc, the paragraph's function words are counted against short lists for the Latin-script
 * candidates: when the source language's words clearly dominate (at least 3, and twice as many as any
 * other language's), the paragraph is in the source language and franc is not asked. On sentences
 * franc's trigrams get wrong ("Ta mère va bien, elle est chez l'oncle Baptiste." came out Dutch, and
 * was then left untranslated), this is right; and it spares franc's ~0.45 s per MB on 48 % of the
 * paragraphs of wikinews-1000 and 70 % of the 1 MB bench corpus (19th-century novels). Measured on 4,690 French paragraphs (the 1 MB bench corpus, wikinews-1000,
 * the seed) and 24,131 Apertium sentences in es, ca and en: French called foreign 37 → 25, foreign
 * called French 2,257 → 2,259 (franc's own confusion of short Spanish sentences; the 2 more are
 * machine Spanish/Catalan with French words left in). Counting only the other languages' words that
 * French does not share would spare franc on 97 %, but then called 1,041 more foreign sentences French.
 */
import { franc } from 'franc-min';

const ISO3_TO_BCP47: Record<string, string> = {
  fra: 'fr', eng: 'en', spa: 'es', cat: 'ca', deu: 'de', ita: 'it', por: 'pt', nld: 'nl', rus: 'ru', ukr: 'uk', arb: 'ar',
};
const CANDIDATES = Object.keys(ISO3_TO_BCP47);

/** Below this many letters the guess is not trusted and the source language is assumed. */
export const MIN_LETTERS_FOR_DETECTION = 25;

/**
 * Frequent function words of each Latin-script candidate (lowercase; elided forms without their
 * apostrophe: `qu'il` counts `qu`). A word in several lists counts for each.
 */
const FUNCTION_WORDS: Readonly<Record<string, string>> = {
  fr: 'le la les de des du un une et est à en que qui il elle ils elles pas ne se sur pour dans par au aux avec ce cette ces cet son sa ses on nous vous je tu mais ou où sont été était avait plus lui leur leurs y a ont qu c j l d n s m t mon ma mes ton ta tes notre nos votre vos très sans sous chez même comme aussi alors donc puis',
  es: 'el la los las de del un una unos unas y es en que se no por con para su sus al lo como más pero sí ya muy fue era está han ha le les me mi mis tu tus yo él ella ellos hacia bajo sin sobre entre cuando hay había este esta esto eso todo nos te',
  ca: 'el la els les de del dels un una uns unes i és en que es no per amb a al als com més però seu seva seus seves va van ha han hi ho li ja l d n s m t em et ens us vos aquest aquesta aquell sense sobre entre quan tot molt',
  it: 'il lo la i gli le di del della dei delle un una uno e è in che non per con su da al alla come più ma sono era ha hanno si anche questo questa quello l d c mi ti ci vi suo sua tutto molto',
  pt: 'o a os as de do da dos das um uma e é em no na nos nas que não por com para se ao aos como mais mas foi era tem seu sua seus suas ele ela eles muito isso este esta pelo pela',
  en: 'the of and to in is that it for was on with as by at he she they be this are from his her have had not but which we you i my our an or were been their there what would',
  de: 'der die das und ist in zu den von mit sich des dem nicht ein eine auf für im es auch als an er sie wie wir ich du aber noch nach bei aus wird hat sind war',
  nl: 'de het een en van in is dat op te zijn voor met die niet aan er om ook als bij hij zij maar ik je we wat naar dan nog wel',
};

/** Each function word → the languages whose list has it. */
const LANGUAGES_OF_WORD = new Map<string, string[]>();
for (const [lang, words] of Object.entries(FUNCTION_WORDS)) {
  for (const w of words.split(' ')) LANGUAGES_OF_WORD.set(w, [...(LANGUAGES_OF_WORD.get(w) ?? []), lang]);
}

export function detectLanguage(text: string, assumed: string): { lang: string; confident: boolean } {
  const letters = text.match(/\p{L}/gu)?.length ?? 0;
  if (letters < MIN_LETTERS_FOR_DETECTION) return { lang: assumed, confident: false };
  // Names only ("Kiev, Moscou, Berlin, Washington.", "Vladimir Poutine, Olaf Scholz."): every word
  // capitalized, so nothing to tell a language by — franc called such lines Dutch or German. (A heading
  // in capitals, "LA DISCUSIÓN DEL PRESUPUESTO", is not names: franc decides.)
  if ((text.match(/\p{L}+/gu) ?? []).every((w) => /^\p{Lu}\p{Ll}/u.test(w))) return { lang: assumed, confident: false };
  if (functionWordsSay(text, assumed)) return { lang: assumed, confident: true };
  const iso3 = franc(text, { only: CANDIDATES, minLength: MIN_LETTERS_FOR_DETECTION });
  const lang = ISO3_TO_BCP47[iso3];
  return lang ? { lang, confident: true } : { lang: assumed, confident: false };
}

/** The function words of `lang` are at least 3 and at least twice those of any other candidate. */
export function functionWordsSay(text: string, lang: string): boolean {
  if (FUNCTION_WORDS[lang] === undefined) return false;
  const counts = new Map<string, number>();
  for (const word of text.toLowerCase().match(/\p{L}+/gu) ?? []) {
    for (const l of LANGUAGES_OF_WORD.get(word) ?? []) counts.set(l, (counts.get(l) ?? 0) + 1);
  }
  const mine = counts.get(lang) ?? 0;
  let other = 0;
  for (const [l, n] of counts) if (l !== lang) other = Math.max(other, n);
  return mine >= 3 && mine >= 2 * other;
}

/**
 * The text outside its quotations (« … », “ … ”, " … "), or '' when nothing with a letter is left: a
 * French sentence quoting English ("Il a déclaré en anglais : « We will never give up. »") is French.
 */
export function outsideQuotations(text: string): string {
  const outside = text.replace(/«[^«»]*»|“[^“”]*”|"[^"]*"/gu, ' ');
  return /\p{L}/u.test(outside) ? outside : '';
}
