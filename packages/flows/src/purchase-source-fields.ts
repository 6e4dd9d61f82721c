import type { z } from 'zod';
import { jstDateTimeText, lenientId, lenientText, optionalId, optionalNumber, optionalText } from './lenient';

/**
 * zod pieces shared by the purchase document sources (采购入库 /open/purchasein/query, 采购退货
 * /open/purchaseout/query): a line, a lot and the header fields both carry. `qty` is the source's own (inbound
 * quantities are never negative; outbound ones may come with either sign).
 */

/** The fields of a line, with the source's quantity. */
export function purchaseLineShape<Qty extends z.ZodType>(qty: Qty) {
  return {
    ioi_id: optionalId,
    sku_id: lenientText,
    qty,
    i_id: optionalText,
    name: optionalText,
    properties_value: optionalText,
    unit: optionalText,
    /** Tax-inclusive unit cost; 0 on a received gift. */
    cost_price: optionalNumber,
    cost_amount: optionalNumber,
    tax_rate: optionalNumber,
    remark: optionalText,
    /** The line's lot, when batch management is on in JST. */
    batch_no: optionalText,
  };
}

/** The fields of a `batchs[]` entry (one lot of one line), with the source's quantity. */
export function purchaseBatchShape<Qty extends z.ZodType>(qty: Qty) {
  return {
    batch_no: lenientText,
    sku_id: lenientText,
    qty,
    product_date: optionalText,
    /** Not in the reference's purchaseout batch list; read when present. */
    expiration_date: optionalText,
    supplier_id: optionalId,
    supplier_name: optionalText,
  };
}

/** The header fields both purchase documents carry (the supplier fields differ: each source adds its own). */
export const purchaseHeaderShape = {
  io_id: lenientId,
  status: lenientText,
  modified: jstDateTimeText,
  io_date: optionalText,
  wms_co_id: lenientId,
  /** Virtual warehouse (1 主仓, 2 销退仓, 3 进货仓, 4 次品仓 ...); typed String by IEU, Int by real schemas. */
  wh_id: optionalId,
  warehouse: optionalText,
  po_id: optionalText,
  so_id: optionalText,
  remark: optionalText,
  f_status: optionalText,
};
