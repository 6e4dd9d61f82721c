import type { LineBatchColumns, LineLot, SkuColumns } from './jst-rows';

/**
 * The transfer (调拨单, `/open/allocate/query`, reference §9) and stocktake (盘点单, `/open/inventory/count/query`,
 * reference §10) documents, field names written from the reference independently of the client's schemas.
 */

/** Store kind, endpoint and id field of transfer documents. */
export const ALLOCATE_KIND = 'allocate';
export const ALLOCATE_PATH = '/open/allocate/query';
export const ALLOCATE_ID_KEY = 'io_id';
/** Creating 待确认, Confirmed 调拨中/完成, Picking 拣货中, OuterConfirming 外部确认中, Cancelled 取消, Confirming 确认. */
export const ALLOCATE_STATUSES = ['Creating', 'Confirmed', 'Picking', 'OuterConfirming', 'Cancelled', 'Confirming'] as const;
export type AllocateStatus = (typeof ALLOCATE_STATUSES)[number];
export const ALLOCATE_TYPES = ['调拨出', '调拨入'] as const;
export type AllocateType = (typeof ALLOCATE_TYPES)[number];

/** Store kind, endpoint and id field of stocktake documents. */
export const INVENTORY_COUNT_KIND = 'inventory-count';
export const INVENTORY_COUNT_PATH = '/open/inventory/count/query';
export const INVENTORY_COUNT_ID_KEY = 'io_id';
/** WaitConfirm 待确认, Confirmed 生效, Archive 归档, Cancelled 取消, Delete 作废. */
export const INVENTORY_COUNT_STATUSES = ['WaitConfirm', 'Confirmed', 'Archive', 'Cancelled', 'Delete'] as const;
export type InventoryCountStatus = (typeof INVENTORY_COUNT_STATUSES)[number];

/**
 * A `batchs[]` entry of either document (the reference lists batchs[] without its fields; outbound's shape is used).
 * `qty` is the moved quantity on a transfer, the signed difference of this lot on a stocktake.
 */
export type InventoryBatch = LineLot;

export interface AllocateItem extends SkuColumns, LineBatchColumns {
  io_id: number;
  ioi_id: number;
  qty: number;
  /** 点数 (counted). */
  r_qty: number;
}

export interface AllocateDraft {
  io_id: number;
  co_id: number;
  /** 调拨出: the sender; 调拨入: the receiver. */
  wms_co_id: number;
  link_wms_co_id: number;
  io_date: string;
  modified: string;
  status: AllocateStatus;
  warehouse: string;
  link_warehouse: string;
  f_status: string;
  type: AllocateType;
  /** From-warehouse (virtual) id, 1–4. */
  wh_id: number;
  /** To-warehouse (virtual) id. */
  link_wh_id: number;
  link_io_id: number | null;
  so_id: string | null;
  wave_id: number;
  remark: string;
  creator_name: string;
  lock_wh_id: number;
  lock_link_wh_id: number;
  out_io_id: number | null;
  labels: string[];
  receiver_name_en: string | null;
  receiver_mobile_en: string | null;
  receiver_state: string | null;
  receiver_city: string | null;
  receiver_district: string | null;
  receiver_address: string | null;
  l_id: string | null;
  lc_id: string | null;
  logistics_company: string | null;
  unit: string | null;
  items: AllocateItem[];
  batchs: InventoryBatch[];
  sns: Array<{ sku_id: string; sn: string }>;
}

export interface InventoryCountItem extends SkuColumns, LineBatchColumns {
  io_id: number;
  ioi_id: number;
  /** Quantity after the count (盘点后数量). */
  r_qty: number;
  /** Signed gain (+) / loss (−) (盈亏数量). */
  qty: number;
}

export interface InventoryCountDraft {
  type: string;
  io_id: number;
  io_date: string;
  status: InventoryCountStatus;
  warehouse: string;
  creator_name: string;
  remark: string;
  wh_id: number;
  wms_co_id: number;
  modified: string;
  f_status: string;
  lock_wh_id: number;
  lock_wh_name: string | null;
  labels: string[];
  items: InventoryCountItem[];
  batchs: InventoryBatch[];
  sns: Array<{ sku_id: string; sn: string }>;
}
