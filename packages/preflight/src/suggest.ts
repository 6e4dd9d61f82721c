import type { KingdeeRecord, MappingGap } from './facts';

export interface MaterialSuggestion {
  material: KingdeeRecord;
  reason: 'same number' | 'same barcode' | 'close name';
  /** Name similarity 0..1 (close name only). */
  score?: number;
}

/** Least name similarity (Dice over character bigrams) for a close-name suggestion. */
export const MIN_NAME_SIMILARITY = 0.6;

const normalise = (s: string): string => s.toLowerCase().replace(/[\s\-_/\\()（）[\]【】,，;；:：.。'"]+/g, '');

function bigrams(s: string): string[] {
  const t = normalise(s);
  if (t.length < 2) return t ? [t] : [];
  const out: string[] = [];
  for (let i = 0; i < t.length - 1; i++) out.push(t.slice(i, i + 2));
  return out;
}

/** Dice similarity of two names over character bigrams, 0..1, ignoring case, spaces and punctuation. Pure. */
export function nameSimilarity(a: string, b: string): number {
  const x = bigrams(a);
  const y = bigrams(b);
  if (!x.length || !y.length) return 0;
  const pool = new Map<string, number>();
  for (const g of y) pool.set(g, (pool.get(g) ?? 0) + 1);
  let common = 0;
  for (const g of x) {
    const n = pool.get(g) ?? 0;
    if (n > 0) {
      common += 1;
      pool.set(g, n - 1);
    }
  }
  return (2 * common) / (x.length + y.length);
}

/**
 * The Kingdee material an unmapped SKU most likely is, among usable (audited, enabled) `candidates`: one with the
 * SKU's number, else one whose barcode (FBarCode) is the SKU id or JST's barcode, else the closest name at or
 * above MIN_NAME_SIMILARITY. Undefined when none fits. Pure.
 */
export function suggestMaterial(gap: Pick<MappingGap, 'key' | 'name' | 'barcode'>, candidates: readonly KingdeeRecord[]): MaterialSuggestion | undefined {
  const ok = candidates.filter((c) => c.documentStatus === 'C' && c.forbidStatus === 'A');
  const key = gap.key.toLowerCase();
  const byNumber = ok.find((c) => c.number.toLowerCase() === key);
  if (byNumber) return { material: byNumber, reason: 'same number' };
  const codes = new Set([key, ...(gap.barcode ? [gap.barcode.toLowerCase()] : [])]);
  const byBarcode = ok.find((c) => c.barcode !== undefined && c.barcode !== '' && codes.has(c.barcode.toLowerCase()));
  if (byBarcode) return { material: byBarcode, reason: 'same barcode' };
  if (!gap.name) return undefined;
  let best: MaterialSuggestion | undefined;
  for (const c of ok) {
    const score = nameSimilarity(gap.name, c.name);
    if (score >= MIN_NAME_SIMILARITY && (!best || score > (best.score ?? 0))) best = { material: c, reason: 'close name', score };
  }
  return best;
}

/** A YAML scalar that reads back as the same string (quoted unless plainly safe). */
function scalar(s: string): string {
  return /^[A-Za-z][A-Za-z0-9_.-]*$/.test(s) && !/^(true|false|null|yes|no|on|off|y|n)$/i.test(s) ? s : JSON.stringify(s);
}

/** The ready-to-paste YAML of a SKU mapping to `material`, with its batch and shelf-life flags when known. Pure. */
export function skuMappingSnippet(sku: string, material: KingdeeRecord): string {
  const fields = [`material: ${scalar(material.number)}`];
  if (material.batchManaged !== undefined) fields.push(`batchManaged: ${material.batchManaged}`);
  if (material.shelfLifeManaged !== undefined) fields.push(`shelfLifeManaged: ${material.shelfLifeManaged}`);
  return `mappings:\n  skus:\n    map:\n      ${JSON.stringify(sku)}: { ${fields.join(', ')} }\n`;
}
