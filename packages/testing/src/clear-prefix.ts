import { Redis } from 'ioredis';

/**
 * Deletes every key under `prefix:` on `redisUrl` (SCAN and UNLINK, so a large prefix does not block Redis), on a
 * connection of its own that it closes. The one cleanup of a test's (or the demo's) key prefix.
 */
export async function clearPrefix(redisUrl: string, prefix: string): Promise<void> {
  const redis = new Redis(redisUrl, { maxRetriesPerRequest: 3, connectionName: `${prefix}-cleanup` });
  try {
    let cursor = '0';
    do {
      const [next, batch] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (batch.length) await redis.unlink(...batch);
    } while (cursor !== '0');
  } finally {
    await redis.quit().catch(() => redis.disconnect());
  }
}
