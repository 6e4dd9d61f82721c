import type { LineBatchColumns, LineLot, SkuColumns } from './jst-rows';

/**
 * The sales outbound document (销售出库单) as `/open/orders/out/simple/query` returns it (reference §4),
 * field names written from the reference independently of the client's schema.
 */

/** Store kind and endpoint of sales outbound documents. */
export const ORDERS_OUT_KIND = 'orders-out';
export const ORDERS_OUT_PATH = '/open/orders/out/simple/query';
export const ORDERS_OUT_ID_KEY = 'io_id';

/** Outbound statuses: WaitConfirm 待出库, Confirmed 已出库, Delete 作废, Cancelled 取消, OuterConfirming 外部发货中, Archive 归档. */
export const ORDERS_OUT_STATUSES = ['WaitConfirm', 'Confirmed', 'Delete', 'Cancelled', 'OuterConfirming', 'Archive'] as const;
export type OrdersOutStatus = (typeof ORDERS_OUT_STATUSES)[number];

export interface SalesOutboundItem extends SkuColumns, LineBatchColumns {
  ioi_id: number;
  oi_id: string;
  outer_oi_id: string;
  pic: string;
  qty: number;
  sale_price: number;
  sale_amount: number;
  sale_base_price: number;
  unit: string;
  is_gift: boolean;
  combine_sku_id: string | null;
  raw_so_id: string;
}

export interface SalesOutboundBatch extends LineLot {
  supplier_id: number;
  supplier_name: string | null;
  status: string | null;
}

export interface SalesOutboundSn {
  sku_id: string;
  sn: string;
  is_pack_sn: boolean;
  is_opened: boolean;
  pack_sn: string | null;
}

export interface SalesOutboundDoc {
  co_id: number;
  shop_id: number;
  shop_name: string;
  io_id: number;
  o_id: number;
  so_id: string;
  created: string;
  modified: string;
  status: OrdersOutStatus;
  order_type: string;
  io_date: string;
  wms_co_id: number;
  l_id: string;
  lc_id: string;
  logistics_company: string;
  pay_amount: number;
  paid_amount: number;
  free_amount: number;
  freight: number;
  weight: number;
  f_weight: number;
  labels: string;
  remark: string;
  buyer_message: string;
  receiver_state: string;
  receiver_city: string;
  receiver_district: string;
  /** Row version: unique and increasing on every change (assigned by the store). */
  ts: number;
  items: SalesOutboundItem[];
  batchs: SalesOutboundBatch[];
  sns: SalesOutboundSn[];
}

/** A generated document before the store stamps its `ts`. */
export type SalesOutboundDraft = Omit<SalesOutboundDoc, 'ts'>;
