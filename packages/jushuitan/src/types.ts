/**
 * The JST client's public contract (packages/jushuitan). Poller code depends on this interface only,
 * so tests can pass another implementation. Every method throws the @sync/errors kinds:
 * RateLimitedError (codes 199/200, HTTP 429), TransientError (network, timeout, HTTP 5xx, code 150 internal),
 * PermanentError (AUTH_FAILED for 10/100 after one re-authorisation, JST_REJECTED for parameter errors,
 * INVALID_RESPONSE for an answer that fails its zod schema).
 */
export interface JstPage {
  pageIndex: number;
  pageSize: number;
  hasNext: boolean;
  /** Total rows, when JST returned it (not with is_get_total=false). */
  dataCount?: number;
  pageCount?: number;
  /** Raw documents; each flow validates them with its own source schema. */
  datas: unknown[];
}

export interface JstApi {
  /**
   * One signed business call to `path` with `biz`; returns the validated `data` of the envelope.
   * Re-authorises once on code 100 when it can (getInitToken / refreshToken).
   */
  call(path: string, biz: Record<string, unknown>): Promise<unknown>;

  /** One page of a query endpoint (envelope `data.{page_*,has_next,datas}`), validated. */
  queryPage(path: string, biz: Record<string, unknown>): Promise<JstPage>;

  /**
   * Incremental scan by row version: start_ts paging, page_index fixed at 1, inclusive boundary.
   * Yields pages in ts order; `maxTs` is the largest ts seen so far (a string: rowversions can pass 2^53).
   * Stops when a page returns no row with ts greater than its start_ts. The caller enqueues each page and
   * only then stores `maxTs` as its cursor.
   */
  scanByTs(path: string, startTs: string, opts?: { pageSize?: number; readTs?: (row: unknown) => string }): AsyncGenerator<{ rows: unknown[]; maxTs: string }>;

  /**
   * Every row of a modified-time window [begin, end] (Beijing-time strings `yyyy-MM-dd HH:mm:ss`, at most 7 days),
   * robust against rows shifting between pages while documents change: pages are re-read until a full pass adds
   * no new (id, version) pair. `filters` are extra biz keys (status, date_type ...).
   */
  scanWindow(
    path: string,
    window: { begin: string; end: string },
    opts: { filters?: Record<string, unknown>; pageSize?: number; key: (row: unknown) => string },
  ): AsyncGenerator<unknown[]>;
}
