/**
 * An article's TMX and review page, rebuilt from the last run's pieces where its segments did not change.
 *
 * Each segment is one `<tu>` of the TMX and one row of the page, and each depends only on that segment,
 * the article's namespace and languages, and the glossary (see `tmxUnit`, `alignedRowParts`). Next to
 * the two files the writer keeps `<lang>.fragments.json`: per segment, a fingerprint of it and where
 * its unit and row are in the files. A re-run after a paragraph changed in a 1 MB article rebuilds only
 * the new segments' units and rows and copies the others out of the last files (three languages: the
 * align stage's ~0.6 s of escaping, glossary matching and garbage collection becomes ~0.1 s).
 *
 * What was kept is used only when it can be trusted: the index must be this format, of the same
 * namespace, languages, glossary and relais version, and both files exactly as the index saw them
 * (size and modification time to the millisecond, as `make` and git trust a file; a copy that keeps
 * times keeps them). Some kept pieces are rebuilt and
 * compared anyway (`CHECK_EVERY`): when relais's way of writing a unit changed, they differ and
 * everything is rebuilt. Anything unreadable or inconsistent means a full rebuild, never an error: this
 * is a cache.
 */
import { hash } from 'node:crypto';
import { readFileSync, statSync } from 'node:fs';
import type { AlignedArticle, AlignedSegment, Glossary } from '../../artifacts.js';
import { TMX_TAIL, tmxHeader, tmxUnit, type TmxOptions } from './build-tmx.js';
import { ALIGNED_PAGE_TAIL, alignedPageHead, alignedRowParts } from './render-html.js';

export const FRAGMENTS_FORMAT = 'relais-align-fragments-1';

/** Of the kept pieces, the first and every CHECK_EVERY-th after it are rebuilt and compared. */
export const CHECK_EVERY = 256;

/** Where one segment's pieces are (byte offsets): its TMX unit [tmx0, tmx1), its row [row0, row1) with its number at [num0, num1). */
type Place = [tmx0: number, tmx1: number, row0: number, num0: number, num1: number, row1: number];

interface FragmentIndex {
  format: typeof FRAGMENTS_FORMAT;
  /** What every piece depends on besides its segment. */
  context: string;
  tmx: Stamp;
  html: Stamp;
  /** Per segment in page order: its fingerprint and places. */
  units: Array<[print: string, ...place: Place]>;
}

/** Size and modification time (ms, fractional). */
interface Stamp {
  size: number;
  mtimeMs: number;
}

/** The last run's files (bytes), with each kept segment's places (byte offsets) by fingerprint. */
export interface KeptAlignment {
  tmx: Buffer;
  html: Buffer;
  places: Map<string, Place>;
}

/** The files as lists of byte chunks: kept pieces are views of the last files (runs of them, one view each), not copies or re-encodings. */
export interface BuiltAlignment {
  tmx: Buffer[];
  html: Buffer[];
  /** Segments whose pieces came from the last run. */
  reused: number;
  /** The index to keep next to the files once they are written (`fragmentIndexJson`). */
  units: FragmentIndex['units'];
}

export function fragmentsPathOf(tmxPath: string): string {
  return tmxPath.replace(/\.tmx$/, '') + '.fragments.json';
}

/**
 * A segment's fingerprint: a change detector over everything its unit and row show (not a security
 * hash). The cache key stands for the source text, the languages, engine and glossary; the rest is what
 * the engine and relais made of it (a journal deleted and translated again may differ).
 */
function fingerprint(s: AlignedSegment): string {
  const made = s.flags.length === 0 && s.termsApplied.length === 0 ? s.target : `${s.target}\0${JSON.stringify(s.flags)}${JSON.stringify(s.termsApplied)}`;
  return hash('sha1', `${s.id}\0${s.cacheKey}\0${made}`, 'base64');
}

export function alignmentContext(article: AlignedArticle, glossary: Glossary, relaisVersion: string): string {
  return JSON.stringify([FRAGMENTS_FORMAT, relaisVersion, article.namespace, article.sourceLang, article.targetLang, glossary.hash]);
}

/**
 * The TMX and page of `article`, with the pieces of `kept` where a segment's fingerprint is there.
 * Without `kept`, or when a checked piece differs from a rebuilt one, everything is built anew.
 */
export function buildAlignment(article: AlignedArticle, glossary: Glossary, title: string, tmx: TmxOptions, kept?: KeptAlignment): BuiltAlignment {
  const tmxOut = new Chunks(Buffer.from(tmxHeader([article], tmx)), kept?.tmx);
  const htmlOut = new Chunks(Buffer.from(alignedPageHead(article, title)), kept?.html);
  const units: FragmentIndex['units'] = [];
  let reused = 0;
  for (const [i, s] of article.segments.entries()) {
    const print = fingerprint(s);
    const place = kept?.places.get(print);
    const tmxAt = tmxOut.length;
    const number = String(i + 1);
    if (i > 0) htmlOut.newline();
    const row0 = htmlOut.length;
    let headLength: number;
    if (place && kept) {
      const [t0, t1, r0, n0, n1, r1] = place;
      if (reused++ % CHECK_EVERY === 0) {
        const [h, t] = alignedRowParts(article, s, glossary);
        if (!kept.tmx.subarray(t0, t1).equals(Buffer.from(tmxUnit(article, s))) || !kept.html.subarray(r0, n0).equals(Buffer.from(h)) || !kept.html.subarray(n1, r1).equals(Buffer.from(t))) {
          return buildAlignment(article, glossary, title, tmx);
        }
      }
      tmxOut.keep(t0, t1);
      htmlOut.keep(r0, n0);
      // The row's number is kept too when it did not move (no row added or removed before it).
      if (sameAscii(kept.html, n0, n1, number)) htmlOut.keep(n0, n1);
      else htmlOut.push(Buffer.from(number));
      htmlOut.keep(n1, r1);
      headLength = n0 - r0;
    } else {
      tmxOut.push(Buffer.from(tmxUnit(article, s)));
      const [h, t] = alignedRowParts(article, s, glossary);
      const head = Buffer.from(h);
      htmlOut.push(head);
      htmlOut.push(Buffer.from(number));
      htmlOut.push(Buffer.from(t));
      headLength = head.length;
    }
    const num0 = row0 + headLength;
    units.push([print, tmxAt, tmxOut.length, row0, num0, num0 + number.length, htmlOut.length]);
  }
  tmxOut.push(Buffer.from(TMX_TAIL));
  htmlOut.push(Buffer.from(ALIGNED_PAGE_TAIL));
  return { tmx: tmxOut.done(), html: htmlOut.done(), reused, units };
}

const NEWLINE = Buffer.from('\n');

/**
 * A file being built as byte chunks. Kept pieces that follow each other in the last file (most of
 * them: only the rows around a change, and row numbers after an added or removed row, break a run)
 * become one view of it: a few hundred chunks per file on a re-run instead of ~5 per segment.
 */
class Chunks {
  private readonly parts: Buffer[];
  /** Bytes so far. */
  length: number;
  private runStart = -1;
  private runEnd = -1;

  constructor(first: Buffer, private readonly last?: Buffer) {
    this.parts = [first];
    this.length = first.length;
  }

  /** Bytes [start, end) of the last file. */
  keep(start: number, end: number): void {
    if (this.runEnd !== start) {
      this.flush();
      this.runStart = start;
    }
    this.runEnd = end;
    this.length += end - start;
  }

  push(bytes: Buffer): void {
    this.flush();
    this.parts.push(bytes);
    this.length += bytes.length;
  }

  /** A line break: the last file's own, when a run of it stops right before one. */
  newline(): void {
    if (this.runEnd >= 0 && this.last?.[this.runEnd] === 0x0a) this.keep(this.runEnd, this.runEnd + 1);
    else this.push(NEWLINE);
  }

  done(): Buffer[] {
    this.flush();
    return this.parts;
  }

  private flush(): void {
    if (this.runStart >= 0) this.parts.push(this.last!.subarray(this.runStart, this.runEnd));
    this.runStart = this.runEnd = -1;
  }
}

/** Whether bytes [start, end) of `bytes` are the ASCII text `text`. */
function sameAscii(bytes: Buffer, start: number, end: number, text: string): boolean {
  if (end - start !== text.length) return false;
  for (let i = 0; i < text.length; i++) if (bytes[start + i] !== text.charCodeAt(i)) return false;
  return true;
}

/** The index of files just written (stamped with their size and modification time as they are now). */
export function fragmentIndexJson(context: string, units: FragmentIndex['units'], tmxPath: string, htmlPath: string): string {
  const index: FragmentIndex = { format: FRAGMENTS_FORMAT, context, tmx: stampOf(tmxPath), html: stampOf(htmlPath), units };
  return `${JSON.stringify(index)}\n`;
}

/** The last run's pieces, if its index and files are there, of this context, and untouched since. */
export function readKeptAlignment(context: string, tmxPath: string, htmlPath: string): KeptAlignment | undefined {
  try {
    const index = JSON.parse(readFileSync(fragmentsPathOf(tmxPath), 'utf8')) as Partial<FragmentIndex>;
    if (index.format !== FRAGMENTS_FORMAT || index.context !== context || !Array.isArray(index.units)) return undefined;
    if (!sameStamp(index.tmx, stampOf(tmxPath)) || !sameStamp(index.html, stampOf(htmlPath))) return undefined;
    const tmx = readFileSync(tmxPath);
    const html = readFileSync(htmlPath);
    const places = new Map<string, Place>();
    for (const u of index.units) {
      const [print, ...place] = u;
      const [t0, t1, r0, n0, n1, r1] = place;
      if (!(0 <= t0 && t0 <= t1 && t1 <= tmx.length && 0 <= r0 && r0 <= n0 && n0 <= n1 && n1 <= r1 && r1 <= html.length)) return undefined;
      places.set(print, place);
    }
    return { tmx, html, places };
  } catch {
    return undefined;
  }
}

function stampOf(path: string): Stamp {
  const st = statSync(path);
  return { size: st.size, mtimeMs: st.mtimeMs };
}

/**
 * Same size, and times less than a millisecond apart: a copy that keeps times (`cp -p`, Node's
 * `cpSync` with `preserveTimestamps`) sets them through milliseconds and floating-point seconds
 * (…452.27 becomes …451.999).
 */
function sameStamp(a: Stamp | undefined, b: Stamp): boolean {
  return a !== undefined && a.size === b.size && Math.abs(a.mtimeMs - b.mtimeMs) < 1;
}
