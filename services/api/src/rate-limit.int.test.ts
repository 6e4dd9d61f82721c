import { silentLogger } from '@sync/logger';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { buildApi } from './app';
import type { ApiOps } from './ops';
import { rateLimitKeyPrefix } from './rate-limit';
import { closeRedisWorld } from './redis-world.test-support';

const prefix = uniquePrefix('api-rate-limit');
const ops = { flowNames: () => [], listFlows: async () => [], health: async () => ({ redis: true }) } as unknown as ApiOps;
let redis: Redis;
let replicas: FastifyInstance[];

beforeAll(async () => {
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  // Two API replicas sharing one Redis, as behind a load balancer.
  replicas = await Promise.all([0, 1].map(() => buildApi({
    env: { API_TOKEN: 'operator-token-1', API_RATE_LIMIT_PER_MIN: 3 },
    ops, queues: [], logger: silentLogger(), rateLimitRedis: { client: redis, prefix },
  })));
});
afterAll(async () => {
  await replicas[1]?.close();
  await closeRedisWorld({ app: replicas[0], redis, prefix });
});

describe('API rate limit across replicas', () => {
  it('counts a credential\'s requests on every replica together, in Redis under the API prefix', async () => {
    const get = (i: number, auth = 'Bearer operator-token-1') => replicas[i].inject({ method: 'GET', url: '/flows', headers: { authorization: auth } });
    expect((await get(0)).statusCode).toBe(200);
    expect((await get(1)).statusCode).toBe(200);
    expect((await get(0)).statusCode).toBe(200);
    const limited = await get(1);
    expect(limited.statusCode).toBe(429);
    expect(limited.json()).toEqual({ error: 'rate_limited', message: 'too many requests; retry later' });
    const retryAfter = Number(limited.headers['retry-after']);
    expect(retryAfter).toBeGreaterThan(0);
    expect(retryAfter).toBeLessThanOrEqual(60);
    // Wrong credentials count per client address, on every replica too.
    for (const i of [0, 1, 0]) expect((await get(i, 'Bearer wrong-guess-1')).statusCode).toBe(401);
    expect((await get(1, 'Bearer wrong-guess-2')).statusCode).toBe(429);
    expect((await redis.keys(`${rateLimitKeyPrefix(prefix)}*`)).sort()).toEqual([`${rateLimitKeyPrefix(prefix)}ip:127.0.0.1`, `${rateLimitKeyPrefix(prefix)}principal:token`]);
  });
});
