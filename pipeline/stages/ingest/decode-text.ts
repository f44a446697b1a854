/**
 * Bytes → text: strict UTF-8 with the place of the first bad byte, BOM and CRLF accepted, NFC. A file
 * that is not a text article (an image, a document, UTF-16, Windows-1252, an HTML page, control
 * characters, only whitespace, far too large) is refused with a code, its place and what to do.
 */
import { isUtf8 } from 'node:buffer';
import { basename, dirname, join } from 'node:path';
import { RelaisError } from '../../errors.js';
import { findHtmlPage, sniffBinaryFormat, sniffUtf16WithoutBom, sniffWindows1252 } from './sniff-input.js';

/**
 * The largest article relais takes: 2 MiB, ten times a 1,000-sentence corpus. A larger file is rarely an
 * article (a log, a dump, a book), and would keep an engine busy for minutes.
 */
export const MAX_ARTICLE_BYTES = 2 * 1024 * 1024;

/**
 * C0 and C1 control characters and DEL, except tab, line feed and carriage return (handled apart), and
 * Unicode's noncharacters (U+FFFF, U+FFFE, U+FDD0–U+FDEF…), which are never text: Apertium ends its
 * stream at U+FFFF, so a sentence holding one came back cut there.
 */
const CONTROL = /[\u0001-\u0008\u000e-\u001f\u007f-\u009f]|\p{Noncharacter_Code_Point}/u;

/** Refuses a file over MAX_ARTICLE_BYTES; callers can check a file's size before reading it. */
export function checkArticleSize(size: number, file: string, singleLine = false): void {
  if (size <= MAX_ARTICLE_BYTES) return;
  throw new RelaisError('INPUT_TOO_LARGE', `the file is ${formatSize(size)} (${new Intl.NumberFormat('en').format(size)} bytes)${singleLine ? ' on a single line' : ''}; relais takes articles of up to ${formatSize(MAX_ARTICLE_BYTES)}`, {
    place: { file },
    hint: 'Check that this is the file you meant; a long text goes in as several articles, one file each.',
  });
}

/** 10.4 MB, 3 GB (binary units, as `ls -h` shows them). */
function formatSize(bytes: number): string {
  const gb = bytes >= 1024 ** 3;
  return `${new Intl.NumberFormat('en', { maximumFractionDigits: 1 }).format(bytes / 1024 ** (gb ? 3 : 2))} ${gb ? 'GB' : 'MB'}`;
}

export function decodeArticle(bytes: Buffer, file: string): { text: string; notes: string[] } {
  const notes: string[] = [];
  checkArticleSize(bytes.length, file, bytes.length > 0 && !bytes.subarray(0, bytes.length - 1).includes(0x0a));
  if (bytes.length === 0) throw new RelaisError('INPUT_EMPTY', 'the file is empty', { place: { file } });
  const binary = sniffBinaryFormat(bytes);
  if (binary) throw new RelaisError('INPUT_BINARY', `this is ${binary.what}, not a text article`, { place: { file }, hint: binary.hint });
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new RelaisError('INPUT_NOT_UTF8', 'the file is UTF-16 (it starts with a UTF-16 byte-order mark); relais reads UTF-8', {
      place: { file, offset: 0 },
      hint: `Convert it: ${iconvCommand('UTF-16', file)}`,
    });
  }
  const utf16 = sniffUtf16WithoutBom(bytes);
  if (utf16) {
    throw new RelaisError('INPUT_NOT_UTF8', `the file looks like ${utf16} without a byte-order mark (every other byte is NUL); relais reads UTF-8`, {
      place: { file, offset: 0 },
      hint: `Convert it: ${iconvCommand(utf16, file)}`,
    });
  }
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    body = bytes.subarray(3);
    notes.push('removed a UTF-8 byte-order mark');
  }
  // Before the UTF-8 check: a program or a random file fails that first, and its hint (convert from
  // Windows-1252) would make garbage text of it.
  if (body.includes(0)) {
    const nul = body.indexOf(0);
    const at = nul + (body === bytes ? 0 : 3);
    const upToNul = body.subarray(0, nul + 1).toString('utf8');
    const { line, column } = lineColumnOfChar(upToNul, upToNul.length - 1);
    throw new RelaisError('INPUT_BINARY', `NUL byte at byte offset ${at}: this does not look like a text article`, {
      place: { file, line, column, offset: at },
      hint: 'Give relais a UTF-8 .txt file; a NUL byte is never part of text.',
    });
  }
  const invalid = findInvalidUtf8(bytes);
  if (invalid) {
    const { offset: bad, line, column } = invalid;
    const cp1252 = sniffWindows1252(bytes, bad);
    throw new RelaisError('INPUT_NOT_UTF8', `invalid UTF-8 at byte offset ${bad} (byte 0x${invalid.byte.toString(16).padStart(2, '0')})`, {
      place: { file, line, column, offset: bad },
      hint: cp1252
        ? `The file looks like Windows-1252 (Latin-1) French; line ${line} would read "${cp1252.line}". Convert it: ${iconvCommand('WINDOWS-1252', file)}`
        : `If the file is Latin-1 or Windows-1252, convert it: ${iconvCommand('WINDOWS-1252', file)}`,
    });
  }
  let text = body.toString('utf8');
  if (text.includes('\r')) {
    text = text.replace(/\r\n?/g, '\n');
    notes.push('converted CRLF line endings');
  }
  // Word writes a manual line break as VT and a page break as FF; Unicode has its own separators.
  if (/[\u000b\u000c\u2028\u2029]/u.test(text)) {
    text = text.replace(/[\u000b\u2028]/gu, '\n').replace(/[\u000c\u2029]/gu, '\n\n');
    notes.push('converted vertical tabs, form feeds and Unicode line/paragraph separators to line breaks');
  }
  const control = CONTROL.exec(text);
  if (control) {
    const { line, column } = lineColumnOfChar(text, control.index);
    const cp = control[0].codePointAt(0)!;
    const what = cp > 0x9f ? 'noncharacter' : 'control character';
    throw new RelaisError('INPUT_CONTROL_CHAR', `${what} U+${cp.toString(16).toUpperCase().padStart(4, '0')}${CONTROL_NAMES[cp] ? ` (${CONTROL_NAMES[cp]})` : ''}: an article is plain text`, {
      place: { file, line, column },
      hint: cp > 0x9f
        ? 'Unicode keeps noncharacters for programs\' own use; they are never part of a text. Remove it (a converter or an editor plugin left it there).'
        : cp >= 0x80
        ? 'U+0080–U+009F usually come from text converted from Windows-1252 twice: convert the original file once, or remove them.'
        : "Remove it (a terminal colour code or a paste from another program?), e.g. tr -d '\\001-\\010\\016-\\037\\177'.",
    });
  }
  // Zero-width spaces and joiners, the word joiner and the soft hyphen show nothing either.
  if (/^[\s\u200b-\u200d\u2060\u00ad]*$/u.test(text)) {
    throw new RelaisError('INPUT_EMPTY', 'the article has no text (only whitespace or invisible characters)', { place: { file } });
  }
  const html = findHtmlPage(text);
  if (html) {
    const { line, column } = lineColumnOfChar(text, html.index);
    throw new RelaisError('INPUT_HTML', `this is an HTML page (it starts with ${html.tag.toLowerCase()}…>), not a text article`, {
      place: { file, line, column },
      hint: `Give relais the article's text: copy it from the browser into a UTF-8 .txt file, or convert the page: pandoc -t plain ${shellQuote(file)} -o ${shellQuote(siblingName(file, /\.txt$/i.test(file) ? '.plain.txt' : '.txt'))}`,
    });
  }
  const nfc = text.normalize('NFC');
  if (nfc !== text) notes.push('normalised the text to Unicode NFC');
  return { text: nfc, notes };
}

const CONTROL_NAMES: Record<number, string> = { 0x07: 'BEL', 0x08: 'BS', 0x1b: 'ESC', 0x7f: 'DEL' };

/** `dir/name.ext` → `dir/name<suffix>` (the last extension replaced). */
export function siblingName(file: string, suffix: string): string {
  const base = basename(file);
  const stem = base.replace(/(?<=.)\.[^.]*$/, '');
  const dir = dirname(file);
  return dir === '.' ? `${stem}${suffix}` : join(dir, `${stem}${suffix}`);
}

/** A POSIX shell word for `s`, single-quoted. */
export function shellQuote(s: string): string {
  return `'${s.replace(/'/g, `'\\''`)}'`;
}

/** Index of the first byte that breaks UTF-8 (only called when the buffer is known to be invalid). */
export function firstInvalidUtf8(b: Buffer): number {
  let i = 0;
  while (i < b.length) {
    const c = b[i]!;
    const need = c < 0x80 ? 0 : c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need > 0 && !isUtf8(b.subarray(i, i + need + 1))) return i;
    i += need + 1;
  }
  return b.length;
}

/** Where UTF-8 breaks in `bytes` (a UTF-8 BOM is skipped), with the offending byte; undefined when it is valid. */
export function findInvalidUtf8(bytes: Buffer): { offset: number; line: number; column: number; byte: number } | undefined {
  const skip = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  const body = bytes.subarray(skip);
  if (isUtf8(body)) return undefined;
  const offset = firstInvalidUtf8(body) + skip;
  return { offset, ...lineColumnOfByte(bytes, offset), byte: bytes[offset] ?? 0 };
}

/**
 * The shell command that converts `file` to UTF-8 in place: a copy is written next to it first
 * (`name.txt` → `name.utf8.txt`, `glossary.yaml` → `glossary.utf8.yaml`, `notes` → `notes.utf8.txt`)
 * and takes the file's place only when iconv succeeded. (A copy left beside the original would be
 * picked up by `seeds/*.txt` as a second article of the same name.)
 */
export function iconvCommand(encoding: string, file: string): string {
  const ext = /(?<=[^/\\])\.[^./\\]*$/.exec(file)?.[0] ?? '.txt';
  const copy = shellQuote(siblingName(file, `.utf8${ext}`));
  return `iconv -f ${encoding} -t UTF-8 ${shellQuote(file)} > ${copy} && mv ${copy} ${shellQuote(file)}`;
}

/** 1-based line and column of a byte (the column counts bytes: the text could not be decoded). */
function lineColumnOfByte(b: Buffer, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  for (let i = 0; i < offset; i++) {
    if (b[i] === 0x0a) {
      line++;
      lineStart = i + 1;
    }
  }
  return { line, column: offset - lineStart + 1 };
}

/** 1-based line and column of a UTF-16 index in decoded text (the column counts code points, as editors do). */
function lineColumnOfChar(text: string, index: number): { line: number; column: number } {
  const before = text.slice(0, index);
  const lineStart = before.lastIndexOf('\n') + 1;
  return { line: before.split('\n').length, column: [...before.slice(lineStart)].length + 1 };
}
