/**
 * The three error kinds every client and flow throws (STYLE principle 6).
 * Only the worker runner turns them into BullMQ behaviour:
 * - TransientError: retry with exponential backoff and jitter;
 * - RateLimitedError: wait `retryAfterMs`, does not consume an attempt;
 * - PermanentError: straight to the dead letters, with a stable `code` and a human message
 *   that names the document and the bad or missing value.
 */

/** Stable machine-readable classes of permanent failure; operators fix a class at once. */
export type PermanentCode =
  | 'INVALID_SOURCE_DOCUMENT'
  /** A bug in a flow: its pure transform threw something unexpected or produced an invalid target. Report it. */
  | 'TRANSFORM_FAILED'
  | 'UNMAPPED_BASE_DATA'
  | 'KINGDEE_REJECTED'
  /** Kingdee refused the audit (or save with auto-audit): stock would go negative, or another interaction prompt. */
  | 'KINGDEE_NEGATIVE_STOCK'
  /** Kingdee refused the audit: the bill type is under a workflow. */
  | 'KINGDEE_WORKFLOW'
  /** Kingdee refused an operation: the integration user lacks the permission (MsgCode 2). */
  | 'KINGDEE_PERMISSION'
  | 'JST_REJECTED'
  | 'AUTH_FAILED'
  | 'CONFIG_INVALID'
  | 'RETRIES_EXHAUSTED'
  | 'INVALID_RESPONSE';

export interface ErrorDetails {
  /** The flow the error happened in, e.g. `sales-outbound`. */
  flow?: string;
  /** The source document id (JST io_id, ...). */
  docId?: string;
  /** The field path or mapping key that was bad or missing. */
  field?: string;
  /** Anything else worth keeping for an operator (never secrets). */
  [key: string]: unknown;
}

abstract class SyncError<C extends string> extends Error {
  abstract readonly kind: 'transient' | 'rate-limited' | 'permanent';
  /** Stable code for metrics and operators, e.g. `HTTP_5XX`, `TIMEOUT`, `UNMAPPED_BASE_DATA`. */
  readonly code: C;
  readonly details: ErrorDetails;
  constructor(code: C, message: string, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
    this.code = code;
    this.details = details;
  }
}

/** A failure that may go away by itself (network, timeout, HTTP 5xx, session lost twice...). */
export class TransientError extends SyncError<string> {
  readonly kind = 'transient' as const;
}

/** The remote side asked us to slow down; retry after `retryAfterMs` without spending an attempt. */
export class RateLimitedError extends SyncError<string> {
  readonly kind = 'rate-limited' as const;
  readonly retryAfterMs: number;
  constructor(code: string, message: string, retryAfterMs: number, details: ErrorDetails = {}, options?: { cause?: unknown }) {
    super(code, message, details, options);
    this.retryAfterMs = retryAfterMs;
  }
}

/** A failure that retrying cannot fix: bad data, unmapped base data, a rejection. */
export class PermanentError extends SyncError<PermanentCode> {
  readonly kind = 'permanent' as const;
}

export type ClassifiedError = TransientError | RateLimitedError | PermanentError;

export function isClassified(err: unknown): err is ClassifiedError {
  return err instanceof TransientError || err instanceof RateLimitedError || err instanceof PermanentError;
}
