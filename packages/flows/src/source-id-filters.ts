/**
 * The id-list filter of each JST query endpoint, used to read given documents (resync by ids in the poller,
 * preview by id in the API).
 */

/** Id-list filter key of each JST query endpoint, for resync by document ids (≤ 50 ids per call). */
export const ID_FILTER_KEYS: Record<string, string> = {
  '/open/orders/out/simple/query': 'io_ids',
  '/open/allocate/query': 'io_ids',
  '/open/other/inout/query': 'io_ids',
  '/open/purchasein/query': 'io_ids',
  '/open/purchaseout/query': 'io_ids',
  '/open/refund/single/query': 'as_ids',
  // 退仓单 are keyed by io_id (the sales-return docId); as_ids would select by the after-sale instead.
  '/open/aftersale/received/query': 'io_ids',
};

/** Endpoints whose id-list filter takes fewer than 50 ids (reference §6, §7: purchasein and purchaseout io_ids ≤ 30). */
export const ID_FILTER_MAX: Record<string, number> = {
  '/open/purchasein/query': 30,
  '/open/purchaseout/query': 30,
};
