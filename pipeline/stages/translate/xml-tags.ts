/**
 * Placeholders as XML elements, for engines that parse tags and leave some alone (DeepL with
 * `tag_handling=xml` and `ignore_tags=x`). Letter tokens like `ZZGA` suit Apertium, which copies an
 * unknown word through; a neural engine may inflect, translate or drop them. Instead the name stays
 * readable inside an element the engine must not touch:
 *
 *   token text  "Selon ZZGA, l’alliance…"
 *   XML text    "Selon <x id="GA">Antony Blinken</x>, l’alliance…"   (the rest XML-escaped)
 *
 * After translation every element is checked: found with its content intact → back to its token;
 * content altered → repaired (TAG_REPAIRED); element gone but the name still written as is → the
 * name becomes the token again (TAG_REPAIRED); element and name gone → `lost`, and the caller
 * translates the segment again without tags. Nothing passes silently. Pure.
 */
import type { QaFlag } from '../../artifacts.js';
import { amountIndexOf, tokenLetters, type PreparedSegment, type Protection } from './protect.js';

/** The element name given to the engine as its ignored tag. */
export const IGNORED_TAG = 'x';

type Placeholder = Extract<Protection, { token: string }>;

export interface FromXmlResult {
  /** The engine's text back in token form (as `restoreSegment` expects), entities decoded. */
  text: string;
  flags: QaFlag[];
  /** Placeholders whose element and content both vanished: translate the segment again without tags. */
  lost: Placeholder[];
}

/** The text to send: the token text XML-escaped, each token as an element holding what it stands for. */
export function toXmlEngineText(prep: PreparedSegment): string {
  let out = escapeXml(prep.engineText);
  for (const p of placeholders(prep)) out = out.replace(p.token, `<${IGNORED_TAG} id="${idOf(p)}">${escapeXml(contentOf(p))}</${IGNORED_TAG}>`);
  return out;
}

/** The engine's XML output → token text, with every element checked. */
export function fromXmlOutput(prep: PreparedSegment, output: string): FromXmlResult {
  let out = output;
  const flags: QaFlag[] = [];
  const lost: Placeholder[] = [];
  for (const p of placeholders(prep)) {
    const content = contentOf(p);
    const element = new RegExp(`<${IGNORED_TAG}\\s+id\\s*=\\s*"${idOf(p)}"\\s*>([\\s\\S]*?)</${IGNORED_TAG}\\s*>`, 'g');
    const hits = [...out.matchAll(element)];
    if (hits.length > 0) {
      const first = hits[0]!;
      if (decodeXml(first[1]!) !== content) {
        flags.push({ code: 'TAG_REPAIRED', message: `the engine changed the protected text "${content}" to "${decodeXml(first[1]!)}"; relais put the glossary's form back`, subject: content });
      }
      if (hits.length > 1) {
        flags.push({ code: 'TAG_REPAIRED', message: `the engine repeated the protected text "${content}"; relais kept the first one`, subject: content });
      }
      let n = 0;
      out = out.replace(element, (_m, inner: string) => (n++ === 0 ? p.token : inner));
      continue;
    }
    const escaped = escapeXml(content);
    const at = findWhole(out, escaped);
    if (at >= 0) {
      out = out.slice(0, at) + p.token + out.slice(at + escaped.length);
      flags.push({ code: 'TAG_REPAIRED', message: `the engine dropped the tag around "${content}" but kept the text; relais protected it again`, subject: content });
    } else {
      lost.push(p);
    }
  }
  const stray = new RegExp(`</?${IGNORED_TAG}\\b[^>]*>`, 'g');
  if (stray.test(out)) {
    out = out.replace(stray, '');
    flags.push({ code: 'TAG_REPAIRED', message: 'the engine left tags relais did not send or could not match; they were removed' });
  }
  return { text: decodeXml(out), flags, lost };
}

export function escapeXml(s: string): string {
  return s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** The five predefined entities and numeric references (what an XML-aware engine may write). */
export function decodeXml(s: string): string {
  return s.replace(/&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);/g, (m, name: string) => {
    switch (name) {
      case 'amp': return '&';
      case 'lt': return '<';
      case 'gt': return '>';
      case 'quot': return '"';
      case 'apos': return "'";
      default: {
        const code = name[1] === 'x' ? Number.parseInt(name.slice(2), 16) : Number.parseInt(name.slice(1), 10);
        return code <= 0x10ffff ? String.fromCodePoint(code) : m;
      }
    }
  });
}

function placeholders(prep: PreparedSegment): Placeholder[] {
  return prep.protections.filter((p): p is Placeholder => 'token' in p);
}

/** `ZZGA` → `GA`: short, unique within the segment, and meaningless to the engine. */
/** The element's id: G… for a name, V… for text kept as written, N… for an amount (whose token is a number). */
function idOf(p: Placeholder): string {
  return p.type === 'amount' ? `N${tokenLetters(amountIndexOf(p.token))}` : p.token.slice(2);
}

function contentOf(p: Placeholder): string {
  return p.type === 'amount' ? p.amount.text : p.type === 'verbatim' ? p.text : p.form;
}

/** Index of `needle` in `text` as a whole word (not inside a longer word), or -1. */
function findWhole(text: string, needle: string): number {
  for (let at = text.indexOf(needle); at >= 0; at = text.indexOf(needle, at + 1)) {
    const before = text.slice(0, at);
    const after = text.slice(at + needle.length);
    if (!/[\p{L}\p{N}]$/u.test(before) && !/^[\p{L}\p{N}]/u.test(after)) return at;
  }
  return -1;
}
