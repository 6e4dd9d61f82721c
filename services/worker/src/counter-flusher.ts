/**
 * Counts per (flow, day) in memory and hands them to `send` every `everyMs` (best effort: a failed send is dropped,
 * as a lost increment never fails a job); `stop` sends what is left.
 */
export function createCounterFlusher(send: (flow: string, day: string, n: number) => Promise<void>, everyMs: number) {
  let counts = new Map<string, number>();
  const flush = async () => {
    const due = counts;
    counts = new Map();
    await Promise.all([...due].map(([key, n]) => {
      const [flow, day] = key.split('\n');
      return send(flow, day, n).catch(() => undefined);
    }));
  };
  const timer = setInterval(() => void flush(), everyMs);
  timer.unref();
  return {
    add(flow: string, day: string) {
      const key = `${flow}\n${day}`;
      counts.set(key, (counts.get(key) ?? 0) + 1);
    },
    async stop() {
      clearInterval(timer);
      await flush();
    },
  };
}
