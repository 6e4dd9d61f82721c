/**
 * Client-side pacing of JST calls. JST counts calls per access token and per endpoint (reference §3.4):
 * code 199 above 5/s, code 200 above 100/min. One client holds one token, so a limiter keys on the path.
 * Several processes sharing one token need a shared (Redis) implementation of this interface.
 */
export interface JstCallLimiter {
  /** Resolves when one call to `path` may be sent now; the call is counted from that moment. */
  acquire(path: string): Promise<void>;
}

export interface MemoryCallLimiterOptions {
  /** Calls per path in any 1-second window. Default 5. */
  perSecond?: number;
  /** Calls per path in any 60-second window. Default 100. */
  perMinute?: number;
  /** Clock (epoch ms); injected by tests. */
  now?: () => number;
  /** Waits `ms`; injected by tests. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * In-memory sliding-window limiter: in every 1 s window at most `perSecond` calls per path, in every 60 s window
 * at most `perMinute`. A sliding log rather than a token bucket, because a bucket of 5 refilling at 5/s lets
 * up to 9 calls into one second and JST counts calls, not tokens. Slots are reserved synchronously in call
 * order, so concurrent acquirers never share a slot; waiting callers are served first come, first served.
 */
export function createMemoryCallLimiter(opts: MemoryCallLimiterOptions = {}): JstCallLimiter {
  const perSecond = opts.perSecond ?? 5;
  const perMinute = opts.perMinute ?? 100;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  if (!(perSecond >= 1) || !(perMinute >= 1)) throw new RangeError('call limiter budgets must be at least 1');
  /** Per path: granted or reserved call times, ascending. */
  const logs = new Map<string, number[]>();

  return {
    async acquire(path: string): Promise<void> {
      const t0 = now();
      let log = logs.get(path);
      if (!log) logs.set(path, (log = []));
      while (log.length && log[0] <= t0 - 60_000) log.shift();
      let at = t0;
      if (log.length >= perSecond) at = Math.max(at, log[log.length - perSecond] + 1000);
      if (log.length >= perMinute) at = Math.max(at, log[log.length - perMinute] + 60_000);
      log.push(at);
      const wait = at - t0;
      if (wait > 0) await sleep(wait);
    },
  };
}

/** A limiter that never waits (tests; or when pacing is done elsewhere). */
export function createUnlimitedCallLimiter(): JstCallLimiter {
  return { acquire: async () => undefined };
}
