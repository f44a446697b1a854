/** Bytes → text: strict UTF-8 with the offset of the first bad byte, BOM and CRLF accepted, NFC. */
import { isUtf8 } from 'node:buffer';
import { RelaisError } from '../../errors.js';

export function decodeArticle(bytes: Buffer, file: string): { text: string; notes: string[] } {
  const notes: string[] = [];
  if (bytes.length === 0) throw new RelaisError('INPUT_EMPTY', 'the file is empty', { place: { file } });
  if (bytes.subarray(0, 8).equals(Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]))) {
    throw new RelaisError('INPUT_BINARY', 'this is a PNG image, not a text article', { place: { file }, hint: 'Give relais a UTF-8 .txt file.' });
  }
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff)) {
    throw new RelaisError('INPUT_NOT_UTF8', 'the file is UTF-16 (it starts with a UTF-16 byte-order mark); relais reads UTF-8', {
      place: { file, offset: 0 },
      hint: `Convert it: iconv -f UTF-16 -t UTF-8 '${file}' > article.txt`,
    });
  }
  let body = bytes;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    body = bytes.subarray(3);
    notes.push('removed a UTF-8 byte-order mark');
  }
  if (!isUtf8(body)) {
    const bad = firstInvalidUtf8(body) + (body === bytes ? 0 : 3);
    const { line, column } = lineColumnOfByte(bytes, bad);
    throw new RelaisError('INPUT_NOT_UTF8', `invalid UTF-8 at byte offset ${bad} (byte 0x${bytes[bad]?.toString(16).padStart(2, '0')})`, {
      place: { file, line, column, offset: bad },
      hint: `If the file is Latin-1 or Windows-1252, convert it: iconv -f WINDOWS-1252 -t UTF-8 '${file}' > article.txt`,
    });
  }
  if (body.includes(0)) {
    const at = body.indexOf(0) + (body === bytes ? 0 : 3);
    throw new RelaisError('INPUT_BINARY', `NUL byte at byte offset ${at}: this does not look like a text article`, { place: { file, offset: at } });
  }
  let text = body.toString('utf8');
  if (text.includes('\r')) {
    text = text.replace(/\r\n?/g, '\n');
    notes.push('converted CRLF line endings');
  }
  const nfc = text.normalize('NFC');
  if (nfc !== text) notes.push('normalised the text to Unicode NFC');
  return { text: nfc, notes };
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
