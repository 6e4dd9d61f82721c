import { z } from 'zod';
import { bizBool, bizIdList, bizInt, checkWindow, parseBiz } from './biz-params';
import { ALL_SHOPS, type JstEndpoint } from './endpoint';
import { JstRejection } from './error-codes';
import { ORDERS_OUT_KIND, ORDERS_OUT_PATH, ORDERS_OUT_STATUSES } from './sales-outbound';
import { MAX_PAGE_SIZE, queryPage, type QueryPageData } from './query-page';
import type { JstDoc } from './store';


/** biz of /open/orders/out/simple/query (reference §4); unknown keys are accepted and ignored. */
export const ordersOutQuerySchema = z.looseObject({
  page_index: bizInt.pipe(z.number().min(1, 'must be >= 1')).optional(),
  page_size: bizInt.pipe(z.number().min(1, 'must be >= 1').max(MAX_PAGE_SIZE, `must be <= ${MAX_PAGE_SIZE}`)).optional(),
  modified_begin: z.string().optional(),
  modified_end: z.string().optional(),
  status: z.enum(ORDERS_OUT_STATUSES, { message: `must be one of ${ORDERS_OUT_STATUSES.join(', ')}` }).optional(),
  so_ids: bizIdList(50).optional(),
  o_ids: bizIdList(50).optional(),
  io_ids: bizIdList(50).optional(),
  shop_id: bizInt.optional(),
  wms_co_id: bizInt.optional(),
  date_type: bizInt.pipe(z.union([z.literal(0), z.literal(2)], { message: 'must be 0 (modified) or 2 (io_date)' })).optional(),
  start_ts: bizInt.pipe(z.number().min(0, 'must be >= 0')).optional(),
  is_get_total: bizBool.optional(),
});

/**
 * `/open/orders/out/simple/query` over the live store.
 * - start_ts mode: rows with ts >= start_ts in ts order, OFFSET (page_index-1)*page_size. As documented, the other
 *   filters are ignored when start_ts is given. With is_get_total=false, data_count and page_count are 0
 *   (real JST's behaviour there is unconfirmed; 0 makes clients rely on has_next).
 * - window mode: modified_begin/modified_end (both, <= 7 days, inclusive) or an id list; filters status, shop_id
 *   (0 = any), wms_co_id, io_ids/o_ids/so_ids; ORDER BY the window field (modified, or io_date with date_type=2),
 *   then io_id, OFFSET/LIMIT re-evaluated against current data on every request, so rows shift between pages
 *   when documents change during a scan, exactly what a naive page loop gets wrong.
 */
export const ordersOutQueryEndpoint: JstEndpoint = {
  path: ORDERS_OUT_PATH,
  handle(rawBiz, { store, openwebShops = ALL_SHOPS }): QueryPageData {
    const biz = parseBiz(ordersOutQuerySchema, rawBiz);
    const paging = queryPage(biz);
    if (biz.start_ts !== undefined) return paging.byTs(store, ORDERS_OUT_KIND, biz.start_ts, (d) => openwebShops.serves(d.shop_id));

    const window = checkWindow(biz.modified_begin, biz.modified_end);
    const hasIds = Boolean(biz.io_ids?.length || biz.o_ids?.length || biz.so_ids?.length);
    if (!window && !hasIds) {
      throw new JstRejection('badParameter', 'modified_begin/modified_end: required unless so_ids, o_ids or io_ids are given');
    }
    const ioIds = biz.io_ids?.length ? new Set(biz.io_ids) : undefined;
    const oIds = biz.o_ids?.length ? new Set(biz.o_ids) : undefined;
    const soIds = biz.so_ids?.length ? new Set(biz.so_ids) : undefined;
    const predicate = (d: JstDoc): boolean =>
      openwebShops.serves(d.shop_id) &&
      (biz.status === undefined || d.status === biz.status) &&
      (!biz.shop_id || d.shop_id === biz.shop_id) &&
      (biz.wms_co_id === undefined || d.wms_co_id === biz.wms_co_id) &&
      (!ioIds || ioIds.has(String(d.io_id))) &&
      (!oIds || oIds.has(String(d.o_id))) &&
      (!soIds || soIds.has(String(d.so_id)));
    const field = biz.date_type === 2 ? 'io_date' : 'modified';
    const cacheKey = JSON.stringify([field, openwebShops.cacheKey, window, biz.status, biz.shop_id, biz.wms_co_id, biz.io_ids, biz.o_ids, biz.so_ids]);
    return paging.ordered(store, ORDERS_OUT_KIND, { field, from: window?.begin, to: window?.end }, predicate, cacheKey);
  },
};
