/**
 * `--max-chars` held while the run sends, not only estimated before it. The estimate cannot foresee
 * the requests made again for one sentence (a name DeepL dropped with its tags, a term retried as a
 * placeholder); this wrapper counts every request's characters before it leaves — the text as sent,
 * markup included, which is what DeepL bills at most — and refuses the one that would pass the limit.
 */
import { countBilledCharacters } from './deepl-batch.js';
import type { Engine } from './engine.js';
import { RelaisError } from '../errors.js';

/**
 * Characters a run has sent so far, wherever its requests come from: one process (`localCounter`), or
 * every queue worker of the run together (a Redis counter).
 */
export interface SentCounter {
  /** Add `n`; resolves to the total after it. */
  add(n: number): Promise<number> | number;
  /** Take back `n` added for a request that was then not sent. */
  remove(n: number): Promise<void> | void;
}

export function localCounter(): SentCounter {
  let sent = 0;
  return {
    add: (n) => (sent += n),
    remove: (n) => {
      sent -= n;
    },
  };
}

/** `engine`, whose `translate` calls together send at most `maxChars` characters; the one that would pass it throws COST_LIMIT unsent. */
export function withCostLimit(engine: Engine, maxChars: number, counter: SentCounter = localCounter()): Engine {
  const nf = new Intl.NumberFormat('en');
  const translate: Engine['translate'] = async (source, target, segments, signal) => {
    const n = countBilledCharacters(segments.map((s) => s.text));
    const total = await counter.add(n);
    if (total > maxChars) {
      await counter.remove(n);
      throw new RelaisError('COST_LIMIT', `--max-chars ${nf.format(maxChars)} reached: this run has sent ${nf.format(total - n)} characters to ${engine.info.id} and the next request (${nf.format(n)} → ${target}) would pass the limit; it was not sent`, {
        hint: 'What was translated is saved. Run again to translate the rest (only what is left is sent), or raise --max-chars.',
      });
    }
    return engine.translate(source, target, segments, signal);
  };
  return new Proxy(engine, {
    get(e, prop) {
      if (prop === 'translate') return translate;
      const v: unknown = Reflect.get(e, prop, e);
      return typeof v === 'function' ? (v as (...a: unknown[]) => unknown).bind(e) : v;
    },
  });
}
