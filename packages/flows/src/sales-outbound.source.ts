import { z } from 'zod';
import { optionalTs, requireTsUnlessQimen, transportField } from './transport-row';
import { jstDateTimeText, lenientFlag, lenientId, lenientNumber, lenientText, listOrEmpty, nonNegativeQuantity, optionalText } from './lenient';

/**
 * One JST sales outbound document (销售出库单) as returned by `/open/orders/out/simple/query` (reference
 * jushuitan-api.md §4). Lenient on typing (ids, quantities and prices may be numbers or numeric strings;
 * null lists become []), strict on what the transform relies on: io_id, status, ts, modified, wms_co_id,
 * shop_id, items[].sku_id and items[].qty. Fields the integration does not read are dropped.
 */


export const salesOutboundItemSchema = z.object({
  /** Line id; key of the line together with io_id, and how batchs[] point at their line. */
  ioi_id: lenientId.nullish().transform((v) => v ?? undefined),
  sku_id: lenientText,
  qty: nonNegativeQuantity,
  name: optionalText,
  properties_value: optionalText,
  i_id: optionalText,
  unit: optionalText,
  /** Tax-inclusive unit price actually charged. */
  sale_price: lenientNumber.nullish().transform((v) => v ?? undefined),
  sale_amount: lenientNumber.nullish().transform((v) => v ?? undefined),
  is_gift: lenientFlag,
  /** Batch fields on the line (only when batch management is on in JST). */
  batch_id: optionalText,
  product_date: optionalText,
  expiration_date: optionalText,
});

export const salesOutboundBatchSchema = z.object({
  batch_no: lenientText,
  /** Present only with batch 2.0 and `wms.ioiid.match.skusn`; otherwise batches match lines by sku_id. */
  ioi_id: lenientId.nullish().transform((v) => v ?? undefined),
  sku_id: lenientText,
  qty: nonNegativeQuantity,
  product_date: optionalText,
  expiration_date: optionalText,
});

export const salesOutboundSchema = z.object({
  io_id: lenientId,
  status: lenientText,
  /** Row version; kept as a decimal string. Required unless the row came through Qimen (see transport-row.ts). */
  ts: optionalTs,
  _transport: transportField,
  modified: jstDateTimeText,
  wms_co_id: lenientId,
  shop_id: lenientId,
  co_id: lenientId.nullish().transform((v) => v ?? undefined),
  shop_name: optionalText,
  o_id: optionalText,
  so_id: optionalText,
  io_date: optionalText,
  l_id: optionalText,
  logistics_company: optionalText,
  items: listOrEmpty(salesOutboundItemSchema),
  batchs: listOrEmpty(salesOutboundBatchSchema),
  sns: listOrEmpty(z.object({ sku_id: optionalText, sn: optionalText })),
}).superRefine((doc, ctx) => {
  requireTsUnlessQimen(doc, ctx);
  // Batches point at their line by ioi_id: two lines with one id would make that ambiguous.
  const firstLine = new Map<number, number>();
  doc.items.forEach((item, i) => {
    if (item.ioi_id === undefined) return;
    const first = firstLine.get(item.ioi_id);
    if (first === undefined) firstLine.set(item.ioi_id, i);
    else ctx.addIssue({ code: 'custom', path: ['items', i, 'ioi_id'], message: `line ioi_id ${item.ioi_id} is used twice (lines ${first} and ${i})` });
  });
});

export type SalesOutbound = z.infer<typeof salesOutboundSchema>;
export type SalesOutboundItem = z.infer<typeof salesOutboundItemSchema>;
export type SalesOutboundBatch = z.infer<typeof salesOutboundBatchSchema>;
