import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import i18next from 'i18next';
import { describe, expect, test } from 'vitest';
import { i18nextReadOptions } from '../../pipeline/i18next-options.js';
import { writeBundles } from '../../pipeline/stages/publish/publish-bundles.js';

const tricky: Record<string, string> = {
  interpolation: 'Il a dit {{name}} et {{ x }} puis {{- raw}}.',
  nesting: 'Voir $t(other) et $t(a, {"x": 1}) : fin.',
  separators: 'Clés : a.b.c et ns:key, vraiment.',
  quotes: 'Il a dit « non » et “oui” — l’OTAN <b>gras</b> & co.',
  'key.with.dots': 'valeur',
  'key:with:colons': 'autre valeur',
  emoji: 'Paix 🕊️ et שלום',
  empty: '',
  spaces: '  espaces  autour  ',
};

describe('published bundles read back through i18next', () => {
  test('every key returns exactly the stored text with the documented options', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'relais-i18n-'));
    writeBundles(dir, [{ lang: 'fr', namespace: 'article', bundle: tricky }, { lang: 'en', namespace: 'article', bundle: { ...tricky, interpolation: 'He said {{name}}.' } }]);
    const resources = {
      fr: { article: JSON.parse(readFileSync(join(dir, 'fr', 'article.json'), 'utf8')) },
      en: { article: JSON.parse(readFileSync(join(dir, 'en', 'article.json'), 'utf8')) },
    };
    const i18n = i18next.createInstance();
    await i18n.init({ ...i18nextReadOptions, lng: 'en', ns: ['article'], defaultNS: 'article', resources });
    for (const [key, value] of Object.entries(tricky)) {
      const expected = key === 'interpolation' ? 'He said {{name}}.' : value;
      expect(i18n.t(key), key).toBe(expected);
      // also when the caller passes values (interpolation would normally kick in)
      expect(i18n.t(key, { name: 'X', x: 1, raw: 'R' }), key).toBe(expected);
    }
  });

  test('with i18next defaults the same text is rewritten (why the options matter)', async () => {
    const i18n = i18next.createInstance();
    await i18n.init({ lng: 'fr', fallbackLng: 'fr', ns: ['a'], defaultNS: 'a', resources: { fr: { a: { k: 'x $t(k2) y', k2: 'Z', 'a.b': 'v' } } } });
    expect(i18n.t('k')).not.toBe('x $t(k2) y');
  });
});
