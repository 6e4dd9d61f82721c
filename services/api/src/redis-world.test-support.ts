import type { Redis } from 'ioredis';
import type { ApiQueues } from './api-queues';

/**
 * Test support (API tests on real Redis): closes the app, deletes every key under the test's prefix, closes the
 * queues and the connection. Each argument may be unset when the set-up failed half-way.
 */
export async function closeRedisWorld(w: { app?: { close(): Promise<unknown> }; redis?: Redis; queues?: ApiQueues; prefix: string }): Promise<void> {
  await w.app?.close();
  if (w.redis) {
    const left = await w.redis.keys(`${w.prefix}:*`);
    if (left.length) await w.redis.del(...left);
  }
  await w.queues?.close();
  await w.redis?.quit();
}
