import { z } from 'zod';
import { optionalTs, requireTsUnlessQimen, transportField } from './transport-row';
import { jstDateTimeText, lenientDigits, lenientFlag, lenientId, lenientText, listOrEmpty, nonNegativeQuantity, optionalId, optionalNumber, optionalText } from './lenient';

/**
 * The two JST documents a sales return can be read from (reference jushuitan-api.md §5):
 * - `received`: 退仓单 from `/open/aftersale/received/query` (§5.2), keyed by io_id: the goods actually
 *   received back into a warehouse (the default source);
 * - `refund`: 售后单 from `/open/refund/single/query` (§5.1), keyed by as_id, with the received nonNegativeQuantity r_qty.
 * Lenient on typing (ids, quantities and ts may be numbers or numeric strings; null lists become []), strict on
 * what the transform reads. A row with an `io_id` is read as a received document, any other as a refund.
 */


/** A `batchs[]` entry of either endpoint (received batches also carry the line's ioi_id). */
export const salesReturnBatchSchema = z.object({
  batch_no: lenientText,
  ioi_id: optionalId,
  sku_id: lenientText,
  qty: nonNegativeQuantity,
  product_date: optionalText,
  expiration_date: optionalText,
  supplier_id: optionalText,
  supplier_name: optionalText,
});

/** A line of a 退仓单 (§5.2 items). `ioi_id` is a String in IEU: read as a number. */
export const receivedItemSchema = z.object({
  ioi_id: optionalId,
  sku_id: lenientText,
  qty: nonNegativeQuantity,
  i_id: optionalText,
  name: optionalText,
  properties_value: optionalText,
  unit: optionalText,
  /** Tax-inclusive unit price of the original sale. */
  sale_price: optionalNumber,
  sale_amount: optionalNumber,
});

/** 退仓单 (§5.2). */
export const receivedReturnSchema = z.object({
  source: z.literal('received'),
  io_id: lenientId,
  as_id: optionalId,
  o_id: optionalText,
  so_id: optionalText,
  status: lenientText,
  type: optionalText,
  ts: lenientDigits,
  modified: jstDateTimeText,
  io_date: optionalText,
  shop_id: lenientId,
  wms_co_id: lenientId,
  /** Virtual warehouse: 1 主仓, 2 销退仓, 3 进货仓, 4 次品仓. */
  wh_id: optionalId,
  warehouse: optionalText,
  l_id: optionalText,
  aftersale_remark: optionalText,
  items: listOrEmpty(receivedItemSchema),
  batchs: listOrEmpty(salesReturnBatchSchema),
});

/** A line of a 售后单 (§5.1 items): `qty` requested, `r_qty` actually received. */
export const refundItemSchema = z.object({
  asi_id: optionalId,
  sku_id: lenientText,
  qty: nonNegativeQuantity,
  r_qty: nonNegativeQuantity.nullish().transform((v) => v ?? 0),
  defective_qty: optionalNumber,
  i_id: optionalText,
  name: optionalText,
  properties_value: optionalText,
  unit: optionalText,
  price: optionalNumber,
  amount: optionalNumber,
  is_gift: lenientFlag,
  /** 退货 / 换货 / 补发 / 其它: only 退货 lines (and lines without a type) bring goods back. */
  type: optionalText,
  outer_oi_id: optionalText,
});

/** 售后单 (§5.1). `ts` is typed String in IEU. */
export const refundReturnSchema = z.object({
  source: z.literal('refund'),
  as_id: lenientId,
  o_id: optionalText,
  so_id: optionalText,
  outer_as_id: optionalText,
  status: lenientText,
  good_status: optionalText,
  shop_status: optionalText,
  type: optionalText,
  /** Required unless the row came through Qimen (jushuitan.refund.list.query; see transport-row.ts). */
  ts: optionalTs,
  _transport: transportField,
  modified: jstDateTimeText,
  as_date: optionalText,
  confirm_date: optionalText,
  shop_id: lenientId,
  shop_name: optionalText,
  wms_co_id: lenientId,
  wh_id: optionalId,
  l_id: optionalText,
  remark: optionalText,
  items: listOrEmpty(refundItemSchema),
  batchs: listOrEmpty(salesReturnBatchSchema),
}).superRefine(requireTsUnlessQimen);

function tagged(v: unknown): unknown {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
  const row = v as Record<string, unknown>;
  const hasIoId = row.io_id !== undefined && row.io_id !== null && row.io_id !== '';
  return { ...row, source: hasIoId ? 'received' : 'refund' };
}

/** Either source document, tagged with `source` by the presence of io_id. */
export const salesReturnSchema = z.preprocess(
  tagged,
  z.discriminatedUnion('source', [receivedReturnSchema, refundReturnSchema], { error: () => 'expected a JST after-sale document (an object)' }),
);

export type SalesReturnDoc = z.infer<typeof salesReturnSchema>;
export type ReceivedReturn = z.infer<typeof receivedReturnSchema>;
export type RefundReturn = z.infer<typeof refundReturnSchema>;
export type ReceivedItem = z.infer<typeof receivedItemSchema>;
export type RefundItem = z.infer<typeof refundItemSchema>;
export type SalesReturnBatch = z.infer<typeof salesReturnBatchSchema>;
