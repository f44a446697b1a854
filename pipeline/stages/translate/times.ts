/**
 * Times of day in the French SOURCE ("à 14h30", "vers 9 h", "jusqu'à 18 h 15") and how each target writes
 * them. Apertium has no rule for them: "à 14h30" came out "to the 14*h30" in English, "a 14*h30" in
 * Catalan and "je la9a" in Esperanto. The translate stage hands them to the engine as amount tokens (a
 * number keeps the grammar around it) and puts `formatTime` back; a preposition of time right before
 * (à, vers, dès, jusqu'à) goes with the time, because the target's depends on it ("at 2:30 p.m.",
 * "a las 14:30", "a les 14.30 h"). Pure functions, no I/O.
 */

/**
 * The French words folded into a time: a preposition of time, or the words of a range ("de 9 h à
 * 17 h", "entre 9 h et 11 h"), whose second time takes the range's second word.
 */
export type TimePreposition = 'à' | 'vers' | 'dès' | 'jusqu’à' | 'de' | 'à (range)' | 'entre' | 'et (range)';

export interface TimeOfDay {
  hour: number;
  /** Written in the source ("14h30"); absent for "9h". */
  minute?: number;
  /** Folded into the token: the target writes its own. */
  preposition?: TimePreposition;
  /** The preposition began with a capital (sentence start: "À 9h, …"). */
  capital?: boolean;
}

export interface FoundTime {
  /** UTF-16 offsets in the source, the folded preposition included. */
  start: number;
  end: number;
  text: string;
  time: TimeOfDay;
}

const SP = '[ \\u00A0\\u202F]';
/** "14h30", "14 h 30", "9h", "9 h" (the typographic French forms); never inside a word or a number. */
const TIME = new RegExp(`(?<![\\p{L}\\p{N},.:/])([01]?\\d|2[0-3])${SP}?h(?:${SP}?([0-5]\\d))?(?![\\p{L}\\p{N}])`, 'gu');
/** Folded into the time: the target's preposition of time depends on it. */
const FOLDED = new RegExp(`(?<![\\p{L}])(à|À|vers|Vers|dès|Dès|jusqu[’']à|Jusqu[’']à)${SP}+$`, 'u');
/** Other words after which "9 h" is a time, not a duration ("de 9 h à 17 h", "entre 9 h et 11 h", "avant 8 h"). */
const TIME_CONTEXT = new RegExp(`(?<![\\p{L}])(?:de|d[’']|entre|et|avant|après|depuis|partir de)${SP}+$`, 'iu');
/** After these, "2 h 30" is a duration ("en 2 h 30", "pendant 3 h"): left to the engine. */
const DURATION_CONTEXT = new RegExp(`(?<![\\p{L}])(?:en|pendant|durant|plus de|moins de|les|des|environ|quelque|toutes les|sur)${SP}+$`, 'iu');
/** The first word of a range of times, right before its first time. */
const RANGE_OPENING = new RegExp(`(?<![\\p{L}])(de|De|d’|d'|D’|D'|entre|Entre)${SP}*$`, 'u');
/** Between the two times of a range: nothing but its second word. */
const RANGE_JOINT = new RegExp(`^${SP}+(à|et)${SP}+$`, 'u');

/** Every time of day in `frText`, in order. */
export function findTimes(frText: string): FoundTime[] {
  const found = [...frText.matchAll(TIME)].map((m) => {
    const start = m.index;
    const before = frText.slice(Math.max(0, start - 30), start);
    const time: TimeOfDay = { hour: Number(m[1]) };
    if (m[2] !== undefined) time.minute = Number(m[2]);
    return { m, start, end: start + m[0].length, before, time };
  });
  const out: FoundTime[] = [];
  for (let i = 0; i < found.length; i++) {
    const { m, start, end, before, time } = found[i]!;
    const next = found[i + 1];
    // "de 9 h à 17 h", "entre 9 h et 11 h": both times, and the words of the range go with them.
    const opening = RANGE_OPENING.exec(before);
    const joint = next ? RANGE_JOINT.exec(frText.slice(end, next.start)) : null;
    if (opening && joint && next && /^(?:de|d’|d')$/iu.test(opening[1]!) === /^à$/iu.test(joint[1]!)) {
      const isDe = /^d/iu.test(opening[1]!);
      const first: TimeOfDay = { ...time, preposition: isDe ? 'de' : 'entre', ...(/^\p{Lu}/u.test(opening[1]!) ? { capital: true } : {}) };
      const second: TimeOfDay = { ...next.time, preposition: isDe ? 'à (range)' : 'et (range)' };
      const from = start - opening[0].length;
      out.push({ start: from, end, text: frText.slice(from, end), time: first });
      const secondFrom = end + joint[0].indexOf(joint[1]!);
      out.push({ start: secondFrom, end: next.end, text: frText.slice(secondFrom, next.end), time: second });
      i++;
      continue;
    }
    const folded = FOLDED.exec(before);
    const isTime = folded !== null || TIME_CONTEXT.test(before) || (m[2] !== undefined && !DURATION_CONTEXT.test(before));
    if (!isTime) continue;
    let from = start;
    if (folded) {
      time.preposition = folded[1]!.toLowerCase().replace("'", '’') as TimePreposition;
      if (/^\p{Lu}/u.test(folded[1]!)) time.capital = true;
      from = start - folded[0].length;
    }
    out.push({ start: from, end, text: frText.slice(from, end), time });
  }
  return out;
}

const pad = (n: number) => String(n).padStart(2, '0');

type Words = Readonly<Record<TimePreposition, string | readonly [one: string, other: string]>>;

/**
 * Per language: the clock time, and the words before it for each folded French word (a pair where the
 * article agrees with the hour: es "a la 1:15", "a las 14:30").
 */
const STYLES: Readonly<Record<string, { clock: (t: TimeOfDay) => string; words: Words }>> = {
  // AP style: "2:30 p.m.", "9 a.m.", "noon", "midnight".
  en: {
    clock: (t) => {
      if (!t.minute && t.hour === 12) return 'noon';
      if (!t.minute && t.hour === 0) return 'midnight';
      return `${t.hour % 12 || 12}${t.minute ? `:${pad(t.minute)}` : ''} ${t.hour < 12 ? 'a.m.' : 'p.m.'}`;
    },
    words: { à: 'at', vers: 'around', dès: 'from', 'jusqu’à': 'until', de: 'from', 'à (range)': 'to', entre: 'between', 'et (range)': 'and' },
  },
  // Fundéu: "a las 14:30", "a la 1:15", "de las 9:00 a las 17:00".
  es: {
    clock: (t) => `${t.hour}:${pad(t.minute ?? 0)}`,
    words: { à: ['a la', 'a las'], vers: ['hacia la', 'hacia las'], dès: ['desde la', 'desde las'], 'jusqu’à': ['hasta la', 'hasta las'], de: ['de la', 'de las'], 'à (range)': ['a la', 'a las'], entre: ['entre la', 'entre las'], 'et (range)': ['y la', 'y las'] },
  },
  // ésAdir: "a les 14.30 h", "a la 1.15 h".
  ca: {
    clock: (t) => `${t.hour}.${pad(t.minute ?? 0)} h`,
    words: { à: ['a la', 'a les'], vers: ['cap a la', 'cap a les'], dès: ['des de la', 'des de les'], 'jusqu’à': ['fins a la', 'fins a les'], de: ['de la', 'de les'], 'à (range)': ['a la', 'a les'], entre: ['entre la', 'entre les'], 'et (range)': ['i la', 'i les'] },
  },
  eo: {
    clock: (t) => `${t.hour}:${pad(t.minute ?? 0)}`,
    words: { à: 'je la', vers: 'ĉirkaŭ la', dès: 'ekde la', 'jusqu’à': 'ĝis la', de: 'de la', 'à (range)': 'ĝis la', entre: 'inter la', 'et (range)': 'kaj la' },
  },
  // Occitan keeps the French typography.
  oc: {
    clock: (t) => `${t.hour}\u00A0h${t.minute === undefined ? '' : `\u00A0${pad(t.minute)}`}`,
    words: { à: 'a', vers: 'cap a', dès: 'dempuèi', 'jusqu’à': 'fins a', de: 'de', 'à (range)': 'a', entre: 'entre', 'et (range)': 'e' },
  },
  pt: {
    clock: (t) => `${t.hour}h${t.minute === undefined ? '' : pad(t.minute)}`,
    words: { à: ['à', 'às'], vers: ['por volta da', 'por volta das'], dès: ['a partir da', 'a partir das'], 'jusqu’à': ['até à', 'até às'], de: ['da', 'das'], 'à (range)': ['à', 'às'], entre: ['entre a', 'entre as'], 'et (range)': ['e a', 'e as'] },
  },
  it: {
    clock: (t) => `${t.hour}:${pad(t.minute ?? 0)}`,
    words: { à: ['all’', 'alle'], vers: ['verso l’', 'verso le'], dès: ['dall’', 'dalle'], 'jusqu’à': ['fino all’', 'fino alle'], de: ['dall’', 'dalle'], 'à (range)': ['all’', 'alle'], entre: ['tra l’', 'tra le'], 'et (range)': ['e l’', 'e le'] },
  },
  de: {
    clock: (t) => `${t.hour}:${pad(t.minute ?? 0)} Uhr`,
    words: { à: 'um', vers: 'gegen', dès: 'ab', 'jusqu’à': 'bis', de: 'von', 'à (range)': 'bis', entre: 'zwischen', 'et (range)': 'und' },
  },
  nl: {
    clock: (t) => `${t.hour}.${pad(t.minute ?? 0)} uur`,
    words: { à: 'om', vers: 'rond', dès: 'vanaf', 'jusqu’à': 'tot', de: 'van', 'à (range)': 'tot', entre: 'tussen', 'et (range)': 'en' },
  },
};

/** The time as the target language writes it, with its preposition when the source's was folded in. */
export function formatTime(t: TimeOfDay, lang: string, sourceText: string): string {
  const style = STYLES[lang.toLowerCase().split(/[-_]/u)[0]!];
  if (!style) return sourceText;
  const clock = style.clock(t);
  if (!t.preposition) return clock;
  const w = style.words[t.preposition];
  const before = typeof w === 'string' ? w : w[t.hour === 1 ? 0 : 1];
  const text = before.endsWith('’') ? `${before}${clock}` : `${before} ${clock}`;
  return t.capital ? text[0]!.toUpperCase() + text.slice(1) : text;
}

/**
 * Where a text writes times of day, for QA: their spans (so that "14h30" is not read as the number 14)
 * and their value in minutes after midnight. French in the source; the forms `formatTime` writes (and the
 * common ones) in a target.
 */
export function timeSpans(text: string, lang: string): Array<{ start: number; end: number; minutes: number }> {
  const base = lang.toLowerCase().split(/[-_]/u)[0]!;
  const out: Array<{ start: number; end: number; minutes: number }> = [];
  const add = (start: number, end: number, hour: number, minute: number) => {
    if (hour > 24 || minute > 59) return;
    if (!out.some((o) => start < o.end && end > o.start)) out.push({ start, end, minutes: hour * 60 + minute });
  };
  // French: the times the translate stage takes for times (not "pendant 3 h", a duration).
  if (base === 'fr') for (const t of findTimes(text)) add(t.start, t.end, t.time.hour, t.time.minute ?? 0);
  // Occitan and Portuguese write times as French does, and so do the durations the engine copies ("en 2h30"):
  // only the forms `formatTime` writes are times there (oc with no-break spaces; pt after its article).
  if (base === 'oc') {
    for (const m of text.matchAll(/(?<![\p{L}\p{N},.:])([01]?\d|2[0-3])\u00A0h(?:\u00A0([0-5]\d))?(?![\p{L}\p{N}])/gu)) add(m.index, m.index + m[0].length, Number(m[1]), Number(m[2] ?? 0));
  }
  if (base === 'pt') {
    for (const m of text.matchAll(/(?<=(?<![\p{L}])(?:à|às|as|a|da|das)[ \u00A0])([01]?\d|2[0-3])h([0-5]\d)?(?![\p{L}\p{N}])/giu)) add(m.index, m.index + m[0].length, Number(m[1]), Number(m[2] ?? 0));
  }
  if (base === 'en') {
    for (const m of text.matchAll(/(?<![\p{L}\p{N}.,:])(1[0-2]|0?\d)(?::([0-5]\d))?[ \u00A0]?([ap])\.?m\.?(?![\p{L}])/giu)) {
      const h = Number(m[1]) % 12 + (m[3]!.toLowerCase() === 'p' ? 12 : 0);
      add(m.index, m.index + m[0].length, h, Number(m[2] ?? 0));
    }
    for (const m of text.matchAll(/(?<![\p{L}])(noon|midnight)(?![\p{L}])/giu)) add(m.index, m.index + m[0].length, m[1]!.toLowerCase() === 'noon' ? 12 : 0, 0);
  }
  // "14:30" anywhere; "14.30 h" (ca), "14.30 uur" (nl), "14:30 Uhr" (de).
  for (const m of text.matchAll(/(?<![\p{L}\p{N}.,:])([01]?\d|2[0-3])([:.])([0-5]\d)(?:[ \u00A0](h|uur|Uhr)(?![\p{L}]))?(?![\p{N}]|[.,:]\d)/gu)) {
    if (m[2] === '.' && m[4] === undefined) continue;
    add(m.index, m.index + m[0].length, Number(m[1]), Number(m[3]));
  }
  return out.sort((a, b) => a.start - b.start);
}
