import { kingdeeCode, priceSettingsShape, type Mappings, type SkuMapping, type SupplierMapping, type WarehouseMapping } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { auxPropsRef, lineLocation, lookupSku, lookupSupplier, lookupWarehouse, resolveUnit, type DocLabel, type LocationRef } from './base-data';
import { lotFields, type ShipmentPart } from './batch-lines';
import { jstDatePart } from './dates';
import { purchaseLineParts, type PurchaseBatch, type PurchaseLine } from './purchase-lines';

/**
 * What the purchase inbound and purchase return transforms share: the header's base data and the walk over
 * lines and lots. Pure.
 */

/** Settings both purchase flows add to the shared ones. */
export const purchaseSettingsShape = {
  ...priceSettingsShape,
  /** FBusinessType of the bill: CG = 标准采购. */
  businessType: kingdeeCode.default('CG'),
  /** The bill's price time point (定价时点), required by the forms; "1" as in the reference payloads. */
  priceTimePoint: kingdeeCode.default('1'),
};

/** Business date: the date JST moved the goods (io_date), else the date it last changed the document. */
export function purchaseBillDate(doc: { io_date?: string; modified: string }, who: DocLabel): string {
  const date = jstDatePart(doc.io_date) ?? jstDatePart(doc.modified);
  if (date) return date;
  throw new PermanentError('INVALID_SOURCE_DOCUMENT', `${who.flow} ${who.text}: neither io_date nor modified is a date`, {
    flow: who.flow, docId: who.docId, field: 'io_date',
  });
}

export interface PurchaseHeader {
  stock: WarehouseMapping;
  supplier: SupplierMapping;
  /** The supplier's purchase organisation, else the stock organisation. */
  purchaseOrg: string;
  stockDept?: string;
  purchaseDept?: string;
}

/**
 * The mapped base data of a purchase document's header: stock (`<wms_co_id>/<wh_id>` first), supplier (by id,
 * else by name), purchase organisation, departments. Throws PermanentError UNMAPPED_BASE_DATA.
 */
export function purchaseHeader(
  mappings: Mappings,
  who: DocLabel,
  where: { wmsCoId: string | number; whId?: string | number },
  supplierRef: { id?: string | number | null; name?: string },
): PurchaseHeader {
  const stock = lookupWarehouse(mappings, String(where.wmsCoId), who, where.whId === undefined ? undefined : String(where.whId));
  const supplier = lookupSupplier(mappings, supplierRef.id ? String(supplierRef.id) : undefined, who, supplierRef.name);
  const { stock: stockDept, purchase: purchaseDept } = mappings.departments;
  return { stock, supplier, purchaseOrg: supplier.purchaseOrg ?? stock.stockOrg, stockDept, purchaseDept };
}

/** One line and one of its lots, with the SKU's mapping resolved. */
export interface PurchaseLinePart<I> {
  item: I;
  part: ShipmentPart;
  sku: SkuMapping;
  unit: { FNumber: string };
  aux: ReturnType<typeof auxPropsRef>;
  /** The stock location of the entry (lineLocation), when the stock is location-managed. */
  location: LocationRef | undefined;
}

/**
 * Calls `entry` for each lot of each line with a non-zero quantity (a line without lots is one part) and returns
 * the entries plus a note for each zero-quantity line. `lines` are the quantities to use (e.g. made positive),
 * index-aligned with `items`; `stock` is the header's warehouse mapping (for the entries' location).
 */
export function purchaseEntries<I extends { ioi_id?: string | number; sku_id: string; qty: number; unit?: string }, E>(
  items: readonly I[],
  lines: PurchaseLine[],
  batchs: readonly PurchaseBatch[],
  mappings: Mappings,
  who: DocLabel,
  stock: WarehouseMapping,
  entry: (p: PurchaseLinePart<I>) => E,
): { entries: E[]; notes: string[] } {
  const entries: E[] = [];
  const notes: string[] = [];
  items.forEach((item, index) => {
    const name = item.ioi_id !== undefined ? `line ioi_id=${item.ioi_id}` : `line #${index + 1}`;
    if (item.qty === 0) {
      notes.push(`${name} (sku_id=${item.sku_id}) has qty 0: not sent`);
      return;
    }
    const sku = lookupSku(mappings, item.sku_id, who, name);
    const unit = { FNumber: resolveUnit(mappings, sku, item.unit, who) };
    const aux = auxPropsRef(sku);
    const location = lineLocation(mappings, stock, undefined, 'FSTOCKLOCID', who);
    for (const part of purchaseLineParts(lines[index]!, index, lines, batchs, sku, who)) entries.push(entry({ item, part, sku, unit, aux, location }));
  });
  return { entries, notes };
}

/**
 * The entry fields both purchase forms spell alike, in the order the forms list them after the stock: the location
 * (when the stock is location-managed), the stock status, the lot with its dates, auxiliary properties, the owner.
 */
export function purchaseEntryStock(
  p: Pick<PurchaseLinePart<unknown>, 'part' | 'aux' | 'location'>,
  stock: WarehouseMapping,
  stockStatus: string,
) {
  return {
    ...(p.location && { FStockLocId: p.location }),
    FStockStatusId: { FNumber: stockStatus },
    ...lotFields(p.part),
    ...(p.aux && { FAuxPropId: p.aux }),
    FOWNERTYPEID: 'BD_OwnerOrg' as const,
    FOWNERID: { FNumber: stock.stockOrg },
  };
}
