import type { DocumentFlowSettings, Mappings, WarehouseMapping } from '@sync/config';
import { auxPropsRef, lineLocation, lookupSku, resolveUnit, type DocLabel } from './base-data';
import { lotFields, splitLineByBatch } from './batch-lines';
import type { SalOutStockEntry } from './sal-outstock.model';
import type { SalesOutbound, SalesOutboundItem } from './sales-outbound.source';

/** How a JST outbound line is named in messages: by ioi_id, else by its position. */
export function lineName(item: SalesOutboundItem, index: number): string {
  return item.ioi_id !== undefined ? `line ioi_id=${item.ioi_id}` : `line #${index + 1}`;
}

/**
 * The SAL_OUTSTOCK entries (FEntity) of a JST outbound: one per line, or one per shipped batch of a line.
 * Zero-quantity lines are left out and described in `notes`. Pure.
 * @throws PermanentError UNMAPPED_BASE_DATA for an unmapped SKU (table mode), INVALID_SOURCE_DOCUMENT when
 *   a line's batch quantities do not add up.
 */
export function salesOutboundEntries(
  doc: SalesOutbound,
  stock: WarehouseMapping,
  settings: DocumentFlowSettings & { taxRate: number },
  mappings: Mappings,
  who: DocLabel,
): { entries: SalOutStockEntry[]; notes: string[] } {
  const entries: SalOutStockEntry[] = [];
  const notes: string[] = [];
  doc.items.forEach((item, index) => {
    if (item.qty === 0) {
      notes.push(`${lineName(item, index)} (sku_id=${item.sku_id}) has qty 0: not sent`);
      return;
    }
    const sku = lookupSku(mappings, item.sku_id, who, lineName(item, index));
    const location = lineLocation(mappings, stock, undefined, 'FSTOCKLOCID', who);
    const common = {
      FRowType: 'Standard' as const,
      FMaterialID: { FNumber: sku.material },
      FUnitID: { FNumber: resolveUnit(mappings, sku, item.unit, who) },
      ...(item.sale_price !== undefined && { FTaxPrice: item.sale_price }),
      FEntryTaxRate: settings.taxRate,
      FIsFree: item.is_gift,
      FStockID: { FNumber: stock.stock },
      ...(location && { FStockLocID: location }),
      FStockStatusID: { FNumber: settings.stockStatus },
      FOwnerTypeID: 'BD_OwnerOrg' as const,
      FOwnerID: { FNumber: stock.stockOrg },
      FKeeperTypeID: 'BD_KeeperOrg' as const,
      FKeeperID: { FNumber: stock.stockOrg },
    };
    const aux = auxPropsRef(sku);
    for (const part of splitLineByBatch(item, doc.items, doc.batchs, sku, who)) {
      entries.push({
        ...common,
        FRealQty: part.qty,
        ...lotFields(part),
        ...(aux && { FAuxPropId: aux }),
        ...(item.ioi_id !== undefined && { FThirdEntryId: String(item.ioi_id) }),
      });
    }
  });
  return { entries, notes };
}
