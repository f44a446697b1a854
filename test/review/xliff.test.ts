/**
 * XLIFF export and parsing: valid against the official XLIFF 2.1 core schema (xmllint), every text back
 * exactly, malformed files refused with file:line:column, XLIFF 1.2 and 2.0 as CAT tools write them.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, test } from 'vitest';
import { planImport } from '../../pipeline/review/plan-import.js';
import { SEGMENT_STATES, XLIFF_STATE, type ReviewArticle, type ReviewSegment, type SegmentState } from '../../pipeline/review/review-model.js';
import { buildXliff, parseXliff } from '../../pipeline/review/xliff.js';
import { catchError } from '../helpers/catch-error.js';
import { validateXliff } from '../helpers/xmllint-xliff.js';

const dir = mkdtempSync(join(tmpdir(), 'relais-xliff-'));
const LANGS = { sourceLang: 'fr', targetLang: 'en' };
let n = 0;

function segment(id: string, source: string, current: string, state: SegmentState = 'machine', extra: Partial<ReviewSegment> = {}): ReviewSegment {
  return { id, paragraph: 0, index: 0, source, machine: current, target: current, current, state, flags: [], termsApplied: [], ...extra };
}

function article(segments: ReviewSegment[], over: Partial<ReviewArticle> = {}): ReviewArticle {
  return { namespace: 'haut-diplomate', sourceLang: 'fr', targetLang: 'en', title: 'Titre', segments, ...over };
}

function validated(xml: string): void {
  const file = join(dir, `export-${n++}.xlf`);
  writeFileSync(file, xml);
  const r = validateXliff(file);
  expect(r.output).toBe('');
  expect(r.ok).toBe(true);
}

/** What a parse gives back that the export put in. */
function essentials(articles: readonly ReviewArticle[]) {
  return articles.flatMap((a) => a.segments.map((s) => ({ namespace: a.namespace, id: s.id, source: s.source, target: s.current, state: XLIFF_STATE[s.state] })));
}

const TRICKY: Array<{ name: string; source: string; target: string }> = [
  { name: 'HTML that must stay text', source: 'Il a écrit <img src=x onerror=alert(1)>.', target: 'He wrote <img src=x onerror=alert(1)>.' },
  { name: 'markup characters and quotes', source: 'A & B < C > D "cité" l\'OTAN', target: 'A & B < C > D "quoted" NATO\'s' },
  { name: 'text that looks like entities, CDATA, comments', source: '&amp; &lt; &#38; &#x0; <![CDATA[x]]> ]]>', target: '&nbsp; ]]> <!-- c --> <?pi x?> ]]]]>' },
  { name: 'text that looks like XLIFF', source: '<target>faux</target></segment></unit>', target: '<unit id="x"><cp hex="0001"/></unit>' },
  { name: 'NBSP and narrow NBSP', source: 'M.\u00a0Blinken a dit\u202f: «\u00a0oui\u00a0»', target: 'Mr.\u00a0Blinken said: “yes”' },
  { name: 'emoji, ZWJ sequences, flags', source: 'Paix 🕊️ 👩‍👩‍👧 🇺🇦', target: 'Peace 🕊️ 👩‍👩‍👧 🇺🇦' },
  { name: 'right-to-left text and marks', source: 'Il a dit שלום et سلام', target: '\u202Bשלום\u202C and \u200Fسلام' },
  { name: 'i18next markers', source: '{{x}} et $t(clé) et {{- y}}', target: '{{x}} and $t(key) and {{- y}}' },
  { name: 'leading, trailing and doubled spaces', source: '  espaces  autour  ', target: ' x ' },
  { name: 'tab, newline, CR, CRLF', source: 'col1\tcol2\nligne 2\rligne 3\r\nfin', target: 'a\tb\nc\rd\r\n' },
  { name: 'C0 controls, as XLIFF <cp>', source: 'a\u0000b\u0001c\u001Fd\u000Be', target: '\u0007x\u000Cy' },
  { name: 'U+FFFE / U+FFFF, as <cp>', source: 'a\uFFFEb', target: 'c\uFFFFd' },
  { name: 'lone surrogates, as <cp>', source: 'avant \uD800 après \uDFFF', target: 'fin\uD83D' },
  { name: 'DEL and C1 controls (legal XML)', source: 'a\u007Fb\u0085c', target: 'x\u0080y' },
  { name: 'NFD text stays NFD', source: 'e\u0301te\u0301', target: 'summe\u0301r' },
  { name: 'empty target', source: 'Une phrase.', target: '' },
  { name: 'text that looks like a number or boolean', source: '0', target: 'true' },
];

describe('buildXliff → parseXliff', () => {
  test.for(TRICKY)('$name: valid XLIFF 2.1, back exactly, import changes nothing', ({ source, target }) => {
    const articles = [article([segment('s1a2b3c4d5e', source, target)])];
    const xml = buildXliff(articles, LANGS);
    validated(xml);
    const doc = parseXliff(xml, 'export.xlf');
    expect(doc.units.map(({ namespace, id, source, target, state }) => ({ namespace, id, source, target, state }))).toEqual(essentials(articles));
    expect(doc.units[0]!.warnings).toEqual([]);
    expect(planImport(doc.units, articles, LANGS)).toEqual({ updates: [], errors: [], warnings: [], unchanged: 1, stale: 0, conflicts: 0 });
    // Nothing XML 1.0 forbids may be in the file, even inside notes.
    expect(xml).not.toMatch(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF\r]/);
    expect(xml).not.toMatch(/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/);
  });

  test('the document: version 2.1 in the 2.0 namespace, languages, one <file> per article, one <unit> per segment', () => {
    const articles = [
      article([segment('s1', 'Un.', 'One.'), segment('s2', 'Deux.', 'Two.')]),
      article([segment('s1', 'Un.', 'One.')], { namespace: 'autre-article' }),
    ];
    const xml = buildXliff(articles, LANGS);
    validated(xml);
    expect(xml).toContain('<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" xmlns:mda="urn:oasis:names:tc:xliff:metadata:2.0" version="2.1" srcLang="fr" trgLang="en">');
    expect(xml.match(/<file /g)).toHaveLength(2);
    expect(xml).toContain('<file id="autre-article" original="autre-article" canResegment="no">');
    const doc = parseXliff(xml, 'x.xlf');
    expect(doc).toMatchObject({ format: 'xliff', version: '2.1', srcLang: 'fr', trgLang: 'en' });
    expect(doc.units.map((u) => `${u.namespace}/${u.id}`)).toEqual(['haut-diplomate/s1', 'haut-diplomate/s2', 'autre-article/s1']);
    expect(doc.units.map((u) => u.line)).toEqual([4, 20, 38]);
  });

  test.for(SEGMENT_STATES.map((state) => ({ state })))('review state $state → <segment state> and subState', ({ state }) => {
    const xml = buildXliff([article([segment('s1', 'Bonjour.', 'Hello.', state)])], LANGS);
    validated(xml);
    expect(xml).toContain(`<segment state="${XLIFF_STATE[state]}" subState="relais:${state}">`);
    expect(parseXliff(xml, 'x.xlf').units[0]!.state).toBe(XLIFF_STATE[state]);
  });

  test('notes: relais machine translation, QA flags, earlier source and reviewed text; metadata: paragraph and index', () => {
    const s = segment('s1', 'Il a vu Zelensky.', 'He saw Zelenskyy.', 'needs-review', {
      target: 'He saw Zelensky.',
      paragraph: 3,
      index: 2,
      flags: [{ code: 'UNKNOWN_WORD', message: 'unknown "<b>" & \u0000 word', subject: '<b>' }],
      previousSource: 'Il a vu Zelenski.',
      reviewedText: 'He met Zelenskyy.',
      risk: 0.25,
      backTranslation: 'Il a vu Zelensky.',
    });
    const xml = buildXliff([article([s])], LANGS);
    validated(xml);
    expect(xml).toContain('<note category="relais:machine-translation" appliesTo="target">He saw Zelensky.</note>');
    expect(xml).toContain('<note category="relais:qa" appliesTo="target">UNKNOWN_WORD: unknown "&lt;b&gt;" &amp; \uFFFD word</note>');
    expect(xml).toContain('<note category="relais:previous-source" appliesTo="source">Il a vu Zelenski.</note>');
    expect(xml).toContain('<note category="relais:reviewed-text" appliesTo="target">He met Zelenskyy.</note>');
    expect(xml).toContain('<note category="relais:risk" appliesTo="target">0.25 (back-translation: Il a vu Zelensky.)</note>');
    expect(xml).toContain('<mda:meta type="paragraph">3</mda:meta>');
    expect(xml).toContain('<mda:meta type="index">2</mda:meta>');
  });

  test.for([
    { name: 'single spaces between words', text: 'Le haut diplomate.', preserve: false },
    { name: 'NBSP is not XML white space', text: 'M.\u00a0Blinken', preserve: false },
    { name: 'leading space', text: ' a', preserve: true },
    { name: 'trailing space', text: 'a ', preserve: true },
    { name: 'double space', text: 'a  b', preserve: true },
    { name: 'newline', text: 'a\nb', preserve: true },
    { name: 'tab', text: 'a\tb', preserve: true },
  ])('xml:space="preserve" only where white space must survive: $name', ({ text, preserve }) => {
    const xml = buildXliff([article([segment('s1', text, text)])], LANGS);
    expect(xml.includes('<source xml:space="preserve">')).toBe(preserve);
    expect(xml.includes('<target xml:space="preserve">')).toBe(preserve);
  });

  test('characters XML cannot carry are <cp>, a CR is &#13;', () => {
    const xml = buildXliff([article([segment('s1', 'a\u0000b\rc', 'x\uFFFFy\uDC00')])], LANGS);
    expect(xml).toContain('<source xml:space="preserve">a<cp hex="0000"/>b&#13;c</source>');
    expect(xml).toContain('<target>x<cp hex="FFFF"/>y<cp hex="DC00"/></target>');
  });

  test.for([
    { name: 'an article in another target language', articles: () => [article([segment('s1', 'a', 'b')], { targetLang: 'es' })], code: 'OPTION_INVALID', message: /"haut-diplomate" is fr → es, not fr → en/ },
    { name: 'nothing to export', articles: () => [article([])], code: 'JOB_INCOMPLETE', message: /nothing to export: no en segments in haut-diplomate/ },
    { name: 'no article at all', articles: () => [], code: 'JOB_INCOMPLETE', message: /nothing to export/ },
    { name: 'a segment id that is not an XML token', articles: () => [article([segment('s 1', 'a', 'b')])], code: 'JOB_CORRUPT', message: /segment id "s 1" of "haut-diplomate" cannot be an XLIFF id/ },
    { name: 'a segment id twice', articles: () => [article([segment('s1', 'a', 'b'), segment('s1', 'a', 'b')])], code: 'JOB_CORRUPT', message: /"s1" appears twice/ },
    { name: 'an article twice', articles: () => [article([segment('s1', 'a', 'b')]), article([segment('s1', 'a', 'b')])], code: 'OPTION_INVALID', message: /given twice/ },
  ])('refuses $name', ({ articles, code, message }) => {
    const e = catchError(() => buildXliff(articles(), LANGS)) as Error & { code: string };
    expect(e.code).toBe(code);
    expect(e.message).toMatch(message);
  });
});

const X2 = (body: string, attrs = 'srcLang="fr" trgLang="en"') =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.0" ${attrs}>\n<file id="haut-diplomate">\n${body}\n</file>\n</xliff>\n`;

describe('parseXliff: malformed or foreign files are refused with their place', () => {
  test.for([
    { name: 'an unclosed element', xml: X2('<unit id="s1"><segment><source>a</source>'), line: 5, column: 1, message: /<\/file> closes <segment>, opened at line 4:15/ },
    { name: 'a mismatched end tag', xml: X2('<unit id="s1">\n  <segment><source>a</target></segment></unit>'), line: 5, column: 21, message: /<\/target> closes <source>, opened at line 5:12/ },
    { name: 'an HTML entity', xml: X2('<unit id="s1"><segment><source>M.&nbsp;Blinken</source></segment></unit>'), line: 4, column: 34, message: /undefined entity "&nbsp;"/ },
    { name: 'a bare ampersand', xml: X2('<unit id="s1"><segment><source>A & B</source></segment></unit>'), line: 4, column: 34, message: /"&" must be written &amp;/ },
    { name: 'a reference to a forbidden character', xml: X2('<unit id="s1"><segment><source>a&#1;b</source></segment></unit>'), line: 4, column: 33, message: /"&#1;" refers to U\+0001/ },
    { name: 'a raw control character', xml: X2('<unit id="s1"><segment><source>a\u0002b</source></segment></unit>'), line: 4, column: 33, message: /U\+0002 is not allowed in XML 1\.0/ },
    { name: '"]]>" in text', xml: X2('<unit id="s1"><segment><source>a ]]> b</source></segment></unit>'), line: 4, column: 34, message: /"]]>" in text/ },
    { name: 'an unquoted attribute', xml: X2('<unit id=s1><segment><source>a</source></segment></unit>'), line: 4, column: 10, message: /the value of id must be in quotes/ },
    { name: 'a duplicate attribute', xml: X2('<unit id="s1" id="s2"><segment><source>a</source></segment></unit>'), line: 4, column: 15, message: /the attribute id appears twice/ },
    { name: 'an undeclared prefix', xml: X2('<x:unit id="s1"/>'), line: 4, column: 2, message: /namespace prefix "x"/ },
    { name: 'text after the root', xml: `${X2('<unit id="s1"><segment><source>a</source></segment></unit>')}junk`, line: 7, column: 1, message: /content after the end of the root element/ },
    { name: 'entity declarations', xml: '<?xml version="1.0"?>\n<!DOCTYPE xliff [\n  <!ENTITY a "aaaa">\n]>\n<xliff/>', line: 3, column: 3, message: /declares entities/ },
    { name: 'an empty file', xml: '  \n', line: 1, column: 1, message: /empty/ },
    { name: 'UTF-16 read as UTF-8', xml: '<\u0000?\u0000x\u0000', line: 1, column: 2, message: /NUL characters/ },
    { name: 'a non-UTF-8 encoding', xml: '<?xml version="1.0" encoding="ISO-8859-1"?>\n<xliff/>', line: 1, column: 1, message: /encoding ISO-8859-1/ },
  ])('$name', ({ xml, line, column, message }) => {
    const e = catchError(() => parseXliff(xml, 'review.xlf')) as Error & { code: string; place: unknown; format(): string };
    expect(e).toMatchObject({ code: 'XLIFF_INVALID', place: { file: 'review.xlf', line, column } });
    expect(e.message).toMatch(message);
    expect(e.format()).toMatch(new RegExp(`^review\\.xlf:${line}:${column} XLIFF_INVALID malformed XML: `));
  });

  test.for([
    { name: 'not XLIFF', xml: '<?xml version="1.0"?>\n<html><body/></html>', line: 2, message: /not an XLIFF file: its root element is <html>/ },
    { name: 'a TMX file', xml: '<tmx version="1.4"><header/><body/></tmx>', line: 1, message: /not an XLIFF file/ },
    { name: 'an unknown version', xml: '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="3.0" srcLang="fr"/>', line: 1, message: /version "3\.0"/ },
    { name: 'no srcLang', xml: '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1"/>', line: 1, message: /no srcLang/ },
    { name: 'a unit without id', xml: X2('<unit><segment><source>a</source></segment></unit>'), line: 4, message: /<unit> has no id/ },
    { name: 'a segment without source', xml: X2('<unit id="s1"><segment><target>a</target></segment></unit>'), line: 4, message: /has no <source>/ },
    { name: 'an unknown state', xml: X2('<unit id="s1"><segment state="done"><source>a</source></segment></unit>'), line: 4, message: /unknown segment state "done"/ },
    { name: 'a 1.2 unit without id', xml: '<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="fr" datatype="plaintext"><body>\n<trans-unit><source>a</source></trans-unit></body></file></xliff>', line: 2, message: /<trans-unit> has no id/ },
  ])('XLIFF_INVALID: $name', ({ xml, line, message }) => {
    const e = catchError(() => parseXliff(xml, 'review.xlf')) as Error;
    expect(e).toMatchObject({ code: 'XLIFF_INVALID', place: { file: 'review.xlf', line } });
    expect(e.message).toMatch(message);
  });

  test('a BOM, CRLF line ends and a DOCTYPE without entities are fine; a CRLF is one line end', () => {
    const xml = [
      '\uFEFF<?xml version="1.0" encoding="utf-8"?>',
      '<!DOCTYPE xliff>',
      '<xliff xmlns="urn:oasis:names:tc:xliff:document:2.0" version="2.1" srcLang="fr" trgLang="en">',
      '<file id="haut-diplomate">',
      '<unit id="s1"><segment state="final"><source>a',
      'b</source><target>c&#13;&#10;d</target></segment></unit>',
      '</file>',
      '</xliff>',
    ].join('\r\n');
    expect(parseXliff(xml, 'x.xlf').units).toEqual([
      { namespace: 'haut-diplomate', id: 's1', source: 'a\nb', target: 'c\r\nd', state: 'final', srcLang: 'fr', trgLang: 'en', line: 5, warnings: [] },
    ]);
  });
});

describe('parseXliff: what CAT tools write', () => {
  test('XLIFF 2.0 with groups, a prefix for the XLIFF namespace, and foreign elements', () => {
    const xml = `<?xml version="1.0"?>
<x:xliff xmlns:x="urn:oasis:names:tc:xliff:document:2.0" xmlns:mq="urn:memoq" version="2.0" srcLang="fr-FR" trgLang="en-GB">
  <x:file id="haut-diplomate">
    <mq:info x="1"/>
    <x:group id="g1"><x:group id="g2">
      <x:unit id="s1"><mq:status>confirmed</mq:status><x:segment state="reviewed"><x:source>Un.</x:source><x:target>One.</x:target></x:segment></x:unit>
    </x:group></x:group>
    <x:unit id="s2"><x:segment><x:source>Deux.</x:source></x:segment></x:unit>
  </x:file>
</x:xliff>`;
    const doc = parseXliff(xml, 'x.xlf');
    expect(doc).toMatchObject({ version: '2.0', srcLang: 'fr-FR', trgLang: 'en-GB' });
    expect(doc.units.map(({ id, source, target, state, line }) => ({ id, source, target, state, line }))).toEqual([
      { id: 's1', source: 'Un.', target: 'One.', state: 'reviewed', line: 6 },
      // No state attribute: the file says nothing about review (the schema's default "initial" would reject it).
      { id: 's2', source: 'Deux.', target: undefined, state: undefined, line: 8 },
    ]);
  });

  test('inline markup: text kept, codes dropped, one warning naming them; <cp> decoded', () => {
    const xml = X2(`<unit id="s1"><segment state="translated">
  <source>Il a dit <pc id="1">non</pc>.</source>
  <target>He said <pc id="1" type="fmt">no</pc><ph id="2"/> <mrk id="m1" type="comment" value="check">really</mrk><sc id="3"/>!<ec startRef="3"/><cp hex="0007"/></target>
</segment></unit>`);
    const [u] = parseXliff(xml, 'x.xlf').units;
    expect(u!.source).toBe('Il a dit non.');
    expect(u!.target).toBe('He said no really!\u0007');
    expect(u!.warnings).toEqual([{ code: 'IMPORT_INLINE_MARKUP', message: 'inline markup (<pc>, <ph>, <mrk>, <sc>, <ec>) was dropped; only its text was kept' }]);
  });

  test('a unit the CAT tool split into segments is joined, with its lowest state, and a warning', () => {
    const xml = X2(`<unit id="s1">
  <segment state="final"><source>Un. </source><target>One. </target></segment>
  <ignorable><source> </source></ignorable>
  <segment state="translated"><source>Deux.</source><target>Two.</target></segment>
</unit>`);
    const [u] = parseXliff(xml, 'x.xlf').units;
    expect(u).toMatchObject({ source: 'Un.  Deux.', target: 'One.  Two.', state: 'translated' });
    expect(u!.warnings.map((w) => w.code)).toEqual(['IMPORT_JOINED_SEGMENTS']);
  });

  test('a split unit with one untranslated segment has no target', () => {
    const xml = X2('<unit id="s1"><segment state="final"><source>Un.</source><target>One.</target></segment><segment><source>Deux.</source></segment></unit>');
    expect(parseXliff(xml, 'x.xlf').units[0]!.target).toBeUndefined();
  });

  test.for([
    { state12: 'new', state: 'initial' },
    { state12: 'needs-translation', state: 'initial' },
    { state12: 'needs-adaptation', state: 'initial' },
    { state12: 'needs-l10n', state: 'initial' },
    { state12: 'translated', state: 'translated' },
    { state12: 'needs-review-translation', state: 'translated' },
    { state12: 'needs-review-adaptation', state: 'translated' },
    { state12: 'needs-review-l10n', state: 'translated' },
    { state12: 'signed-off', state: 'final' },
    { state12: 'final', state: 'final' },
    { state12: 'x-memoq-confirmed', state: undefined },
  ])('XLIFF 1.2 state $state12 → $state', ({ state12, state }) => {
    const xml = `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2"><file original="a" source-language="fr" target-language="en" datatype="plaintext"><body>
<trans-unit id="s1"><source>Un.</source><target state="${state12}">One.</target></trans-unit></body></file></xliff>`;
    expect(parseXliff(xml, 'x.xlf').units[0]!.state).toBe(state);
  });

  test('XLIFF 1.2: approved="yes" is a sign-off; Trados-style <mrk mtype="seg"> is plain text; native code in <ph>/<bpt> is not text', () => {
    const xml = `<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
<file original="haut-diplomate" source-language="fr-FR" target-language="en-US" datatype="plaintext"><body>
<group id="p1">
<trans-unit id="s1" approved="yes"><source>Un.</source><seg-source><mrk mtype="seg" mid="1">Un.</mrk></seg-source><target state="translated"><mrk mtype="seg" mid="1">One.</mrk></target></trans-unit>
<trans-unit id="s2"><source>Deux.</source><target state="translated">T<bpt id="1">&lt;b&gt;</bpt>wo<ept id="1">&lt;/b&gt;</ept><ph id="2">&lt;br/&gt;</ph><x id="3"/>.</target></trans-unit>
<trans-unit id="s3" translate="no"><source>Trois.</source></trans-unit>
</group>
</body></file>
<file original="autre" source-language="fr" target-language="es" datatype="plaintext"><body>
<trans-unit id="s1"><source>Un.</source><target>Uno.</target><alt-trans><target>Otro.</target></alt-trans></trans-unit>
</body></file></xliff>`;
    const doc = parseXliff(xml, 'x.xlf');
    expect(doc).toMatchObject({ version: '1.2', srcLang: 'fr-FR', trgLang: 'en-US' });
    expect(doc.units.map(({ namespace, id, target, state, srcLang, trgLang, warnings }) => ({ namespace, id, target, state, srcLang, trgLang, warnings: warnings.map((w) => w.message) }))).toEqual([
      { namespace: 'haut-diplomate', id: 's1', target: 'One.', state: 'final', srcLang: 'fr-FR', trgLang: 'en-US', warnings: [] },
      { namespace: 'haut-diplomate', id: 's2', target: 'Two.', state: 'translated', srcLang: 'fr-FR', trgLang: 'en-US', warnings: ['inline markup (<bpt>, <ept>, <ph>, <x>) was dropped; only its text was kept'] },
      { namespace: 'autre', id: 's1', target: 'Uno.', state: undefined, srcLang: 'fr', trgLang: 'es', warnings: [] },
    ]);
  });
});

/* ------------------------------------------------------------------ property */

const idArb = fc.stringMatching(/^s[0-9a-f]{10}(-[2-9])?$/);
const nsArb = fc.stringMatching(/^[a-z0-9]+(-[a-z0-9]+)*$/);
/** Any UTF-16 text, weighted towards what breaks XML writers. */
const textArb = fc.oneof(
  { weight: 3, arbitrary: fc.string({ unit: 'binary' }) },
  { weight: 3, arbitrary: fc.string({ unit: fc.constantFrom('<', '>', '&', '"', "'", ']]>', '\u00a0', '\u202f', ' ', '  ', '\t', '\n', '\r', '\r\n', '\u0000', '\u0001', '\uFFFE', '\uD800', '\uDC00', '😀', 'ש', 'é', 'e\u0301', '{{x}}', '&amp;', '<cp hex="1"/>', 'a', 'Z') }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme' }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-composite' }) },
  { weight: 1, arbitrary: fc.string() },
);
const flagArb = fc.record({ code: fc.constantFrom('UNKNOWN_WORD' as const, 'NUMBER_MISMATCH' as const), message: textArb });
const segmentArb = fc.record({
  id: idArb,
  paragraph: fc.integer({ min: -1, max: 50 }),
  index: fc.nat(30),
  source: textArb,
  machine: textArb,
  target: textArb,
  current: textArb,
  state: fc.constantFrom(...SEGMENT_STATES),
  flags: fc.array(flagArb, { maxLength: 2 }),
  termsApplied: fc.constant([] as ReviewSegment['termsApplied']),
});
const articlesArb = fc
  .uniqueArray(
    fc.record({ namespace: nsArb, segments: fc.uniqueArray(segmentArb, { minLength: 1, maxLength: 6, selector: (s) => s.id }) }),
    { minLength: 1, maxLength: 3, selector: (a) => a.namespace },
  )
  .map((list) => list.map((a): ReviewArticle => ({ ...a, sourceLang: 'fr', targetLang: 'pt-BR', title: '' })));

describe('property: export → import is the identity', () => {
  test('parse(build(x)) gives back every namespace, id, source, target and state; planImport(parse(build(x)), x) changes nothing', () => {
    fc.assert(
      fc.property(articlesArb, (articles) => {
        const langs = { sourceLang: 'fr', targetLang: 'pt-BR' };
        const doc = parseXliff(buildXliff(articles, langs), 'p.xlf');
        expect(doc.units.map(({ namespace, id, source, target, state }) => ({ namespace, id, source, target, state }))).toEqual(essentials(articles));
        expect(doc.units.every((u) => u.warnings.length === 0 && u.srcLang === 'fr' && u.trgLang === 'pt-BR')).toBe(true);
        const plan = planImport(doc.units, articles, langs);
        expect(plan).toEqual({ updates: [], errors: [], warnings: [], unchanged: articles.reduce((k, a) => k + a.segments.length, 0), stale: 0, conflicts: 0 });
      }),
      { numRuns: 300 },
    );
  });

  test('the exports of arbitrary articles are valid XLIFF 2.1 (xmllint, 25 cases)', () => {
    fc.assert(
      fc.property(articlesArb, (articles) => {
        validated(buildXliff(articles, { sourceLang: 'fr', targetLang: 'pt-BR' }));
      }),
      { numRuns: 25 },
    );
  });
});
