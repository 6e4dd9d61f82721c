import { z } from 'zod';
import { jstDateTimeText, lenientDigits, lenientId, lenientNumber, lenientText, listOrEmpty, optionalId, optionalNumber, optionalText } from './lenient';

/**
 * One JST other in/out document (其它出入库单) as returned by `/open/other/inout/query` (reference
 * jushuitan-api.md §8). Both the other-inbound and the other-outbound flow read it; `type` says the direction
 * (其它进仓 / 其它退货 in, 其它出库 out) and quantities are positive. Lenient on number typing, strict on what the
 * transforms rely on: io_id, status, type, modified, wms_co_id, items[].sku_id and items[].qty. `ts` is
 * optional: the request accepts start_ts but the documented response has no ts (§3.3 ⚠).
 */

const quantity = lenientNumber.pipe(z.number().nonnegative('a quantity cannot be negative (other in/out quantities are positive; type gives the direction)'));

export const otherInOutItemSchema = z.object({
  /** Line id; batchs[] point at their line with it when JST sends it there. */
  ioi_id: optionalId,
  sku_id: lenientText,
  qty: quantity,
  i_id: optionalText,
  name: optionalText,
  unit: optionalText,
  properties_value: optionalText,
  cost_price: optionalNumber,
  cost_amount: optionalNumber,
  sale_price: optionalNumber,
  remark: optionalText,
  /** Batch fields on the line (batch-managed SKUs). */
  batch_id: optionalText,
  product_date: optionalText,
  expiration_date: optionalText,
  supplier_id: optionalId,
});

export const otherInOutBatchSchema = z.object({
  batch_no: lenientText,
  ioi_id: optionalId,
  sku_id: lenientText,
  qty: quantity,
  product_date: optionalText,
  expiration_date: optionalText,
});

export const otherInOutSchema = z.object({
  io_id: lenientId,
  status: lenientText,
  /** 其它进仓 · 其它退货 · 其它出库 (其它, not 其他). */
  type: lenientText,
  modified: jstDateTimeText,
  wms_co_id: lenientId,
  /** Virtual warehouse: 1 主仓, 2 销退仓, 3 进货仓, 4 次品仓 ...; maps via `<wms_co_id>/<wh_id>` when listed. */
  wh_id: optionalId,
  ts: lenientDigits.optional(),
  io_date: optionalText,
  so_id: optionalText,
  warehouse: optionalText,
  remark: optionalText,
  /** Reason text (出库类型), e.g. 样品领用. */
  drop_co_name: optionalText,
  items: listOrEmpty(otherInOutItemSchema),
  batchs: listOrEmpty(otherInOutBatchSchema),
});

export type OtherInOut = z.infer<typeof otherInOutSchema>;
export type OtherInOutItem = z.infer<typeof otherInOutItemSchema>;
export type OtherInOutBatch = z.infer<typeof otherInOutBatchSchema>;

/** The JST endpoint both flows read. */
export const OTHER_INOUT_PATH = '/open/other/inout/query';
/** How the endpoint's rows are read by id: the id field of a row and the id-list filter. */
export const OTHER_INOUT_IDS = { idField: 'io_id', idFilter: { key: 'io_ids', max: 50 } } as const;

/** JST `type` values (reference §8). */
export const OTHER_IN_TYPE = '其它进仓';
export const OTHER_RETURN_TYPE = '其它退货';
export const OTHER_OUT_TYPE = '其它出库';

/**
 * Version of an other in/out document for job ids: its `modified` time as digits (2024-05-22 14:00:03 →
 * 20240522140003), since the documented response carries no ts. Two changes within one second share a version.
 */
export function otherInOutVersion(doc: Pick<OtherInOut, 'modified'>): string {
  const digits = doc.modified.replace(/\D/g, '');
  return digits.length ? digits : doc.modified;
}
