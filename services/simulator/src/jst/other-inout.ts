import type { LineBatchColumns, LineLot, SkuColumns } from './jst-rows';

/**
 * The other in/out document (其它出入库单) as `/open/other/inout/query` returns it (reference jushuitan-api.md
 * §8), field names written from the reference independently of the client's schema. Quantities are positive;
 * `type` gives the direction.
 */

/** Store kind and endpoint of other in/out documents. */
export const OTHER_INOUT_KIND = 'other-inout';
export const OTHER_INOUT_PATH = '/open/other/inout/query';
export const OTHER_INOUT_ID_KEY = 'io_id';

/** Statuses: Confirmed 生效, WaitConfirm 待审核, OuterConfirming 外部确认中, Cancelled 取消 (after effect), Delete 作废. */
export const OTHER_INOUT_STATUSES = ['Confirmed', 'WaitConfirm', 'OuterConfirming', 'Cancelled', 'Delete'] as const;
export type OtherInOutStatus = (typeof OTHER_INOUT_STATUSES)[number];

/** Types (其它, not 其他): 其它出库 out, 其它进仓 in, 其它退货 (what the upload API creates for type=in). */
export const OTHER_INOUT_TYPES = ['其它出库', '其它进仓', '其它退货'] as const;
export type OtherInOutType = (typeof OTHER_INOUT_TYPES)[number];

export interface OtherInOutItem extends SkuColumns, LineBatchColumns {
  ioi_id: number;
  io_id: number;
  unit: string;
  qty: number;
  cost_price: number;
  cost_amount: number;
  sale_price: number;
  sale_amount: number;
  remark: string;
}

export type OtherInOutBatch = LineLot;

export interface OtherInOutDoc {
  io_id: number;
  io_date: string;
  status: OtherInOutStatus;
  so_id: string;
  type: OtherInOutType;
  f_status: 'WaitConfirm' | 'Confirmed';
  warehouse: string;
  receiver_name: string | null;
  receiver_mobile: string | null;
  wh_id: number;
  remark: string;
  modified: string;
  created: string;
  labels: string;
  wms_co_id: number;
  creator_name: string;
  wave_id: number;
  drop_co_name: string | null;
  inout_user: string | null;
  l_id: string | null;
  lc_id: string | null;
  logistics_company: string | null;
  lock_wh_id: number | null;
  lock_wh_name: string | null;
  items: OtherInOutItem[];
  batchs: OtherInOutBatch[];
  sns: { sku_id: string; sn: string }[];
}
