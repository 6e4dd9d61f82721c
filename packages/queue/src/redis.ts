import { Redis, type RedisOptions } from 'ioredis';
import type { Logger } from '@sync/logger';

/** What a connection is used for: BullMQ workers block and must retry forever; producers fail fast. */
export type RedisRole = 'worker' | 'producer';

/**
 * A new ioredis connection for `url`. `worker`: `maxRetriesPerRequest: null` (BullMQ Workers require it).
 * `producer`: `enableOfflineQueue: false`, so an API request fails at once when Redis is down instead of
 * hanging; such a connection also rejects commands sent before it is ready: `await waitForRedis(redis)` at
 * startup. The caller owns the connection: BullMQ never closes a connection passed to it, so `quit()` it.
 */
export function createRedis(url: string, opts: { role: RedisRole; name?: string; extra?: RedisOptions }): Redis {
  const roleOptions: RedisOptions =
    opts.role === 'worker' ? { maxRetriesPerRequest: null } : { enableOfflineQueue: false, maxRetriesPerRequest: 1 };
  return new Redis(url, { ...roleOptions, connectionName: opts.name, ...opts.extra });
}

export interface RedisCheck {
  ok: boolean;
  maxmemoryPolicy?: string;
  version?: string;
}

/**
 * Checks the server BullMQ will run on and logs loudly (error level) when `maxmemory-policy` is not
 * `noeviction`: any other policy can evict locks and job hashes and lose jobs. Never throws: a managed
 * Redis that forbids CONFIG only yields a warning.
 */
export async function checkRedis(redis: Redis, logger: Logger): Promise<RedisCheck> {
  const result: RedisCheck = { ok: true };
  try {
    const info = await redis.info('server');
    const m = /redis_version:([^\r\n]+)/.exec(info);
    if (m) result.version = m[1];
  } catch (e) {
    logger.warn({ err: e }, 'cannot read the Redis server version');
  }
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as unknown;
    const policy = Array.isArray(reply) && typeof reply[1] === 'string' ? reply[1] : undefined;
    result.maxmemoryPolicy = policy;
    if (policy !== undefined && policy !== 'noeviction') {
      result.ok = false;
      logger.error(
        { maxmemoryPolicy: policy },
        `IMPORTANT: Redis maxmemory-policy is "${policy}"; it must be "noeviction" or queued jobs, locks and cursors can be lost`,
      );
    }
  } catch (e) {
    logger.warn({ err: e }, 'cannot read maxmemory-policy (CONFIG GET refused?); make sure it is "noeviction"');
  }
  return result;
}

/**
 * Resolves once `redis` is ready for commands; rejects after `timeoutMs` (default 10 s) with the last
 * connection error. Needed before the first command on a producer connection.
 */
export async function waitForRedis(redis: Redis, timeoutMs = 10_000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    let lastError: unknown;
    const onError = (e: unknown) => {
      lastError = e;
    };
    const onReady = () => {
      cleanup();
      resolve();
    };
    const timer = setTimeout(() => {
      cleanup();
      reject(new Error(`Redis not ready after ${timeoutMs} ms${lastError instanceof Error ? `: ${lastError.message}` : ''}`));
    }, timeoutMs);
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
      redis.off('error', onError);
    };
    redis.on('ready', onReady);
    redis.on('error', onError);
  });
}
