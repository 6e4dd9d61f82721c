/**
 * End to end, other in/out (其它出入库 → 其他入库单 STK_MISCELLANEOUS and 其他出库单 STK_MisDelivery): both simulators
 * over real HTTP, real Redis, and the poller, worker and API services, with the two flows that read the same JST
 * endpoint by modified-time windows. Documents become effective while the poller pages; some use an unmapped SKU.
 * Asserts on what Kingdee holds (one bill per effective document, lines, positive quantities, lots, dates, stocks),
 * the dead letters, and that a second poll writes nothing new.
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
import { createRedis } from '@sync/queue';
import { demoCredentials, formatBeijing, startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { testRedisUrl, uniquePrefix } from '@sync/testing';

const root = path.resolve(__dirname, '../..');
const KIND = 'other-inout';
const SEEDED = 90;
const FLOWS = ['other-inbound', 'other-outbound'] as const;
type Flow = (typeof FLOWS)[number];
const FORM: Record<Flow, string> = { 'other-inbound': 'STK_MISCELLANEOUS', 'other-outbound': 'STK_MisDelivery' };

interface JstLine { ioi_id: number; sku_id: string; qty: number; supplier_id: number | null }
interface JstBatch { ioi_id: number; sku_id: string; batch_no: string; qty: number; product_date: string; expiration_date: string }
interface JstDoc { io_id: number; status: string; type: string; wms_co_id: number; wh_id: number; items: JstLine[]; batchs: JstBatch[] }
type Ref = { FNumber?: string } | null | undefined;
type KdEntry = Record<string, unknown>;

async function until(what: string, check: () => Promise<boolean>, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 250));
  }
}
const day = (s: unknown) => (typeof s === 'string' && s.length >= 10 ? s.slice(0, 10) : undefined);
const num = (v: unknown): string | undefined => (v as Ref)?.FNumber;
const flowOf = (d: JstDoc): Flow => (d.type === '其它出库' ? 'other-outbound' : 'other-inbound');
/** Entry field names differ in case between the two forms (as in the reference's examples). */
const KEYS: Record<Flow, { material: string; stock: string; lot: string; produced: string; expires: string }> = {
  'other-inbound': { material: 'FMATERIALID', stock: 'FSTOCKID', lot: 'FLOT', produced: 'FPRODUCEDATE', expires: 'FEXPIRYDATE' },
  'other-outbound': { material: 'FMaterialId', stock: 'FStockId', lot: 'FLot', produced: 'FProduceDate', expires: 'FExpiryDate' },
};

describe('other in/out end to end', () => {
  const prefix = uniquePrefix('e2e-oio');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let stops: (() => Promise<unknown>)[] = [];
  let apiUrl = '';
  let config: SyncConfig;
  let pollOnce: (flow: string) => Promise<unknown>;
  let confirmedWhilePaging = 0;
  const apiToken = 'e2e-api-token-oio-123456';

  beforeAll(async () => {
    jstSim = await startJstSimulator({});
    kdSim = await startKingdeeSimulator({});
    stops = [() => jstSim.close(), () => kdSim.close()];
    const t = jstSim.now();
    jstSim.seedKind(KIND, {
      count: SEEDED, seed: 3031, unmappedRate: 0.06, batchRate: 0.5, subWarehouseRate: 0.2,
      modifiedFrom: formatBeijing(t - 20 * 3600 * 1000), modifiedTo: formatBeijing(t - 5 * 60 * 1000),
    });

    const env = loadEnv({
      REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, LOG_LEVEL: 'silent',
      JST_BASE_URL: jstSim.url, JST_APP_KEY: demoCredentials.jst.appKey, JST_APP_SECRET: demoCredentials.jst.appSecret,
      JST_ACCESS_TOKEN: demoCredentials.jst.accessToken,
      KINGDEE_BASE_URL: kdSim.url, KINGDEE_AUTH: 'password', KINGDEE_ACCT_ID: demoCredentials.kingdee.acctId,
      KINGDEE_USERNAME: demoCredentials.kingdee.users.map((u) => u.username).join(','),
      KINGDEE_PASSWORD: demoCredentials.kingdee.users.map((u) => u.password).join(','),
      API_HOST: '127.0.0.1', API_PORT: '0', API_TOKEN: apiToken, WORKER_CONCURRENCY: '4', SHUTDOWN_TIMEOUT_MS: '5000',
    });
    const fileConfig = loadSyncConfig(path.join(root, 'config/sync.config.yaml'));
    const fast = <T extends { schedule: object }>(s: T): T => ({ ...s, schedule: { ...s.schedule, everyMs: 1000, lagSeconds: 0 } });
    // Only the two flows under test: the others would poll endpoints this test does not seed.
    config = { ...fileConfig, flows: { 'other-inbound': fast(fileConfig.flows['other-inbound']!), 'other-outbound': fast(fileConfig.flows['other-outbound']!) } };
    const logger = silentLogger();

    // The real JST client, wrapped so that waiting documents take effect between the pages of the first scans.
    const realJst = createJstClient({ baseUrl: env.JST_BASE_URL, appKey: env.JST_APP_KEY!, appSecret: env.JST_APP_SECRET!, accessToken: env.JST_ACCESS_TOKEN, logger });
    const queryPage: JstApi['queryPage'] = async (p, b) => {
      const page = await realJst.queryPage(p, b);
      if (confirmedWhilePaging < 8) {
        for (const id of jstSim.store.ids(KIND, { status: 'WaitConfirm' }).slice(0, 2)) {
          jstSim.mutate(KIND, id, { status: 'Confirmed', patch: { io_date: formatBeijing(jstSim.now()) } });
          confirmedWhilePaging += 1;
        }
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
    const flows = flowDescriptorsFromConfig(config, { 'other-inbound': flowRegistry['other-inbound'].title, 'other-outbound': flowRegistry['other-outbound'].title });
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
  const allDocs = () => jstSim.store.list(KIND, {}) as unknown as JstDoc[];
  const effective = () => allDocs().filter((d) => d.status === 'Confirmed');
  const isUnmapped = (d: JstDoc) => d.items.some((i) => i.sku_id === 'Z9999-NEW');
  const billNo = (d: JstDoc) => `${config.flows[flowOf(d)]!.billNoPrefix}${d.io_id}`;
  async function deadLetters(flow: Flow): Promise<{ docId: string; code: string; message: string }[]> {
    const res = await fetch(`${apiUrl}/dead-letters?flow=${flow}&limit=1000`, { headers: authed });
    expect(res.status).toBe(200);
    return ((await res.json()) as { deadLetters: { docId: string; code: string; message: string }[] }).deadLetters;
  }
  async function idle(): Promise<boolean> {
    const res = await fetch(`${apiUrl}/flows`, { headers: authed });
    const body = (await res.json()) as { flows: { name: string; counts: Record<string, number> }[] };
    return body.flows.every((f) => (f.counts.waiting ?? 0) + (f.counts.active ?? 0) + (f.counts.delayed ?? 0) === 0);
  }

  it('writes every effective document once to its form, with positive quantities, lots, dates and stocks', async () => {
    await until('every effective document to be written or dead-lettered', async () => {
      if (confirmedWhilePaging < 8) return false;
      const done = new Set(FLOWS.flatMap((f) => kdSim.documents(FORM[f]).map((b) => b.billNo)));
      const dead = new Set((await Promise.all(FLOWS.map(deadLetters))).flat().map((d) => d.docId));
      return effective().every((d) => done.has(billNo(d)) || dead.has(String(d.io_id))) && (await idle());
    }, 120000);

    expect(confirmedWhilePaging).toBeGreaterThanOrEqual(8);
    const mapped = effective().filter((d) => !isUnmapped(d));
    expect(mapped.filter((d) => flowOf(d) === 'other-inbound').length).toBeGreaterThan(15);
    expect(mapped.filter((d) => flowOf(d) === 'other-outbound').length).toBeGreaterThan(15);
    expect(mapped.some((d) => d.type === '其它退货')).toBe(true);
    let lots = 0;
    let subWarehouse = 0;
    for (const flow of FLOWS) {
      const bills = kdSim.documents(FORM[flow]);
      const byNo = new Map(bills.map((b) => [b.billNo, b]));
      expect(byNo.size).toBe(bills.length);
      const want = mapped.filter((d) => flowOf(d) === flow);
      expect(bills.length).toBe(want.length);
      const k = KEYS[flow];
      for (const src of want) {
        const bill = byNo.get(billNo(src));
        expect(bill).toBeDefined();
        expect(bill!.status).toBe('C');
        const entries = bill!.model.FEntity as KdEntry[];
        const stock = src.wh_id === 4 && src.wms_co_id === 10969016 ? 'CK001-DEF' : src.wms_co_id === 10969016 ? 'CK001' : 'CK002';
        if (stock === 'CK001-DEF') subWarehouse += 1;
        for (const e of entries) {
          expect(num(e[k.stock])).toBe(stock);
          expect(Number(e.FQty)).toBeGreaterThan(0);
        }
        const wantQty = new Map<string, number>();
        for (const l of src.items) if (l.qty > 0) wantQty.set(l.sku_id, (wantQty.get(l.sku_id) ?? 0) + l.qty);
        const gotQty = new Map<string, number>();
        for (const e of entries) gotQty.set(num(e[k.material])!, (gotQty.get(num(e[k.material])!) ?? 0) + Number(e.FQty));
        expect(Object.fromEntries(gotQty)).toEqual(Object.fromEntries(wantQty));
        for (const b of src.batchs) {
          const line = entries.find((e) => num(e[k.lot]) === b.batch_no && num(e[k.material]) === b.sku_id && Number(e.FQty) === b.qty);
          expect(line).toBeDefined();
          expect(day(line![k.produced])).toBe(day(b.product_date));
          expect(day(line![k.expires])).toBe(day(b.expiration_date));
          lots += 1;
        }
        if (flow === 'other-inbound') {
          expect(num(bill!.model.FDEPTID)).toBe('BM000001');
          const suppliers = new Set(src.items.filter((i) => i.qty > 0 && i.supplier_id).map((i) => i.supplier_id));
          if (suppliers.size === 1) expect(num(bill!.model.FSUPPLIERID)).toBe(`SUP-00${[...suppliers][0]! - 30000}`);
        } else {
          expect(num(bill!.model.FDeptId)).toBe('BM000001');
          expect(num(bill!.model.FPickOrgId)).toBe('100');
        }
      }
    }
    expect(lots).toBeGreaterThan(20);
    expect(subWarehouse).toBeGreaterThan(0);
    // Nothing that is not effective reached Kingdee.
    const written = new Set(FLOWS.flatMap((f) => kdSim.documents(FORM[f]).map((b) => b.billNo)));
    for (const d of allDocs().filter((x) => x.status !== 'Confirmed')) expect(written.has(billNo(d))).toBe(false);
  }, 150000);

  it('dead-letters the documents with an unmapped SKU in their own flow, naming the document and the SKU', async () => {
    const unmapped = effective().filter(isUnmapped);
    expect(unmapped.length).toBeGreaterThanOrEqual(3);
    for (const flow of FLOWS) {
      const dead = await deadLetters(flow);
      expect(new Set(dead.map((d) => d.docId))).toEqual(new Set(unmapped.filter((d) => flowOf(d) === flow).map((d) => String(d.io_id))));
      for (const letter of dead) {
        expect(letter.code).toBe('UNMAPPED_BASE_DATA');
        expect(letter.message).toContain(flow);
        expect(letter.message).toContain(letter.docId);
        expect(letter.message).toContain('Z9999-NEW');
      }
    }
  });

  it('writes nothing new on a second poll', async () => {
    const before = kdSim.stats();
    const count = FLOWS.map((f) => kdSim.documents(FORM[f]).length);
    for (const f of FLOWS) await pollOnce(f);
    await until('queues to drain', idle, 30000);
    await new Promise((r) => setTimeout(r, 500));
    expect(FLOWS.map((f) => kdSim.documents(FORM[f]).length)).toEqual(count);
    const after = kdSim.stats();
    expect(after.saves).toBe(before.saves);
    expect(after.created).toBe(before.created);
  });
});
