/**
 * Definite articles around names, per target language. Placeholders and rewrites break the grammar next
 * to a name ("the Russia", "a OTAN"); knowing the term's gender, number and whether the target language
 * uses an article with it lets these rules repair the neighbours.
 */
import type { Lang, TargetForm } from '../../artifacts.js';

export interface ArticleInfo {
  gender?: 'm' | 'f';
  number?: 'sg' | 'pl';
}

/** The definite article to put before `form` in `lang`, or '' when the language has none to add. */
export function definiteArticle(lang: Lang, form: string, info: ArticleInfo): string {
  const pl = info.number === 'pl';
  const f = info.gender === 'f';
  const base = lang.split('-')[0];
  if (base === 'en') return 'the ';
  if (base === 'es') return pl ? (f ? 'las ' : 'los ') : f ? 'la ' : 'el ';
  if (base === 'ca') {
    if (pl) return f ? 'les ' : 'els ';
    return elidesInCatalan(form) ? 'l’' : f ? 'la ' : 'el ';
  }
  return '';
}

/**
 * Catalan elides el/la → l’ and de → d’ before a vowel or a mute h ("l’OTAN", "d’Ucraïna", "d’Antony
 * Blinken"). The exceptions (la una, la ira, de iode…) do not apply to the names relais puts in.
 */
export function elidesInCatalan(word: string): boolean {
  return /^[aeiouàèéíòóúh]/iu.test(word);
}

/**
 * Spanish and Catalan fuse a preposition with the masculine article: a el → al, de el → del, per els → pels.
 * The preposition must be a word of its own: `\b` only knows ASCII letters, so it would take the end of
 * "España" or "llegaría" for the word "a" ("España el viernes" → "Españal viernes").
 */
export function contractArticles(text: string, lang: Lang): string {
  const base = lang.split('-')[0];
  if (base === 'es') return text.replace(/(?<![\p{L}\p{N}\p{M}])([Aa]|[Dd]e) el (?=\p{L})/gu, (_, p: string) => `${p}l `);
  if (base === 'ca') {
    return text.replace(/(?<![\p{L}\p{N}\p{M}])([Aa]|[Dd]e|[Pp]er) (el|els) (?=\p{L})/gu, (_, p: string, art: string) => {
      // a el → al; de el → del and per el → pel (the first letter, then "el").
      const fused = p.toLowerCase() === 'a' ? `${p}l` : `${p[0]}el`;
      return `${fused}${art === 'els' ? 's' : ''} `;
    });
  }
  return text;
}

/**
 * Does `lang` use a definite article with this name here? Explicit glossary value first, then defaults.
 * `article: true` gives the name its article where the French gave it one: a name the French writes bare
 * — in parentheses after its spelled-out form ("(OTAN)"), in an absolute phrase ("OTAN en tête"), in a
 * heading — stays bare ("(OTAN)", not "(la OTAN)").
 */
export function takesArticle(lang: Lang, target: TargetForm | undefined, kind: string, frenchHadArticle: boolean): boolean {
  if (target?.article !== undefined) return target.article && frenchHadArticle;
  // English news style: no article with country, city, person and acronym organisation names.
  if (lang.split('-')[0] === 'en') return kind === 'other' && frenchHadArticle;
  // Romance targets follow the French usage when the glossary says nothing.
  return frenchHadArticle;
}

const EN_DETERMINERS = /(?:^|[^\p{L}])(the|a|an|this|that|these|those|its|his|her|their|our|your|my|whose)\s+$/iu;

/** An article, then one lowercase word, at the end of the text before a name ("the powerful ", "Los potentes "). */
const ARTICLE_AND_WORD: Readonly<Record<string, RegExp>> = {
  en: /(?:^|[^\p{L}])(?:the|a|an)\s+(\p{Ll}[\p{L}\p{M}-]*)\s+$/iu,
  es: /(?:^|[^\p{L}])(?:el|la|los|las|un|una|unos|unas)\s+(\p{Ll}[\p{L}\p{M}-]*)\s+$/iu,
  ca: /(?:^|[^\p{L}])(?:(?:el|la|els|les|un|una|uns|unes)\s+|l['’])(\p{Ll}[\p{L}\p{M}·-]*)\s+$/iu,
};
/** English adjectives of nationality, capitalised: Russian, American, European, Chinese, British, Arabic, Israeli. */
const EN_NATIONALITY = /^\p{Lu}\p{Ll}+(?:an|ese|ish|ic|i)$/u;
/** Words that do not stand between an article and its noun (prepositions, conjunctions, verbs, pronouns). */
const NOT_IN_NOUN_PHRASE: Readonly<Record<string, ReadonlySet<string>>> = {
  en: new Set('of to in with by for from on at and or but than as into about against between is are was were has have had be been will would that which who not after before over under through during without within while if when'.split(' ')),
  es: new Set('de a en con por para y e o u que contra entre sobre sin hacia desde hasta es son fue ha han no como tras ante bajo se le lo'.split(' ')),
  ca: new Set('de a en amb per i o que contra entre sobre sense cap des fins és són ha han va van no com davant sota es se li ho'.split(' ')),
};

/** The text before a name without the opening quotation mark it may end with: in `la «Federació»` the article is the name's. */
function outsideQuote(before: string): string {
  return before.replace(/[«“"‘][ \u00A0\u202F]*$/u, '');
}

/** Does the text before a name end with a determiner of its own ("la ", "the ", "els «")? */
export function hasDeterminerBefore(before: string, lang: Lang): boolean {
  const base = lang.split('-')[0]!;
  const re = base === 'en' ? EN_DETERMINERS : ROMANCE_DETERMINERS[base];
  return re !== undefined && re.test(outsideQuote(before));
}

/**
 * Has the name at the end of `before` its determiner already, with one word between: "the powerful
 * United States", "Los potentes Estados Unidos", "la nova Federació de Rússia"? Then adding the
 * name's own article would give "the powerful the United States". One word only: after an article
 * it cannot be a verb ("the government supports" has two).
 */
export function determinedBefore(before: string, lang: Lang): boolean {
  const base = lang.split('-')[0]!;
  const m = ARTICLE_AND_WORD[base]?.exec(outsideQuote(before));
  if (m === null || m === undefined) return false;
  const word = m[1]!;
  // A lowercase word (the expression is case-insensitive for the article), or in English an adjective of
  // nationality ("the Russian West"); "the Kremlin" is no adjective.
  const adjective = word === word.toLowerCase() || (base === 'en' && EN_NATIONALITY.test(word));
  return adjective && !NOT_IN_NOUN_PHRASE[base]!.has(word);
}

/** English: make the article before each occurrence of `form` agree with `article`. */
export function fixEnglishArticle(text: string, form: string, article: boolean, source = ''): string {
  const esc = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (!article) {
    // "the NATO", "The Russia" → "NATO", "Russia" (capitalised again if it started the sentence). Not
    // when the name opens a hyphenated compound: in "the Moscow-Kyiv talks" the article is the talks'.
    return text.replace(new RegExp(`(^|[^\\p{L}])([Tt]he) (${esc})(?![\\p{L}\\p{N}]|-\\p{L})`, 'gu'), (_m, pre: string, _the, f: string) => `${pre}${f}`);
  }
  // A name after a hyphen ends a compound ("Russia-United States talks"): no article goes inside it.
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}-])${esc}(?![\\p{L}\\p{N}])`, 'gu'), (match, offset: number) => {
    // The start of another name the French holds as written ("West Point", copied by the engine) takes none.
    const longer = /^(?:[ \u00A0]\p{Lu}[\p{L}\p{N}-]*)+/u.exec(text.slice(offset + match.length));
    if (longer && source.includes(match + longer[0])) return match;
    const before = text.slice(0, offset);
    if (hasDeterminerBefore(before, 'en') || determinedBefore(before, 'en')) return match;
    const sentenceStart = /(^|[.!?]["”’»]?\s+)$/u.test(before) || before.trim() === '';
    return `${sentenceStart ? 'The' : 'the'} ${match}`;
  });
}

/** Words after which a Spanish or Catalan name needs no article of its own. */
const ROMANCE_DETERMINERS: Readonly<Record<string, RegExp>> = {
  es: /(?:^|[^\p{L}])(el|la|los|las|lo|del|al|un|una|unos|unas|su|sus|este|esta|estos|estas|ese|esa|esos|esas|aquel|aquella|nuestro|nuestra|cuyo|cuya|toda|todo)\s+$/iu,
  // Case-insensitive like the Spanish one: "Els Estats Units" at the start of a sentence has its article.
  ca: /(?:^|[^\p{L}])(?:(el|la|els|les|del|al|pel|dels|als|pels|un|una|uns|unes|seu|seva|seus|seves|aquest|aquesta|aquests|aquestes|aquell|aquella|tot|tota)\s+|[lL]['’])$/iu,
};

/**
 * Spanish and Catalan: Apertium sometimes drops the article the French had ("la Fédération de Russie"
 * → "Federación Rusa"). Put the glossary form's definite article back before each occurrence that has
 * no determiner; `contractArticles` then fuses "de el" → "del".
 */
export function restoreRomanceArticle(text: string, form: string, lang: Lang, info: ArticleInfo, source = ''): string {
  const base = lang.split('-')[0]!;
  const determiners = ROMANCE_DETERMINERS[base];
  if (!determiners) return text;
  const esc = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  // After a hyphen the name is part of a compound ("la cumbre Rusia-OTAN", "anti-OTAN"): no article there.
  return text.replace(new RegExp(`(?<![\\p{L}\\p{N}-])${esc}(?![\\p{L}\\p{N}])`, 'gu'), (match, offset: number) => {
    // The start of another name the French holds as written ("West Point", copied by the engine) takes none.
    const longer = /^(?:[ \u00A0]\p{Lu}[\p{L}\p{N}-]*)+/u.exec(text.slice(offset + match.length));
    if (longer && source.includes(match + longer[0])) return match;
    const before = text.slice(0, offset);
    if (determiners.test(outsideQuote(before)) || determinedBefore(before, lang)) return match;
    const article = definiteArticle(lang, form, info);
    // Not after a colon: Spanish and Catalan go on in lowercase there (RAE Ortografía 2010 §3.4.4; IEC).
    const sentenceStart = before.trim() === '' || /[.!?]["”»’]?\s+$/u.test(before);
    return (sentenceStart ? article[0]!.toUpperCase() + article.slice(1) : article) + match;
  });
}

/**
 * Spanish and Catalan: `before` (the text before a name) without the definite article it ends with.
 * A contraction gives its preposition back ("del " → "de ", "als " → "a ", "pel " → "per "), and
 * Catalan "de" elides before a vowel ("d’Occident"). Unchanged when it ends with no article.
 */
export function withoutArticleBefore(before: string, name: string, lang: Lang): string {
  const base = lang.split('-')[0]!;
  const m = base === 'es'
    ? /(?<![\p{L}\p{N}\p{M}])(?:([Dd]el|[Aa]l)|[Ee]l|[Ll]as?|[Ll]os) $/u.exec(before)
    : base === 'ca'
      ? /(?<![\p{L}\p{N}\p{M}])(?:([Dd]els?|[Aa]ls?|[Pp]els?) |(?:[Ee]ls?|[Ll]as?|[Ll]es) |[Ll]['’])$/u.exec(before)
      : null;
  if (!m) return before;
  let rest = before.slice(0, m.index);
  const contraction = m[1];
  if (contraction) {
    const lower = contraction.toLowerCase();
    const p = lower.startsWith('d') ? 'de' : lower.startsWith('p') ? 'per' : 'a';
    rest += (contraction[0] === contraction[0]!.toUpperCase() ? p[0]!.toUpperCase() + p.slice(1) : p) + ' ';
  }
  const de = base === 'ca' && elidesInCatalan(name) ? /(?<![\p{L}\p{N}\p{M}])([Dd])e $/u.exec(rest) : null;
  return de ? `${rest.slice(0, de.index)}${de[1]}${apostropheOf(before)}` : rest;
}

/** Words after a name that show it is not modified ("por el Occidente y", "Rusia dice que"), per language. */
const NOT_A_MODIFIER: Readonly<Record<string, string>> = {
  es: 'y|e|o|u|ni|que|pero|en|con|por|para|a|al|se|no|ya|también|ha|han|había|es|son|fue|era|está|están',
  ca: 'i|o|ni|que|però|en|a|amb|per|al|als|es|se|no|ja|també|ha|han|havia|és|són|era|està|estan|va|van',
};

/**
 * Spanish and Catalan, for a name the glossary says never takes an article (`article: false`): take
 * away the definite article the engine put before it ("apadrinado por el Occidente." → "por
 * Occidente."). Not when something after the name modifies it: "la Ucrania vecina", "la Rusia de
 * Putin" need their article.
 */
export function dropRomanceArticle(text: string, form: string, lang: Lang, info: ArticleInfo = {}): string {
  const base = lang.split('-')[0]!;
  const after = NOT_A_MODIFIER[base];
  if (!after) return text;
  const esc = form.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const occurrence = new RegExp(`(?<![\\p{L}\\p{N}\\p{M}-])${esc}(?![\\p{L}\\p{N}\\p{M}])`, 'gu');
  const unmodified = new RegExp(`^(?:[^\\p{L}\\p{N}\\s-]|\\s*$|\\s+(?:${after})(?![\\p{L}\\p{N}]))`, 'u');
  // An article of another gender or number is not the name's at all ("El Rusia dicho" from "La Russie
  // dit"): it goes whatever follows.
  const own = info.gender === undefined && info.number === undefined ? undefined : definiteArticle(lang, form, info).trim().toLowerCase();
  let out = '';
  let at = 0;
  for (const m of text.matchAll(occurrence)) {
    const before = text.slice(at, m.index);
    const article = /(?<![\p{L}\p{N}\p{M}])(el|la|los|las|els|les) $/iu.exec(before)?.[1]?.toLowerCase();
    const foreign = own !== undefined && article !== undefined && !own.endsWith('’') && article !== own;
    const drop = foreign || unmodified.test(text.slice(m.index + m[0].length));
    out += (drop ? withoutArticleBefore(before, form, lang) : before) + m[0];
    at = m.index + m[0].length;
  }
  return out + text.slice(at);
}

/**
 * The apostrophe a text elides with: the typographic ’ when it already uses it between two letters,
 * else the ASCII ' when it uses that, else ’. Catalan from Apertium elides with ', so what relais puts
 * in follows it ("l'enviat d'Antony Blinken", not "l'enviat d’Antony Blinken").
 */
export function apostropheOf(text: string): string {
  if (/\p{L}’\p{L}/u.test(text)) return '’';
  return /\p{L}'\p{L}/u.test(text) ? "'" : '’';
}

/**
 * Function words that Apertium's case copying capitalises after a sentence-initial unknown word
 * ("Blinken Has", "Blinken And Biden"). Not "May": in "Theresa May has" or "in May last year" it is a
 * name, and the auxiliary rarely comes out of the es→en pass.
 */
const EN_MIDSENTENCE_LOWER = /(?<=[\p{L}\p{N},] )(?:(Has|Have|Had|Is|Are|Was|Were|Will|Would|Can|Could|Should|Might|Must|Does|Did|Do)(?= \p{Ll})|(And|Or|But)(?= \p{L}))/gu;

/**
 * English case artefacts of the es→en pass: an all-caps article where the Spanish had a capitalised one
 * ("AN American" from "Una … estadounidense"), and auxiliaries capitalised in mid-sentence.
 */
export function fixEnglishCase(text: string): string {
  return text
    .replace(/(^|[.!?]["”’»]?\s+|["“‘«]\s?)(AN|THE)(?= \p{Lu}\p{Ll})/gu, (_m, pre: string, w: string) => pre + w[0] + w.slice(1).toLowerCase())
    .replace(EN_MIDSENTENCE_LOWER, (w) => w.toLowerCase());
}

/** Days then months, in the same order in every language (French first: what the source wrote). */
const CALENDAR: Readonly<Record<'fr' | 'es' | 'ca', readonly string[]>> = {
  fr: ['Lundi', 'Mardi', 'Mercredi', 'Jeudi', 'Vendredi', 'Samedi', 'Dimanche', 'Janvier', 'Février', 'Mars', 'Avril', 'Mai', 'Juin', 'Juillet', 'Août', 'Septembre', 'Octobre', 'Novembre', 'Décembre'],
  es: ['Lunes', 'Martes', 'Miércoles', 'Jueves', 'Viernes', 'Sábado', 'Domingo', 'Enero', 'Febrero', 'Marzo', 'Abril', 'Mayo', 'Junio', 'Julio', 'Agosto', 'Septiembre', 'Octubre', 'Noviembre', 'Diciembre'],
  ca: ['Dilluns', 'Dimarts', 'Dimecres', 'Dijous', 'Divendres', 'Dissabte', 'Diumenge', 'Gener', 'Febrer', 'Març', 'Abril', 'Maig', 'Juny', 'Juliol', 'Agost', 'Setembre', 'Octubre', 'Novembre', 'Desembre'],
};
const midSentence = (words: readonly string[]) => new RegExp(`(?<=[\\p{L}\\p{N},] )(${words.join('|')})(?![\\p{L}]| \\p{Lu})`, 'gu');
const ROMANCE_CALENDAR: Readonly<Record<string, RegExp>> = { es: midSentence(CALENDAR.es), ca: midSentence(CALENDAR.ca) };
const FRENCH_CALENDAR = midSentence(CALENDAR.fr);

/**
 * Spanish and Catalan write days and months in lowercase; Apertium capitalises some ("Alemania Viernes").
 * A calendar word followed by a capitalised word is a name ("el exministro Julio Borges", "Domingo
 * Cavallo", "Viernes Santo") and keeps its capital; so does one the French capitalised mid-sentence,
 * where French writes them lowercase too: a name ("Mai 68", "le Jeudi noir", Robinson's "Vendredi").
 */
export function fixRomanceCase(text: string, lang: Lang, source = ''): string {
  const base = lang.split('-')[0]! as 'es' | 'ca';
  const re = ROMANCE_CALENDAR[base];
  if (!re) return text;
  const named = new Set([...source.matchAll(FRENCH_CALENDAR)].map((m) => CALENDAR[base][CALENDAR.fr.indexOf(m[1]!)]!));
  return text.replace(re, (w) => (named.has(w) ? w : w.toLowerCase()));
}
