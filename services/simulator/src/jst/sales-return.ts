import type { SkuColumns } from './jst-rows';

/**
 * The after-sale documents of reference §5, field names written from the reference independently of the
 * client's schema: 退仓单 (`/open/aftersale/received/query`, §5.2, keyed by io_id) and 售后单
 * (`/open/refund/single/query`, §5.1, keyed by as_id).
 */

/** Store kind, endpoint and id key of 退仓单 (goods received back). */
export const AFTERSALE_RECEIVED_KIND = 'aftersale-received';
export const AFTERSALE_RECEIVED_PATH = '/open/aftersale/received/query';
export const AFTERSALE_RECEIVED_ID_KEY = 'io_id';

/** Store kind, endpoint and id key of 售后单 (after-sale requests). */
export const REFUND_KIND = 'refund';
export const REFUND_PATH = '/open/refund/single/query';
export const REFUND_ID_KEY = 'as_id';

/** Status of both documents: WaitConfirm 待确认, Confirmed 已确认, Cancelled 作废, Merged 被合并. */
export const AFTERSALE_STATUSES = ['WaitConfirm', 'Confirmed', 'Cancelled', 'Merged'] as const;
export type AftersaleStatus = (typeof AFTERSALE_STATUSES)[number];

export const GOOD_STATUSES = ['BUYER_NOT_RECEIVED', 'BUYER_RECEIVED', 'BUYER_RETURNED_GOODS', 'SELLER_RECEIVED'] as const;
export type GoodStatus = (typeof GOOD_STATUSES)[number];

export interface ReceivedItem extends SkuColumns {
  /** String in IEU. */
  ioi_id: string;
  io_id: number;
  unit: string;
  qty: number;
  sale_price: number;
  sale_amount: number;
}

export interface ReceivedBatch {
  batch_no: string;
  ioi_id: number;
  sku_id: string;
  qty: number;
  product_date: string;
  /** String in IEU. */
  supplier_id: string;
  supplier_name: string | null;
  expiration_date: string;
}

/** 退仓单 before the store stamps its `ts`. */
export interface ReceivedDraft {
  io_id: number;
  o_id: number;
  so_id: string;
  as_id: number;
  l_id: string;
  lc_id: string;
  logistics_company: string;
  creator: number;
  creator_name: string;
  io_date: string;
  warehouse: string;
  modified: string;
  shop_id: number;
  aftersale_remark: string;
  status: AftersaleStatus;
  /** 1 主仓, 2 销退仓, 3 进货仓, 4 次品仓. */
  wh_id: number;
  wms_co_id: number;
  drp_co_name: string | null;
  drp_co_id_to: number | null;
  type: string;
  items: ReceivedItem[];
  batchs: ReceivedBatch[];
  sns: { sku_id: string; sn: string }[];
}

export interface RefundItem extends SkuColumns {
  asi_id: number;
  as_id: number;
  /** Requested. */
  qty: number;
  /** Actually received. */
  r_qty: number;
  defective_qty: number;
  price: number;
  amount: number;
  shop_amount: number;
  is_gift: boolean;
  pic: string;
  /** 退货 / 换货 / 补发 / 其它. */
  type: string;
  outer_oi_id: string;
  sku_type: string;
  receive_date: string | null;
  combine_sku_id: string | null;
  shop_sku_id: string | null;
  remark: string | null;
}

export interface RefundBatch {
  batch_no: string;
  sku_id: string;
  qty: number;
  product_date: string;
  supplier_id: number;
  supplier_name: string | null;
  expiration_date: string;
}

/** 售后单 before the store stamps its `ts` (rendered as a String by the endpoint, as IEU types it). */
export interface RefundDraft {
  as_id: number;
  as_date: string;
  outer_as_id: string;
  o_id: number;
  so_id: string;
  type: string;
  created: string;
  modified: string;
  status: AftersaleStatus;
  shop_status: string;
  remark: string;
  question_type: string;
  warehouse: string;
  refund: number;
  payment: number;
  free_amount: number;
  good_status: GoodStatus;
  shop_id: number;
  shop_name: string;
  logistics_company: string;
  l_id: string;
  wh_id: number;
  wms_co_id: number;
  confirm_date: string | null;
  freight: number;
  currency: string;
  items: RefundItem[];
  batchs: RefundBatch[];
  sns: { sku_id: string; sn: string }[];
  images: { key: string; domain: string }[];
}
