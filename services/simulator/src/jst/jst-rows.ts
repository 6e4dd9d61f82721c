/**
 * Row pieces that several JST documents share (reference §4, §8, §9, §10: the outbound shape the other documents
 * reuse). Each document type in its own file extends these with its own columns.
 */

/** The SKU columns of a document line. */
export interface SkuColumns {
  sku_id: string;
  i_id: string;
  name: string;
  properties_value: string;
}

/** A line's batch columns: non-null only for batch-managed SKUs (the first lot when the line has several). */
export interface LineBatchColumns {
  batch_id: string | null;
  product_date: string | null;
  supplier_id: number | null;
  expiration_date: string | null;
}

/** A `batchs[]` entry keyed by the line's ioi_id. */
export interface LineLot {
  batch_no: string;
  ioi_id: number;
  sku_id: string;
  qty: number;
  product_date: string;
  expiration_date: string;
}
