/**
 * Lenient reading of ids and versions from raw JST rows, for rows that fail their flow's schema: they are still
 * enqueued under a readable id so the worker dead-letters them with the precise reason (nothing is lost).
 */

export { ID_FILTER_KEYS, ID_FILTER_MAX } from '@sync/flows';

/** Id fields tried in order on a raw row. */
const ID_FIELDS = ['io_id', 'as_id', 'po_id', 'id'] as const;

function scalar(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return undefined;
}

/** The document id of a raw row (`io_id`, `as_id`, `po_id` or `id`), or undefined. */
export function rawDocId(row: unknown): string | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  const r = row as Record<string, unknown>;
  for (const f of ID_FIELDS) {
    const v = scalar(r[f]);
    if (v !== undefined) return v;
  }
  return undefined;
}

/** The version of a raw row (`ts`, else `modified`), or `unversioned`. */
export function rawVersion(row: unknown): string {
  if (typeof row !== 'object' || row === null) return 'unversioned';
  const r = row as Record<string, unknown>;
  return scalar(r.ts) ?? scalar(r.modified) ?? 'unversioned';
}

/** Dedupe key for window scans: id and version. */
export function rawRowKey(row: unknown): string {
  return `${rawDocId(row) ?? JSON.stringify(row)}@${rawVersion(row)}`;
}
