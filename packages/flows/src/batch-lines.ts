import type { SkuMapping } from '@sync/config';
import { PermanentError } from '@sync/errors';
import type { DocLabel } from './base-data';
import { jstDatePart } from './dates';

/** One Kingdee entry's worth of a JST line: a quantity with its lot and shelf-life dates (yyyy-MM-dd). */
export interface ShipmentPart {
  qty: number;
  lot?: string;
  produceDate?: string;
  expiryDate?: string;
}

/** The lot and shelf-life fields of one Kingdee entry (`FLot`, `FProduceDate`, `FExpiryDate`), only those JST gave. */
export function lotFields(part: ShipmentPart): { FLot?: { FNumber: string }; FProduceDate?: string; FExpiryDate?: string } {
  return {
    ...(part.lot !== undefined && { FLot: { FNumber: part.lot } }),
    ...(part.produceDate !== undefined && { FProduceDate: part.produceDate }),
    ...(part.expiryDate !== undefined && { FExpiryDate: part.expiryDate }),
  };
}

/** The JST line fields batch splitting reads (outbound, and any later flow with the same shape). */
export interface BatchedLine {
  ioi_id?: number;
  sku_id: string;
  qty: number;
  batch_id?: string;
  product_date?: string;
  expiration_date?: string;
}

/** A JST `batchs[]` entry. */
export interface LineBatch {
  batch_no: string;
  ioi_id?: number;
  sku_id: string;
  qty: number;
  product_date?: string;
  expiration_date?: string;
}

/**
 * The batches a line ships: the `batchs[]` entries with the line's ioi_id; else, when the batches carry no
 * ioi_id and the SKU is on this line only, the entries with its sku_id; else none (the caller then uses the
 * line's own batch fields).
 */
export function batchesOfLine(line: BatchedLine, lines: readonly BatchedLine[], batchs: readonly LineBatch[]): LineBatch[] {
  if (line.ioi_id !== undefined) {
    const byLine = batchs.filter((b) => b.ioi_id === line.ioi_id);
    if (byLine.length) return byLine;
  }
  const bySku = batchs.filter((b) => b.ioi_id === undefined && b.sku_id === line.sku_id);
  const linesWithSku = lines.filter((l) => l.sku_id === line.sku_id && l.qty > 0).length;
  return bySku.length && linesWithSku === 1 ? bySku : [];
}

/**
 * Splits one JST line into the parts Kingdee gets as separate entries: one per shipped batch, or the whole
 * line with its own batch fields. Lots are dropped for SKUs mapped `batchManaged: false`, dates for
 * `shelfLifeManaged: false` (unknown = send what JST gives). Pure.
 * @throws PermanentError INVALID_SOURCE_DOCUMENT when the batch quantities do not add up to the line qty.
 */
export function splitLineByBatch(
  line: BatchedLine,
  lines: readonly BatchedLine[],
  batchs: readonly LineBatch[],
  sku: SkuMapping,
  doc: DocLabel,
): ShipmentPart[] {
  if (sku.batchManaged === false) return [{ qty: line.qty }];
  const matched = batchesOfLine(line, lines, batchs);
  const parts: ShipmentPart[] = matched.length
    ? checkedBatchParts(line, matched, doc)
    : [{ qty: line.qty, lot: line.batch_id, produceDate: jstDatePart(line.product_date), expiryDate: jstDatePart(line.expiration_date) }];
  return sentParts(parts, sku);
}

function checkedBatchParts(line: BatchedLine, matched: LineBatch[], doc: DocLabel): ShipmentPart[] {
  const total = matched.reduce((sum, b) => sum + b.qty, 0);
  if (Math.abs(total - line.qty) > 1e-9) {
    const list = matched.map((b) => `${b.batch_no}×${b.qty}`).join(', ');
    throw new PermanentError(
      'INVALID_SOURCE_DOCUMENT',
      `${doc.flow} ${doc.text}: line ioi_id=${line.ioi_id ?? '?'} (sku_id=${line.sku_id}) ships qty ${line.qty} ` +
        `but its batches add up to ${total} (${list})`,
      { flow: doc.flow, docId: doc.docId, field: 'batchs', ioiId: line.ioi_id, lineQty: line.qty, batchQty: total },
    );
  }
  return matched
    .filter((b) => b.qty > 0)
    .map((b) => ({
      qty: b.qty,
      lot: b.batch_no,
      produceDate: jstDatePart(b.product_date ?? (b.batch_no === line.batch_id ? line.product_date : undefined)),
      expiryDate: jstDatePart(b.expiration_date ?? (b.batch_no === line.batch_id ? line.expiration_date : undefined)),
    }));
}

/** The parts as sent: empty lot and date values dropped, and no dates for an SKU without shelf-life management. */
export function sentParts(parts: ShipmentPart[], sku: Pick<SkuMapping, 'shelfLifeManaged'>): ShipmentPart[] {
  return parts.map((p) => withoutEmpty(sku.shelfLifeManaged === false ? { qty: p.qty, lot: p.lot } : p));
}

function withoutEmpty(part: ShipmentPart): ShipmentPart {
  const out: ShipmentPart = { qty: part.qty };
  if (part.lot) out.lot = part.lot;
  if (part.produceDate) out.produceDate = part.produceDate;
  if (part.expiryDate) out.expiryDate = part.expiryDate;
  return out;
}
