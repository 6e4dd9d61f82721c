import { flowRegistry, syncConfigSchema } from '@sync/flows';
import { silentLogger } from '@sync/logger';
import { createReconciliationStore, createRedis, RECONCILE_QUEUE, RECONCILE_SCHEDULER_ID } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { Queue } from 'bullmq';
import { createFakeJst } from './fake-jst.test-support';
import { createReconcileService } from './reconcile-service';

const config = (reconciliation: Record<string, unknown>) => syncConfigSchema.parse({ flows: { 'sales-outbound': {}, stocktake: {} }, reconciliation });

describe('createReconcileService (real Redis, fake JST and Kingdee)', () => {
  const prefix = uniquePrefix('reconcile-service');
  const redis = createRedis(testRedisUrl(), { role: 'worker', name: `${prefix}-test` });
  afterAll(async () => {
    const doomed = await redis.keys(`${prefix}:*`);
    if (doomed.length) await redis.del(...doomed);
    await redis.quit();
  });

  it('the schedule creates and runs a reconciliation of yesterday for every enabled flow; without a schedule it is removed', async () => {
    const now = new Date('2026-11-28T02:15:00Z'); // 10:15 Beijing
    const queries: string[] = [];
    const kingdee = { executeBillQuery: async (q: { FormId: string }) => (queries.push(q.FormId), []) };
    const deps = { jst: createFakeJst([]), kingdee, flows: flowRegistry, now: () => now, logger: silentLogger(), redis, prefix };
    const service = createReconcileService({ ...deps, config: config({ schedule: { everyMs: 10_000 } }) });
    const queue = new Queue(RECONCILE_QUEUE, { connection: redis, prefix });
    const store = createReconciliationStore(redis, prefix, { keepDays: 1, maxRuns: 10 });
    try {
      await service.start();
      expect((await queue.getJobSchedulers()).map((s) => s.id ?? s.key)).toEqual([RECONCILE_SCHEDULER_ID]);
      let runs = await store.list(5);
      const deadline = Date.now() + 30_000;
      while (!runs.some((r) => r.state === 'done') && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 200));
        runs = await store.list(5);
      }
      const run = runs.find((r) => r.state === 'done')!;
      expect(run).toEqual(expect.objectContaining({ trigger: 'schedule', from: '2026-11-27', to: '2026-11-27', flows: ['sales-outbound', 'stocktake'], balanced: true }));
      expect(run.days.map((d) => `${d.flow} ${d.day}`)).toEqual(['sales-outbound 2026-11-27', 'stocktake 2026-11-27']);
      expect(queries).toEqual(expect.arrayContaining(['SAL_OUTSTOCK', 'STK_StockCountGain', 'STK_StockCountLoss']));
      expect(await store.lastPerFlow()).toEqual(expect.objectContaining({ stocktake: expect.objectContaining({ day: '2026-11-27', differences: 0 }) }));
    } finally {
      await service.stop(5000);
    }
    const off = createReconcileService({ ...deps, config: config({}) });
    try {
      await off.start();
      expect(await queue.getJobSchedulers()).toEqual([]);
    } finally {
      await off.stop(5000);
      await queue.close();
    }
  });

  it('a run without a Kingdee client fails with a message saying what to configure', async () => {
    const now = new Date('2026-11-28T02:15:00Z');
    const service = createReconcileService({ jst: createFakeJst([]), flows: flowRegistry, now: () => now, logger: silentLogger(), redis, prefix: `${prefix}-nokd`, config: config({}) });
    const store = createReconciliationStore(redis, `${prefix}-nokd`, { keepDays: 1, maxRuns: 10 });
    const queue = new Queue(RECONCILE_QUEUE, { connection: redis, prefix: `${prefix}-nokd` });
    try {
      await service.start();
      await store.create({ id: 'recon-x', trigger: 'api', by: 'test', flows: ['sales-outbound'], from: '2026-11-27', to: '2026-11-27', createdAt: now.toISOString(), state: 'waiting', progress: { flowsDone: 0, flowsTotal: 1 }, days: [], repairs: [] });
      await queue.add('reconcile', { id: 'recon-x' }, { jobId: 'recon-x' });
      let run = await store.get('recon-x');
      const deadline = Date.now() + 30_000;
      while (run?.state !== 'failed' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        run = await store.get('recon-x');
      }
      expect(run?.state).toBe('failed');
      expect(run?.error).toContain('KINGDEE_ACCT_ID');
    } finally {
      await service.stop(5000);
      await queue.close();
      const doomed = await redis.keys(`${prefix}-nokd:*`);
      if (doomed.length) await redis.del(...doomed);
    }
  });
});
