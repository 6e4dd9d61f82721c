import type { SkuMapping } from '@sync/config';
import { PermanentError } from '@sync/errors';
import type { DocLabel } from './base-data';
import { sentParts, type ShipmentPart } from './batch-lines';
import { jstDatePart } from './dates';

/** The fields of a JST purchase line (purchasein / purchaseout `items[]`) that lot splitting reads. */
export interface PurchaseLine {
  ioi_id?: number;
  sku_id: string;
  /** Quantity as Kingdee gets it (non-negative; the caller normalises the sign). */
  qty: number;
  /** The line's own lot (`batch_no`), when JST batch management is on. */
  batch_no?: string;
}

/** A purchase `batchs[]` entry: these carry no ioi_id, so they are matched to lines by SKU (and lot). */
export interface PurchaseBatch {
  batch_no: string;
  sku_id: string;
  qty: number;
  product_date?: string;
  expiration_date?: string;
}

function lineName(line: PurchaseLine, index: number): string {
  return line.ioi_id !== undefined ? `line ioi_id=${line.ioi_id}` : `line #${index + 1}`;
}

/**
 * Splits one JST purchase line into Kingdee entries, one per lot. The lots of a line are the `batchs[]` entries
 * with its SKU when no other non-zero line has that SKU; otherwise (same SKU on several lines) the entry whose
 * batch_no equals the line's batch_no gives the dates and the line keeps its own quantity; with no batch entry
 * at all the line's own batch_no is used. Lots are dropped for SKUs mapped `batchManaged: false`, dates for
 * `shelfLifeManaged: false`. Pure.
 * @throws PermanentError INVALID_SOURCE_DOCUMENT when a line's lot quantities do not add up to the line qty.
 */
export function purchaseLineParts(
  line: PurchaseLine,
  index: number,
  lines: readonly PurchaseLine[],
  batchs: readonly PurchaseBatch[],
  sku: SkuMapping,
  doc: DocLabel,
): ShipmentPart[] {
  if (sku.batchManaged === false) return [{ qty: line.qty }];
  const ofSku = batchs.filter((b) => b.sku_id === line.sku_id);
  const linesWithSku = lines.filter((l) => l.sku_id === line.sku_id && l.qty !== 0).length;
  let parts: ShipmentPart[];
  if (ofSku.length && linesWithSku === 1) {
    const total = ofSku.reduce((sum, b) => sum + Math.abs(b.qty), 0);
    if (Math.abs(total - line.qty) > 1e-9) {
      const list = ofSku.map((b) => `${b.batch_no}×${Math.abs(b.qty)}`).join(', ');
      throw new PermanentError(
        'INVALID_SOURCE_DOCUMENT',
        `${doc.flow} ${doc.text}: ${lineName(line, index)} (sku_id=${line.sku_id}) has qty ${line.qty} but its batches add up to ${total} (${list})`,
        { flow: doc.flow, docId: doc.docId, field: 'batchs', ioiId: line.ioi_id, lineQty: line.qty, batchQty: total },
      );
    }
    parts = ofSku
      .filter((b) => b.qty !== 0)
      .map((b) => ({ qty: Math.abs(b.qty), lot: b.batch_no, produceDate: jstDatePart(b.product_date), expiryDate: jstDatePart(b.expiration_date) }));
  } else {
    const own = line.batch_no ? ofSku.find((b) => b.batch_no === line.batch_no) : undefined;
    parts = [{ qty: line.qty, lot: line.batch_no, produceDate: jstDatePart(own?.product_date), expiryDate: jstDatePart(own?.expiration_date) }];
  }
  return sentParts(parts, sku);
}

/** `yyyyMMddHHmmss` of a JST datetime: a version without blanks or colons, for window-mode flows. */
export function compactJstTime(text: string): string {
  const digits = text.replace(/\D/g, '');
  return digits.length ? digits : text;
}
