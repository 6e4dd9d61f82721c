import { clearPrefix, testRedisUrl, uniquePrefix } from '@sync/testing';
import { Redis } from 'ioredis';
import { keys as keyspace } from '@sync/queue';
import { createLoginGuard, createMemoryLoginStore, createRedisLoginStore, type LoginAttemptStore } from './login-guard';
import { DEFAULT_LOGIN_GUARD } from './login-guard-rules';

const prefix = uniquePrefix('api-login-guard');
let redis: Redis;
beforeAll(() => {
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await clearPrefix(testRedisUrl(), prefix);
  await redis.quit();
});

const cfg = { ...DEFAULT_LOGIN_GUARD, maxFailures: 2, windowMs: 60_000 };

/** One scripted sequence; the Redis store (production) and the memory store (tests) must answer it alike. */
async function script(store: LoginAttemptStore): Promise<unknown[]> {
  const guard = createLoginGuard(store, cfg);
  const t0 = 1_000_000;
  const out: unknown[] = [];
  for (let i = 0; i < 4; i++) out.push(await guard.failed('192.0.2.1', 'admin', t0));
  out.push(await guard.check('192.0.2.1', t0 + 1000));
  out.push(await guard.check('192.0.2.1', t0 + 4000));
  out.push(await guard.check('192.0.2.2', t0));
  out.push(await guard.failed('192.0.2.2', 'admin', t0)); // the user is over: locked at once
  out.push(await guard.check('192.0.2.2', t0));
  await guard.succeeded('192.0.2.1');
  out.push(await guard.check('192.0.2.1', t0));
  return out;
}

describe('login guard stores', () => {
  it('Redis and memory give the same answers to the same failures', async () => {
    const fromRedis = await script(createRedisLoginStore(redis, prefix));
    const fromMemory = await script(createMemoryLoginStore(() => 0));
    expect(fromRedis).toEqual(fromMemory);
    expect(fromRedis).toEqual([
      { addressFailures: 1, userFailures: 1, lockedForMs: 0 },
      { addressFailures: 2, userFailures: 2, lockedForMs: 0 },
      { addressFailures: 3, userFailures: 3, lockedForMs: 1000 },
      { addressFailures: 4, userFailures: 4, lockedForMs: 2000 },
      { allowed: false, retryAfterSeconds: 1 },
      { allowed: true, failures: 4 },
      { allowed: true, failures: 0 },
      { addressFailures: 1, userFailures: 5, lockedForMs: 4000 },
      { allowed: false, retryAfterSeconds: 4 },
      { allowed: true, failures: 0 },
    ]);
  });

  it('keeps its Redis keys under the queue prefix, expiring, with no user name in them', async () => {
    const store = createRedisLoginStore(redis, prefix);
    await store.recordFailure('198.51.100.7', 'secret-looking user', 30_000);
    const keys = [keyspace.loginAddress(prefix, '198.51.100.7'), keyspace.loginUser(prefix, 'secret-looking user')];
    for (const k of keys) {
      expect(k.startsWith(`${prefix}:login:`)).toBe(true);
      expect(await redis.pttl(k)).toBeGreaterThan(0);
      expect(await redis.pttl(k)).toBeLessThanOrEqual(30_000);
    }
    expect(keys[1]).not.toContain('secret');
  });
});
