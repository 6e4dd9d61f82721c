import type { Mappings, WarehouseMapping } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { auxPropsRef, lineLocation, lookupSku, resolveUnit, type DocLabel, type LocationRef } from './base-data';
import { splitLineByBatch } from './batch-lines';
import { jstDatePart } from './dates';
import type { OtherInOut, OtherInOutItem } from './other-inout.source';

/** One Kingdee entry's worth of a JST other in/out line, before the form's own field names are applied. */
export interface StockLine {
  material: string;
  unit: string;
  /** Positive quantity (both forms take positive quantities; the form gives the direction). */
  qty: number;
  lot?: string;
  produceDate?: string;
  expiryDate?: string;
  auxProps?: Record<string, { FNumber: string }>;
  /** Stock location (FSTOCKLOCID__…), when the stock is location-managed. */
  location?: LocationRef;
  /** Unit cost from JST (cost_price), when it has one. */
  costPrice?: number;
  /** `JST ioi_id=…` (these forms have no third-party entry field, so the JST line id goes in the entry note). */
  entryNote: string;
}

/** How a JST line is named in messages: by ioi_id, else by its position. */
export function otherLineName(item: OtherInOutItem, index: number): string {
  return item.ioi_id !== undefined ? `line ioi_id=${item.ioi_id}` : `line #${index + 1}`;
}

/** Names a document in messages, e.g. `other-inbound 其它进仓 io_id=600551`. */
export function otherDocLabel(doc: OtherInOut, flow: string): DocLabel {
  return { flow, docId: String(doc.io_id), text: `${doc.type} io_id=${doc.io_id}` };
}

/** Business date: io_date (when the goods moved), else the last change. @throws INVALID_SOURCE_DOCUMENT */
export function otherBillDate(doc: OtherInOut, who: DocLabel): string {
  const date = jstDatePart(doc.io_date) ?? jstDatePart(doc.modified);
  if (date) return date;
  throw new PermanentError('INVALID_SOURCE_DOCUMENT', `${who.flow} ${who.text}: neither io_date nor modified is a date`, {
    flow: who.flow, docId: who.docId, field: 'io_date',
  });
}

/** Header note: JST id, external number and reason, at most 255 characters. */
export function otherNote(doc: OtherInOut, title: string): string {
  const parts = [`聚水潭${title} io_id=${doc.io_id}`];
  if (doc.so_id) parts.push(`外部单号 so_id=${doc.so_id}`);
  if (doc.drop_co_name) parts.push(`类型 ${doc.drop_co_name}`);
  if (doc.remark) parts.push(doc.remark);
  const text = parts.join('; ');
  return text.length > 255 ? `${text.slice(0, 254)}…` : text;
}

/**
 * The stock lines of a JST other in/out document: one per line, or one per batch of a line (each batch with its
 * own quantity, lot and shelf-life dates). Zero-quantity lines are left out and described in `notes`. Pure.
 * @throws PermanentError UNMAPPED_BASE_DATA for an unmapped SKU (table mode), INVALID_SOURCE_DOCUMENT when a
 *   line's batch quantities do not add up to the line.
 */
export function otherInOutLines(doc: OtherInOut, mappings: Mappings, who: DocLabel, stock: WarehouseMapping): { lines: StockLine[]; notes: string[] } {
  const lines: StockLine[] = [];
  const notes: string[] = [];
  doc.items.forEach((item, index) => {
    const name = otherLineName(item, index);
    if (item.qty === 0) {
      notes.push(`${name} (sku_id=${item.sku_id}) has qty 0: not sent`);
      return;
    }
    const sku = lookupSku(mappings, item.sku_id, who, name);
    const unit = resolveUnit(mappings, sku, item.unit, who);
    const aux = auxPropsRef(sku);
    const location = lineLocation(mappings, stock, undefined, 'FSTOCKLOCID', who);
    const entryNote = item.ioi_id !== undefined ? `JST ioi_id=${item.ioi_id}` : `JST line ${index + 1}`;
    for (const part of splitLineByBatch(item, doc.items, doc.batchs, sku, who)) {
      lines.push({
        material: sku.material,
        unit,
        qty: part.qty,
        ...(part.lot !== undefined && { lot: part.lot }),
        ...(part.produceDate !== undefined && { produceDate: part.produceDate }),
        ...(part.expiryDate !== undefined && { expiryDate: part.expiryDate }),
        ...(aux && { auxProps: aux }),
        ...(location && { location }),
        ...(item.cost_price !== undefined && { costPrice: item.cost_price }),
        entryNote,
      });
    }
  });
  return { lines, notes };
}
