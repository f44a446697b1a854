/**
 * Aligned segments → TMX 1.4b. No DOCTYPE (validators use --dtdvalid against the official DTD): a
 * DOCTYPE with a system id would make XML tools try to fetch it.
 */
import { XMLBuilder } from 'fast-xml-parser';
import type { Lang, TranslatedArticle } from '../../artifacts.js';

export interface TmxOptions {
  toolVersion: string;
  /** ISO 8601 basic format, e.g. 20261128T101500Z (TMX's own date format). */
  creationDate: string;
}

const builder = new XMLBuilder({
  ignoreAttributes: false,
  attributeNamePrefix: '@',
  textNodeName: '#text',
  format: true,
  indentBy: '  ',
  suppressEmptyNode: false,
  processEntities: true,
});

/** One article, or several of one language pair (tuids `<namespace>.<id>` keep them apart). */
export function buildTmx(input: TranslatedArticle | readonly TranslatedArticle[], opts: TmxOptions): string {
  const articles: readonly TranslatedArticle[] = Array.isArray(input) ? input : [input as TranslatedArticle];
  const article = articles[0]!;
  const tu = articles.flatMap((article: TranslatedArticle) => article.segments.map((s) => ({
    '@tuid': `${article.namespace}.${s.id}`,
    ...(s.flags.length || s.termsApplied.length
      ? {
          prop: [
            ...s.flags.map((f) => ({ '@type': 'x-relais-flag', '#text': xmlSafe(`${f.code}: ${f.message}`) })),
            ...s.termsApplied.map((t) => ({ '@type': 'x-relais-term', '#text': xmlSafe(`${t.termId} → ${t.form} (${t.strategy})`) })),
          ],
        }
      : {}),
    tuv: [tuv(article.sourceLang, s.source), tuv(article.targetLang, s.target)],
  })));
  const doc = {
    '?xml': { '@version': '1.0', '@encoding': 'UTF-8' },
    tmx: {
      '@version': '1.4',
      header: {
        '@creationtool': 'relais',
        '@creationtoolversion': opts.toolVersion,
        '@segtype': 'sentence',
        '@o-tmf': 'relais-job',
        '@adminlang': 'en',
        '@srclang': article.sourceLang,
        '@datatype': 'plaintext',
        '@creationdate': opts.creationDate,
        prop: [
          ...articles.map((a) => ({ '@type': 'x-relais-namespace', '#text': xmlSafe(a.namespace) })),
          { '@type': 'x-relais-engine', '#text': xmlSafe(`${article.engine.id} ${article.engine.version}`) },
        ],
      },
      body: { tu },
    },
  };
  return builder.build(doc) as string;
}

function tuv(lang: Lang, text: string) {
  return { '@xml:lang': lang, seg: xmlSafe(text) };
}

/**
 * XML 1.0 cannot carry most C0 controls, U+FFFE/U+FFFF or unpaired surrogates, even escaped; they are
 * replaced by U+FFFD. (A lone surrogate would otherwise only be fixed by whichever UTF-8 encoder
 * happens to write the string.)
 */
export function xmlSafe(text: string): string {
  return text.replace(
    // eslint-disable-next-line no-control-regex
    /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g,
    '\uFFFD',
  );
}

export function tmxDate(d: Date): string {
  return d.toISOString().replace(/[-:]/g, '').replace(/\.\d{3}/, '');
}
