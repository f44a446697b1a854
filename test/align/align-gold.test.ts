/**
 * Floors on the gold sets of test/fixtures/align-gold/ (see its README): relais' aligner must stay at
 * what `npm run bench:align` measured, less a small margin, and above the plain Gale–Church baseline.
 * Apertium runs for real for the fr→en sets, as in the bench.
 */
import { afterAll, describe, expect, test } from 'vitest';
import { alignSentences } from '../../pipeline/align/align-sentences.js';
import { scoreAlignment, type AlignmentBead } from '../../pipeline/align/alignment-metrics.js';
import { ApertiumEngine } from '../../pipeline/engines/apertium.js';
import { GOLD_SETS, galeChurch, harderVariantOf, readGoldSet } from '../../scripts/bench-align.js';

/** Measured by `npm run bench:align` (beads F1, pair-link F1); the floors are 0.02 below. */
const MEASURED: Record<string, { beads: number; links: number }> = {
  'baf-hansard published none': { beads: 0.847, links: 0.947 },
  'baf-hansard harder none': { beads: 0.839, links: 0.94 },
  'baf-hansard published apertium': { beads: 0.847, links: 0.947 },
  'baf-hansard harder apertium': { beads: 0.839, links: 0.94 },
  'baf-verne published none': { beads: 0.759, links: 0.844 },
  'baf-verne harder none': { beads: 0.698, links: 0.81 },
  'baf-verne published apertium': { beads: 0.808, links: 0.884 },
  'baf-verne harder apertium': { beads: 0.788, links: 0.876 },
  'textberg-kingspitz published none': { beads: 0.797, links: 0.914 },
  'textberg-kingspitz harder none': { beads: 0.713, links: 0.879 },
};
const MARGIN = 0.02;

const engine = new ApertiumEngine();
afterAll(() => engine.close());

const cases = GOLD_SETS.flatMap((set) =>
  (['published', 'harder'] as const).flatMap((variant) =>
    (set.lang === 'en' ? (['none', 'apertium'] as const) : (['none'] as const)).map((evidence) => ({ ...set, variant, evidence, key: `${set.name} ${variant} ${evidence}` })),
  ),
);

describe('gold sets: beads F1 and pair-link F1 stay at their measured level', () => {
  test.for(cases)('$key', async ({ name, lang, variant, evidence, key }) => {
    const set = readGoldSet(name, lang);
    const { target, gold }: { target: string[]; gold: AlignmentBead[] } = variant === 'published' ? set : harderVariantOf(set.target, set.gold);
    const translations =
      evidence === 'apertium' ? (await engine.translate('fr', lang, set.source.map((text, i) => ({ id: String(i), text })))).map((r) => r.text) : undefined;
    const beads = alignSentences(set.source, target, { sourceLang: 'fr', targetLang: lang, ...(translations ? { translations } : {}) });
    const scores = scoreAlignment(beads, gold);
    const baseline = scoreAlignment(galeChurch(set.source, target).beads, gold);

    expect(scores.beads.f1).toBeGreaterThanOrEqual(MEASURED[key]!.beads - MARGIN);
    expect(scores.links.f1).toBeGreaterThanOrEqual(MEASURED[key]!.links - MARGIN);
    expect(scores.beads.f1).toBeGreaterThan(baseline.beads.f1);
    expect(scores.links.f1).toBeGreaterThan(baseline.links.f1);
    // Every omission the harder variant made (a deleted target sentence) is found.
    if (variant === 'harder' && name !== 'textberg-kingspitz') {
      const made = harderVariantOf(set.target, set.gold).deleted.length;
      expect(scores.omissions.correct).toBeGreaterThanOrEqual(made);
    }
  });
});
