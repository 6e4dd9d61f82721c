import { PermanentError } from '@sync/errors';
import type { JstPage } from './types';

export type QueryPageFn = (path: string, biz: Record<string, unknown>) => Promise<JstPage>;

/** Reads `row.ts` as a decimal string (number or numeric string); throws PermanentError('INVALID_RESPONSE') otherwise. */
export function defaultReadTs(row: unknown): string {
  const ts = typeof row === 'object' && row !== null ? (row as { ts?: unknown }).ts : undefined;
  if (typeof ts === 'number' && Number.isSafeInteger(ts) && ts >= 0) return String(ts);
  if (typeof ts === 'string' && /^\d+$/.test(ts.trim())) return ts.trim();
  throw new PermanentError('INVALID_RESPONSE', `JST row has no usable ts (got ${typeof ts === 'string' || typeof ts === 'number' ? JSON.stringify(ts) : typeof ts})`, { field: 'ts' });
}

/** A start_ts as JSON wants it: a number while exact, else a bigint (the biz serialiser writes it unquoted). */
export function tsForBiz(ts: bigint): number | bigint {
  return ts <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(ts) : ts;
}

/**
 * Incremental scan by row version over `queryPage`: start_ts paging (reference §3.3), page_index fixed at 1,
 * inclusive boundary. Yields pages in ts order; `maxTs` is the largest ts seen so far (a string: rowversions can
 * pass 2^53). The caller enqueues each page and only then stores `maxTs` as its cursor. Each call sends only
 * `{start_ts, is_get_total:false, page_index:1, page_size}`; the next start_ts is the largest ts seen. The filter
 * is inclusive, so a row whose ts equals the start_ts of its call was already yielded (or, on the first call, is
 * the caller's own cursor) and is skipped: only rows with ts > start_ts are yielded. Ends when a page holds no
 * such row. Relies on ts being unique (it is a rowversion). A row without a readable ts is yielded with its page
 * (never dropped, never fatal to the scan) but neither moves the cursor nor keeps the scan going.
 */
export async function* scanByTsWith(
  queryPage: QueryPageFn,
  path: string,
  startTs: string,
  opts: { pageSize?: number; readTs?: (row: unknown) => string } = {},
): AsyncGenerator<{ rows: unknown[]; maxTs: string }> {
  const pageSize = opts.pageSize ?? 50;
  const readTs = opts.readTs ?? defaultReadTs;
  if (!/^\d+$/.test(startTs)) {
    throw new PermanentError('CONFIG_INVALID', `start_ts for ${path} must be a non-negative integer string, got ${JSON.stringify(startTs)}`, { path });
  }
  let cursor = BigInt(startTs);
  for (;;) {
    const page = await queryPage(path, { start_ts: tsForBiz(cursor), is_get_total: false, page_index: 1, page_size: pageSize });
    const rows: unknown[] = [];
    let max = cursor;
    let versioned = 0;
    for (const row of page.datas) {
      let raw: string;
      try {
        raw = readTs(row);
      } catch {
        raw = '';
      }
      if (!/^\d+$/.test(raw)) {
        // A row without a usable ts cannot move the cursor, but it must not block the rows after it nor vanish:
        // it is passed on (the caller dead-letters it with the schema's reason) and does not keep the scan going.
        rows.push(row);
        continue;
      }
      const ts = BigInt(raw);
      if (ts <= cursor) continue;
      rows.push(row);
      versioned += 1;
      if (ts > max) max = ts;
    }
    if (rows.length > 0) yield { rows, maxTs: max.toString() };
    if (versioned === 0) return;
    cursor = max;
  }
}
