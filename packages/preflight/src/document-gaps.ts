import type { DocumentFlowSettings, Mappings } from '@sync/config';
import { PermanentError } from '@sync/errors';
import type { AnyDocumentFlow } from '@sync/flows';
import type { GapKind } from './facts';

/** One missing mapping key of one document. */
export interface DocumentGap {
  kind: GapKind;
  key: string;
  path: string;
  /** SKUs: JST's name and barcode of the SKU when the document carries them. */
  name?: string;
  barcode?: string;
}

const GAP_PATH = /^mappings\.(skus\.map|warehouses|shops|suppliers|departments|defaults\.units)\."(.*)"$/;
const kindOfTable: Record<string, GapKind> = {
  'skus.map': 'sku', warehouses: 'warehouse', shops: 'shop', suppliers: 'supplier', departments: 'department', 'defaults.units': 'unit',
};
/** Bound on transform replays per document (each finds one more gap). */
const MAX_REPLAYS = 200;

/**
 * The mappings with a stand-in for the key the transform missed, so the next replay runs past it. Copies only the
 * table it changes (documents are many, gaps are few: the mappings are never cloned whole).
 */
function withStandIn(m: Mappings, kind: GapKind, key: string): Mappings {
  if (kind === 'sku') return { ...m, skus: { ...m.skus, map: { ...m.skus.map, [key]: { material: key } } } };
  if (kind === 'warehouse') return { ...m, warehouses: { ...m.warehouses, [key]: { stock: '?', stockOrg: '?' } } };
  if (kind === 'shop') return { ...m, shops: { ...m.shops, [key]: { customer: '?', saleOrg: '?' } } };
  if (kind === 'supplier') return { ...m, suppliers: { ...m.suppliers, [key]: { supplier: '?' } } };
  if (kind === 'unit') return { ...m, defaults: { ...m.defaults, units: { ...m.defaults.units, [key]: '?' } } };
  return { ...m, departments: { ...m.departments, [key]: '?' } };
}

/** The first object in `doc` (depth-first) whose sku_id is `sku`, for its name and barcode. */
function skuLine(doc: unknown, sku: string, depth = 0): Record<string, unknown> | undefined {
  if (depth > 6 || doc === null || typeof doc !== 'object') return undefined;
  if (Array.isArray(doc)) {
    for (const item of doc) {
      const found = skuLine(item, sku, depth + 1);
      if (found) return found;
    }
    return undefined;
  }
  const rec = doc as Record<string, unknown>;
  if (String(rec.sku_id ?? '') === sku) return rec;
  for (const value of Object.values(rec)) {
    const found = skuLine(value, sku, depth + 1);
    if (found) return found;
  }
  return undefined;
}

const text = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : typeof v === 'number' ? String(v) : undefined);

/**
 * Every mapping key one ready document needs and `mappings` lacks, found by replaying the flow's own transform:
 * each UNMAPPED_BASE_DATA it throws names one key (its `details.field`); the key gets a stand-in and the transform
 * runs again, until it passes or fails for another reason. SKUs are replayed in `table` mode, so every unlisted
 * SKU is reported (the caller decides what identity mode makes of them), with JST's name and barcode (sku_code) read
 * from the raw document. Pure: the transforms are.
 */
export function documentGaps(
  // Any flow of the registry (`getFlow`), whatever its source type: the document is parsed with its schema first.
  flow: AnyDocumentFlow,
  doc: unknown,
  settings: DocumentFlowSettings,
  mappings: Mappings,
  nowIso: string,
  /** The document as JST sent it (the schema may drop fields such as sku_code); default `doc`. */
  raw: unknown = doc,
): DocumentGap[] {
  let scratch: Mappings = { ...mappings, skus: { ...mappings.skus, mode: 'table' } };
  const gaps: DocumentGap[] = [];
  for (let i = 0; i < MAX_REPLAYS; i++) {
    try {
      flow.transform(doc, { flow: flow.name, settings, mappings: scratch, now: nowIso });
      return gaps;
    } catch (e) {
      const field = e instanceof PermanentError && e.code === 'UNMAPPED_BASE_DATA' ? e.details.field : undefined;
      const m = typeof field === 'string' ? GAP_PATH.exec(field) : null;
      if (!m) return gaps;
      const kind = kindOfTable[m[1]];
      const key = m[2];
      if (gaps.some((g) => g.kind === kind && g.key === key)) return gaps; // a stand-in did not help: stop
      const gap: DocumentGap = { kind, key, path: field as string };
      if (kind === 'sku') {
        const line = skuLine(raw, key);
        const name = text(line?.name) ?? text(line?.sku_name);
        const barcode = text(line?.sku_code) ?? text(line?.barcode);
        if (name) gap.name = name;
        if (barcode) gap.barcode = barcode;
      }
      gaps.push(gap);
      scratch = withStandIn(scratch, kind, key);
    }
  }
  return gaps;
}
