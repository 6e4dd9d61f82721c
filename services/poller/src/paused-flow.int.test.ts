import { z } from 'zod';
import { envSchema } from '@sync/config';
import { syncConfigSchema } from '@sync/flows';
import { silentLogger } from '@sync/logger';
import { createCursorStore, createFlowPauseStore, createRedis, waitForRedis } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { createFakeJst, testOutboundFlow } from './fake-jst.test-support';
import { createPollerService } from './poller-service';

const FLOW = 'sales-outbound';
const schema = z.object({ io_id: z.number(), ts: z.number(), modified: z.string(), status: z.string() });
// The rows have no qty, and the flow no id filter: this test only polls by ts.
const flow = testOutboundFlow(schema);

describe('a flow paused by an operator', () => {
  it('is not polled (cursor untouched, nothing enqueued) until resumed', async () => {
    const prefix = uniquePrefix('poller-paused');
    const admin = createRedis(testRedisUrl(), { role: 'producer' });
    await waitForRedis(admin);
    const env = envSchema.parse({ REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, SHUTDOWN_TIMEOUT_MS: '5000' });
    const config = syncConfigSchema.parse({ flows: { [FLOW]: { schedule: { everyMs: 60_000, startTs: 1 } } } });
    const jst = createFakeJst();
    jst.rows.push({ io_id: 1, ts: 10, modified: '2024-05-20 10:00:00', status: 'Confirmed' });
    const service = createPollerService(env, config, { jst, flows: { [FLOW]: flow }, logger: silentLogger() });
    const pauses = createFlowPauseStore(admin, prefix);
    try {
      await pauses.pause(FLOW, 'token', '2026-11-28T05:00:00.000Z');
      expect(await service.pollOnce(FLOW)).toEqual({ flow: FLOW, skipped: 'flow is paused by an operator' });
      expect(await createCursorStore(admin, prefix).get(FLOW)).toBeUndefined();
      expect(await service.queues.flow(FLOW).count()).toBe(0);
      await pauses.resume(FLOW);
      expect(await service.pollOnce(FLOW)).toMatchObject({ flow: FLOW, counts: { enqueued: 1 } });
      expect(await createCursorStore(admin, prefix).get(FLOW)).toBe('10');
    } finally {
      await service.stop();
      const k = await admin.keys(`${prefix}:*`);
      if (k.length) await admin.del(...k);
      await admin.quit();
    }
  });
});
