import type { DocumentFlowSettings, Mappings, WarehouseMapping } from '@sync/config';
import { auxPropsRef, lineLocation, lookupSku, resolveUnit, type DocLabel } from './base-data';
import { lotFields, splitLineByBatch, type BatchedLine, type LineBatch } from './batch-lines';
import type { SalReturnStockEntry } from './sal-returnstock.model';
import type { SalesReturnDoc } from './sales-return.source';

/** One returned JST line in the shape both sources share: the received quantity, never the requested one. */
export interface ReturnLine extends BatchedLine {
  /** How the line is named in messages (`line ioi_id=55120`, `line asi_id=7`, `line #2`). */
  label: string;
  unit?: string;
  /** Tax-inclusive unit price. */
  price?: number;
  isGift: boolean;
  /** FThirdEntryId: the JST line id. */
  entryId?: string;
}

/** Refund lines of these types bring goods back; 换货 / 补发 lines are goods going out, 其它 is not stock. */
const RETURNED_LINE_TYPES = new Set(['退货']);

/**
 * The returned lines of a document and the lines left out with why. Received (退仓单): every line, qty as received,
 * a price of 0 marks a gift. Refund (售后单): 退货 lines (or untyped) with r_qty as the quantity; its batches carry
 * no line id, so they match lines by sku_id. Pure.
 */
export function returnLines(doc: SalesReturnDoc): { lines: ReturnLine[]; notes: string[] } {
  const notes: string[] = [];
  if (doc.source === 'received') {
    const lines = doc.items.map((item, i): ReturnLine => ({
      ioi_id: item.ioi_id,
      sku_id: item.sku_id,
      qty: item.qty,
      label: item.ioi_id !== undefined ? `line ioi_id=${item.ioi_id}` : `line #${i + 1}`,
      unit: item.unit,
      price: item.sale_price,
      isGift: item.sale_price === 0,
      entryId: item.ioi_id !== undefined ? String(item.ioi_id) : undefined,
    }));
    return { lines, notes };
  }
  const lines: ReturnLine[] = [];
  doc.items.forEach((item, i) => {
    const label = item.asi_id !== undefined ? `line asi_id=${item.asi_id}` : `line #${i + 1}`;
    if (item.type !== undefined && !RETURNED_LINE_TYPES.has(item.type)) {
      notes.push(`${label} (sku_id=${item.sku_id}) is a ${item.type} line, not returned goods: not sent`);
      return;
    }
    lines.push({
      sku_id: item.sku_id,
      qty: item.r_qty,
      label,
      unit: item.unit,
      price: item.price,
      isGift: item.is_gift,
      entryId: item.asi_id !== undefined ? String(item.asi_id) : undefined,
    });
  });
  return { lines, notes };
}

/**
 * The SAL_RETURNSTOCK entries (FEntity): one per returned line, or one per batch of a line, with positive
 * quantities. Zero-quantity lines are left out and described in `notes`. Pure.
 * @throws PermanentError UNMAPPED_BASE_DATA for an unmapped SKU (table mode), INVALID_SOURCE_DOCUMENT when a
 *   line's batch quantities do not add up.
 */
export function salesReturnEntries(
  lines: readonly ReturnLine[],
  batchs: readonly LineBatch[],
  stock: WarehouseMapping,
  settings: DocumentFlowSettings & { returnType: string; taxRate: number },
  mappings: Mappings,
  who: DocLabel,
): { entries: SalReturnStockEntry[]; notes: string[] } {
  const entries: SalReturnStockEntry[] = [];
  const notes: string[] = [];
  for (const line of lines) {
    if (line.qty === 0) {
      notes.push(`${line.label} (sku_id=${line.sku_id}) has qty 0: not sent`);
      continue;
    }
    const sku = lookupSku(mappings, line.sku_id, who, line.label);
    const aux = auxPropsRef(sku);
    const location = lineLocation(mappings, stock, undefined, 'FSTOCKLOCID', who);
    const common = {
      FRowType: 'Standard' as const,
      FMaterialId: { FNumber: sku.material },
      FUnitID: { FNumber: resolveUnit(mappings, sku, line.unit, who) },
      ...(line.price !== undefined && { FTaxPrice: line.price }),
      FEntryTaxRate: settings.taxRate,
      FIsFree: line.isGift,
      FReturnType: { FNumber: settings.returnType },
      FStockId: { FNumber: stock.stock },
      ...(location && { FStocklocId: location }),
      FStockstatusId: { FNumber: settings.stockStatus },
      FOwnerTypeId: 'BD_OwnerOrg' as const,
      FOwnerId: { FNumber: stock.stockOrg },
    };
    for (const part of splitLineByBatch(line, lines, batchs, sku, who)) {
      entries.push({
        ...common,
        FRealQty: part.qty,
        ...lotFields(part),
        ...(aux && { FAuxpropId: aux }),
        ...(line.entryId !== undefined && { FThirdEntryId: line.entryId }),
      });
    }
  }
  return { entries, notes };
}
