/**
 * Client-side pacing of JST calls. JST counts calls per access token and per endpoint (reference §3.4):
 * code 199 above 5/s, code 200 above 100/min. One client holds one token, so a limiter keys on the path.
 * Several processes sharing one token need a shared (Redis) implementation of this interface.
 */
export interface JstCallLimiter {
  /** Resolves when one call to `path` may be sent now; the call is counted from that moment. */
  acquire(path: string): Promise<void>;
}

/**
 * Default safety margin of the call limiters (ms): calls are spaced as if each window were this much longer.
 * A call is counted by JST when it arrives, not when our limiter grants it: timers fire a few ms early or late
 * (Node measures them from the event loop's cached time), the request is signed and sent, and JST (or the
 * simulator) counts it in its own windows, which may be fixed seconds and minutes rather than sliding ones. Two
 * calls granted exactly 1000 ms apart can then land in the same counted second and draw a 199. The margin
 * absorbs up to this much difference between grant and arrival; it costs a fifth of the per-second burst and
 * under half a percent of the per-minute budget.
 */
export const DEFAULT_CALL_MARGIN_MS = 250;

export interface MemoryCallLimiterOptions {
  /** Calls per path in any 1-second window. Default 5. */
  perSecond?: number;
  /** Calls per path in any 60-second window. Default 100. */
  perMinute?: number;
  /** Safety margin added to both windows (ms), see DEFAULT_CALL_MARGIN_MS. */
  marginMs?: number;
  /** Clock (epoch ms); injected by tests. */
  now?: () => number;
  /** Waits `ms`; injected by tests. */
  sleep?: (ms: number) => Promise<void>;
}

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * In-memory sliding-window limiter: in every (1 s + margin) window at most `perSecond` calls per path, in every
 * (60 s + margin) window at most `perMinute`. A sliding log rather than a token bucket, because a bucket of 5
 * refilling at 5/s lets up to 9 calls into one second and JST counts calls, not tokens. The margin keeps calls
 * within JST's windows whichever way they are aligned, despite timer and network jitter (DEFAULT_CALL_MARGIN_MS).
 * Slots are reserved synchronously in call order, so concurrent acquirers never share a slot; waiting callers are
 * served first come, first served.
 */
export function createMemoryCallLimiter(opts: MemoryCallLimiterOptions = {}): JstCallLimiter {
  const perSecond = opts.perSecond ?? 5;
  const perMinute = opts.perMinute ?? 100;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const margin = opts.marginMs ?? DEFAULT_CALL_MARGIN_MS;
  if (!(perSecond >= 1) || !(perMinute >= 1)) throw new RangeError('call limiter budgets must be at least 1');
  if (!(margin >= 0)) throw new RangeError('call limiter margin must not be negative');
  /** Per path: granted or reserved call times, ascending. */
  const logs = new Map<string, number[]>();

  return {
    async acquire(path: string): Promise<void> {
      const t0 = now();
      let log = logs.get(path);
      if (!log) logs.set(path, (log = []));
      while (log.length && log[0] <= t0 - 60_000 - margin) log.shift();
      let at = t0;
      if (log.length >= perSecond) at = Math.max(at, log[log.length - perSecond] + 1000 + margin);
      if (log.length >= perMinute) at = Math.max(at, log[log.length - perMinute] + 60_000 + margin);
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
