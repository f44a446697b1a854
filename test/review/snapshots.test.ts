/**
 * The decision store's run snapshots: each run's article (ids, source and machine text) becomes
 * `current`, the one before it `previous`. `previous` is stored as what differs from `current` and read
 * back whole; a run that changed nothing does not move them; a `previous` stored whole by an earlier
 * relais still reads. Real SQLite file.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';
import { DecisionStore, DECISIONS_FILE, fingerprint, type RunTexts, type Snapshot } from '../../pipeline/review/decision-store.js';
import { scratchProject } from '../helpers/cli.js';

function snap(rows: Array<[id: string, source: string, target: string]>, at: string): Snapshot {
  return { ids: rows.map(([id]) => id), segments: Object.fromEntries(rows.map(([id, source, target]) => [id, { source, target }])), at };
}

const many = (n: number) => Array.from({ length: n }, (_, i): [string, string, string] => [`s${i}`, `Phrase ${i} assez longue pour peser.`, `Sentence ${i}, long enough to weigh.`]);

describe('run snapshots', () => {
  test('previous reads back whole, though only what changed is stored; an unchanged run moves nothing', () => {
    const dir = scratchProject('relais-snapshots-');
    const store = new DecisionStore(dir);
    const a = snap(many(400), '2026-11-01T00:00:00.000Z');
    store.recordSnapshot('ns', 'en', a);
    expect(store.snapshot('ns', 'en')).toEqual({ current: a, previous: undefined });

    // Next run: one target changed, one sentence replaced by another, one removed, one added, order moved.
    const rows = many(400);
    rows[3] = ['s3', rows[3]![1], 'Sentence 3, now translated differently.'];
    rows[10] = ['s10b', 'Une phrase réécrite.', 'A rewritten sentence.'];
    rows.splice(20, 1);
    rows.push(['s999', 'Une phrase ajoutée.', 'An added sentence.']);
    [rows[50], rows[51]] = [rows[51]!, rows[50]!];
    const b = snap(rows, '2026-11-02T00:00:00.000Z');
    store.recordSnapshot('ns', 'en', b, store.currentSnapshot('ns', 'en'));
    expect(store.snapshot('ns', 'en')).toEqual({ current: b, previous: a });

    // What is stored: for `previous`, the three sentences whose text is not in `current` as it was; for
    // `current`, its ids, its texts one row each.
    const db = new Database(join(dir, DECISIONS_FILE), { readonly: true });
    const row = db.prepare('SELECT current, previous FROM snapshots').get() as { current: string; previous: string };
    expect(Object.keys((JSON.parse(row.previous) as { changed: object }).changed).sort()).toEqual(['s10', 's20', 's3']);
    expect(JSON.parse(row.current)).toEqual({ ids: b.ids, at: b.at, fingerprints: b.ids.map((id) => fingerprint(b.segments[id]!.source, b.segments[id]!.target)) });
    const texts = db.prepare("SELECT segment_id, source, target FROM snapshot_texts WHERE namespace = 'ns' AND lang = 'en'").all() as Array<{ segment_id: string; source: string; target: string }>;
    expect(Object.fromEntries(texts.map((t) => [t.segment_id, { source: t.source, target: t.target }]))).toEqual(b.segments);
    db.close();

    // The same article again (a run that translated nothing new): current and previous stay.
    store.recordSnapshot('ns', 'en', { ...b, at: '2026-11-03T00:00:00.000Z' });
    expect(store.snapshot('ns', 'en')).toEqual({ current: b, previous: a });
    // Other languages and articles are apart.
    expect(store.snapshot('ns', 'es')).toBeUndefined();
    store.close();
  });

  test('snapshots stored whole (by an earlier relais) still read as they were, and the next runs move to rows', () => {
    const dir = scratchProject('relais-snapshots-');
    const store = new DecisionStore(dir);
    const a = snap([['s1', 'Un.', 'One.'], ['s2', 'Deux.', 'Two.']], '2026-11-01T00:00:00.000Z');
    const b = snap([['s1', 'Un.', 'One!'], ['s3', 'Trois.', 'Three.']], '2026-11-02T00:00:00.000Z');
    store.close();
    const db = new Database(join(dir, DECISIONS_FILE));
    db.prepare('INSERT INTO snapshots (namespace, lang, current, previous) VALUES (?, ?, ?, ?)').run('ns', 'en', JSON.stringify(b), JSON.stringify(a));
    db.close();
    const again = new DecisionStore(dir);
    expect(again.snapshot('ns', 'en')).toEqual({ current: b, previous: a });
    // The next run turns it into a delta against the new current, and still reads back whole.
    const c = snap([['s3', 'Trois.', 'Three.']], '2026-11-03T00:00:00.000Z');
    again.recordSnapshot('ns', 'en', c);
    expect(again.snapshot('ns', 'en')).toEqual({ current: c, previous: b });
    // And the run after that: current's texts now in rows (s1 gone, s4 added).
    const d = snap([['s3', 'Trois.', 'Three!'], ['s4', 'Quatre.', 'Four.']], '2026-11-04T00:00:00.000Z');
    again.recordSnapshot('ns', 'en', d);
    expect(again.snapshot('ns', 'en')).toEqual({ current: d, previous: c });
    again.close();
  });

  test('recordRun (what relais run calls) stores what recordSnapshot stores, finding the changes by fingerprint; older heads and damaged rows fall back', () => {
    const asRun = (x: Snapshot): RunTexts => ({ ids: x.ids, sources: x.ids.map((id) => x.segments[id]!.source), targets: x.ids.map((id) => x.segments[id]!.target), at: x.at });
    const a = snap(many(300), '2026-11-01T00:00:00.000Z');
    const rows = many(300);
    rows[7] = ['s7', rows[7]![1], 'Sentence 7, translated anew.'];
    rows[12] = ['s12b', 'Une autre phrase.', 'Another sentence.'];
    rows.splice(40, 2);
    rows.unshift(['s0b', 'Une première phrase.', 'A first sentence.']);
    const b = snap(rows, '2026-11-02T00:00:00.000Z');
    const stored = (dir: string) => {
      const db = new Database(join(dir, DECISIONS_FILE), { readonly: true });
      try {
        return {
          snapshots: db.prepare('SELECT namespace, lang, current, previous FROM snapshots ORDER BY lang').all(),
          texts: db.prepare('SELECT * FROM snapshot_texts ORDER BY lang, segment_id').all(),
        };
      } finally {
        db.close();
      }
    };
    const [viaSnapshot, viaRun] = [scratchProject('relais-snapshots-'), scratchProject('relais-snapshots-')];
    const one = new DecisionStore(viaSnapshot);
    const two = new DecisionStore(viaRun);
    one.recordSnapshot('ns', 'en', a);
    one.recordSnapshot('ns', 'en', b);
    two.recordRun('ns', 'en', asRun(a));
    expect(two.currentHead('ns', 'en')).toEqual({ ids: a.ids, at: a.at, fingerprints: a.ids.map((id) => fingerprint(a.segments[id]!.source, a.segments[id]!.target)) });
    two.recordRun('ns', 'en', asRun(b));
    expect(stored(viaRun)).toEqual(stored(viaSnapshot));
    expect(two.snapshot('ns', 'en')).toEqual({ current: b, previous: a });
    expect(Object.keys((JSON.parse((stored(viaRun).snapshots[0] as { previous: string }).previous) as { changed: object }).changed).sort()).toEqual(['s12', 's40', 's41', 's7']);
    // Unchanged: nothing moves.
    two.recordRun('ns', 'en', { ...asRun(b), at: '2026-11-03T00:00:00.000Z' });
    expect(two.snapshot('ns', 'en')).toEqual({ current: b, previous: a });

    // A head recorded by an earlier relais (no fingerprints): the run compares texts, and the head gets its fingerprints.
    two.close();
    const db = new Database(join(viaRun, DECISIONS_FILE));
    db.prepare('UPDATE snapshots SET current = ?').run(JSON.stringify({ ids: b.ids, at: b.at }));
    db.close();
    const three = new DecisionStore(viaRun);
    three.recordRun('ns', 'en', { ...asRun(b), at: '2026-11-04T00:00:00.000Z' });
    expect(three.snapshot('ns', 'en')).toEqual({ current: b, previous: a });
    expect(three.currentHead('ns', 'en')!.fingerprints).toHaveLength(b.ids.length);
    // Rows that do not match the head (one lost): the run rewrites them all rather than trust them.
    three.close();
    const db2 = new Database(join(viaRun, DECISIONS_FILE));
    db2.prepare("DELETE FROM snapshot_texts WHERE segment_id = 's100'").run();
    db2.close();
    const four = new DecisionStore(viaRun);
    const c = snap(many(300), '2026-11-05T00:00:00.000Z');
    four.recordRun('ns', 'en', asRun(c));
    expect(four.snapshot('ns', 'en')!.current).toEqual(c);
    four.close();
    one.close();
  });
});
