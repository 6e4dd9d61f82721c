/**
 * End to end, sales outbound (销售出库单 → SAL_OUTSTOCK): both simulators over real HTTP, real Redis, and the
 * poller, worker and API services. Documents change while the poller pages; some use an unmapped SKU.
 * Asserts on what Kingdee holds, what the dead letters say, and that a second poll writes nothing new.
 */
import path from 'node:path';
import { loadEnv, loadSyncConfig, type SyncConfig } from '@sync/config';
import { flowRegistry } from '@sync/flows';
import { createJstClient, scanByTsWith, scanWindowWith, type JstApi } from '@sync/jushuitan';
import { createKingdeeClient } from '@sync/kingdee';
import { silentLogger } from '@sync/logger';
import { createApiQueues, createApiService, createRedisOps, flowDescriptorsFromConfig } from '@sync/api';
import { createPollerService } from '@sync/poller';
import { createWorkerService } from '@sync/worker';
import { createRedis, flowQueueName } from '@sync/queue';
import { demoCredentials, startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { testRedisUrl, uniquePrefix } from '@sync/testing';

const root = path.resolve(__dirname, '../..');
const FLOW = 'sales-outbound';
const SEEDED = 520;

interface JstLine { ioi_id: number; sku_id: string; qty: number; is_gift?: boolean }
interface JstBatch { ioi_id?: number; sku_id: string; batch_no: string; qty: number; product_date?: string; expiration_date?: string }
interface JstOut { io_id: number; status: string; items: JstLine[]; batchs?: JstBatch[] | null }
interface KdEntry { FMaterialID?: { FNumber?: string }; FRealQty?: number; FLot?: { FNumber?: string } | null; FProduceDate?: string | null; FExpiryDate?: string | null; FIsFree?: boolean }

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

const day = (s: unknown) => (typeof s === 'string' && s.length >= 10 ? s.slice(0, 10) : undefined);

describe('sales outbound end to end', () => {
  const prefix = uniquePrefix('e2e-so');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let stops: (() => Promise<unknown>)[] = [];
  let apiUrl = '';
  let config: SyncConfig;
  let pollOnce: (flow: string) => Promise<unknown>;
  let mutationsDuringPaging = 0;
  const apiToken = 'e2e-api-token-123456';

  beforeAll(async () => {
    jstSim = await startJstSimulator({});
    kdSim = await startKingdeeSimulator({});
    jstSim.seed({ count: SEEDED, seed: 2024, unmappedRate: 0.04, batchRate: 0.5 });

    const env = loadEnv({
      REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent',
      JST_BASE_URL: jstSim.url, JST_APP_KEY: demoCredentials.jst.appKey, JST_APP_SECRET: demoCredentials.jst.appSecret,
      JST_ACCESS_TOKEN: demoCredentials.jst.accessToken,
      KINGDEE_BASE_URL: kdSim.url, KINGDEE_AUTH: 'password', KINGDEE_ACCT_ID: demoCredentials.kingdee.acctId,
      KINGDEE_USERNAME: demoCredentials.kingdee.users.map((u) => u.username).join(','),
      KINGDEE_PASSWORD: demoCredentials.kingdee.users.map((u) => u.password).join(','),
      API_HOST: '127.0.0.1', API_PORT: '0', API_TOKEN: apiToken, WORKER_CONCURRENCY: '6', SHUTDOWN_TIMEOUT_MS: '5000',
    });
    const fileConfig = loadSyncConfig(path.join(root, 'config/sync.config.yaml'));
    const so = fileConfig.flows[FLOW]!;
    config = { ...fileConfig, flows: { ...fileConfig.flows, [FLOW]: { ...so, schedule: { ...so.schedule, everyMs: 1000 } } } };
    const logger = silentLogger();

    // The real JST client, wrapped so that documents change in the simulator between the pages of the first scans.
    const realJst = createJstClient({ baseUrl: env.JST_BASE_URL, appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN, logger });
    const queryPage: JstApi['queryPage'] = async (p, b) => {
      const page = await realJst.queryPage(p, b);
      if (mutationsDuringPaging < 40) {
        mutationsDuringPaging += jstSim.mutateRandomly(4, `paging-${mutationsDuringPaging}`, { confirmRate: 0.7 }).length;
      }
      return page;
    };
    const jst: JstApi = {
      call: (p, b) => realJst.call(p, b),
      queryPage,
      scanByTs: (p, s, o) => scanByTsWith(queryPage, p, s, o),
      scanWindow: (p, w, o) => scanWindowWith(queryPage, logger, p, w, o),
    };
    const kingdee = createKingdeeClient({
      baseUrl: env.KINGDEE_BASE_URL, auth: 'password', acctId: env.KINGDEE_ACCT_ID!,
      users: demoCredentials.kingdee.users.map((u) => ({ username: u.username, password: u.password })), timeoutMs: 10000, logger,
    });

    const worker = createWorkerService(env, config, { kingdee, flows: flowRegistry, logger });
    const poller = createPollerService(env, config, { jst, flows: flowRegistry, logger });
    const apiRedis = createRedis(env.REDIS_URL, { role: 'producer', name: `${prefix}-api` });
    const flows = flowDescriptorsFromConfig(config, { [FLOW]: flowRegistry[FLOW].title });
    const queues = createApiQueues({ connection: apiRedis, prefix, flows: flows.map((f) => f.name) });
    const api = createApiService(env, { ops: createRedisOps({ redis: apiRedis, prefix, flows, queues }), queues: queues.all, logger });
    await worker.start();
    await poller.start();
    apiUrl = (await api.start()).url;
    pollOnce = (f) => poller.pollOnce(f);
    stops = [
      () => poller.stop(), () => worker.stop(), () => api.stop(), () => queues.close(), () => apiRedis.quit(),
      () => kingdee.close(), () => jstSim.close(), () => kdSim.close(),
    ];
  }, 60000);

  afterAll(async () => {
    for (const stop of stops) await stop().catch(() => undefined);
    const redis = createRedis(testRedisUrl(), { role: 'worker', name: `${prefix}-cleanup` });
    const doomed = await redis.keys(`${prefix}:*`);
    if (doomed.length) await redis.del(...doomed);
    await redis.quit();
  });

  const authed = { authorization: `Bearer ${apiToken}` };
  const confirmedDocs = () => jstSim.store.list('orders-out', { status: 'Confirmed' }) as unknown as JstOut[];
  const isUnmapped = (d: JstOut) => d.items.some((i) => i.sku_id === 'Z9999-NEW');
  const kdDocs = () => kdSim.documents('SAL_OUTSTOCK');
  async function deadLetters(): Promise<{ docId: string; code: string; message: string }[]> {
    const res = await fetch(`${apiUrl}/dead-letters?flow=${FLOW}&limit=1000`, { headers: authed });
    expect(res.status).toBe(200);
    return ((await res.json()) as { deadLetters: { docId: string; code: string; message: string }[] }).deadLetters;
  }
  async function idle(): Promise<boolean> {
    const res = await fetch(`${apiUrl}/flows`, { headers: authed });
    const body = (await res.json()) as { flows: { name: string; counts: Record<string, number> }[] };
    const c = body.flows.find((f) => f.name === FLOW)!.counts;
    return (c.waiting ?? 0) + (c.active ?? 0) + (c.delayed ?? 0) === 0;
  }

  it('writes every shipped document to Kingdee exactly once, with its lines, lots and dates', async () => {
    await until('every shipped document to be written or dead-lettered', async () => {
      if (mutationsDuringPaging < 40) return false;
      const done = new Set(kdDocs().map((d) => d.billNo));
      const dead = new Set((await deadLetters()).map((d) => d.docId));
      const prefixNo = config.flows[FLOW]!.billNoPrefix;
      return confirmedDocs().every((d) => done.has(`${prefixNo}${d.io_id}`) || dead.has(String(d.io_id))) && (await idle());
    }, 150000);

    expect(mutationsDuringPaging).toBeGreaterThanOrEqual(40);
    const prefixNo = config.flows[FLOW]!.billNoPrefix;
    const docs = kdDocs();
    const byBillNo = new Map(docs.map((d) => [d.billNo, d]));
    expect(byBillNo.size).toBe(docs.length); // no bill number twice
    const thirdIds = docs.map((d) => String((d.model.SubHeadEntity as Record<string, unknown>).FThirdBillNo));
    expect(new Set(thirdIds).size).toBe(docs.length); // no JST document twice

    const shipped = confirmedDocs();
    const mapped = shipped.filter((d) => !isUnmapped(d));
    expect(mapped.length).toBeGreaterThan(300);
    expect(docs.length).toBe(mapped.length);
    let withLots = 0;
    for (const src of mapped) {
      const bill = byBillNo.get(`${prefixNo}${src.io_id}`);
      expect(bill).toBeDefined();
      expect(bill!.status).toBe('C');
      const entries = (bill!.model.FEntity as KdEntry[]) ?? [];
      // Quantities per material add up to the JST lines.
      const want = new Map<string, number>();
      for (const l of src.items) if (Number(l.qty) > 0) want.set(l.sku_id, (want.get(l.sku_id) ?? 0) + Number(l.qty));
      const got = new Map<string, number>();
      for (const e of entries) got.set(e.FMaterialID!.FNumber!, (got.get(e.FMaterialID!.FNumber!) ?? 0) + Number(e.FRealQty));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      // Every JST batch appears as its own line with its lot, quantity and dates.
      for (const b of src.batchs ?? []) {
        const line = entries.find((e) => e.FLot?.FNumber === b.batch_no && e.FMaterialID?.FNumber === b.sku_id && Number(e.FRealQty) === Number(b.qty));
        expect(line).toBeDefined();
        if (b.product_date) expect(day(line!.FProduceDate)).toBe(day(b.product_date));
        if (b.expiration_date) expect(day(line!.FExpiryDate)).toBe(day(b.expiration_date));
        withLots += 1;
      }
    }
    expect(withLots).toBeGreaterThan(50);

    // Nothing that is not shipped reached Kingdee.
    const notShipped = (jstSim.store.list('orders-out', {}) as unknown as JstOut[]).filter((d) => d.status !== 'Confirmed');
    for (const d of notShipped) expect(byBillNo.has(`${prefixNo}${d.io_id}`)).toBe(false);
  }, 180000);

  it('keeps the unmapped documents in the dead letters with a clear reason, without blocking the rest', async () => {
    const unmapped = confirmedDocs().filter(isUnmapped);
    expect(unmapped.length).toBeGreaterThan(5);
    const dead = await deadLetters();
    // One dead letter per failed version: a document edited after it failed fails again under its new version.
    expect(new Set(dead.map((d) => d.docId))).toEqual(new Set(unmapped.map((d) => String(d.io_id))));
    for (const d of unmapped) {
      const letter = dead.find((x) => x.docId === String(d.io_id));
      expect(letter).toBeDefined();
      expect(letter!.code).toBe('UNMAPPED_BASE_DATA');
      expect(letter!.message).toContain(String(d.io_id));
      expect(letter!.message).toContain('Z9999-NEW');
    }
  });

  it('writes nothing new on a second poll', async () => {
    const before = kdSim.stats();
    const count = kdDocs().length;
    await pollOnce(FLOW);
    await until('queues to drain', idle, 30000);
    await new Promise((r) => setTimeout(r, 500));
    expect(kdDocs().length).toBe(count);
    const after = kdSim.stats();
    expect(after.saves).toBe(before.saves);
    expect(after.created).toBe(before.created);
  });

  it('refuses the API without credentials but answers /health', async () => {
    expect((await fetch(`${apiUrl}/flows`)).status).toBe(401);
    expect((await fetch(`${apiUrl}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
    const board = await fetch(`${apiUrl}/admin/queues/api/queues`, { headers: authed });
    expect(board.status).toBe(200);
    const names = ((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toContain(flowQueueName(FLOW));
  });
});
