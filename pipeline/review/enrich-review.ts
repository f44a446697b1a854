/**
 * What the review page adds to the job's view before showing it: the QA checks run again on the current
 * text (a reviewer's edit included) and the round-trip risk of every row. Back-translations are kept in
 * `<job>/review-risk.json`, so a page reload or a later `relais review` sends only new or edited texts
 * to the engine.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Glossary } from '../artifacts.js';
import type { Engine } from '../engines/engine.js';
import { writeFileAtomically } from '../job/fs-atomic.js';
import { withQaChecks } from './qa-checks.js';
import type { ReviewArticle } from './review-model.js';
import { withRoundTripRisk, type RoundTripCache, type RoundTripResult } from './round-trip.js';

export const RISK_CACHE_FILE = 'review-risk.json';

export interface ReviewEnricher {
  enrich(article: ReviewArticle): Promise<ReviewArticle>;
}

/** QA checks always; the risk when an engine that translates back to the source language is given. */
export function createReviewEnricher(o: { glossary: Glossary | (() => Glossary); jobDir: string; engine?: Engine }): ReviewEnricher {
  const glossaryOf = typeof o.glossary === 'function' ? o.glossary : () => o.glossary as Glossary;
  const file = join(o.jobDir, RISK_CACHE_FILE);
  const cache: RoundTripCache = new Map(readCache(file));
  let saved = cache.size;
  return {
    async enrich(article) {
      const glossary = glossaryOf();
      const checked = withQaChecks(article, glossary);
      if (!o.engine) return checked;
      const out = await withRoundTripRisk(checked, o.engine, { glossary, cache });
      if (cache.size !== saved) {
        writeFileAtomically(file, `${JSON.stringify([...cache])}\n`);
        saved = cache.size;
      }
      return out;
    },
  };
}

function readCache(file: string): Array<[string, RoundTripResult]> {
  if (!existsSync(file)) return [];
  try {
    const data = JSON.parse(readFileSync(file, 'utf8')) as unknown;
    return Array.isArray(data) ? (data as Array<[string, RoundTripResult]>) : [];
  } catch {
    return []; // a damaged cache is recomputed, never trusted
  }
}
