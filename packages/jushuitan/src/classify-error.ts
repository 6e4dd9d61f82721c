import { PermanentError, RateLimitedError, TransientError, type ClassifiedError, type ErrorDetails } from '@sync/errors';

/** What is known about one failed (or successful) JST exchange. Never put secrets here: it ends up in error details. */
export interface JstFailure {
  /** The endpoint path, for messages. */
  path?: string;
  /** HTTP status, when a response arrived. */
  httpStatus?: number;
  /** The envelope `code`, when the body was a JST envelope. */
  code?: number;
  /** The envelope `msg`. */
  msg?: string;
  /** `Retry-After` header value, if any (only delta-seconds is understood). */
  retryAfter?: string;
  /** Set when no response arrived: the socket/axios error code (ECONNRESET, ECONNABORTED, ETIMEDOUT ...) and message. */
  networkError?: { code?: string; message: string };
}

/** How long to wait on each kind of rate limit (ms). */
export interface JstRateLimitDelays {
  /** Code 199: per-second / concurrency limit. Default 1000. */
  perSecondMs: number;
  /** Code 200: per-minute limit. Default 60000. */
  perMinuteMs: number;
  /** HTTP 429 without a usable Retry-After. Default 1000. */
  http429Ms: number;
}

export const DEFAULT_RATE_LIMIT_DELAYS: JstRateLimitDelays = { perSecondMs: 1000, perMinuteMs: 60_000, http429Ms: 1000 };

/** JST code for an invalid or expired access_token: the client re-authorises once before this becomes AUTH_FAILED. */
export const JST_CODE_TOKEN_INVALID = 100;

const TIMEOUT_CODES = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT', 'UND_ERR_CONNECT_TIMEOUT', 'UND_ERR_HEADERS_TIMEOUT']);

/**
 * Pure classification of a JST outcome into the three error kinds (STYLE principle 6); `null` means success
 * (no network error, code 0 or absent with a 2xx status). Precedence: network error, HTTP 429, the envelope code
 * (matched together with its message, because published code tables disagree on 140 and 150), HTTP 5xx/408, other
 * HTTP 4xx. Code 100 maps to AUTH_FAILED here: the client only calls this after its one re-authorisation.
 */
export function classifyJstError(f: JstFailure, delays: JstRateLimitDelays = DEFAULT_RATE_LIMIT_DELAYS): ClassifiedError | null {
  const where = f.path ? ` (${f.path})` : '';
  const details: ErrorDetails = { path: f.path, httpStatus: f.httpStatus, jstCode: f.code, jstMsg: f.msg };
  const msg = f.msg ?? '';

  if (f.networkError) {
    const code = f.networkError.code ?? '';
    const isTimeout = TIMEOUT_CODES.has(code) || /timeout/i.test(f.networkError.message);
    return new TransientError(
      isTimeout ? 'TIMEOUT' : 'NETWORK',
      `JST${where} ${isTimeout ? 'timed out' : 'unreachable'}: ${code ? code + ' ' : ''}${f.networkError.message}`,
      { ...details, networkCode: code || undefined },
    );
  }
  if (f.httpStatus === 429) {
    const ms = parseRetryAfter(f.retryAfter) ?? delays.http429Ms;
    return new RateLimitedError('JST_HTTP_429', `JST${where} answered HTTP 429 Too Many Requests`, ms, details);
  }
  if (f.code !== undefined && f.code !== 0) return classifyCode(f.code, msg, where, details, delays);
  if (f.httpStatus !== undefined && (f.httpStatus >= 500 || f.httpStatus === 408)) {
    return new TransientError('HTTP_5XX', `JST${where} answered HTTP ${f.httpStatus}`, details);
  }
  if (f.httpStatus !== undefined && f.httpStatus === 404) {
    return new PermanentError('JST_REJECTED', `JST${where} answered HTTP 404: check JST_BASE_URL and the endpoint path`, details);
  }
  if (f.httpStatus !== undefined && (f.httpStatus < 200 || f.httpStatus >= 300)) {
    return new PermanentError('JST_REJECTED', `JST${where} answered HTTP ${f.httpStatus}`, details);
  }
  return null;
}

function classifyCode(code: number, msg: string, where: string, details: ErrorDetails, delays: JstRateLimitDelays): ClassifiedError {
  const said = msg ? `: ${msg}` : '';
  const head = `JST${where} code ${code}${said}`;
  switch (code) {
    case 199:
      return new RateLimitedError('JST_RATE_LIMIT_SECOND', `${head} (per-second limit, at most 5 calls/s per endpoint)`, delays.perSecondMs, details);
    case 200:
      return new RateLimitedError('JST_RATE_LIMIT_MINUTE', `${head} (per-minute limit, at most 100 calls/min per endpoint)`, delays.perMinuteMs, details);
    case 10:
    case 120:
      return new PermanentError('AUTH_FAILED', `${head}: the signature was refused, check JST_APP_SECRET and JST_APP_KEY`, details);
    case JST_CODE_TOKEN_INVALID:
      return new PermanentError(
        'AUTH_FAILED',
        `${head}: access_token invalid or expired even after re-authorising; check JST_ACCESS_TOKEN / JST_REFRESH_TOKEN or have the merchant re-authorise the app`,
        details,
      );
    case 110:
      return new PermanentError('AUTH_FAILED', `${head}: this server's IP is not on the app's IP whitelist, add it in the JST open-platform console`, details);
    case 190:
      return new PermanentError('AUTH_FAILED', `${head}: the app has no permission for this API, grant it in the JST open-platform console`, details);
    case 180:
      return new TransientError('CLOCK_SKEW', `${head}: timestamp refused, sync this server's clock (NTP); JST allows about 10 minutes of skew`, details);
    case 150:
      if (/刷新|refresh/i.test(msg)) {
        return new PermanentError('AUTH_FAILED', `${head}: service-provider apps may not refresh tokens, the merchant must re-authorise the app`, details);
      }
      return new TransientError('JST_INTERNAL', `${head} (JST internal error)`, details);
    default:
      break;
  }
  if (/timestamp|时间误差/i.test(msg)) {
    // One published table uses 140 for the timestamp check.
    return new TransientError('CLOCK_SKEW', `${head}: timestamp refused, sync this server's clock (NTP)`, details);
  }
  if (/频繁|频次|too many|frequen/i.test(msg)) {
    return new RateLimitedError('JST_RATE_LIMIT', head, delays.perSecondMs, details);
  }
  const field = parameterFromMsg(code, msg);
  const named = field ? ` (parameter: ${field})` : '';
  return new PermanentError('JST_REJECTED', `${head}${named}: fix the request or the flow configuration`, { ...details, field });
}

/** Best-effort name of the rejected parameter: a snake_case word, a bracketed value, or the code's usual field. */
function parameterFromMsg(code: number, msg: string): string | undefined {
  const snake = /\b[a-z][a-z0-9]*(?:_[a-z0-9]+)+\b/.exec(msg);
  if (snake) return snake[0];
  if (code === 170) {
    const bracket = /[[【]([^\]】]+)[\]】]/.exec(msg);
    return bracket ? `shop_id=${bracket[1]}` : 'shop_id';
  }
  const word = /\b(biz|status|sign|timestamp|charset|version)\b/i.exec(msg);
  return word ? word[1] : undefined;
}

/** Only the delta-seconds form is used: an HTTP date would need a clock, and this function stays pure. */
function parseRetryAfter(v: string | undefined): number | undefined {
  const t = v?.trim();
  if (!t || !/^\d+$/.test(t)) return undefined;
  return Number(t) * 1000;
}
