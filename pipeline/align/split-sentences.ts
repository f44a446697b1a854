/**
 * A text in any language → paragraphs → sentences, for the aligner. French (and any language with a
 * `rules/<lang>.json` next to relais' segmenter) uses those rules; for the others — the translations
 * people bring to `relais align` — relais' own segmenter runs with the small rule sets below: the same
 * boundary logic, with each language's common abbreviations. Pure except for `loadSegmentRules`, which
 * reads a rules file once.
 */
import type { Lang } from '../engines/engine.js';
import { isRelaisError } from '../errors.js';
import { loadSegmentRules, segmentSentences, splitParagraphs, type SegmentException, type SegmentRules } from '../stages/segment/segment-text.js';

export interface TextSentence {
  text: string;
  /** 0-based paragraph (blank-line separated block). */
  paragraph: number;
  /** 1-based line of the file where the sentence starts. */
  line: number;
  /** Whether it is the first sentence of its paragraph. */
  paragraphStart: boolean;
}

/** Sentences of `text`, paragraph by paragraph, in order. */
export function splitSentences(text: string, lang: Lang): TextSentence[] {
  const rules = segmentRulesFor(lang);
  const out: TextSentence[] = [];
  splitParagraphs(text).forEach((p, paragraph) => {
    segmentSentences(p.text, rules).forEach((s, k) => {
      const linesBefore = p.text.slice(0, s.start).split('\n').length - 1;
      out.push({ text: s.text, paragraph, line: p.line + linesBefore, paragraphStart: k === 0 });
    });
  });
  return out;
}

/** relais' rules for `lang` when it has some, else the built-in fallback below. */
export function segmentRulesFor(lang: Lang): SegmentRules {
  try {
    return loadSegmentRules(lang);
  } catch (e) {
    if (isRelaisError(e) && e.code === 'LANGUAGE_UNSUPPORTED') return fallbackSegmentRules(lang);
    throw e;
  }
}

/** Language-neutral "no break here" rules: initials, cuts in quotations, list numbers. */
const NEUTRAL_EXCEPTIONS: readonly SegmentException[] = [
  {
    name: 'initials',
    comment: 'J. T. Maston, J.-P. Sartre: a single capital with a stop is an initial.',
    before: '(?<![\\p{L}\\p{N}\\p{M}])\\p{Lu}\\.(?:-\\p{Lu}\\.)?',
  },
  { name: 'omission', comment: '[…] and (...) mark a cut in a quotation.', before: '[\\[(](?:…|\\.\\.\\.)' },
  { name: 'list-number', comment: "'1. Introduction' at the start of a line.", before: '(?:^|\\n)[ \\t\\u00a0\\u202f]*\\p{N}{1,3}\\.' },
];

/**
 * Abbreviations by language. `neverEnd`: a stop after them never ends a sentence ("Mr. Smith",
 * "No. 21"). `mayEnd`: it does when a capitalised word follows ("in the U.S. The…", "etc. Then").
 */
const ABBREVIATIONS: Readonly<Record<string, { neverEnd: string[]; mayEnd: string[] }>> = {
  en: {
    neverEnd: ['Mr.', 'Mrs.', 'Ms.', 'Messrs.', 'Dr.', 'Prof.', 'Rev.', 'Hon.', 'St.', 'Sr.', 'Jr.', 'Gen.', 'Col.', 'Capt.', 'Lt.', 'Sgt.', 'Gov.', 'Sen.', 'Rep.', 'Mt.', 'vs.', 'e.g.', 'i.e.', 'cf.', 'No.', 'Nos.', 'p.', 'pp.', 'vol.', 'fig.', 'approx.', 'ca.'],
    mayEnd: ['etc.', 'U.S.', 'U.K.', 'a.m.', 'p.m.', 'Inc.', 'Ltd.', 'Co.', 'Corp.', 'Jan.', 'Feb.', 'Mar.', 'Apr.', 'Aug.', 'Sept.', 'Sep.', 'Oct.', 'Nov.', 'Dec.'],
  },
  es: {
    neverEnd: ['Sr.', 'Sra.', 'Srta.', 'Sres.', 'EE.', 'Dr.', 'Dra.', 'Lic.', 'Ing.', 'Prof.', 'D.', 'Dña.', 'Ud.', 'Uds.', 'Vd.', 'Vds.', 'pág.', 'págs.', 'núm.', 'n.º', 'art.', 'p. ej.', 'aprox.', 'cf.', 'vol.', 'cap.'],
    mayEnd: ['etc.', 'EE. UU.', 'a. C.', 'd. C.', 'ene.', 'feb.', 'abr.', 'ago.', 'sept.', 'oct.', 'nov.', 'dic.'],
  },
  ca: {
    neverEnd: ['Sr.', 'Sra.', 'Srta.', 'Dr.', 'Dra.', 'Prof.', 'pàg.', 'núm.', 'art.', 'p. ex.', 'aprox.', 'cf.', 'vol.', 'cap.'],
    mayEnd: ['etc.', 'EUA.', 'aC.', 'dC.', 'gen.', 'febr.', 'abr.', 'ag.', 'set.', 'oct.', 'nov.', 'des.'],
  },
  de: {
    neverEnd: ['Hr.', 'Hrn.', 'Fr.', 'Dr.', 'Prof.', 'St.', 'Nr.', 'bzw.', 'ca.', 'vgl.', 'Vgl.', 'z. B.', 'u. a.', 'd. h.', 's. o.', 'S.', 'Str.', 'Abt.', 'Bd.', 'evtl.', 'ggf.', 'inkl.', 'max.', 'min.'],
    mayEnd: ['usw.', 'etc.', 'u. ä.', 'Std.', 'Min.', 'Jan.', 'Feb.', 'Aug.', 'Sept.', 'Okt.', 'Nov.', 'Dez.'],
  },
  it: {
    neverEnd: ['Sig.', 'Sigg.', 'Sig.ra', 'Dott.', 'Dott.ssa', 'Prof.', 'Ing.', 'Avv.', 'pag.', 'art.', 'ca.', 'cfr.', 'vol.', 'cap.', 'n.'],
    mayEnd: ['ecc.', 'etc.', 'gen.', 'feb.', 'apr.', 'ago.', 'sett.', 'ott.', 'nov.', 'dic.'],
  },
  pt: {
    neverEnd: ['Sr.', 'Sra.', 'Srta.', 'Dr.', 'Dra.', 'Prof.', 'pág.', 'art.', 'n.º', 'aprox.', 'cf.', 'vol.', 'cap.'],
    mayEnd: ['etc.', 'jan.', 'fev.', 'abr.', 'ago.', 'set.', 'out.', 'nov.', 'dez.'],
  },
  eo: { neverEnd: ['s-ro', 's-ino', 'd-ro', 'ekz.', 'n-ro', 'p.'], mayEnd: ['k.t.p.', 'k.s.'] },
  oc: { neverEnd: ['Sr.', 'Sra.', 'Dr.', 'p.', 'art.'], mayEnd: ['etc.'] },
};

/** Rules for a language relais has no rules file for: its abbreviations if listed here, and the neutral exceptions. */
export function fallbackSegmentRules(lang: Lang): SegmentRules {
  const base = lang.toLowerCase().split(/[-_]/u)[0]!;
  const abbreviations = ABBREVIATIONS[base] ?? { neverEnd: [], mayEnd: ['etc.'] };
  return {
    language: lang,
    abbreviations: { neverEnd: [...abbreviations.neverEnd], mayEnd: [...abbreviations.mayEnd] },
    exceptions: [...NEUTRAL_EXCEPTIONS],
    breaks: [],
  };
}
