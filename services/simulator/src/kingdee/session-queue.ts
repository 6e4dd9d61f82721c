/**
 * Per-session FIFO: calls that share a key run one at a time in arrival order, different keys run in
 * parallel (the real server queues calls per session/user, reference §7). Tracks the concurrency
 * high-water marks the stats report.
 */
export interface SessionQueue {
  /** Runs `fn` after every earlier call with the same key has finished (or at once when `serialize` is false). */
  run<T>(key: string, serialize: boolean, fn: () => Promise<T>): Promise<T>;
  /** Highest number of calls ever running at once per key, and overall. */
  highWater(): { overall: number; perKey: Record<string, number> };
  reset(): void;
}

export function createSessionQueue(): SessionQueue {
  const tails = new Map<string, Promise<void>>();
  const active = new Map<string, number>();
  const peak = new Map<string, number>();
  let running = 0;
  let overallPeak = 0;

  const enter = (key: string): void => {
    const n = (active.get(key) ?? 0) + 1;
    active.set(key, n);
    peak.set(key, Math.max(peak.get(key) ?? 0, n));
    running++;
    overallPeak = Math.max(overallPeak, running);
  };
  const leave = (key: string): void => {
    active.set(key, (active.get(key) ?? 1) - 1);
    running--;
  };

  return {
    async run(key, serialize, fn) {
      if (!serialize) {
        enter(key);
        try {
          return await fn();
        } finally {
          leave(key);
        }
      }
      const previous = tails.get(key) ?? Promise.resolve();
      let release!: () => void;
      const mine = new Promise<void>((resolve) => (release = resolve));
      const tail = previous.then(() => mine);
      tails.set(key, tail);
      await previous;
      enter(key);
      try {
        return await fn();
      } finally {
        leave(key);
        release();
        if (tails.get(key) === tail) tails.delete(key);
      }
    },
    highWater: () => ({ overall: overallPeak, perKey: Object.fromEntries(peak) }),
    reset() {
      peak.clear();
      overallPeak = running;
    },
  };
}
