import type { Job } from 'bullmq';
import { z } from 'zod';
import { documentFlowSettingsSchema, envSchema } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { type DocumentFlow, flowRegistry, syncConfigSchema } from '@sync/flows';
import { silentLogger } from '@sync/logger';
import { createLedger, createQueues, createRedis, waitForRedis, documentJobId, enqueueDocuments, listDeadLetters, type Queues } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { createFakeKingdee } from './fake-kingdee.test-support';
import { createWorkerService, type WorkerService } from './worker-service';

const FLOW = 'sales-outbound';
const sourceSchema = z.object({
  id: z.string(),
  ts: z.string(),
  status: z.string(),
  items: z.array(z.object({ sku: z.string(), qty: z.number() })),
});
type Source = z.infer<typeof sourceSchema>;

/** A tiny stand-in for the real sales-outbound flow. */
const testFlow: DocumentFlow<Source> = {
  name: FLOW,
  title: 'test outbound',
  settings: documentFlowSettingsSchema, source: { path: '/open/orders/out/simple/query', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id' },
  target: { formId: 'SAL_OUTSTOCK', schema: z.object({ FBillNo: z.string(), FEntity: z.array(z.object({ FQty: z.number().positive() })).min(1) }), reconcile: {}, keyFields: flowRegistry['sales-outbound'].target.keyFields },
  schema: sourceSchema,
  docId: (d) => d.id,
  version: (d) => d.ts,
  isReady: (d) => d.status === 'Confirmed',
  transform(doc, ctx) {
    if (doc.items.length === 0) return { kind: 'skip', reason: 'no lines' };
    const unmapped = doc.items.findIndex((i) => i.sku.startsWith('Z'));
    if (unmapped >= 0) {
      throw new PermanentError('UNMAPPED_BASE_DATA', `${FLOW} document ${doc.id}: sku ${doc.items[unmapped].sku} has no Kingdee material`, { field: `items.${unmapped}.sku` });
    }
    const billNo = `${ctx.settings.billNoPrefix}${doc.id}`;
    return { kind: 'write', documents: [{ formId: 'SAL_OUTSTOCK', billNo, model: { FBillNo: billNo, FEntity: doc.items.map((i) => ({ FQty: i.qty })) } }] };
  },
};

const line = (qty: unknown, sku = 'A1') => ({ sku, qty });
const doc = (id: string, ts: string, items: unknown[]) => ({ id, ts, status: 'Confirmed', items });

describe('createWorkerService (real Redis through BullMQ, fake Kingdee)', () => {
  const prefix = uniquePrefix('worker-svc');
  const env = envSchema.parse({ REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, WORKER_CONCURRENCY: '4', SHUTDOWN_TIMEOUT_MS: '5000' });
  const config = syncConfigSchema.parse({ flows: { [FLOW]: { attempts: 8, backoffMs: 10, writeBatchSize: 1 } } });
  const admin = createRedis(testRedisUrl(), { role: 'producer' });
  const queues: Queues = createQueues({ connection: admin, prefix, flows: { [FLOW]: config.flows[FLOW]! } });
  const kingdee = createFakeKingdee();
  let service: WorkerService;

  beforeAll(async () => {
    await waitForRedis(admin);
    service = createWorkerService(env, config, { kingdee, flows: { [FLOW]: testFlow }, logger: silentLogger(), now: () => new Date('2024-05-20T08:00:00Z') });
    await service.start();
  });
  afterAll(async () => {
    try {
      await service.stop();
      await queues.close();
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length) await admin.del(...keys);
    } finally {
      admin.disconnect();
    }
  });

  async function finished(docId: string, version: string): Promise<Job> {
    const id = documentJobId(FLOW, docId, version);
    for (let i = 0; i < 1000; i++) {
      const state = await queues.flow(FLOW).getJobState(id);
      if (state === 'completed' || state === 'failed') return (await queues.flow(FLOW).getJob(id))!;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`job ${id} did not finish`);
  }
  const enqueue = (docs: { id: string; ts: string; items: unknown[] }[]) =>
    enqueueDocuments(queues.flow(FLOW), FLOW, docs.map((d) => ({ docId: d.id, version: d.ts, doc: doc(d.id, d.ts, d.items) })), 'test');

  it('runs the flows of WORKER_FLOWS=all that are enabled', () => {
    expect(service.flows).toEqual([FLOW]);
  });

  it('writes a good document: one audited bill in Kingdee, the job returns billNo, kingdeeId and status', async () => {
    await enqueue([{ id: '1001', ts: '500', items: [line(2)] }]);
    const job = await finished('1001', '500');
    expect(await job.getState()).toBe('completed');
    const bill = kingdee.bills.get('JSTSO1001')!;
    expect(bill.status).toBe('C');
    expect(job.returnvalue).toMatchObject({ billNo: 'JSTSO1001', kingdeeId: bill.id, status: 'audited' });
    // The job log keeps the answer of each attempt; a successful attempt keeps no copy of its package.
    const { logs } = await queues.flow(FLOW).getJobLogs(String(job.id));
    expect(logs.some((l) => l.includes('attempt 1') && l.includes('JSTSO1001'))).toBe(true);
    expect(logs.some((l) => l.includes('payload'))).toBe(false);
  });

  it('dead-letters an invalid source document at once, naming flow, document and the zod path', async () => {
    await enqueue([{ id: '1002', ts: '501', items: [line(1), line(1), line('3')] }]);
    const job = await finished('1002', '501');
    expect(await job.getState()).toBe('failed');
    expect(job.attemptsMade).toBe(1);
    expect(job.failedReason).toMatch(/^\[INVALID_SOURCE_DOCUMENT\] sales-outbound document 1002: invalid source document: items\.2\.qty: expected number/);
    expect(kingdee.bills.has('JSTSO1002')).toBe(false);
  });

  it('dead-letters unmapped base data with the transform\'s own code and message', async () => {
    await enqueue([{ id: '1003', ts: '502', items: [line(1, 'Z9999')] }]);
    const job = await finished('1003', '502');
    expect(job.failedReason).toBe('[UNMAPPED_BASE_DATA] sales-outbound document 1003: sku Z9999 has no Kingdee material');
    const dead = await listDeadLetters(queues, { flow: FLOW, code: 'UNMAPPED_BASE_DATA' });
    expect(dead.map((d) => d.docId)).toEqual(['1003']);
  });

  it('dead-letters a target document our transform got wrong, and says so', async () => {
    await enqueue([{ id: '1004', ts: '503', items: [line(0)] }]);
    const job = await finished('1004', '503');
    expect(job.failedReason).toContain('[TRANSFORM_FAILED] sales-outbound document 1004: the transform produced an invalid SAL_OUTSTOCK document JSTSO1004');
    expect(job.failedReason).toContain('FEntity.0.FQty');
    expect(kingdee.bills.has('JSTSO1004')).toBe(false);
  });

  it('completes a skipped document with its reason and records the skip', async () => {
    await enqueue([{ id: '1005', ts: '504', items: [] }]);
    const job = await finished('1005', '504');
    expect(job.returnvalue).toEqual({ skipped: 'no lines' });
    expect(await createLedger(admin, prefix).get(FLOW, '1005')).toMatchObject({ status: 'skipped', reason: 'no lines' });
  });

  it('retries a Kingdee outage and then writes', async () => {
    // Attempt 1: the Save commits but times out and the check after it fails; attempt 2: the check fails again;
    // attempt 3: the check finds the bill, which is submitted and audited (never saved twice).
    kingdee.timeoutsAfterCommit = 1;
    kingdee.failingQueries = 2;
    await enqueue([{ id: '1006', ts: '505', items: [line(1)] }]);
    const job = await finished('1006', '505');
    expect(await job.getState()).toBe('completed');
    expect(job.attemptsMade).toBe(3);
    expect(kingdee.bills.get('JSTSO1006')?.status).toBe('C');
    // Each failed attempt logged the package it tried to send and the error, for operators.
    const { logs } = await queues.flow(FLOW).getJobLogs(String(job.id));
    expect(logs.filter((l) => l.includes('payload SAL_OUTSTOCK JSTSO1006') && l.includes('"FEntity"'))).toHaveLength(2);
    expect(logs.filter((l) => l.includes('failed'))).toHaveLength(2);
  });

  it('two versions of one document processed concurrently make exactly one Kingdee bill', async () => {
    const savesBefore = kingdee.count('save');
    let release: () => void = () => undefined;
    const gate = new Promise<void>((r) => { release = r; });
    // Hold the first save until the other job has failed on the document lock, so the two really overlap.
    kingdee.beforeSave = async () => {
      for (let i = 0; i < 500; i++) {
        const jobs = await Promise.all(['600', '601'].map((v) => queues.flow(FLOW).getJob(documentJobId(FLOW, '1007', v))));
        if (jobs.some((j) => (j?.attemptsMade ?? 0) >= 1)) break;
        await new Promise((r) => setTimeout(r, 10));
      }
      release();
    };
    await enqueue([{ id: '1007', ts: '600', items: [line(1)] }, { id: '1007', ts: '601', items: [line(2)] }]);
    const [a, b] = [await finished('1007', '600'), await finished('1007', '601')];
    await gate;
    kingdee.beforeSave = undefined;
    expect([await a.getState(), await b.getState()]).toEqual(['completed', 'completed']);
    expect(kingdee.count('save') - savesBefore).toBe(1);
    expect(Math.max(a.attemptsMade, b.attemptsMade)).toBeGreaterThanOrEqual(2); // one waited on the lock
    expect(a.returnvalue.kingdeeId).toBe(b.returnvalue.kingdeeId);
  });

  it('stop() closes every connection it opened', async () => {
    const names = async () => (await admin.client('LIST') as string).split('\n').filter((l) => l.includes(`name=${prefix}-worker`)).length;
    expect(await names()).toBeGreaterThan(0);
    await service.stop();
    for (let i = 0; i < 100 && (await names()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await names()).toBe(0);
  });
});
