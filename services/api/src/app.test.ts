import { silentLogger } from '@sync/logger';
import type { FastifyInstance } from 'fastify';
import { buildApi, BODY_LIMIT } from './app';
import type { ApiOps, DeadLetter, DeadLetterFilter, DocumentLineage, FlowStatus, ResyncRequest, ResyncStatus, RetryOutcome } from './ops';

const TOKEN = 'token-0123456789';
const USER = 'ops';
const PASSWORD = 'pass-0123456789';
const env = { API_TOKEN: TOKEN, API_BASIC_USER: USER, API_BASIC_PASSWORD: PASSWORD };
const bearer = { authorization: `Bearer ${TOKEN}` };
const basicAuth = (user: string, password: string) => ({
  authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});

const flowStatus: FlowStatus = {
  name: 'sales-outbound',
  title: '销售出库单',
  enabled: true,
  schedule: { everyMs: 15000 },
  cursor: '123456',
  lastPollAt: '2026-11-28T05:00:00.000Z',
  lastError: null,
  lastErrorAt: null,
  lastPollCounts: { seen: 3, enqueued: 2 },
  counts: { waiting: 1, active: 0, delayed: 2, failed: 3, completed: 4 },
  paused: false,
  lagSeconds: 12,
  writtenToday: 5,
  cutover: '2026-11-01 00:00:00',
  beforeCutover: 7,
};
const deadLetter: DeadLetter = {
  flow: 'sales-outbound',
  jobId: 'sales-outbound-1001-7',
  docId: '1001',
  version: '7',
  code: 'UNMAPPED_BASE_DATA',
  message: 'SKU Z9999-NEW has no material',
  failedAt: '2026-11-28T05:01:00.000Z',
  attemptsMade: 1,
};
const resync: ResyncStatus = {
  id: 'resync-1',
  flow: 'sales-outbound',
  state: 'completed',
  progress: 100,
  result: { enqueued: 5 },
  failedReason: null,
  createdAt: '2026-11-28T05:00:00.000Z',
  finishedAt: '2026-11-28T05:00:03.000Z',
};
const lineage: DocumentLineage = {
  flow: 'sales-outbound',
  sourceId: '1001',
  entries: [
    {
      key: 'JSTSO1001',
      entry: { billNo: 'JSTSO1001', docId: '1001', kingdeeId: 100234, status: 'audited', version: '7' },
      job: { id: 'sales-outbound-1001-7', state: 'completed', attemptsMade: 1, failedReason: null, finishedAt: '2026-11-28T05:01:00.000Z' },
      log: ['2026-11-28T05:00:59.000Z payload SAL_OUTSTOCK JSTSO1001: {"FBillNo":"JSTSO1001"}', '2026-11-28T05:01:00.000Z attempt 1: {"billNo":"JSTSO1001"}'],
    },
  ],
};

type Call = [string, ...unknown[]];

/** An in-memory ApiOps that records each call and answers from canned data. */
function fakeOps(overrides: Partial<ApiOps> = {}): ApiOps & { calls: Call[] } {
  const calls: Call[] = [];
  const ops: ApiOps = {
    flowNames: () => ['sales-outbound'],
    documentFlowNames: () => ['sales-outbound'],
    listFlows: async () => { calls.push(['listFlows']); return [flowStatus]; },
    triggerPoll: async (flow: string) => { calls.push(['triggerPoll', flow]); return { jobId: `poll-manual-${flow}-1` }; },
    startResync: async (req: ResyncRequest) => { calls.push(['startResync', req]); return { id: 'resync-1' }; },
    getResync: async (id: string) => { calls.push(['getResync', id]); return id === 'resync-1' ? resync : undefined; },
    listDeadLetters: async (f: DeadLetterFilter) => { calls.push(['listDeadLetters', f]); return [deadLetter]; },
    retryDeadLetter: async (flow: string, jobId: string): Promise<RetryOutcome> => {
      calls.push(['retryDeadLetter', flow, jobId]);
      return jobId === 'failed-job' ? 'retried' : jobId === 'waiting-job' ? 'not-failed' : 'not-found';
    },
    getDocument: async (flow: string, id: string) => { calls.push(['getDocument', flow, id]); return id === '1001' ? lineage : undefined; },
    health: async () => ({ redis: true }),
    cancelResync: async () => 'not-found',
    getDeadLetter: async () => undefined,
    retryDeadLetters: async () => ({ retried: [] }),
    discardDeadLetter: async () => 'not-found',
    setPaused: async () => undefined,
    pruneLedger: async (flow: string, opts: { before: Date; dryRun: boolean }) => {
      calls.push(['pruneLedger', flow, opts]);
      return { scanned: 0, removed: 0 };
    },
    queueGauges: async () => [],
    ...overrides,
  };
  return Object.assign(ops, { calls });
}

async function appWith(ops: ApiOps, e: Record<string, string> = env): Promise<FastifyInstance> {
  const app = await buildApi({ env: e, ops, queues: [], logger: silentLogger() });
  await app.ready();
  return app;
}

describe('GET /health', () => {
  it('is public and says ok while Redis answers', async () => {
    const app = await appWith(fakeOps());
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ status: 'ok', redis: true });
    await app.close();
  });
  it('answers 503 when Redis is down', async () => {
    const app = await appWith(fakeOps({ health: async () => ({ redis: false }) }));
    const res = await app.inject({ method: 'GET', url: '/health' });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toEqual({ status: 'degraded', redis: false });
    await app.close();
  });
});

describe('buildApi configuration', () => {
  it('refuses to build an open API', async () => {
    await expect(buildApi({ env: {}, ops: fakeOps(), queues: [], logger: silentLogger() })).rejects.toThrow(/refuses to run without credentials/);
  });
});

const protectedRoutes: { method: 'GET' | 'POST' | 'PUT'; url: string; payload?: unknown }[] = [
  { method: 'GET', url: '/flows' },
  { method: 'POST', url: '/flows/sales-outbound/poll' },
  { method: 'POST', url: '/resync', payload: { flow: 'sales-outbound', docIds: ['1'] } },
  { method: 'GET', url: '/resync/resync-1' },
  { method: 'GET', url: '/dead-letters' },
  { method: 'POST', url: '/dead-letters/sales-outbound/failed-job/retry' },
  { method: 'GET', url: '/documents/sales-outbound/1001' },
  { method: 'POST', url: '/ledger/prune', payload: { olderThanDays: 90 } },
  { method: 'GET', url: '/admin/queues' },
  { method: 'GET', url: '/admin/queues/queue/flow-sales-outbound' },
  { method: 'GET', url: '/admin/queues/static/favicon-32x32.png' },
  { method: 'GET', url: '/admin/queues/api/queues' },
  { method: 'GET', url: '/admin/queues/api/redis/stats' },
  { method: 'PUT', url: '/admin/queues/api/queues/flow-sales-outbound/1/retry' },
];

describe('authentication', () => {
  let app: FastifyInstance;
  let ops: ReturnType<typeof fakeOps>;
  beforeAll(async () => {
    ops = fakeOps();
    app = await appWith(ops);
  });
  afterAll(() => app.close());

  const refusals: [string, Record<string, string>][] = [
    ['no credentials', {}],
    ['a wrong token', { authorization: 'Bearer token-wrong-0000' }],
    ['a wrong basic password', basicAuth(USER, 'pass-wrong-0000')],
    ['a wrong basic user', basicAuth('admin', PASSWORD)],
    ['the token as basic password', basicAuth(USER, TOKEN)],
  ];
  // Each refusal from its own address: wrong credentials count against the address (the login guard).
  let address = 0;
  for (const route of protectedRoutes) {
    it.each(refusals)(`${route.method} ${route.url} is refused with %s`, async (_name, headers) => {
      ops.calls.length = 0;
      address += 1;
      const remoteAddress = `10.1.${Math.floor(address / 250)}.${address % 250}`;
      const res = await app.inject({ method: route.method, url: route.url, headers, remoteAddress, payload: route.payload as object });
      expect(res.statusCode).toBe(401);
      expect(res.headers['www-authenticate']).toBe('Basic realm="jst-kingdee-sync"');
      expect(res.json()).toEqual({ error: 'unauthorized', message: 'missing or wrong credentials' });
      expect(ops.calls).toEqual([]); // nothing ran
    });
  }

  const getRoutes = protectedRoutes.filter((r) => r.method === 'GET');
  it.each(getRoutes.map((r) => [r.url]))('GET %s is served with the bearer token and with basic auth', async (url) => {
    for (const headers of [bearer, basicAuth(USER, PASSWORD)]) {
      const res = await app.inject({ method: 'GET', url, headers });
      expect(res.statusCode).toBe(200);
    }
  });

  it('serves the Bull Board page and its assets to an authenticated browser', async () => {
    const page = await app.inject({ method: 'GET', url: '/admin/queues', headers: basicAuth(USER, PASSWORD) });
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.body).toContain('<base href="/admin/queues/"');
    const js = /src="(static\/js\/[^"]+\.js)"/.exec(page.body);
    expect(js).not.toBeNull();
    const asset = await app.inject({ method: 'GET', url: `/admin/queues/${js![1]}`, headers: basicAuth(USER, PASSWORD) });
    expect(asset.statusCode).toBe(200);
    const refused = await app.inject({ method: 'GET', url: `/admin/queues/${js![1]}` });
    expect(refused.statusCode).toBe(401);
  });

  it('only sends the Bearer challenge when basic auth is not configured', async () => {
    const tokenOnly = await appWith(fakeOps(), { API_TOKEN: TOKEN });
    const res = await tokenOnly.inject({ method: 'GET', url: '/flows' });
    expect(res.statusCode).toBe(401);
    expect(res.headers['www-authenticate']).toBe('Bearer realm="jst-kingdee-sync"');
    expect((await tokenOnly.inject({ method: 'GET', url: '/flows', headers: basicAuth(USER, PASSWORD) })).statusCode).toBe(401);
    expect((await tokenOnly.inject({ method: 'GET', url: '/flows', headers: bearer })).statusCode).toBe(200);
    await tokenOnly.close();
  });
});

describe('routes', () => {
  let app: FastifyInstance;
  let ops: ReturnType<typeof fakeOps>;
  beforeEach(async () => {
    ops = fakeOps();
    app = await appWith(ops);
  });
  afterEach(() => app.close());

  const call = (method: 'GET' | 'POST', url: string, payload?: unknown) =>
    app.inject({ method, url, headers: bearer, ...(payload === undefined ? {} : { payload: payload as object }) });

  it('GET /flows lists every flow with its status and counts', async () => {
    const res = await call('GET', '/flows');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ flows: [flowStatus] });
    expect(ops.calls).toEqual([['listFlows']]);
  });

  it('GET /flows drops fields the output contract does not have', async () => {
    ops = fakeOps({ listFlows: async () => [{ ...flowStatus, redisPassword: 'hunter2-secret' } as FlowStatus] });
    const other = await appWith(ops);
    const res = await other.inject({ method: 'GET', url: '/flows', headers: bearer });
    expect(res.body).not.toContain('hunter2-secret');
    await other.close();
  });

  it('POST /flows/:flow/poll enqueues a poll and answers 202 with its job id', async () => {
    const res = await call('POST', '/flows/sales-outbound/poll');
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ flow: 'sales-outbound', jobId: 'poll-manual-sales-outbound-1' });
    expect(ops.calls).toEqual([['triggerPoll', 'sales-outbound']]);
  });

  it('POST /resync with a window answers 202 {id}', async () => {
    const res = await call('POST', '/resync', { flow: 'sales-outbound', from: '2026-11-01 00:00:00', to: '2026-11-28 23:59:59' });
    expect(res.statusCode).toBe(202);
    expect(res.json()).toEqual({ id: 'resync-1' });
    expect(ops.calls).toEqual([['startResync', { flow: 'sales-outbound', from: '2026-11-01 00:00:00', to: '2026-11-28 23:59:59' }]]);
  });

  it('POST /resync with document ids drops duplicates', async () => {
    const res = await call('POST', '/resync', { flow: 'sales-outbound', docIds: ['1001', '1002', '1001'] });
    expect(res.statusCode).toBe(202);
    expect(ops.calls).toEqual([['startResync', { flow: 'sales-outbound', docIds: ['1001', '1002'] }]]);
  });

  it('POST /resync with ignoreCutover passes it on (history on purpose); anything but a boolean is refused', async () => {
    const res = await call('POST', '/resync', { flow: 'sales-outbound', docIds: ['7'], ignoreCutover: true });
    expect(res.statusCode).toBe(202);
    expect(ops.calls).toEqual([['startResync', { flow: 'sales-outbound', docIds: ['7'], ignoreCutover: true }]]);
    expect((await call('POST', '/resync', { flow: 'sales-outbound', docIds: ['7'], ignoreCutover: 'yes' })).statusCode).toBe(400);
  });

  it('POST /resync accepts a one-second window (from = to) and 1000 ids', async () => {
    expect((await call('POST', '/resync', { flow: 'sales-outbound', from: '2026-11-01 00:00:00', to: '2026-11-01 00:00:00' })).statusCode).toBe(202);
    const ids = Array.from({ length: 1000 }, (_, i) => String(i + 1));
    expect((await call('POST', '/resync', { flow: 'sales-outbound', docIds: ids })).statusCode).toBe(202);
  });

  it('GET /resync/:id shows the resync, 404 for an unknown id', async () => {
    const res = await call('GET', '/resync/resync-1');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(resync);
    const missing = await call('GET', '/resync/resync-404');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain('resync-404');
  });

  it('GET /dead-letters passes the filter and lists dead letters', async () => {
    const res = await call('GET', '/dead-letters?flow=sales-outbound&code=UNMAPPED_BASE_DATA&limit=5');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ deadLetters: [deadLetter] });
    expect(ops.calls).toEqual([['listDeadLetters', { flow: 'sales-outbound', code: 'UNMAPPED_BASE_DATA', limit: 5 }]]);
  });

  it('GET /dead-letters defaults the limit to 100', async () => {
    await call('GET', '/dead-letters');
    expect(ops.calls).toEqual([['listDeadLetters', { limit: 100 }]]);
  });

  it('POST /dead-letters/:flow/:jobId/retry: 200 retried, 409 not failed, 404 not found', async () => {
    const ok = await call('POST', '/dead-letters/sales-outbound/failed-job/retry');
    expect(ok.statusCode).toBe(200);
    expect(ok.json()).toEqual({ flow: 'sales-outbound', jobId: 'failed-job', status: 'retried' });
    const notFailed = await call('POST', '/dead-letters/sales-outbound/waiting-job/retry');
    expect(notFailed.statusCode).toBe(409);
    expect(notFailed.json().error).toBe('not_failed');
    const missing = await call('POST', '/dead-letters/sales-outbound/nope/retry');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain('"nope"');
    expect(ops.calls.map((c) => c[2])).toEqual(['failed-job', 'waiting-job', 'nope']);
  });

  it('GET /documents/:flow/:sourceId shows the lineage, 404 when the ledger has none', async () => {
    const res = await call('GET', '/documents/sales-outbound/1001');
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(lineage);
    const missing = await call('GET', '/documents/sales-outbound/9999');
    expect(missing.statusCode).toBe(404);
    expect(missing.json().message).toContain('9999');
  });

  it.each([
    ['POST', '/flows/purchase-in/poll', undefined],
    ['POST', '/resync', { flow: 'purchase-in', docIds: ['1'] }],
    ['GET', '/dead-letters?flow=purchase-in', undefined],
    ['POST', '/dead-letters/purchase-in/failed-job/retry', undefined],
    ['GET', '/documents/purchase-in/1001', undefined],
  ] as const)('%s %s: unknown flow → 404 naming it', async (method, url, payload) => {
    const res = await call(method, url, payload);
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: expect.stringContaining('unknown flow "purchase-in"') });
    expect(ops.calls).toEqual([]);
  });

  it.each([
    ['bad from format', 'from', { flow: 'sales-outbound', from: '2026-11-01T00:00:00', to: '2026-11-02 00:00:00' }],
    ['impossible to date', 'to', { flow: 'sales-outbound', from: '2026-02-01 00:00:00', to: '2026-02-30 00:00:00' }],
    ['from after to', 'to', { flow: 'sales-outbound', from: '2026-11-02 00:00:00', to: '2026-11-01 00:00:00' }],
    ['to without from', 'from', { flow: 'sales-outbound', to: '2026-11-01 00:00:00' }],
    ['from without to', 'to', { flow: 'sales-outbound', from: '2026-11-01 00:00:00' }],
    ['neither window nor ids', 'from', { flow: 'sales-outbound' }],
    ['both window and ids', 'docIds', { flow: 'sales-outbound', from: '2026-11-01 00:00:00', to: '2026-11-02 00:00:00', docIds: ['1'] }],
    ['empty docIds', 'docIds', { flow: 'sales-outbound', docIds: [] }],
    ['too many docIds', 'docIds', { flow: 'sales-outbound', docIds: Array.from({ length: 1001 }, (_, i) => String(i)) }],
    ['blank docId', 'docIds.1', { flow: 'sales-outbound', docIds: ['1', ' '] }],
    ['docId not a string', 'docIds.1', { flow: 'sales-outbound', docIds: ['1', 2] }],
    ['missing flow', 'flow', { docIds: ['1'] }],
    ['unknown field', 'force', { flow: 'sales-outbound', docIds: ['1'], force: true }],
    ['array body', 'body', [1]],
  ] as [string, string, unknown][])('POST /resync with %s → 400 naming %s', async (_name, field, payload) => {
    const res = await call('POST', '/resync', payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad_request', field, message: expect.stringContaining(field) });
    expect(ops.calls).toEqual([]);
  });

  it('POST /resync without a body → 400 naming the body', async () => {
    const res = await call('POST', '/resync');
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe('body');
  });

  it('POST /resync with malformed JSON → 400 without internals', async () => {
    const res = await app.inject({ method: 'POST', url: '/resync', headers: { ...bearer, 'content-type': 'application/json' }, payload: '{"flow":' });
    expect(res.statusCode).toBe(400);
    expect(res.body).not.toMatch(/at .*\.js/);
  });

  it.each([
    ['limit=abc', 'limit'],
    ['limit=0', 'limit'],
    ['limit=1001', 'limit'],
    ['code=unmapped', 'code'],
    ['flow=a&flow=b', 'flow'],
    ['color=red', 'color'],
  ])('GET /dead-letters?%s → 400 naming %s', async (query, field) => {
    const res = await call('GET', `/dead-letters?${query}`);
    expect(res.statusCode).toBe(400);
    expect(res.json().field).toBe(field);
  });

  it('refuses a body over the limit with 413', async () => {
    const big = { flow: 'sales-outbound', docIds: ['x'.repeat(BODY_LIMIT)] };
    const res = await call('POST', '/resync', big);
    expect(res.statusCode).toBe(413);
    expect(ops.calls).toEqual([]);
  });

  it('answers 500 without the stack or the error message when an operation throws', async () => {
    ops = fakeOps({ listFlows: async () => { throw new Error('connect ECONNREFUSED redis://:s3cret-pw@10.0.0.5:6379'); } });
    const other = await appWith(ops);
    const res = await other.inject({ method: 'GET', url: '/flows', headers: bearer });
    expect(res.statusCode).toBe(500);
    expect(res.json()).toEqual({ error: 'internal', message: 'internal error; see the API logs' });
    expect(res.body).not.toContain('s3cret');
    await other.close();
  });

  it('answers JSON 404 for an unknown route', async () => {
    const res = await call('GET', '/nope');
    expect(res.statusCode).toBe(404);
    expect(res.json()).toEqual({ error: 'not_found', message: 'no such route' });
  });
});
