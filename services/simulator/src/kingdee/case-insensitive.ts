/**
 * Kingdee matches body keys, field keys and FormIds without regard to case (`FMATERIALID` and
 * `FMaterialId` are the same field), so every lookup into a client-sent object goes through here.
 */

/** True for a plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The value stored under `key` in `obj`, matching the key case-insensitively; undefined when absent. */
export function ciGet(obj: Record<string, unknown>, key: string): unknown {
  if (Object.prototype.hasOwnProperty.call(obj, key)) return obj[key];
  const lower = key.toLowerCase();
  for (const k of Object.keys(obj)) if (k.toLowerCase() === lower) return obj[k];
  return undefined;
}

/** The first of `keys` present in `obj` (case-insensitively), or undefined. */
export function ciGetAny(obj: Record<string, unknown>, keys: readonly string[]): unknown {
  for (const k of keys) {
    const v = ciGet(obj, k);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** Case-insensitive string equality. */
export function ciEquals(a: string, b: string): boolean {
  return a.toLowerCase() === b.toLowerCase();
}
