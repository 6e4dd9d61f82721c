import { demoSkus, demoWarehouses, type DemoSku } from '../demo-catalog';
import { beijingDay, formatBeijing } from './beijing-time';
import { checkedRange, DAY, lotProducedOn, mixOf, modifiedBetween, pickIndices, unmappedCount, type Lot } from './generator-basics';
import type {
  AllocateDraft,
  AllocateItem,
  AllocateStatus,
  AllocateType,
  InventoryBatch,
  InventoryCountDraft,
  InventoryCountItem,
  InventoryCountStatus,
} from './inventory-docs';
import { createPrng, type Prng } from './prng';

/** The world transfer and stocktake documents are drawn from (defaults to ../demo-catalog). */
export interface InventoryCatalog {
  warehouses: readonly { wmsCoId: number; name: string }[];
  /** JST warehouses with no Kingdee stock: documents that use one must end in the dead letters. */
  unmappedWarehouses: readonly { wmsCoId: number; name: string }[];
  skus: readonly DemoSku[];
  coId: number;
}

export const defaultInventoryCatalog: InventoryCatalog = {
  warehouses: demoWarehouses,
  unmappedWarehouses: [{ wmsCoId: 10970001, name: '未建档仓' }],
  skus: demoSkus,
  coId: demoWarehouses[0].wmsCoId,
};

/** Options both generators share. */
export interface InventoryGeneratorOptions {
  count: number;
  /** Same seed (and same startIoId and range) → identical documents. Default 1. */
  seed?: number | string;
  /** Beijing-time bounds (inclusive) that `modified` is spread over. */
  modifiedFrom: string;
  modifiedTo: string;
  /** io_id of the first document; the rest follow consecutively. */
  startIoId?: number;
  /** Fraction of documents whose (sending) warehouse is unmapped: exactly round(count × rate). Default 0. */
  unmappedRate?: number;
  /** Probability that a line uses a batch-managed SKU. Default 0.4. */
  batchRate?: number;
  /** Probability that a batch line is spread over two lots. Default 0.4. */
  splitBatchRate?: number;
  /** Probability that a document's line is in the 次品仓 (wh_id 4) instead of the 主仓 (wh_id 1). Default 0.2. */
  defectiveRate?: number;
}

export interface TransferGeneratorOptions extends InventoryGeneratorOptions {
  /** Default {Confirmed: 0.7, Creating: 0.2, Cancelled: 0.1}. */
  statusMix?: Partial<Record<AllocateStatus, number>>;
  /** Default {调拨入: 0.8, 调拨出: 0.2}. */
  typeMix?: Partial<Record<AllocateType, number>>;
}

export interface StocktakeGeneratorOptions extends InventoryGeneratorOptions {
  /** Default {Confirmed: 0.75, WaitConfirm: 0.15, Cancelled: 0.1}. */
  statusMix?: Partial<Record<InventoryCountStatus, number>>;
  /** Probability that a document has no difference on any line. Default 0.05. */
  noDifferenceRate?: number;
}

function lotsOf(sku: DemoSku, fromMs: number): Lot[] {
  const shelf = sku.shelfLifeDays ?? 365;
  return [15, 45, 95].map((age) => {
    return lotProducedOn(sku, beijingDay(fromMs - Math.min(age, Math.max(1, shelf - 10)) * DAY), 'B');
  });
}

interface Common {
  prng: Prng;
  fromMs: number;
  toMs: number;
  startIoId: number;
  unmapped: Set<number>;
  batchSkus: DemoSku[];
  plainSkus: DemoSku[];
  batchRate: number;
  splitRate: number;
  defectiveRate: number;
}

function common(opts: InventoryGeneratorOptions, catalog: InventoryCatalog, defaultStart: number): Common {
  const { fromMs, toMs } = checkedRange(opts);
  const prng = createPrng(opts.seed ?? 1);
  const unmappedTotal = catalog.unmappedWarehouses.length ? unmappedCount(opts.count, opts.unmappedRate) : 0;
  return {
    prng,
    fromMs,
    toMs,
    startIoId: opts.startIoId ?? defaultStart,
    unmapped: pickIndices(prng, opts.count, unmappedTotal),
    batchSkus: catalog.skus.filter((s) => s.batchManaged),
    plainSkus: catalog.skus.filter((s) => !s.batchManaged),
    batchRate: opts.batchRate ?? 0.4,
    splitRate: opts.splitBatchRate ?? 0.4,
    defectiveRate: opts.defectiveRate ?? 0.2,
  };
}

function modifiedAt(c: Common): number {
  return modifiedBetween(c.prng, c.fromMs, c.toMs);
}

/** Distinct SKUs for `n` lines, batch-managed with probability batchRate. */
function pickSkus(c: Common, n: number): DemoSku[] {
  const used = new Set<string>();
  const out: DemoSku[] = [];
  for (let i = 0; i < n; i++) {
    const pool = c.batchSkus.length && c.prng.chance(c.batchRate) ? c.batchSkus : c.plainSkus;
    let sku = c.prng.pick(pool);
    for (let tries = 0; used.has(sku.skuId) && tries < 6; tries++) sku = c.prng.pick(pool);
    if (used.has(sku.skuId)) continue;
    used.add(sku.skuId);
    out.push(sku);
  }
  return out;
}

/** Lot parts of a line of magnitude `qty` (sign applied by the caller): one lot, or two when split. */
function lotParts(c: Common, sku: DemoSku, qty: number): Array<[Lot, number]> {
  const lots = lotsOf(sku, c.fromMs);
  const order = [...pickIndices(c.prng, lots.length, lots.length)].map((i) => lots[i]!);
  if (qty >= 2 && c.prng.chance(c.splitRate)) {
    const q1 = c.prng.int(1, qty - 1);
    return [[order[0]!, q1], [order[1]!, qty - q1]];
  }
  return [[order[0]!, qty]];
}

function lineBatchFields(parts: Array<[Lot, number]> | undefined) {
  const first = parts?.[0]?.[0];
  return {
    batch_id: first ? first.batchNo : null,
    product_date: first ? `${first.productDate} 00:00:00` : null,
    supplier_id: null,
    expiration_date: first ? `${first.expirationDate} 00:00:00` : null,
  };
}

function batchEntries(parts: Array<[Lot, number]>, ioiId: number, sku: DemoSku, sign: 1 | -1): InventoryBatch[] {
  return parts.map(([lot, q]) => ({
    batch_no: lot.batchNo, ioi_id: ioiId, sku_id: sku.skuId, qty: sign * q, product_date: lot.productDate, expiration_date: lot.expirationDate,
  }));
}

/**
 * Generates transfer documents (调拨单) from the catalog: 调拨入 and 调拨出 halves, cross-warehouse (主仓 → 主仓 of
 * the other warehouse, paired by link_io_id) or within the first warehouse into its 次品仓 (wh_id 4), 1–4 lines of
 * multi-spec and batch-managed SKUs (sometimes a line over two lots), a status mix, some with an unmapped
 * sending warehouse. Pure and deterministic. Throws on an invalid range or count.
 */
export function generateTransfers(opts: TransferGeneratorOptions, catalog: InventoryCatalog = defaultInventoryCatalog): AllocateDraft[] {
  const c = common(opts, catalog, 3_100_001);
  const statusMix = mixOf<AllocateStatus>({ Confirmed: 0.7, Creating: 0.2, Cancelled: 0.1, Picking: 0, OuterConfirming: 0, Confirming: 0 }, opts.statusMix);
  const typeMix = mixOf<AllocateType>({ 调拨入: 0.8, 调拨出: 0.2 }, opts.typeMix);
  const docs: AllocateDraft[] = [];
  for (let n = 0; n < opts.count; n++) {
    const ioId = c.startIoId + n;
    const { prng } = c;
    const status = prng.weighted(statusMix);
    const type = prng.weighted(typeMix);
    const modifiedMs = modifiedAt(c);
    // Within-warehouse transfers go to the first warehouse's 次品仓 (the demo maps only that one to its own stock).
    const intra = catalog.warehouses.length < 2 || prng.chance(c.defectiveRate);
    const to = intra ? catalog.warehouses[0]! : prng.pick(catalog.warehouses);
    let from = intra ? to : prng.pick(catalog.warehouses.filter((w) => w.wmsCoId !== to.wmsCoId));
    if (c.unmapped.has(n)) from = prng.pick(catalog.unmappedWarehouses);
    const [whId, linkWhId] = intra && !c.unmapped.has(n) ? [1, 4] : [1, 1];
    const items: AllocateItem[] = [];
    const batchs: InventoryBatch[] = [];
    for (const sku of pickSkus(c, prng.int(1, 4))) {
      const ioiId = ioId * 10 + items.length + 1;
      const qty = prng.int(1, 10);
      const parts = sku.batchManaged ? lotParts(c, sku, qty) : undefined;
      if (parts) batchs.push(...batchEntries(parts, ioiId, sku, 1));
      items.push({ io_id: ioId, ioi_id: ioiId, sku_id: sku.skuId, i_id: sku.iId, name: sku.name, properties_value: sku.properties, qty, r_qty: qty, ...lineBatchFields(parts) });
    }
    const [sender, receiver] = [from, to];
    docs.push({
      io_id: ioId,
      co_id: catalog.coId,
      wms_co_id: type === '调拨入' ? receiver.wmsCoId : sender.wmsCoId,
      link_wms_co_id: type === '调拨入' ? sender.wmsCoId : receiver.wmsCoId,
      io_date: formatBeijing(Math.max(c.fromMs - DAY, modifiedMs - prng.int(0, 3600) * 1000)),
      modified: formatBeijing(modifiedMs),
      status,
      warehouse: sender.name,
      link_warehouse: intra ? `${receiver.name}-次品仓` : receiver.name,
      f_status: status === 'Confirmed' ? 'Confirmed' : status === 'Cancelled' ? 'Cancelled' : 'WaitConfirm',
      type,
      wh_id: whId,
      link_wh_id: linkWhId,
      link_io_id: intra ? null : ioId + 500_000,
      so_id: intra ? null : `DB${ioId}`,
      wave_id: 0,
      remark: intra ? '转次品' : '',
      creator_name: prng.pick(['仓管A', '仓管B']),
      lock_wh_id: 0,
      lock_link_wh_id: 0,
      out_io_id: null,
      labels: [],
      receiver_name_en: null,
      receiver_mobile_en: null,
      receiver_state: null,
      receiver_city: null,
      receiver_district: null,
      receiver_address: null,
      l_id: null,
      lc_id: null,
      logistics_company: null,
      unit: null,
      items,
      batchs,
      sns: [],
    });
  }
  return docs;
}

/**
 * Generates stocktake documents (盘点单) from the catalog: 1–5 lines whose signed qty mixes gains, losses and
 * no difference on one document, r_qty = quantity after the count, batch lines with signed batchs[] entries
 * (sometimes two lots), 主仓 or 次品仓 (wh_id 4), a status mix, some in an unmapped warehouse and a few with
 * no difference at all. Pure and deterministic. Throws on an invalid range or count.
 */
export function generateStocktakes(opts: StocktakeGeneratorOptions, catalog: InventoryCatalog = defaultInventoryCatalog): InventoryCountDraft[] {
  const c = common(opts, catalog, 3_200_001);
  const statusMix = mixOf<InventoryCountStatus>({ Confirmed: 0.75, WaitConfirm: 0.15, Cancelled: 0.1, Archive: 0, Delete: 0 }, opts.statusMix);
  const noDiffRate = opts.noDifferenceRate ?? 0.05;
  const docs: InventoryCountDraft[] = [];
  for (let n = 0; n < opts.count; n++) {
    const ioId = c.startIoId + n;
    const { prng } = c;
    const status = prng.weighted(statusMix);
    const modifiedMs = modifiedAt(c);
    const wh = c.unmapped.has(n) ? prng.pick(catalog.unmappedWarehouses) : prng.pick(catalog.warehouses);
    const whId = !c.unmapped.has(n) && prng.chance(c.defectiveRate) ? 4 : 1;
    const noDiff = prng.chance(noDiffRate);
    const items: InventoryCountItem[] = [];
    const batchs: InventoryBatch[] = [];
    for (const sku of pickSkus(c, prng.int(1, 5))) {
      const ioiId = ioId * 10 + items.length + 1;
      const book = prng.int(0, 40);
      let diff = noDiff ? 0 : prng.int(-5, 5);
      if (book + diff < 0) diff = -book;
      const sign: 1 | -1 = diff < 0 ? -1 : 1;
      const parts = sku.batchManaged && diff !== 0 ? lotParts(c, sku, Math.abs(diff)) : undefined;
      if (parts) batchs.push(...batchEntries(parts, ioiId, sku, sign));
      items.push({ io_id: ioId, ioi_id: ioiId, sku_id: sku.skuId, i_id: sku.iId, name: sku.name, properties_value: sku.properties, r_qty: book + diff, qty: diff, ...lineBatchFields(parts) });
    }
    docs.push({
      type: '盘点',
      io_id: ioId,
      io_date: formatBeijing(Math.max(c.fromMs - DAY, modifiedMs - prng.int(0, 3600) * 1000)),
      status,
      warehouse: whId === 4 ? `${wh.name}-次品仓` : wh.name,
      creator_name: prng.pick(['盘点员甲', '盘点员乙']),
      remark: prng.pick(['', '月末盘点', '抽盘']),
      wh_id: whId,
      wms_co_id: wh.wmsCoId,
      modified: formatBeijing(modifiedMs),
      f_status: status,
      lock_wh_id: 0,
      lock_wh_name: null,
      labels: [],
      items,
      batchs,
      sns: [],
    });
  }
  return docs;
}
