import type { JstStore } from './store';

/** What a business endpoint may use to answer. */
export interface JstEndpointContext {
  store: JstStore;
  /** Simulator clock, epoch ms. */
  now: () => number;
  /**
   * Which shops the open API serves (`qimen.shopChannels`: Taobao/Tmall shops may be reachable only through
   * Qimen); `cacheKey` describes the current setting for scan caches. Endpoints whose documents carry a shop apply
   * it; absent = every shop.
   */
  openwebShops?: ShopFilter;
}

/** A filter on documents' `shop_id`, and a string that changes whenever the filter does. */
export interface ShopFilter {
  serves(shopId: unknown): boolean;
  cacheKey: string;
}

/** Serves every shop. */
export const ALL_SHOPS: ShopFilter = { serves: () => true, cacheKey: '' };

/**
 * One JST business endpoint (`/open/...`). `handle` receives the parsed biz object (after signature, token,
 * permission and rate-limit checks) and returns the envelope's `data`; it throws JstRejection for parameter
 * errors. New flows (purchasein, aftersale, ...) add an endpoint and a store kind.
 */
export interface JstEndpoint {
  path: string;
  handle(biz: Record<string, unknown>, ctx: JstEndpointContext): unknown;
}
