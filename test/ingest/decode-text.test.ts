import { describe, expect, test } from 'vitest';
import { decodeArticle } from '../../pipeline/stages/ingest/decode-text.js';

describe('decodeArticle', () => {
  test.for([
    { name: 'plain UTF-8', bytes: Buffer.from('Titre\n\nTexte.'), text: 'Titre\n\nTexte.', notes: [] },
    { name: 'UTF-8 BOM is removed', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Titre')]), text: 'Titre', notes: ['removed a UTF-8 byte-order mark'] },
    { name: 'CRLF becomes LF', bytes: Buffer.from('Titre\r\n\r\nTexte.\r\n'), text: 'Titre\n\nTexte.\n', notes: ['converted CRLF line endings'] },
    { name: 'NFD is normalised to NFC', bytes: Buffer.from('E\u0301te\u0301'), text: 'Été', notes: ['normalised the text to Unicode NFC'] },
  ])('$name', ({ bytes, text, notes }) => {
    const out = decodeArticle(bytes, 'a.txt');
    expect(out.text).toBe(text);
    expect(out.notes).toEqual(notes);
  });

  test.for([
    { name: 'empty file', bytes: Buffer.alloc(0), code: 'INPUT_EMPTY', place: { file: 'a.txt' } },
    { name: 'Latin-1 é at byte 9', bytes: Buffer.from([...Buffer.from('Titre\n\nd'), 0xe9, ...Buffer.from('t\u00e9')]), code: 'INPUT_NOT_UTF8', place: { file: 'a.txt', offset: 8, line: 3, column: 2 } },
    { name: 'truncated multibyte sequence', bytes: Buffer.from([0x41, 0xe2, 0x82]), code: 'INPUT_NOT_UTF8', place: { offset: 1, line: 1, column: 2 } },
    { name: 'UTF-16 LE with BOM', bytes: Buffer.from('\ufeffTitre', 'utf16le'), code: 'INPUT_NOT_UTF8', place: { offset: 0 } },
    { name: 'PNG image', bytes: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0, 0]), code: 'INPUT_BINARY', place: { file: 'a.txt' } },
    { name: 'NUL byte', bytes: Buffer.from('ab\0cd'), code: 'INPUT_BINARY', place: { offset: 2 } },
  ])('$name → $code', ({ bytes, code, place }) => {
    expect(() => decodeArticle(bytes, 'a.txt')).toThrow(expect.objectContaining({ code, place: expect.objectContaining(place) }));
  });

  test('the message names the byte offset and how to convert', () => {
    try {
      decodeArticle(Buffer.from([0x61, 0x62, 0xe9]), 'x.txt');
      expect.unreachable();
    } catch (e) {
      expect((e as Error).message).toContain('byte offset 2');
      expect((e as { hint: string }).hint).toContain('iconv -f WINDOWS-1252 -t UTF-8');
    }
  });
});
