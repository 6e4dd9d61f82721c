import { silentLogger } from '@sync/logger';
import { createLedger, createPollStatusStore, documentJobId, flowQueueName, keys, POLL_JOB_OPTIONS, pollJobSchema, type LedgerEntry } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { UnrecoverableError } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createApiQueues, type ApiQueues } from './api-queues';
import { closeRedisWorld, failJobs } from './redis-world.test-support';
import { buildApi } from './app';
import type { FlowDescriptor } from './flow-descriptors';
import type { ApiOps } from './ops';
import { createRedisOps } from './redis-ops';
import { createApiService } from './service';

const FLOW = 'sales-outbound';
const TOKEN = 'token-0123456789';
const auth = { authorization: `Bearer ${TOKEN}` };
const flows: FlowDescriptor[] = [{ name: FLOW, title: '销售出库单', enabled: true, everyMs: 15000, billNoPrefix: 'JSTSO', cutover: '2026-11-01 00:00:00' }];

const prefix = uniquePrefix('api-redis-ops');
let redis: Redis;
let queues: ApiQueues;
let ops: ApiOps;
let app: FastifyInstance;

const docJob = (docId: string, version: string) => ({
  flow: FLOW, docId, version, doc: { io_id: Number(docId) }, enqueuedAt: '2026-11-28T05:00:00.000Z', origin: 'poll',
});

beforeAll(async () => {
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  queues = createApiQueues({ connection: redis, prefix, flows: flows.map((f) => f.name) });
  ops = createRedisOps({ redis, prefix, flows, queues, now: () => new Date('2026-11-28T05:01:00.000Z') });
  app = await buildApi({ env: { API_TOKEN: TOKEN }, ops, queues: queues.all, logger: silentLogger() });
  await app.ready();

  const flowQueue = queues.flows.get(FLOW)!;
  await flowQueue.add('doc', docJob('1001', '7'), { jobId: documentJobId(FLOW, '1001', '7') });
  await flowQueue.add('doc', docJob('1002', '3'), { jobId: documentJobId(FLOW, '1002', '3'), attempts: 1 });
  await flowQueue.add('doc', { unexpected: true }, { jobId: 'odd-job' });
  // The worker closes after the third failure, so the retried job stays waiting.
  await failJobs({
    flow: FLOW,
    prefix,
    count: 3,
    reason: (job) =>
      job.id === 'odd-job'
        ? new Error('something without a code')
        : job.data.docId === '1001'
          ? new UnrecoverableError('[UNMAPPED_BASE_DATA] sales-outbound 1001: SKU Z9999-NEW has no Kingdee material')
          : new Error('[RETRIES_EXHAUSTED] Kingdee answered HTTP 502 8 times'),
  });
});

afterAll(() => closeRedisWorld({ app, redis, queues, prefix }));

describe('createRedisOps against real Redis and BullMQ', () => {
  it('lists failed jobs as dead letters with their code parsed', async () => {
    const letters = await ops.listDeadLetters({});
    expect(letters).toHaveLength(3);
    const byJob = new Map(letters.map((l) => [l.jobId, l]));
    expect(byJob.get('sales-outbound-1001-7')).toEqual({
      flow: FLOW,
      jobId: 'sales-outbound-1001-7',
      docId: '1001',
      version: '7',
      code: 'UNMAPPED_BASE_DATA',
      message: 'sales-outbound 1001: SKU Z9999-NEW has no Kingdee material',
      failedAt: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/),
      attemptsMade: 1,
    });
    expect(byJob.get('sales-outbound-1002-3')).toMatchObject({ code: 'RETRIES_EXHAUSTED', docId: '1002', version: '3' });
    expect(byJob.get('odd-job')).toMatchObject({ code: 'UNKNOWN', message: 'something without a code', docId: null, version: null });
  });

  it('filters dead letters by code and limits them', async () => {
    const unmapped = await ops.listDeadLetters({ code: 'UNMAPPED_BASE_DATA' });
    expect(unmapped.map((l) => l.jobId)).toEqual(['sales-outbound-1001-7']);
    expect(await ops.listDeadLetters({ limit: 2 })).toHaveLength(2);
    expect(await ops.listDeadLetters({ code: 'AUTH_FAILED' })).toEqual([]);
  });

  it('serves dead letters over HTTP', async () => {
    const res = await app.inject({ method: 'GET', url: `/dead-letters?flow=${FLOW}&code=RETRIES_EXHAUSTED`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json().deadLetters.map((l: { jobId: string }) => l.jobId)).toEqual(['sales-outbound-1002-3']);
  });

  it('Bull Board lists the queues with their counts', async () => {
    const res = await app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: auth });
    expect(res.statusCode).toBe(200);
    const board = res.json() as { queues: { name: string; counts: Record<string, number> }[] };
    expect(board.queues.map((q) => q.name).sort()).toEqual([flowQueueName(FLOW), 'poll', 'reconcile'].sort());
    expect(board.queues.find((q) => q.name === flowQueueName(FLOW))!.counts.failed).toBe(3);
  });

  it('Bull Board retries a failed job; the API then reports it is no longer a dead letter', async () => {
    const jobId = documentJobId(FLOW, '1002', '3');
    const unauth = await app.inject({ method: 'PUT', url: `/admin/queues/api/queues/${flowQueueName(FLOW)}/${jobId}/retry` });
    expect(unauth.statusCode).toBe(401);
    expect(await (await queues.flows.get(FLOW)!.getJob(jobId))!.getState()).toBe('failed');

    const res = await app.inject({ method: 'PUT', url: `/admin/queues/api/queues/${flowQueueName(FLOW)}/${jobId}/retry`, headers: auth });
    expect(res.statusCode).toBe(204);
    expect(await (await queues.flows.get(FLOW)!.getJob(jobId))!.getState()).toBe('waiting');
    expect(await ops.retryDeadLetter(FLOW, jobId)).toBe('not-failed');
    expect((await ops.listDeadLetters({})).map((l) => l.jobId)).not.toContain(jobId);
  });

  it('retries a dead letter through the API with a fresh set of attempts', async () => {
    const jobId = documentJobId(FLOW, '1001', '7');
    const res = await app.inject({ method: 'POST', url: `/dead-letters/${FLOW}/${jobId}/retry`, headers: auth });
    expect(res.statusCode).toBe(200);
    const job = (await queues.flows.get(FLOW)!.getJob(jobId))!;
    expect(await job.getState()).toBe('waiting');
    expect(job.attemptsMade).toBe(0);
    const again = await app.inject({ method: 'POST', url: `/dead-letters/${FLOW}/${jobId}/retry`, headers: auth });
    expect(again.statusCode).toBe(409);
    expect(await ops.retryDeadLetter(FLOW, 'no-such-job')).toBe('not-found');
  });

  it('triggers a poll with a valid payload; a second trigger while it waits returns the same job', async () => {
    const first = await ops.triggerPoll(FLOW);
    const second = await ops.triggerPoll(FLOW);
    expect(second.jobId).toBe(first.jobId);
    const job = (await queues.poll.getJob(first.jobId))!;
    expect(pollJobSchema.parse(job.data)).toEqual({ flow: FLOW });
    expect(await queues.poll.getWaitingCount()).toBe(1);
    await job.remove();
  });

  it('starts a resync and reports its state', async () => {
    const res = await app.inject({
      method: 'POST', url: '/resync', headers: auth,
      payload: { flow: FLOW, from: '2026-11-01 00:00:00', to: '2026-11-20 00:00:00' },
    });
    expect(res.statusCode).toBe(202);
    const { id } = res.json() as { id: string };
    const job = (await queues.poll.getJob(id))!;
    expect(pollJobSchema.parse(job.data)).toEqual({ flow: FLOW, resync: { from: '2026-11-01 00:00:00', to: '2026-11-20 00:00:00' } });
    // A resync retries a transient failure with the poll queue's policy (README: "resyncs retry a few times").
    expect(job.opts.attempts).toBeGreaterThan(1);
    expect(job.opts).toMatchObject({ attempts: POLL_JOB_OPTIONS.attempts, backoff: POLL_JOB_OPTIONS.backoff });

    const status = await app.inject({ method: 'GET', url: `/resync/${id}`, headers: auth });
    expect(status.statusCode).toBe(200);
    expect(status.json()).toMatchObject({ id, flow: FLOW, state: 'waiting', failedReason: null, finishedAt: null });

    const { id: idsResync } = await ops.startResync({ flow: FLOW, docIds: ['1001', '1002'] });
    expect(pollJobSchema.parse((await queues.poll.getJob(idsResync))!.data)).toEqual({ flow: FLOW, resync: { docIds: ['1001', '1002'] } });
    expect(idsResync).not.toBe(id);

    const { id: history } = await ops.startResync({ flow: FLOW, from: '2026-10-01 00:00:00', to: '2026-10-02 00:00:00', ignoreCutover: true });
    expect(pollJobSchema.parse((await queues.poll.getJob(history))!.data)).toEqual({ flow: FLOW, resync: { from: '2026-10-01 00:00:00', to: '2026-10-02 00:00:00', ignoreCutover: true } });
  });

  it('does not report a plain poll job as a resync', async () => {
    const { jobId } = await ops.triggerPoll(FLOW);
    expect(await ops.getResync(jobId)).toBeUndefined();
    expect(await ops.getResync('resync-none')).toBeUndefined();
  });

  it('lists flows with cursor, poll status, job counts, the cutover and the documents skipped before it', async () => {
    await redis.set(keys.cursor(prefix, FLOW), '8812345');
    await createPollStatusStore(redis, prefix).addBeforeCutover(FLOW, ['11', '12', '11']);
    await redis.set(
      keys.pollStatus(prefix, FLOW),
      JSON.stringify({ lastSuccessAt: '2026-11-28T05:00:00.000Z', lastErrorAt: '2026-11-28T04:00:00.000Z', lastError: '[HTTP_5XX] JST 502', counts: { seen: 4, enqueued: 3 } }),
    );
    const res = await app.inject({ method: 'GET', url: '/flows', headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      flows: [{
        name: FLOW,
        title: '销售出库单',
        enabled: true,
        schedule: { everyMs: 15000 },
        cursor: '8812345',
        lastPollAt: '2026-11-28T05:00:00.000Z',
        lastError: '[HTTP_5XX] JST 502',
        lastErrorAt: '2026-11-28T04:00:00.000Z',
        lastPollCounts: { seen: 4, enqueued: 3 },
        counts: { waiting: 2, active: 0, delayed: 0, failed: 1, completed: 0 },
        paused: false,
        lagSeconds: 60,
        writtenToday: 0,
        cutover: '2026-11-01 00:00:00',
        beforeCutover: 2,
      }],
    });
  });

  it('shows a flow that never polled with nulls, and ignores a corrupt poll status', async () => {
    await redis.del(keys.cursor(prefix, FLOW));
    await redis.set(keys.pollStatus(prefix, FLOW), 'not json');
    const [flow] = await ops.listFlows();
    expect(flow).toMatchObject({ cursor: null, lastPollAt: null, lastError: null, lastPollCounts: null });
  });

  it('shows a document from the ledger (keyed by FBillNo) with the job named in it', async () => {
    const jobId = documentJobId(FLOW, '1001', '7');
    const entry = { billNo: 'JSTSO1001', docId: '1001', kingdeeId: 100234, number: 'JSTSO1001', status: 'audited', version: '7', jobId, writtenAt: '2026-11-28T05:01:00.000Z' };
    await redis.hset(keys.ledger(prefix, FLOW), 'JSTSO1001', JSON.stringify(entry));
    const logLine = '2026-11-28T05:00:59.000Z payload SAL_OUTSTOCK JSTSO1001: {"FBillNo":"JSTSO1001"}';
    await (await queues.flows.get(FLOW)!.getJob(jobId))!.log(logLine);
    const res = await app.inject({ method: 'GET', url: `/documents/${FLOW}/1001`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({
      flow: FLOW,
      sourceId: '1001',
      // the retry above put the job back to waiting and cleared its reason and finish time
      entries: [{ key: 'JSTSO1001', entry, job: { id: jobId, state: 'waiting', attemptsMade: 0, failedReason: null, finishedAt: null }, log: expect.arrayContaining([logLine]) }],
    });
    expect((await app.inject({ method: 'GET', url: `/documents/${FLOW}/1009`, headers: auth })).statusCode).toBe(404);
  });

  it('shows a skipped document (keyed by its source id) and ignores an entry of another document', async () => {
    const skip = { billNo: null, docId: '2002', kingdeeId: null, number: null, status: 'skipped', version: '1', jobId: 'gone-job', writtenAt: '2026-11-28T05:02:00.000Z', reason: 'no lines' };
    await redis.hset(keys.ledger(prefix, FLOW), '2002', JSON.stringify(skip));
    expect(await ops.getDocument(FLOW, '2002')).toEqual({ flow: FLOW, sourceId: '2002', entries: [{ key: '2002', entry: skip, job: null, log: [] }] });
    await redis.hset(keys.ledger(prefix, FLOW), 'JSTSO3003', JSON.stringify({ ...skip, billNo: 'JSTSO3003', docId: '9999' }));
    expect(await ops.getDocument(FLOW, '3003')).toBeUndefined();
  });

  it('finds every bill a document produced through the ledger, whatever its prefix (a loss-only stocktake: JSTPK…)', async () => {
    const ledger = createLedger(redis, prefix);
    const bill = (billNo: string, docId: string, jobId: string): LedgerEntry => ({
      billNo, docId, formId: 'STK_StockCountLoss', kingdeeId: 7, number: billNo, status: 'audited', version: '3', jobId, writtenAt: '2026-11-28T05:03:00.000Z',
    });
    await ledger.record(FLOW, bill('JSTPK4004', '4004', 'gone-job'));
    const res = await app.inject({ method: 'GET', url: `/documents/${FLOW}/4004`, headers: auth });
    expect(res.statusCode).toBe(200);
    expect((res.json() as { entries: { key: string }[] }).entries.map((e) => e.key)).toEqual(['JSTPK4004']);

    // The dead-letter detail lists both bills of a two-bill document.
    const jobId = documentJobId(FLOW, '1002', '3');
    await ledger.recordMany(FLOW, [bill('JSTPY1002', '1002', jobId), bill('JSTPK1002', '1002', jobId)]);
    const detail = await ops.getDeadLetter(FLOW, jobId);
    expect(detail?.ledgerEntries.map((e) => e.billNo)).toEqual(['JSTPY1002', 'JSTPK1002']);
    expect(detail?.ledger).toMatchObject({ billNo: 'JSTPY1002' });
  });

  it('reads the poll status hash packages/queue writes', async () => {
    await redis.del(keys.pollStatus(prefix, FLOW));
    await redis.hset(keys.pollStatus(prefix, FLOW), {
      lastSuccessAt: '2026-11-28T06:00:00.000Z',
      lastCounts: JSON.stringify({ seen: 5, ready: 4, invalid: 0, enqueued: 4, duplicates: 0 }),
      lastErrorAt: '2026-11-28T05:30:00.000Z',
      lastError: JSON.stringify({ code: 'JST_REJECTED', message: 'JST code 130: bad parameter' }),
    });
    const [flow] = await ops.listFlows();
    expect(flow).toMatchObject({
      lastPollAt: '2026-11-28T06:00:00.000Z',
      lastError: '[JST_REJECTED] JST code 130: bad parameter',
      lastErrorAt: '2026-11-28T05:30:00.000Z',
      lastPollCounts: { seen: 5, ready: 4, invalid: 0, enqueued: 4, duplicates: 0 },
    });
  });

  it('reports Redis health', async () => {
    expect(await ops.health()).toEqual({ redis: true });
  });

  it('reports Redis down within the health timeout', async () => {
    const dead = new Redis('redis://127.0.0.1:1', { lazyConnect: true, maxRetriesPerRequest: 0, enableOfflineQueue: false, retryStrategy: () => null });
    dead.on('error', () => {});
    const deadOps = createRedisOps({ redis: dead, prefix, flows, queues });
    expect(await deadOps.health()).toEqual({ redis: false });
    dead.disconnect();
  });
});

describe('createApiService', () => {
  it('listens on a free port and serves health publicly and flows with credentials', async () => {
    const service = createApiService(
      { API_HOST: '127.0.0.1', API_PORT: 0, API_TOKEN: TOKEN },
      { ops, queues: queues.all, logger: silentLogger() },
    );
    const { url } = await service.start();
    try {
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
      const health = await fetch(`${url}/health`);
      expect(health.status).toBe(200);
      expect(await health.json()).toEqual({ status: 'ok', redis: true });
      expect((await fetch(`${url}/flows`)).status).toBe(401);
      const flowsRes = await fetch(`${url}/flows`, { headers: auth });
      expect(flowsRes.status).toBe(200);
    } finally {
      await service.stop();
      await service.stop(); // idempotent
    }
    await expect(fetch(`${url}/health`)).rejects.toThrow();
  });
});
