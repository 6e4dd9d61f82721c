import { z } from 'zod';
import { locationConfigIssues } from './stock-locations';

/**
 * A Kingdee number. YAML reads an unquoted 100 as a number, and quietly turns 0100 into 100, so numbers are
 * refused with a hint instead of being converted.
 */
export const kingdeeCode = z
  .string({ error: (iss) => (typeof iss.input === 'number' ? 'expected text: quote numbers in YAML, e.g. "100"' : undefined) })
  .min(1);
const code = kingdeeCode;

/** A flex dimension id of stock locations as BD_STOCK `FFlexNumber` lists it, e.g. FF100001. */
export const locationFlexIdSchema = z.string().regex(/^FF\d+$/, 'expected a flex id such as FF100001 (BD_STOCK FFlexNumber)');

/**
 * A Kingdee stock (仓库) and its locations (仓位): the flex dimensions its locations use and the location a line
 * gets when the JST document names no bin. Keyed by the Kingdee stock number (mappings.stocks."CK001").
 */
export const stockMappingSchema = z.object({
  /**
   * The stock's location dimensions in order (BD_STOCK FFlexNumber), e.g. [FF100001, FF100002]; [] = the stock is
   * not location-managed. Absent = read from Kingdee at worker start (or not location-managed when Kingdee lists none).
   */
  locationFlex: z.array(locationFlexIdSchema).optional(),
  /** Location of lines without a JST bin, e.g. "A.01": a dotted code is split across the dimensions in order. */
  defaultLocation: code.optional(),
}).strict();

/** JST warehouse (wms_co_id / sub-warehouse id, as a string key) → Kingdee stock and its organisation. */
export const warehouseMappingSchema = z.object({
  /** Kingdee stock (仓库) number, e.g. CK001. */
  stock: code,
  /** Kingdee stock organisation (库存组织) number; also the owner organisation. */
  stockOrg: code,
  /**
   * Older form of `mappings.stocks."<stock>".locationFlex` for a one-dimension stock: FSTOCKLOCID__FF100001 means
   * locationFlex [FF100001]. Still read; the stocks table wins and must agree.
   */
  binFlexKey: z.string().regex(/^(F[A-Z]*STOCKLOCID__)?FF\d+$/i, 'expected a flex key such as FSTOCKLOCID__FF100001').optional(),
  /** JST bin (仓位) code → Kingdee location code (dotted across the stock's dimensions); an unlisted bin keeps its own code. */
  bins: z.record(z.string(), code).optional(),
  /** Location of lines from this JST warehouse without a bin; overrides the stock's defaultLocation. */
  defaultLocation: code.optional(),
  /**
   * Only on a bare `<wms_co_id>` key: which virtual warehouses (wh_id: 1 主仓, 2 销退仓, 3 进货仓, 4 次品仓 ...)
   * without an own `<wms_co_id>/<wh_id>` entry book into this stock. `true` = all of them, a list = those wh_ids.
   * Absent = none: a document naming an unmapped wh_id fails with UNMAPPED_BASE_DATA instead of silently landing here.
   */
  coversSubWarehouses: z.union([z.boolean(), z.array(z.union([z.number().int().min(0), z.string().regex(/^\d+$/, 'expected a wh_id such as 1')])).min(1)]).optional(),
}).strict();

/** JST supplier (supplier_id as text, or the supplier name) → Kingdee supplier. */
export const supplierMappingSchema = z.object({
  supplier: code,
  /** Purchase organisation; defaults to the stock organisation of the warehouse. */
  purchaseOrg: code.optional(),
}).strict();

/** JST shop (shop_id as a string key) → Kingdee customer and sale organisation. */
export const shopMappingSchema = z.object({
  customer: code,
  saleOrg: code,
  /** Settlement organisation; defaults to saleOrg. */
  settleOrg: code.optional(),
}).strict();

/** JST SKU → Kingdee material (and optional auxiliary property values for multi-spec SKUs). */
export const skuMappingSchema = z.object({
  material: code,
  /** Unit number; defaults to `mappings.defaults.unit`. */
  unit: code.optional(),
  /** Auxiliary property values keyed by flex field key, e.g. { "FAUXPROPID__FF100001": "RED" }. */
  auxProps: z.record(z.string(), code).optional(),
  /** The material is batch managed (lot required). Unknown = send lot when JST has one. */
  batchManaged: z.boolean().optional(),
  /** The material is shelf-life managed (production and expiry dates sent). Unknown = send when JST has them. */
  shelfLifeManaged: z.boolean().optional(),
}).strict();

export const mappingsSchema = z.object({
  /**
   * Keyed by JST `wms_co_id` (分仓), or `<wms_co_id>/<wh_id>` for one of its virtual warehouses
   * (1 主仓, 2 销退仓, 3 进货仓, 4 次品仓 ...); the more specific key wins. A document naming a wh_id books into
   * the bare `<wms_co_id>` entry only when that entry's `coversSubWarehouses` says so.
   */
  warehouses: z
    .record(z.string(), warehouseMappingSchema)
    .superRefine((table, ctx) => {
      for (const [key, m] of Object.entries(table)) {
        if (key.includes('/') && m.coversSubWarehouses !== undefined) {
          ctx.addIssue({ code: 'custom', path: [key, 'coversSubWarehouses'], message: `only a bare "<wms_co_id>" entry can cover sub-warehouses ("${key}" is one itself)` });
        }
      }
    })
    .default({}),
  /** Kingdee stocks (by number) that keep stock by location: their dimensions and default location. */
  stocks: z.record(z.string(), stockMappingSchema).default({}),
  suppliers: z.record(z.string(), supplierMappingSchema).default({}),
  /** Kingdee department numbers by purpose (e.g. `purchase`, `stock`, `sale`), for forms that need one. */
  departments: z.record(z.string(), code).default({}),
  shops: z.record(z.string(), shopMappingSchema).default({}),
  skus: z
    .object({
      /** `identity`: an unlisted SKU maps to the material with the same number; `table`: an unlisted SKU is an error. */
      mode: z.enum(['identity', 'table']).default('identity'),
      map: z.record(z.string(), skuMappingSchema).default({}),
    })
    .strict()
    .default({ mode: 'identity', map: {} }),
  defaults: z
    .object({
      /** Unit number used when neither the SKU mapping nor JST names one. */
      unit: code.default('Pcs'),
      /** Map JST unit names (件, 个 ...) to Kingdee unit numbers. */
      units: z.record(z.string(), code).default({}),
      /** A JST unit name missing from `units` books as `unit` (true), or fails the document naming it (false, default). */
      unmappedUnitsUseDefault: z.boolean().default(false),
    })
    .strict()
    .default({ unit: 'Pcs', units: {}, unmappedUnitsUseDefault: false }),
}).strict().superRefine((mappings, ctx) => {
  for (const issue of locationConfigIssues(mappings)) ctx.addIssue({ code: 'custom', path: issue.path, message: issue.message });
});
export type Mappings = z.infer<typeof mappingsSchema>;
export type WarehouseMapping = z.infer<typeof warehouseMappingSchema>;
export type ShopMapping = z.infer<typeof shopMappingSchema>;
export type SkuMapping = z.infer<typeof skuMappingSchema>;
export type StockMapping = z.infer<typeof stockMappingSchema>;
export type SupplierMapping = z.infer<typeof supplierMappingSchema>;
