import { PermanentError, RateLimitedError, TransientError, type ClassifiedError, type ErrorDetails } from '@sync/errors';
import { classifyJstError, DEFAULT_RATE_LIMIT_DELAYS } from './classify-error';

/** What is known about one failed Qimen exchange. Never put secrets here: it ends up in error details. */
export interface QimenFailure {
  /** The Qimen method, e.g. jushuitan.saleout.list.query. */
  method?: string;
  httpStatus?: number;
  /** `code` of the failure: numeric for TOP gateway errors, a string (e.g. `JST_…`) for the target's own. */
  code?: string | number;
  message?: string;
  /** `sub_code` / `sub_message` (or `sub_msg`) when the gateway gave them. */
  subCode?: string;
  subMessage?: string;
  retryAfter?: string;
  /** Set when no response arrived. */
  networkError?: { code?: string; message: string };
}

/** Waits attached to RateLimitedError from the Qimen gateway (ms). */
export interface QimenRateLimitDelays {
  /** TOP code 7 (App Call Limited) without a stated ban length. Default 1000. */
  callLimitMs: number;
  /** HTTP 429 without a usable Retry-After. Default 1000. */
  http429Ms: number;
}

export const DEFAULT_QIMEN_RATE_LIMIT_DELAYS: QimenRateLimitDelays = { callLimitMs: 1000, http429Ms: 1000 };

/** Codes that mean success: TOP answers flag=success with code 0 (number or string); some targets say SUCCESS. */
export function isQimenSuccessCode(code: unknown): boolean {
  if (code === undefined || code === null || code === '') return true;
  if (typeof code === 'number') return code === 0;
  if (typeof code === 'string') return /^(0|success|ok)$/i.test(code.trim());
  return false;
}

const ENV_KEY = 'JST_QIMEN_APP_KEY';
const ENV_SECRET = 'JST_QIMEN_APP_SECRET';

/**
 * Pure classification of a Qimen outcome into the three error kinds (STYLE principle 6); `null` means success.
 * Network errors and HTTP statuses without a Qimen code are classified as the open API's are. TOP gateway codes
 * (jst-qimen.md §4.1): 7 App Call Limited → rate limited (the ban length in the sub-message when stated);
 * 24/25 signature, 28/29 app key, 11/12/13 permissions, 26/27 session → AUTH_FAILED (alerted);
 * 30/31 timestamp → CLOCK_SKEW; 10 service unavailable and 15 remote service error, and any `isp.*` sub-code →
 * transient; 9/21/22/23/40/41 and any other code (including the target's string codes) → JST_REJECTED naming the
 * parameter when the message does. A message saying "too frequent" is rate limiting whatever its code.
 */
export function classifyQimenError(f: QimenFailure, delays: QimenRateLimitDelays = DEFAULT_QIMEN_RATE_LIMIT_DELAYS): ClassifiedError | null {
  const where = `Qimen ${f.method ?? 'call'}`;
  if (f.networkError || ((f.code === undefined || isQimenSuccessCode(f.code)) && f.httpStatus !== undefined)) {
    // No Qimen failure code: the transport answer decides, exactly as on the open API.
    return classifyJstError(
      { path: where, httpStatus: f.httpStatus, retryAfter: f.retryAfter, networkError: f.networkError },
      { ...DEFAULT_RATE_LIMIT_DELAYS, http429Ms: delays.http429Ms },
    );
  }
  if (f.code === undefined || isQimenSuccessCode(f.code)) return null;

  const code = typeof f.code === 'number' || /^\d+$/.test(String(f.code).trim()) ? Number(f.code) : String(f.code).trim();
  const said = [f.message, f.subCode, f.subMessage].filter((s) => s !== undefined && s !== '').join(' / ');
  const head = `JST via ${where}: code ${code}${said ? `: ${said}` : ''}`;
  const details: ErrorDetails = {
    path: f.method, httpStatus: f.httpStatus, qimenCode: code, qimenMessage: f.message, qimenSubCode: f.subCode, qimenSubMessage: f.subMessage,
  };
  const text = `${f.message ?? ''} ${f.subCode ?? ''} ${f.subMessage ?? ''}`;

  if (code === 7 || /call[- ]?limit|频繁|频次|too many|accesscontrol\.limited/i.test(text)) {
    const ban = /(\d+)\s*(?:more\s*)?s(?:ec(?:ond)?s?)?\b/i.exec(f.subMessage ?? f.message ?? '');
    const ms = ban ? Number(ban[1]) * 1000 : delays.callLimitMs;
    return new RateLimitedError('QIMEN_RATE_LIMIT', `${head} (Qimen call limit; the order method allows 8 calls/s)`, ms, details);
  }
  switch (code) {
    case 24:
    case 25:
      return new PermanentError('AUTH_FAILED', `${head}: the Qimen gateway refused the signature, check ${ENV_SECRET} and JST_QIMEN_SIGN_METHOD`, details);
    case 28:
    case 29:
      return new PermanentError('AUTH_FAILED', `${head}: the Qimen gateway does not know the app key, check ${ENV_KEY} (your own Taobao/Qimen app, not JST's 23060081)`, details);
    case 11:
    case 12:
    case 13:
      return new PermanentError(
        'AUTH_FAILED',
        `${head}: the Qimen app lacks permission for this method; apply for JST's Qimen custom scene (target_app_key 23060081) on open.taobao.com and ask JST for the customer_id`,
        details,
      );
    case 26:
    case 27:
      return new PermanentError('AUTH_FAILED', `${head}: the gateway asked for a session, which JST's Qimen methods do not use; check the router URL (JST_QIMEN_URL)`, details);
    case 30:
    case 31:
      return new TransientError('CLOCK_SKEW', `${head}: timestamp refused, sync this server's clock (NTP); Qimen allows 10 minutes of skew in Beijing time`, details);
    case 10:
    case 15:
      return new TransientError('QIMEN_UNAVAILABLE', `${head} (the gateway or JST behind it is unavailable)`, details);
    default:
      break;
  }
  if (/^isp\./i.test(f.subCode ?? '')) return new TransientError('QIMEN_UNAVAILABLE', `${head} (platform error)`, details);
  if (typeof f.httpStatus === 'number' && f.httpStatus >= 500) return new TransientError('HTTP_5XX', `${head} (HTTP ${f.httpStatus})`, details);
  const field = parameterOf(`${f.subMessage ?? ''} ${f.message ?? ''}`, code);
  return new PermanentError('JST_REJECTED', `${head}${field ? ` (parameter: ${field})` : ''}: fix the request or the flow configuration`, { ...details, field });
}

/** Best-effort name of the rejected parameter: a snake_case word in the message, or what codes 21–23 are about. */
function parameterOf(msg: string, code: number | string): string | undefined {
  const snake = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/.exec(msg);
  if (snake) return snake[0];
  if (code === 21 || code === 22) return 'method';
  if (code === 23) return 'format';
  if (/customer/i.test(msg)) return 'customer_id';
  return undefined;
}
