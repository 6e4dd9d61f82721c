/**
 * Lenient reading of ids and versions from raw JST rows, for rows that fail their flow's schema: they are still
 * enqueued under a readable id so the worker dead-letters them with the precise reason (nothing is lost). The id
 * field is the flow source's `idField` (io_id, as_id).
 */

function scalar(v: unknown): string | undefined {
  if (typeof v === 'number' && Number.isFinite(v)) return String(v);
  if (typeof v === 'string' && v.trim() !== '') return v.trim();
  return undefined;
}

/** The document id of a raw row: its `idField` (the source's, e.g. io_id), or undefined. */
export function rawDocId(row: unknown, idField: string): string | undefined {
  if (typeof row !== 'object' || row === null) return undefined;
  return scalar((row as Record<string, unknown>)[idField]);
}

/** The version of a raw row (`ts`, else `modified`), or `unversioned`. */
export function rawVersion(row: unknown): string {
  if (typeof row !== 'object' || row === null) return 'unversioned';
  const r = row as Record<string, unknown>;
  return scalar(r.ts) ?? scalar(r.modified) ?? 'unversioned';
}

/** The dedupe key of window scans over a source whose rows carry their id in `idField`: id and version. */
export function rawRowKey(idField: string): (row: unknown) => string {
  return (row) => `${rawDocId(row, idField) ?? JSON.stringify(row)}@${rawVersion(row)}`;
}
