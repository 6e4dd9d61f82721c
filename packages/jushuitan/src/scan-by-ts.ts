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
 * start_ts paging (reference §3.3), see JstApi.scanByTs. Each call sends only
 * `{start_ts, is_get_total:false, page_index:1, page_size}`; the next start_ts is the largest ts seen. The filter
 * is inclusive, so a row whose ts equals the start_ts of its call was already yielded (or, on the first call, is
 * the caller's own cursor) and is skipped: only rows with ts > start_ts are yielded. Ends when a page holds no
 * such row. Relies on ts being unique (it is a rowversion).
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
    for (const row of page.datas) {
      const raw = readTs(row);
      if (!/^\d+$/.test(raw)) throw new PermanentError('INVALID_RESPONSE', `JST (${path}) row ts is not an integer: ${JSON.stringify(raw)}`, { path, field: 'ts' });
      const ts = BigInt(raw);
      if (ts <= cursor) continue;
      rows.push(row);
      if (ts > max) max = ts;
    }
    if (rows.length === 0) return;
    cursor = max;
    yield { rows, maxTs: max.toString() };
  }
}
