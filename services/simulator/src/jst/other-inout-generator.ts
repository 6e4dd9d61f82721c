import { demoSkus, demoSubWarehouses, demoSuppliers, demoWarehouses, unmappedSkus, type DemoSku } from '../demo-catalog';
import { beijingDay, formatBeijing } from './beijing-time';
import { checkedRange, DAY, lotProducedOn, mixOf, modifiedBetween, pickIndices, round2, unmappedCount, type Lot } from './generator-basics';
import type { OtherInOutBatch, OtherInOutDoc, OtherInOutItem, OtherInOutStatus, OtherInOutType } from './other-inout';
import { createPrng, type Prng } from './prng';

/** A generated document before the store stamps its `ts`. */
export type OtherInOutDraft = OtherInOutDoc;

/** The world other in/out documents are drawn from (defaults to ../demo-catalog). */
export interface OtherInOutCatalog {
  warehouses: readonly { wmsCoId: number; name: string }[];
  /** Virtual warehouses (wh_id ≠ 1) that documents sometimes use. */
  subWarehouses: readonly { wmsCoId: number; whId: number; name: string }[];
  suppliers: readonly { supplierId: number; name: string }[];
  skus: readonly DemoSku[];
  unmappedSkus: readonly DemoSku[];
}

export const defaultOtherInOutCatalog: OtherInOutCatalog = {
  warehouses: demoWarehouses,
  subWarehouses: demoSubWarehouses.filter((w) => w.whId === 4),
  suppliers: demoSuppliers,
  skus: demoSkus,
  unmappedSkus,
};

export interface OtherInOutGeneratorOptions {
  count: number;
  /** Same seed (and same startIoId and range) → identical documents. Default 1. */
  seed?: number | string;
  /** Relative weights of statuses. Default {Confirmed: 0.7, WaitConfirm: 0.2, Cancelled: 0.05, Delete: 0.05}. */
  statusMix?: Partial<Record<OtherInOutStatus, number>>;
  /** Relative weights of types. Default {其它出库: 0.45, 其它进仓: 0.45, 其它退货: 0.1}. */
  typeMix?: Partial<Record<OtherInOutType, number>>;
  /** Fraction of documents that get one line with an unmapped SKU (exactly round(count × rate)). Default 0. */
  unmappedRate?: number;
  /** Probability that a line uses a batch-managed SKU. Default 0.4. */
  batchRate?: number;
  /** Probability that a batch line with qty ≥ 2 is split over two lots. Default 0.4. */
  splitBatchRate?: number;
  /** Probability that a document uses a virtual warehouse (次品仓) instead of the main one. Default 0.15. */
  subWarehouseRate?: number;
  /** Probability that a line has qty 0 (documents keep at least one non-zero line). Default 0.03. */
  zeroLineRate?: number;
  /** Beijing-time bounds (inclusive) that `modified` is spread over. */
  modifiedFrom: string;
  modifiedTo: string;
  /** io_id of the first document; the rest follow consecutively. Default 6000001. */
  startIoId?: number;
}

const DEFAULT_STATUS_MIX: Readonly<Record<OtherInOutStatus, number>> = { Confirmed: 0.7, WaitConfirm: 0.2, Cancelled: 0.05, Delete: 0.05, OuterConfirming: 0 };
const DEFAULT_TYPE_MIX: Readonly<Record<OtherInOutType, number>> = { 其它出库: 0.45, 其它进仓: 0.45, 其它退货: 0.1 };
const OUT_REASONS = ['样品领用', '报废', '赠送', '内部领用'] as const;
const IN_REASONS = ['盘点入库', '样品归还', '外部入库'] as const;

/** Two distinct production lots of a batch-managed SKU, dated before the window. */
function lotsOf(sku: DemoSku, fromMs: number, prng: Prng): Lot[] {
  const shelf = sku.shelfLifeDays ?? 365;
  return [30, 90].map((age) => lotProducedOn(sku, beijingDay(fromMs - Math.min(age + prng.int(0, 9), Math.max(1, shelf - 10)) * DAY), 'O'));
}

/**
 * Generates other in/out documents from the catalog: a type and status mix, 1–4 lines with positive quantities,
 * multi-spec SKUs, batch lines (with batchs[] entries keyed by ioi_id, sometimes two lots on one line, shelf-life
 * dates), sub-warehouses, suppliers on inbound lines, occasional zero-quantity lines, `modified` spread over
 * the range, consecutive io_id and ioi_id = io_id × 10 + line. Pure and deterministic. Throws on a bad range or count.
 */
export function generateOtherInOut(opts: OtherInOutGeneratorOptions, catalog: OtherInOutCatalog = defaultOtherInOutCatalog): OtherInOutDraft[] {
  const { fromMs, toMs } = checkedRange(opts);
  const prng = createPrng(opts.seed ?? 1);
  const statusMix = mixOf(DEFAULT_STATUS_MIX, opts.statusMix);
  const typeMix = mixOf(DEFAULT_TYPE_MIX, opts.typeMix);
  const batchRate = opts.batchRate ?? 0.4;
  const splitRate = opts.splitBatchRate ?? 0.4;
  const subRate = opts.subWarehouseRate ?? 0.15;
  const zeroRate = opts.zeroLineRate ?? 0.03;
  const startIoId = opts.startIoId ?? 6_000_001;
  const regular = catalog.skus.filter((s) => !s.batchManaged);
  const batchSkus = catalog.skus.filter((s) => s.batchManaged);
  const lots = new Map(batchSkus.map((s) => [s.skuId, lotsOf(s, fromMs, prng)]));
  const unmappedDocs = pickIndices(prng, opts.count, unmappedCount(opts.count, opts.unmappedRate));

  const docs: OtherInOutDraft[] = [];
  for (let n = 0; n < opts.count; n++) {
    const ioId = startIoId + n;
    const status = prng.weighted(statusMix);
    const type = prng.weighted(typeMix);
    const inbound = type !== '其它出库';
    const modifiedMs = modifiedBetween(prng, fromMs, toMs);
    const createdMs = modifiedMs - prng.int(60, 12 * 3600) * 1000;
    const sub = catalog.subWarehouses.length > 0 && prng.chance(subRate) ? prng.pick(catalog.subWarehouses) : undefined;
    const wh = sub ? catalog.warehouses.find((w) => w.wmsCoId === sub.wmsCoId) ?? catalog.warehouses[0]! : prng.pick(catalog.warehouses);
    const supplier = inbound && catalog.suppliers.length > 0 && prng.chance(0.5) ? prng.pick(catalog.suppliers) : undefined;
    const items: OtherInOutItem[] = [];
    const batchs: OtherInOutBatch[] = [];
    const used = new Set<string>();
    const addLine = (sku: DemoSku, zero: boolean): void => {
      const ioiId = ioId * 10 + items.length + 1;
      const qty = zero ? 0 : prng.int(1, sku.batchManaged ? 6 : 4);
      const cost = round2(sku.price * 0.4);
      let first: { batchNo: string; productDate: string; expirationDate: string } | undefined;
      const skuLots = lots.get(sku.skuId);
      if (skuLots && qty > 0) {
        const [a, b] = prng.chance(0.5) ? [skuLots[0]!, skuLots[1]!] : [skuLots[1]!, skuLots[0]!];
        first = a;
        const q1 = qty >= 2 && prng.chance(splitRate) ? prng.int(1, qty - 1) : qty;
        const parts: [typeof a, number][] = q1 < qty ? [[a, q1], [b, qty - q1]] : [[a, qty]];
        for (const [lot, q] of parts) {
          batchs.push({ batch_no: lot.batchNo, ioi_id: ioiId, sku_id: sku.skuId, qty: q, product_date: lot.productDate, expiration_date: lot.expirationDate });
        }
      }
      items.push({
        ioi_id: ioiId,
        io_id: ioId,
        sku_id: sku.skuId,
        i_id: sku.iId,
        name: sku.name,
        unit: sku.unit,
        properties_value: sku.properties,
        qty,
        cost_price: cost,
        cost_amount: round2(cost * qty),
        sale_price: 0,
        sale_amount: 0,
        remark: '',
        batch_id: first ? first.batchNo : null,
        product_date: first ? first.productDate : null,
        supplier_id: supplier ? supplier.supplierId : first ? 0 : null,
        expiration_date: first ? first.expirationDate : null,
      });
      used.add(sku.skuId);
    };
    const lineCount = prng.int(1, 4);
    for (let l = 0; l < lineCount; l++) {
      const pool = batchSkus.length > 0 && prng.chance(batchRate) ? batchSkus : regular;
      let sku = prng.pick(pool);
      for (let tries = 0; used.has(sku.skuId) && tries < 4; tries++) sku = prng.pick(pool);
      addLine(sku, l > 0 && prng.chance(zeroRate));
    }
    if (unmappedDocs.has(n) && catalog.unmappedSkus.length > 0) addLine(prng.pick(catalog.unmappedSkus), false);
    const effective = status === 'Confirmed' || status === 'Cancelled';
    docs.push({
      io_id: ioId,
      io_date: formatBeijing(effective ? Math.max(createdMs, modifiedMs - prng.int(0, 60) * 1000) : createdMs),
      status,
      so_id: `${inbound ? 'IN' : 'OUT'}-${beijingDay(createdMs).slice(0, 10).replace(/-/g, '')}-${String(n + 1).padStart(4, '0')}`,
      type,
      f_status: 'WaitConfirm',
      warehouse: sub ? sub.name : wh.name,
      receiver_name: null,
      receiver_mobile: null,
      wh_id: sub ? sub.whId : 1,
      remark: '',
      modified: formatBeijing(modifiedMs),
      created: formatBeijing(createdMs),
      labels: '',
      wms_co_id: wh.wmsCoId,
      creator_name: prng.pick(['张三', '李四', '王五']),
      wave_id: 0,
      drop_co_name: inbound ? (type === '其它退货' ? null : prng.pick(IN_REASONS)) : prng.pick(OUT_REASONS),
      inout_user: null,
      l_id: null,
      lc_id: null,
      logistics_company: null,
      lock_wh_id: null,
      lock_wh_name: null,
      items,
      batchs,
      sns: [],
    });
  }
  return docs;
}
