import { createServer, type Socket } from 'node:net';
import { Redis } from 'ioredis';
import { createMemoryCallLimiter, DEFAULT_CALL_MARGIN_MS } from '@sync/jushuitan';
import { envSchema } from '@sync/config';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { createRedis, waitForRedis } from './redis';
import { createRedisCallLimiter, DEFAULT_REDIS_CALL_MARGIN_MS as M, limiterTokenKey, sharedQimenLimiter } from './jst-call-limiter';

const T0 = 1_700_000_000_000;
const PATH = '/open/orders/out/simple/query';

/**
 * A manual clock; `sleep` records the time the caller waits for and resolves at once, so every acquire's
 * reserved time is observable without real waiting.
 */
function fakeClock() {
  let now = T0;
  const wokeAt: number[] = [];
  return {
    now: () => now,
    sleep: async (ms: number) => {
      wokeAt.push(now + ms);
    },
    wokeAt,
    set(t: number) {
      now = t;
    },
  };
}

/** Largest number of times inside any window of `ms`. */
function maxInWindow(times: number[], ms: number): number {
  const sorted = [...times].sort((a, b) => a - b);
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < sorted.length; hi++) {
    while (sorted[hi] - sorted[lo] >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

/** A closed TCP port: nothing listens there. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

describe('createRedisCallLimiter (real Redis)', () => {
  const prefix = uniquePrefix(`jstlimit-${process.pid}`);
  const redisA = createRedis(testRedisUrl(), { role: 'producer', name: 'jst-limit-test-a' });
  const redisB = createRedis(testRedisUrl(), { role: 'producer', name: 'jst-limit-test-b' });
  let n = 0;
  /** A fresh token key per test, so tests never share a budget. */
  const freshToken = () => limiterTokenKey('app', `token-${++n}`);

  beforeAll(async () => {
    await Promise.all([waitForRedis(redisA), waitForRedis(redisB)]);
  });
  afterAll(async () => {
    const keys = await redisA.keys(`${prefix}:*`);
    if (keys.length) await redisA.del(...keys);
    await Promise.all([redisA.quit(), redisB.quit()]);
  });

  it('uses one safety margin everywhere: the Redis and in-memory limiters and the JST_CALL_MARGIN_MS default', () => {
    expect(M).toBe(DEFAULT_CALL_MARGIN_MS);
    expect(envSchema.parse({}).JST_CALL_MARGIN_MS).toBe(M);
  });

  it('lets a burst of 5 through at once and schedules the 6th one second after the first', async () => {
    const clock = fakeClock();
    const tokenKey = freshToken();
    const limiter = createRedisCallLimiter(redisA, { prefix, tokenKey, now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i++) await limiter.acquire(PATH);
    expect(clock.wokeAt).toEqual([]);
    clock.set(T0 + 300);
    await limiter.acquire(PATH);
    expect(clock.wokeAt).toEqual([T0 + 1000 + M]);
    // the key outlives the reservation by about a minute, then disappears by itself
    const ttl = await redisA.pttl(`${prefix}:jst-limit:${tokenKey}:${PATH}`);
    expect(ttl).toBeGreaterThan(61_000);
    expect(ttl).toBeLessThanOrEqual(700 + M + 61_000 + M);
  });

  it('makes the 101st call of a minute wait for the minute window', async () => {
    const clock = fakeClock();
    const limiter = createRedisCallLimiter(redisA, { prefix, tokenKey: freshToken(), now: clock.now, sleep: clock.sleep });
    // 3 per second: never held back by the per-second budget
    for (let i = 0; i < 100; i++) {
      clock.set(T0 + i * 334);
      await limiter.acquire(PATH);
    }
    expect(clock.wokeAt).toEqual([]);
    clock.set(T0 + 100 * 334);
    await limiter.acquire(PATH);
    expect(clock.wokeAt).toEqual([T0 + 60_000 + M]);
  });

  it('shares one budget between two processes on one token', async () => {
    const clock = fakeClock();
    const tokenKey = freshToken();
    const a = createRedisCallLimiter(redisA, { prefix, tokenKey, now: clock.now, sleep: clock.sleep });
    const b = createRedisCallLimiter(redisB, { prefix, tokenKey, now: clock.now, sleep: clock.sleep });
    for (const limiter of [a, b, a, b, a]) await limiter.acquire(PATH);
    expect(clock.wokeAt).toEqual([]);
    await b.acquire(PATH);
    await a.acquire(PATH);
    expect(clock.wokeAt).toEqual([T0 + 1000 + M, T0 + 1000 + M]);
  });

  it('paces Qimen calls under their own key, 8 per second per method, shared by every process', async () => {
    const env = { QUEUE_PREFIX: prefix, JST_QIMEN_CALLS_PER_SECOND: 8, JST_QIMEN_CALLS_PER_MINUTE: 480, JST_CALL_MARGIN_MS: M };
    const creds = { appKey: 'qimen-app', customerId: `cust-${++n}` };
    const method = 'jushuitan.saleout.list.query';
    const a = sharedQimenLimiter(redisA, env, creds);
    const b = sharedQimenLimiter(redisB, env, creds);
    for (const limiter of [a, b, a, b, a, b, a, b]) await limiter.acquire(method);
    const key = `${prefix}:jst-limit:qimen-${limiterTokenKey(creds.appKey, creds.customerId)}:${method}`;
    const times = (await redisA.zrange(key, '0', '-1', 'WITHSCORES')).filter((_, i) => i % 2 === 1).map(Number);
    expect(times).toHaveLength(8);
    // The ninth call of that second (seen through the same key) must wait until a second after the first.
    const clock = fakeClock();
    clock.set(Math.max(...times));
    const ninth = createRedisCallLimiter(redisA, { prefix, tokenKey: `qimen-${limiterTokenKey(creds.appKey, creds.customerId)}`, perSecond: 8, perMinute: 480, now: clock.now, sleep: clock.sleep });
    await ninth.acquire(method);
    expect(clock.wokeAt).toEqual([Math.min(...times) + 1000 + M]);
  });

  it('keeps separate budgets per path and per token', async () => {
    const clock = fakeClock();
    const tokenKey = freshToken();
    const limiter = createRedisCallLimiter(redisA, { prefix, tokenKey, now: clock.now, sleep: clock.sleep });
    const otherToken = createRedisCallLimiter(redisB, { prefix, tokenKey: freshToken(), now: clock.now, sleep: clock.sleep });
    for (let i = 0; i < 5; i++) {
      await limiter.acquire(PATH);
      await limiter.acquire('/open/inventory/query');
      await otherToken.acquire(PATH);
    }
    expect(clock.wokeAt).toEqual([]);
    await limiter.acquire(PATH);
    expect(clock.wokeAt).toEqual([T0 + 1000 + M]);
  });

  it('never gives two concurrent acquirers the same slot', async () => {
    const clock = fakeClock();
    const tokenKey = freshToken();
    const a = createRedisCallLimiter(redisA, { prefix, tokenKey, now: clock.now, sleep: clock.sleep });
    const b = createRedisCallLimiter(redisB, { prefix, tokenKey, now: clock.now, sleep: clock.sleep });
    await Promise.all(Array.from({ length: 20 }, (_, i) => (i % 2 ? a : b).acquire(PATH)));
    // the calls that did not sleep were granted at T0
    const granted = [...clock.wokeAt, ...Array<number>(20 - clock.wokeAt.length).fill(T0)];
    expect(maxInWindow(granted, 1000 + M)).toBe(5);
    // and no slower than the budget demands: 20 calls fit in 4 windows of a second and the margin
    expect(Math.max(...granted)).toBe(T0 + 3 * (1000 + M));
    // one distinct member per acquire, at exactly the times the callers waited for
    const reserved = await redisA.zrange(`${prefix}:jst-limit:${tokenKey}:${PATH}`, '0', '-1', 'WITHSCORES');
    const scores = reserved.filter((_, i) => i % 2 === 1).map(Number);
    expect(scores).toEqual([...granted].sort((x, y) => x - y));
  });

  it('waits exactly as the in-memory limiter does for the same calls', async () => {
    const memClock = fakeClock();
    const redisClock = fakeClock();
    const mem = createMemoryCallLimiter({ perSecond: 3, perMinute: 30, now: memClock.now, sleep: memClock.sleep });
    const shared = createRedisCallLimiter(redisA, { prefix, tokenKey: freshToken(), perSecond: 3, perMinute: 30, now: redisClock.now, sleep: redisClock.sleep });
    let t = T0;
    for (let i = 0; i < 150; i++) {
      // bursts of close calls with occasional pauses, so both budgets bind
      t += i % 7 === 6 ? 2500 + ((i * 389) % 2000) : (i * 37) % 160;
      memClock.set(t);
      redisClock.set(t);
      const path = i % 3 ? PATH : '/open/inventory/query';
      await mem.acquire(path);
      await shared.acquire(path);
    }
    expect(memClock.wokeAt.length).toBeGreaterThan(10);
    expect(redisClock.wokeAt).toEqual(memClock.wokeAt);
  });

  it('rejects with REDIS_UNAVAILABLE when Redis is down, without letting the call through', async () => {
    const port = await closedPort();
    const down = new Redis({ host: '127.0.0.1', port, enableOfflineQueue: false, maxRetriesPerRequest: 0, retryStrategy: () => null });
    down.on('error', () => undefined);
    const clock = fakeClock();
    const limiter = createRedisCallLimiter(down, { prefix, tokenKey: freshToken(), now: clock.now, sleep: clock.sleep });
    try {
      await expect(limiter.acquire(PATH)).rejects.toMatchObject({
        name: 'TransientError',
        kind: 'transient',
        code: 'REDIS_UNAVAILABLE',
        message: expect.stringContaining('cannot reach Redis'),
      });
      expect(clock.wokeAt).toEqual([]);
    } finally {
      down.disconnect();
    }
  });

  it('rejects after redisTimeoutMs when Redis accepts the connection but never answers', async () => {
    // like the services' BullMQ connection (offline queue on, retries forever) in front of a hung Redis
    const sockets = new Set<Socket>();
    const silent = createServer((socket) => void sockets.add(socket));
    await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
    const { port } = silent.address() as { port: number };
    const hung = new Redis({ host: '127.0.0.1', port, maxRetriesPerRequest: null });
    hung.on('error', () => undefined);
    const limiter = createRedisCallLimiter(hung, { prefix, tokenKey: freshToken(), redisTimeoutMs: 200 });
    try {
      await expect(limiter.acquire(PATH)).rejects.toMatchObject({ code: 'REDIS_UNAVAILABLE', message: expect.stringContaining('no answer within 200 ms') });
    } finally {
      hung.disconnect();
      for (const s of sockets) s.destroy();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it('derives a short token key that does not contain the token', () => {
    const key = limiterTokenKey('demo-app-key', 'demo-access-token-0123456789');
    expect(key).toMatch(/^[0-9a-f]{16}$/);
    expect(key).toBe(limiterTokenKey('demo-app-key', 'demo-access-token-0123456789'));
    expect(key).not.toBe(limiterTokenKey('demo-app-key', 'another-token'));
    expect(limiterTokenKey('demo-app-key')).not.toBe(limiterTokenKey('other-app-key'));
  });

  it('refuses budgets below 1', () => {
    expect(() => createRedisCallLimiter(redisA, { prefix, tokenKey: 'x', perSecond: 0 })).toThrow(RangeError);
  });
});
