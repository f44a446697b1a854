/**
 * A job's billing records (pipeline/job/billing.ts): a run's checkpoint counts while it runs and after
 * it was killed; its final line replaces it, never adds to it.
 */
import { appendFileSync, copyFileSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect, test } from 'vitest';
import { BillingRecorder, readBilledCharacters, readBilling } from '../../pipeline/job/billing.js';

test('a checkpoint counts until the run writes its line, and the line replaces it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'relais-billing-'));
  const billing: Record<string, number> = {};
  const r = new BillingRecorder(dir, 'deepl', billing, { run: 'r1', namespace: 'a' }, 60_000);
  r.checkpoint();
  expect(readdirSync(dir)).toEqual([]); // nothing billed, nothing written
  billing.en = 120;
  billing.es = 80;
  r.checkpoint();
  expect(readBilledCharacters(dir)).toBe(200);
  expect(readBilling(dir).open).toEqual([expect.objectContaining({ id: r.id, run: 'r1', namespace: 'a', characters: { en: 120, es: 80 }, total: 200 })]);

  // Killed between appending its line and removing its checkpoint: counted once.
  const checkpoint = join(dir, 'billing.open', `${r.id}.json`);
  const kept = join(dir, 'kept.json');
  copyFileSync(checkpoint, kept);
  billing.en = 150;
  r.finish('finished');
  copyFileSync(kept, checkpoint);
  expect(readBilledCharacters(dir)).toBe(230);
  const { lines, open } = readBilling(dir);
  expect(lines).toEqual([expect.objectContaining({ outcome: 'finished', total: 230, id: r.id })]);
  expect(open).toEqual([]);

  // A torn last line (a run killed while appending) is skipped; another run's checkpoint still counts.
  appendFileSync(join(dir, 'billing.jsonl'), '{"at":"2026-');
  const other = new BillingRecorder(dir, 'deepl', { ca: 7 }, {}, 60_000);
  other.checkpoint();
  expect(readBilledCharacters(dir)).toBe(237);
  r.finish('again'); // once only
  expect(readFileSync(join(dir, 'billing.jsonl'), 'utf8').split('\n').filter((l) => l.includes('"outcome"'))).toHaveLength(1);
  // Its line starts on a line of its own, after the torn one.
  other.finish('stopped: ENGINE_QUOTA');
  expect(readBilledCharacters(dir)).toBe(237);
  expect(readBilling(dir).lines.map((l) => l.outcome)).toEqual(['finished', 'stopped: ENGINE_QUOTA']);
});
