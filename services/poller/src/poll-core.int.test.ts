import { PermanentError } from '@sync/errors';
import { silentLogger } from '@sync/logger';
import { createFlowPauseStore, createPollStatusStore, createRedis, keys, waitForRedis } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { emptyCounts, runScheduledPoll, type ScheduledPollDeps } from './poll-core';

describe('the shell of a scheduled poll (real Redis)', () => {
  const redis = createRedis(testRedisUrl(), { role: 'producer' });
  const prefix = uniquePrefix('poll-core');
  const statuses = createPollStatusStore(redis, prefix);
  const deps: ScheduledPollDeps = { redis, prefix, statuses, lockTtlMs: 10_000, now: () => new Date('2024-05-21T04:00:00Z'), logger: silentLogger() };

  beforeAll(() => waitForRedis(redis));
  afterAll(async () => {
    const k = await redis.keys(`${prefix}:*`);
    if (k.length) await redis.del(...k);
    redis.disconnect();
  });

  it('runs the poll under the per-flow lock and records its success', async () => {
    let lockedDuringPoll = false;
    const res = await runScheduledPoll(deps, 'f1', async () => {
      lockedDuringPoll = (await redis.exists(keys.pollLock(prefix, 'f1'))) === 1;
      return { counts: { ...emptyCounts(), seen: 2, enqueued: 2 }, cursor: '42' };
    });
    expect(lockedDuringPoll).toBe(true);
    expect(res).toEqual({ ran: true, cursor: '42', counts: { ...emptyCounts(), seen: 2, enqueued: 2 } });
    expect(await redis.exists(keys.pollLock(prefix, 'f1'))).toBe(0);
    expect(await statuses.get('f1')).toMatchObject({ lastSuccessAt: '2024-05-21T04:00:00.000Z', cursor: '42', lastCounts: { enqueued: 2 } });
  });

  it('records a failure (code and message) as the flow status and rethrows it', async () => {
    const err = new PermanentError('CONFIG_INVALID', 'no cutover');
    await expect(runScheduledPoll(deps, 'f2', async () => Promise.reject(err))).rejects.toBe(err);
    expect((await statuses.get('f2')).lastError).toEqual({ code: 'CONFIG_INVALID', message: 'no cutover' });
    expect(await redis.exists(keys.pollLock(prefix, 'f2'))).toBe(0);
  });

  it('skips without polling while another poll holds the lock, or an operator paused the flow', async () => {
    let polls = 0;
    const poll = async () => {
      polls += 1;
      return { counts: emptyCounts(), cursor: '1' };
    };
    await redis.set(keys.pollLock(prefix, 'f3'), 'other-replica', 'PX', 10_000);
    expect(await runScheduledPoll(deps, 'f3', poll)).toEqual({ ran: false, skipped: 'another poll of this flow is running' });
    await createFlowPauseStore(redis, prefix).pause('f4', 'ops', '2024-05-21T04:00:00Z');
    expect(await runScheduledPoll(deps, 'f4', poll)).toEqual({ ran: false, skipped: 'flow is paused by an operator' });
    expect(polls).toBe(0);
    expect(await statuses.get('f3')).toEqual({});
  });
});
