import { getTestRedis, type TestRedis } from './test-redis';

/** Global setup of every project that needs Redis: the first one provides it, the others find REDIS_URL set. */
export default async function globalSetup(): Promise<void> {
  const g = globalThis as { __testRedis?: TestRedis };
  if (g.__testRedis) return;
  const redis = await getTestRedis();
  process.env.REDIS_URL = redis.url;
  g.__testRedis = redis;
}
