/**
 * End to end through both JST transports (issue #15): the JST simulator serves the Tmall shop's outbound only
 * through Qimen, the JD shop's only through the open API, and the Douyin shop's through both. With
 * `transport: both` every shipped document lands in Kingdee once, whichever transport saw it (Qimen rows carry no
 * ts here, so the two transports see a shared document under different versions), while documents change as
 * both transports page. A Qimen outage then leaves the open-API shops flowing; its error shows in GET /flows.
 * Sales returns (售后单, source: refund) take the same two routes and are written once per as_id.
 */
import { formatBeijingTime } from '@sync/jushuitan';
import type { JstSimulator, KingdeeSimulator } from '@sync/simulator';
import { flowQueueName } from '@sync/queue';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { demoConfig, startSystem, type System } from '../support/system';
import type { SyncConfig } from '@sync/flows';

const FLOW = 'sales-outbound';
const TMALL = 16882300;
const JD = 16882301;
const DOUYIN = 16882302;

interface JstOut { io_id: number; status: string; shop_id: number; modified: string }
interface TransportStatus { name: string; cursor: string | null; lastPollAt: string | null; lastError: string | null }
interface FlowStatus { name: string; cursor: string | null; lastError: string | null; transports?: TransportStatus[] }

describe('sales outbound through the open API and Qimen (transport: both)', () => {
  const prefix = uniquePrefix('e2e-qimen');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: System;
  let config: SyncConfig;
  let mutations = 0;
  const pagesBy = { openweb: 0, qimen: 0 };

  beforeAll(async () => {
    const sims = await startSimulators();
    jstSim = sims.jst;
    kdSim = sims.kingdee;
    jstSim.settings.qimen.shopChannels = { [TMALL]: 'qimen', [DOUYIN]: 'both' };
    jstSim.settings.qimen.saleoutRowsCarryTs = false;
    jstSim.seed({ count: 240, seed: 'qimen-e2e', unmappedRate: 0, batchRate: 0.3 });
    const so = demoConfig().flows[FLOW]!;
    config = {
      ...demoConfig(),
      flows: {
        [FLOW]: {
          ...so,
          schedule: { ...so.schedule, everyMs: 1000, lagSeconds: 0, startFrom: formatBeijingTime(Date.now() - 2 * 86_400_000) },
          transport: 'both',
          qimen: { shops: 'all', cursor: 'window', pageSize: 20 },
          openweb: { shops: 'all' },
        },
      },
    };
    pipeline = await startSystem({
      prefix, simulators: sims, config, qimen: true,
      faults: { jst: {
        biz: (b) => ({ ...b, page_size: 20 }),
        afterPage: (path) => {
          pagesBy[path.startsWith('jushuitan.') ? 'qimen' : 'openweb'] += 1;
          if (mutations < 60) mutations += jstSim.mutateRandomly(3, `both-${mutations}`, { confirmRate: 0.8 }).length;
        },
      } },
    });
  }, 60000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const prefixNo = () => config.flows[FLOW]!.billNoPrefix;
  const shipped = () => (jstSim.store.list('orders-out', { status: 'Confirmed' }) as unknown as JstOut[]);
  const bills = () => kdSim.documents('SAL_OUTSTOCK');
  const flowStatus = async (): Promise<FlowStatus> => {
    const res = await fetch(`${pipeline.apiUrl}/flows`, { headers: pipeline.authed });
    return ((await res.json()) as { flows: FlowStatus[] }).flows.find((f) => f.name === FLOW)!;
  };
  const allLanded = (docs: JstOut[]) => {
    const have = new Set(bills().map((b) => b.billNo));
    return docs.every((d) => have.has(`${prefixNo()}${d.io_id}`));
  };

  it('writes every shipped document once, whichever transport saw it, while documents change during paging', async () => {
    await until('every shipped document in Kingdee', async () => mutations >= 60 && allLanded(shipped()) && (await pipeline.idle(FLOW)), 150000);

    const docs = bills();
    expect(new Set(docs.map((d) => d.billNo)).size).toBe(docs.length);
    const third = docs.map((d) => String((d.model.SubHeadEntity as Record<string, unknown>).FThirdBillNo));
    expect(new Set(third).size).toBe(docs.length);
    const want = shipped();
    expect(docs.length).toBe(want.length);
    // Each shop came through its own transport(s): the Tmall shop only exists on Qimen, the JD shop only on the open API.
    const shopsWritten = new Set(want.map((d) => d.shop_id));
    expect(shopsWritten).toEqual(new Set([TMALL, JD, DOUYIN]));
    expect(pagesBy.qimen).toBeGreaterThan(1);
    expect(pagesBy.openweb).toBeGreaterThan(1);
    expect(jstSim.stats().calls['qimen:jushuitan.saleout.list.query']).toBeGreaterThan(0);
    // Nothing that is not shipped reached Kingdee.
    const billed = new Set(docs.map((d) => d.billNo));
    for (const d of jstSim.store.list('orders-out', {}) as unknown as JstOut[]) {
      if (d.status !== 'Confirmed') expect(billed.has(`${prefixNo()}${d.io_id}`)).toBe(false);
    }
    expect(await pipeline.deadLetters(FLOW)).toEqual([]);

    // Douyin documents were read by both transports (different versions: Qimen rows have no ts) and saved once.
    expect(kdSim.stats().created).toBe(docs.length);
    {
      const jobKeys = await pipeline.redis.keys(`${prefix}:${flowQueueName(FLOW)}:${FLOW}-*`);
      const versions = new Map<string, Set<string>>();
      for (const k of jobKeys) {
        const m = new RegExp(`:${FLOW}-(\\d+)-(m?\\d+)$`).exec(k);
        if (m) versions.set(m[1]!, (versions.get(m[1]!) ?? new Set()).add(m[2]!.startsWith('m') ? 'qimen' : 'openweb'));
      }
      const douyin = want.filter((d) => d.shop_id === DOUYIN).map((d) => String(d.io_id));
      expect(douyin.filter((id) => versions.get(id)?.size === 2).length).toBeGreaterThan(0);
      expect(want.filter((d) => d.shop_id === TMALL).every((d) => [...(versions.get(String(d.io_id)) ?? [])].join() === 'qimen')).toBe(true);
      expect(want.filter((d) => d.shop_id === JD).every((d) => [...(versions.get(String(d.io_id)) ?? [])].join() === 'openweb')).toBe(true);
    }
  }, 180000);

  it('shows each transport\'s cursor in GET /flows', async () => {
    // A Qimen scan re-reads its window until a pass adds nothing, at 8 calls/s: its first poll may still be running.
    await until('both transports to have finished a poll', async () => (await flowStatus()).transports?.every((t) => t.lastPollAt !== null) === true, 60000);
    const status = await flowStatus();
    expect(status.transports?.map((t) => t.name)).toEqual(['openweb', 'qimen']);
    const [openweb, qimen] = status.transports!;
    expect(openweb!.cursor).toMatch(/^\d+$/); // the open API's ts cursor
    expect(qimen!.cursor).toMatch(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/); // Qimen's window end
    expect(openweb!.lastPollAt).not.toBeNull();
    expect(qimen!.lastPollAt).not.toBeNull();
    expect(status.cursor).toBe(openweb!.cursor);
  }, 90000);

  it('keeps the open-API shops flowing through a Qimen outage, and catches up after it', async () => {
    jstSim.settings.qimen.faults.htmlErrorRate = 1;
    const base = 9_100_000;
    const doc = (ioId: number, shopId: number) => ({
      io_id: ioId, o_id: ioId + 1, so_id: `SO${ioId}`, status: 'Confirmed', shop_id: shopId, shop_name: '', wms_co_id: 10969016,
      modified: formatBeijingTime(Date.now()), io_date: formatBeijingTime(Date.now()),
      items: [{ ioi_id: ioId * 10, sku_id: 'A1001-RED-S', qty: 1, sale_price: 99, sale_amount: 99, is_gift: false }], batchs: [], sns: [],
    });
    jstSim.insert('orders-out', [doc(base + 1, JD), doc(base + 2, TMALL), doc(base + 3, DOUYIN)]);
    const jdAndDouyin = shipped().filter((d) => d.io_id === base + 1 || d.io_id === base + 3);
    await until('the open-API shops to land during the outage', async () => allLanded(jdAndDouyin), 30000);
    await until('the Qimen error to show in GET /flows', async () => {
      const q = (await flowStatus()).transports?.find((t) => t.name === 'qimen');
      return Boolean(q?.lastError && /Qimen|HTTP 502|HTML/.test(q.lastError));
    }, 30000);
    expect(allLanded(shipped().filter((d) => d.io_id === base + 2))).toBe(false);

    jstSim.settings.qimen.faults.htmlErrorRate = 0;
    await until('the Tmall document to land once Qimen is back', async () => allLanded(shipped()) && (await pipeline.idle(FLOW)), 30000);
    const docs = bills();
    expect(new Set(docs.map((d) => d.billNo)).size).toBe(docs.length);
  }, 90000);
});

describe('sales returns through the open API and Qimen (transport: both, source: refund)', () => {
  const prefix = uniquePrefix('e2e-qimen-sr');
  const SR = 'sales-return';
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: System;

  beforeAll(async () => {
    const sims = await startSimulators();
    jstSim = sims.jst;
    kdSim = sims.kingdee;
    jstSim.settings.qimen.shopChannels = { [TMALL]: 'qimen', [DOUYIN]: 'both' };
    jstSim.seedKind('refund', { count: 60, seed: 'qimen-sr', exchangeRate: 0.3 });
    const sr = demoConfig().flows[SR]!;
    const config: SyncConfig = {
      ...demoConfig(),
      flows: {
        [SR]: {
          ...sr, enabled: true, source: 'refund', transport: 'both',
          schedule: { ...sr.schedule, everyMs: 1000, lagSeconds: 0, startFrom: formatBeijingTime(Date.now() - 2 * 86_400_000) },
        },
      },
    };
    pipeline = await startSystem({ prefix, simulators: sims, config, qimen: true });
  }, 60000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  it('writes each settled 售后单 once from its received 退货 lines, Tmall ones read only through Qimen', async () => {
    interface JstRefund { as_id: number; shop_id: number; status: string; good_status: string }
    const ready = (jstSim.store.list('refund', {}) as unknown as JstRefund[]).filter((r) => r.status === 'Confirmed' && r.good_status === 'SELLER_RECEIVED');
    expect(new Set(ready.map((r) => r.shop_id))).toEqual(new Set([TMALL, JD, DOUYIN]));
    const prefixNo = demoConfig().flows[SR]!.billNoPrefix;
    await until('every settled refund in Kingdee', async () => {
      const have = new Set(kdSim.documents('SAL_RETURNSTOCK').map((d) => d.billNo));
      return ready.every((r) => have.has(`${prefixNo}AS${r.as_id}`)) && (await pipeline.idle(SR));
    }, 90000);
    const bills = kdSim.documents('SAL_RETURNSTOCK');
    expect(bills.map((b) => b.billNo).sort()).toEqual(ready.map((r) => `${prefixNo}AS${r.as_id}`).sort());
    expect(kdSim.stats().created).toBe(bills.length);
    expect(jstSim.stats().calls['qimen:jushuitan.refund.list.query']).toBeGreaterThan(0);
  }, 120000);
});
