import { z } from 'zod';
import { bizBool, bizIdList, bizInt, checkWindow, parseBiz } from './biz-params';
import type { JstEndpoint } from './endpoint';
import { JstRejection } from './error-codes';
import { MAX_PAGE_SIZE, queryPage, type QueryPageData } from './query-page';
import { OTHER_INOUT_KIND, OTHER_INOUT_PATH, OTHER_INOUT_STATUSES, OTHER_INOUT_TYPES } from './other-inout';
import type { JstDoc } from './store';

/** biz of /open/other/inout/query (reference §8); unknown keys are accepted and ignored. */
export const otherInOutQuerySchema = z.looseObject({
  page_index: bizInt.pipe(z.number().min(1, 'must be >= 1')).optional(),
  page_size: bizInt.pipe(z.number().min(1, 'must be >= 1').max(MAX_PAGE_SIZE, `must be <= ${MAX_PAGE_SIZE}`)).optional(),
  modified_begin: z.string().optional(),
  modified_end: z.string().optional(),
  so_ids: bizIdList(50).optional(),
  io_ids: bizIdList(50).optional(),
  types: z.array(z.enum(OTHER_INOUT_TYPES, { message: `must be one of ${OTHER_INOUT_TYPES.join(', ')} (其它, not 其他)` })).optional(),
  status: z.enum(OTHER_INOUT_STATUSES, { message: `must be one of ${OTHER_INOUT_STATUSES.join(', ')}` }).optional(),
  wms_co_id: bizInt.optional(),
  date_type: bizInt.pipe(z.union([z.literal(0), z.literal(2)], { message: 'must be 0 (modified) or 2 (io_date)' })).optional(),
  start_ts: bizInt.pipe(z.number().min(0, 'must be >= 0')).optional(),
  is_get_total: bizBool.optional(),
});

/** The response row: the stored document without `ts` (IEU's response class has no ts field, reference §3.3 ⚠). */
function withoutTs(doc: JstDoc): JstDoc {
  const { ts: _ts, ...rest } = doc;
  return rest as JstDoc;
}

/**
 * `/open/other/inout/query` over the live store.
 * - start_ts mode: accepted as documented (rows with ts >= start_ts in ts order, other filters ignored), but the
 *   rows carry no ts, so a client cannot advance a cursor with it: window mode is the way to read incrementally.
 * - window mode: modified_begin/modified_end (both, <= 7 days, inclusive) or io_ids/so_ids; filters types[],
 *   status, wms_co_id; ORDER BY the window field (modified, or io_date with date_type=2) then io_id, with
 *   OFFSET/LIMIT re-evaluated on every request (rows shift between pages when documents change mid-scan).
 */
export const otherInOutQueryEndpoint: JstEndpoint = {
  path: OTHER_INOUT_PATH,
  handle(rawBiz, { store }): QueryPageData {
    const biz = parseBiz(otherInOutQuerySchema, rawBiz);
    const paging = queryPage(biz, withoutTs);
    if (biz.start_ts !== undefined) return paging.byTs(store, OTHER_INOUT_KIND, biz.start_ts);

    const window = checkWindow(biz.modified_begin, biz.modified_end);
    const hasIds = Boolean(biz.io_ids?.length || biz.so_ids?.length);
    if (!window && !hasIds) {
      throw new JstRejection('badParameter', 'modified_begin/modified_end: required unless so_ids or io_ids are given');
    }
    const ioIds = biz.io_ids?.length ? new Set(biz.io_ids) : undefined;
    const soIds = biz.so_ids?.length ? new Set(biz.so_ids) : undefined;
    const types = biz.types?.length ? new Set<string>(biz.types) : undefined;
    const predicate = (d: JstDoc): boolean =>
      (biz.status === undefined || d.status === biz.status) &&
      (!types || types.has(String(d.type))) &&
      (biz.wms_co_id === undefined || d.wms_co_id === biz.wms_co_id) &&
      (!ioIds || ioIds.has(String(d.io_id))) &&
      (!soIds || soIds.has(String(d.so_id)));
    const field = biz.date_type === 2 ? 'io_date' : 'modified';
    const cacheKey = JSON.stringify([field, window, biz.status, biz.types, biz.wms_co_id, biz.io_ids, biz.so_ids]);
    return paging.ordered(store, OTHER_INOUT_KIND, { field, from: window?.begin, to: window?.end }, predicate, cacheKey);
  },
};
