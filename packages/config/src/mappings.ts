import { z } from 'zod';

/**
 * A Kingdee number. YAML reads an unquoted 100 as a number, and quietly turns 0100 into 100, so numbers are
 * refused with a hint instead of being converted.
 */
export const kingdeeCode = z
  .string({ error: (iss) => (typeof iss.input === 'number' ? 'expected text: quote numbers in YAML, e.g. "100"' : undefined) })
  .min(1);
const code = kingdeeCode;

/** JST warehouse (wms_co_id / sub-warehouse id, as a string key) → Kingdee stock and its organisation. */
export const warehouseMappingSchema = z.object({
  /** Kingdee stock (仓库) number, e.g. CK001. */
  stock: code,
  /** Kingdee stock organisation (库存组织) number; also the owner organisation. */
  stockOrg: code,
  /** Flex field key of the bin dimension on this stock, e.g. FSTOCKLOCID__FF100001; absent = no bins. */
  binFlexKey: z.string().optional(),
  /** JST bin (仓位) code → Kingdee stock location number; an unlisted bin keeps its own code. */
  bins: z.record(z.string(), code).optional(),
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
}).strict();
export type Mappings = z.infer<typeof mappingsSchema>;
export type WarehouseMapping = z.infer<typeof warehouseMappingSchema>;
export type ShopMapping = z.infer<typeof shopMappingSchema>;
export type SkuMapping = z.infer<typeof skuMappingSchema>;
export type SupplierMapping = z.infer<typeof supplierMappingSchema>;
