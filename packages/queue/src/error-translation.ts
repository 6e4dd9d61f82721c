import { PermanentError, RateLimitedError, TransientError } from '@sync/errors';
import { formatFailedReason } from './failed-reason';

/** What the worker runner does with an error thrown by a processor. */
export type ErrorAction =
  /** Pause the whole queue for `delayMs` and put the job back in waiting without spending an attempt. */
  | { kind: 'rate-limit'; delayMs: number; code: string; message: string }
  /** Retry later with backoff (a plain throw: BullMQ spends an attempt). */
  | { kind: 'retry'; reason: string; code: string }
  /** Fail now, no more attempts: the job lands in the failed set (the dead letters) with `reason`. */
  | { kind: 'dead-letter'; reason: string; code: string; details: Record<string, unknown> };

/** Rate-limited re-runs allowed beyond `attempts` before a job is dead-lettered anyway (guards a loop). */
export const MAX_RATE_LIMITED_STARTS = 200;

/**
 * Pure translation of our three error kinds (plus anything unclassified) to BullMQ behaviour.
 * `attemptsMade` counts previous failed attempts (0 on the first run); `attemptsStarted` every start,
 * rate-limited ones included. PermanentError → dead letter `[CODE] message`; RateLimitedError → rate limit;
 * TransientError and unknown errors → retry, or dead letter `[RETRIES_EXHAUSTED] ...` on the last attempt.
 */
export function translateError(
  err: unknown,
  job: { attemptsMade: number; attempts: number; attemptsStarted?: number },
): ErrorAction {
  if (err instanceof PermanentError) {
    return {
      kind: 'dead-letter',
      code: err.code,
      reason: formatFailedReason(err.code, err.message),
      details: { ...err.details },
    };
  }
  if (err instanceof RateLimitedError) {
    if ((job.attemptsStarted ?? 0) > job.attempts + MAX_RATE_LIMITED_STARTS) {
      return {
        kind: 'dead-letter',
        code: 'RETRIES_EXHAUSTED',
        reason: formatFailedReason('RETRIES_EXHAUSTED', `still rate limited after ${job.attemptsStarted} starts: [${err.code}] ${err.message}`),
        details: { ...err.details, lastCode: err.code },
      };
    }
    return { kind: 'rate-limit', delayMs: Math.max(1, Math.round(err.retryAfterMs)), code: err.code, message: err.message };
  }
  const code = err instanceof TransientError ? err.code : 'UNEXPECTED';
  const message = err instanceof Error ? err.message : String(err);
  const details = err instanceof TransientError ? { ...err.details } : {};
  if (job.attemptsMade + 1 >= job.attempts) {
    return {
      kind: 'dead-letter',
      code: 'RETRIES_EXHAUSTED',
      reason: formatFailedReason('RETRIES_EXHAUSTED', `after ${job.attemptsMade + 1} attempts: [${code}] ${message}`),
      details: { ...details, lastCode: code },
    };
  }
  return { kind: 'retry', code, reason: formatFailedReason(code, message) };
}
