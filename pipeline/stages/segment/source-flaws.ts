/**
 * Flaws of the source text that would hurt a machine translation, and the cleaned copy the engine gets.
 * Pure. The segment as written is never changed (it is what the source-language bundle publishes);
 * only the engine's copy is cleaned, and every change is reported as a flaw so QA can show it.
 *
 * Two flaws, both conservative — when in doubt, nothing is changed:
 *  - SOURCE_STRAY_STOP: a lone full stop followed by whitespace and a lowercase word
 *    ("lors d'un référendum. de rejoindre"). Engines translate the two halves as two sentences.
 *    Not a flaw: an abbreviation or an initial the segmentation rules know ("etc. de", "M. de",
 *    "av. J.-C. et", "p. ex. le"), an ellipsis ("...", "…", ". . ."), a stop followed by anything other
 *    than whitespace ("2.5", "example.org", "« Non. » dit-il").
 *  - SOURCE_DOUBLE_SPACE: two or more spaces in a row (U+0020, U+00A0, U+202F). They collapse to one;
 *    if the run holds a no-break space it collapses to the first no-break space of the run, so the
 *    French spacing before « : ; ! ? » survives.
 */
import { classifyStop, loadSegmentRules, type SegmentRules } from './segment-text.js';

export type SourceFlawCode = 'SOURCE_STRAY_STOP' | 'SOURCE_DOUBLE_SPACE';

export interface SourceFlaw {
  code: SourceFlawCode;
  /** UTF-16 offset of the flaw in the sentence as written. */
  offset: number;
  length: number;
  message: string;
}

/** A single "." (not part of an ellipsis) followed by whitespace and a lowercase letter. */
const STRAY_STOP = /(?<![.…][ \u00a0\u202f]?)\.(?!\.)(?=(\s+)(\p{Ll}[\p{L}\p{M}’'-]*))/gu;
const SPACE_RUN = /[ \u00a0\u202f]{2,}/gu;
const NO_BREAK_SPACE = /[\u00a0\u202f]/u;

export function findSourceFlaws(sentence: string, rules: SegmentRules = loadSegmentRules('fr')): SourceFlaw[] {
  return [...strayStops(sentence, rules), ...doubleSpaces(sentence)].sort((a, b) => a.offset - b.offset);
}

/** The sentence the engine should get, and the flaws that were cleaned (offsets into the original). */
export function cleanForEngine(sentence: string, rules: SegmentRules = loadSegmentRules('fr')): { text: string; flaws: SourceFlaw[] } {
  const flaws = findSourceFlaws(sentence, rules);
  let text = '';
  let from = 0;
  for (const flaw of flaws) {
    const original = sentence.slice(flaw.offset, flaw.offset + flaw.length);
    text += sentence.slice(from, flaw.offset) + replacementFor(flaw.code, original);
    from = flaw.offset + flaw.length;
  }
  return { text: text + sentence.slice(from), flaws };
}

function replacementFor(code: SourceFlawCode, original: string): string {
  switch (code) {
    case 'SOURCE_STRAY_STOP':
      return '';
    case 'SOURCE_DOUBLE_SPACE':
      return collapseSpaces(original);
  }
}

/** One space; the first no-break space of the run if it has one (it carries French typography). */
function collapseSpaces(run: string): string {
  return NO_BREAK_SPACE.exec(run)?.[0] ?? ' ';
}

function strayStops(sentence: string, rules: SegmentRules): SourceFlaw[] {
  const flaws: SourceFlaw[] = [];
  for (const m of sentence.matchAll(STRAY_STOP)) {
    const offset = m.index;
    const nextStart = offset + 1 + m[1]!.length;
    // "etc. de", "M. de Villepin", "J.-C. et": the stop belongs to a word the rules know.
    if (classifyStop(sentence, offset, offset + 1, nextStart, rules) !== null) continue;
    const word = m[2]!;
    flaws.push({
      code: 'SOURCE_STRAY_STOP',
      offset,
      length: 1,
      message: `full stop before the lowercase word "${word}" at offset ${offset}: the sentence goes on, so the engine gets the text without it`,
    });
  }
  return flaws;
}

function doubleSpaces(sentence: string): SourceFlaw[] {
  return [...sentence.matchAll(SPACE_RUN)].map((m) => ({
    code: 'SOURCE_DOUBLE_SPACE' as const,
    offset: m.index,
    length: m[0].length,
    message: `${m[0].length} spaces in a row at offset ${m.index}${NO_BREAK_SPACE.test(m[0]) ? ' (kept as one no-break space)' : ''}: collapsed to one for the engine`,
  }));
}
