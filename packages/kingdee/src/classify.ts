import { PermanentError, RateLimitedError, TransientError, type ClassifiedError } from '@sync/errors';
import type { KingdeeFieldError } from './types';
import type { NormalizedStatus } from './envelope';

/** Texts that mean "session lost" on servers that send no MsgCode (kingdee-api.md §2.3). */
const SESSION_EXPIRED_TEXTS = ['会话信息已丢失', '会话已过期', '会话已超时', 'Session 已失效', 'Session已失效'];

/** MsgCode 1 = 上下文丢失; MsgCode-less servers are recognised by the known expiry texts. Pure. */
export function isSessionLost(status: NormalizedStatus): boolean {
  if (status.isSuccess) return false;
  if (status.msgCode === 1) return true;
  return status.errors.some((e) => SESSION_EXPIRED_TEXTS.some((t) => e.message.includes(t)));
}

/** Everything that can go wrong with one Kingdee call, as data (input of the classifier). */
export type KingdeeFailure =
  | { kind: 'http'; status: number; retryAfterMs?: number; gatewayErrcode?: number; snippet?: string }
  | { kind: 'timeout'; write: boolean }
  | { kind: 'network'; code: string }
  | { kind: 'response-error'; message: string }
  | { kind: 'invalid'; reason: string }
  /** IsSuccess false (any MsgCode). */
  | { kind: 'status'; status: NormalizedStatus };

/** What the client does next: re-login and replay (session path) or throw this error. */
export type KingdeeVerdict = { action: 'relogin' } | { action: 'throw'; error: ClassifiedError };

export interface FailureContext {
  /** WebAPI operation, e.g. `Save`. */
  op: string;
  formId?: string;
}

const DEFAULT_RATE_LIMIT_MS = 1000;

function where(ctx: FailureContext): string {
  return ctx.formId ? `${ctx.op} ${ctx.formId}` : ctx.op;
}

/** `FieldName: Message` for each error, `; `-separated (FieldName omitted when null). Pure. */
export function formatFieldErrors(errors: readonly { fieldName: string | null; message: string }[]): string {
  return errors.map((e) => (e.fieldName ? `${e.fieldName}: ${e.message}` : e.message)).join('; ');
}

/** Public field errors: DIndex 0 when the server left it out. */
export function toFieldErrors(status: NormalizedStatus): KingdeeFieldError[] {
  return status.errors.map((e) => ({ fieldName: e.fieldName, message: e.message, dIndex: e.dIndex ?? 0 }));
}

/**
 * Table-driven classification of a failed Kingdee call (STYLE principle 6). Pure, no I/O.
 * - HTTP 5xx (and gateway 519 except its auth codes), 408, timeouts, network errors, `response_error:` → TransientError;
 *   a timed-out write carries `details.ambiguous = true` (the server may have applied it).
 * - HTTP 429 → RateLimitedError; 401/403 and gateway 4002 → PermanentError AUTH_FAILED; other 4xx → KINGDEE_REJECTED.
 * - MsgCode 1 or a known expiry text → `relogin` (the caller replays once).
 * - MsgCode 13 (network-control lock) and 14 (call limit) → TransientError.
 * - Any other IsSuccess false → PermanentError KINGDEE_REJECTED, details `{ errors, msgCode }`.
 * - HTML / unparseable bodies → PermanentError INVALID_RESPONSE.
 */
export function classifyKingdeeFailure(failure: KingdeeFailure, ctx: FailureContext): KingdeeVerdict {
  const w = where(ctx);
  const base = { op: ctx.op, formId: ctx.formId };
  switch (failure.kind) {
    case 'http': {
      const s = failure.status;
      if (s === 429) {
        return { action: 'throw', error: new RateLimitedError('HTTP_429', `Kingdee ${w}: HTTP 429`, failure.retryAfterMs ?? DEFAULT_RATE_LIMIT_MS, { ...base, httpStatus: s }) };
      }
      if (s === 401 || s === 403 || (s === 519 && failure.gatewayErrcode === 4002)) {
        return { action: 'throw', error: new PermanentError('AUTH_FAILED', `Kingdee ${w}: HTTP ${s} (not authorised)`, { ...base, httpStatus: s, gatewayErrcode: failure.gatewayErrcode }) };
      }
      if (s >= 500 || s === 408) {
        return { action: 'throw', error: new TransientError('HTTP_5XX', `Kingdee ${w}: HTTP ${s}`, { ...base, httpStatus: s, gatewayErrcode: failure.gatewayErrcode }) };
      }
      return { action: 'throw', error: new PermanentError('KINGDEE_REJECTED', `Kingdee ${w}: HTTP ${s}${failure.snippet ? ` ${failure.snippet}` : ''}`, { ...base, httpStatus: s }) };
    }
    case 'timeout':
      return {
        action: 'throw',
        error: new TransientError(
          'TIMEOUT',
          failure.write ? `Kingdee ${w} timed out: it may have been applied; look the bill up before retrying` : `Kingdee ${w} timed out`,
          { ...base, ambiguous: failure.write },
        ),
      };
    case 'network':
      return { action: 'throw', error: new TransientError('NETWORK', `Kingdee ${w}: network error ${failure.code}`, { ...base, networkCode: failure.code }) };
    case 'response-error':
      return { action: 'throw', error: new TransientError('RESPONSE_ERROR', `Kingdee ${w}: server exception: ${failure.message}`, base) };
    case 'invalid':
      return { action: 'throw', error: new PermanentError('INVALID_RESPONSE', `Kingdee ${w}: unexpected response: ${failure.reason}`, base) };
    case 'status': {
      const st = failure.status;
      if (isSessionLost(st)) return { action: 'relogin' };
      const errors = toFieldErrors(st);
      const text = formatFieldErrors(errors) || 'no error message';
      if (st.msgCode === 13) {
        return { action: 'throw', error: new TransientError('NETWORK_CONTROL_LOCK', `Kingdee ${w}: network-control conflict: ${text}`, { ...base, errors, msgCode: 13 }) };
      }
      if (st.msgCode === 14) {
        return { action: 'throw', error: new TransientError('CALL_LIMIT', `Kingdee ${w}: call limit reached: ${text}`, { ...base, errors, msgCode: 14 }) };
      }
      return { action: 'throw', error: new PermanentError('KINGDEE_REJECTED', `Kingdee rejected ${w}: ${text}`, { ...base, errors, msgCode: st.msgCode }) };
    }
  }
}

/** The error thrown when the session is lost again right after a fresh login. */
export function sessionLostError(ctx: FailureContext): TransientError {
  return new TransientError('SESSION_LOST', `Kingdee ${where(ctx)}: session lost again after re-login`, { op: ctx.op, formId: ctx.formId });
}
