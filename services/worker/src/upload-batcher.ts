/**
 * An in-process collector that turns many concurrent jobs into few upload calls. BullMQ OSS has no batch
 * consumer, so each job's processor submits its items and awaits them; the batcher sends a call when
 * `maxItems` are pending or `waitMs` after the first pending item, and settles every item with its own
 * result (or with the call's error, which then fails every job of that call in the same way).
 */
export interface UploadBatcher<I, R> {
  /**
   * Queues `items` (split over several calls when they do not fit in one) and resolves with one result per
   * item, in order. Rejects with the error of the call that carried any of them (the first such error).
   */
  submit(items: readonly I[]): Promise<R[]>;
  /** Sends what is pending now; later submits still work. Resolves when the calls in flight settle. */
  flush(): Promise<void>;
}

interface Pending<I, R> {
  item: I;
  resolve(r: R): void;
  reject(err: unknown): void;
}

export interface UploadBatcherOptions<I, R> {
  /** Items per call, at least 1. */
  maxItems: number;
  /** Wait after the first pending item before a partial call (ms); 0 = send on the next tick. */
  waitMs: number;
  /** One call: must resolve with exactly one result per item, in order; a throw fails all of them. */
  send(items: I[]): Promise<R[]>;
  /** Keys that must not share one call (e.g. two versions of one SKU): a repeat starts a new call. */
  keyOf?(item: I): string;
}

export function createUploadBatcher<I, R>(opts: UploadBatcherOptions<I, R>): UploadBatcher<I, R> {
  const max = Math.max(1, Math.floor(opts.maxItems));
  let pending: Pending<I, R>[] = [];
  let keys = new Set<string>();
  let timer: NodeJS.Timeout | undefined;
  const inFlight = new Set<Promise<void>>();

  function sendPending(): void {
    if (timer) clearTimeout(timer);
    timer = undefined;
    if (!pending.length) return;
    const batch = pending;
    pending = [];
    keys = new Set();
    const call = (async () => {
      try {
        const results = await opts.send(batch.map((p) => p.item));
        if (results.length !== batch.length) throw new Error(`upload answered ${results.length} results for ${batch.length} items`);
        batch.forEach((p, i) => p.resolve(results[i]));
      } catch (err) {
        for (const p of batch) p.reject(err);
      }
    })();
    inFlight.add(call);
    void call.finally(() => inFlight.delete(call));
  }

  function add(item: I): Promise<R> {
    const key = opts.keyOf?.(item);
    if (key !== undefined && keys.has(key)) sendPending();
    return new Promise<R>((resolve, reject) => {
      pending.push({ item, resolve, reject });
      if (key !== undefined) keys.add(key);
      if (pending.length >= max) sendPending();
      else if (!timer) timer = setTimeout(sendPending, opts.waitMs);
    });
  }

  return {
    submit(items) {
      return Promise.all(items.map(add));
    },
    async flush() {
      sendPending();
      await Promise.allSettled([...inFlight]);
    },
  };
}
