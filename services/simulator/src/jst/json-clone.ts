/**
 * Deep copy of JSON-like data (plain objects, arrays, primitives). Several times faster than structuredClone
 * for the simulator's documents; anything else (Date, Map, class instances) is copied as its own enumerable keys.
 */
export function cloneJson<T>(value: T): T {
  if (value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(cloneJson) as T;
  const out: Record<string, unknown> = {};
  for (const k in value) {
    if (Object.prototype.hasOwnProperty.call(value, k)) out[k] = cloneJson((value as Record<string, unknown>)[k]);
  }
  return out as T;
}
