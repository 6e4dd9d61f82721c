import { clearPrefix, testRedisUrl, uniquePrefix } from '@sync/testing';
import { Redis } from 'ioredis';
import { createFlowPauseStore } from './flow-pause';
import { beijingDay, createMetricsStore, latencyBucket } from './metrics-store';

const prefix = uniquePrefix('queue-metrics');
let redis: Redis;

beforeAll(() => {
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
});
afterAll(async () => {
  await clearPrefix(testRedisUrl(), prefix);
  await redis.quit();
});

describe('metrics store', () => {
  it('buckets latencies by their upper bound', () => {
    expect([0, 50, 51, 30000, 30001].map(latencyBucket)).toEqual([0, 0, 1, 8, 9]);
  });

  it('counts the Beijing day, not the UTC one', () => {
    expect(beijingDay(new Date('2026-11-28T16:30:00.000Z'))).toBe('2026-11-29');
    expect(beijingDay(new Date('2026-11-28T15:59:59.000Z'))).toBe('2026-11-28');
  });

  it('adds up what several processes write, with cumulative histogram buckets', async () => {
    const a = createMetricsStore(redis, prefix);
    const b = createMetricsStore(redis, prefix);
    await a.documentWritten('sales-outbound', '2026-11-28');
    await b.documentWritten('sales-outbound', '2026-11-28');
    await b.documentWritten('sales-outbound', '2026-11-29');
    await b.documentWritten('sales-outbound', '2026-11-29', 5); // a worker's counts of the last second, at once
    await a.documentFailed('sales-outbound', 'UNMAPPED_BASE_DATA');
    await a.call({ system: 'jst', op: '/open/orders/out/simple/query', ms: 80, ok: true });
    await b.call({ system: 'jst', op: '/open/orders/out/simple/query', ms: 700, ok: false, code: 'RATE_LIMITED' });
    await a.rateLimitHit('api');
    expect(await a.writtenOnDay('sales-outbound', '2026-11-28')).toBe(2);
    expect(await redis.ttl(`${prefix}:metrics:written-day:sales-outbound:2026-11-28`)).toBeGreaterThan(0);
    const snap = await b.snapshot();
    expect(snap.written).toEqual({ 'sales-outbound': 8 });
    expect(await a.writtenOnDay('sales-outbound', '2026-11-29')).toBe(6);
    expect(snap.failed).toEqual({ 'sales-outbound': { UNMAPPED_BASE_DATA: 1 } });
    expect(snap.rateLimitHits).toEqual({ api: 1 });
    const h = snap.calls['jst|/open/orders/out/simple/query'];
    expect(h).toEqual({ buckets: [0, 1, 1, 1, 2, 2, 2, 2, 2, 2], sumMs: 780, count: 2, errors: { RATE_LIMITED: 1 } });
  });
});

describe('flow pause store', () => {
  it('pauses idempotently and remembers who', async () => {
    const p = createFlowPauseStore(redis, prefix);
    expect(await p.isPaused('transfer')).toBe(false);
    await p.pause('transfer', 'basic:ops', '2026-11-28T05:00:00.000Z');
    await p.pause('transfer', 'basic:ops', '2026-11-28T05:00:00.000Z');
    expect(await p.isPaused('transfer')).toBe(true);
    expect(await p.info('transfer')).toEqual({ by: 'basic:ops', at: '2026-11-28T05:00:00.000Z' });
    await p.resume('transfer');
    expect(await p.isPaused('transfer')).toBe(false);
    expect(await p.info('transfer')).toBeUndefined();
  });
});
