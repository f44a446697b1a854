/**
 * How to configure i18next so that every published string comes back exactly as stored.
 *
 * Keys are segment ids and values are article text, which may contain `.`, `:`, `{{…}}` or `$t(…)`.
 * i18next has no escape syntax, so relais moves the interpolation and nesting markers to sequences
 * that can never occur in a published string (they start with U+0000, which ingest rejects).
 *
 * @example
 * import i18next from 'i18next';
 * import { i18nextReadOptions } from 'relais';
 * await i18next.init({ ...i18nextReadOptions, lng: 'en', ns: ['haut-diplomate-americain'], resources });
 */
export const i18nextReadOptions = {
  keySeparator: false,
  nsSeparator: false,
  fallbackLng: 'fr',
  interpolation: {
    escapeValue: false,
    prefix: '\u0000{{',
    suffix: '}}\u0000',
    nestingPrefix: '\u0000$t(',
    nestingSuffix: ')\u0000',
  },
} as const;
