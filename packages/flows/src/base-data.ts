import type { Mappings, ShopMapping, SkuMapping, SupplierMapping, WarehouseMapping } from '@sync/config';
import { PermanentError } from '@sync/errors';

/**
 * Mapping lookups (JST ids → Kingdee base-data numbers) shared by every flow. Pure: they read the mapping
 * tables from the flow context and throw PermanentError UNMAPPED_BASE_DATA with a message that names the
 * flow, the JST document, the missing key and the config path to add; `details.field` is that path.
 */

/** Names the document in messages, e.g. `sales-outbound 出库单 io_id=2081234`. */
export interface DocLabel {
  flow: string;
  docId: string;
  /** How the document is named in messages, e.g. `出库单 io_id=2081234`. */
  text: string;
}

function own<T>(table: Record<string, T>, key: string): T | undefined {
  return Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;
}

function unmapped(doc: DocLabel, what: string, field: string, hint: string): PermanentError {
  return new PermanentError(
    'UNMAPPED_BASE_DATA',
    `${doc.flow} ${doc.text}: ${what} is not mapped (add ${field}${hint} to the config file)`,
    { flow: doc.flow, docId: doc.docId, field },
  );
}

/** True when the bare warehouse entry books the virtual warehouse `whId` too (its `coversSubWarehouses`). */
function covers(entry: WarehouseMapping, whId: string): boolean {
  const c = entry.coversSubWarehouses;
  return c === true || (Array.isArray(c) && c.some((id) => String(id) === whId));
}

/**
 * The Kingdee stock of a JST warehouse. Without a virtual warehouse id (absent, empty or 0): `<wms_co_id>`. With one: `<wms_co_id>/<wh_id>`,
 * else `<wms_co_id>` only when that entry's `coversSubWarehouses` is true or lists the wh_id — never silently.
 * Throws UNMAPPED_BASE_DATA naming the missing key and how to allow the fallback.
 */
export function lookupWarehouse(mappings: Mappings, wmsCoId: string, doc: DocLabel, whId?: string): WarehouseMapping {
  const bare = own(mappings.warehouses, wmsCoId);
  // wh_id 0 is JST's "none" (as in lock_wh_id: 0), like an absent one.
  if (whId === undefined || whId === '' || whId === '0') {
    if (bare) return bare;
    throw unmapped(doc, `warehouse wms_co_id=${wmsCoId}`, `mappings.warehouses."${wmsCoId}"`, ' with stock and stockOrg');
  }
  const key = `${wmsCoId}/${whId}`;
  const specific = own(mappings.warehouses, key);
  if (specific) return specific;
  if (bare && covers(bare, whId)) return bare;
  if (!bare) {
    const hint = ` with stock, stockOrg and coversSubWarehouses: [${whId}] (or mappings.warehouses."${key}" for wh_id ${whId} alone)`;
    throw unmapped(doc, `warehouse wms_co_id=${wmsCoId}`, `mappings.warehouses."${wmsCoId}"`, hint);
  }
  const hint = ` with stock and stockOrg, or let mappings.warehouses."${wmsCoId}" book it with coversSubWarehouses: [${whId}] (true = every wh_id),`;
  throw unmapped(doc, `warehouse wms_co_id=${wmsCoId} wh_id=${whId}`, `mappings.warehouses."${key}"`, hint);
}

/** The Kingdee location of a JST bin in a mapped warehouse: the bins table, else the same code. */
export function resolveBin(warehouse: WarehouseMapping, jstBin: string): string {
  return own(warehouse.bins ?? {}, jstBin) ?? jstBin;
}

/** `{ <binFlexKey>: { FNumber } }` for a line's bin, or undefined when the stock has no bins or JST gives none. */
export function binRef(warehouse: WarehouseMapping, jstBin: string | undefined | null, flexKey = warehouse.binFlexKey): Record<string, { FNumber: string }> | undefined {
  if (!flexKey || !jstBin) return undefined;
  return { [flexKey]: { FNumber: resolveBin(warehouse, jstBin) } };
}

/** The Kingdee supplier of a JST supplier (by id, else by name). Throws UNMAPPED_BASE_DATA when unlisted. */
export function lookupSupplier(mappings: Mappings, supplierId: string | undefined, doc: DocLabel, supplierName?: string): SupplierMapping {
  const byId = supplierId ? own(mappings.suppliers, supplierId) : undefined;
  if (byId) return byId;
  const byName = supplierName ? own(mappings.suppliers, supplierName) : undefined;
  if (byName) return byName;
  const key = supplierId || supplierName || '';
  const name = supplierName && supplierId ? ` (${supplierName})` : '';
  throw unmapped(doc, `supplier ${supplierId ? `supplier_id=${supplierId}` : `"${supplierName ?? ''}"`}${name}`, `mappings.suppliers."${key}"`, ' with supplier');
}

/** The Kingdee customer and sale organisation of a JST shop (shop_id). Throws UNMAPPED_BASE_DATA when unlisted. */
export function lookupShop(mappings: Mappings, shopId: string, doc: DocLabel, shopName?: string): ShopMapping {
  const found = own(mappings.shops, shopId);
  if (found) return found;
  const name = shopName ? ` (${shopName})` : '';
  throw unmapped(doc, `shop shop_id=${shopId}${name}`, `mappings.shops."${shopId}"`, ' with customer and saleOrg');
}

/**
 * The Kingdee material of a JST SKU. Mode `identity`: an unlisted SKU maps to the material with the same
 * number. Mode `table`: an unlisted SKU throws UNMAPPED_BASE_DATA.
 */
export function lookupSku(mappings: Mappings, skuId: string, doc: DocLabel, where = ''): SkuMapping {
  const found = own(mappings.skus.map, skuId);
  if (found) return found;
  if (mappings.skus.mode === 'identity') return { material: skuId };
  const at = where ? `${where} ` : '';
  throw unmapped(doc, `${at}SKU sku_id=${skuId}`, `mappings.skus.map."${skuId}"`, ' with its material (mappings.skus.mode is table)');
}

/**
 * Kingdee unit number: the SKU mapping's unit, else the JST unit name looked up in `defaults.units`, else — when JST
 * names no unit — `defaults.unit`. A JST unit name missing from `defaults.units` falls back to `defaults.unit` only
 * with `defaults.unmappedUnitsUseDefault: true` (a 箱 booked as Pcs would be a silent quantity error).
 * @throws PermanentError UNMAPPED_BASE_DATA naming `mappings.defaults.units."<name>"`.
 */
export function resolveUnit(mappings: Mappings, sku: SkuMapping, jstUnit: string | undefined | null, doc: DocLabel): string {
  if (sku.unit) return sku.unit;
  const name = jstUnit?.trim();
  if (!name) return mappings.defaults.unit;
  const byName = own(mappings.defaults.units, name);
  if (byName) return byName;
  if (mappings.defaults.unmappedUnitsUseDefault) return mappings.defaults.unit;
  throw unmapped(
    doc,
    `JST unit "${name}" (material ${sku.material})`,
    `mappings.defaults.units."${name}"`,
    ` with its Kingdee unit number, or a unit on the SKU mapping, or allow mappings.defaults.unmappedUnitsUseDefault: true`,
  );
}

/** `{ "FAUXPROPID__FF100001": { FNumber: "RED" } }` from a SKU mapping's auxProps, or undefined when it has none. */
export function auxPropsRef(sku: SkuMapping): Record<string, { FNumber: string }> | undefined {
  const entries = Object.entries(sku.auxProps ?? {});
  if (!entries.length) return undefined;
  return Object.fromEntries(entries.map(([flexKey, value]) => [flexKey, { FNumber: value }]));
}
