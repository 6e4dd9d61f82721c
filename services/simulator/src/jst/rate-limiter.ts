/**
 * JST's call-frequency limits (reference §3.4), counted per access_token and per path independently, in fixed
 * one-second and one-minute windows of the simulator clock. Rejected calls do not count.
 */
export interface RateLimits {
  /** Calls per second per (token, path); 0 or Infinity = off. */
  perSecond: number;
  /** Calls per minute per (token, path); 0 or Infinity = off. */
  perMinute: number;
}

export type RateDecision = 'ok' | 'per-second' | 'per-minute';

export interface RateLimiter {
  /** Counts the call when allowed; otherwise tells which limit refused it. */
  take(token: string, path: string, nowMs: number, limits: RateLimits): RateDecision;
  reset(): void;
}

const active = (limit: number): boolean => Number.isFinite(limit) && limit > 0;

export function createRateLimiter(): RateLimiter {
  const counters = new Map<string, { second: number; inSecond: number; minute: number; inMinute: number }>();
  return {
    take(token, path, nowMs, limits) {
      const key = `${token}\u0000${path}`;
      const second = Math.floor(nowMs / 1000);
      const minute = Math.floor(nowMs / 60000);
      let c = counters.get(key);
      if (!c) {
        c = { second, inSecond: 0, minute, inMinute: 0 };
        counters.set(key, c);
      }
      if (c.second !== second) {
        c.second = second;
        c.inSecond = 0;
      }
      if (c.minute !== minute) {
        c.minute = minute;
        c.inMinute = 0;
      }
      if (active(limits.perSecond) && c.inSecond >= limits.perSecond) return 'per-second';
      if (active(limits.perMinute) && c.inMinute >= limits.perMinute) return 'per-minute';
      c.inSecond++;
      c.inMinute++;
      return 'ok';
    },
    reset: () => counters.clear(),
  };
}
