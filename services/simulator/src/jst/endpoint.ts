import type { JstStore } from './store';

/** What a business endpoint may use to answer. */
export interface JstEndpointContext {
  store: JstStore;
  /** Simulator clock, epoch ms. */
  now: () => number;
}

/**
 * One JST business endpoint (`/open/...`). `handle` receives the parsed biz object (after signature, token,
 * permission and rate-limit checks) and returns the envelope's `data`; it throws JstRejection for parameter
 * errors. New flows (purchasein, aftersale, ...) add an endpoint and a store kind.
 */
export interface JstEndpoint {
  path: string;
  handle(biz: Record<string, unknown>, ctx: JstEndpointContext): unknown;
}
