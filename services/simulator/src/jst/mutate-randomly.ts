import { formatBeijing } from './beijing-time';
import { createPrng } from './prng';
import { ORDERS_OUT_KIND } from './sales-outbound';
import type { JstStore } from './store';

export interface MutateRandomlyOptions {
  kind?: string;
  /** Only documents with this status are candidates. */
  status?: string;
  /** Probability that a WaitConfirm sales outbound document ships (→ Confirmed, io_date and l_id set). Default 0.5. */
  confirmRate?: number;
}

/**
 * Edits up to `count` distinct documents picked deterministically from `seed` (by current ts order): every one
 * gets a new ts and modified ("touch"); sales outbound documents in WaitConfirm ship with probability
 * confirmRate. Returns the ids changed, as strings.
 */
export function mutateRandomly(store: JstStore, now: () => number, count: number, seed: number | string, opts: MutateRandomlyOptions = {}): string[] {
  const kind = opts.kind ?? ORDERS_OUT_KIND;
  const prng = createPrng(seed);
  const candidates = store.ids(kind, opts.status === undefined ? {} : { status: opts.status });
  const chosen: string[] = [];
  for (let i = 0; i < candidates.length && chosen.length < count; i++) {
    // Partial Fisher–Yates: position i takes a random remaining candidate.
    const j = prng.int(i, candidates.length - 1);
    [candidates[i], candidates[j]] = [candidates[j]!, candidates[i]!];
    const id = candidates[i]!;
    const status = kind === ORDERS_OUT_KIND ? store.get(kind, id)?.status : undefined;
    if (status === 'WaitConfirm' && prng.chance(opts.confirmRate ?? 0.5)) {
      store.mutate(kind, id, { status: 'Confirmed', patch: { io_date: formatBeijing(now()), l_id: `SF${String(prng.int(1e11, 1e12 - 1))}` } });
    } else {
      store.mutate(kind, id);
    }
    chosen.push(id);
  }
  return chosen;
}
