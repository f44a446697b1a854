/**
 * The translation memory of queue mode: one Redis hash read and written by every worker, so a segment
 * finished on one machine is never sent to the engine by another. Same keys and same values as the
 * local SQLite memory (pipeline/memory/translation-memory.ts): the translate stage's cache key → the
 * finished segment, first value kept.
 */
import type { Redis } from 'ioredis';
import type { TranslatedSegment } from '../artifacts.js';
import type { MemoryStore } from '../memory/translation-memory.js';
import { KEY_PREFIX } from './redis.js';

export const REDIS_TM_KEY = `${KEY_PREFIX}:tm`;

export class RedisTranslationMemory implements MemoryStore {
  constructor(private readonly redis: Redis, private readonly key: string = REDIS_TM_KEY) {}

  async getMany(keys: readonly string[]): Promise<Array<TranslatedSegment | undefined>> {
    if (keys.length === 0) return [];
    const values = await this.redis.hmget(this.key, ...keys);
    return values.map((v) => {
      if (v === null) return undefined;
      try {
        return JSON.parse(v) as TranslatedSegment;
      } catch {
        return undefined; // a damaged entry is a miss, never a wrong translation
      }
    });
  }

  async putMany(segments: readonly TranslatedSegment[]): Promise<void> {
    if (segments.length === 0) return;
    const pipeline = this.redis.pipeline();
    for (const s of segments) {
      const { billedCharacters: _billed, ...rest } = s;
      pipeline.hsetnx(this.key, s.cacheKey, JSON.stringify(rest));
    }
    const results = await pipeline.exec();
    const failed = results?.find(([e]) => e !== null);
    if (failed) throw failed[0]!;
  }

  async size(): Promise<number> {
    return this.redis.hlen(this.key);
  }
}
