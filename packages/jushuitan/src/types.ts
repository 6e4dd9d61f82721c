/**
 * The JST client's public contract (packages/jushuitan): the open API (createJstClient) and 聚水潭·奇门
 * (createQimenClient) both implement it. Poller code depends on this interface only, so tests can pass another
 * implementation. The scans (scanByTsWith, scanWindowWith) are functions over `queryPage`, so a wrapper of
 * `queryPage` (metrics, faults, tests) sees every page a scan reads. Every method throws the @sync/errors kinds:
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
}
