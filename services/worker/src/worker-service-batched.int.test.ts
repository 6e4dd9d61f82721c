/**
 * The worker service with writeBatchSize 20: jobs through BullMQ on real Redis, the real Kingdee client (4 users)
 * and the Kingdee simulator over HTTP. Documents of concurrent jobs share BatchSaves; each job gets its own outcome.
 */
import type { Job } from 'bullmq';
import { z } from 'zod';
import { documentFlowSettingsSchema, envSchema } from '@sync/config';
import { type DocumentFlow, flowRegistry, syncConfigSchema } from '@sync/flows';
import { createKingdeeClient, type KingdeeApi } from '@sync/kingdee';
import { silentLogger } from '@sync/logger';
import { createQueues, createRedis, documentJobId, enqueueDocuments, waitForRedis, type Queues } from '@sync/queue';
import { demoCredentials, kingdeeUsers, startKingdeeSimulator, type KingdeeSimulator } from '@sync/simulator';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { createWorkerService, type WorkerService } from './worker-service';

const FLOW = 'sales-outbound';
const FORM = 'SAL_OUTSTOCK';
const sourceSchema = z.object({ id: z.string(), ts: z.string(), sku: z.string() });
type Source = z.infer<typeof sourceSchema>;

/** A one-line SAL_OUTSTOCK per source document, valid against the simulator's demo base data. */
const testFlow: DocumentFlow<Source> = {
  name: FLOW,
  title: 'test outbound',
  settings: documentFlowSettingsSchema, source: { path: '/open/orders/out/simple/query', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id' },
  target: { formId: FORM, schema: z.record(z.string(), z.unknown()), reconcile: {}, keyFields: flowRegistry['sales-outbound'].target.keyFields },
  schema: sourceSchema,
  docId: (d) => d.id,
  version: (d) => d.ts,
  isReady: () => true,
  transform(doc, ctx) {
    const billNo = `${ctx.settings.billNoPrefix}${doc.id}`;
    const model = {
      FID: 0, FBillTypeID: { FNUMBER: 'XSCKD01_SYS' }, FDate: '2024-06-01', FSaleOrgId: { FNumber: '100' }, FStockOrgId: { FNumber: '100' },
      FCustomerID: { FNumber: 'CUST-TMALL' }, SubHeadEntity: { FSettleCurrID: { FNumber: 'PRE001' }, FSettleOrgID: { FNumber: '100' } },
      FEntity: [{ FMaterialID: { FNumber: doc.sku }, FUnitID: { FNumber: 'Pcs' }, FRealQty: 1, FStockID: { FNumber: 'CK001' } }],
    };
    return { kind: 'write', documents: [{ formId: FORM, billNo, model }] };
  },
};

describe('createWorkerService with writeBatchSize 20 (real Redis, BullMQ, Kingdee simulator)', () => {
  const prefix = uniquePrefix('worker-batched');
  const users = kingdeeUsers(4);
  const env = envSchema.parse({
    REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, WORKER_CONCURRENCY: '4', SHUTDOWN_TIMEOUT_MS: '5000',
    KINGDEE_USERNAME: users.map((u) => u.username).join(','),
  });
  const config = syncConfigSchema.parse({ flows: { [FLOW]: { attempts: 3, backoffMs: 10, writeBatchSize: 20, writeBatchWaitMs: 100 } } });
  const admin = createRedis(testRedisUrl(), { role: 'producer' });
  const queues: Queues = createQueues({ connection: admin, prefix, flows: { [FLOW]: config.flows[FLOW]! } });
  let sim: KingdeeSimulator;
  let kingdee: KingdeeApi;
  let service: WorkerService;

  beforeAll(async () => {
    await waitForRedis(admin);
    sim = await startKingdeeSimulator({ users, latency: { perCallMs: 20, perLineMs: 1 } });
    kingdee = createKingdeeClient({
      baseUrl: sim.url, auth: 'password', acctId: demoCredentials.kingdee.acctId, users: users.map((u) => ({ username: u.username, password: u.password })),
      timeoutMs: 10_000, logger: silentLogger(),
    });
    service = createWorkerService(env, config, { kingdee, flows: { [FLOW]: testFlow }, logger: silentLogger(), now: () => new Date('2024-06-01T08:00:00Z') });
    await service.start();
  });
  afterAll(async () => {
    try {
      await service.stop();
      await queues.close();
      await kingdee.close();
      await sim.close();
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length) await admin.del(...keys);
    } finally {
      admin.disconnect();
    }
  });

  async function finished(docId: string): Promise<Job> {
    const id = documentJobId(FLOW, docId, '1');
    for (let i = 0; i < 1500; i++) {
      const state = await queues.flow(FLOW).getJobState(id);
      if (state === 'completed' || state === 'failed') return (await queues.flow(FLOW).getJob(id))!;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`job ${id} did not finish`);
  }

  it('100 jobs: 99 bills audited with few BatchSaves; the unmapped-material job alone is dead-lettered as KINGDEE_REJECTED', async () => {
    const ids = Array.from({ length: 100 }, (_, i) => String(5000 + i));
    await enqueueDocuments(queues.flow(FLOW), FLOW, ids.map((id, i) => ({ docId: id, version: '1', doc: { id, ts: '1', sku: i === 37 ? 'NO-SUCH-SKU' : 'A1001-RED-S' } })), 'test');
    const jobs = await Promise.all(ids.map(finished));

    const failed = jobs.filter((j) => j.failedReason);
    expect(failed.map((j) => j.data.docId)).toEqual(['5037']);
    expect(failed[0].failedReason).toMatch(/^\[KINGDEE_REJECTED\] sales-outbound document 5037 → SAL_OUTSTOCK JSTSO5037: save failed: FMaterialID/);
    expect(failed[0].attemptsMade).toBe(1); // permanent: not retried

    const docs = sim.documents(FORM);
    expect(docs).toHaveLength(99);
    expect(new Set(docs.map((d) => d.billNo)).size).toBe(99);
    expect(docs.every((d) => d.status === 'C')).toBe(true);
    const calls = sim.stats().calls;
    expect(calls.save ?? 0).toBe(0);
    expect(calls.batchsave ?? 0).toBeLessThanOrEqual(100 / 20 + 3);
    expect(jobs.find((j) => j.data.docId === '5000')?.returnvalue).toMatchObject({ billNo: 'JSTSO5000', status: 'audited' });
  });
});
