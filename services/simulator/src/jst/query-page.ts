import type { JstDoc, JstStore } from './store';

/**
 * The paging every open-API query endpoint shares (reference §4): page_index/page_size, is_get_total, the start_ts
 * mode (rows with ts >= start_ts in ts order) and the ordered window / id-list scan, both re-evaluated against
 * the live store on every call, so rows shift between pages when documents change during a scan.
 */

export const MAX_PAGE_SIZE = 50;
export const DEFAULT_PAGE_SIZE = 30;

/** The query envelope's `data`. */
export interface QueryPageData {
  page_size: number;
  page_index: number;
  data_count: number;
  page_count: number;
  has_next: boolean;
  datas: JstDoc[];
}

/** The paging keys of a query's biz. */
export interface PagingBiz {
  page_index?: number;
  page_size?: number;
  is_get_total?: boolean;
}

/**
 * The page a biz asks for. With is_get_total=false, data_count and page_count are 0 (real JST's behaviour there is
 * unconfirmed; 0 makes clients rely on has_next). `render` turns a stored row into the response row.
 */
export function queryPage(biz: PagingBiz, render: (row: JstDoc) => JstDoc = (row) => row) {
  const pageIndex = biz.page_index ?? 1;
  const pageSize = biz.page_size ?? DEFAULT_PAGE_SIZE;
  const offset = (pageIndex - 1) * pageSize;
  const withTotal = biz.is_get_total !== false;
  const page = (rows: JstDoc[], total: number, hasNext: boolean): QueryPageData => ({
    page_size: pageSize,
    page_index: pageIndex,
    data_count: withTotal ? total : 0,
    page_count: withTotal ? Math.ceil(total / pageSize) : 0,
    has_next: hasNext,
    datas: rows.map(render),
  });
  return {
    offset,
    pageSize,
    page,
    /** start_ts mode: rows of `kind` (those `served`, when given) with ts >= startTs, in ts order. */
    byTs(store: JstStore, kind: string, startTs: number, served?: (d: JstDoc) => boolean): QueryPageData {
      const { rows, hasMore } = store.scanByTs(kind, startTs, offset, pageSize, served);
      const total = withTotal ? store.scanByTs(kind, startTs, 0, Number.MAX_SAFE_INTEGER, served).rows.length : 0;
      return page(rows, total, hasMore);
    },
    /** Window / id-list mode: the rows `predicate` keeps, ordered by `range.field` then id. */
    ordered(store: JstStore, kind: string, range: { field: string; from?: string; to?: string }, predicate: (d: JstDoc) => boolean, cacheKey: string): QueryPageData {
      const { rows, total } = store.scanOrdered(kind, range, predicate, offset, pageSize, cacheKey);
      return page(rows, total, offset + rows.length < total);
    },
  };
}
