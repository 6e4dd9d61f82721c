/**
 * The JST call budget leaves a safety margin: three "processes" (the poller, a worker and the API, each with its
 * own Redis connection and JST client) share one token through the real Redis limiter at the documented budget
 * (5 calls/s, 100/min) and call one endpoint of the JST simulator, which enforces the same quotas in its own fixed
 * one-second and one-minute windows and delays every call by a random 0–120 ms before counting it (network and a
 * busy server). The simulator's clock is set so that its windows are as badly aligned with ours as they can be: a
 * new second and a new minute begin 60 ms after the first call is granted, so a burst granted at one instant is
 * counted in two windows. Enough calls to fill a minute and run into the next. Promise: no 199 or 200 answer
 * comes back (without the limiter's margin, JST_CALL_MARGIN_MS=0, they do). Count-based: the test asserts what
 * answered, never how long it took.
 */
import { loadEnv } from '@sync/config';
import { isClassified } from '@sync/errors';
import { createJstClient } from '@sync/jushuitan';
import { silentLogger } from '@sync/logger';
import { createRedis, sharedJstLimiter, waitForRedis } from '@sync/queue';
import { demoCredentials, startJstSimulator, type JstSimulator } from '@sync/simulator';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import type { Redis } from 'ioredis';

const PATH = '/open/orders/out/simple/query';
const CALLS = 112;
const CALLERS_PER_PROCESS = 3;

describe('JST call budget against the simulator at the documented quotas', () => {
  const prefix = uniquePrefix('jst-budget');
  let sim: JstSimulator;
  const connections: Redis[] = [];

  /** JST's clock against ours (ms): set just before the calls start. */
  let offset = 0;

  beforeAll(async () => {
    sim = await startJstSimulator({ now: () => Date.now() + offset, rateLimit: { perSecond: 5, perMinute: 100 }, latencyMs: { min: 0, max: 120 } });
  });

  afterAll(async () => {
    const keys = connections.length ? await connections[0]!.keys(`${prefix}:*`) : [];
    if (keys.length) await connections[0]!.del(...keys);
    for (const c of connections) await c.quit().catch(() => c.disconnect());
    await sim?.close();
  });

  it(`sends ${CALLS} calls from three processes on one token without a single 199/200`, async () => {
    const env = loadEnv({ REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, JST_BASE_URL: sim.url, JST_APP_KEY: demoCredentials.jst.appKey, JST_APP_SECRET: demoCredentials.jst.appSecret, JST_ACCESS_TOKEN: demoCredentials.jst.accessToken });
    expect(env).toMatchObject({ JST_CALLS_PER_SECOND: 5, JST_CALLS_PER_MINUTE: 100 });
    const creds = { appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN };
    const clients = ['poller', 'worker', 'api'].map((name) => {
      const connection = createRedis(env.REDIS_URL, { role: 'producer', name: `${prefix}-${name}` });
      connections.push(connection);
      return createJstClient({ baseUrl: env.JST_BASE_URL, ...creds, limiter: sharedJstLimiter(connection, env, creds), logger: silentLogger() });
    });
    await Promise.all(connections.map((c) => waitForRedis(c)));
    // The simulator's next minute (and second) begins 60 ms after now, when the first burst is granted.
    const start = Date.now();
    offset = 60_000 - 60 - (start % 60_000);
    let issued = 0;
    let ok = 0;
    const refused: string[] = [];
    const biz = { page_index: 1, page_size: 1, modified_begin: '2026-12-01 00:00:00', modified_end: '2026-12-01 01:00:00' };
    await Promise.all(clients.flatMap((client) => Array.from({ length: CALLERS_PER_PROCESS }, async () => {
      while (issued < CALLS) {
        issued += 1;
        try {
          await client.queryPage(PATH, biz);
          ok += 1;
        } catch (e) {
          refused.push(isClassified(e) ? `${e.code}: ${e.message}` : String(e));
        }
      }
    })));

    const stats = sim.stats();
    console.log(`[jst-call-budget] ${CALLS} calls through the shared limiter: ${ok} answered, rate-limit answers ${stats.rateLimited.perSecond} (199) + ${stats.rateLimited.perMinute} (200)`);
    expect(refused).toEqual([]);
    expect(ok).toBe(CALLS);
    expect(stats.rateLimited).toMatchObject({ perSecond: 0, perMinute: 0 });
    expect(stats.calls[PATH]).toBe(CALLS);
  }, 150_000);
});
