/**
 * Page furniture: what a web page wraps around an article (share buttons, comment forms, anti-spam
 * notices). It is not the article, so it is neither translated nor published; each block is kept in the
 * job with the reason it was recognised.
 */

interface FurnitureRule {
  test: (paragraph: string) => boolean;
  reason: string;
}

const SHARE_NETWORKS = new Set(
  ['facebook', 'twitter', 'x', 'linkedin', 'pinterest', 'whatsapp', 'telegram', 'reddit', 'email', 'e-mail', 'print', 'imprimer',
    'tumblr', 'mastodon', 'bluesky', 'threads', 'vk', 'messenger', 'pocket', 'copy link', 'copier le lien'],
);

const RULES: FurnitureRule[] = [
  {
    test: (p) => p.split('\n').every((l) => SHARE_NETWORKS.has(l.trim().toLowerCase())),
    reason: 'share links',
  },
  {
    test: (p) => /^(leave a (comment|reply)|laisser un commentaire|laissez un commentaire|post a comment|add a comment|\d+ comments?|commentaires?)$/i.test(p.trim()),
    reason: 'comment form heading',
  },
  {
    test: (p) => /this site uses akismet|ce site utilise akismet|learn how your comment data is processed/i.test(p),
    reason: 'anti-spam notice (Akismet)',
  },
  {
    test: (p) => /^(share( this)?( article)?|partager( cet article)?|partagez( cet article)?)\s*:?$/i.test(p.trim()),
    reason: 'share heading',
  },
  {
    test: (p) => /^(related( posts| articles)?|articles similaires|à lire aussi|lire aussi)\s*:?$/i.test(p.trim()),
    reason: 'related-articles heading',
  },
];

/** The reason a paragraph is page furniture, or undefined if it belongs to the article. */
export function furnitureReason(paragraph: string): string | undefined {
  return RULES.find((r) => r.test(paragraph))?.reason;
}

/**
 * Index from which the trailing paragraphs are furniture. Furniture is recognised at the end of the
 * page only (where templates put it), so a sentence that mentions Facebook mid-article is safe.
 */
export function findTrailingFurniture(paragraphs: readonly string[]): number {
  let start = paragraphs.length;
  while (start > 0 && furnitureReason(paragraphs[start - 1]!) !== undefined) start--;
  return start;
}
