/**
 * What a file that is not a UTF-8 text article is instead, so that the error can say so and what to do:
 * an image or a document format (by its magic number), UTF-16 without a byte-order mark, Windows-1252
 * French, or an HTML page. Pure: bytes or text in, a finding (or undefined) out.
 */

/** Formats people save articles in by mistake, by their first bytes. */
const MAGIC: ReadonlyArray<{ bytes: readonly number[]; what: string; hint: string }> = [
  { bytes: [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a], what: 'a PNG image', hint: 'Give relais a UTF-8 .txt file.' },
  { bytes: [0xff, 0xd8, 0xff], what: 'a JPEG image', hint: 'Give relais a UTF-8 .txt file.' },
  { bytes: [0x47, 0x49, 0x46, 0x38], what: 'a GIF image', hint: 'Give relais a UTF-8 .txt file.' },
  { bytes: [0x25, 0x50, 0x44, 0x46, 0x2d], what: 'a PDF document', hint: 'Copy the article text into a UTF-8 .txt file (or: pdftotext -enc UTF-8 file.pdf article.txt).' },
  {
    bytes: [0x50, 0x4b, 0x03, 0x04],
    what: 'a ZIP archive (a .docx, .odt or .epub file is one)',
    hint: 'Save the document as plain text, UTF-8 (Word: File → Save As → Plain Text, encoding Unicode (UTF-8)).',
  },
  { bytes: [0x1f, 0x8b], what: 'a gzip archive', hint: 'Unpack it first (gunzip), then give relais the .txt file.' },
  { bytes: [0x7b, 0x5c, 0x72, 0x74, 0x66], what: 'an RTF document', hint: 'Save it as plain text, UTF-8, and give relais that file.' },
];

/** The binary format `bytes` start with, if it is one of the known ones. */
export function sniffBinaryFormat(bytes: Uint8Array): { what: string; hint: string } | undefined {
  const found = MAGIC.find((m) => m.bytes.length <= bytes.length && m.bytes.every((b, i) => bytes[i] === b));
  return found && { what: found.what, hint: found.hint };
}

/**
 * UTF-16 without a byte-order mark: ASCII-heavy text in UTF-16 has a NUL in every other byte. Judged on
 * the first 4 KiB; at least 8 code units and 80 % of them with a zero high byte.
 */
export function sniffUtf16WithoutBom(bytes: Uint8Array): 'UTF-16LE' | 'UTF-16BE' | undefined {
  const n = Math.min(bytes.length, 4096) & ~1;
  if (n < 16) return undefined;
  let evenZero = 0;
  let oddZero = 0;
  for (let i = 0; i < n; i += 2) {
    if (bytes[i] === 0) evenZero++;
    if (bytes[i + 1] === 0) oddZero++;
  }
  const units = n / 2;
  if (oddZero >= 0.8 * units && evenZero < 0.2 * units) return 'UTF-16LE';
  if (evenZero >= 0.8 * units && oddZero < 0.2 * units) return 'UTF-16BE';
  return undefined;
}

/** Characters Windows-1252 French uses above ASCII (letters with accents, quotes, dashes, NBSP, €, °). */
const FRENCH_1252 = /[àâäçéèêëîïôöùûüÿœæÀÂÄÇÉÈÊËÎÏÔÖÙÛÜŸŒÆ«»‘’“”…–—€°\u00a0]/u;

/**
 * Whether bytes that are not UTF-8 read as Windows-1252 (a superset of Latin-1) French: at least 80 % of
 * the characters above ASCII are ones French text uses. Returns the line holding `offset`, as it would
 * read once converted, so the user can see that the guess is right.
 */
export function sniffWindows1252(bytes: Uint8Array, offset: number): { line: string } | undefined {
  const text = decodeWindows1252(bytes);
  let high = 0;
  let french = 0;
  for (const ch of text) {
    if (ch.codePointAt(0)! < 0x80) continue;
    high++;
    if (FRENCH_1252.test(ch)) french++;
  }
  if (high === 0 || french < 0.8 * high) return undefined;
  // Windows-1252 is one byte per character: the byte offset is the character offset.
  const start = text.lastIndexOf('\n', offset - 1) + 1;
  const end = text.indexOf('\n', offset);
  const line = text.slice(start, end < 0 ? undefined : end).replace(/\r$/, '').trim();
  return { line: line.length > 80 ? `${line.slice(0, 77)}…` : line };
}

/**
 * Where an HTML page starts, if the text is one: a doctype or an <html>, <head> or <body> tag before any
 * other text (after an XML declaration or comments), or a text that starts with a tag and holds at least
 * three block tags. A `<b>` inside an article's sentences is text, not a page.
 */
export function findHtmlPage(text: string): { index: number; tag: string } | undefined {
  const page = /^(?:\s|<\?xml[^>]*>|<!--[\s\S]*?-->)*(<(?:!doctype\s+html|html|head|body)\b)/i.exec(text);
  if (page) return { index: page[0].length - page[1]!.length, tag: page[1]! };
  const first = /^\s*(<[a-z][a-z0-9]*\b)/i.exec(text);
  if (first && (text.match(/<(p|div|br|h[1-6]|article|section|ul|li|table|span)\b[^>]*>/gi)?.length ?? 0) >= 3) {
    return { index: first[0].length - first[1]!.length, tag: first[1]! };
  }
  return undefined;
}

/**
 * 0x80–0x9F in Windows-1252 (the rest is Latin-1, i.e. the code point itself). Written out because
 * Node 20's TextDecoder('windows-1252') decodes these bytes as Latin-1 C1 control characters.
 * The five bytes Windows-1252 leaves undefined stay control characters, as in WHATWG's table.
 */
const CP1252_HIGH = '€\u0081‚ƒ„…†‡ˆ‰Š‹Œ\u008dŽ\u008f\u0090‘’“”•–—˜™š›œ\u009džŸ';

export function decodeWindows1252(bytes: Uint8Array): string {
  let out = '';
  for (const b of bytes) out += b >= 0x80 && b <= 0x9f ? CP1252_HIGH[b - 0x80]! : String.fromCharCode(b);
  return out;
}
