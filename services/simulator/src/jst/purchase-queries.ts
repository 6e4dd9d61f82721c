import { z } from 'zod';
import { bizBool, bizIdList, bizInt, checkWindow, parseBiz } from './biz-params';
import type { JstEndpoint } from './endpoint';
import { JstRejection } from './error-codes';
import { MAX_PAGE_SIZE, queryPage, type QueryPageData } from './query-page';
import { PURCHASE_IN_KIND, PURCHASE_IN_PATH, PURCHASE_IN_STATUSES, PURCHASE_OUT_KIND, PURCHASE_OUT_PATH, PURCHASE_OUT_STATUSES } from './purchase';
import type { JstDoc, JstStore } from './store';

const pageIndex = bizInt.pipe(z.number().min(1, 'must be >= 1'));
const pageSize = bizInt.pipe(z.number().min(1, 'must be >= 1').max(MAX_PAGE_SIZE, `must be <= ${MAX_PAGE_SIZE}`));
const dateType = bizInt.pipe(z.union([z.literal(0), z.literal(2)], { message: 'must be 0 (modified) or 2 (io_date)' }));

/** biz of /open/purchasein/query (reference §6); `statuss` (sic, double s) is a list; unknown keys are ignored. */
export const purchaseInQuerySchema = z.looseObject({
  page_index: pageIndex.optional(),
  page_size: pageSize.optional(),
  modified_begin: z.string().optional(),
  modified_end: z.string().optional(),
  po_ids: bizIdList(30).optional(),
  io_ids: bizIdList(30).optional(),
  so_ids: bizIdList(30).optional(),
  statuss: z.array(z.enum(PURCHASE_IN_STATUSES, { message: `must be one of ${PURCHASE_IN_STATUSES.join(', ')}` })).optional(),
  start_ts: bizInt.pipe(z.number().min(0, 'must be >= 0')).optional(),
  is_get_total: bizBool.optional(),
  date_type: dateType.optional(),
});

/** biz of /open/purchaseout/query (reference §7): `status` is one string; there is no start_ts (ignored if sent). */
export const purchaseOutQuerySchema = z.looseObject({
  page_index: pageIndex.optional(),
  page_size: pageSize.optional(),
  modified_begin: z.string().optional(),
  modified_end: z.string().optional(),
  io_ids: bizIdList(30).optional(),
  so_ids: bizIdList(30).optional(),
  status: z.enum(PURCHASE_OUT_STATUSES, { message: `must be one of ${PURCHASE_OUT_STATUSES.join(', ')}` }).optional(),
  date_type: dateType.optional(),
});

interface WindowQuery {
  kind: string;
  idsGiven: boolean;
  window: { begin: string; end: string } | undefined;
  dateType?: 0 | 2;
  predicate: (d: JstDoc) => boolean;
  cacheKey: string;
  offset: number;
  size: number;
}

/** Live OFFSET/LIMIT scan ordered by the window field then io_id (rows shift when documents change mid-scan). */
function windowScan(store: JstStore, q: WindowQuery): { rows: JstDoc[]; total: number } {
  if (!q.window && !q.idsGiven) {
    throw new JstRejection('badParameter', 'modified_begin/modified_end: required unless an id list is given');
  }
  const field = q.dateType === 2 ? 'io_date' : 'modified';
  return store.scanOrdered(q.kind, { field, from: q.window?.begin, to: q.window?.end }, q.predicate, q.offset, q.size, `${field}|${q.cacheKey}`);
}

const idSet = (ids: string[] | undefined) => (ids?.length ? new Set(ids) : undefined);

/**
 * `/open/purchasein/query` over the live store. Without `statuss` (or with an empty list) only Confirmed
 * (已入库) documents are returned, as documented. start_ts mode: rows with ts >= start_ts in ts order among the
 * status-matching rows, the other filters ignored; with is_get_total=false the totals are 0. Window mode:
 * modified (or io_date, date_type=2) window of <= 7 days, or io_ids/po_ids/so_ids, filters combined.
 */
export const purchaseInQueryEndpoint: JstEndpoint = {
  path: PURCHASE_IN_PATH,
  handle(rawBiz, { store }): QueryPageData {
    const biz = parseBiz(purchaseInQuerySchema, rawBiz);
    const { offset, pageSize: size, page } = queryPage(biz);
    const statuses = new Set<string>(biz.statuss?.length ? biz.statuss : ['Confirmed']);

    if (biz.start_ts !== undefined) {
      const all = store.scanByTs(PURCHASE_IN_KIND, biz.start_ts, 0, Number.MAX_SAFE_INTEGER).rows.filter((d) => statuses.has(String(d.status)));
      const rows = all.slice(offset, offset + size);
      return page(rows, all.length, offset + rows.length < all.length);
    }

    const window = checkWindow(biz.modified_begin, biz.modified_end);
    const [ioIds, poIds, soIds] = [idSet(biz.io_ids), idSet(biz.po_ids), idSet(biz.so_ids)];
    const { rows, total } = windowScan(store, {
      kind: PURCHASE_IN_KIND,
      idsGiven: Boolean(ioIds || poIds || soIds),
      window,
      dateType: biz.date_type,
      predicate: (d) =>
        statuses.has(String(d.status)) &&
        (!ioIds || ioIds.has(String(d.io_id))) &&
        (!poIds || poIds.has(String(d.po_id))) &&
        (!soIds || soIds.has(String(d.so_id))),
      cacheKey: JSON.stringify([window, [...statuses], biz.io_ids, biz.po_ids, biz.so_ids]),
      offset,
      size,
    });
    return page(rows, total, offset + rows.length < total);
  },
};

/** The response row: the stored document without `ts` (purchaseout has no rowversion, reference §3.3). */
function withoutTs(doc: JstDoc): JstDoc {
  const { ts: _ts, ...rest } = doc;
  return rest as JstDoc;
}

/**
 * `/open/purchaseout/query` over the live store: modified (or io_date) windows of <= 7 days, or io_ids/so_ids;
 * optional `status` filter (none = every status). No start_ts: the parameter is ignored and a window is still
 * required, so a client that tries ts paging gets a parameter error. Rows carry no `ts`.
 */
export const purchaseOutQueryEndpoint: JstEndpoint = {
  path: PURCHASE_OUT_PATH,
  handle(rawBiz, { store }): QueryPageData {
    const biz = parseBiz(purchaseOutQuerySchema, rawBiz);
    // No is_get_total on this endpoint: totals are always given.
    const { offset, pageSize: size, page } = queryPage({ page_index: biz.page_index, page_size: biz.page_size }, withoutTs);
    const window = checkWindow(biz.modified_begin, biz.modified_end);
    const [ioIds, soIds] = [idSet(biz.io_ids), idSet(biz.so_ids)];
    const { rows, total } = windowScan(store, {
      kind: PURCHASE_OUT_KIND,
      idsGiven: Boolean(ioIds || soIds),
      window,
      dateType: biz.date_type,
      predicate: (d) =>
        (biz.status === undefined || d.status === biz.status) &&
        (!ioIds || ioIds.has(String(d.io_id))) &&
        (!soIds || soIds.has(String(d.so_id))),
      cacheKey: JSON.stringify([window, biz.status, biz.io_ids, biz.so_ids]),
      offset,
      size,
    });
    return page(rows, total, offset + rows.length < total);
  },
};
