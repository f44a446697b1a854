/**
 * French amounts in the SOURCE (numbers, scaled amounts, currencies, percentages) and their rendering in
 * a target language. Apertium mangles them ("2,6 milliards de dollars" → "2,6 millardos of dollars"), so
 * the translate stage swaps each amount for an opaque token before the engine and puts
 * `formatAmount(amount, lang)` back afterwards. Digits are always grouped by `Intl.NumberFormat`; the
 * only post-processing is Spanish, whose group separator Intl gets wrong (see `formatSpanishGroups`).
 * Pure functions, no I/O.
 */

import { findTimes, formatTime, type TimeOfDay } from './times.js';

export type Scale = 'thousand' | 'million' | 'billion' | 'trillion';
export type CurrencyCode = 'USD' | 'EUR' | 'GBP' | 'CHF' | 'JPY' | 'CAD' | 'AUD' | 'RUB' | 'UAH';

export interface Amount {
  /** UTF-16 offsets of the amount in the source: from the first digit to the currency/percent sign. */
  start: number;
  end: number;
  /** `source.slice(start, end)`. */
  text: string;
  /** The number as written, before the scale: "2,6 milliards" → 2.6. */
  value: number;
  /** Digits after the decimal comma in the source ("12,50 €" → 2), so the target keeps the precision. */
  decimals: number;
  /** French "milliard" = 10⁹ = 'billion'; French "billion" = 10¹² = 'trillion'. */
  scale?: Scale;
  currency?: CurrencyCode;
  /** How the source wrote the currency: a word ("dollars") or a sign ("$"). */
  currencyStyle?: 'word' | 'symbol';
  percent?: boolean;
  /**
   * The first number of a range whose scale is written once, after the second: the "2" of "de 2 à 3
   * milliards d'euros". It has the second's scale, and the target writes only its number ("de 2000 a
   * 3000 millones de euros", "2 to €3 billion").
   */
  bound?: true;
  /** A time of day ("à 14h30"), rendered by `formatTime` (times.ts); its preposition may be folded in. */
  time?: TimeOfDay;
}

/** Space characters French uses between digit groups and before units: U+0020, NBSP, NNBSP. */
const SP = '[ \\u00A0\\u202F]';
/** No-break space used in es targets between digit groups and before "%" (never split a number). */
export const NBSP = '\u00A0';

const SCALE_WORDS: ReadonlyArray<readonly [RegExp, Scale]> = [
  [/^milliards?$|^mds?$|^md$/iu, 'billion'],
  [/^millions?$|^m$/iu, 'million'],
  [/^billions?$/iu, 'trillion'],
  [/^mille$/iu, 'thousand'],
];

/** French currency words, longest first so "dollars canadiens" wins over "dollars". "dollars" alone = USD. */
const CURRENCY_WORDS: ReadonlyArray<readonly [string, CurrencyCode]> = [
  ['dollars? canadiens?', 'CAD'],
  ['dollars? australiens?', 'AUD'],
  ['dollars? (?:américains?|US|des États-Unis)', 'USD'],
  ['dollars?', 'USD'],
  ['euros?', 'EUR'],
  ['livres? sterling', 'GBP'],
  ['francs? suisses?', 'CHF'],
  ['yens?', 'JPY'],
  ['roubles?', 'RUB'],
  ['hryvnias?', 'UAH'],
];
const CURRENCY_SIGNS: Readonly<Record<string, CurrencyCode>> = { $: 'USD', '€': 'EUR', '£': 'GBP', '¥': 'JPY' };

const NUMBER_SRC = `(?<![\\p{L}\\p{N}.,])(\\d{1,3}(?:${SP}\\d{3})+|\\d+)(?:,(\\d+))?(?![\\p{N}\\p{L}]|,\\d|${SP}\\d)`;
const SCALE_SRC = `(?:${SP}+(milliards?|millions?|billions?|mille|Mds?|Md|M)(?![\\p{L}\\p{N}]))?`;
const CURRENCY_WORD_SRC = CURRENCY_WORDS.map(([w]) => w).join('|');
const TAIL_SRC =
  `(?:${SP}*(%)|${SP}+(pour${SP}cent)(?![\\p{L}])` +
  `|${SP}*([$€£¥])` +
  `|${SP}+(?:(?:de|d[’'])${SP}*)?(${CURRENCY_WORD_SRC})(?![\\p{L}]))?`;
const AMOUNT_PATTERN = new RegExp(NUMBER_SRC + SCALE_SRC + TAIL_SRC, 'gu');

/**
 * Every French amount of `frText` that the target must write its own way. Plain integers without a
 * group separator, scale, currency or percent ("2022", "15") are NOT amounts: the engine copies them
 * unchanged and every target writes them the same, and formatting a year would give "2,022".
 */
export function findAmounts(frText: string): Amount[] {
  const out: Amount[] = [];
  const times: Amount[] = findTimes(frText).map((t) => ({ start: t.start, end: t.end, text: t.text, value: t.time.hour, decimals: 0, time: t.time }));
  for (const m of frText.matchAll(AMOUNT_PATTERN)) {
    const amount = readAmount(m);
    if (!needsLocalizing(amount, m[1]!)) continue;
    const bound = amount.scale && !amount.percent ? rangeBoundBefore(frText, amount) : undefined;
    const last = out[out.length - 1];
    // "1,5" of "1,5-2,5 milliards" was found as a number of its own: it is the range's first number.
    if (bound && last && last.start === bound.start && last.end === bound.end && !last.scale && !last.currency && !last.percent) out.pop();
    if (bound && (out.length === 0 || out[out.length - 1]!.end <= bound.start)) out.push(bound);
    out.push(amount);
  }
  if (times.length === 0) return out;
  return [...out, ...times.filter((t) => !out.some((a) => t.start < a.end && t.end > a.start))].sort((a, b) => a.start - b.start);
}

/** "2 à ", "2 et ", "2-", "2,5 ou " right before a scaled amount: the range's first number. */
const RANGE_BOUND = new RegExp(`${NUMBER_SRC}${SP}*(?:à|et|ou|-|–)${SP}*$`, 'u');

function rangeBoundBefore(text: string, amount: Amount): Amount | undefined {
  const m = RANGE_BOUND.exec(text.slice(Math.max(0, amount.start - 40), amount.start));
  if (!m) return undefined;
  const start = amount.start - m[0].length;
  const number = `${m[1]!}${m[2] === undefined ? '' : `,${m[2]}`}`;
  return { start, end: start + number.length, text: number, value: Number(`${m[1]!.replace(/\D/gu, '')}.${m[2] ?? '0'}`), decimals: m[2]?.length ?? 0, scale: amount.scale!, bound: true };
}

function readAmount(m: RegExpMatchArray): Amount {
  const [whole, intPart, frac, scaleWord, pct, pourCent, sign, currencyWord] = m;
  // "M" / "Md" are only scales next to a currency ("31,7 M€"); in "2,6 M de personnes" only the number is.
  const lone = scaleWord !== undefined && /^M/u.test(scaleWord) && !sign && !currencyWord;
  const text = lone ? `${intPart}${frac === undefined ? '' : `,${frac}`}` : whole!;
  const start = m.index!;
  const a: Amount = {
    start,
    end: start + text.length,
    text,
    value: Number(`${intPart!.replace(/\D/gu, '')}.${frac ?? '0'}`),
    decimals: frac?.length ?? 0,
  };
  const scale = scaleWord && !lone ? scaleOf(scaleWord) : undefined;
  if (scale) a.scale = scale;
  if (pct || pourCent) a.percent = true;
  if (sign) Object.assign(a, { currency: CURRENCY_SIGNS[sign], currencyStyle: 'symbol' });
  if (currencyWord) Object.assign(a, { currency: currencyOf(currencyWord), currencyStyle: 'word' });
  return a;
}

function needsLocalizing(a: Amount, intPart: string): boolean {
  return a.scale !== undefined || a.currency !== undefined || a.percent === true || a.decimals > 0 || /\D/u.test(intPart);
}

function scaleOf(word: string): Scale | undefined {
  return SCALE_WORDS.find(([re]) => re.test(word))?.[1];
}

function currencyOf(word: string): CurrencyCode {
  return CURRENCY_WORDS.find(([w]) => new RegExp(`^(?:${w})$`, 'iu').test(word))![1];
}

/* ------------------------------------------------------------------ rendering */

/** Render an amount the way the target language's newsrooms write it. */
export function formatAmount(a: Amount, lang: string): string {
  const base = lang.toLowerCase().split(/[-_]/u)[0]!;
  if (a.time) return base === 'fr' ? a.text : formatTime(a.time, base, a.text);
  if (a.bound) return formatBound(a, base);
  if (a.percent) return formatPercent(a, base);
  if (base === 'en') return formatEnglish(a);
  if (base === 'es' || base === 'ca') return formatIberian(a, base);
  if (base === 'fr') return a.text;
  if (base === 'eo' || base === 'oc') return formatWithWords(a, base);
  return formatOtherLanguage(a, base);
}

/**
 * Esperanto and Occitan, from their own words: ICU has no long compact form for Occitan ("2,6G USD")
 * and gives Esperanto the singular ("3 miliono"). Scale words follow the long scale both languages use
 * (eo PMEG "miliardo", "biliono" = 10¹²; oc "miliard", "bilion"); currencies are named as the engine
 * names them, or written with the source's sign ("12,50 €").
 */
const WORDS: Readonly<Record<'eo' | 'oc', {
  scale: Readonly<Record<Exclude<Scale, 'thousand'>, readonly [string, string]>>;
  currency: Readonly<Partial<Record<CurrencyCode, readonly [string, string]>>>;
  /** Singular below this value (eo: only 1; oc, as French: below 2). */
  singularBelow: number;
  /** Between a scale word and what it counts: eo "da", oc "de" (elided before a vowel). */
  of: (word: string) => string;
}>> = {
  eo: {
    scale: { million: ['miliono', 'milionoj'], billion: ['miliardo', 'miliardoj'], trillion: ['biliono', 'bilionoj'] },
    currency: { EUR: ['eŭro', 'eŭroj'], USD: ['dolaro', 'dolaroj'], GBP: ['brita pundo', 'britaj pundoj'], CHF: ['svisa franko', 'svisaj frankoj'], JPY: ['japana eno', 'japanaj enoj'], CAD: ['kanada dolaro', 'kanadaj dolaroj'], AUD: ['aŭstralia dolaro', 'aŭstraliaj dolaroj'], RUB: ['rusa rublo', 'rusaj rubloj'], UAH: ['ukraina hrivno', 'ukrainaj hrivnoj'] },
    singularBelow: 1.000001,
    of: (word) => `da ${word}`,
  },
  oc: {
    scale: { million: ['milion', 'milions'], billion: ['miliard', 'miliards'], trillion: ['bilion', 'bilions'] },
    currency: { EUR: ['èuro', 'èuros'], USD: ['dolar', 'dolars'], GBP: ['liura esterlina', 'liuras esterlinas'], CHF: ['franc soís', 'francs soïsses'], JPY: ['ien', 'iens'], CAD: ['dolar canadian', 'dolars canadians'], AUD: ['dolar australian', 'dolars australians'], RUB: ['roble', 'robles'], UAH: ['grivna', 'grivnas'] },
    singularBelow: 2,
    of: (word) => (/^[aeiouàèéíòóúh]/iu.test(word) ? `d'${word}` : `de ${word}`),
  },
};
const SIGNS: Readonly<Partial<Record<CurrencyCode, string>>> = { EUR: '€', USD: '$', GBP: '£', JPY: '¥' };

function formatWithWords(a: Amount, lang: 'eo' | 'oc'): string {
  const up = inTrillions(a);
  if (up) return formatWithWords({ ...a, value: up.value, decimals: up.decimals, scale: 'trillion' }, lang);
  const w = WORDS[lang];
  const scaled = a.scale !== undefined && a.scale !== 'thousand';
  const value = scaled ? a.value : scaledValue(a);
  const number = formatNumber(value, lang, scaled ? a.decimals : expandedDecimals(a));
  const plural = Math.abs(value) >= w.singularBelow ? 1 : 0;
  const scaleWord = scaled ? w.scale[a.scale as Exclude<Scale, 'thousand'>][plural] : undefined;
  if (!a.currency) return scaleWord ? `${number} ${scaleWord}` : number;
  const sign = SIGNS[a.currency];
  const named = w.currency[a.currency];
  if (!scaleWord) {
    if (a.currencyStyle === 'symbol' && sign) return `${number}${NBSP}${sign}`;
    return named ? `${number} ${named[plural]}` : `${number} ${a.currency}`;
  }
  // After a scale word what is counted is plural: "2,6 miliardoj da dolaroj", "3 milions d'èuros".
  return named ? `${number} ${scaleWord} ${w.of(named[1])}` : `${number} ${scaleWord} ${a.currency}`;
}

/** A range's first number: as the target writes the number of the same amount, without scale word or currency. */
function formatBound(a: Amount, lang: string): string {
  if (lang === 'en') return englishNumber(a).number;
  if (lang === 'es' || lang === 'ca') {
    const counted = countInMillions(a);
    return formatNumber(counted.value, lang, counted.decimals);
  }
  if (lang === 'fr') return a.text;
  // eo and oc write the partner's scale word; 1 000 milliards and more are in trillions there too.
  const up = lang === 'eo' || lang === 'oc' ? inTrillions(a) : undefined;
  return formatNumber(up?.value ?? a.value, lang, up?.decimals ?? a.decimals);
}

/**
 * What follows a scale word the engine saw as a placeholder: French "3 millions d'habitants" reaches it
 * as "9900001 d'habitants", which it renders word for word — English "3 million of inhabitants" (no "of"
 * after a number of millions, unless a determiner follows: "3 million of the inhabitants"; a sum of money
 * keeps it: "$31.7 billion of weapons"), Esperanto
 * "3 milionoj de loĝantoj" (the measure takes "da").
 */
export function scaleWordGrammar(text: string, lang: string): string {
  const base = lang.toLowerCase().split(/[-_]/u)[0]!;
  if (base === 'en') {
    return text.replace(/(?<=(?<![\p{Sc}\p{N}.,])\p{N}[\p{N}.,]*[ \u00A0](?:million|billion|trillion)) of (?!(?:the|them|these|those|its|his|her|their|our|my|your|this|that|which|whom|whose|us|you)\b)(?=\p{Ll})/gu, ' ');
  }
  if (base === 'eo') return text.replace(/(?<=\p{N}[\p{N}.,\u00A0 ]*[ \u00A0](?:milionoj?|miliardoj?|bilionoj?)) de (?!la\b)(?=\p{L})/gu, ' da ');
  return text;
}

/** Languages without a newsroom rule here: Intl's long compact form ("2,6 Milliarden") and the ISO code. */
function formatOtherLanguage(a: Amount, lang: string): string {
  const number = a.scale && a.scale !== 'thousand'
    ? new Intl.NumberFormat(lang, { notation: 'compact', compactDisplay: 'long', maximumFractionDigits: a.decimals }).format(scaledValue(a))
    : formatNumber(scaledValue(a), lang, expandedDecimals(a));
  return a.currency ? `${number} ${a.currency}` : number;
}

/** Intl with exactly the source's decimals; Spanish groups fixed (below). */
function formatNumber(value: number, lang: string, decimals: number, options: Intl.NumberFormatOptions = {}): string {
  const f = new Intl.NumberFormat(lang, { minimumFractionDigits: decimals, maximumFractionDigits: decimals, ...options });
  return lang === 'es' ? formatSpanishGroups(f, value) : f.format(value);
}

/**
 * RAE Ortografía 2010 §4.2.1 and Fundéu ("separar los millares con un espacio"): groups of more than four
 * digits are separated by a space, never a point, and four-digit numbers are not split ("2600", "31 700").
 * CLDR's Spanish data already leaves four digits alone (minimumGroupingDigits 2) but uses a point, so the
 * group part Intl produces is swapped for a no-break space (the thin space Fundéu mentions, in a form every
 * font has and that never breaks a number across lines).
 */
function formatSpanishGroups(f: Intl.NumberFormat, value: number): string {
  return f
    .formatToParts(value)
    .map((p) => (p.type === 'group' ? NBSP : p.value))
    .join('');
}

/** "12,5 %" (fr, es: RAE Ortografía 2010 writes % after a space; ca: IEC OIEC likewise), "12.5%" (en). */
function formatPercent(a: Amount, lang: string): string {
  return formatNumber(scaledValue(a) / 100, lang, a.decimals, { style: 'percent' });
}

/** The amount's full value ("2,6 milliards" → 2.6e9), kept exact enough for Intl's rounding. */
function scaledValue(a: Amount): number {
  return a.scale ? shiftDecimal(a.value, SCALE_EXPONENT[a.scale]) : a.value;
}

const SCALE_EXPONENT: Readonly<Record<Scale, number>> = { thousand: 3, million: 6, billion: 9, trillion: 12 };

/** value × 10^exp without binary noise (2.6 × 1000 = 2600.0000000000005 in floating point). */
function shiftDecimal(value: number, exp: number): number {
  return Number(`${value}e${exp}`);
}

/* English: AP/Reuters style — "$2.6 billion", "€31.7 million", "1,234.5", "50,000 roubles". */

const ENGLISH_SCALE: Readonly<Record<Exclude<Scale, 'thousand'>, string>> = { million: 'million', billion: 'billion', trillion: 'trillion' };
/** Currencies English news writes with a sign before the number; the others take a word after it. */
const ENGLISH_SIGN_CURRENCIES = new Set<CurrencyCode>(['USD', 'EUR', 'GBP', 'JPY', 'CAD', 'AUD']);
const ENGLISH_CURRENCY_WORDS: Readonly<Record<CurrencyCode, [string, string]>> = {
  USD: ['dollar', 'dollars'], EUR: ['euro', 'euros'], GBP: ['pound', 'pounds'], CHF: ['Swiss franc', 'Swiss francs'],
  JPY: ['yen', 'yen'], CAD: ['Canadian dollar', 'Canadian dollars'], AUD: ['Australian dollar', 'Australian dollars'],
  RUB: ['rouble', 'roubles'], UAH: ['hryvnia', 'hryvnias'],
};

function formatEnglish(a: Amount): string {
  const { number, scaleWord } = englishNumber(a);
  const words = scaleWord ? `${number} ${scaleWord}` : number;
  if (!a.currency) return words;
  if (ENGLISH_SIGN_CURRENCIES.has(a.currency)) {
    // Unscaled money with a sign is exactly Intl's currency format ("$12.50", "€1,234").
    if (!scaleWord) return formatNumber(scaledValue(a), 'en', expandedDecimals(a), { style: 'currency', currency: a.currency });
    return currencySign(a.currency) + words;
  }
  const [one, many] = ENGLISH_CURRENCY_WORDS[a.currency];
  return `${words} ${scaledValue(a) === 1 ? one : many}`;
}

/** French "mille" has no English scale word in figures: "50 mille" → "50,000". */
function englishNumber(a: Amount): { number: string; scaleWord?: string } {
  if (!a.scale || a.scale === 'thousand') return { number: formatNumber(scaledValue(a), 'en', expandedDecimals(a)) };
  const up = inTrillions(a);
  if (up) return { number: formatNumber(up.value, 'en', up.decimals), scaleWord: ENGLISH_SCALE.trillion };
  return { number: formatNumber(a.value, 'en', a.decimals), scaleWord: ENGLISH_SCALE[a.scale] };
}

/** Decimals left once "mille" is expanded into the number ("1,5 mille" → 1500: none). */
function expandedDecimals(a: Amount): number {
  return a.scale === 'thousand' ? Math.max(0, a.decimals - 3) : a.decimals;
}

/** The sign Intl uses for a currency in English ("$", "€", "£", "¥", "CA$", "A$"). */
function currencySign(code: CurrencyCode): string {
  const parts = new Intl.NumberFormat('en', { style: 'currency', currency: code }).formatToParts(1);
  return parts.find((p) => p.type === 'currency')!.value;
}

/*
 * Spanish and Catalan: large amounts are counted in millions.
 *  - es: Fundéu/EFE write "2600 millones de dólares", not "2,6 millardos" (DPD accepts millardo, but the
 *    press does not use it) nor "2,6 mil millones" (RAE Ortografía 2010: "mil" is not a noun, so figures
 *    and "mil" are not mixed).
 *  - ca: "2.600 milions de dòlars". The Catalan style guides (ésAdir/CCMA, UB "Llibre d'estil", UdG) write
 *    figures + the noun "milions" and group digits with a point (UB: "1.130 alumnes", "2.900 bilions");
 *    "2,6 mil milions" mixes figures with "mil", which is not a noun (same rule as Spanish), and Apertium's
 *    own output "2,6 mil milions" is what we replace. CLDR Catalan already groups with a point, so Intl's
 *    output is used as is.
 */
const IBERIAN_NOUNS = {
  es: { million: ['millón', 'millones'], trillion: ['billón', 'billones'] },
  ca: { million: ['milió', 'milions'], trillion: ['bilió', 'bilions'] },
} as const;

const IBERIAN_CURRENCY_WORDS: Readonly<Record<'es' | 'ca', Readonly<Record<CurrencyCode, [string, string]>>>> = {
  es: {
    USD: ['dólar', 'dólares'], EUR: ['euro', 'euros'], GBP: ['libra esterlina', 'libras esterlinas'], CHF: ['franco suizo', 'francos suizos'],
    JPY: ['yen', 'yenes'], CAD: ['dólar canadiense', 'dólares canadienses'], AUD: ['dólar australiano', 'dólares australianos'],
    RUB: ['rublo', 'rublos'], UAH: ['grivna', 'grivnas'],
  },
  ca: {
    USD: ['dòlar', 'dòlars'], EUR: ['euro', 'euros'], GBP: ['lliura esterlina', 'lliures esterlines'], CHF: ['franc suís', 'francs suïssos'],
    JPY: ['ien', 'iens'], CAD: ['dòlar canadenc', 'dòlars canadencs'], AUD: ['dòlar australià', 'dòlars australians'],
    RUB: ['ruble', 'rubles'], UAH: ['hrívnia', 'hrívnies'],
  },
};

function formatIberian(a: Amount, lang: 'es' | 'ca'): string {
  const counted = countInMillions(a);
  const number = formatNumber(counted.value, lang, counted.decimals);
  if (!counted.noun) return attachCurrencyUnscaled(a, number, lang, counted.value);
  const [one, many] = IBERIAN_NOUNS[lang][counted.noun];
  const phrase = `${number} ${counted.value === 1 ? one : many}`;
  if (!a.currency) return phrase;
  // Nouns of quantity take "de" before what they count (DPD s.v. millón: "327 millones de habitantes").
  return `${phrase} ${ofBefore(IBERIAN_CURRENCY_WORDS[lang][a.currency][1], lang, a.text)}`;
}

/**
 * 1 000 milliards or more (a state's debt) in trillions (10¹²: en "trillion", es "billón", ca "bilió"):
 * "3 000 milliards" is "€3 trillion" and "3 billones", not "3,000 billion" and "3 000 000 millones".
 */
function inTrillions(a: Amount): { value: number; decimals: number } | undefined {
  if (a.scale !== 'billion' || Math.abs(a.value) < 1000) return undefined;
  const value = shiftDecimal(a.value, -3);
  const decimals = Math.min(a.decimals + 3, (String(value).split('.')[1] ?? '').length);
  return { value, decimals };
}

/** milliard → ×1000 millones; mille → the full number; billion (10¹²) → billones/bilions. */
function countInMillions(a: Amount): { value: number; decimals: number; noun?: 'million' | 'trillion' } {
  const up = inTrillions(a);
  if (up) return { ...up, noun: 'trillion' };
  switch (a.scale) {
    case 'billion':
      return { value: shiftDecimal(a.value, 3), decimals: Math.max(0, a.decimals - 3), noun: 'million' };
    case 'thousand':
      return { value: shiftDecimal(a.value, 3), decimals: Math.max(0, a.decimals - 3) };
    case 'million':
    case 'trillion':
      return { value: a.value, decimals: a.decimals, noun: a.scale };
    default:
      return { value: a.value, decimals: a.decimals };
  }
}

/** "12,50 dólares" for a word in the source; a sign in the source keeps a sign ("12,50 €", Intl). */
function attachCurrencyUnscaled(a: Amount, number: string, lang: 'es' | 'ca', value: number): string {
  if (!a.currency) return number;
  if (a.currencyStyle === 'symbol') {
    return formatNumber(value, lang, expandedDecimals(a), { style: 'currency', currency: a.currency });
  }
  const [one, many] = IBERIAN_CURRENCY_WORDS[lang][a.currency];
  return `${number} ${value === 1 ? one : many}`;
}

/**
 * "de dòlars" but "d’euros": Catalan elides "de" before a vowel or h (IEC GIEC §5.2). The apostrophe is the
 * one the source amount used ("d’euros" → ’, "d'euros" → '), typographic ’ by default.
 */
function ofBefore(word: string, lang: 'es' | 'ca', sourceText: string): string {
  if (lang === 'ca' && /^[aeiouàèéíïòóúüh]/iu.test(word)) return `d${sourceText.includes("'") ? "'" : '’'}${word}`;
  return `de ${word}`;
}
