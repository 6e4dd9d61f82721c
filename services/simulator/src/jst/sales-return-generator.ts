import { demoShops, demoSkus, demoSubWarehouses, demoWarehouses, unmappedSkus, type DemoSku } from '../demo-catalog';
import { beijingDay, formatBeijing } from './beijing-time';
import { checkedRange, DAY, digits, lotProducedOn, modifiedBetween, round2, unmappedCount, type Lot } from './generator-basics';
import { createPrng, type Prng } from './prng';
import type { AftersaleStatus, ReceivedBatch, ReceivedDraft, ReceivedItem, RefundDraft, RefundItem } from './sales-return';

/** The world returns are drawn from (defaults to ../demo-catalog). */
export interface SalesReturnCatalog {
  shops: readonly { shopId: number; name: string }[];
  warehouses: readonly { wmsCoId: number; name: string }[];
  /** Virtual warehouses a return may be booked into (wh_id 2 销退仓 ...). */
  subWarehouses: readonly { wmsCoId: number; whId: number; name: string }[];
  skus: readonly DemoSku[];
  unmappedSkus: readonly DemoSku[];
}

export const defaultSalesReturnCatalog: SalesReturnCatalog = {
  shops: demoShops,
  warehouses: demoWarehouses,
  subWarehouses: demoSubWarehouses,
  skus: demoSkus,
  unmappedSkus,
};

export interface SalesReturnGeneratorOptions {
  count: number;
  /** Same seed (and same start ids and range) → identical documents. Default 1. */
  seed?: number | string;
  /** Weights of the 退仓单 status. Default {Confirmed: 0.75, WaitConfirm: 0.2, Cancelled: 0.05}. */
  statusMix?: Partial<Record<AftersaleStatus, number>>;
  /** Fraction of returns with one line of an unmapped SKU (exactly round(count × rate)). Default 0. */
  unmappedRate?: number;
  /** Probability that a line uses a batch-managed SKU. Default 0.4. */
  batchRate?: number;
  /** Probability that a batch line with qty ≥ 2 came back in two lots. Default 0.4. */
  splitBatchRate?: number;
  /** Probability that a return includes the gift (price 0). Default 0.2. */
  giftRate?: number;
  /** Probability that a 售后单 is an exchange (换货, with a 换货 line going out). Default 0.2. */
  exchangeRate?: number;
  /** Beijing-time bounds (inclusive) that `modified` is spread over. */
  modifiedFrom: string;
  modifiedTo: string;
  /** io_id of the first 退仓单 (consecutive). Default 3300001. */
  startIoId?: number;
  /** as_id of the first 售后单 (consecutive). Default 900001. */
  startAsId?: number;
}

export interface GeneratedSalesReturns {
  /** 退仓单, one per return (index-aligned with `refunds`). */
  received: ReceivedDraft[];
  /** 售后单: Confirmed + SELLER_RECEIVED with r_qty when the 退仓单 is Confirmed, else still waiting (r_qty 0). */
  refunds: RefundDraft[];
}

const carriers = [['YTO', '圆通速递', 'YT'], ['ZTO', '中通快递', '7'], ['SF', '顺丰速运', 'SF']] as const;
const reasons = ['尺码不合适', '七天无理由', '质量问题', '发错货'] as const;

function lotsFor(prng: Prng, sku: DemoSku, fromMs: number): Lot[] {
  const shelf = sku.shelfLifeDays ?? 365;
  return [30, 90].map((age) => {
    return lotProducedOn(sku, beijingDay(fromMs - Math.min(age + prng.int(0, 9), shelf - 10) * DAY), 'R');
  });
}

/**
 * Generates after-sale returns from the catalog: for each, a 退仓单 (1–4 lines, multi-spec SKUs, batch lines with
 * batchs[] — some lines in two lots —, gifts at price 0, booked into the 销退仓 sub-warehouse or a plain warehouse)
 * and its 售后单 (same lines as 退货 with qty/r_qty, an exchange sometimes adds a 换货 line). Pure and deterministic.
 * Throws on an invalid range or count.
 */
export function generateSalesReturns(opts: SalesReturnGeneratorOptions, catalog: SalesReturnCatalog = defaultSalesReturnCatalog): GeneratedSalesReturns {
  const { fromMs, toMs } = checkedRange(opts);
  const prng = createPrng(opts.seed ?? 1);
  const statusMix: Record<AftersaleStatus, number> = opts.statusMix
    ? { Confirmed: 0, WaitConfirm: 0, Cancelled: 0, Merged: 0, ...opts.statusMix }
    : { Confirmed: 0.75, WaitConfirm: 0.2, Cancelled: 0.05, Merged: 0 };
  const batchRate = opts.batchRate ?? 0.4;
  const splitRate = opts.splitBatchRate ?? 0.4;
  const giftRate = opts.giftRate ?? 0.2;
  const exchangeRate = opts.exchangeRate ?? 0.2;
  const regular = catalog.skus.filter((s) => !s.batchManaged && s.price > 0);
  const batchSkus = catalog.skus.filter((s) => s.batchManaged);
  const gifts = catalog.skus.filter((s) => s.price === 0);
  const lots = new Map(batchSkus.map((s) => [s.skuId, lotsFor(prng, s, fromMs)]));
  const unmappedTotal = unmappedCount(opts.count, opts.unmappedRate);
  const unmappedEvery = unmappedTotal ? opts.count / unmappedTotal : Infinity;
  const startIoId = opts.startIoId ?? 3_300_001;
  const startAsId = opts.startAsId ?? 900_001;

  const out: GeneratedSalesReturns = { received: [], refunds: [] };
  for (let n = 0; n < opts.count; n++) {
    const ioId = startIoId + n;
    const asId = startAsId + n;
    const status = prng.weighted(statusMix);
    const modifiedMs = modifiedBetween(prng, fromMs, toMs);
    const createdMs = modifiedMs - prng.int(2, 72) * 3600 * 1000;
    const shop = prng.pick(catalog.shops);
    const sub = catalog.subWarehouses.length && prng.chance(0.6) ? prng.pick(catalog.subWarehouses) : undefined;
    const wh = sub ? { wmsCoId: sub.wmsCoId, whId: sub.whId, name: sub.name } : { ...prng.pick(catalog.warehouses), whId: 1 };
    const carrier = prng.pick(carriers);
    const oId = 5_500_000 + n;
    const soId = `32${digits(prng, 17)}`;
    const exchange = prng.chance(exchangeRate);
    const received = status === 'Confirmed';

    const items: ReceivedItem[] = [];
    const batchs: ReceivedBatch[] = [];
    const refundItems: RefundItem[] = [];
    const used = new Set<string>();
    const addLine = (sku: DemoSku, gift: boolean): void => {
      const line = items.length + 1;
      const ioiId = ioId * 10 + line;
      const qty = gift ? 1 : prng.int(1, 3);
      const price = gift ? 0 : round2(sku.price * prng.pick([1, 1, 0.9]));
      const skuLots = lots.get(sku.skuId);
      if (skuLots) {
        const [a, b] = prng.chance(0.5) ? [skuLots[0]!, skuLots[1]!] : [skuLots[1]!, skuLots[0]!];
        const q1 = qty >= 2 && prng.chance(splitRate) ? prng.int(1, qty - 1) : qty;
        const parts: [Lot, number][] = q1 < qty ? [[a, q1], [b, qty - q1]] : [[a, qty]];
        for (const [lot, q] of parts) {
          batchs.push({ batch_no: lot.batchNo, ioi_id: ioiId, sku_id: sku.skuId, qty: q, product_date: lot.productDate, supplier_id: '0', supplier_name: null, expiration_date: lot.expirationDate });
        }
      }
      items.push({ ioi_id: String(ioiId), io_id: ioId, sku_id: sku.skuId, i_id: sku.iId, unit: sku.unit, qty, name: sku.name, properties_value: sku.properties, sale_price: price, sale_amount: round2(price * qty) });
      refundItems.push({
        asi_id: asId * 10 + line, as_id: asId, sku_id: sku.skuId, i_id: sku.iId, name: sku.name, properties_value: sku.properties,
        qty, r_qty: received ? qty : 0, defective_qty: 0, price, amount: round2(price * qty), shop_amount: round2(price * qty),
        is_gift: gift, pic: '', type: '退货', outer_oi_id: `${soId}-${line}`, sku_type: 'normal',
        receive_date: received ? formatBeijing(modifiedMs) : null, combine_sku_id: null, shop_sku_id: null, remark: null,
      });
      used.add(sku.skuId);
    };
    const lineCount = prng.int(1, 3);
    for (let l = 0; l < lineCount; l++) {
      const pool = batchSkus.length && prng.chance(batchRate) ? batchSkus : regular;
      let sku = prng.pick(pool);
      for (let tries = 0; used.has(sku.skuId) && tries < 4; tries++) sku = prng.pick(pool);
      if (!used.has(sku.skuId)) addLine(sku, false);
    }
    if (Math.floor(n / unmappedEvery) !== Math.floor((n + 1) / unmappedEvery) && catalog.unmappedSkus.length) addLine(prng.pick(catalog.unmappedSkus), false);
    if (gifts.length && prng.chance(giftRate)) addLine(prng.pick(gifts), true);
    if (exchange) {
      const swap = prng.pick(regular);
      refundItems.push({
        asi_id: asId * 10 + refundItems.length + 1, as_id: asId, sku_id: swap.skuId, i_id: swap.iId, name: swap.name, properties_value: swap.properties,
        qty: 1, r_qty: 0, defective_qty: 0, price: swap.price, amount: swap.price, shop_amount: swap.price, is_gift: false, pic: '',
        type: '换货', outer_oi_id: `${soId}-x`, sku_type: 'normal', receive_date: null, combine_sku_id: null, shop_sku_id: null, remark: null,
      });
    }
    const type = exchange ? '换货' : '普通退货';
    const lId = `${carrier[2]}${digits(prng, 12)}`;
    out.received.push({
      io_id: ioId, o_id: oId, so_id: soId, as_id: asId, l_id: lId, lc_id: carrier[0], logistics_company: carrier[1],
      creator: 1001, creator_name: '仓管A', io_date: formatBeijing(received ? modifiedMs : createdMs), warehouse: wh.name,
      modified: formatBeijing(modifiedMs), shop_id: shop.shopId, aftersale_remark: '', status, wh_id: wh.whId, wms_co_id: wh.wmsCoId,
      drp_co_name: null, drp_co_id_to: null, type, items, batchs, sns: [],
    });
    const refundTotal = round2(refundItems.filter((i) => i.type === '退货').reduce((s, i) => s + i.amount, 0));
    out.refunds.push({
      as_id: asId, as_date: formatBeijing(createdMs), outer_as_id: `AS${digits(prng, 12)}`, o_id: oId, so_id: soId, type,
      created: formatBeijing(createdMs), modified: formatBeijing(modifiedMs),
      status: received ? 'Confirmed' : status === 'Cancelled' ? 'Cancelled' : 'WaitConfirm',
      shop_status: received ? (exchange ? 'EXCHANGE_SELLER_DELIVERY' : 'SUCCESS') : 'WAIT_SELLER_CONFIRM_GOODS',
      remark: '', question_type: prng.pick(reasons), warehouse: wh.name, refund: exchange ? 0 : refundTotal, payment: 0, free_amount: 0,
      good_status: received ? 'SELLER_RECEIVED' : 'BUYER_RETURNED_GOODS', shop_id: shop.shopId, shop_name: shop.name,
      logistics_company: carrier[1], l_id: lId, wh_id: wh.whId, wms_co_id: wh.wmsCoId,
      confirm_date: received ? formatBeijing(modifiedMs) : null, freight: 0, currency: 'CNY',
      items: refundItems, batchs: batchs.map((b) => ({ batch_no: b.batch_no, sku_id: b.sku_id, qty: b.qty, product_date: b.product_date, supplier_id: 0, supplier_name: null, expiration_date: b.expiration_date })),
      sns: [], images: [],
    });
  }
  return out;
}
