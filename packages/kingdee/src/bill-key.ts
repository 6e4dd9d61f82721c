/**
 * Where a bill keeps the integration's own key besides FBillNo (kingdee-api.md §5 "Third-party reference fields"),
 * so that a bill whose number the account's coding rule replaced can still be found. Pure helpers: which field each
 * form uses is declared by the flow that writes it (`target.keyFields` in @sync/flows).
 */

/**
 * The key field a flow declares for a form (its `target.keyFields`): a model path (`Section.Field` for a sub-head)
 * and what it holds.
 */
export interface KeyFieldDefault {
  path: string;
  /**
   * `source-id`: a third-party field the flow's transform fills with the JST document id (the key is that value);
   * `bill-no`: a field with no third-party meaning (the header note) that the writer fills with our FBillNo.
   */
  holds: 'source-id' | 'bill-no';
}

/** The key of one bill: the model path it is written at, the ExecuteBillQuery field that reads it, and its value. */
export interface BillKey {
  path: string;
  queryField: string;
  value: string;
  /** The writer must set `path` to `value` in the Save package (the transform did not). */
  set: boolean;
}

/** A dotted model path → the key ExecuteBillQuery knows it by (sub-head fields are queried without their section). */
export function keyQueryField(path: string): string {
  const parts = path.split('.');
  return parts[parts.length - 1];
}

function readPath(model: Record<string, unknown>, path: string): unknown {
  let value: unknown = model;
  for (const part of path.split('.')) {
    if (value === null || typeof value !== 'object' || Array.isArray(value)) return undefined;
    value = (value as Record<string, unknown>)[part];
  }
  return value;
}

/**
 * The key of a bill: with `configured` (a flow's `keyField` setting) that field holds our FBillNo; else the declared
 * key field of its form (`declared`: the transform's third-party value, or FBillNo in the note); undefined when the
 * form has neither. Pure.
 */
export function resolveBillKey(model: Record<string, unknown>, billNo: string, declared: KeyFieldDefault | undefined, configured?: string): BillKey | undefined {
  if (configured) return { path: configured, queryField: keyQueryField(configured), value: billNo, set: true };
  if (!declared) return undefined;
  const current = readPath(model, declared.path);
  if (declared.holds === 'source-id' && (typeof current === 'string' || typeof current === 'number') && String(current).trim() !== '') {
    return { path: declared.path, queryField: keyQueryField(declared.path), value: String(current), set: false };
  }
  return { path: declared.path, queryField: keyQueryField(declared.path), value: billNo, set: true };
}

/** A copy of `model` with `path` set to `value` (sections created as needed; the input is not changed). Pure. */
export function withKeyField(model: Record<string, unknown>, path: string, value: string): Record<string, unknown> {
  const [head, ...rest] = path.split('.');
  if (!rest.length) return { ...model, [head]: value };
  const inner = model[head];
  const section = inner !== null && typeof inner === 'object' && !Array.isArray(inner) ? (inner as Record<string, unknown>) : {};
  return { ...model, [head]: withKeyField(section, rest.join('.'), value) };
}
