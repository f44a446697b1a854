/**
 * `translate/<lang>.json`, the translate stage's artifact, holds each segment by reference: its id and
 * its cache key, whose line in `translate/<lang>.journal.jsonl` holds the translation. The journal
 * already has every finished segment (appended, durably, as it finished), so the artifact does not
 * copy them: a 1 MB article's English was 8 MB of JSON rewritten on every run, re-runs included,
 * where the references are ~0.8 MB. Artifacts written whole by an earlier relais (version 1) are read
 * as they are.
 */
import type { Lang, TranslatedArticle } from '../../artifacts.js';
import { sha256 } from '../../job/hash.js';
import type { JobStore } from '../../job/job-store.js';

/** What `translate/<lang>.json` stores: a `TranslatedArticle` whose segments are in the journal. */
export interface StoredTranslation extends Omit<TranslatedArticle, 'version' | 'segments'> {
  version: 2;
  /** Segment ids, in the article's order. */
  ids: string[];
  /** The cache key of each segment: its line in the language's journal. */
  keys: string[];
}

export const translationArtifact = (lang: Lang) => `translate/${lang}.json`;

/**
 * Record a finished translation (every segment already in the journal). Its input hash is the
 * segments' keys in order: the same keys, the same translation.
 */
export function writeTranslation(store: JobStore, t: TranslatedArticle): void {
  const { segments, version: _, ...rest } = t;
  const keys = segments.map((s) => s.cacheKey);
  const stored: StoredTranslation = { ...rest, version: 2, ids: segments.map((s) => s.id), keys };
  store.writeArtifact(t.namespace, translationArtifact(t.targetLang), sha256(JSON.stringify(keys)), stored);
}

/**
 * The finished translation of an article into `lang`, its segments from the journal; undefined if the
 * translate stage has not finished it (or the journal no longer holds every segment it refers to, e.g.
 * deleted to translate the language again: the next run does).
 */
export function readTranslation(store: JobStore, namespace: string, lang: Lang): TranslatedArticle | undefined {
  const stored = store.readArtifact<StoredTranslation | TranslatedArticle>(namespace, translationArtifact(lang));
  if (!stored) return undefined;
  if (stored.version !== 2) return stored as TranslatedArticle;
  const { ids, keys, version: _, ...rest } = stored;
  const journal = store.readJournal(namespace, lang);
  const segments: TranslatedArticle['segments'] = [];
  for (let i = 0; i < keys.length; i++) {
    const t = journal.get(keys[i]!);
    if (!t) return undefined;
    segments.push(t.id === ids[i] ? t : { ...t, id: ids[i]! });
  }
  return { ...rest, version: 1, segments };
}
