/**
 * A fixed-window request limiter kept in memory, one counter per key (a credential's principal, or the client IP
 * before authentication). Each API replica limits on its own; that bounds abuse, which is all it is for.
 */
export interface RateLimiter {
  /**
   * Counts one request of `key` at `nowMs`. Returns `allowed: false` and how long until the window resets when
   * the key already made `limit` requests in the current window.
   */
  hit(key: string, nowMs: number): { allowed: true } | { allowed: false; retryAfterMs: number };
}

/** `limit` requests per `windowMs` per key. Windows that ended are dropped as keys are seen, so memory stays bounded. */
export function createRateLimiter(opts: { limit: number; windowMs: number }): RateLimiter {
  const windows = new Map<string, { start: number; count: number }>();
  let lastSweep = 0;
  return {
    hit(key, nowMs) {
      if (nowMs - lastSweep >= opts.windowMs) {
        for (const [k, w] of windows) if (nowMs - w.start >= opts.windowMs) windows.delete(k);
        lastSweep = nowMs;
      }
      let w = windows.get(key);
      if (!w || nowMs - w.start >= opts.windowMs) {
        w = { start: nowMs, count: 0 };
        windows.set(key, w);
      }
      if (w.count >= opts.limit) return { allowed: false, retryAfterMs: w.start + opts.windowMs - nowMs };
      w.count += 1;
      return { allowed: true };
    },
  };
}
