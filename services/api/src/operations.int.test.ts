import { silentLogger } from '@sync/logger';
import { createFlowPauseStore, createMetricsStore, documentJobId, flowQueueName } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { UnrecoverableError, Worker } from 'bullmq';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createApiQueues, type ApiQueues } from './api-queues';
import { closeRedisWorld, failJobs } from './redis-world.test-support';
import { buildApi } from './app';
import { createAuditLog } from './audit-log';
import type { FlowDescriptor } from './flow-descriptors';
import { routeKey, type ApiRoute } from './api-route';
import { apiRoutes } from './api-routes';
import { API_DOCS_PATH } from './openapi';
import { createRedisOps } from './redis-ops';

const FLOW = 'sales-outbound';
const TOKEN = 'operator-token-0123';
const RO_TOKEN = 'readonly-token-0123';
const op = { authorization: `Bearer ${TOKEN}` };
const ro = { authorization: `Bearer ${RO_TOKEN}` };
const flows: FlowDescriptor[] = [{ name: FLOW, title: '销售出库单', enabled: true, everyMs: 15000, billNoPrefix: 'JSTSO' }];

const prefix = uniquePrefix('api-operations');
let redis: Redis;
let queues: ApiQueues;
let app: FastifyInstance;
/** The route table the app was built from. */
let table: ApiRoute[];

const docJob = (docId: string) => ({
  flow: FLOW, docId, version: '1', doc: { io_id: Number(docId), warehouse: 'WH-X' }, enqueuedAt: '2026-11-28T05:00:00.000Z', origin: 'poll',
});

async function addFailed(ids: string[], code: string): Promise<void> {
  const q = queues.flows.get(FLOW)!;
  for (const id of ids) await q.add('doc', docJob(id), { jobId: documentJobId(FLOW, id, '1') });
  await failJobs({
    flow: FLOW,
    prefix,
    count: ids.length,
    // Each job logs one line first, as the worker's Save does.
    before: (job) => job.log(`kingdee Save request: FBillNo=JSTSO${String(job.data.docId)}`),
    reason: (job) => new UnrecoverableError(`[${code}] ${FLOW} ${String(job.data.docId)}: warehouse WH-X has no Kingdee stock`),
  });
}

beforeAll(async () => {
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  queues = createApiQueues({ connection: redis, prefix, flows: flows.map((f) => f.name) });
  const ops = createRedisOps({ redis, prefix, flows, queues });
  table = apiRoutes({ ops, audit: createAuditLog(redis, prefix), now: () => new Date() });
  app = await buildApi({
    env: { API_TOKEN: TOKEN, API_READONLY_TOKEN: RO_TOKEN, API_RATE_LIMIT_PER_MIN: 1000 },
    ops,
    queues: queues.all,
    logger: silentLogger(),
    audit: createAuditLog(redis, prefix),
    metrics: createMetricsStore(redis, prefix),
  });
  await app.ready();
});

afterAll(() => closeRedisWorld({ app, redis, queues, prefix }));

const call = (method: 'GET' | 'POST' | 'DELETE', url: string, headers: Record<string, string> = op, payload?: unknown) =>
  app.inject({ method, url, headers, ...(payload !== undefined ? { payload: payload as object } : {}) });

describe('roles', () => {
  it('refuses every operations route without credentials', async () => {
    for (const url of ['/audit', '/metrics', '/openapi.json', `/dead-letters/${FLOW}/x`]) {
      expect((await call('GET', url, {})).statusCode).toBe(401);
    }
    expect((await call('POST', `/flows/${FLOW}/pause`, {})).statusCode).toBe(401);
  });

  it('lets the read-only credential read but not change anything, Bull Board included', async () => {
    expect((await call('GET', '/flows', ro)).statusCode).toBe(200);
    expect((await call('GET', '/audit', ro)).statusCode).toBe(200);
    for (const [method, url, body] of [
      ['POST', `/flows/${FLOW}/pause`, undefined],
      ['POST', '/dead-letters/retry', { code: 'UNMAPPED_BASE_DATA' }],
      ['POST', `/dead-letters/${FLOW}/j/discard`, { note: 'not needed' }],
      ['DELETE', '/resync/resync-x', undefined],
      ['POST', '/resync', { flow: FLOW, docIds: ['1'] }],
      ['PUT', `/admin/queues/api/queues/${flowQueueName(FLOW)}/retry/failed`, undefined],
    ] as const) {
      const res = await app.inject({ method, url, headers: ro, ...(body ? { payload: body } : {}) });
      expect([method, url, res.statusCode]).toEqual([method, url, 403]);
    }
    expect(await createFlowPauseStore(redis, prefix).isPaused(FLOW)).toBe(false);
    const refused = (await call('GET', '/audit?principal=readonly-token')).json().entries;
    expect(refused.length).toBeGreaterThanOrEqual(6);
    expect(refused.every((e: { statusCode: number }) => e.statusCode === 403)).toBe(true);
  });
});

describe('dead letters', () => {
  beforeAll(async () => {
    await addFailed(['2001', '2002', '2003'], 'UNMAPPED_BASE_DATA');
    await addFailed(['2004'], 'KINGDEE_REJECTED');
  });

  it('filters by reason class and time range', async () => {
    const byCode = (await call('GET', `/dead-letters?flow=${FLOW}&code=UNMAPPED_BASE_DATA`)).json().deadLetters;
    expect(byCode.map((d: { docId: string }) => d.docId).sort()).toEqual(['2001', '2002', '2003']);
    const future = (await call('GET', '/dead-letters?since=2999-01-01T00:00:00Z')).json().deadLetters;
    expect(future).toEqual([]);
    const past = (await call('GET', '/dead-letters?until=2000-01-01T00:00:00Z')).json().deadLetters;
    expect(past).toEqual([]);
    const bad = await call('GET', '/dead-letters?since=yesterday');
    expect(bad.statusCode).toBe(400);
    expect(bad.json().field).toBe('since');
  });

  it('inspects one: source document, attempt errors, job log', async () => {
    const res = await call('GET', `/dead-letters/${FLOW}/${documentJobId(FLOW, '2004', '1')}`, ro);
    expect(res.statusCode).toBe(200);
    const d = res.json();
    expect(d.code).toBe('KINGDEE_REJECTED');
    expect(d.sourceDocument).toEqual({ io_id: 2004, warehouse: 'WH-X' });
    expect(d.log).toEqual(['kingdee Save request: FBillNo=JSTSO2004']);
    expect(d.attemptErrors[0]).toContain('KINGDEE_REJECTED');
    expect((await call('GET', `/dead-letters/${FLOW}/nope`)).statusCode).toBe(404);
  });

  it('discards one with a note, recorded in the audit log', async () => {
    const jobId = documentJobId(FLOW, '2004', '1');
    expect((await call('POST', `/dead-letters/${FLOW}/${jobId}/discard`, op, {})).statusCode).toBe(400);
    const res = await call('POST', `/dead-letters/${FLOW}/${jobId}/discard`, op, { note: 'cancelled order, booked by hand' });
    expect(res.statusCode).toBe(200);
    expect(await queues.flows.get(FLOW)!.getJob(jobId)).toBeUndefined();
    expect((await call('POST', `/dead-letters/${FLOW}/${jobId}/discard`, op, { note: 'again' })).statusCode).toBe(404);
    const [again, entry] = (await call('GET', '/audit?action=discard')).json().entries;
    expect(again).toMatchObject({ statusCode: 404, details: { note: 'again' } });
    expect(entry).toMatchObject({ principal: 'token', role: 'operator', action: 'discard', statusCode: 200 });
    expect(entry.details).toMatchObject({ flow: FLOW, jobId, note: 'cancelled order, booked by hand', docId: '2004', code: 'KINGDEE_REJECTED' });
  });

  it('retries every dead letter of a reason class, and refuses an empty filter', async () => {
    const empty = await call('POST', '/dead-letters/retry', op, {});
    expect(empty.statusCode).toBe(400);
    const res = await call('POST', '/dead-letters/retry', op, { flow: FLOW, code: 'UNMAPPED_BASE_DATA' });
    expect(res.statusCode).toBe(200);
    expect(res.json().retried).toBe(3);
    const q = queues.flows.get(FLOW)!;
    for (const id of ['2001', '2002', '2003']) expect(await (await q.getJob(documentJobId(FLOW, id, '1')))!.getState()).toBe('waiting');
    const [entry] = (await call('GET', '/audit?action=retry-all')).json().entries;
    expect(entry.details).toMatchObject({ filter: { flow: FLOW, code: 'UNMAPPED_BASE_DATA' }, retried: 3 });
  });
});

describe('flows', () => {
  it('pauses and resumes a flow: queue, poller flag, status and audit', async () => {
    expect((await call('POST', '/flows/nope/pause')).statusCode).toBe(404);
    expect((await call('POST', `/flows/${FLOW}/pause`)).statusCode).toBe(200);
    expect(await queues.flows.get(FLOW)!.isPaused()).toBe(true);
    expect(await createFlowPauseStore(redis, prefix).isPaused(FLOW)).toBe(true);
    expect((await call('GET', '/flows', ro)).json().flows[0].paused).toBe(true);
    expect((await call('POST', `/flows/${FLOW}/resume`)).statusCode).toBe(200);
    expect(await queues.flows.get(FLOW)!.isPaused()).toBe(false);
    expect((await call('GET', '/flows')).json().flows[0].paused).toBe(false);
    const actions = (await call('GET', '/audit')).json().entries.map((e: { action: string }) => e.action);
    expect(actions.slice(0, 2)).toEqual(['resume', 'pause']);
  });

  it('shows documents written today from the metrics counter', async () => {
    const { beijingDay } = await import('@sync/queue');
    await createMetricsStore(redis, prefix).documentWritten(FLOW, beijingDay(new Date()));
    expect((await call('GET', '/flows')).json().flows[0].writtenToday).toBe(1);
  });
});

describe('resync cancel', () => {
  it('cancels a resync that has not started, and answers 404 once it is gone', async () => {
    const { id } = (await call('POST', '/resync', op, { flow: FLOW, docIds: ['9001'] })).json();
    expect((await call('DELETE', `/resync/${id}`)).statusCode).toBe(200);
    expect(await queues.poll.getJob(id)).toBeUndefined();
    expect((await call('DELETE', `/resync/${id}`)).statusCode).toBe(404);
    const actions = (await call('GET', '/audit?action=resync-cancel')).json().entries;
    expect(actions[0]).toMatchObject({ statusCode: 404, details: { id } });
  });

  it('asks a running resync to stop (202): the flag the poller checks between windows is set', async () => {
    const { id } = (await call('POST', '/resync', op, { flow: FLOW, from: '2026-01-01 00:00:00', to: '2026-03-01 00:00:00' })).json();
    const conn = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
    let release!: () => void;
    const held = new Promise<void>((resolve) => { release = resolve; });
    let started!: () => void;
    const active = new Promise<void>((resolve) => { started = resolve; });
    const worker = new Worker('poll', async () => { started(); await held; }, { connection: conn, prefix });
    try {
      await active;
      const res = await call('DELETE', `/resync/${id}`);
      expect(res.statusCode).toBe(202);
      expect(res.json()).toEqual({ id, status: 'cancelling' });
      expect(await redis.exists(`${prefix}:resync-cancel:${id}`)).toBe(1);
    } finally {
      release();
      await worker.close();
      await conn.quit();
    }
  });
});

describe('metrics', () => {
  it('serves Prometheus text with counters from Redis and queue gauges', async () => {
    const m = createMetricsStore(redis, prefix);
    await m.documentFailed(FLOW, 'UNMAPPED_BASE_DATA');
    await m.call({ system: 'kingdee', op: 'Save', ms: 120, ok: true });
    await m.call({ system: 'kingdee', op: 'Save', ms: 40, ok: false, code: 'AUTH_FAILED' });
    await m.rateLimitHit('jst');
    const res = await call('GET', '/metrics', ro);
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/plain');
    const text = res.body;
    expect(text).toContain(`sync_documents_written_total{flow="${FLOW}"} 1`);
    expect(text).toContain(`sync_documents_failed_total{flow="${FLOW}",reason="UNMAPPED_BASE_DATA"} 1`);
    expect(text).toContain('sync_client_call_duration_seconds_bucket{system="kingdee",op="Save",le="0.05"} 1');
    expect(text).toContain('sync_client_call_duration_seconds_bucket{system="kingdee",op="Save",le="0.25"} 2');
    expect(text).toContain('sync_client_call_duration_seconds_count{system="kingdee",op="Save"} 2');
    expect(text).toContain('sync_client_call_errors_total{system="kingdee",op="Save",code="AUTH_FAILED"} 1');
    expect(text).toContain('sync_rate_limit_hits_total{source="jst"} 1');
    expect(text).toMatch(new RegExp(`sync_queue_jobs\\{flow="${FLOW}",state="waiting"\\} \\d+`));
  });
});

describe('OpenAPI', () => {
  it('documents every registered route', async () => {
    const doc = (await call('GET', '/openapi.json', ro)).json() as { paths: Record<string, Record<string, unknown>> };
    const documented = new Set(
      Object.entries(doc.paths).flatMap(([p, methods]) => Object.keys(methods).map((m) => `${m.toUpperCase()} ${p}`)),
    );
    // The plugins' own pages are not API routes: Bull Board (one entry for all) and the API page at /docs.
    const missing = app.registeredRoutes
      .filter((r) => !r.includes('/admin/queues') && !r.startsWith(`GET ${API_DOCS_PATH}`))
      .map((r) => r.replace(/:([A-Za-z]+)/g, '{$1}'))
      .filter((r) => !documented.has(r));
    expect(missing).toEqual([]);
    expect(app.registeredRoutes.length).toBeGreaterThan(15);
    // …and documents nothing that does not exist.
    const registered = new Set(app.registeredRoutes);
    const ghosts = table.filter((r) => !registered.has(routeKey(r)));
    expect(ghosts).toEqual([]);
    expect(doc.paths['/resync']?.post).toMatchObject({ requestBody: { content: { 'application/json': { schema: { type: 'object' } } } } });
  });
});
