import { z } from 'zod';
import { PermanentError, TransientError } from '@sync/errors';
import type { JstPage } from './types';
import { classifyJstError, DEFAULT_RATE_LIMIT_DELAYS, type JstRateLimitDelays } from './classify-error';

/** An integer sent as a JSON number or as a numeric string (JST types vary by endpoint, reference §14.7). */
export const jstIntSchema = z.union([
  z.number().int(),
  z.string().trim().regex(/^-?\d+$/, 'expected an integer').transform(Number),
]);

const jstFlagSchema = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE']).transform((v) => v.toLowerCase() === 'true'),
  z.union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1')]).transform((v) => v === 1 || v === '1'),
]);

/** The outer JST envelope `{code, msg, data}`; `data` is validated per call kind. */
export const jstEnvelopeSchema = z.object({
  code: jstIntSchema,
  msg: z.string().nullish(),
  data: z.unknown().optional(),
});
export type JstEnvelope = z.infer<typeof jstEnvelopeSchema>;

/**
 * `data` of a query endpoint. Lenient where JST is known to vary (numeric strings, `datas` null or absent on an
 * empty page, `has_next` or totals missing), strict where leniency would hide a fault (page_index and page_size
 * must be present, `datas` must be an array when present).
 */
export const jstPageDataSchema = z.object({
  page_size: jstIntSchema,
  page_index: jstIntSchema,
  data_count: jstIntSchema.nullish(),
  page_count: jstIntSchema.nullish(),
  has_next: jstFlagSchema.nullish(),
  datas: z.array(z.unknown()).nullish(),
});

/** `data` of getInitToken / refreshToken / accessToken. */
export const jstTokenDataSchema = z.object({
  access_token: z.string().min(1),
  refresh_token: z.string().min(1).nullish(),
  /** Seconds the access token remains valid. */
  expires_in: jstIntSchema.nullish(),
  scope: z.string().nullish(),
});
export type JstTokenData = z.infer<typeof jstTokenDataSchema>;

/** One HTTP answer as received (body as text, so nothing is lost before validation). */
export interface JstRawResponse {
  status: number;
  body: string;
  contentType?: string;
  retryAfter?: string;
}

/**
 * JSON.parse loses digits past 2^53; rowversions (`ts`) can get there. Quote long integer `ts` values before
 * parsing so they survive as strings (readers accept number or numeric string).
 */
export function parseJstJson(text: string): unknown {
  return JSON.parse(text.replace(/("ts"\s*:\s*)(-?\d{16,})(?=\s*[,}\]])/g, '$1"$2"'));
}

/**
 * Turns an HTTP answer into a successful envelope or throws. Policy for answers that are not a JST envelope:
 * - a non-2xx status is classified by status (429 rate limited, 5xx/408 transient, 4xx permanent);
 * - a 2xx HTML page or empty body is a gateway or maintenance page: TransientError('INVALID_RESPONSE');
 * - any other 2xx body (invalid JSON, JSON without a numeric `code`) is a protocol mismatch retrying cannot fix:
 *   PermanentError('INVALID_RESPONSE').
 * An envelope with a non-zero `code` is classified by classifyJstError (code 100 included: the caller
 * recognises it with isTokenInvalidError and re-authorises).
 */
export function readJstEnvelope(res: JstRawResponse, path: string, delays: JstRateLimitDelays = DEFAULT_RATE_LIMIT_DELAYS): JstEnvelope {
  let json: unknown;
  let isJson = false;
  try {
    json = parseJstJson(res.body);
    isJson = true;
  } catch {
    // handled below
  }
  const env = isJson ? jstEnvelopeSchema.safeParse(json) : undefined;
  if (env?.success) {
    const e = env.data;
    const err = classifyJstError(
      { path, httpStatus: res.status, code: e.code, msg: e.msg ?? undefined, retryAfter: res.retryAfter },
      delays,
    );
    if (err) throw err;
    return e;
  }
  const byStatus = res.status < 200 || res.status >= 300 ? classifyJstError({ path, httpStatus: res.status, retryAfter: res.retryAfter }, delays) : null;
  if (byStatus) throw byStatus;
  const details = { path, httpStatus: res.status, body: snippet(res.body) };
  const isHtml = /^\s*</.test(res.body) || /html/i.test(res.contentType ?? '');
  if (isHtml || res.body.trim() === '') {
    throw new TransientError('INVALID_RESPONSE', `JST (${path}) answered ${isHtml ? 'an HTML page' : 'an empty body'} instead of JSON`, details);
  }
  if (!isJson) throw new PermanentError('INVALID_RESPONSE', `JST (${path}) answered invalid JSON: ${snippet(res.body)}`, details);
  throw new PermanentError('INVALID_RESPONSE', `JST (${path}) answered JSON that is not an envelope: ${issues(env!.error)}`, details);
}

/**
 * Validates the `data` of a query answer into a JstPage. `has_next` missing is derived from page_count (when
 * positive) or from a full page; totals that contradict the rows (0 with rows present) are dropped.
 * Throws PermanentError('INVALID_RESPONSE') when `data` is not a page: a malformed answer is never "no rows".
 */
export function toJstPage(data: unknown, path: string): JstPage {
  const parsed = jstPageDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new PermanentError('INVALID_RESPONSE', `JST (${path}) answered a page that fails its schema: ${issues(parsed.error)}`, { path });
  }
  const d = parsed.data;
  const datas = d.datas ?? [];
  const pageCount = d.page_count ?? undefined;
  let dataCount = d.data_count ?? undefined;
  if (dataCount === 0 && datas.length > 0) dataCount = undefined;
  let hasNext: boolean;
  if (d.has_next !== null && d.has_next !== undefined) hasNext = d.has_next;
  else if (pageCount !== undefined && pageCount > 0) hasNext = d.page_index < pageCount;
  else hasNext = d.page_size > 0 && datas.length >= d.page_size;
  return {
    pageIndex: d.page_index,
    pageSize: d.page_size,
    hasNext,
    ...(dataCount !== undefined ? { dataCount } : {}),
    ...(pageCount !== undefined && !(pageCount === 0 && datas.length > 0) ? { pageCount } : {}),
    datas,
  };
}

/** Validates token-call `data`; throws PermanentError('INVALID_RESPONSE') naming the bad key (never its value). */
export function toJstTokenData(data: unknown, path: string): JstTokenData {
  const parsed = jstTokenDataSchema.safeParse(data);
  if (!parsed.success) {
    throw new PermanentError('INVALID_RESPONSE', `JST (${path}) answered token data that fails its schema: ${issues(parsed.error)}`, { path });
  }
  return parsed.data;
}

function issues(error: z.ZodError): string {
  return error.issues
    .slice(0, 5)
    .map((i) => `${i.path.length ? i.path.map(String).join('.') : '(root)'}: ${i.message}`)
    .join('; ');
}

function snippet(body: string): string {
  const s = body.replace(/\s+/g, ' ').trim();
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
