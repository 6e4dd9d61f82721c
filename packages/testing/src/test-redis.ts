import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';

/** A Redis server for tests: where it came from, its URL, and how to stop it (only if we started it). */
export interface TestRedis {
  url: string;
  source: 'env' | 'testcontainers' | 'spawned';
  stop(): Promise<void>;
}

/** A TCP port nothing listens on right now (127.0.0.1), for a process the test starts. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.unref();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const addr = srv.address();
      const port = typeof addr === 'object' && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

async function waitForPort(port: number, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const ok = await new Promise<boolean>((resolve) => {
      const sock = net.connect(port, '127.0.0.1');
      sock.once('connect', () => { sock.destroy(); resolve(true); });
      sock.once('error', () => resolve(false));
    });
    if (ok) return;
    if (Date.now() > deadline) throw new Error(`redis-server did not listen on 127.0.0.1:${port} within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function tryTestcontainers(): Promise<TestRedis | undefined> {
  if (process.env.TESTCONTAINERS_DISABLED === '1') return undefined;
  try {
    const tc = await import('testcontainers');
    await tc.getContainerRuntimeClient();
  } catch {
    return undefined; // no container runtime here: fall through to a spawned redis-server
  }
  const { RedisContainer } = await import('@testcontainers/redis');
  const container = await new RedisContainer(process.env.TEST_REDIS_IMAGE ?? 'redis:7-alpine').start();
  return { url: container.getConnectionUrl(), source: 'testcontainers', stop: async () => { await container.stop(); } };
}

/** Starts a throw-away redis-server on a free port (no persistence). */
export async function spawnRedis(extraArgs: string[] = []): Promise<TestRedis & { port: number; child: ChildProcess }> {
  const bin = process.env.REDIS_SERVER_BIN ?? 'redis-server';
  const port = await freePort();
  const child = spawn(bin, ['--bind', '127.0.0.1', '--port', String(port), '--save', '', '--appendonly', 'no', ...extraArgs], {
    stdio: 'ignore',
  });
  const spawnError = new Promise<never>((_, reject) =>
    child.once('error', (e) => reject(new Error(`cannot start ${bin}: ${e.message} (apt-get install redis-server)`))),
  );
  await Promise.race([waitForPort(port, 5000), spawnError]);
  return {
    url: `redis://127.0.0.1:${port}`,
    source: 'spawned',
    port,
    child,
    stop: async () => {
      if (child.exitCode !== null) return;
      await new Promise<void>((resolve) => { child.once('exit', () => resolve()); child.kill('SIGTERM'); });
    },
  };
}

/**
 * A Redis for tests: `REDIS_URL` if set, else testcontainers if a container runtime answers,
 * else a spawned `redis-server`. Throws with an install hint when none works.
 */
export async function getTestRedis(): Promise<TestRedis> {
  if (process.env.REDIS_URL) return { url: process.env.REDIS_URL, source: 'env', stop: async () => {} };
  return (await tryTestcontainers()) ?? (await spawnRedis());
}

let counter = 0;
/** A key prefix unique to this test file and run, so tests sharing one Redis never collide. */
export function uniquePrefix(name: string): string {
  counter += 1;
  return `t-${name}-${process.pid}-${Date.now().toString(36)}-${counter}`;
}

/** The Redis URL set up by the Jest global setup. */
export function testRedisUrl(): string {
  const url = process.env.REDIS_URL;
  if (!url) {
    throw new Error('REDIS_URL is not set: a test that needs Redis is an integration test (name it *.int.test.ts; its Jest project provides one)');
  }
  return url;
}
