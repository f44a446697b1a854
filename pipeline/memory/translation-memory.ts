/**
 * The translation memory: every segment relais finished, in any job, reusable by any later job —
 * `.relais/tm.sqlite` by default (better-sqlite3, WAL: several runs may read and write at once).
 *
 * The key is the translate stage's cache key: source text, source and target language, engine and its
 * version, the glossary terms the source holds (as the target writes them) and relais' own rules version. A hit is therefore exactly what the engine and
 * relais would produce again — not a fuzzy match — so it is reused without review and without a
 * request (nor a DeepL bill).
 */
import Database from 'better-sqlite3';
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type { TranslatedSegment } from '../artifacts.js';
import { sqliteError } from '../job/sqlite-errors.js';

export const DEFAULT_TM_FILE = '.relais/tm.sqlite';

/**
 * What the translate stage needs of a translation memory: this SQLite file for local runs, a Redis hash
 * shared by every worker of a queue (pipeline/queue/redis-memory.ts).
 */
export interface MemoryStore {
  /** The finished segments stored under `keys`, in order (undefined: a miss). */
  getMany(keys: readonly string[]): Promise<Array<TranslatedSegment | undefined>> | Array<TranslatedSegment | undefined>;
  /** Store finished segments; an existing key keeps its first value. */
  putMany(segments: readonly TranslatedSegment[]): Promise<void> | void;
  /** Reviewers' texts for these source sentences (local memories only; see `ReviewedText`). */
  reviewedMany?(sources: readonly string[], sourceLang: string, targetLang: string): Array<ReviewedText | undefined>;
}

/**
 * A text a reviewer approved or wrote for a source sentence, in any job beside this memory: what a
 * CAT tool's memory offers. relais puts it on the same sentence elsewhere as "needs review".
 */
export interface ReviewedText {
  source: string;
  sourceLang: string;
  targetLang: string;
  text: string;
  /** Where it was decided: `<job>/<namespace>`. */
  origin: string;
  /** When it was decided (ISO): the newest decision on a sentence wins. */
  at: string;
}

export class TranslationMemory implements MemoryStore {
  readonly file: string;
  private readonly db: Database.Database;
  private readonly getStmt: Database.Statement;
  private readonly putStmt: Database.Statement;

  constructor(file: string = DEFAULT_TM_FILE) {
    this.file = file;
    try {
      mkdirSync(dirname(file), { recursive: true });
      this.db = new Database(file);
      this.db.pragma('journal_mode = WAL');
      this.db.pragma('synchronous = NORMAL');
      this.db.pragma('busy_timeout = 10000');
      this.db.exec(`CREATE TABLE IF NOT EXISTS segments (
        key     TEXT PRIMARY KEY,
        segment TEXT NOT NULL,
        created TEXT NOT NULL
      ) WITHOUT ROWID;
      CREATE TABLE IF NOT EXISTS reviewed (
        source      TEXT NOT NULL,
        source_lang TEXT NOT NULL,
        target_lang TEXT NOT NULL,
        text        TEXT NOT NULL,
        origin      TEXT NOT NULL,
        at          TEXT NOT NULL,
        PRIMARY KEY (source, source_lang, target_lang)
      ) WITHOUT ROWID`);
    } catch (e) {
      throw sqliteError(e, file, 'open the translation memory');
    }
    this.getStmt = this.db.prepare('SELECT segment FROM segments WHERE key = ?');
    this.putStmt = this.db.prepare('INSERT OR IGNORE INTO segments (key, segment, created) VALUES (?, ?, ?)');
  }

  /** The finished segment stored under `key`, or undefined. */
  get(key: string): TranslatedSegment | undefined {
    const row = this.getStmt.get(key) as { segment: string } | undefined;
    if (!row) return undefined;
    try {
      return JSON.parse(row.segment) as TranslatedSegment;
    } catch {
      return undefined; // a damaged entry is a miss, never a wrong translation
    }
  }

  getMany(keys: readonly string[]): Array<TranslatedSegment | undefined> {
    return keys.map((k) => this.get(k));
  }

  /** Store finished segments (one transaction); an existing key keeps its first value. */
  putMany(segments: readonly TranslatedSegment[]): void {
    if (segments.length === 0) return;
    const now = new Date().toISOString();
    try {
      this.db.transaction(() => {
        for (const s of segments) {
          const { billedCharacters: _billed, ...rest } = s;
          this.putStmt.run(s.cacheKey, JSON.stringify(rest), now);
        }
      })();
    } catch (e) {
      throw sqliteError(e, this.file, 'add to the translation memory');
    }
  }

  /** Record reviewers' texts; a sentence keeps the newest one. */
  putReviewed(entries: readonly ReviewedText[]): void {
    if (entries.length === 0) return;
    const put = this.db.prepare(`INSERT INTO reviewed (source, source_lang, target_lang, text, origin, at) VALUES (@source, @sourceLang, @targetLang, @text, @origin, @at)
      ON CONFLICT (source, source_lang, target_lang) DO UPDATE SET text = excluded.text, origin = excluded.origin, at = excluded.at WHERE excluded.at > reviewed.at`);
    try {
      this.db.transaction(() => {
        for (const e of entries) put.run(e);
      })();
    } catch (e) {
      throw sqliteError(e, this.file, 'add to the translation memory');
    }
  }

  reviewedMany(sources: readonly string[], sourceLang: string, targetLang: string): Array<ReviewedText | undefined> {
    // Most memories hold no reviewed text for a language: one query instead of one per sentence.
    if (!this.db.prepare('SELECT 1 FROM reviewed WHERE source_lang = ? AND target_lang = ? LIMIT 1').get(sourceLang, targetLang)) return sources.map(() => undefined);
    const get = this.db.prepare('SELECT text, origin, at FROM reviewed WHERE source = ? AND source_lang = ? AND target_lang = ?');
    return sources.map((source) => {
      const row = get.get(source, sourceLang, targetLang) as { text: string; origin: string; at: string } | undefined;
      return row && { source, sourceLang, targetLang, ...row };
    });
  }

  size(): number {
    return (this.db.prepare('SELECT count(*) AS n FROM segments').get() as { n: number }).n;
  }

  close(): void {
    if (this.db.open) this.db.close();
  }
}
