/**
 * End to end, sales return (退仓单 → SAL_RETURNSTOCK): both simulators over real HTTP, real Redis, and the poller,
 * worker and API services. Returns change while the poller pages (some get booked in); some use an unmapped SKU.
 * Asserts on what Kingdee holds (stocks incl. the 销退仓 sub-warehouse, lots, dates, positive quantities), the
 * dead letters, and that a second poll writes nothing new.
 */
import path from 'node:path';
import { loadEnv } from '@sync/config';
import { flowRegistry, loadSyncConfig, type SyncConfig } from '@sync/flows';
import { createJstClient } from '@sync/jushuitan';
import { createKingdeeClient } from '@sync/kingdee';
import { silentLogger } from '@sync/logger';
import { createPollerService } from '@sync/poller';
import { createWorkerService, withStockLocations } from '@sync/worker';
import { createRedis } from '@sync/queue';
import { demoCredentials, startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { checkLocations } from './locations';
import { day, demoConfig, startE2EPipeline, enqueuedBy, until, type E2EPipeline } from './harness';

const root = path.resolve(__dirname, '../..');
const FLOW = 'sales-return';
const KIND = 'aftersale-received';
const SEEDED = 80;

interface JstLine { ioi_id: string; sku_id: string; qty: number; sale_price: number }
interface JstBatch { ioi_id: number; sku_id: string; batch_no: string; qty: number; product_date?: string; expiration_date?: string }
interface JstReturn { io_id: number; as_id: number; status: string; shop_id: number; wms_co_id: number; wh_id: number; items: JstLine[]; batchs: JstBatch[] }
interface KdEntry {
  FMaterialId?: { FNumber?: string }; FRealQty?: number; FLot?: { FNumber?: string } | null; FProduceDate?: string | null;
  FExpiryDate?: string | null; FStockId?: { FNumber?: string }; FIsFree?: boolean; FReturnType?: { FNumber?: string };
}


const customers: Record<number, string> = { 16882300: 'CUST-TMALL', 16882301: 'CUST-JD', 16882302: 'CUST-DOUYIN' };

describe('sales return end to end', () => {
  const prefix = uniquePrefix('e2e-sr');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: E2EPipeline;
  let config: SyncConfig;
  let pagesMutated = 0;
  const bookedWhilePaging: string[] = [];

  beforeAll(async () => {
    jstSim = await startJstSimulator({});
    kdSim = await startKingdeeSimulator({});
    jstSim.seedKind(KIND, { count: SEEDED, seed: 2025, unmappedRate: 0.05, batchRate: 0.5 });
    const fileConfig = demoConfig();
    const sr = fileConfig.flows[FLOW]!;
    // Only this flow runs here; a small page makes the scan take several pages, and returns change (some get
    // booked in) between the pages of the first scans.
    config = { ...fileConfig, flows: { [FLOW]: { ...sr, enabled: true, source: 'received', schedule: { ...sr.schedule, everyMs: 1000 } } } };
    pipeline = await startE2EPipeline({
      prefix, jstSim, kdSim, config,
      biz: (b) => ({ ...b, page_size: 20 }),
      afterPage: () => {
        if (pagesMutated >= 4) return;
        pagesMutated += 1;
        for (const id of jstSim.store.ids(KIND, { status: 'WaitConfirm' }).slice(0, 2)) {
          jstSim.mutate(KIND, id, { status: 'Confirmed' });
          bookedWhilePaging.push(id);
        }
        jstSim.mutateRandomly(3, `paging-${pagesMutated}`, { kind: KIND });
      },
    });
  }, 60000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const bookedIn = () => jstSim.store.list(KIND, { status: 'Confirmed' }) as unknown as JstReturn[];
  /** The stock a return must land in: its `<wms_co_id>/<wh_id>` sub-warehouse when mapped, else the warehouse's. */
  const stockOf = (d: JstReturn) => (config.mappings.warehouses[`${d.wms_co_id}/${d.wh_id}`] ?? config.mappings.warehouses[String(d.wms_co_id)])!.stock;
  const isUnmapped = (d: JstReturn) => d.items.some((i) => i.sku_id === 'Z9999-NEW');
  const kdDocs = () => kdSim.documents('SAL_RETURNSTOCK');
  const deadLetters = () => pipeline.deadLetters(FLOW);
  const idle = () => pipeline.idle(FLOW);
  const pollOnce = (flow: string) => pipeline.pollOnce(flow);

  it('writes every booked-in return to Kingdee exactly once, into the right stock, with its lines, lots and dates', async () => {
    const prefixNo = config.flows[FLOW]!.billNoPrefix;
    await until('every booked-in return to be written or dead-lettered', async () => {
      if (pagesMutated < 4) return false;
      const done = new Set(kdDocs().map((d) => d.billNo));
      const dead = new Set((await deadLetters()).map((d) => d.docId));
      return bookedIn().every((d) => done.has(`${prefixNo}${d.io_id}`) || dead.has(String(d.io_id))) && (await idle());
    }, 120000);

    expect(bookedWhilePaging.length).toBeGreaterThan(0);
    const docs = kdDocs();
    const byBillNo = new Map(docs.map((d) => [d.billNo, d]));
    expect(byBillNo.size).toBe(docs.length);
    const thirdIds = docs.map((d) => String((d.model.SubHeadEntity as Record<string, unknown>).FThirdBillNo));
    expect(new Set(thirdIds).size).toBe(docs.length);

    const mapped = bookedIn().filter((d) => !isUnmapped(d));
    expect(mapped.length).toBeGreaterThan(50);
    expect(docs.length).toBe(mapped.length);
    let withLots = 0;
    let intoReturnStock = 0;
    for (const src of mapped) {
      const bill = byBillNo.get(`${prefixNo}${src.io_id}`);
      expect(bill).toBeDefined();
      expect(bill!.status).toBe('C');
      expect((bill!.model.FRetcustId as { FNumber?: string }).FNumber).toBe(customers[src.shop_id]);
      expect((bill!.model.SubHeadEntity as Record<string, unknown>).FThirdBillId).toBe(String(src.as_id));
      const entries = (bill!.model.FEntity as KdEntry[]) ?? [];
      for (const e of entries) {
        expect(e.FStockId?.FNumber).toBe(stockOf(src));
        expect(Number(e.FRealQty)).toBeGreaterThan(0);
        expect(e.FReturnType?.FNumber).toBe('THLX01_SYS');
      }
      if (stockOf(src) === 'CK001-TH') intoReturnStock += 1; // the 销退仓 of 杭州主仓
      const want = new Map<string, number>();
      for (const l of src.items) if (Number(l.qty) > 0) want.set(l.sku_id, (want.get(l.sku_id) ?? 0) + Number(l.qty));
      const got = new Map<string, number>();
      for (const e of entries) got.set(e.FMaterialId!.FNumber!, (got.get(e.FMaterialId!.FNumber!) ?? 0) + Number(e.FRealQty));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      for (const l of src.items) {
        const free = entries.filter((e) => e.FMaterialId?.FNumber === l.sku_id).every((e) => e.FIsFree === (l.sale_price === 0));
        expect(free).toBe(true);
      }
      for (const b of src.batchs) {
        const line = entries.find((e) => e.FLot?.FNumber === b.batch_no && e.FMaterialId?.FNumber === b.sku_id && Number(e.FRealQty) === Number(b.qty));
        expect(line).toBeDefined();
        if (b.product_date) expect(day(line!.FProduceDate)).toBe(day(b.product_date));
        if (b.expiration_date) expect(day(line!.FExpiryDate)).toBe(day(b.expiration_date));
        withLots += 1;
      }
    }
    expect(withLots).toBeGreaterThan(10);
    expect(intoReturnStock).toBeGreaterThan(5);

    const notBooked = (jstSim.store.list(KIND, {}) as unknown as JstReturn[]).filter((d) => d.status !== 'Confirmed');
    expect(notBooked.length).toBeGreaterThan(0);
    for (const d of notBooked) expect(byBillNo.has(`${prefixNo}${d.io_id}`)).toBe(false);
  }, 150000);

  it('puts the configured location on every line returned into a stock kept by location (销退仓, 次品仓, CK002)', () => {
    expect(checkLocations(kdSim, 'SAL_RETURNSTOCK', config).located).toBeGreaterThan(10);
  });

  it('keeps the returns with an unmapped SKU in the dead letters, naming the document and the SKU', async () => {
    const unmapped = bookedIn().filter(isUnmapped);
    expect(unmapped.length).toBeGreaterThan(0);
    const dead = await deadLetters();
    expect(new Set(dead.map((d) => d.docId))).toEqual(new Set(unmapped.map((d) => String(d.io_id))));
    for (const d of unmapped) {
      const letter = dead.find((x) => x.docId === String(d.io_id))!;
      expect(letter.code).toBe('UNMAPPED_BASE_DATA');
      expect(letter.message).toContain(`io_id=${d.io_id}`);
      expect(letter.message).toContain('Z9999-NEW');
      expect(letter.message).toContain('sales-return');
    }
  });

  it('writes nothing new on a second poll', async () => {
    const before = kdSim.stats();
    const count = kdDocs().length;
    expect(await enqueuedBy(() => pollOnce(FLOW))).toBe(0);
    await until('queues to drain', idle, 30000);
    expect(kdDocs().length).toBe(count);
    const after = kdSim.stats();
    expect(after.saves).toBe(before.saves);
    expect(after.created).toBe(before.created);
  });
});

interface JstRefundLine { sku_id: string; r_qty: number; type: string }
interface JstRefund { as_id: number; status: string; good_status: string; items: JstRefundLine[] }

describe('sales return end to end, source refund (售后单)', () => {
  const prefix = uniquePrefix('e2e-sr-refund');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let stops: (() => Promise<unknown>)[] = [];
  let pending: () => Promise<number>;

  beforeAll(async () => {
    jstSim = await startJstSimulator({});
    kdSim = await startKingdeeSimulator({});
    jstSim.seedKind('refund', { count: 30, seed: 77, exchangeRate: 0.4 });
    const env = loadEnv({
      REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent',
      JST_BASE_URL: jstSim.url, JST_APP_KEY: demoCredentials.jst.appKey, JST_APP_SECRET: demoCredentials.jst.appSecret,
      JST_ACCESS_TOKEN: demoCredentials.jst.accessToken,
      KINGDEE_BASE_URL: kdSim.url, KINGDEE_AUTH: 'password', KINGDEE_ACCT_ID: demoCredentials.kingdee.acctId,
      KINGDEE_USERNAME: demoCredentials.kingdee.users[0].username, KINGDEE_PASSWORD: demoCredentials.kingdee.users[0].password,
      WORKER_CONCURRENCY: '4', SHUTDOWN_TIMEOUT_MS: '5000',
    });
    const fileConfig = loadSyncConfig(path.join(root, 'config/sync.config.yaml'));
    const sr = fileConfig.flows[FLOW]!;
    const config: SyncConfig = { ...fileConfig, flows: { [FLOW]: { ...sr, enabled: true, source: 'refund', schedule: { ...sr.schedule, everyMs: 1000 } } } };
    const logger = silentLogger();
    const jst = createJstClient({ baseUrl: env.JST_BASE_URL, appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN, logger });
    const kingdee = createKingdeeClient({
      baseUrl: env.KINGDEE_BASE_URL, auth: 'password', acctId: env.KINGDEE_ACCT_ID!,
      users: [{ username: demoCredentials.kingdee.users[0].username, password: demoCredentials.kingdee.users[0].password }], timeoutMs: 10000, logger,
    });
    // As the worker's main.ts: location dimensions the config leaves out (次品仓) are read from Kingdee.
    const worker = createWorkerService(env, await withStockLocations(config, kingdee, logger), { kingdee, flows: flowRegistry, logger });
    const poller = createPollerService(env, config, { jst, flows: flowRegistry, logger });
    await worker.start();
    await poller.pollOnce(FLOW);
    const queue = poller.queues.flow(FLOW);
    pending = async () => {
      const c = await queue.getJobCounts('waiting', 'active', 'delayed', 'prioritized');
      return Object.values(c).reduce((s, n) => s + n, 0);
    };
    stops = [() => poller.stop(), () => worker.stop(), () => kingdee.close(), () => jstSim.close(), () => kdSim.close()];
  }, 60000);

  afterAll(async () => {
    for (const stop of stops) await stop().catch(() => undefined);
    const redis = createRedis(testRedisUrl(), { role: 'worker', name: `${prefix}-cleanup` });
    const doomed = await redis.keys(`${prefix}:*`);
    if (doomed.length) await redis.del(...doomed);
    await redis.quit();
  });

  it('reads /open/refund/single/query and writes the received 退货 lines of each settled 售后单 once', async () => {
    const refunds = jstSim.store.list('refund', {}) as unknown as JstRefund[];
    const ready = refunds.filter((r) => r.status === 'Confirmed' && r.good_status === 'SELLER_RECEIVED');
    expect(ready.length).toBeGreaterThan(10);
    expect(ready.length).toBeLessThan(refunds.length);
    await until('every settled refund to be written', async () => kdSim.documents('SAL_RETURNSTOCK').length >= ready.length && (await pending()) === 0, 60000);
    const byBillNo = new Map(kdSim.documents('SAL_RETURNSTOCK').map((d) => [d.billNo, d]));
    expect([...byBillNo.keys()].sort()).toEqual(ready.map((r) => `JSTRTAS${r.as_id}`).sort());
    let exchanges = 0;
    for (const r of ready) {
      const entries = (byBillNo.get(`JSTRTAS${r.as_id}`)!.model.FEntity as KdEntry[]) ?? [];
      const want = new Map<string, number>();
      for (const l of r.items) if (l.type === '退货' && l.r_qty > 0) want.set(l.sku_id, (want.get(l.sku_id) ?? 0) + l.r_qty);
      const got = new Map<string, number>();
      for (const e of entries) got.set(e.FMaterialId!.FNumber!, (got.get(e.FMaterialId!.FNumber!) ?? 0) + Number(e.FRealQty));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      if (r.items.some((l) => l.type === '换货')) exchanges += 1;
    }
    expect(exchanges).toBeGreaterThan(0);
  }, 90000);
});
