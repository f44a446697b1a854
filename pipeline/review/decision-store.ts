/**
 * Reviewer decisions, kept in `<job>/review.sqlite` (better-sqlite3, WAL journal).
 *
 * Why SQLite and not a JSON file next to the job: the review server writes one decision per keystroke-
 * driven action while `relais run` may be re-translating the same job; SQLite gives each write a
 * transaction (a crash mid-write loses nothing committed and corrupts nothing), lets the server read
 * while a run writes (WAL), and keeps every earlier decision in a history table at no cost. `relais
 * export --format xliff` is the git-friendly, tool-friendly view of the same data.
 *
 * Decisions are keyed by (namespace, language, segment id). A segment id is the hash of its source
 * text, so re-running a job can never overwrite a decision: a sentence that changed gets a new id, and
 * `carryOver` links the decision made on the old sentence to the new one as `needs-review`.
 */
import Database from 'better-sqlite3';
import { hash } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Lang } from '../artifacts.js';
import { sqliteError } from '../job/sqlite-errors.js';
import type { Decision } from './review-model.js';

export const DECISIONS_FILE = 'review.sqlite';

/** The article as the last run left it, for "since last run" diffs and to pair changed sentences. */
export interface Snapshot {
  /** Segment ids in document order. */
  ids: string[];
  /** id → source text and relais' machine translation. */
  segments: Record<string, { source: string; target: string }>;
  at: string;
}

/**
 * A run's article in the shape `relais run` has it: ids, sources and machine translations in document
 * order (what `recordRun` compares with the last snapshot without building a `Snapshot`).
 */
export interface RunTexts {
  ids: readonly string[];
  sources: readonly string[];
  targets: readonly string[];
  at: string;
}

/**
 * The last snapshot's head, as `snapshots.current` stores it: the ids in order and, since the texts
 * moved to `snapshot_texts`, each sentence's fingerprint — so that a run finds what changed without
 * reading ~5 MB of texts back for a 1 MB article. `whole`: a snapshot written whole by an earlier relais.
 */
export interface SnapshotHead {
  ids: string[];
  at: string;
  fingerprints?: string[];
  whole?: Snapshot;
}

/** A sentence's source and machine translation, as 96 bits of their sha256. */
export function fingerprint(source: string, target: string): string {
  return hash('sha256', `${source}\0${target}`, 'base64').slice(0, 16);
}

/** Ends the `by` of a history row written by `undo`. */
const UNDO_MARK = '(undo)';

const SCHEMA = `
CREATE TABLE IF NOT EXISTS decisions (
  namespace  TEXT NOT NULL,
  lang       TEXT NOT NULL,
  segment_id TEXT NOT NULL,
  state      TEXT NOT NULL CHECK (state IN ('edited', 'approved', 'rejected', 'needs-review')),
  text       TEXT NOT NULL,
  source     TEXT NOT NULL,
  machine    TEXT NOT NULL,
  updated_at TEXT NOT NULL,
  by         TEXT,
  PRIMARY KEY (namespace, lang, segment_id)
);
CREATE TABLE IF NOT EXISTS history (
  seq        INTEGER PRIMARY KEY AUTOINCREMENT,
  namespace  TEXT NOT NULL,
  lang       TEXT NOT NULL,
  segment_id TEXT NOT NULL,
  state      TEXT NOT NULL,
  text       TEXT NOT NULL,
  at         TEXT NOT NULL,
  by         TEXT
);
CREATE TABLE IF NOT EXISTS snapshots (
  namespace TEXT NOT NULL,
  lang      TEXT NOT NULL,
  current   TEXT NOT NULL,
  previous  TEXT,
  PRIMARY KEY (namespace, lang)
);
CREATE TABLE IF NOT EXISTS snapshot_texts (
  namespace  TEXT NOT NULL,
  lang       TEXT NOT NULL,
  segment_id TEXT NOT NULL,
  source     TEXT NOT NULL,
  target     TEXT NOT NULL,
  PRIMARY KEY (namespace, lang, segment_id)
) WITHOUT ROWID;
`;

interface DecisionRow {
  namespace: string;
  lang: string;
  segment_id: string;
  state: Decision['state'];
  text: string;
  source: string;
  machine: string;
  updated_at: string;
  by: string | null;
}

export class DecisionStore {
  readonly file: string;
  private readonly db: Database.Database;
  /** Snapshots this store read from `snapshot_texts` and has not recorded over since: the rows are what they say. */
  private readonly readFromRows = new WeakSet<Snapshot>();

  constructor(jobDir: string, options: { readonly?: boolean } = {}) {
    this.file = join(jobDir, DECISIONS_FILE);
    try {
      if (!options.readonly) mkdirSync(jobDir, { recursive: true });
      this.db = new Database(this.file, { readonly: options.readonly === true, fileMustExist: options.readonly === true });
      if (!options.readonly) {
        this.db.pragma('journal_mode = WAL');
        this.db.pragma('synchronous = FULL');
        this.db.pragma('busy_timeout = 5000');
        this.db.exec(SCHEMA);
      }
    } catch (e) {
      throw sqliteError(e, this.file, 'open the review decisions');
    }
  }

  /** Every write goes through here: a full disk is WRITE_FAILED with what to do, never a stack trace. */
  private write<T>(what: string, fn: () => T): T {
    try {
      return fn();
    } catch (e) {
      throw sqliteError(e, this.file, what);
    }
  }

  /** Changes whenever a decision on the article is made or undone (the last history entry): what status compares. */
  decisionsMark(namespace: string): string {
    const row = this.db.prepare('SELECT max(seq) AS seq FROM history WHERE namespace = ?').get(namespace) as { seq: number | null };
    return String(row.seq ?? 0);
  }

  /** Every decision of one article and language, by segment id. */
  decisions(namespace: string, lang: Lang): Map<string, Decision> {
    const rows = this.db.prepare('SELECT * FROM decisions WHERE namespace = ? AND lang = ?').all(namespace, lang) as DecisionRow[];
    return new Map(rows.map((r) => [r.segment_id, toDecision(r)]));
  }

  /** The languages with decisions on an article. */
  languagesOf(namespace: string): Lang[] {
    return (this.db.prepare('SELECT DISTINCT lang FROM decisions WHERE namespace = ?').all(namespace) as Array<{ lang: string }>).map((r) => r.lang);
  }

  get(namespace: string, lang: Lang, segmentId: string): Decision | undefined {
    const row = this.db.prepare('SELECT * FROM decisions WHERE namespace = ? AND lang = ? AND segment_id = ?').get(namespace, lang, segmentId) as DecisionRow | undefined;
    return row && toDecision(row);
  }

  /** Record decisions (one transaction): each replaces the segment's current decision and is kept in the history. */
  save(decisions: readonly Decision[]): void {
    const upsert = this.db.prepare(`INSERT INTO decisions (namespace, lang, segment_id, state, text, source, machine, updated_at, by)
      VALUES (@namespace, @lang, @segmentId, @state, @text, @source, @machine, @updatedAt, @by)
      ON CONFLICT (namespace, lang, segment_id) DO UPDATE SET state = excluded.state, text = excluded.text, source = excluded.source,
        machine = excluded.machine, updated_at = excluded.updated_at, by = excluded.by`);
    const log = this.db.prepare('INSERT INTO history (namespace, lang, segment_id, state, text, at, by) VALUES (@namespace, @lang, @segmentId, @state, @text, @updatedAt, @by)');
    this.write('save review decisions in', () =>
      this.db.transaction(() => {
        for (const d of decisions) {
          const row = { ...d, by: d.by ?? null };
          upsert.run(row);
          log.run(row);
        }
      })(),
    );
  }

  /** Forget the decision on a segment (back to the machine translation); the history keeps it. */
  clear(namespace: string, lang: Lang, segmentId: string, by?: string): void {
    this.write('save review decisions in', () => this.db.transaction(() => {
      this.db.prepare('DELETE FROM decisions WHERE namespace = ? AND lang = ? AND segment_id = ?').run(namespace, lang, segmentId);
      this.db.prepare('INSERT INTO history (namespace, lang, segment_id, state, text, at, by) VALUES (?, ?, ?, ?, ?, ?, ?)').run(namespace, lang, segmentId, 'machine', '', new Date().toISOString(), by ?? null);
    })());
  }

  /**
   * Undo the last decision on a segment: the one before it comes back (an edit approved, then undone,
   * is the edit again), or the machine translation when there was none. Undoing again goes further
   * back. The history keeps the undo (`by` ends with "(undo)"). Returns the decision now standing.
   */
  undo(namespace: string, lang: Lang, segmentId: string, by?: string): Decision | undefined {
    const current = this.get(namespace, lang, segmentId);
    const rows = this.db.prepare('SELECT state, text, by FROM history WHERE namespace = ? AND lang = ? AND segment_id = ? ORDER BY seq').all(namespace, lang, segmentId) as Array<{ state: string; text: string; by: string | null }>;
    // The decisions in force one over another: an undo takes the top one off.
    const stack: Array<{ state: string; text: string }> = [];
    for (const r of rows) {
      if (r.by?.endsWith(UNDO_MARK)) stack.pop();
      else stack.push(r);
    }
    stack.pop();
    const back = stack[stack.length - 1];
    const at = new Date().toISOString();
    const who = `${by ?? 'reviewer'} ${UNDO_MARK}`;
    if (!back || back.state === 'machine' || !current) {
      this.write('save review decisions in', () => this.db.transaction(() => {
        this.db.prepare('DELETE FROM decisions WHERE namespace = ? AND lang = ? AND segment_id = ?').run(namespace, lang, segmentId);
        this.db.prepare('INSERT INTO history (namespace, lang, segment_id, state, text, at, by) VALUES (?, ?, ?, ?, ?, ?, ?)').run(namespace, lang, segmentId, 'machine', '', at, who);
      })());
      return undefined;
    }
    const restored: Decision = { ...current, state: back.state as Decision['state'], text: back.text, updatedAt: at, by: who };
    this.save([restored]);
    return restored;
  }

  /** Every decision ever made on a segment, oldest first. */
  history(namespace: string, lang: Lang, segmentId: string): Array<{ state: string; text: string; at: string; by: string | null }> {
    return this.db.prepare('SELECT state, text, at, by FROM history WHERE namespace = ? AND lang = ? AND segment_id = ? ORDER BY seq').all(namespace, lang, segmentId) as Array<{ state: string; text: string; at: string; by: string | null }>;
  }

  /**
   * The last run's snapshot and the one before it. Stored as: `current` the ids in order (their texts
   * one row each in `snapshot_texts`, so that a run writes only the sentences it changed), `previous`
   * its ids and the texts that differ from `current`'s. Either may also be whole JSON, as written
   * before (read as it is).
   */
  snapshot(namespace: string, lang: Lang): { current: Snapshot; previous: Snapshot | undefined } | undefined {
    const row = this.db.prepare('SELECT current, previous FROM snapshots WHERE namespace = ? AND lang = ?').get(namespace, lang) as { current: string; previous: string | null } | undefined;
    if (!row) return undefined;
    const current = this.currentOf(namespace, lang, row.current);
    if (row.previous === null) return { current, previous: undefined };
    const stored = JSON.parse(row.previous) as Snapshot | PreviousDelta;
    if (!('changed' in stored)) return { current, previous: stored };
    const segments: Snapshot['segments'] = {};
    for (const id of stored.ids) {
      const seg = stored.changed[id] ?? current.segments[id];
      if (seg) segments[id] = seg;
    }
    return { current, previous: { ids: stored.ids, segments, at: stored.at } };
  }

  /** The last snapshot's ids and fingerprints, without its texts (`currentSnapshot` reads them). */
  currentHead(namespace: string, lang: Lang): SnapshotHead | undefined {
    const row = this.db.prepare('SELECT current FROM snapshots WHERE namespace = ? AND lang = ?').get(namespace, lang) as { current: string } | undefined;
    if (!row) return undefined;
    const stored = JSON.parse(row.current) as Snapshot | CurrentIds;
    if ('segments' in stored) return { ids: stored.ids, at: stored.at, whole: stored };
    return { ids: stored.ids, at: stored.at, ...(stored.fingerprints ? { fingerprints: stored.fingerprints } : {}) };
  }

  /**
   * Record a run (see `recordSnapshot`), comparing fingerprints with the last snapshot's head: only
   * the texts of the sentences that changed are read and written. Falls back to `recordSnapshot` when
   * the last snapshot has no fingerprints (written by an earlier relais).
   */
  recordRun(namespace: string, lang: Lang, run: RunTexts, head: SnapshotHead | undefined = this.currentHead(namespace, lang)): void {
    const fingerprints = run.ids.map((_, i) => fingerprint(run.sources[i]!, run.targets[i]!));
    const was = head?.fingerprints;
    if (!head || !was || was.length !== head.ids.length) {
      const segments: Snapshot['segments'] = {};
      run.ids.forEach((id, i) => (segments[id] = { source: run.sources[i]!, target: run.targets[i]! }));
      this.recordSnapshot(namespace, lang, { ids: [...run.ids], segments, at: run.at }, head?.whole ?? (head ? this.currentSnapshot(namespace, lang) : undefined), fingerprints);
      // Nothing changed since a snapshot recorded without fingerprints: it gets them (its rows are this run's texts).
      const after = head && !head.whole ? this.currentHead(namespace, lang) : undefined;
      if (after && !after.whole && !after.fingerprints && sameIds(after.ids, run.ids)) {
        this.write('record the run in', () => this.db.prepare('UPDATE snapshots SET current = ? WHERE namespace = ? AND lang = ?')
          .run(JSON.stringify({ ids: after.ids, at: after.at, fingerprints } satisfies CurrentIds), namespace, lang));
      }
      return;
    }
    const before = new Map(head.ids.map((id, i) => [id, was[i]!]));
    const now = new Map(run.ids.map((id, i) => [id, fingerprints[i]!]));
    const put = run.ids.flatMap((id, i) => (before.get(id) === fingerprints[i] ? [] : [i]));
    const gone = head.ids.filter((id) => !now.has(id));
    /** The sentences whose text `previous` keeps: gone, or not the same any more (in the head's order, as recordSnapshot). */
    const replaced = head.ids.filter((id) => now.get(id) !== before.get(id));
    if (put.length === 0 && gone.length === 0 && sameIds(head.ids, run.ids)) return; // nothing changed
    // The rows hold the last snapshot's texts when there is one per id (a run writes them with its head, in one transaction).
    const rows = (this.db.prepare('SELECT count(*) AS n FROM snapshot_texts WHERE namespace = ? AND lang = ?').get(namespace, lang) as { n: number }).n;
    if (rows !== head.ids.length) {
      const segments: Snapshot['segments'] = {};
      run.ids.forEach((id, i) => (segments[id] = { source: run.sources[i]!, target: run.targets[i]! }));
      this.recordSnapshot(namespace, lang, { ids: [...run.ids], segments, at: run.at }, this.currentSnapshot(namespace, lang), fingerprints);
      return;
    }
    const textOf = this.db.prepare('SELECT source, target FROM snapshot_texts WHERE namespace = ? AND lang = ? AND segment_id = ?');
    const changed: PreviousDelta['changed'] = {};
    for (const id of replaced) {
      const t = textOf.get(namespace, lang, id) as { source: string; target: string } | undefined;
      if (t) changed[id] = { source: t.source, target: t.target };
    }
    const putRow = this.db.prepare('INSERT OR REPLACE INTO snapshot_texts (namespace, lang, segment_id, source, target) VALUES (?, ?, ?, ?, ?)');
    const drop = this.db.prepare('DELETE FROM snapshot_texts WHERE namespace = ? AND lang = ? AND segment_id = ?');
    this.write('record the run in', () => this.db.transaction(() => {
      this.db.prepare(`INSERT INTO snapshots (namespace, lang, current, previous) VALUES (?, ?, ?, ?)
        ON CONFLICT (namespace, lang) DO UPDATE SET previous = excluded.previous, current = excluded.current`)
        .run(namespace, lang, JSON.stringify({ ids: run.ids as string[], at: run.at, fingerprints } satisfies CurrentIds), JSON.stringify({ ids: head.ids, changed, at: head.at } satisfies PreviousDelta));
      for (const i of put) putRow.run(namespace, lang, run.ids[i], run.sources[i], run.targets[i]);
      for (const id of gone) drop.run(namespace, lang, id);
    })());
  }

  /** The last run's snapshot alone (`snapshot()` also reads the one before it). */
  currentSnapshot(namespace: string, lang: Lang): Snapshot | undefined {
    const row = this.db.prepare('SELECT current FROM snapshots WHERE namespace = ? AND lang = ?').get(namespace, lang) as { current: string } | undefined;
    return row && this.currentOf(namespace, lang, row.current);
  }

  private currentOf(namespace: string, lang: Lang, json: string): Snapshot {
    const stored = JSON.parse(json) as Snapshot | CurrentIds;
    if ('segments' in stored) return stored; // written whole
    const rows = this.db.prepare('SELECT segment_id, source, target FROM snapshot_texts WHERE namespace = ? AND lang = ?').raw().all(namespace, lang) as Array<[string, string, string]>;
    const segments: Snapshot['segments'] = {};
    for (const [id, source, target] of rows) segments[id] = { source, target };
    const snapshot = { ids: stored.ids, segments, at: stored.at };
    this.readFromRows.add(snapshot);
    return snapshot;
  }

  /**
   * The article as this run leaves it; the one before (`stored`, read now unless the caller has just
   * read it) becomes `previous`, unless nothing changed. A 1 MB article's snapshot is ~5 MB of text,
   * and an update changes a few sentences of it: only those are written (`previous` keeps the texts
   * they replaced, `snapshot_texts` gets the new ones), with the ids of both, in one transaction.
   */
  recordSnapshot(
    namespace: string, lang: Lang, snap: Snapshot, stored: Snapshot | undefined = this.currentSnapshot(namespace, lang),
    fingerprints: string[] = snap.ids.map((id) => fingerprint(snap.segments[id]?.source ?? '', snap.segments[id]?.target ?? '')),
  ): void {
    // One pass each way: the texts `stored` had that this run changed or dropped (they become
    // `previous`), and the texts this run has that `stored` did not (the rows to write).
    const was = stored?.segments ?? {};
    const changed: PreviousDelta['changed'] = {};
    let dropped = false;
    if (stored) {
      for (const id of stored.ids) {
        const before = was[id];
        const now = snap.segments[id];
        if (before && (!now || now.source !== before.source || now.target !== before.target)) changed[id] = before;
      }
      for (const id in was) {
        if (!(id in snap.segments)) {
          dropped = true;
          break;
        }
      }
    }
    const put: Array<[string, Snapshot['segments'][string]]> = [];
    for (const [id, seg] of Object.entries(snap.segments)) {
      const before = was[id];
      if (!before || before.source !== seg.source || before.target !== seg.target) put.push([id, seg]);
    }
    if (stored && put.length === 0 && !dropped && sameIds(stored.ids, snap.ids)) return; // nothing changed
    const previous = stored ? JSON.stringify({ ids: stored.ids, changed, at: stored.at } satisfies PreviousDelta) : null;
    // Rows already right are left as they are, if the table holds what `stored` says: it does when
    // `stored` was read from those rows by this store (a snapshot written whole by an earlier relais
    // has no rows yet).
    const trusted = stored !== undefined && (this.readFromRows.has(stored)
      || (this.db.prepare('SELECT count(*) AS n FROM snapshot_texts WHERE namespace = ? AND lang = ?').get(namespace, lang) as { n: number }).n === Object.keys(was).length);
    const putRow = this.db.prepare('INSERT OR REPLACE INTO snapshot_texts (namespace, lang, segment_id, source, target) VALUES (?, ?, ?, ?, ?)');
    const drop = this.db.prepare('DELETE FROM snapshot_texts WHERE namespace = ? AND lang = ? AND segment_id = ?');
    this.write('record the run in', () => this.db.transaction(() => {
      this.db.prepare(`INSERT INTO snapshots (namespace, lang, current, previous) VALUES (?, ?, ?, ?)
        ON CONFLICT (namespace, lang) DO UPDATE SET previous = excluded.previous, current = excluded.current`)
        .run(namespace, lang, JSON.stringify({ ids: snap.ids, at: snap.at, fingerprints } satisfies CurrentIds), previous);
      if (trusted) {
        for (const [id, seg] of put) putRow.run(namespace, lang, id, seg.source, seg.target);
        if (dropped) for (const id in was) if (!(id in snap.segments)) drop.run(namespace, lang, id);
      } else {
        this.db.prepare('DELETE FROM snapshot_texts WHERE namespace = ? AND lang = ?').run(namespace, lang);
        for (const [id, seg] of Object.entries(snap.segments)) putRow.run(namespace, lang, id, seg.source, seg.target);
      }
    })());
    if (stored) this.readFromRows.delete(stored);
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}

/** The last snapshot, as stored: its ids in order (its texts are rows of `snapshot_texts`) and their fingerprints. */
interface CurrentIds {
  ids: string[];
  at: string;
  /** Absent in snapshots recorded by an earlier relais. */
  fingerprints?: string[];
}

/** The snapshot before the last one, as stored: its ids, and the sentences whose text the last one changed. */
interface PreviousDelta {
  ids: string[];
  changed: Record<string, { source: string; target: string }>;
  at: string;
}

/** The same sentences in the same order with the same texts (whenever they were recorded). */
function sameIds(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((id, i) => b[i] === id);
}

function toDecision(r: DecisionRow): Decision {
  return {
    namespace: r.namespace, lang: r.lang, segmentId: r.segment_id, state: r.state, text: r.text, source: r.source, machine: r.machine,
    updatedAt: r.updated_at, ...(r.by === null ? {} : { by: r.by }),
  };
}
