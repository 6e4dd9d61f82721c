import type { TestRedis } from './test-redis';

/** Stops the Redis the global setup started (if it started one); later calls find nothing to stop. */
export default async function globalTeardown(): Promise<void> {
  const g = globalThis as { __testRedis?: TestRedis };
  const redis = g.__testRedis;
  g.__testRedis = undefined;
  await redis?.stop();
}
