/**
 * Pseudo-localization: an offline engine that needs no MT at all. Each "translation" is the source
 * with accented letters, stretched by a ratio and bracketed, so a team can check layouts (longer text,
 * diacritics, cut-off strings) and the whole publish path before real translations exist.
 *
 *   "Moscou a lancé son opération" → "[!! Ṁöšçöû à ļàñçé šöñ öþéŕàţîöñ ~~~~~~~~ !!]"
 *
 * Words in capitals (acronyms such as NATO, and the translate stage's name placeholders) are kept, so
 * glossary names come back as the glossary says.
 */
import type { Engine, EngineInfo, EngineResult, EngineSegment, Lang } from './engine.js';

export interface PseudoOptions {
  /** How much longer the text gets: 0.3 = +30 % (German and Finnish run 30–40 % longer than English). */
  expansion?: number;
}

const ACCENTED: Readonly<Record<string, string>> = Object.fromEntries(
  [...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ'].map((c, i) => [c, [...'àƀçđéƒĝĥîĵķļɱñöþǫŕšţûṽŵẋýžÀƁÇĐÉƑĜĤÎĴĶĻṀÑÖÞǪŔŠŢÛṼŴẊÝŽ'][i]!]),
);

export class PseudoEngine implements Engine {
  readonly info: EngineInfo;
  /** Pseudo-text has no grammar: the translate stage makes no article or case repairs on it. */
  readonly pseudo = true;
  private readonly expansion: number;

  constructor(options: PseudoOptions = {}) {
    this.expansion = options.expansion ?? 0.3;
    if (!(this.expansion >= 0 && this.expansion <= 3)) throw new RangeError(`pseudo expansion must be between 0 and 3, got ${this.expansion}`);
    this.info = { id: 'pseudo', version: `pseudo-1 expansion=${this.expansion}` };
  }

  supports(source: Lang, target: Lang): boolean {
    return source !== target;
  }

  async translate(_source: Lang, _target: Lang, segments: readonly EngineSegment[], signal?: AbortSignal): Promise<EngineResult[]> {
    signal?.throwIfAborted();
    return segments.map((s) => ({ id: s.id, text: pseudoLocalize(s.text, this.expansion), unknownWords: [] }));
  }

  async close(): Promise<void> {}
}

/** Accent every letter of words that are not all capitals, pad to the expansion ratio, bracket. */
export function pseudoLocalize(text: string, expansion: number): string {
  if (text.trim() === '') return text;
  const accented = text.replace(/\p{L}+/gu, (word) => (word.length > 1 && word === word.toUpperCase() ? word : [...word].map((c) => ACCENTED[c] ?? c).join('')));
  const pad = Math.round([...text].length * expansion);
  return `[!! ${accented}${pad > 0 ? ` ${'~'.repeat(pad)}` : ''} !!]`;
}
