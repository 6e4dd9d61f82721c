/**
 * Timers the simulator waits on (latency, held answers). `close()` aborts them all so shutting the
 * simulator down never waits for a held answer.
 */
export interface Sleeper {
  /** Resolves after `ms` (immediately for ms <= 0) or as soon as `abortAll` runs. */
  sleep(ms: number): Promise<void>;
  abortAll(): void;
  /** How many sleeps are still waiting. */
  pending(): number;
}

export function createSleeper(): Sleeper {
  const pending = new Set<() => void>();
  return {
    sleep(ms) {
      if (!(ms > 0)) return Promise.resolve();
      return new Promise<void>((resolve) => {
        const done = (): void => {
          clearTimeout(timer);
          pending.delete(done);
          resolve();
        };
        const timer = setTimeout(done, ms);
        pending.add(done);
      });
    },
    pending: () => pending.size,
    abortAll() {
      for (const done of [...pending]) done();
    },
  };
}
