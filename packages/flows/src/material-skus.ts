import type { Mappings, SkuMapping } from '@sync/config';

/** One JST SKU of a Kingdee material. */
export interface MaterialSku {
  skuId: string;
  /** Auxiliary property values (flex key → value), for multi-spec SKUs. */
  auxProps: Record<string, string>;
}

/**
 * Pure: the JST SKUs of a Kingdee material, the reverse of the SKU mapping (JST sku → material + auxProps).
 * Every `mappings.skus.map` entry whose material is `materialNumber` is one SKU (sorted by sku id, so the
 * order is stable); when none names it, the material is its own SKU (identity: sku_id = FNumber), whatever
 * the mapping mode, because in `table` mode an unlisted SKU simply cannot flow back to Kingdee yet.
 */
export function skusOfMaterial(mappings: Mappings, materialNumber: string): MaterialSku[] {
  const wanted = materialNumber.toLowerCase();
  const found = Object.entries(mappings.skus.map)
    .filter(([, m]: [string, SkuMapping]) => m.material.toLowerCase() === wanted)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([skuId, m]) => ({ skuId, auxProps: { ...(m.auxProps ?? {}) } }));
  return found.length ? found : [{ skuId: materialNumber, auxProps: {} }];
}

/**
 * Pure: the JST unit text of a Kingdee unit: the JST name that `mappings.defaults.units` maps to this unit
 * number (the reverse of the JST → Kingdee unit table), else the Kingdee unit name, else its number.
 */
export function jstUnitOf(mappings: Mappings, unitNumber: string, unitName: string): string | undefined {
  const wanted = unitNumber.toLowerCase();
  const byTable = Object.entries(mappings.defaults.units).find(([, kd]) => kd.toLowerCase() === wanted)?.[0];
  return byTable ?? (unitName || unitNumber || undefined);
}

/** Pure: a Kingdee shelf life (FExpPeriod in FExpUnit D/M/Y) in days, or undefined when there is none. */
export function shelfLifeDays(period: number, unit: string): number | undefined {
  if (!(period > 0)) return undefined;
  switch (unit.toUpperCase()) {
    case 'M':
      return Math.round(period * 30);
    case 'Y':
      return Math.round(period * 365);
    default:
      return Math.round(period);
  }
}
