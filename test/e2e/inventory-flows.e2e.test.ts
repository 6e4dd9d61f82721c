/**
 * End to end, transfer (调拨入 → STK_TransferDirect) and stocktake (盘点单 → STK_StockCountGain + STK_StockCountLoss):
 * both simulators over real HTTP, real Redis, the poller, worker and API services. Documents change while the
 * poller pages (some become effective), a few are in an unmapped warehouse. Asserts on what Kingdee holds, the
 * dead letters, and that a second poll writes nothing new.
 */
import type { WarehouseMapping } from '@sync/config';
import { demoStockLocations, formatBeijing, startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { uniquePrefix } from '@sync/testing';
import { checkLocations } from './locations';
import { day, demoConfig, fast, startE2EPipeline, enqueuedBy, until, type E2EPipeline } from './harness';
import type { SyncConfig } from '@sync/flows';

const FLOWS = ['transfer', 'stocktake'] as const;
const CK001_LOCATIONS = { flexNumbers: ['FF100004'] };
const LOCATED = { ...demoStockLocations, CK001: CK001_LOCATIONS };
const UNMAPPED_WH = 10970001;

interface JstLine { ioi_id: number; sku_id: string; qty: number; r_qty: number }
interface JstBatch { ioi_id: number; sku_id: string; batch_no: string; qty: number; product_date: string; expiration_date: string }
interface JstInvDoc {
  io_id: number; status: string; type: string; wms_co_id: number; link_wms_co_id?: number; wh_id: number; link_wh_id?: number;
  items: JstLine[]; batchs: JstBatch[];
}
type Ref = { FNumber?: string } | null | undefined;
interface KdEntry {
  FMaterialId?: Ref; FQty?: number; FGainQty?: number; FLossQty?: number; FCountQty?: number | null; FLot?: Ref; FDestLot?: Ref;
  FProduceDate?: string | null; FExpiryDate?: string | null; FSrcStockId?: Ref; FDestStockId?: Ref; FStockId?: Ref;
}

const sumBy = <T>(rows: T[], key: (r: T) => string, qty: (r: T) => number) => {
  const m: Record<string, number> = {};
  for (const r of rows) m[key(r)] = (m[key(r)] ?? 0) + qty(r);
  return m;
};

describe('transfer and stocktake end to end', () => {
  const prefix = uniquePrefix('e2e-inv');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: E2EPipeline;
  let config: SyncConfig;
  let mutationsDuringPaging = 0;

  beforeAll(async () => {
    jstSim = await startJstSimulator({ rateLimit: { perSecond: 0, perMinute: 0 } });
    kdSim = await startKingdeeSimulator({});
    const range = { modifiedFrom: formatBeijing(Date.now() - 20 * 3600 * 1000), modifiedTo: formatBeijing(Date.now() - 5 * 60 * 1000) };
    jstSim.seedKind('allocate', { count: 90, seed: 2024, unmappedRate: 0.06, ...range });
    jstSim.seedKind('inventory-count', { count: 70, seed: 2024, unmappedRate: 0.06, ...range });
    // Here 杭州主仓 (CK001) keeps stock by location too, so transfers have a location on both sides (CK001 ↔ CK002,
    // CK001 → 次品仓): Kingdee gets it as base data, the config only its default (the worker reads its dimensions).
    kdSim.addBaseData({ stocks: [{ number: 'CK001', name: '杭州主仓', flexNumbers: [...CK001_LOCATIONS.flexNumbers], bins: ['A-01-01', 'A-01-02'] }] });
    const fileConfig = demoConfig();
    config = {
      ...fileConfig,
      flows: { transfer: fast(fileConfig.flows.transfer!), stocktake: fast(fileConfig.flows.stocktake!) },
      mappings: { ...fileConfig.mappings, stocks: { ...fileConfig.mappings.stocks, CK001: { defaultLocation: 'A-01-02' } } },
    };
    pipeline = await startE2EPipeline({
      prefix, jstSim, kdSim, config,
      // Documents change between the pages of the first scans: some become effective (Creating → Confirmed,
      // WaitConfirm → Confirmed), others are only touched.
      afterPage: (p) => {
        if (mutationsDuringPaging >= 16) return;
        const [kind, waiting] = p === '/open/allocate/query' ? ['allocate', 'Creating'] : ['inventory-count', 'WaitConfirm'];
        const next = jstSim.store.ids(kind, { status: waiting })[0];
        if (next !== undefined) jstSim.mutate(kind, next, { status: 'Confirmed' });
        mutationsDuringPaging += 1 + jstSim.mutateRandomly(1, `paging-${mutationsDuringPaging}`, { kind, status: 'Confirmed' }).length;
      },
    });
  }, 60000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const warehouse = (wmsCoId: number, whId: number | undefined): WarehouseMapping =>
    config.mappings.warehouses[`${wmsCoId}/${whId}`] ?? config.mappings.warehouses[String(wmsCoId)]!;
  const material = (sku: string) => config.mappings.skus.map[sku]?.material ?? sku;
  const transfers = () => jstSim.store.list('allocate') as unknown as JstInvDoc[];
  const stocktakes = () => jstSim.store.list('inventory-count') as unknown as JstInvDoc[];
  const readyTransfers = () => transfers().filter((d) => d.status === 'Confirmed' && d.type === '调拨入');
  const readyStocktakes = () => stocktakes().filter((d) => d.status === 'Confirmed');
  const unmappedTransfer = (d: JstInvDoc) => d.link_wms_co_id === UNMAPPED_WH;
  const unmappedStocktake = (d: JstInvDoc) => d.wms_co_id === UNMAPPED_WH;
  const bills = (formId: string) => kdSim.documents(formId);
  const billNo = (flow: 'transfer' | 'stocktake', io: number, loss = false) => {
    const s = config.flows[flow]!;
    return `${loss && 'lossBillNoPrefix' in s ? s.lossBillNoPrefix : s.billNoPrefix}${io}`;
  };
  const deadLetters = (flow: string) => pipeline.deadLetters(flow);
  const idle = async () => (await pipeline.idle('transfer')) && (await pipeline.idle('stocktake'));
  const pollOnce = (flow: string) => pipeline.pollOnce(flow);
  const written = (d: JstInvDoc, flow: 'transfer' | 'stocktake', done: Set<string>, dead: Set<string>) => {
    if (dead.has(String(d.io_id))) return true;
    if (flow === 'transfer') return done.has(billNo('transfer', d.io_id));
    const gains = d.items.some((i) => i.qty > 0);
    const losses = d.items.some((i) => i.qty < 0);
    return (!gains || done.has(billNo('stocktake', d.io_id))) && (!losses || done.has(billNo('stocktake', d.io_id, true)));
  };

  it('books every effective document exactly once, then nothing after the queues drain', async () => {
    await until('every effective document to be written or dead-lettered', async () => {
      if (mutationsDuringPaging < 16) return false;
      const done = new Set(['STK_TransferDirect', 'STK_StockCountGain', 'STK_StockCountLoss'].flatMap((f) => bills(f).map((b) => b.billNo)));
      const deadT = new Set((await deadLetters('transfer')).map((d) => d.docId));
      const deadS = new Set((await deadLetters('stocktake')).map((d) => d.docId));
      return readyTransfers().every((d) => written(d, 'transfer', done, deadT)) && readyStocktakes().every((d) => written(d, 'stocktake', done, deadS)) && (await idle());
    }, 150000);
    expect(mutationsDuringPaging).toBeGreaterThanOrEqual(16);
  }, 180000);

  it('transfer: one STK_TransferDirect per effective 调拨入, with stocks, quantities, lots and dates', async () => {
    const docs = bills('STK_TransferDirect');
    const byBillNo = new Map(docs.map((d) => [d.billNo, d]));
    expect(byBillNo.size).toBe(docs.length);
    const mapped = readyTransfers().filter((d) => !unmappedTransfer(d));
    expect(mapped.length).toBeGreaterThan(30);
    expect(docs.length).toBe(mapped.length);
    let lots = 0;
    for (const src of mapped) {
      const bill = byBillNo.get(billNo('transfer', src.io_id))!;
      expect(bill).toBeDefined();
      expect(bill.status).toBe('C');
      expect(bill.model.FThirdSrcBillNo).toBe(String(src.io_id));
      const entries = bill.model.FBillEntry as KdEntry[];
      const from = warehouse(src.link_wms_co_id!, src.wh_id);
      const to = warehouse(src.wms_co_id, src.link_wh_id);
      for (const e of entries) {
        expect(e.FSrcStockId?.FNumber).toBe(from.stock);
        expect(e.FDestStockId?.FNumber).toBe(to.stock);
      }
      expect(sumBy(entries, (e) => e.FMaterialId!.FNumber!, (e) => Number(e.FQty))).toEqual(sumBy(src.items, (i) => material(i.sku_id), (i) => i.qty));
      for (const b of src.batchs) {
        const line = entries.find((e) => e.FLot?.FNumber === b.batch_no && e.FMaterialId?.FNumber === material(b.sku_id) && Number(e.FQty) === b.qty);
        expect(line).toBeDefined();
        expect(line!.FDestLot?.FNumber).toBe(b.batch_no);
        expect(day(line!.FProduceDate)).toBe(day(b.product_date));
        expect(day(line!.FExpiryDate)).toBe(day(b.expiration_date));
        lots += 1;
      }
    }
    expect(lots).toBeGreaterThan(10);
    for (const d of transfers().filter((x) => x.status !== 'Confirmed' || x.type !== '调拨入')) expect(byBillNo.has(billNo('transfer', d.io_id))).toBe(false);
  });

  it('stocktake: gains → STK_StockCountGain, losses → STK_StockCountLoss, signs and lots per line', async () => {
    const gains = new Map(bills('STK_StockCountGain').map((d) => [d.billNo, d]));
    const losses = new Map(bills('STK_StockCountLoss').map((d) => [d.billNo, d]));
    const mapped = readyStocktakes().filter((d) => !unmappedStocktake(d));
    expect(mapped.length).toBeGreaterThan(30);
    let both = 0;
    let lots = 0;
    for (const src of mapped) {
      const stock = warehouse(src.wms_co_id, src.wh_id).stock;
      const plus = src.items.filter((i) => i.qty > 0);
      const minus = src.items.filter((i) => i.qty < 0);
      const gain = gains.get(billNo('stocktake', src.io_id));
      const loss = losses.get(billNo('stocktake', src.io_id, true));
      expect(Boolean(gain)).toBe(plus.length > 0);
      expect(Boolean(loss)).toBe(minus.length > 0);
      if (gain && loss) both += 1;
      for (const [bill, lines, qtyKey] of [[gain, plus, 'FGainQty'], [loss, minus, 'FLossQty']] as const) {
        if (!bill) continue;
        expect(bill.status).toBe('C');
        const entries = bill.model.FBillEntry as KdEntry[];
        for (const e of entries) expect(e.FStockId?.FNumber).toBe(stock);
        expect(sumBy(entries, (e) => e.FMaterialId!.FNumber!, (e) => Number(e[qtyKey]))).toEqual(sumBy(lines, (i) => material(i.sku_id), (i) => Math.abs(i.qty)));
        for (const b of src.batchs.filter((x) => lines.some((l) => l.ioi_id === x.ioi_id))) {
          const line = entries.find((e) => e.FLot?.FNumber === b.batch_no && e.FMaterialId?.FNumber === material(b.sku_id) && Number(e[qtyKey]) === Math.abs(b.qty));
          expect(line).toBeDefined();
          expect(day(line!.FExpiryDate)).toBe(day(b.expiration_date));
          lots += 1;
        }
      }
    }
    expect(both).toBeGreaterThan(5);
    expect(lots).toBeGreaterThan(5);
    expect(gains.size + losses.size).toBe(mapped.reduce((n, d) => n + (d.items.some((i) => i.qty > 0) ? 1 : 0) + (d.items.some((i) => i.qty < 0) ? 1 : 0), 0));
  });

  it('puts the configured location on every line of a stock kept by location, on both sides of each transfer', () => {
    const transfer = checkLocations(kdSim, 'STK_TransferDirect', config, LOCATED);
    expect(transfer.allSides).toBeGreaterThan(30);
    expect(transfer.allSides).toBe(bills('STK_TransferDirect').reduce((n, b) => n + (b.model.FBillEntry as unknown[]).length, 0));
    expect(checkLocations(kdSim, 'STK_StockCountGain', config, LOCATED).located).toBeGreaterThan(10);
    expect(checkLocations(kdSim, 'STK_StockCountLoss', config, LOCATED).located).toBeGreaterThan(10);
  });

  it('keeps documents of an unmapped warehouse in the dead letters, naming document and key', async () => {
    for (const [flow, docs] of [['transfer', readyTransfers().filter(unmappedTransfer)], ['stocktake', readyStocktakes().filter(unmappedStocktake)]] as const) {
      expect(docs.length).toBeGreaterThan(0);
      const dead = await deadLetters(flow);
      expect(new Set(dead.map((d) => d.docId))).toEqual(new Set(docs.map((d) => String(d.io_id))));
      for (const letter of dead) {
        expect(letter.code).toBe('UNMAPPED_BASE_DATA');
        expect(letter.message).toContain(`io_id=${letter.docId}`);
        expect(letter.message).toContain(`mappings.warehouses."${UNMAPPED_WH}"`);
      }
    }
  });

  it('writes nothing new on a second poll', async () => {
    const before = kdSim.stats();
    const count = ['STK_TransferDirect', 'STK_StockCountGain', 'STK_StockCountLoss'].map((f) => bills(f).length);
    for (const flow of FLOWS) expect(await enqueuedBy(() => pollOnce(flow))).toBe(0);
    await until('queues to drain', idle, 30000);
    expect(['STK_TransferDirect', 'STK_StockCountGain', 'STK_StockCountLoss'].map((f) => bills(f).length)).toEqual(count);
    const after = kdSim.stats();
    expect(after.saves).toBe(before.saves);
    expect(after.created).toBe(before.created);
  });
});
