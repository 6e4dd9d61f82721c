import type { SkuColumns } from './jst-rows';

/**
 * The purchase documents as JST returns them (reference jushuitan-api.md §6 `/open/purchasein/query` 采购入库,
 * §7 `/open/purchaseout/query` 采购退货), field names written from the reference independently of the
 * client's schemas.
 */

export const PURCHASE_IN_KIND = 'purchase-in';
export const PURCHASE_IN_PATH = '/open/purchasein/query';
export const PURCHASE_OUT_KIND = 'purchase-out';
export const PURCHASE_OUT_PATH = '/open/purchaseout/query';
export const PURCHASE_ID_KEY = 'io_id';

/** purchasein: WaitConfirm 待入库, Confirmed 已入库, Cancelled 取消, Delete 作废, Archive 归档, OuterConfirming 外部确认中. */
export const PURCHASE_IN_STATUSES = ['WaitConfirm', 'Confirmed', 'Cancelled', 'Delete', 'Archive', 'OuterConfirming'] as const;
export type PurchaseInStatus = (typeof PURCHASE_IN_STATUSES)[number];

/** purchaseout: Confirmed 生效, WaitConfirm 待审核, Creating 草拟, Archive 归档, Cancelled 作废, Confirming 已确认, OuterConfirming, Delete 取消. */
export const PURCHASE_OUT_STATUSES = ['Confirmed', 'WaitConfirm', 'Creating', 'Archive', 'Cancelled', 'Confirming', 'OuterConfirming', 'Delete'] as const;
export type PurchaseOutStatus = (typeof PURCHASE_OUT_STATUSES)[number];

/** The columns both purchase documents' lines have. */
interface PurchaseLine extends SkuColumns {
  ioi_id: number;
  io_id: number;
  qty: number;
  cost_price: number;
  cost_amount: number;
  tax_rate: number;
  remark: string;
  /** The line's lot (the first one when the line was received in several); "" without batch management. */
  batch_no: string;
}

export interface PurchaseInItem extends PurchaseLine {
  unit: string;
}

/** purchasein batchs[]: no ioi_id, matched to lines by sku_id. */
export interface PurchaseInBatch {
  batch_no: string;
  sku_id: string;
  qty: number;
  product_date: string;
  expiration_date: string;
  supplier_id: number;
  supplier_name: string;
}

export interface PurchaseInDoc {
  io_id: number;
  /** Row version, assigned by the store. */
  ts: number;
  warehouse: string;
  po_id: number;
  supplier_id: number;
  supplier_name: string;
  modified: string;
  so_id: string;
  out_io_id: number | null;
  status: PurchaseInStatus;
  io_date: string;
  /** 1 主仓, 2 销退仓, 3 进货仓, 4 次品仓. */
  wh_id: number;
  wms_co_id: number;
  remark: string;
  tax_rate: number;
  labels: string;
  archived: string | null;
  merge_so_id: string | null;
  type: string;
  creator_name: string;
  f_status: 'WaitConfirm' | 'Confirmed';
  l_id: string;
  lock_wh_id: number | null;
  lock_wh_name: string | null;
  items: PurchaseInItem[];
  batchs: PurchaseInBatch[];
  sns: { sku_id: string; sn: string }[];
}
export type PurchaseInDraft = Omit<PurchaseInDoc, 'ts'>;

export interface PurchaseOutItem extends PurchaseLine {
  co_id: number;
}

/** purchaseout batchs[]: batch_no, sku_id, qty, product_date, supplier (no expiry date in the reference). */
export interface PurchaseOutBatch {
  batch_no: string;
  sku_id: string;
  qty: number;
  product_date: string;
  supplier_id: number;
  supplier_name: string;
}

export interface PurchaseOutDoc {
  io_id: number;
  io_date: string;
  created_po_id: number | null;
  status: PurchaseOutStatus;
  so_id: string;
  f_status: 'WaitConfirm' | 'Confirmed';
  warehouse: string;
  /** The supplier's name. */
  receiver_name: string;
  receiver_mobile: string;
  receiver_state: string;
  receiver_city: string;
  receiver_district: string;
  receiver_address: string;
  wh_id: number;
  remark: string;
  modified: string;
  po_id: number;
  /** A String in IEU. */
  wms_co_id: string;
  /** The supplier id. */
  seller_id: number;
  labels: string;
  wave_id: number;
  logistics_company: string;
  free_amount: number;
  lc_id: string;
  l_id: string;
  archived: string | null;
  creator_name: string;
  lock_wh_id: number | null;
  lock_wh_name: string | null;
  out_io_id: number | null;
  items: PurchaseOutItem[];
  batchs: PurchaseOutBatch[];
  sns: { sku_id: string; sn: string }[];
}
/** Stored with a ts like every row, but served without it: purchaseout has no rowversion (reference §3.3). */
export type PurchaseOutDraft = PurchaseOutDoc;
