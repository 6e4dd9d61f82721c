import { demoSkus, demoSuppliers, demoWarehouses, unmappedSkus, unmappedSuppliers, type DemoSku } from '../demo-catalog';
import { beijingDay, formatBeijing } from './beijing-time';
import { checkedRange, DAY, lotProducedOn, modifiedBetween, pickIndices, round2, unmappedCount, type Lot } from './generator-basics';
import { createPrng, type Prng } from './prng';
import { PURCHASE_IN_KIND, PURCHASE_OUT_KIND } from './purchase';
import { startIdFor, type JstSeeder, type SeedKindOptions } from './seed-kind';
import type {
  PurchaseInBatch, PurchaseInDraft, PurchaseInItem, PurchaseInStatus, PurchaseOutBatch, PurchaseOutDraft, PurchaseOutItem, PurchaseOutStatus,
} from './purchase';

/** Options of both purchase generators. */
export interface PurchaseGeneratorOptions {
  count: number;
  /** Same seed, range and startId → identical documents. Default 1. */
  seed?: number | string;
  /** Relative weights of statuses; statuses not listed get 0. Default: mostly Confirmed. */
  statusMix?: Partial<Record<string, number>>;
  /**
   * Fraction of documents (exactly round(count × rate)) that reference something unmapped: alternately an unknown
   * supplier and a line with an SKU that has no Kingdee material. Default 0.
   */
  unmappedRate?: number;
  /** Beijing-time bounds (inclusive) that `modified` is spread over. */
  modifiedFrom: string;
  modifiedTo: string;
  /** io_id of the first document; the rest follow consecutively. */
  startId: number;
}

export interface PurchaseCatalog {
  suppliers: readonly { supplierId: number; name: string }[];
  unmappedSuppliers: readonly { supplierId: number; name: string }[];
  warehouses: readonly { wmsCoId: number; name: string }[];
  skus: readonly DemoSku[];
  unmappedSkus: readonly DemoSku[];
  coId: number;
}

export const defaultPurchaseCatalog: PurchaseCatalog = {
  suppliers: demoSuppliers,
  unmappedSuppliers,
  warehouses: demoWarehouses,
  skus: demoSkus,
  unmappedSkus,
  coId: demoWarehouses[0].wmsCoId,
};

interface Part { lot?: Lot; qty: number }
interface DrawnLine { sku: DemoSku; qty: number; cost: number; parts: Part[] }

function lotOf(prng: Prng, sku: DemoSku, beforeMs: number): Lot {
  const shelf = sku.shelfLifeDays ?? 365;
  const productDate = beijingDay(beforeMs - prng.int(5, Math.max(6, Math.min(90, shelf - 10))) * DAY);
  return lotProducedOn(sku, productDate, 'P', `-${prng.int(10, 99)}`);
}

/**
 * The shared shape of a purchase document: 1–4 lines with distinct SKUs (multi-spec T-shirts, batch-managed
 * SKUs whose lots go to batchs[] — a third of them split over two lots — and sometimes a zero-cost gift line),
 * a status from the mix, `modified` spread over the range. Pure and deterministic.
 */
function drawDocuments<T>(
  opts: PurchaseGeneratorOptions,
  catalog: PurchaseCatalog,
  defaultMix: Record<string, number>,
  qtyRange: [number, number],
  build: (n: { id: number; status: string; modifiedMs: number; supplier: { supplierId: number; name: string }; wh: { wmsCoId: number; name: string }; lines: DrawnLine[]; prng: Prng }) => T,
): T[] {
  const { fromMs, toMs } = checkedRange(opts);
  const prng = createPrng(opts.seed ?? 1);
  const mix: Record<string, number> = opts.statusMix ? Object.fromEntries(Object.entries(opts.statusMix).map(([k, v]) => [k, v ?? 0])) : defaultMix;
  const unmapped = [...pickIndices(prng, opts.count, unmappedCount(opts.count, opts.unmappedRate))].sort((a, b) => a - b);
  const unmappedKind = new Map(unmapped.map((n, i) => [n, i % 2 === 0 ? 'supplier' : 'sku']));
  const regular = catalog.skus.filter((s) => !s.batchManaged && s.price > 0);
  const batchSkus = catalog.skus.filter((s) => s.batchManaged);
  const gifts = catalog.skus.filter((s) => s.price === 0);
  const docs: T[] = [];
  for (let n = 0; n < opts.count; n++) {
    const modifiedMs = modifiedBetween(prng, fromMs, toMs);
    const status = prng.weighted(mix);
    const wh = prng.pick(catalog.warehouses);
    const bad = unmappedKind.get(n);
    const supplier = bad === 'supplier' && catalog.unmappedSuppliers.length ? prng.pick(catalog.unmappedSuppliers) : prng.pick(catalog.suppliers);
    const lines: DrawnLine[] = [];
    const used = new Set<string>();
    const lineCount = prng.int(1, 4);
    for (let l = 0; l < lineCount; l++) {
      const pool = batchSkus.length && prng.chance(0.4) ? batchSkus : regular;
      const sku = prng.pick(pool);
      if (used.has(sku.skuId)) continue;
      used.add(sku.skuId);
      const qty = prng.int(qtyRange[0], qtyRange[1]);
      let parts: Part[] = [{ qty }];
      if (sku.batchManaged) {
        const a = lotOf(prng, sku, modifiedMs);
        if (qty >= 2 && prng.chance(0.35)) {
          const q1 = prng.int(1, qty - 1);
          parts = [{ lot: a, qty: q1 }, { lot: lotOf(prng, sku, modifiedMs - 30 * DAY), qty: qty - q1 }];
        } else {
          parts = [{ lot: a, qty }];
        }
      }
      lines.push({ sku, qty, cost: round2(sku.price * 0.4), parts });
    }
    if (bad === 'sku' && catalog.unmappedSkus.length) {
      const sku = prng.pick(catalog.unmappedSkus);
      const qty = prng.int(qtyRange[0], qtyRange[1]);
      lines.push({ sku, qty, cost: round2(sku.price * 0.4), parts: [{ qty }] });
    }
    if (gifts.length && prng.chance(0.15)) {
      const sku = prng.pick(gifts);
      const qty = prng.int(qtyRange[0], qtyRange[1]);
      lines.push({ sku, qty, cost: 0, parts: [{ qty }] });
    }
    docs.push(build({ id: opts.startId + n, status, modifiedMs, supplier, wh, lines, prng }));
  }
  return docs;
}

export const DEFAULT_PURCHASE_IN_MIX: Readonly<Record<PurchaseInStatus, number>> = {
  Confirmed: 0.75, WaitConfirm: 0.15, Cancelled: 0.05, Delete: 0.05, Archive: 0, OuterConfirming: 0,
};

/** Purchase inbound documents (采购入库单, §6) from the catalog; io_id consecutive from startId, ioi_id = io_id × 10 + line. */
export function generatePurchaseIn(opts: PurchaseGeneratorOptions, catalog: PurchaseCatalog = defaultPurchaseCatalog): PurchaseInDraft[] {
  return drawDocuments<PurchaseInDraft>(opts, catalog, DEFAULT_PURCHASE_IN_MIX, [10, 120], ({ id, status, modifiedMs, supplier, wh, lines, prng }) => {
    const received = status === 'Confirmed' || status === 'Archive';
    const items: PurchaseInItem[] = [];
    const batchs: PurchaseInBatch[] = [];
    for (const l of lines) {
      items.push({
        ioi_id: id * 10 + items.length + 1, io_id: id, sku_id: l.sku.skuId, i_id: l.sku.iId, name: l.sku.name,
        properties_value: l.sku.properties, unit: l.sku.unit, qty: l.qty, cost_price: l.cost, cost_amount: round2(l.cost * l.qty),
        tax_rate: 13, remark: '', batch_no: l.parts[0]?.lot?.batchNo ?? '',
      });
      for (const p of l.parts) {
        if (!p.lot) continue;
        batchs.push({
          batch_no: p.lot.batchNo, sku_id: l.sku.skuId, qty: p.qty, product_date: p.lot.productDate,
          expiration_date: p.lot.expirationDate, supplier_id: supplier.supplierId, supplier_name: supplier.name,
        });
      }
    }
    return {
      io_id: id, warehouse: wh.name, po_id: 900_000 + (id % 100_000), supplier_id: supplier.supplierId, supplier_name: supplier.name,
      modified: formatBeijing(modifiedMs), so_id: '', out_io_id: null, status,
      io_date: formatBeijing(received ? modifiedMs - prng.int(0, 600) * 1000 : modifiedMs - DAY),
      wh_id: prng.chance(0.2) ? 3 : 1, wms_co_id: wh.wmsCoId, remark: '', tax_rate: 13, labels: '', archived: null, merge_so_id: null,
      type: '采购进仓', creator_name: '仓管A', f_status: 'WaitConfirm', l_id: '', lock_wh_id: null, lock_wh_name: null,
      items, batchs, sns: [],
    } as PurchaseInDraft;
  });
}

export const DEFAULT_PURCHASE_OUT_MIX: Readonly<Record<PurchaseOutStatus, number>> = {
  Confirmed: 0.7, WaitConfirm: 0.15, Creating: 0.05, Cancelled: 0.1, Archive: 0, Confirming: 0, OuterConfirming: 0, Delete: 0,
};

/** Purchase return documents (采购退货单, §7) from the catalog: supplier in seller_id/receiver_name, wms_co_id as a string. */
export function generatePurchaseOut(opts: PurchaseGeneratorOptions, catalog: PurchaseCatalog = defaultPurchaseCatalog): PurchaseOutDraft[] {
  return drawDocuments<PurchaseOutDraft>(opts, catalog, DEFAULT_PURCHASE_OUT_MIX, [1, 12], ({ id, status, modifiedMs, supplier, wh, lines, prng }) => {
    const items: PurchaseOutItem[] = [];
    const batchs: PurchaseOutBatch[] = [];
    for (const l of lines) {
      items.push({
        ioi_id: id * 10 + items.length + 1, io_id: id, co_id: catalog.coId, sku_id: l.sku.skuId, i_id: l.sku.iId, name: l.sku.name,
        properties_value: l.sku.properties, qty: l.qty, cost_price: l.cost, cost_amount: round2(l.cost * l.qty), tax_rate: 13, remark: '',
        batch_no: l.parts[0]?.lot?.batchNo ?? '',
      });
      for (const p of l.parts) {
        if (!p.lot) continue;
        batchs.push({ batch_no: p.lot.batchNo, sku_id: l.sku.skuId, qty: p.qty, product_date: p.lot.productDate, supplier_id: supplier.supplierId, supplier_name: supplier.name });
      }
    }
    return {
      io_id: id, io_date: formatBeijing(modifiedMs - prng.int(0, 600) * 1000), created_po_id: null, status, so_id: '', f_status: 'WaitConfirm',
      warehouse: wh.name, receiver_name: supplier.name, receiver_mobile: '0571-88880000', receiver_state: '浙江省', receiver_city: '杭州市',
      receiver_district: '萧山区', receiver_address: '工业园 8 号', wh_id: 1, remark: '质量问题退货', modified: formatBeijing(modifiedMs),
      po_id: 900_000 + (id % 100_000), wms_co_id: String(wh.wmsCoId), seller_id: supplier.supplierId, labels: '', wave_id: 0,
      logistics_company: '顺丰速运', free_amount: 0, lc_id: 'SF', l_id: `SF${String(prng.int(1e11, 1e12 - 1))}`, archived: null,
      creator_name: '仓管A', lock_wh_id: null, lock_wh_name: null, out_io_id: null, items, batchs, sns: [],
    } as PurchaseOutDraft;
  });
}

function generatorOptions(kind: string, firstId: number, opts: SeedKindOptions, ctx: Parameters<JstSeeder>[1]): PurchaseGeneratorOptions {
  return {
    count: opts.count,
    seed: opts.seed,
    statusMix: typeof opts.statusMix === 'object' && opts.statusMix !== null ? (opts.statusMix as Partial<Record<string, number>>) : undefined,
    unmappedRate: typeof opts.unmappedRate === 'number' ? opts.unmappedRate : undefined,
    modifiedFrom: opts.modifiedFrom ?? ctx.modifiedFrom,
    modifiedTo: opts.modifiedTo ?? ctx.modifiedTo,
    startId: startIdFor(opts.startId, ctx, kind, firstId),
  };
}

/**
 * `seedKind('purchase-in' | 'purchase-out', opts)`: count, seed, statusMix, unmappedRate (alternately an unknown
 * supplier and an unmapped SKU), modified range; io_id from `startId`, default the next free one (≥ 400001 / 500001).
 */
export const purchaseSeeders: Record<string, JstSeeder> = {
  [PURCHASE_IN_KIND]: (opts, ctx) => [
    { kind: PURCHASE_IN_KIND, docs: generatePurchaseIn(generatorOptions(PURCHASE_IN_KIND, 400_001, opts, ctx)) as unknown as Record<string, unknown>[] },
  ],
  [PURCHASE_OUT_KIND]: (opts, ctx) => [
    { kind: PURCHASE_OUT_KIND, docs: generatePurchaseOut(generatorOptions(PURCHASE_OUT_KIND, 500_001, opts, ctx)) as unknown as Record<string, unknown>[] },
  ],
};
