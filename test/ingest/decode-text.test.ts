import { describe, expect, test } from 'vitest';
import { MAX_ARTICLE_BYTES, decodeArticle, iconvCommand } from '../../pipeline/stages/ingest/decode-text.js';
import { decodeWindows1252, findHtmlPage } from '../../pipeline/stages/ingest/sniff-input.js';

describe('decodeArticle', () => {
  test.for([
    { name: 'plain UTF-8', bytes: Buffer.from('Titre\n\nTexte.'), text: 'Titre\n\nTexte.', notes: [] },
    { name: 'UTF-8 BOM is removed', bytes: Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('Titre')]), text: 'Titre', notes: ['removed a UTF-8 byte-order mark'] },
    { name: 'CRLF becomes LF', bytes: Buffer.from('Titre\r\n\r\nTexte.\r\n'), text: 'Titre\n\nTexte.\n', notes: ['converted CRLF line endings'] },
    { name: 'NFD is normalised to NFC', bytes: Buffer.from('E\u0301te\u0301'), text: 'Été', notes: ['normalised the text to Unicode NFC'] },
    {
      name: 'VT, FF, U+2028 and U+2029 become line breaks',
      bytes: Buffer.from('Titre\n\nA.\u000bB.\u000cC.\u2028D.\u2029E.'),
      text: 'Titre\n\nA.\nB.\n\nC.\nD.\n\nE.',
      notes: ['converted vertical tabs, form feeds and Unicode line/paragraph separators to line breaks'],
    },
    { name: 'a tab is text', bytes: Buffer.from('Titre\n\nA\tB.'), text: 'Titre\n\nA\tB.', notes: [] },
    { name: '<b> inside a sentence is text, not HTML', bytes: Buffer.from('Titre\n\nLe mot <b>gras</b>.'), text: 'Titre\n\nLe mot <b>gras</b>.', notes: [] },
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
    { name: 'NUL byte: the column counts characters', bytes: Buffer.from('Titre\n\nété\0'), code: 'INPUT_BINARY', place: { offset: 12, line: 3, column: 4 } },
    { name: 'whitespace only', bytes: Buffer.from(' \n\t\n\u00a0\n'), code: 'INPUT_EMPTY', place: { file: 'a.txt' } },
    { name: 'ZIP archive (.docx)', bytes: Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x14, 0, 0, 0]), code: 'INPUT_BINARY', place: { file: 'a.txt' } },
    { name: 'PDF', bytes: Buffer.from('%PDF-1.7\n%\xe2\xe3\xcf\xd3\n', 'latin1'), code: 'INPUT_BINARY', place: { file: 'a.txt' } },
    { name: 'UTF-16 LE without a BOM', bytes: Buffer.from('Titre\n\nUn texte.\n', 'utf16le'), code: 'INPUT_NOT_UTF8', place: { offset: 0 } },
    { name: 'ESC', bytes: Buffer.from('Titre\n\nUn \u001b[1mtexte.'), code: 'INPUT_CONTROL_CHAR', place: { line: 3, column: 4 } },
    { name: 'DEL', bytes: Buffer.from('Titre\u007f'), code: 'INPUT_CONTROL_CHAR', place: { line: 1, column: 6 } },
    { name: 'C1 control (double conversion)', bytes: Buffer.from('Titre\n\nL\u00e2\u0080\u0099un.'), code: 'INPUT_CONTROL_CHAR', place: { line: 3, column: 3 } },
    { name: 'HTML page', bytes: Buffer.from('\n<!-- saved -->\n<!DOCTYPE html><html><body><p>x</p></body></html>'), code: 'INPUT_HTML', place: { line: 3, column: 1 } },
    { name: 'too large', bytes: Buffer.alloc(MAX_ARTICLE_BYTES + 1, 0x61), code: 'INPUT_TOO_LARGE', place: { file: 'a.txt' } },
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

  test('Windows-1252 French is recognised: the hint shows the line converted', () => {
    const bytes = Buffer.from('Le cœur de l’État\n', 'utf8');
    const cp1252 = Buffer.from([...Buffer.from('Le c'), 0x9c, ...Buffer.from('ur de l'), 0x92, 0xc9, ...Buffer.from('tat\n')]);
    expect(decodeArticle(bytes, 'a.txt').text).toBe('Le cœur de l’État\n');
    expect(() => decodeArticle(cp1252, 'a.txt')).toThrow(expect.objectContaining({
      code: 'INPUT_NOT_UTF8',
      hint: "The file looks like Windows-1252 (Latin-1) French; line 1 would read \"Le cœur de l’État\". Convert it: iconv -f WINDOWS-1252 -t UTF-8 'a.txt' > 'a.utf8.txt' && mv 'a.utf8.txt' 'a.txt'",
    }));
  });

  test('a 10 MB single line says so', () => {
    expect(() => decodeArticle(Buffer.alloc(10 * 1024 * 1024, 0x61), 'big.txt')).toThrow(expect.objectContaining({
      code: 'INPUT_TOO_LARGE', message: 'the file is 10 MB (10,485,760 bytes) on a single line; relais takes articles of up to 2 MB',
    }));
  });
});

describe('iconvCommand', () => {
  test.for([
    { file: 'article.txt', command: "iconv -f WINDOWS-1252 -t UTF-8 'article.txt' > 'article.utf8.txt' && mv 'article.utf8.txt' 'article.txt'" },
    { file: 'seeds/x.fr.txt', command: "iconv -f WINDOWS-1252 -t UTF-8 'seeds/x.fr.txt' > 'seeds/x.fr.utf8.txt' && mv 'seeds/x.fr.utf8.txt' 'seeds/x.fr.txt'" },
    { file: "/tmp/l'été.txt", command: "iconv -f WINDOWS-1252 -t UTF-8 '/tmp/l'\\''été.txt' > '/tmp/l'\\''été.utf8.txt' && mv '/tmp/l'\\''été.utf8.txt' '/tmp/l'\\''été.txt'" },
    { file: 'notes', command: "iconv -f WINDOWS-1252 -t UTF-8 'notes' > 'notes.utf8.txt' && mv 'notes.utf8.txt' 'notes'" },
    { file: 'glossary.yaml', command: "iconv -f WINDOWS-1252 -t UTF-8 'glossary.yaml' > 'glossary.utf8.yaml' && mv 'glossary.utf8.yaml' 'glossary.yaml'" },
  ])('$file', ({ file, command }) => {
    expect(iconvCommand('WINDOWS-1252', file)).toBe(command);
  });
});

describe('sniffing', () => {
  test('Windows-1252 0x80–0x9F are the Windows characters, not C1 controls', () => {
    expect(decodeWindows1252(Buffer.from([0x80, 0x85, 0x92, 0x96, 0x97, 0x9c, 0xe9]))).toBe('€…’–—œé');
  });

  test.for([
    { text: '<html><body>x</body></html>', html: true },
    { text: '<?xml version="1.0"?>\n<html>', html: true },
    { text: '<div>\n<p>a</p>\n<p>b</p>\n</div>', html: true },
    { text: 'Titre\n\nLe mot <b>gras</b> et <p> cité.', html: false },
    { text: '<Titre entre chevrons>\n\nUn texte.', html: false },
  ])('$text → html: $html', ({ text, html }) => {
    expect(findHtmlPage(text) !== undefined).toBe(html);
  });
});
