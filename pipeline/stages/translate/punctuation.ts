/**
 * Target text → the target language's typographic conventions. Apertium copies the French ones: « x »
 * with inner spaces, a space before : ; ? !, decimal commas. Pure; URLs are never touched; apostrophes
 * are kept as they come (the engine and the source may use ' or ’, and we do not guess which is wanted).
 *
 * Not done on purpose: Spanish opening ¿ ¡. The engine drops them and where the question or exclamation
 * starts cannot be known reliably from the text (it need not be the sentence start), so inventing them
 * would add errors; reviewers add them.
 */

/** Spaces French puts inside guillemets and before high punctuation: U+0020, NBSP, NNBSP, thin space. */
const SPACES = '[ \\u00A0\\u202F\\u2009]';
/** Stands for a URL while the rules run: a private-use character no rule matches. */
const URL_MASK = '\uE000';
/** http(s)://… and www.…; a final . , ; : ! ? ) belongs to the sentence, not to the URL. */
const URL = /(?:https?:\/\/|www\.)[^\s<>«»"“”]*[^\s<>«»"“”.,;:!?)]/giu;

export function localizePunctuation(text: string, lang: string): string {
  const base = lang.toLowerCase().split(/[-_]/u)[0]!;
  return withUrlsMasked(text, (masked) => localizeMasked(masked, base));
}

function localizeMasked(text: string, lang: string): string {
  let out = collapseSpaces(text);
  if (lang === 'fr') return out;
  out = tightenQuotes(out);
  out = removeSpaceBeforePunctuation(out);
  out = convertQuotes(out, lang);
  if (lang === 'en') out = convertDecimalCommas(out);
  if (lang === 'es' || lang === 'ca') out = insertMonthYearPreposition(out, lang);
  if (lang === 'ca') out = elideBeforeNumbers(out);
  return out;
}

/**
 * Run `edit` on the text with every URL replaced by one private-use character (which no rule here
 * matches), then put the URLs back untouched. Quote nesting spans URLs, so the rules see the whole text.
 */
function withUrlsMasked(text: string, edit: (masked: string) => string): string {
  const urls: string[] = [];
  const masked = text.replace(URL, (url) => {
    urls.push(url);
    return URL_MASK;
  });
  let i = 0;
  return edit(masked).replace(new RegExp(URL_MASK, 'gu'), () => urls[i++] ?? URL_MASK);
}

/** Doubled spaces are a typing slip in every language; one no-break space survives if the run had one. */
function collapseSpaces(text: string): string {
  return text.replace(/[ \u00A0\u202F\u2009]{2,}/gu, (run) => (/[\u00A0\u202F]/u.test(run) ? run.match(/[\u00A0\u202F]/u)![0] : ' '));
}

/**
 * « x » → «x», “ x ” → “x”: only French puts a space inside quotation marks. RAE (Ortografía 2010 §3.4.8)
 * and IEC (OIEC 2016, "cometes") write them tight against the quoted text; so does English.
 */
function tightenQuotes(text: string): string {
  return text
    .replace(new RegExp(`([«“])${SPACES}+`, 'gu'), '$1')
    .replace(new RegExp(`${SPACES}+([»”])`, 'gu'), '$1');
}

/**
 * "oui : non ?" → "oui: non?": the space before : ; ? ! is French only (RAE, IEC and English alike).
 * "without arresting ." → "without arresting.": no language puts one before a full stop or a comma
 * that ends a word; Apertium leaves it where it drops a pronoun ("sans s'arrêter." → "without
 * arresting ."). Not before an ellipsis, ".NET" or ".5": only a . or , followed by a space, a closing
 * mark or the end.
 */
function removeSpaceBeforePunctuation(text: string): string {
  return text
    .replace(new RegExp(`(?<=\\S)${SPACES}+([:;?!])`, 'gu'), '$1')
    .replace(new RegExp(`(?<=[\\p{L}\\p{N}»”)])${SPACES}+([.,])(?=$|[\\s»”)\\]])`, 'gu'), '$1');
}

const OPENING = new Set(['«', '“']);
const CLOSING = new Set(['»', '”']);
/**
 * Quotation marks by nesting level. en: “ ” then ‘ ’ (Chicago, AP). es: « » then “ ” then ‘ ’ (RAE
 * Ortografía 2010 §3.4.8: angular quotes first). ca: « » then “ ” then ‘ ’ (IEC OIEC 2016). So an
 * outermost “x” of the source becomes «x» in es/ca and a French « x » becomes “x” in English.
 */
const LEVELS: Readonly<Record<string, ReadonlyArray<readonly [string, string]>>> = {
  en: [['“', '”'], ['‘', '’']],
  es: [['«', '»'], ['“', '”'], ['‘', '’']],
  ca: [['«', '»'], ['“', '”'], ['‘', '’']],
};

/**
 * Rewrite « » “ ” by nesting depth. A quotation of several sentences is split across segments ("«It is
 * finished." … "We leave tomorrow.»"): a segment's opening mark without its closing one, or a closing
 * mark whose opening is in an earlier segment, is taken at the outer level — news copy rarely nests
 * across sentences — rather than left French in an English bundle.
 */
function convertQuotes(text: string, lang: string): string {
  const levels = LEVELS[lang];
  if (!levels) return text;
  let depth = 0;
  let out = '';
  for (const ch of text) {
    if (OPENING.has(ch)) out += levels[Math.min(depth++, levels.length - 1)]![0];
    else if (CLOSING.has(ch)) out += levels[Math.min((depth = Math.max(0, depth - 1)), levels.length - 1)]![1];
    else out += ch;
  }
  return out;
}

/**
 * English safety net: a decimal comma the engine left ("2,6") becomes a point, only when it is clearly a
 * decimal — one or two digits after the comma, not part of a "1,234" group or a list "1,2,3". Source
 * amounts are already placeholders by now, so this only catches numbers the amount finder did not.
 */
function convertDecimalCommas(text: string): string {
  return text.replace(/(?<![\p{N}.,])(\p{Nd}+),(\p{Nd}{1,2})(?![\p{N}]|[.,]\p{Nd})/gu, '$1.$2');
}

const MONTHS: Readonly<Record<'es' | 'ca', string>> = {
  es: 'enero|febrero|marzo|abril|mayo|junio|julio|agosto|septiembre|setiembre|octubre|noviembre|diciembre',
  ca: 'gener|febrer|març|abril|maig|juny|juliol|agost|setembre|octubre|novembre|desembre',
};

/**
 * "febrero 2022" → "febrero de 2022": French "février 2022" has no preposition, Spanish and Catalan need
 * one (RAE Ortografía 2010 §8.1.2.1 "febrero de 2022"; IEC/ésAdir "febrer de 2022"). Apertium copies the
 * French order.
 */
function insertMonthYearPreposition(text: string, lang: 'es' | 'ca'): string {
  return text.replace(new RegExp(`(?<![\\p{L}])(${MONTHS[lang]})${SPACES}+(\\d{4})(?![\\p{N}])`, 'giu'), '$1 de $2');
}

/**
 * Catalan "de" is elided before a number read with an initial vowel (IEC GIEC 2016 §5.2; UB Llibre d'estil
 * "un pressupost d’1.354.700 €"): 1 (u/un), 11 (onze), 1.xxx.xxx (un milió) — not 1.000 (mil) nor 100
 * (cent). Amounts put back by relais after "de" need it ("de 1 milió" → "d’1 milió"). The apostrophe is
 * the text's own: ’ if it already uses ’, else '.
 */
function elideBeforeNumbers(text: string): string {
  const apostrophe = text.includes('’') ? '’' : "'";
  return text.replace(/(?<![\p{L}])([Dd])e (\d[\d.]*)(?=[^\d.]|\.(?!\d)|$)/gu, (whole, d: string, number: string) =>
    startsWithVowelSound(number) ? `${d}${apostrophe}${number}` : whole,
  );
}

/** Integer part "1", "11", "1.234.567", "11.000": read as "u/un…" or "onze…". */
function startsWithVowelSound(number: string): boolean {
  const digits = number.replace(/\./gu, '');
  const lead = digits.slice(0, digits.length % 3 || 3);
  const groups = Math.ceil(digits.length / 3);
  // "1" starts un, un milió, un bilió (odd group counts); with 2 or 4 groups it is "mil…", "mil milions".
  return lead === '11' || (lead === '1' && groups % 2 === 1);
}
