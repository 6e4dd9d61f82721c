/** Call counters exposed by `GET /__admin/stats` and `sim.stats()`. */
export interface JstStats {
  /** Calls per protocol path, whatever the outcome. */
  calls: Record<string, number>;
  /** Answers per path and JST code (`0` = success). */
  codes: Record<string, Record<string, number>>;
  /** Rate-limit rejections. */
  rateLimited: { perSecond: number; perMinute: number; byPath: Record<string, { perSecond: number; perMinute: number }> };
  /** Injected faults per kind. */
  faults: Record<string, number>;
}

export interface StatsRecorder {
  call(path: string): void;
  code(path: string, code: number): void;
  rateLimited(path: string, which: 'perSecond' | 'perMinute'): void;
  fault(kind: string): void;
  snapshot(): JstStats;
  reset(): void;
}

export function createStatsRecorder(): StatsRecorder {
  let s: JstStats;
  const reset = (): void => {
    s = { calls: {}, codes: {}, rateLimited: { perSecond: 0, perMinute: 0, byPath: {} }, faults: {} };
  };
  reset();
  return {
    call: (path) => {
      s.calls[path] = (s.calls[path] ?? 0) + 1;
    },
    code: (path, code) => {
      const byCode = (s.codes[path] ??= {});
      byCode[String(code)] = (byCode[String(code)] ?? 0) + 1;
    },
    rateLimited: (path, which) => {
      s.rateLimited[which]++;
      const p = (s.rateLimited.byPath[path] ??= { perSecond: 0, perMinute: 0 });
      p[which]++;
    },
    fault: (kind) => {
      s.faults[kind] = (s.faults[kind] ?? 0) + 1;
    },
    snapshot: () => structuredClone(s),
    reset,
  };
}
