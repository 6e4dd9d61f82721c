import { getTestRedis, type TestRedis } from './test-redis';

export default async function globalSetup(): Promise<void> {
  const redis = await getTestRedis();
  process.env.REDIS_URL = redis.url;
  (globalThis as { __testRedis?: TestRedis }).__testRedis = redis;
}
