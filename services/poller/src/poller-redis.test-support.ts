/** Test-only: the admin Redis connection of a poller test file, and the cleanup of what its tests created. */
import { createRedis, waitForRedis } from '@sync/queue';
import { testRedisUrl } from '@sync/testing';
import type { PollerService } from './poller-service';

/**
 * Registers beforeAll/afterAll hooks: waits for Redis, then stops every service pushed to `services` and deletes
 * the keys of every prefix pushed to `prefixes`, and closes the admin connection.
 */
export function pollerTestRedis() {
  const admin = createRedis(testRedisUrl(), { role: 'producer' });
  const prefixes: string[] = [];
  const services: PollerService[] = [];
  beforeAll(async () => {
    await waitForRedis(admin);
  });
  afterAll(async () => {
    try {
      for (const s of services) await s.stop();
      for (const p of prefixes) {
        const k = await admin.keys(`${p}:*`);
        if (k.length) await admin.del(...k);
      }
    } finally {
      admin.disconnect();
    }
  });
  return { admin, prefixes, services };
}
