/**
 * Redis for queue mode: one connection per purpose (BullMQ needs its own for blocking reads), a lock,
 * and a rate limit shared by every worker on every machine.
 */
import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { RelaisError } from '../errors.js';

/** Every relais key in Redis starts with this (BullMQ's queues too). */
export const KEY_PREFIX = 'relais';

/** `redis://user:secret@host:6379/2` → `redis://user:***@host:6379/2`: URLs in messages carry no password. */
export function redactRedisUrl(url: string): string {
  return url.replace(/^(rediss?:\/\/)([^@/]*)@/, (_m, scheme: string, auth: string) => `${scheme}${auth.includes(':') ? `${auth.split(':')[0]}:***` : '***'}@`);
}

export function checkQueueUrl(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new RelaisError('OPTION_INVALID', `--queue must be a Redis URL like redis://127.0.0.1:6379, got "${redactRedisUrl(url)}"`);
  }
  if (parsed.protocol !== 'redis:' && parsed.protocol !== 'rediss:') {
    throw new RelaisError('OPTION_INVALID', `--queue must be a redis:// or rediss:// URL, got "${redactRedisUrl(url)}"`, { hint: 'For example --queue redis://127.0.0.1:6379 (add /N for database N).' });
  }
  if (!/^\/?(?:\d+)?$/.test(parsed.pathname)) {
    throw new RelaisError('OPTION_INVALID', `--queue: the database in "${redactRedisUrl(url)}" must be a number`, { hint: 'For example --queue redis://127.0.0.1:6379/2 for database 2, or no /N for database 0.' });
  }
  return url;
}

/** The database number a queue URL names (0 when none). */
function databaseOf(url: string): number {
  return Number(new URL(url).pathname.slice(1) || '0');
}

/**
 * A connection that has answered PING. BullMQ workers need `maxRetriesPerRequest: null` (they block
 * on Redis); a Redis that cannot be reached is reported at once instead of retried forever.
 */
export async function connectRedis(url: string, purpose: string): Promise<Redis> {
  checkQueueUrl(url);
  const redis = new Redis(url, { maxRetriesPerRequest: null, lazyConnect: true, connectionName: `relais-${purpose}`, enableOfflineQueue: true });
  let lastError: Error | undefined;
  redis.on('error', (e: Error) => {
    lastError = e;
  });
  try {
    await withTimeout(redis.connect().then(() => redis.ping()), 5000);
  } catch (e) {
    redis.disconnect();
    const why = (lastError ?? (e as Error)).message;
    throw new RelaisError('QUEUE_UNREACHABLE', `cannot reach Redis at ${redactRedisUrl(url)} (${why})`, {
      hint: 'Start it (Debian: `apt-get install redis-server`, then `redis-server --bind 127.0.0.1`), or check the host, port and password in --queue.',
    });
  }
  // ioredis carries on in database 0 when its SELECT fails (a server with fewer databases): ask again.
  const db = databaseOf(url);
  try {
    if (db !== 0) await withTimeout(redis.select(db), 5000);
  } catch (e) {
    redis.disconnect();
    throw new RelaisError('QUEUE_UNREACHABLE', `Redis at ${redactRedisUrl(url)} has no database ${db} (${(e as Error).message})`, {
      hint: 'Use a database the server has (0 to 15 by default; its `databases` setting), e.g. --queue redis://127.0.0.1:6379/1.',
    });
  }
  return redis;
}

function withTimeout<T>(p: Promise<T>, ms: number): Promise<T> {
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error(`no answer in ${ms / 1000} s`)), ms);
    p.then((v) => {
      clearTimeout(t);
      resolve(v);
    }, (e: unknown) => {
      clearTimeout(t);
      reject(e instanceof Error ? e : new Error(String(e)));
    });
  });
}

// Start times `1/rate` apart, for every caller together, measured on Redis' clock (one clock for all
// machines). Returns how long the caller waits before its request: a reservation, not a retry loop.
const RESERVE_SLOT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local interval = tonumber(ARGV[1])
local nextFree = tonumber(redis.call('GET', KEYS[1]) or '0')
local at = math.max(now, nextFree)
redis.call('SET', KEYS[1], tostring(at + interval), 'PX', math.ceil((at + interval - now) / 1000) + 1000)
return at - now
`;

/**
 * A rate limit held by all workers together: requests start at least `1000 / perSecond` ms apart,
 * whichever worker sends them. (A fixed one-second window would let 2× the rate through across
 * a window edge; spacing cannot.)
 */
export class SharedRateLimit {
  constructor(private readonly redis: Redis, private readonly key: string, private readonly perSecond: number) {
    if (!(perSecond > 0)) throw new RelaisError('OPTION_INVALID', `a shared rate must be above 0 requests per second, got ${perSecond}`);
  }

  async acquire(): Promise<void> {
    const intervalUs = Math.round(1_000_000 / this.perSecond);
    const waitUs = Number(await this.redis.eval(RESERVE_SLOT, 1, this.key, String(intervalUs)));
    if (waitUs > 0) await new Promise((r) => setTimeout(r, Math.ceil(waitUs / 1000)));
  }
}

const RELEASE_LOCK = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;

/** Runs `fn` while holding a Redis lock (SET NX PX, released only by its holder); waits up to `waitMs`. */
export async function withRedisLock<T>(redis: Redis, key: string, fn: () => Promise<T>, o: { ttlMs?: number; waitMs?: number } = {}): Promise<T> {
  const token = randomUUID();
  const ttl = o.ttlMs ?? 120_000;
  const deadline = Date.now() + (o.waitMs ?? 120_000);
  while ((await redis.set(key, token, 'PX', ttl, 'NX')) !== 'OK') {
    if (Date.now() > deadline) throw new RelaisError('QUEUE_FAILED', `waited too long for the Redis lock ${key}`, { hint: 'Another worker holds it; if that worker died, the lock expires by itself.' });
    await new Promise((r) => setTimeout(r, 100));
  }
  try {
    return await fn();
  } finally {
    await redis.eval(RELEASE_LOCK, 1, key, token);
  }
}
