import { demoShops, demoSkus, demoWarehouses, unmappedSkus, type DemoSku } from '../demo-catalog';
import { beijingDay, formatBeijing } from './beijing-time';
import { checkedRange, DAY, digits, lotProducedOn, modifiedBetween, pickIndices, round2, unmappedCount, type Lot } from './generator-basics';
import { createPrng, type Prng } from './prng';
import type { OrdersOutStatus, SalesOutboundBatch, SalesOutboundDraft, SalesOutboundItem } from './sales-outbound';

/** The world documents are drawn from (defaults to ../demo-catalog). */
export interface OrdersOutCatalog {
  shops: readonly { shopId: number; name: string }[];
  warehouses: readonly { wmsCoId: number; name: string }[];
  skus: readonly DemoSku[];
  unmappedSkus: readonly DemoSku[];
  /** Company id (co_id). */
  coId: number;
}

export const defaultOrdersOutCatalog: OrdersOutCatalog = {
  shops: demoShops,
  warehouses: demoWarehouses,
  skus: demoSkus,
  unmappedSkus,
  coId: demoWarehouses[0].wmsCoId,
};

export interface OrdersOutGeneratorOptions {
  count: number;
  /** Same seed (and same startIoId and range) → identical documents. Default 1. */
  seed?: number | string;
  /** Relative weights of statuses. Default {Confirmed: 0.7, WaitConfirm: 0.2, Cancelled: 0.05, Delete: 0.05}. */
  statusMix?: Partial<Record<OrdersOutStatus, number>>;
  /** Fraction of documents that get one line with an unmapped SKU (exactly round(count × rate) documents). Default 0. */
  unmappedRate?: number;
  /** Probability that a line uses a batch-managed SKU (and so carries batchs[] entries). Default 0.35. */
  batchRate?: number;
  /** Probability that a batch line with qty ≥ 2 is split across two batches. Default 0.3. */
  splitBatchRate?: number;
  /** Probability that a document with ≥ 2 lines ends with a gift line (is_gift, price 0). Default 0.25. */
  giftRate?: number;
  /** Beijing-time bounds (inclusive) that `modified` is spread over. */
  modifiedFrom: string;
  modifiedTo: string;
  /** io_id of the first document; the rest follow consecutively. Default 2080001. */
  startIoId?: number;
}

export const DEFAULT_STATUS_MIX: Readonly<Record<OrdersOutStatus, number>> = {
  Confirmed: 0.7,
  WaitConfirm: 0.2,
  Cancelled: 0.05,
  Delete: 0.05,
  OuterConfirming: 0,
  Archive: 0,
};

const carriers = [
  { lcId: 'SF', name: '顺丰速运', prefix: 'SF' },
  { lcId: 'YTO', name: '圆通速递', prefix: 'YT' },
  { lcId: 'ZTO', name: '中通快递', prefix: '7' },
] as const;
const places = [
  ['浙江省', '杭州市', '西湖区'],
  ['广东省', '广州市', '天河区'],
  ['上海', '上海市', '浦东新区'],
  ['北京', '北京市', '朝阳区'],
] as const;

/** Three production lots per batch-managed SKU, dated before the window, so lots repeat across documents. */
function lotPool(prng: Prng, skus: readonly DemoSku[], fromMs: number): Map<string, Lot[]> {
  const pool = new Map<string, Lot[]>();
  for (const sku of skus) {
    if (!sku.batchManaged) continue;
    const shelf = sku.shelfLifeDays ?? 365;
    const lots: Lot[] = [];
    for (const ageDays of [20, 60, 110]) {
      const produced = fromMs - Math.min(ageDays + prng.int(0, 9), Math.max(1, shelf - 10)) * DAY;
      lots.push(lotProducedOn(sku, beijingDay(produced), 'B'));
    }
    pool.set(sku.skuId, lots);
  }
  return pool;
}

/**
 * Generates realistic sales outbound documents from the catalog: 1–5 lines, multi-spec SKUs, gift lines,
 * batch lines with batchs[] (sometimes one line split over two lots), a status mix, `modified` spread over
 * the range, unique io_id (consecutive from startIoId) and ioi_id (io_id × 10 + line). Pure and
 * deterministic: the same options give the same documents. Throws on an invalid range or count.
 */
export function generateOrdersOut(opts: OrdersOutGeneratorOptions, catalog: OrdersOutCatalog = defaultOrdersOutCatalog): SalesOutboundDraft[] {
  const { fromMs, toMs } = checkedRange(opts);
  const prng = createPrng(opts.seed ?? 1);
  const statusMix = { ...DEFAULT_STATUS_MIX, ...(opts.statusMix ?? {}) };
  if (opts.statusMix) for (const k of Object.keys(DEFAULT_STATUS_MIX) as OrdersOutStatus[]) if (!(k in opts.statusMix)) statusMix[k] = 0;
  const batchRate = opts.batchRate ?? 0.35;
  const splitRate = opts.splitBatchRate ?? 0.3;
  const giftRate = opts.giftRate ?? 0.25;
  const startIoId = opts.startIoId ?? 2_080_001;
  const regular = catalog.skus.filter((s) => !s.batchManaged && s.price > 0);
  const batchSkus = catalog.skus.filter((s) => s.batchManaged);
  const giftSkus = catalog.skus.filter((s) => s.price === 0);
  const lots = lotPool(prng, batchSkus, fromMs);
  const unmappedDocs = pickIndices(prng, opts.count, unmappedCount(opts.count, opts.unmappedRate));

  const docs: SalesOutboundDraft[] = [];
  let previous: SalesOutboundDraft | undefined;
  for (let n = 0; n < opts.count; n++) {
    const ioId = startIoId + n;
    const status = prng.weighted(statusMix);
    const modifiedMs = modifiedBetween(prng, fromMs, toMs);
    const createdMs = Math.max(fromMs - 2 * DAY, modifiedMs - prng.int(60, 36 * 3600) * 1000);
    const shipped = status !== 'WaitConfirm';
    const ioDateMs = shipped ? Math.max(createdMs, modifiedMs - prng.int(0, 60) * 1000) : createdMs;
    const shop = prng.pick(catalog.shops);
    const wh = prng.pick(catalog.warehouses);
    const carrier = prng.pick(carriers);
    const place = prng.pick(places);
    // About 5% are a second shipment of the previous order (split shipment: same o_id and so_id).
    const split = previous !== undefined && prng.chance(0.05);
    const oId = split ? previous!.o_id : 5_459_000 + (ioId % 1_000_000);
    const soId = split ? previous!.so_id : `31${digits(prng, 17)}`;

    const lineCount = prng.int(1, 5);
    const withGift = lineCount >= 2 && giftSkus.length > 0 && prng.chance(giftRate);
    const items: SalesOutboundItem[] = [];
    const batchs: SalesOutboundBatch[] = [];
    const used = new Set<string>();
    const addLine = (sku: DemoSku, gift: boolean): void => {
      const ioiId = ioId * 10 + items.length + 1;
      const qty = sku.batchManaged ? prng.int(1, 4) : prng.int(1, 3);
      const salePrice = gift ? 0 : round2(sku.price * prng.pick([1, 1, 1, 0.9, 0.8]));
      const skuLots = lots.get(sku.skuId);
      let first: Lot | undefined;
      if (skuLots) {
        const order = pickIndices(prng, skuLots.length, skuLots.length);
        const [a, b] = [...order].map((i) => skuLots[i]!);
        first = a!;
        let parts: [Lot, number][] = [[a!, qty]];
        if (qty >= 2 && prng.chance(splitRate)) {
          const q1 = prng.int(1, qty - 1);
          parts = [[a!, q1], [b!, qty - q1]];
        }
        for (const [lot, q] of parts) {
          batchs.push({
            batch_no: lot.batchNo,
            ioi_id: ioiId,
            sku_id: sku.skuId,
            qty: q,
            product_date: lot.productDate,
            expiration_date: lot.expirationDate,
            supplier_id: 0,
            supplier_name: null,
            status: null,
          });
        }
      }
      items.push({
        ioi_id: ioiId,
        oi_id: String(7_710_000 + ioiId % 1_000_000),
        outer_oi_id: `${soId}-${items.length + 1}`,
        pic: '',
        sku_id: sku.skuId,
        i_id: sku.iId,
        name: sku.name,
        properties_value: sku.properties,
        qty,
        sale_price: salePrice,
        sale_amount: round2(salePrice * qty),
        sale_base_price: round2(sku.price * 1.3),
        unit: sku.unit,
        is_gift: gift,
        combine_sku_id: null,
        raw_so_id: soId,
        batch_id: first ? first.batchNo : null,
        product_date: first ? first.productDate : null,
        expiration_date: first ? first.expirationDate : null,
        supplier_id: first ? 0 : null,
      });
      used.add(sku.skuId);
    };
    const saleLines = withGift ? lineCount - 1 : lineCount;
    for (let l = 0; l < saleLines; l++) {
      const pool = batchSkus.length > 0 && prng.chance(batchRate) ? batchSkus : regular;
      let sku = prng.pick(pool);
      for (let tries = 0; used.has(sku.skuId) && tries < 4; tries++) sku = prng.pick(pool);
      addLine(sku, false);
    }
    if (unmappedDocs.has(n) && catalog.unmappedSkus.length > 0) addLine(prng.pick(catalog.unmappedSkus), false);
    if (withGift) addLine(prng.chance(0.7) ? prng.pick(giftSkus) : prng.pick(regular), true);

    const goods = round2(items.reduce((s, i) => s + i.sale_amount, 0));
    const freight = prng.pick([0, 0, 0, 8, 12]);
    const weight = round2(items.reduce((s, i) => s + i.qty * 0.3, 0));
    const doc: SalesOutboundDraft = {
      co_id: catalog.coId,
      shop_id: shop.shopId,
      shop_name: shop.name,
      io_id: ioId,
      o_id: oId,
      so_id: soId,
      created: formatBeijing(createdMs),
      modified: formatBeijing(modifiedMs),
      status,
      order_type: split ? '补发订单' : '普通订单',
      io_date: formatBeijing(ioDateMs),
      wms_co_id: wh.wmsCoId,
      l_id: shipped ? `${carrier.prefix}${digits(prng, 12)}` : '',
      lc_id: carrier.lcId,
      logistics_company: carrier.name,
      pay_amount: round2(goods + freight),
      paid_amount: round2(goods + freight),
      free_amount: 0,
      freight,
      weight,
      f_weight: round2(weight + 0.05),
      labels: '',
      remark: '',
      buyer_message: '',
      receiver_state: place[0],
      receiver_city: place[1],
      receiver_district: place[2],
      items,
      batchs,
      sns: [],
    };
    docs.push(doc);
    previous = doc;
  }
  return docs;
}
