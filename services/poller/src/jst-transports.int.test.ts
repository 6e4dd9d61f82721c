import { z } from 'zod';
import { documentFlowSettingsSchema, envSchema } from '@sync/config';
import { PermanentError, TransientError } from '@sync/errors';
import { type DocumentFlow, syncConfigSchema } from '@sync/flows';
import { silentLogger } from '@sync/logger';
import { createCursorStore, createPollStatusStore, createRedis, waitForRedis, type DocumentJob } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { createFakeJst, type FakeJst } from './fake-jst.test-support';
import { createPollerService, type PollerService } from './poller-service';

const FLOW = 'sales-outbound';
const TMALL = 1;
const JD = 2;
const TAOBAO = 3;
const schema = z.object({ io_id: z.number(), ts: z.number().optional(), modified: z.string(), status: z.string(), shop_id: z.number() });
type Row = z.infer<typeof schema>;

const flow: DocumentFlow<Row> = {
  name: FLOW,
  title: 'test outbound',
  settings: documentFlowSettingsSchema, source: { path: '/open/orders/out/simple/query', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id' },
  qimen: { method: 'jushuitan.saleout.list.query', filters: { date_type: 0 }, businessDate: 'io_date', idField: 'io_id' },
  target: { formId: 'SAL_OUTSTOCK', schema: z.unknown(), reconcile: {}, keyFields: {} },
  schema,
  docId: (d) => String(d.io_id),
  version: (d) => (d.ts === undefined ? `m${d.modified.replace(/\D/g, '')}` : String(d.ts)),
  isReady: (d) => d.status === 'Confirmed',
  transform: () => ({ kind: 'skip', reason: 'not used' }),
};
const row = (io_id: number, shop_id: number, ts?: number) => ({ io_id, shop_id, status: 'Confirmed', modified: '2024-05-21 11:30:00', ...(ts === undefined ? {} : { ts }) });

describe('poller transports (real Redis, fake open API and Qimen)', () => {
  const admin = createRedis(testRedisUrl(), { role: 'producer' });
  const prefixes: string[] = [];
  const services: PollerService[] = [];
  const NOW = new Date('2024-05-21T04:00:00Z'); // 2024-05-21 12:00:00 Beijing

  function setup(transport: Record<string, unknown>, qimen: FakeJst | null = createFakeJst()) {
    const prefix = uniquePrefix('poller-transports');
    prefixes.push(prefix);
    const env = envSchema.parse({ REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, SHUTDOWN_TIMEOUT_MS: '5000' });
    const config = syncConfigSchema.parse({
      flows: { [FLOW]: { schedule: { everyMs: 60_000, startTs: 1, lagSeconds: 60, lookbackSeconds: 600, startFrom: '2024-05-21 11:00:00' }, ...transport } },
    });
    const jst = createFakeJst();
    const service = createPollerService(env, config, { jst, qimen: qimen ?? undefined, flows: { [FLOW]: flow }, logger: silentLogger(), now: () => NOW });
    services.push(service);
    return { jst, qimen: qimen!, service, cursors: createCursorStore(admin, prefix), statuses: createPollStatusStore(admin, prefix), queue: service.queues.flow(FLOW) };
  }
  beforeAll(() => waitForRedis(admin));
  afterAll(async () => {
    for (const s of services) await s.stop();
    for (const p of prefixes) {
      const k = await admin.keys(`${p}:*`);
      if (k.length) await admin.del(...k);
    }
    admin.disconnect();
  });
  const jobs = async (queue: ReturnType<typeof setup>['queue']) =>
    (await queue.getJobs(['waiting'])).map((j) => ({ id: String(j.id), doc: (j.data as DocumentJob).doc as Record<string, unknown> })).sort((a, b) => a.id.localeCompare(b.id));


  it('both: each transport reads the shops it serves on its own cursor; Qimen rows are stamped', async () => {
    const { jst, qimen, service, cursors, statuses, queue } = setup({ transport: 'both', qimen: { shops: [TMALL, TAOBAO] }, openweb: { shops: 'others' } });
    jst.rows.push(row(10, JD, 100), row(11, TMALL, 101));
    qimen.rows.push(row(11, TMALL), row(12, TAOBAO), row(13, JD));
    const res = await service.pollOnce(FLOW);
    expect(res).toMatchObject({ cursor: '101', counts: { enqueued: 3 } });
    expect((await jobs(queue)).map((j) => [j.id, j.doc._transport ?? 'openweb'])).toEqual([
      ['sales-outbound-10-100', 'openweb'],
      ['sales-outbound-11-m20240521113000', 'qimen'],
      ['sales-outbound-12-m20240521113000', 'qimen'],
    ]);
    expect(qimen.calls).toEqual([{ kind: 'window', arg: { window: { begin: '2024-05-21 10:50:00', end: '2024-05-21 11:59:00' }, filters: { date_type: 0 } } }]);
    expect(await cursors.get(FLOW)).toBe('101');
    expect(await cursors.get(`${FLOW}@qimen`)).toBe('2024-05-21 11:59:00');
    expect(await statuses.get(`${FLOW}@openweb`)).toMatchObject({ cursor: '101', lastCounts: { enqueued: 1 } });
    expect(await statuses.get(`${FLOW}@qimen`)).toMatchObject({ cursor: '2024-05-21 11:59:00', lastCounts: { seen: 2, enqueued: 2 } });
  });

  it('a Qimen failure leaves the open API polled and its cursor moved; the error is the flow\'s and Qimen\'s', async () => {
    const { jst, qimen, service, cursors, statuses, queue } = setup({ transport: 'both' });
    jst.rows.push(row(20, JD, 200));
    qimen.beforeCall = () => {
      throw new TransientError('HTTP_5XX', 'JST via Qimen jushuitan.saleout.list.query answered HTTP 502');
    };
    await expect(service.pollOnce(FLOW)).rejects.toThrow(/Qimen/);
    expect((await jobs(queue)).map((j) => j.id)).toEqual(['sales-outbound-20-200']);
    expect(await cursors.get(FLOW)).toBe('200');
    expect(await cursors.get(`${FLOW}@qimen`)).toBeUndefined();
    expect((await statuses.get(`${FLOW}@qimen`)).lastError).toEqual({ code: 'HTTP_5XX', message: expect.stringContaining('502') });
    expect((await statuses.get(`${FLOW}@openweb`)).lastSuccessAt).toBeDefined();
    expect((await statuses.get(FLOW)).lastError?.code).toBe('HTTP_5XX');

    qimen.beforeCall = undefined;
    qimen.rows.push(row(21, TMALL));
    await service.pollOnce(FLOW);
    expect((await jobs(queue)).map((j) => j.id)).toContain('sales-outbound-21-m20240521113000');
  });

  it('reports an authentication failure of either transport as the flow\'s error, whatever failed first', async () => {
    const { jst, qimen, service, statuses } = setup({ transport: 'both' });
    jst.beforeCall = () => {
      throw new TransientError('TIMEOUT', 'JST (/open/orders/out/simple/query) timed out');
    };
    qimen.beforeCall = () => {
      throw new PermanentError('AUTH_FAILED', 'JST via Qimen jushuitan.saleout.list.query: code 25: Invalid signature');
    };
    await expect(service.pollOnce(FLOW)).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect((await statuses.get(FLOW)).lastError?.code).toBe('AUTH_FAILED');
    expect((await statuses.get(`${FLOW}@openweb`)).lastError?.code).toBe('TIMEOUT');
  });

  it('qimen only with cursor ts reads by row version under its own cursor, and refuses a resync by id', async () => {
    const { jst, qimen, service, cursors } = setup({ transport: 'qimen', qimen: { cursor: 'ts' } });
    jst.rows.push(row(30, JD, 300));
    qimen.rows.push(row(31, TMALL, 310));
    expect(await service.pollOnce(FLOW)).toMatchObject({ cursor: '310', counts: { enqueued: 1 } });
    expect(await cursors.get(`${FLOW}@qimen`)).toBe('310');
    expect(await cursors.get(FLOW)).toBeUndefined();
    expect(jst.calls).toEqual([]);
    await expect(service.pollOnce(FLOW, { docIds: ['31'] })).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(await service.pollOnce(FLOW, { from: '2024-05-21 11:00:00', to: '2024-05-21 12:00:00' })).toMatchObject({ resync: true, counts: { seen: 1 } });
  });

  it('names the missing Qimen credentials when a flow needs Qimen and the poller has no client', async () => {
    const { service } = setup({ transport: 'both' }, null);
    const err = await service.pollOnce(FLOW).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).message).toMatch(/JST_QIMEN_APP_KEY/);
  });
});
