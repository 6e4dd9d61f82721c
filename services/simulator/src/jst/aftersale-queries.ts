import { z } from 'zod';
import { bizBool, bizIdList, bizInt, checkWindow, parseBiz } from './biz-params';
import { ALL_SHOPS, type JstEndpoint, type ShopFilter } from './endpoint';
import { JstRejection } from './error-codes';
import { MAX_PAGE_SIZE, queryPage, type QueryPageData } from './query-page';
import {
  AFTERSALE_RECEIVED_KIND, AFTERSALE_RECEIVED_PATH, AFTERSALE_STATUSES, GOOD_STATUSES, REFUND_KIND, REFUND_PATH,
} from './sales-return';
import type { JstDoc, JstStore } from './store';

const paging = {
  page_index: bizInt.pipe(z.number().min(1, 'must be >= 1')).optional(),
  page_size: bizInt.pipe(z.number().min(1, 'must be >= 1').max(MAX_PAGE_SIZE, `must be <= ${MAX_PAGE_SIZE}`)).optional(),
  modified_begin: z.string().optional(),
  modified_end: z.string().optional(),
  so_ids: bizIdList(50).optional(),
  o_ids: bizIdList(50).optional(),
  as_ids: bizIdList(50).optional(),
  shop_id: bizInt.optional(),
  start_ts: bizInt.pipe(z.number().min(0, 'must be >= 0')).optional(),
  is_get_total: bizBool.optional(),
};

/** biz of /open/aftersale/received/query (§5.2); unknown keys are accepted and ignored. */
export const aftersaleReceivedQuerySchema = z.looseObject({
  ...paging,
  io_ids: bizIdList(50).optional(),
  date_type: bizInt.pipe(z.union([z.literal(0), z.literal(1), z.literal(2), z.literal(4)], { message: 'must be 0 (modified), 1 (created), 2 (order date) or 4 (in/out time)' })).optional(),
});

/** biz of /open/refund/single/query (§5.1); unknown keys are accepted and ignored. */
export const refundSingleQuerySchema = z.looseObject({
  ...paging,
  shop_buyer_ids: bizIdList(50).optional(),
  status: z.enum(AFTERSALE_STATUSES, { message: `must be one of ${AFTERSALE_STATUSES.join(', ')}` }).optional(),
  good_status: z.enum(GOOD_STATUSES, { message: `must be one of ${GOOD_STATUSES.join(', ')}` }).optional(),
  type: z.string().optional(),
  is_offline_shop: bizBool.optional(),
});

interface AftersaleQuery {
  path: string;
  kind: string;
  /** Id-list filters this endpoint takes: biz key → document field. */
  idFilters: Record<string, string>;
  /** Extra equality filters: biz key → document field. */
  valueFilters: Record<string, string>;
  /** Window fields by date_type (default 0 → modified). */
  dateFields: Record<number, string>;
  /** How a stored row is rendered (refund ts is a String in IEU). */
  render(row: JstDoc): Record<string, unknown>;
  /** The shops this endpoint serves (售后单 of Taobao/Tmall shops may be reachable only through Qimen). */
  shops: ShopFilter;
}

/**
 * One query over the live store, shared by both after-sale endpoints (same protocol as the outbound query):
 * start_ts mode ignores other filters, ts order, OFFSET paging re-evaluated on every call; window mode needs
 * both modified ends (≤ 7 days) or an id list, and orders by the window field then id.
 */
function handleAftersale(q: AftersaleQuery, biz: Record<string, unknown> & { page_index?: number; page_size?: number; start_ts?: number; is_get_total?: boolean; modified_begin?: string; modified_end?: string; date_type?: number; shop_id?: number }, store: JstStore): QueryPageData {
  const paging = queryPage(biz, (row) => q.render(row) as JstDoc);
  if (biz.start_ts !== undefined) return paging.byTs(store, q.kind, biz.start_ts, (d) => q.shops.serves(d.shop_id));
  const window = checkWindow(biz.modified_begin, biz.modified_end);
  const idSets = Object.entries(q.idFilters)
    .map(([key, field]) => [field, biz[key]] as const)
    .filter((e): e is readonly [string, string[]] => Array.isArray(e[1]) && e[1].length > 0)
    .map(([field, ids]) => [field, new Set(ids)] as const);
  if (!window && !idSets.length) {
    throw new JstRejection('badParameter', `modified_begin/modified_end: required unless ${Object.keys(q.idFilters).join(', ')} are given`);
  }
  const values = Object.entries(q.valueFilters).filter(([key]) => biz[key] !== undefined).map(([key, field]) => [field, biz[key]] as const);
  const predicate = (d: JstDoc): boolean =>
    q.shops.serves(d.shop_id) &&
    (!biz.shop_id || d.shop_id === biz.shop_id) &&
    values.every(([field, v]) => d[field] === v) &&
    idSets.every(([field, ids]) => ids.has(String(d[field])));
  const field = q.dateFields[biz.date_type ?? 0] ?? 'modified';
  const cacheKey = JSON.stringify([q.path, q.shops.cacheKey, field, window, biz.shop_id, values, idSets.map(([f, s]) => [f, [...s]])]);
  return paging.ordered(store, q.kind, { field, from: window?.begin, to: window?.end }, predicate, cacheKey);
}

/** `/open/aftersale/received/query` (退仓单): filters io_ids, as_ids, o_ids, so_ids, shop_id; date_type 0/1/2/4. */
export const aftersaleReceivedQueryEndpoint: JstEndpoint = {
  path: AFTERSALE_RECEIVED_PATH,
  handle(rawBiz, { store }) {
    const biz = parseBiz(aftersaleReceivedQuerySchema, rawBiz);
    return handleAftersale({
      path: AFTERSALE_RECEIVED_PATH,
      kind: AFTERSALE_RECEIVED_KIND,
      idFilters: { io_ids: 'io_id', as_ids: 'as_id', o_ids: 'o_id', so_ids: 'so_id' },
      valueFilters: {},
      dateFields: { 0: 'modified', 1: 'created', 2: 'order_date', 4: 'io_date' },
      render: (row) => row,
      // Whether JST restricts 退仓单 like 售后单 is unconfirmed (reference §5): served for every shop.
      shops: ALL_SHOPS,
    }, biz, store);
  },
};

/** `/open/refund/single/query` (售后单): filters as_ids, o_ids, so_ids, shop_id, status, good_status, type; ts as a String. */
export const refundSingleQueryEndpoint: JstEndpoint = {
  path: REFUND_PATH,
  handle(rawBiz, { store, openwebShops = ALL_SHOPS }) {
    const biz = parseBiz(refundSingleQuerySchema, rawBiz);
    return handleAftersale({
      path: REFUND_PATH,
      kind: REFUND_KIND,
      idFilters: { as_ids: 'as_id', o_ids: 'o_id', so_ids: 'so_id', shop_buyer_ids: 'shop_buyer_id' },
      valueFilters: { status: 'status', good_status: 'good_status', type: 'type' },
      dateFields: { 0: 'modified' },
      render: (row) => ({ ...row, ts: String(row.ts) }),
      shops: openwebShops,
    }, biz, store);
  },
};
