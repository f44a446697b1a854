/**
 * A real Redis for queue tests. `.ci/run` starts one and sets RELAIS_TEST_REDIS_URL; otherwise each
 * test file starts its own `redis-server` (Debian package redis-server) on a free port, with no disk
 * persistence, and stops it afterwards. Each test uses its own database number, emptied first.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Redis } from 'ioredis';

export const REDIS_SERVER = '/usr/bin/redis-server';

export interface TestRedis {
  /** redis://127.0.0.1:PORT/DB for this test, with the database emptied. */
  url(db: number): Promise<string>;
  stop(): Promise<void>;
}

export async function startTestRedis(): Promise<TestRedis> {
  const shared = process.env.RELAIS_TEST_REDIS_URL;
  let child: ChildProcess | undefined;
  let base: string;
  if (shared) {
    base = shared.replace(/\/\d*$/, '');
  } else {
    if (!existsSync(REDIS_SERVER)) {
      throw new Error(`${REDIS_SERVER} is missing: the queue tests need a real Redis. Install it with \`apt-get install -y redis-server\` (\`npm test\` does this when run as root), or set RELAIS_TEST_REDIS_URL=redis://HOST:PORT.`);
    }
    const port = await freePort();
    const dir = mkdtempSync(join(tmpdir(), 'relais-redis-'));
    child = spawn(REDIS_SERVER, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--databases', '32'], { stdio: ['ignore', 'pipe', 'pipe'] });
    let log = '';
    child.stdout!.setEncoding('utf8').on('data', (d: string) => (log += d));
    child.stderr!.setEncoding('utf8').on('data', (d: string) => (log += d));
    base = `redis://127.0.0.1:${port}`;
    const deadline = Date.now() + 10_000;
    for (;;) {
      if (await answers(base)) break;
      if (child.exitCode !== null || Date.now() > deadline) throw new Error(`redis-server did not start on port ${port}:\n${log}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  return {
    async url(db: number) {
      const url = `${base}/${db}`;
      const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 1 });
      await r.connect();
      await r.flushdb();
      r.disconnect();
      return url;
    },
    async stop() {
      if (!child || child.exitCode !== null) return;
      const exited = new Promise((r) => child!.once('exit', r));
      child.kill('SIGTERM');
      await exited;
    },
  };
}

async function answers(url: string): Promise<boolean> {
  const r = new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  r.on('error', () => {});
  try {
    await r.connect();
    return (await r.ping()) === 'PONG';
  } catch {
    return false;
  } finally {
    r.disconnect();
  }
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}
