import { createMemoryCallLimiter, DEFAULT_CALL_MARGIN_MS as M } from './call-limiter';

/** A manual clock whose sleeps resolve only when the test advances time. */
function fakeClock() {
  let now = 1_700_000_000_000;
  const timers: { at: number; resolve: () => void }[] = [];
  return {
    now: () => now,
    sleep: (ms: number) => new Promise<void>((resolve) => timers.push({ at: now + ms, resolve })),
    /** Jumps to the next timer and fires every timer due; false when none is pending. */
    async next(): Promise<boolean> {
      await flush();
      if (!timers.length) return false;
      timers.sort((a, b) => a.at - b.at);
      now = Math.max(now, timers[0].at);
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.resolve();
      }
      await flush();
      return true;
    },
    advance(ms: number) {
      now += ms;
    },
  };
}

const flush = () => new Promise<void>((r) => setImmediate(r));

/** Largest number of grants inside any window of `ms` (grant times sorted). */
function maxInWindow(times: number[], ms: number): number {
  let best = 0;
  let lo = 0;
  for (let hi = 0; hi < times.length; hi++) {
    while (times[hi] - times[lo] >= ms) lo++;
    best = Math.max(best, hi - lo + 1);
  }
  return best;
}

describe('createMemoryCallLimiter', () => {
  it('keeps concurrent callers within 5 per second and 100 per minute per path', async () => {
    const clock = fakeClock();
    const limiter = createMemoryCallLimiter({ now: clock.now, sleep: clock.sleep });
    const granted: number[] = [];
    const all = Array.from({ length: 230 }, () => limiter.acquire('/open/orders/out/simple/query').then(() => granted.push(clock.now())));
    while (await clock.next());
    await Promise.all(all);

    expect(granted).toHaveLength(230);
    const sorted = [...granted].sort((a, b) => a - b);
    expect(maxInWindow(sorted, 1000)).toBe(5);
    expect(maxInWindow(sorted, 60_000)).toBe(100);
    // not slower than the budget demands: 230 calls need two full minutes plus a little
    expect(sorted[sorted.length - 1] - sorted[0]).toBeLessThan(2 * 60_000 + 7_000);
  });

  it('lets calls through without waiting while under budget, and counts paths separately', async () => {
    const clock = fakeClock();
    let sleeps = 0;
    const limiter = createMemoryCallLimiter({ now: clock.now, sleep: (ms) => (sleeps++, clock.sleep(ms)) });
    for (let i = 0; i < 5; i++) await limiter.acquire('/a');
    for (let i = 0; i < 5; i++) await limiter.acquire('/b');
    expect(sleeps).toBe(0);
    const sixth = limiter.acquire('/a');
    expect(sleeps).toBe(1);
    await clock.next();
    await sixth;
    expect(sleeps).toBe(1);
  });

  it('forgets calls older than the window', async () => {
    const clock = fakeClock();
    let sleeps = 0;
    const limiter = createMemoryCallLimiter({ perSecond: 2, perMinute: 3, now: clock.now, sleep: (ms) => (sleeps++, clock.sleep(ms)) });
    await limiter.acquire('/a');
    await limiter.acquire('/a');
    clock.advance(1000 + M);
    await limiter.acquire('/a');
    expect(sleeps).toBe(0);
    clock.advance(1000 + M);
    const p = limiter.acquire('/a'); // 4th within a minute: waits for the first to age out
    expect(sleeps).toBe(1);
    await clock.next();
    await p;
    expect(clock.now()).toBe(1_700_000_000_000 + 60_000 + M);
  });

  it('spaces calls by the windows plus the safety margin (default 250 ms), or exactly with marginMs 0', async () => {
    expect(M).toBe(250);
    for (const margin of [undefined, 0, 400]) {
      const clock = fakeClock();
      const limiter = createMemoryCallLimiter({ now: clock.now, sleep: clock.sleep, ...(margin === undefined ? {} : { marginMs: margin }) });
      const granted: number[] = [];
      const all = Array.from({ length: 110 }, () => limiter.acquire('/p').then(() => granted.push(clock.now())));
      while (await clock.next());
      await Promise.all(all);
      const m = margin ?? M;
      const sorted = [...granted].sort((a, b) => a - b);
      expect(maxInWindow(sorted, 1000 + m)).toBe(5);
      expect(maxInWindow(sorted, 60_000 + m)).toBe(100);
      expect(sorted[5] - sorted[0]).toBe(1000 + m);
      expect(sorted[100] - sorted[0]).toBe(60_000 + m);
    }
    expect(() => createMemoryCallLimiter({ marginMs: -1 })).toThrow(RangeError);
  });

  it('refuses a zero budget', () => {
    expect(() => createMemoryCallLimiter({ perSecond: 0 })).toThrow(RangeError);
  });
});
