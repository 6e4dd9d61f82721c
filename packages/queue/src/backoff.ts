import { MAX_BACKOFF_MS } from './catalog';

/**
 * Delay (ms) before the next attempt: exponential on `attemptsMade` (1 after the first failure) from
 * `baseMs`, capped at `maxMs`, with "equal jitter": uniformly in [d/2, d], so that many documents
 * failing together (Kingdee down) do not all come back at the same instant. `random` returns [0, 1).
 */
export function backoffDelay(
  attemptsMade: number,
  baseMs: number,
  opts: { maxMs?: number; random?: () => number } = {},
): number {
  const maxMs = opts.maxMs ?? MAX_BACKOFF_MS;
  const random = opts.random ?? Math.random;
  const exp = Math.max(0, attemptsMade - 1);
  const full = Math.min(maxMs, baseMs * 2 ** Math.min(exp, 30));
  const half = full / 2;
  return Math.round(half + random() * half);
}
