/**
 * How DeepL requests are cut (pure): at most 50 texts and a byte budget for the encoded body.
 *
 * deepl-node sends `/v2/translate` as `application/x-www-form-urlencoded` (a URLSearchParams body):
 * a space is one byte (`+`), ASCII letters, digits and `*-._` one byte, every other UTF-8 byte three
 * (`%C3%A9` for "é"). French text with accents and « » therefore weighs more than its UTF-8 size,
 * which is why the budget is measured on the encoded form, not on `text.length`.
 *
 * `context` is one value per request in the DeepL API (it is not per text), so a batch's context is
 * the distinct paragraphs of its segments, in order, joined by a newline — the sentences before and
 * after, as DeepL recommends. Context characters are not billed but do count toward the body size.
 */

/** DeepL's hard limit is 50 texts per request. */
export const DEEPL_MAX_TEXTS = 50;
/** DeepL's hard limit is 128 KiB per request; relais stays well under it. */
export const DEEPL_DEFAULT_MAX_BYTES = 100 * 1024;

/**
 * What a request's `context` holds.
 * - `batch`: the paragraphs of every segment in the request (fewest requests).
 * - `paragraph`: a request never mixes paragraphs, its context is exactly the segments' paragraph
 *   (most faithful context, one request per paragraph at least).
 * - `none`: no context is sent.
 */
export type ContextScope = 'batch' | 'paragraph' | 'none';

export interface BatchInput {
  text: string;
  context?: string | undefined;
}

export interface PlannedBatch {
  /** Indexes into the input list, in order. */
  indexes: number[];
  texts: string[];
  /** The request's `context`, or undefined when none is sent. */
  context: string | undefined;
  /** Exact size of the form-encoded request body, in bytes. */
  bytes: number;
}

export interface BatchLimits {
  maxTexts: number;
  maxBytes: number;
  contextScope: ContextScope;
}

/** Bytes `value` takes once form-encoded as URLSearchParams writes it (UTF-8, percent-encoded). */
export function formEncodedLength(value: string): number {
  // Fast path for the common case: unreserved ASCII and spaces are one byte each.
  let n = 0;
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a) || c === 0x2a || c === 0x2d || c === 0x2e || c === 0x5f || c === 0x20) n += 1;
    else if (c < 0x80) n += 3;
    else if (c < 0x800) n += 6;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < value.length) {
      const d = value.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        n += 12;
        i++;
      } else n += 9; // lone surrogate: written as U+FFFD
    } else n += 9;
  }
  return n;
}

/** Size of the fixed part of a request: `a=b&c=d` for every parameter that is not a text or the context. */
export function fixedParamsLength(params: Readonly<Record<string, string>>): number {
  let n = 0;
  let first = true;
  for (const [k, v] of Object.entries(params)) {
    n += (first ? 0 : 1) + formEncodedLength(k) + 1 + formEncodedLength(v);
    first = false;
  }
  return n;
}

const TEXT_PARAM = '&text='.length;
const CONTEXT_PARAM = '&context='.length;
const CONTEXT_SEPARATOR = '\n';
const SEPARATOR_BYTES = formEncodedLength(CONTEXT_SEPARATOR);

/**
 * Cut `inputs` into requests, in order. Empty texts are left out (DeepL rejects them; the caller
 * returns '' for them). A single text larger than the budget still gets a request of its own (without
 * context if the context is what overflows): DeepL, not relais, then decides whether it is too large.
 */
export function planBatches(inputs: readonly BatchInput[], fixedBytes: number, limits: BatchLimits): PlannedBatch[] {
  const batches: PlannedBatch[] = [];
  let cur: { indexes: number[]; texts: string[]; contexts: string[]; textBytes: number; contextBytes: number } | undefined;

  const flush = () => {
    if (!cur || cur.texts.length === 0) return;
    const context = cur.contexts.length > 0 ? cur.contexts.join(CONTEXT_SEPARATOR) : undefined;
    batches.push({ indexes: cur.indexes, texts: cur.texts, context, bytes: fixedBytes + cur.textBytes + cur.contextBytes });
    cur = undefined;
  };
  const contextCost = (contexts: readonly string[], ctx: string | undefined) => {
    if (ctx === undefined || contexts.includes(ctx)) return 0;
    return (contexts.length === 0 ? CONTEXT_PARAM : SEPARATOR_BYTES) + formEncodedLength(ctx);
  };

  for (const [i, input] of inputs.entries()) {
    if (input.text === '') continue;
    const ctx = limits.contextScope === 'none' || !input.context ? undefined : input.context;
    if (cur && limits.contextScope === 'paragraph' && cur.contexts[0] !== ctx) flush();
    const textCost = TEXT_PARAM + formEncodedLength(input.text);
    if (cur) {
      const total = fixedBytes + cur.textBytes + cur.contextBytes + textCost + contextCost(cur.contexts, ctx);
      if (cur.texts.length >= limits.maxTexts || total > limits.maxBytes) flush();
    }
    cur ??= { indexes: [], texts: [], contexts: [], textBytes: 0, contextBytes: 0 };
    let ctxCost = contextCost(cur.contexts, ctx);
    // Alone and still too big: drop the context rather than the text.
    if (cur.texts.length === 0 && fixedBytes + textCost + ctxCost > limits.maxBytes) ctxCost = 0;
    else if (ctxCost > 0 && ctx !== undefined) cur.contexts.push(ctx);
    cur.indexes.push(i);
    cur.texts.push(input.text);
    cur.textBytes += textCost;
    cur.contextBytes += ctxCost;
  }
  flush();
  return batches;
}

/** Characters DeepL bills for these texts: Unicode characters of every non-empty text (context is free). */
export function countBilledCharacters(texts: Iterable<string>): number {
  let n = 0;
  for (const t of texts) for (const _ of t) n++;
  return n;
}
