import { silentLogger } from '@sync/logger';
import { flowQueueName } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createApiQueues, type ApiQueues } from './api-queues';
import { buildApi } from './app';
import { isJobStateError, jobStateConflict, nulInQuery } from './bull-board-errors';
import type { FlowDescriptor } from './flow-descriptors';
import { createRedisOps } from './redis-ops';
import { closeRedisWorld } from './redis-world.test-support';

describe('isJobStateError (BullMQ refusals by the job state)', () => {
  it.each([
    ['Job 12 is not in the delayed state. promote', true],
    ['Missing key for job sales-outbound-1-1. promote', true],
    ['Missing lock for job 7. moveToFinished', true],
    ['Job x has pending dependencies. moveToFinished', true],
    ['Connection is closed.', false],
    ['ERR unknown command', false],
    ['', false],
  ])('%j → %s', (message, expected) => {
    expect(isJobStateError(message)).toBe(expected);
  });

  it('turns only a 500 that carries such a refusal into a 409 naming the job', () => {
    const body = JSON.stringify({ error: { key: 'ERRORS.INTERNAL_SERVER_ERROR' }, message: 'Job 12 is not in the delayed state. promote' });
    expect(jobStateConflict(500, body)).toEqual({ error: 'conflict', field: 'jobId', message: 'jobId: Job 12 is not in the delayed state. promote' });
    expect(jobStateConflict(400, body)).toBeUndefined();
    expect(jobStateConflict(500, JSON.stringify({ message: 'Connection is closed.' }))).toBeUndefined();
    expect(jobStateConflict(500, 'not json')).toBeUndefined();
  });
});

describe('nulInQuery', () => {
  it('names the first parameter holding a NUL, and passes clean queries', () => {
    expect(nulInQuery({ page: '1', status: 'fa\u0000iled' })?.field).toBe('status');
    expect(nulInQuery({ status: ['ok', 'x\u0000'] })?.field).toBe('status');
    expect(nulInQuery({ status: 'failed' })).toBeUndefined();
    expect(nulInQuery(undefined)).toBeUndefined();
  });
});

describe('Bull Board actions refused by the job state (real Redis)', () => {
  const FLOW = 'sales-outbound';
  const TOKEN = 'operator-token-bb-errors';
  const flows: FlowDescriptor[] = [{ name: FLOW, title: '销售出库单', enabled: true, everyMs: 15000, billNoPrefix: 'JSTSO' }];
  const w: { app?: FastifyInstance; redis?: Redis; queues?: ApiQueues; prefix: string } = { prefix: uniquePrefix('api-bull-board-errors') };

  beforeAll(async () => {
    w.redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    w.queues = createApiQueues({ connection: w.redis, prefix: w.prefix, flows: [FLOW] });
    w.app = await buildApi({
      env: { API_TOKEN: TOKEN },
      ops: createRedisOps({ redis: w.redis, prefix: w.prefix, flows, queues: w.queues }),
      queues: w.queues.all,
      logger: silentLogger(),
    });
    await w.app.ready();
  });
  afterAll(async () => {
    await closeRedisWorld(w);
  });

  it('promoting a job that is not delayed answers 409 with the usual error shape, and the job stays as it was', async () => {
    const queue = w.queues!.flows.get(FLOW)!;
    const job = await queue.add('doc', { docId: '1' }, { jobId: 'waiting-job' });
    const res = await w.app!.inject({
      method: 'PUT',
      url: `/admin/queues/api/queues/${flowQueueName(FLOW)}/${job.id}/promote`,
      headers: { authorization: `Bearer ${TOKEN}` },
    });
    expect(res.statusCode).toBe(409);
    expect(res.json()).toEqual({ error: 'conflict', field: 'jobId', message: expect.stringMatching(/^jobId: Job waiting-job is not in the delayed state/) });
    expect(await queue.getJobState('waiting-job')).toBe('waiting');
  });
});

describe('Bull Board queue listing with odd query values (real Redis)', () => {
  const TOKEN = 'operator-token-bb-query';
  const w: { app?: FastifyInstance; redis?: Redis; queues?: ApiQueues; prefix: string } = { prefix: uniquePrefix('api-bull-board-query') };
  beforeAll(async () => {
    w.redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    w.queues = createApiQueues({ connection: w.redis, prefix: w.prefix, flows: ['sales-outbound'] });
    const flows: FlowDescriptor[] = [{ name: 'sales-outbound', title: '销售出库单', enabled: true, everyMs: 15000, billNoPrefix: 'JSTSO' }];
    w.app = await buildApi({ env: { API_TOKEN: TOKEN }, ops: createRedisOps({ redis: w.redis, prefix: w.prefix, flows, queues: w.queues }), queues: w.queues.all, logger: silentLogger() });
    await w.app.ready();
  });
  afterAll(async () => {
    await closeRedisWorld(w);
  });

  it.each(['status=%00', 'status=bogus', 'activeQueue=flow-sales-outbound&status=%00', 'activeQueue=flow-sales-outbound&status=failed&page=-1&jobsPerPage=0'])('GET /admin/queues/api/queues?%s is not a 5xx', async (query) => {
    const res = await w.app!.inject({ method: 'GET', url: `/admin/queues/api/queues?${query}`, headers: { authorization: `Bearer ${TOKEN}` } });
    if (res.statusCode >= 500) throw new Error(`${res.statusCode} ${res.body.slice(0, 500)}`);
    if (query.includes('%00')) expect(res.json()).toEqual({ error: 'bad_request', field: 'status', message: 'status: must not contain a NUL character' });
  });
});
