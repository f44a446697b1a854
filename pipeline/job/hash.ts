import { createHash } from 'node:crypto';

export function sha256(data: string | Buffer): string {
  return createHash('sha256').update(data).digest('hex');
}

/** A short, stable id for a text (first 10 hex digits of its sha256: 40 bits, fine within an article). */
export function shortHash(data: string): string {
  return sha256(data).slice(0, 10);
}
