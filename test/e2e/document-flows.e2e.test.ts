/**
 * End to end, every JST → Kingdee document flow of the registry, as one table: for each group of flows (flows that
 * read one JST endpoint run together) both simulators over real HTTP, real Redis, and the poller, worker and API
 * services (test/support/system.ts). Documents change while the poller pages (some become ready); some use
 * unmapped base data. For every flow the same questions: is every ready document in Kingdee exactly once, audited,
 * with the lines, lots and dates of its source, and nothing that is not ready; does every line of a stock kept by
 * location carry its location; are the unmapped documents in the dead letters with a clear reason; does a second
 * poll write nothing new. What only one flow has (customers, suppliers, gain and loss bills, ...) is in its row.
 */
import type { WarehouseMapping } from '@sync/config';
import { flowNames, flowRegistry, type SyncConfig } from '@sync/flows';
import { flowQueueName } from '@sync/queue';
import { demoStockLocations, formatBeijing, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until, type Simulators } from '@sync/testing';
import type { JstSimulatorOptions } from '@sync/simulator';
import { checkLocations } from '../support/locations';
import { expectPermanent } from '../support/expect-permanent';
import { day, demoConfig, enqueuedBy, fast, startSystem, type JstFaults, type System } from '../support/system';

type FlowName = keyof typeof flowRegistry;
type Row = Record<string, unknown>;
type Ref = { FNumber?: string } | null | undefined;
type Bill = ReturnType<KingdeeSimulator['documents']>[number];
/** What the checks of a group count over all its documents (lots, gifts, ...), checked against `atLeast`. */
type Seen = Record<string, number>;

const num = (v: unknown): string | undefined => (v as Ref)?.FNumber;
/** Quantities summed per key (material): how bills and JST lines are compared. */
const sumBy = <T>(rows: readonly T[], key: (r: T) => string, qty: (r: T) => number) => {
  const m: Record<string, number> = {};
  for (const r of rows) m[key(r)] = (m[key(r)] ?? 0) + qty(r);
  return m;
};
const count = (seen: Seen, what: string) => (seen[what] = (seen[what] ?? 0) + 1);

interface JstBatch { sku_id: string; batch_no: string; qty: number; product_date?: string; expiration_date?: string }
/** How a form's entry holds a lot line (Kingdee's field names differ in case between forms). */
interface LotLine<E> { lot(e: E): unknown; material(e: E): unknown; qty(e: E): number; produced?(e: E): unknown; expires?(e: E): unknown }

/**
 * Every JST batch is a line of its own, found by lot, material (`material(sku)`, default the SKU) and quantity
 * (`qty(batch)`, default the batch's), with the batch's production and expiry dates where the form has them (with
 * `datesWhenGiven`, only the dates the batch gives). Counts each in `seen[what]`; returns the lines, in batch order.
 */
function expectLots<E>(
  entries: readonly E[], batches: readonly JstBatch[], f: LotLine<E>, seen: Seen,
  o: { what?: string; material?: (sku: string) => string; qty?: (b: JstBatch) => number; datesWhenGiven?: boolean } = {},
): E[] {
  return batches.map((b) => {
    const material = o.material ? o.material(b.sku_id) : b.sku_id;
    const qty = o.qty ? o.qty(b) : Number(b.qty);
    const line = entries.find((e) => num(f.lot(e)) === b.batch_no && num(f.material(e)) === material && f.qty(e) === qty);
    expect(line).toBeDefined();
    if (f.produced && (b.product_date || !o.datesWhenGiven)) expect(day(f.produced(line!))).toBe(day(b.product_date));
    if (f.expires && (b.expiration_date || !o.datesWhenGiven)) expect(day(f.expires(line!))).toBe(day(b.expiration_date));
    count(seen, o.what ?? 'lots');
    return line!;
  });
}

/** One flow's row of the table. `D` is the JST document as the simulator holds it. */
interface FlowCase<D extends { io_id: number; status: string }> {
  flow: FlowName;
  /** The simulator's store kind the flow reads. */
  kind: string;
  /** The documents of the kind this flow must write, mapped or not (default: status Confirmed). */
  ready?(d: D): boolean;
  unmapped(d: D): boolean;
  /** The bills of a mapped ready document, as (form, number); default one on the flow's form: prefix + io_id. */
  bills?(d: D, config: SyncConfig): { form: string; billNo: string }[];
  /** More mapped ready documents than this were seeded. */
  mappedMoreThan: number;
  /** Where a bill keeps the JST id (unique per bill), when the form has such a field. */
  thirdId?(model: Row): unknown;
  /**
   * The flow's own expectations on the bills of one mapped ready document: `main` is its first bill (see `bills`;
   * none only for a stocktake without gains or losses), `bill(form, no)` finds any.
   */
  check(src: D, main: Bill | undefined, ctx: { bill: (form: string, billNo: string) => Bill | undefined; seen: Seen; config: SyncConfig }): void;
  /** More unmapped ready documents than this (per flow); what each dead letter's message names besides the id. */
  deadLetters: { moreThan?: number; mentions(d: D): string[] };
}

interface Paging {
  faults: JstFaults;
  /** Changes made while paging so far. */
  changes(): number;
  /** What a group's changes counted besides (e.g. returns booked in while the poller paged). */
  seen: Seen;
}

/** Flows that run in one system, with the documents the simulators hold and the changes made while it pages. */
interface FlowGroup {
  title: string;
  name: string;
  flows: FlowCase<never>[];
  jst?: JstSimulatorOptions;
  seed(sims: Simulators): void;
  config(file: SyncConfig, sims: Simulators): SyncConfig;
  paging(sims: Simulators): Paging;
  /** The changes while paging the wait waits for. */
  changesAtLeast: number;
  env?: Record<string, string>;
  waitMs: number;
  /** Lower bounds (exclusive) of the group's counts. */
  atLeast: Seen;
  /** More unmapped ready documents than this over the group's flows. */
  unmappedMoreThan?: number;
  /** Forms whose bills carry locations, with more located lines than the number. */
  located: [form: string, moreThan: number][];
  /** Stocks kept by location (default the demo base data's). */
  locations?: Record<string, { flexNumbers: readonly string[] }>;
  /** Group-wide expectations after the sync. */
  afterSync?(ctx: GroupContext): void;
  /** Further tests of the group (same system, after the common ones). */
  more?(ctx: () => GroupContext): void;
}

interface GroupContext {
  system: System;
  sims: Simulators;
  config: SyncConfig;
  paging: Paging;
  docs<D>(kind: string): D[];
}

/** Erases a row's document type, so rows of different flows share one table. */
const flowCase = <D extends { io_id: number; status: string }>(c: FlowCase<D>) => c as unknown as FlowCase<never>;
const isUnmappedSku = (d: { items: { sku_id: string }[] }) => d.items.some((i) => i.sku_id === 'Z9999-NEW');
const STOCKS: Record<string, string> = { 10969016: 'CK001', 10969017: 'CK002' };
const SUPPLIERS: Record<number, string> = { 30001: 'SUP-001', 30002: 'SUP-002' };
const UNMAPPED_WH = 10970001;

// ---- sales outbound (销售出库单 → SAL_OUTSTOCK) ----
interface JstOut { io_id: number; status: string; items: { sku_id: string; qty: number }[]; batchs?: { sku_id: string; batch_no: string; qty: number; product_date?: string; expiration_date?: string }[] | null }
interface SoEntry { FMaterialID?: Ref; FRealQty?: number; FLot?: Ref; FProduceDate?: string | null; FExpiryDate?: string | null }

const salesOutbound = flowCase<JstOut>({
  flow: 'sales-outbound',
  kind: 'orders-out',
  unmapped: isUnmappedSku,
  mappedMoreThan: 300,
  thirdId: (m) => (m.SubHeadEntity as Row).FThirdBillNo,
  check(src, main, { seen }) {
    const b = main!;
    const entries = (b.model.FEntity as SoEntry[]) ?? [];
    // Quantities per material add up to the JST lines.
    expect(sumBy(entries, (e) => e.FMaterialID!.FNumber!, (e) => Number(e.FRealQty))).toEqual(sumBy(src.items.filter((l) => Number(l.qty) > 0), (l) => l.sku_id, (l) => Number(l.qty)));
    // Every JST batch appears as its own line with its lot, quantity and dates.
    expectLots(entries, src.batchs ?? [], { lot: (e) => e.FLot, material: (e) => e.FMaterialID, qty: (e) => Number(e.FRealQty), produced: (e) => e.FProduceDate, expires: (e) => e.FExpiryDate }, seen, { datesWhenGiven: true });
  },
  deadLetters: { moreThan: 5, mentions: () => ['Z9999-NEW'] },
});

// ---- sales return (退仓单 → SAL_RETURNSTOCK) ----
interface JstReturn {
  io_id: number; as_id: number; status: string; shop_id: number; wms_co_id: number; wh_id: number;
  items: { sku_id: string; qty: number; sale_price: number }[];
  batchs: { sku_id: string; batch_no: string; qty: number; product_date?: string; expiration_date?: string }[];
}
interface SrEntry {
  FMaterialId?: Ref; FRealQty?: number; FLot?: Ref; FProduceDate?: string | null; FExpiryDate?: string | null; FStockId?: Ref; FIsFree?: boolean; FReturnType?: Ref;
}
const CUSTOMERS: Record<number, string> = { 16882300: 'CUST-TMALL', 16882301: 'CUST-JD', 16882302: 'CUST-DOUYIN' };
/** The stock a return must land in: its `<wms_co_id>/<wh_id>` sub-warehouse when mapped, else the warehouse's. */
const returnStock = (config: SyncConfig, d: JstReturn) => (config.mappings.warehouses[`${d.wms_co_id}/${d.wh_id}`] ?? config.mappings.warehouses[String(d.wms_co_id)])!.stock;

const salesReturn = flowCase<JstReturn>({
  flow: 'sales-return',
  kind: 'aftersale-received',
  unmapped: isUnmappedSku,
  mappedMoreThan: 50,
  thirdId: (m) => (m.SubHeadEntity as Row).FThirdBillNo,
  check(src, main, { seen, config }) {
    const b = main!;
    expect((b.model.FRetcustId as Ref)?.FNumber).toBe(CUSTOMERS[src.shop_id]);
    expect((b.model.SubHeadEntity as Row).FThirdBillId).toBe(String(src.as_id));
    const entries = (b.model.FEntity as SrEntry[]) ?? [];
    for (const e of entries) {
      expect(e.FStockId?.FNumber).toBe(returnStock(config, src));
      expect(Number(e.FRealQty)).toBeGreaterThan(0);
      expect(e.FReturnType?.FNumber).toBe('THLX01_SYS');
    }
    if (returnStock(config, src) === 'CK001-TH') count(seen, 'intoReturnStock'); // the 销退仓 of 杭州主仓
    expect(sumBy(entries, (e) => e.FMaterialId!.FNumber!, (e) => Number(e.FRealQty))).toEqual(sumBy(src.items.filter((l) => Number(l.qty) > 0), (l) => l.sku_id, (l) => Number(l.qty)));
    for (const l of src.items) {
      const free = entries.filter((e) => e.FMaterialId?.FNumber === l.sku_id).every((e) => e.FIsFree === (l.sale_price === 0));
      expect(free).toBe(true);
    }
    expectLots(entries, src.batchs, { lot: (e) => e.FLot, material: (e) => e.FMaterialId, qty: (e) => Number(e.FRealQty), produced: (e) => e.FProduceDate, expires: (e) => e.FExpiryDate }, seen, { datesWhenGiven: true });
  },
  deadLetters: { moreThan: 0, mentions: (d) => [`io_id=${d.io_id}`, 'Z9999-NEW', 'sales-return'] },
});

// ---- purchase inbound (采购入库单 → STK_InStock) ----
interface JstPurchase<W> {
  io_id: number; status: string; wms_co_id: W; io_date: string;
  items: { sku_id: string; qty: number; cost_price: number }[];
  batchs: { sku_id: string; batch_no: string; qty: number; product_date: string; expiration_date?: string }[];
}
type JstPurchaseIn = JstPurchase<number> & { supplier_id: number };
interface PiEntry { FMaterialId?: Ref; FRealQty?: number; FLot?: Ref; FProduceDate?: string | null; FExpiryDate?: string | null; FGiveAway?: boolean; FStockId?: Ref }

const unmappedPurchaseIn = (d: JstPurchaseIn) => d.supplier_id === 39999 || isUnmappedSku(d);
const purchaseInbound = flowCase<JstPurchaseIn>({
  flow: 'purchase-inbound',
  kind: 'purchase-in',
  unmapped: unmappedPurchaseIn,
  mappedMoreThan: 40,
  thirdId: (m) => (m.FInStockFin as Row).FTHIRDBILLNO,
  check(src, main, { seen }) {
    const b = main!;
    expect((b.model.FSupplierId as Ref)?.FNumber).toBe(SUPPLIERS[src.supplier_id]);
    expect(day(b.model.FDate)).toBe(day(src.io_date));
    const entries = b.model.FInStockEntry as PiEntry[];
    expect(entries.every((e) => e.FStockId?.FNumber === STOCKS[src.wms_co_id])).toBe(true);
    expect(sumBy(entries, (e) => e.FMaterialId!.FNumber!, (e) => Number(e.FRealQty))).toEqual(sumBy(src.items, (l) => l.sku_id, (l) => l.qty));
    expectLots(entries, src.batchs, { lot: (e) => e.FLot, material: (e) => e.FMaterialId, qty: (e) => Number(e.FRealQty), produced: (e) => e.FProduceDate, expires: (e) => e.FExpiryDate }, seen);
    for (const l of src.items.filter((i) => i.cost_price === 0)) {
      expect(entries.find((e) => e.FMaterialId?.FNumber === l.sku_id)?.FGiveAway).toBe(true);
      count(seen, 'gifts');
    }
  },
  deadLetters: { moreThan: 3, mentions: (d) => [`io_id=${d.io_id}`, d.supplier_id === 39999 ? 'supplier_id=39999' : 'Z9999-NEW'] },
});

// ---- purchase return (采购退货单 → PUR_MRB) ----
type JstPurchaseOut = JstPurchase<string> & { seller_id: number };
interface PrEntry { FMATERIALID?: Ref; FRMREALQTY?: number; FREPLENISHQTY?: number; FLot?: Ref; FProduceDate?: string | null; FGiveAway?: boolean; FSTOCKID?: Ref }

const purchaseReturn = flowCase<JstPurchaseOut>({
  flow: 'purchase-return',
  kind: 'purchase-out',
  unmapped: (d) => d.seller_id === 39999 || isUnmappedSku(d),
  mappedMoreThan: 35,
  check(src, main, { seen }) {
    const b = main!;
    expect((b.model.FSupplierID as Ref)?.FNumber).toBe(SUPPLIERS[src.seller_id]);
    expect([b.model.FMRTYPE, b.model.FMRMODE]).toEqual(['B', 'A']);
    expect(day(b.model.FDate)).toBe(day(src.io_date));
    const entries = b.model.FPURMRBENTRY as PrEntry[];
    expect(entries.every((e) => e.FSTOCKID?.FNumber === STOCKS[src.wms_co_id] && Number(e.FRMREALQTY) > 0)).toBe(true);
    expect(entries.every((e) => Number(e.FREPLENISHQTY) === Number(e.FRMREALQTY))).toBe(true);
    expect(sumBy(entries, (e) => e.FMATERIALID!.FNumber!, (e) => Number(e.FRMREALQTY))).toEqual(sumBy(src.items, (l) => l.sku_id, (l) => Math.abs(l.qty)));
    expectLots(entries, src.batchs, { lot: (e) => e.FLot, material: (e) => e.FMATERIALID, qty: (e) => Number(e.FRMREALQTY), produced: (e) => e.FProduceDate }, seen, { qty: (x) => Math.abs(x.qty) });
    for (const l of src.items.filter((i) => i.cost_price === 0)) {
      expect(entries.find((e) => e.FMATERIALID?.FNumber === l.sku_id)?.FGiveAway).toBe(true);
    }
  },
  deadLetters: { moreThan: 3, mentions: (d) => [`purchase-return 采购退货单 io_id=${d.io_id}`, d.seller_id === 39999 ? 'supplier_id=39999' : 'Z9999-NEW'] },
});

// ---- other in/out (其它出入库 → STK_MISCELLANEOUS, STK_MisDelivery): two flows on one endpoint ----
interface JstOther {
  io_id: number; status: string; type: string; wms_co_id: number; wh_id: number;
  items: { sku_id: string; qty: number; supplier_id: number | null }[];
  batchs: { sku_id: string; batch_no: string; qty: number; product_date: string; expiration_date: string }[];
}
const otherFlowOf = (d: JstOther) => (d.type === '其它出库' ? 'other-outbound' : 'other-inbound');
/** Entry field names differ in case between the two forms (as in the reference's examples). */
const OTHER_KEYS = {
  'other-inbound': { form: 'STK_MISCELLANEOUS', material: 'FMATERIALID', stock: 'FSTOCKID', lot: 'FLOT', produced: 'FPRODUCEDATE', expires: 'FEXPIRYDATE' },
  'other-outbound': { form: 'STK_MisDelivery', material: 'FMaterialId', stock: 'FStockId', lot: 'FLot', produced: 'FProduceDate', expires: 'FExpiryDate' },
} as const;

const otherInOut = (flow: 'other-inbound' | 'other-outbound') => flowCase<JstOther>({
  flow,
  kind: 'other-inout',
  ready: (d) => d.status === 'Confirmed' && otherFlowOf(d) === flow,
  unmapped: isUnmappedSku,
  mappedMoreThan: 15,
  check(src, main, { seen }) {
    const b = main!;
    const k = OTHER_KEYS[flow];
    const entries = b.model.FEntity as Row[];
    const stock = src.wh_id === 4 && src.wms_co_id === 10969016 ? 'CK001-DEF' : src.wms_co_id === 10969016 ? 'CK001' : 'CK002';
    if (stock === 'CK001-DEF') count(seen, 'subWarehouse');
    for (const e of entries) {
      expect(num(e[k.stock])).toBe(stock);
      expect(Number(e.FQty)).toBeGreaterThan(0);
    }
    expect(sumBy(entries, (e) => num(e[k.material])!, (e) => Number(e.FQty))).toEqual(sumBy(src.items.filter((l) => l.qty > 0), (l) => l.sku_id, (l) => l.qty));
    expectLots(entries, src.batchs, { lot: (e) => e[k.lot], material: (e) => e[k.material], qty: (e) => Number(e.FQty), produced: (e) => e[k.produced], expires: (e) => e[k.expires] }, seen);
    if (flow === 'other-inbound') {
      expect(num(b.model.FDEPTID)).toBe('BM000001');
      const suppliers = new Set(src.items.filter((i) => i.qty > 0 && i.supplier_id).map((i) => i.supplier_id));
      if (suppliers.size === 1) expect(num(b.model.FSUPPLIERID)).toBe(`SUP-00${[...suppliers][0]! - 30000}`);
    } else {
      expect(num(b.model.FDeptId)).toBe('BM000001');
      expect(num(b.model.FPickOrgId)).toBe('100');
    }
  },
  deadLetters: { mentions: () => [flow, 'Z9999-NEW'] },
});

// ---- transfer (调拨入 → STK_TransferDirect) and stocktake (盘点单 → STK_StockCountGain + STK_StockCountLoss) ----
interface JstInv {
  io_id: number; status: string; type: string; wms_co_id: number; link_wms_co_id?: number; wh_id: number; link_wh_id?: number;
  items: { ioi_id: number; sku_id: string; qty: number }[];
  batchs: { ioi_id: number; sku_id: string; batch_no: string; qty: number; product_date: string; expiration_date: string }[];
}
interface InvEntry {
  FMaterialId?: Ref; FQty?: number; FGainQty?: number; FLossQty?: number; FLot?: Ref; FDestLot?: Ref;
  FProduceDate?: string | null; FExpiryDate?: string | null; FSrcStockId?: Ref; FDestStockId?: Ref; FStockId?: Ref;
}
const CK001_LOCATIONS = { flexNumbers: ['FF100004'] };
const warehouse = (config: SyncConfig, wmsCoId: number, whId: number | undefined): WarehouseMapping =>
  config.mappings.warehouses[`${wmsCoId}/${whId}`] ?? config.mappings.warehouses[String(wmsCoId)]!;
const material = (config: SyncConfig, sku: string) => config.mappings.skus.map[sku]?.material ?? sku;
const unmappedWarehouse = `mappings.warehouses."${UNMAPPED_WH}"`;

const transfer = flowCase<JstInv>({
  flow: 'transfer',
  kind: 'allocate',
  ready: (d) => d.status === 'Confirmed' && d.type === '调拨入',
  unmapped: (d) => d.link_wms_co_id === UNMAPPED_WH,
  mappedMoreThan: 30,
  check(src, main, { seen, config }) {
    const b = main!;
    expect(b.model.FThirdSrcBillNo).toBe(String(src.io_id));
    const entries = b.model.FBillEntry as InvEntry[];
    const from = warehouse(config, src.link_wms_co_id!, src.wh_id);
    const to = warehouse(config, src.wms_co_id, src.link_wh_id);
    for (const e of entries) {
      expect(e.FSrcStockId?.FNumber).toBe(from.stock);
      expect(e.FDestStockId?.FNumber).toBe(to.stock);
    }
    expect(sumBy(entries, (e) => e.FMaterialId!.FNumber!, (e) => Number(e.FQty))).toEqual(sumBy(src.items, (i) => material(config, i.sku_id), (i) => i.qty));
    const lines = expectLots(entries, src.batchs, { lot: (e) => e.FLot, material: (e) => e.FMaterialId, qty: (e) => Number(e.FQty), produced: (e) => e.FProduceDate, expires: (e) => e.FExpiryDate }, seen, {
      what: 'transferLots', material: (sku) => material(config, sku),
    });
    lines.forEach((line, i) => expect(line.FDestLot?.FNumber).toBe(src.batchs[i]!.batch_no));
  },
  deadLetters: { moreThan: 0, mentions: (d) => [`io_id=${d.io_id}`, unmappedWarehouse] },
});

const stocktakeBills = (d: JstInv, config: SyncConfig) => {
  const s = config.flows.stocktake!;
  return [
    ...(d.items.some((i) => i.qty > 0) ? [{ form: 'STK_StockCountGain', billNo: `${s.billNoPrefix}${d.io_id}` }] : []),
    ...(d.items.some((i) => i.qty < 0) ? [{ form: 'STK_StockCountLoss', billNo: `${s.lossBillNoPrefix}${d.io_id}` }] : []),
  ];
};

const stocktake = flowCase<JstInv>({
  flow: 'stocktake',
  kind: 'inventory-count',
  unmapped: (d) => d.wms_co_id === UNMAPPED_WH,
  mappedMoreThan: 30,
  bills: stocktakeBills,
  check(src, _main, { bill, seen, config }) {
    const s = config.flows.stocktake!;
    const stock = warehouse(config, src.wms_co_id, src.wh_id).stock;
    const plus = src.items.filter((i) => i.qty > 0);
    const minus = src.items.filter((i) => i.qty < 0);
    const gain = bill('STK_StockCountGain', `${s.billNoPrefix}${src.io_id}`);
    const loss = bill('STK_StockCountLoss', `${s.lossBillNoPrefix}${src.io_id}`);
    expect(Boolean(gain)).toBe(plus.length > 0);
    expect(Boolean(loss)).toBe(minus.length > 0);
    if (gain && loss) count(seen, 'gainAndLoss');
    for (const [b, lines, qtyKey] of [[gain, plus, 'FGainQty'], [loss, minus, 'FLossQty']] as const) {
      if (!b) continue;
      expect(b.status).toBe('C');
      const entries = b.model.FBillEntry as InvEntry[];
      for (const e of entries) expect(e.FStockId?.FNumber).toBe(stock);
      expect(sumBy(entries, (e) => e.FMaterialId!.FNumber!, (e) => Number(e[qtyKey]))).toEqual(sumBy(lines, (i) => material(config, i.sku_id), (i) => Math.abs(i.qty)));
      expectLots(entries, src.batchs.filter((y) => lines.some((l) => l.ioi_id === y.ioi_id)), { lot: (e) => e.FLot, material: (e) => e.FMaterialId, qty: (e) => Number(e[qtyKey]), expires: (e) => e.FExpiryDate }, seen, {
        what: 'stocktakeLots', material: (sku) => material(config, sku), qty: (x) => Math.abs(x.qty),
      });
    }
  },
  deadLetters: { moreThan: 0, mentions: (d) => [`io_id=${d.io_id}`, unmappedWarehouse] },
});

/**
 * After each page the poller reads, `change(path, changesSoFar, seen)` changes documents and says how many
 * changes it made, until `limit` changes are made.
 */
function changeWhilePaging(limit: number, change: (path: string, changes: number, seen: Seen) => number, biz?: JstFaults['biz']): Paging {
  let changes = 0;
  const seen: Seen = {};
  return {
    faults: { biz, afterPage: (p) => { if (changes < limit) changes += change(p, changes, seen); } },
    changes: () => changes,
    seen,
  };
}
/** Two waiting documents of `kind` become ready (patched with `patch()`); returns how many did. */
function confirmTwo(jst: JstSimulator, kind: string, patch?: () => Row): number {
  const waiting = jst.store.ids(kind, { status: 'WaitConfirm' }).slice(0, 2);
  for (const id of waiting) jst.mutate(kind, id, { status: 'Confirmed', ...(patch ? { patch: patch() } : {}) });
  return waiting.length;
}
const lastDay = (jst: JstSimulator) => ({ modifiedFrom: formatBeijing(jst.now() - 20 * 3600 * 1000), modifiedTo: formatBeijing(jst.now() - 5 * 60 * 1000) });
const only = (file: SyncConfig, ...flows: FlowName[]): SyncConfig => ({ ...file, flows: Object.fromEntries(flows.map((f) => [f, fast(file.flows[f]!)])) });

const groups: FlowGroup[] = [
  {
    title: 'sales outbound', name: 'so', flows: [salesOutbound],
    seed: (s) => void s.jst.seed({ count: 520, seed: 2024, unmappedRate: 0.04, batchRate: 0.5 }),
    config: (file) => {
      const so = file.flows['sales-outbound']!;
      return { ...file, flows: { 'sales-outbound': { ...so, schedule: { ...so.schedule, everyMs: 1000 } } } };
    },
    // Shipments (and touches) between the pages of the first scans.
    paging: (s) => changeWhilePaging(40, (_p, n) => s.jst.mutateRandomly(4, `paging-${n}`, { confirmRate: 0.7 }).length),
    changesAtLeast: 40, env: { WORKER_CONCURRENCY: '6' }, waitMs: 150_000,
    atLeast: { lots: 50 },
    located: [['SAL_OUTSTOCK', 20]],
    more(ctx) {
      it('refuses the API without credentials but answers /health', async () => {
        const { apiUrl, authed } = ctx().system;
        expect((await fetch(`${apiUrl}/flows`)).status).toBe(401);
        expect((await fetch(`${apiUrl}/admin/queues`)).status).toBe(401);
        expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
        const board = await fetch(`${apiUrl}/admin/queues/api/queues`, { headers: authed });
        expect(board.status).toBe(200);
        const names = ((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
        expect(names).toContain(flowQueueName('sales-outbound'));
      });
    },
  },
  {
    title: 'sales return', name: 'sr', flows: [salesReturn],
    seed: (s) => void s.jst.seedKind('aftersale-received', { count: 80, seed: 2025, unmappedRate: 0.05, batchRate: 0.5 }),
    config: (file) => {
      const sr = file.flows['sales-return']!;
      return { ...file, flows: { 'sales-return': { ...sr, enabled: true, source: 'received', schedule: { ...sr.schedule, everyMs: 1000 } } } };
    },
    // A small page makes the scan take several pages; returns get booked in (and touched) between the pages.
    paging: (s) => changeWhilePaging(4, (_p, n, seen) => {
      seen.booked = (seen.booked ?? 0) + confirmTwo(s.jst, 'aftersale-received');
      s.jst.mutateRandomly(3, `paging-${n + 1}`, { kind: 'aftersale-received' });
      return 1;
    }, (b) => ({ ...b, page_size: 20 })),
    changesAtLeast: 4, waitMs: 120_000,
    atLeast: { lots: 10, intoReturnStock: 5 },
    located: [['SAL_RETURNSTOCK', 10]],
    afterSync({ docs, paging }) {
      // Some returns were booked in while the poller paged; some are still waiting.
      expect(paging.seen.booked ?? 0).toBeGreaterThan(0);
      expect(docs<JstReturn>('aftersale-received').filter((d) => d.status !== 'Confirmed').length).toBeGreaterThan(0);
    },
  },
  {
    title: 'purchase inbound', name: 'pi', flows: [purchaseInbound],
    seed: (s) => void s.jst.seedKind('purchase-in', { count: 80, seed: 2024, unmappedRate: 0.1 }),
    config: (file) => only(file, 'purchase-inbound'),
    // While the poller pages: receive two waiting documents and touch a received one.
    paging: (s) => changeWhilePaging(12, (_p, n) => {
      const confirmed = confirmTwo(s.jst, 'purchase-in');
      const received = s.jst.store.ids('purchase-in', { status: 'Confirmed' });
      if (received.length) s.jst.mutate('purchase-in', received[n % received.length]!, { patch: { remark: `edited ${n}` } });
      return confirmed + 1;
    }),
    changesAtLeast: 12, waitMs: 120_000,
    atLeast: { lots: 10, gifts: 0 },
    located: [['STK_InStock', 5]],
    more(ctx) {
      it('resyncs 40 documents by id (purchasein takes at most 30 io_ids a call) without writing anything new', async () => {
        const { system, docs } = ctx();
        const ids = docs<JstPurchaseIn>('purchase-in').filter((d) => d.status === 'Confirmed' && !unmappedPurchaseIn(d)).slice(0, 40).map((d) => String(d.io_id));
        expect(ids).toHaveLength(40);
        const saves = system.kdSim.stats().saves;
        const result = (await system.pollOnce('purchase-inbound', { docIds: ids })) as { counts: { seen: number; ready: number } };
        expect(result.counts).toMatchObject({ seen: 40, ready: 40 });
        await until('queues to drain', () => system.idle('purchase-inbound'), 30000);
        expect(system.kdSim.stats().saves).toBe(saves);
      });
    },
  },
  {
    title: 'purchase return', name: 'pr', flows: [purchaseReturn],
    // Inside the poller's first window (the last 24 h).
    seed: (s) => void s.jst.seedKind('purchase-out', { count: 70, seed: 2025, unmappedRate: 0.1, modifiedFrom: formatBeijing(s.jst.now() - 20 * 3600 * 1000) }),
    config: (file) => only(file, 'purchase-return'),
    // While the poller pages: two waiting returns become effective, one effective one is edited (it moves to the
    // end of the window).
    paging: (s) => changeWhilePaging(10, (_p, n) => {
      const confirmed = confirmTwo(s.jst, 'purchase-out');
      const effective = s.jst.store.ids('purchase-out', { status: 'Confirmed' });
      if (effective.length) s.jst.mutate('purchase-out', effective[0]!, { patch: { remark: `edited ${n}` } });
      return confirmed + 1;
    }),
    changesAtLeast: 10, waitMs: 120_000,
    atLeast: { lots: 5 },
    located: [['PUR_MRB', 5]],
  },
  {
    title: 'other in/out', name: 'oio', flows: [otherInOut('other-inbound'), otherInOut('other-outbound')],
    seed: (s) => void s.jst.seedKind('other-inout', { count: 90, seed: 3031, unmappedRate: 0.06, batchRate: 0.5, subWarehouseRate: 0.2, ...lastDay(s.jst) }),
    config: (file) => only(file, 'other-inbound', 'other-outbound'),
    // Waiting documents take effect between the pages of the first scans.
    paging: (s) => changeWhilePaging(8, () => confirmTwo(s.jst, 'other-inout', () => ({ io_date: formatBeijing(s.jst.now()) }))),
    changesAtLeast: 8, waitMs: 120_000,
    atLeast: { lots: 20, subWarehouse: 0 },
    unmappedMoreThan: 2,
    located: [['STK_MISCELLANEOUS', 5], ['STK_MisDelivery', 5]],
    afterSync({ docs }) {
      expect(docs<JstOther>('other-inout').some((d) => d.status === 'Confirmed' && !isUnmappedSku(d) && d.type === '其它退货')).toBe(true);
    },
  },
  {
    title: 'transfer and stocktake', name: 'inv', flows: [transfer, stocktake],
    jst: { rateLimit: { perSecond: 0, perMinute: 0 } },
    seed: (s) => {
      const range = lastDay(s.jst);
      s.jst.seedKind('allocate', { count: 90, seed: 2024, unmappedRate: 0.06, ...range });
      s.jst.seedKind('inventory-count', { count: 70, seed: 2024, unmappedRate: 0.06, ...range });
      // Here 杭州主仓 (CK001) keeps stock by location too, so transfers have a location on both sides (CK001 ↔ CK002,
      // CK001 → 次品仓): Kingdee gets it as base data, the config only its default (the worker reads its dimensions).
      s.kingdee.addBaseData({ stocks: [{ number: 'CK001', name: '杭州主仓', flexNumbers: [...CK001_LOCATIONS.flexNumbers], bins: ['A-01-01', 'A-01-02'] }] });
    },
    config: (file) => ({ ...only(file, 'transfer', 'stocktake'), mappings: { ...file.mappings, stocks: { ...file.mappings.stocks, CK001: { defaultLocation: 'A-01-02' } } } }),
    // Documents change between the pages of the first scans: some become effective (Creating → Confirmed,
    // WaitConfirm → Confirmed), others are only touched.
    paging: (s) => changeWhilePaging(16, (p, n) => {
      const [kind, waiting] = p === '/open/allocate/query' ? ['allocate', 'Creating'] : ['inventory-count', 'WaitConfirm'];
      const next = s.jst.store.ids(kind, { status: waiting })[0];
      if (next !== undefined) s.jst.mutate(kind, next, { status: 'Confirmed' });
      return 1 + s.jst.mutateRandomly(1, `paging-${n}`, { kind, status: 'Confirmed' }).length;
    }),
    changesAtLeast: 16, waitMs: 150_000,
    atLeast: { transferLots: 10, gainAndLoss: 5, stocktakeLots: 5 },
    located: [['STK_StockCountGain', 10], ['STK_StockCountLoss', 10]],
    locations: { ...demoStockLocations, CK001: CK001_LOCATIONS },
    more(ctx) {
      it('puts the configured location on both sides of each transfer', () => {
        const { system, config } = ctx();
        const located = checkLocations(system.kdSim, 'STK_TransferDirect', config, { ...demoStockLocations, CK001: CK001_LOCATIONS });
        expect(located.allSides).toBeGreaterThan(30);
        expect(located.allSides).toBe(system.kdSim.documents('STK_TransferDirect').reduce((n, b) => n + (b.model.FBillEntry as unknown[]).length, 0));
      });
    },
  },
];

it('has a row for every flow of the registry, in exactly one group', () => {
  const rows = groups.flatMap((g) => g.flows.map((f) => f.flow));
  expect([...rows].sort()).toEqual([...flowNames].sort());
});

describe.each(groups)('$title end to end', (group) => {
  const prefix = uniquePrefix(`e2e-${group.name}`);
  let ctx: GroupContext;
  const formsOf = (c: FlowCase<never>) => [flowRegistry[c.flow].target.formId, ...(flowRegistry[c.flow].target.otherFormIds ?? [])];
  const defaultBills = (c: FlowCase<never>, d: { io_id: number }, config: SyncConfig) => [{ form: formsOf(c)[0]!, billNo: `${config.flows[c.flow]!.billNoPrefix}${d.io_id}` }];
  const billsOf = (c: FlowCase<never>, d: never, config: SyncConfig) => (c.bills ? c.bills(d, config) : defaultBills(c, d, config));
  const allForms = () => group.flows.flatMap(formsOf);

  beforeAll(async () => {
    const sims = await startSimulators({ jst: group.jst });
    group.seed(sims);
    const config = group.config(demoConfig(), sims);
    const paging = group.paging(sims);
    const system = await startSystem({ prefix, simulators: sims, config, env: group.env, faults: { jst: paging.faults } });
    ctx = { system, sims, config, paging, docs: <D>(kind: string) => sims.jst.store.list(kind, {}) as unknown as D[] };
  }, 60_000);

  afterAll(async () => {
    await ctx?.system.stop();
  });

  const isReady = (c: FlowCase<never>, d: never) => (c.ready ? c.ready(d) : (d as { status: string }).status === 'Confirmed');
  const ready = (c: FlowCase<never>) => ctx.docs<never>(c.kind).filter((d) => isReady(c, d));

  it('writes every ready document to Kingdee exactly once, with its lines, lots and dates, and nothing else', async () => {
    const { system, config, paging } = ctx;
    await until('every ready document to be written or dead-lettered', async () => {
      if (paging.changes() < group.changesAtLeast) return false;
      const done = new Set(allForms().flatMap((f) => system.kdSim.documents(f).map((b) => `${f}/${b.billNo}`)));
      for (const c of group.flows) {
        const dead = new Set((await system.deadLetters(c.flow)).map((d) => d.docId));
        if (!ready(c).every((d) => dead.has(String((d as { io_id: number }).io_id)) || billsOf(c, d, config).every((b) => done.has(`${b.form}/${b.billNo}`)))) return false;
      }
      return system.idle();
    }, group.waitMs);
    expect(paging.changes()).toBeGreaterThanOrEqual(group.changesAtLeast);

    const seen: Seen = {};
    for (const c of group.flows) {
      const byForm = new Map(formsOf(c).map((f) => [f, new Map(system.kdSim.documents(f).map((b) => [b.billNo, b]))]));
      const bill = (form: string, billNo: string) => byForm.get(form)?.get(billNo);
      for (const f of formsOf(c)) {
        const bills = system.kdSim.documents(f);
        expect({ form: f, numbers: byForm.get(f)!.size }).toEqual({ form: f, numbers: bills.length }); // no bill number twice
        if (c.thirdId) expect(new Set(bills.map((b) => String(c.thirdId!(b.model)))).size).toBe(bills.length); // no JST document twice
      }
      const mapped = ready(c).filter((d) => !c.unmapped(d));
      expect({ flow: c.flow, mappedMoreThan: mapped.length > c.mappedMoreThan }).toEqual({ flow: c.flow, mappedMoreThan: true });
      const expected = mapped.flatMap((d) => billsOf(c, d, config));
      expect({ flow: c.flow, bills: formsOf(c).reduce((n, f) => n + system.kdSim.documents(f).length, 0) }).toEqual({ flow: c.flow, bills: expected.length });
      for (const src of mapped) {
        const expected = billsOf(c, src, config);
        for (const b of expected) {
          expect(bill(b.form, b.billNo)).toBeDefined();
          expect(bill(b.form, b.billNo)!.status).toBe('C');
        }
        c.check(src, expected[0] && bill(expected[0].form, expected[0].billNo), { bill, seen, config });
      }
      // Nothing that is not ready reached Kingdee.
      for (const d of ctx.docs<never>(c.kind).filter((x) => !isReady(c, x))) {
        for (const b of billsOf(c, d, config)) expect({ bill: b.billNo, written: byForm.get(b.form)!.has(b.billNo) }).toEqual({ bill: b.billNo, written: false });
      }
    }
    for (const [what, moreThan] of Object.entries(group.atLeast)) expect({ what, moreThan: (seen[what] ?? 0) > moreThan }).toEqual({ what, moreThan: true });
    group.afterSync?.(ctx);
  }, group.waitMs + 30_000);

  it('puts the configured location on every line of a stock kept by location, none elsewhere', () => {
    for (const [form, moreThan] of group.located) {
      expect({ form, located: checkLocations(ctx.system.kdSim, form, ctx.config, group.locations).located > moreThan }).toEqual({ form, located: true });
    }
  });

  it('keeps the documents with unmapped base data in the dead letters with a clear reason, without blocking the rest', async () => {
    let total = 0;
    for (const c of group.flows) {
      const unmapped = ready(c).filter((d) => c.unmapped(d)) as { io_id: number }[];
      total += unmapped.length;
      if (c.deadLetters.moreThan !== undefined) expect(unmapped.length).toBeGreaterThan(c.deadLetters.moreThan);
      const dead = await ctx.system.deadLetters(c.flow);
      // One dead letter per failed version: a document edited after it failed fails again under its new version.
      expect(new Set(dead.map((d) => d.docId))).toEqual(new Set(unmapped.map((d) => String(d.io_id))));
      for (const d of unmapped) expectPermanent(dead, String(d.io_id), { code: 'UNMAPPED_BASE_DATA', mentions: c.deadLetters.mentions(d as never) });
    }
    if (group.unmappedMoreThan !== undefined) expect(total).toBeGreaterThan(group.unmappedMoreThan);
  });

  it('writes nothing new on a second poll', async () => {
    const { system } = ctx;
    const before = system.kdSim.stats();
    const counts = allForms().map((f) => system.kdSim.documents(f).length);
    for (const c of group.flows) expect(await enqueuedBy(() => system.pollOnce(c.flow))).toBe(0);
    await until('queues to drain', () => system.idle(), 30000);
    expect(allForms().map((f) => system.kdSim.documents(f).length)).toEqual(counts);
    const after = system.kdSim.stats();
    expect(after.saves).toBe(before.saves);
    expect(after.created).toBe(before.created);
  });

  group.more?.(() => ctx);
});

interface JstRefund { as_id: number; status: string; good_status: string; items: { sku_id: string; r_qty: number; type: string }[] }
interface RefundEntry { FMaterialId?: Ref; FRealQty?: number }

describe('sales return end to end, source refund (售后单)', () => {
  let system: System;

  beforeAll(async () => {
    const sims = await startSimulators();
    sims.jst.seedKind('refund', { count: 30, seed: 77, exchangeRate: 0.4 });
    const file = demoConfig();
    const sr = file.flows['sales-return']!;
    const config: SyncConfig = { ...file, flows: { 'sales-return': { ...sr, enabled: true, source: 'refund', schedule: { ...sr.schedule, everyMs: 1000 } } } };
    // The worker runs; the test polls once itself.
    system = await startSystem({ prefix: uniquePrefix('e2e-sr-refund'), simulators: sims, config, services: ['worker'] });
    await system.pollOnce('sales-return');
  }, 60000);

  afterAll(async () => {
    await system?.stop();
  });

  it('reads /open/refund/single/query and writes the received 退货 lines of each settled 售后单 once', async () => {
    const { jstSim, kdSim } = system;
    const refunds = jstSim.store.list('refund', {}) as unknown as JstRefund[];
    const ready = refunds.filter((r) => r.status === 'Confirmed' && r.good_status === 'SELLER_RECEIVED');
    expect(ready.length).toBeGreaterThan(10);
    expect(ready.length).toBeLessThan(refunds.length);
    await until('every settled refund to be written', async () => kdSim.documents('SAL_RETURNSTOCK').length >= ready.length && (await system.idle()), 60000);
    const byBillNo = new Map(kdSim.documents('SAL_RETURNSTOCK').map((d) => [d.billNo, d]));
    expect([...byBillNo.keys()].sort()).toEqual(ready.map((r) => `JSTRTAS${r.as_id}`).sort());
    let exchanges = 0;
    for (const r of ready) {
      const entries = (byBillNo.get(`JSTRTAS${r.as_id}`)!.model.FEntity as RefundEntry[]) ?? [];
      expect(sumBy(entries, (e) => e.FMaterialId!.FNumber!, (e) => Number(e.FRealQty))).toEqual(sumBy(r.items.filter((l) => l.type === '退货' && l.r_qty > 0), (l) => l.sku_id, (l) => l.r_qty));
      if (r.items.some((l) => l.type === '换货')) exchanges += 1;
    }
    expect(exchanges).toBeGreaterThan(0);
  }, 90000);
});
