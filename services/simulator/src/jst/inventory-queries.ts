import { z } from 'zod';
import { bizIdList, bizInt, checkWindow, parseBiz } from './biz-params';
import type { JstEndpoint } from './endpoint';
import { JstRejection } from './error-codes';
import {
  ALLOCATE_KIND,
  ALLOCATE_PATH,
  ALLOCATE_TYPES,
  INVENTORY_COUNT_KIND,
  INVENTORY_COUNT_PATH,
  INVENTORY_COUNT_STATUSES,
} from './inventory-docs';
import { MAX_PAGE_SIZE, queryPage, type QueryPageData } from './query-page';
import type { JstDoc, JstStore } from './store';

const paging = {
  page_index: bizInt.pipe(z.number().min(1, 'must be >= 1')).optional(),
  page_size: bizInt.pipe(z.number().min(1, 'must be >= 1').max(MAX_PAGE_SIZE, `must be <= ${MAX_PAGE_SIZE}`)).optional(),
  modified_begin: z.string().optional(),
  modified_end: z.string().optional(),
};

/** biz of /open/allocate/query (reference §9): no start_ts; `type` one string; so_ids/io_ids arrays. */
export const allocateQuerySchema = z.looseObject({
  ...paging,
  so_ids: bizIdList(50).optional(),
  io_ids: bizIdList(50).optional(),
  type: z.enum(ALLOCATE_TYPES, { message: `must be one of ${ALLOCATE_TYPES.join(', ')}` }).optional(),
  date_type: bizInt.pipe(z.union([z.literal(0), z.literal(2)], { message: 'must be 0 (modified) or 2 (io_date)' })).optional(),
});

/** biz of /open/inventory/count/query (reference §10): io_ids is a comma-separated string of ≤ 50 ids. */
export const inventoryCountQuerySchema = z.looseObject({
  ...paging,
  io_ids: z
    .string({ error: 'must be a comma-separated string of ids' })
    .transform((s) => s.split(',').map((x) => x.trim()).filter((x) => x !== ''))
    .pipe(z.array(z.string().regex(/^\d+$/, 'ids must be digits')).max(50, 'at most 50 ids'))
    .optional(),
  status: z.enum(INVENTORY_COUNT_STATUSES, { message: `must be one of ${INVENTORY_COUNT_STATUSES.join(', ')}` }).optional(),
});

/** One window- or id-filtered page, re-evaluated against live data on every request (rows shift between pages). */
function windowPage(
  store: JstStore,
  kind: string,
  biz: { page_index?: number; page_size?: number; modified_begin?: string; modified_end?: string },
  opts: { hasIds: boolean; field: string; predicate: (d: JstDoc) => boolean; cacheKey: string },
): QueryPageData {
  // No is_get_total on these endpoints: totals are always given.
  const paging = queryPage({ page_index: biz.page_index, page_size: biz.page_size });
  const window = checkWindow(biz.modified_begin, biz.modified_end);
  if (!window && !opts.hasIds) {
    throw new JstRejection('badParameter', 'modified_begin/modified_end: required unless io_ids are given');
  }
  return paging.ordered(store, kind, { field: opts.field, from: window?.begin, to: window?.end }, opts.predicate, JSON.stringify([window, opts.cacheKey]));
}

/** `/open/allocate/query` over the live store: modified (or io_date with date_type=2) windows ≤ 7 days, filters type, io_ids, so_ids. */
export const allocateQueryEndpoint: JstEndpoint = {
  path: ALLOCATE_PATH,
  handle(rawBiz, { store }): QueryPageData {
    const biz = parseBiz(allocateQuerySchema, rawBiz);
    const ioIds = biz.io_ids?.length ? new Set(biz.io_ids) : undefined;
    const soIds = biz.so_ids?.length ? new Set(biz.so_ids) : undefined;
    return windowPage(store, ALLOCATE_KIND, biz, {
      hasIds: Boolean(ioIds || soIds),
      field: biz.date_type === 2 ? 'io_date' : 'modified',
      predicate: (d) =>
        (biz.type === undefined || d.type === biz.type) && (!ioIds || ioIds.has(String(d.io_id))) && (!soIds || soIds.has(String(d.so_id))),
      cacheKey: JSON.stringify([biz.date_type, biz.type, biz.io_ids, biz.so_ids]),
    });
  },
};

/** `/open/inventory/count/query` over the live store: modified windows ≤ 7 days, filters status and io_ids (comma string). */
export const inventoryCountQueryEndpoint: JstEndpoint = {
  path: INVENTORY_COUNT_PATH,
  handle(rawBiz, { store }): QueryPageData {
    const biz = parseBiz(inventoryCountQuerySchema, rawBiz);
    const ioIds = biz.io_ids?.length ? new Set(biz.io_ids) : undefined;
    return windowPage(store, INVENTORY_COUNT_KIND, biz, {
      hasIds: Boolean(ioIds),
      field: 'modified',
      predicate: (d) => (biz.status === undefined || d.status === biz.status) && (!ioIds || ioIds.has(String(d.io_id))),
      cacheKey: JSON.stringify([biz.status, biz.io_ids]),
    });
  },
};
