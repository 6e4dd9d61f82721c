import { splitLocation, stockConfigKey, stockLocationRule, type Mappings, type ShopMapping, type SkuMapping, type SupplierMapping, type WarehouseMapping } from '@sync/config';
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

/** The Kingdee location code of a JST bin in a mapped warehouse: the bins table, else the same code. */
export function resolveBin(warehouse: WarehouseMapping, jstBin: string): string {
  return own(warehouse.bins ?? {}, jstBin) ?? jstBin;
}

/** The location flex field of a form's entry: 直接调拨 has a source and a destination one, the other forms one. */
export type LocationField = 'FSTOCKLOCID' | 'FSRCSTOCKLOCID' | 'FDESTSTOCKLOCID';

/** A location flex value: `{ "FSTOCKLOCID__FF100001": { FNumber: "A" }, "FSTOCKLOCID__FF100002": { FNumber: "01" } }`. */
export type LocationRef = Record<string, { FNumber: string }>;

/**
 * The stock location (仓位) of one entry in a Kingdee stock reached through a JST warehouse mapping: the JST bin
 * (translated by the warehouse's `bins`) when the line carries one, else the warehouse's default location, else
 * the stock's; split across the stock's location dimensions in order. Undefined when the stock is not
 * location-managed. Pure; the one place every flow resolves locations (reference kingdee-api.md §5).
 * @throws PermanentError UNMAPPED_BASE_DATA when the stock is location-managed and no location can be given: no
 *   bin and no default (names `mappings.stocks."<stock>".defaultLocation`), unknown dimensions (names
 *   `.locationFlex`), or a code that does not split across the dimensions.
 */
export function lineLocation(
  mappings: Mappings,
  warehouse: WarehouseMapping,
  jstBin: string | null | undefined,
  field: LocationField,
  doc: DocLabel,
  where = '',
): LocationRef | undefined {
  const rule = stockLocationRule(mappings, warehouse.stock, warehouse);
  if (!rule) return undefined;
  const at = where ? `${where}: ` : '';
  const stockText = `Kingdee stock ${warehouse.stock} is location-managed (启用仓位)`;
  if (!rule.flex) {
    const field = stockConfigKey(warehouse.stock, 'locationFlex');
    throw new PermanentError(
      'UNMAPPED_BASE_DATA',
      `${doc.flow} ${doc.text}: ${at}${stockText} but its location dimensions are not known (add ${field}, e.g. [FF100001] as BD_STOCK FFlexNumber lists them, to the config file; the worker reads them from Kingdee at start when it can)`,
      { flow: doc.flow, docId: doc.docId, field },
    );
  }
  const bin = jstBin ? jstBin.trim() : '';
  const code = bin ? resolveBin(warehouse, bin) : rule.defaultLocation;
  if (code === undefined) {
    throw unmapped(doc, `${at}${stockText} and the line has no bin: a default location`, rule.defaultKey,
      ` (e.g. "${rule.flex.length === 1 ? 'A-01' : rule.flex.map((_, i) => (i === 0 ? 'A' : '01')).join('.')}", across ${rule.flex.join(', ')})`);
  }
  const parts = splitLocation(code, rule.flex.length);
  if (!parts) {
    const origin = bin ? `JST bin "${bin}"${code !== bin ? ` (mapped to "${code}")` : ''}` : `default location "${code}"`;
    throw new PermanentError(
      'UNMAPPED_BASE_DATA',
      `${doc.flow} ${doc.text}: ${at}${origin} does not split into the ${rule.flex.length} location dimensions of stock ${warehouse.stock} (${rule.flex.join(', ')}): map it to a dotted code in the warehouse's bins (or fix ${bin ? 'the bin' : rule.defaultKey})`,
      { flow: doc.flow, docId: doc.docId, field: bin ? `bins."${bin}"` : rule.defaultKey },
    );
  }
  return Object.fromEntries(rule.flex.map((dim, i) => [`${field}__${dim}`, { FNumber: parts[i]! }]));
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
