import { z } from 'zod';
import { PermanentError, TransientError } from '@sync/errors';
import type { JstPage } from './types';
import { jstIntSchema, parseJstJson, type JstRawResponse } from './envelope';
import { classifyQimenError, DEFAULT_QIMEN_RATE_LIMIT_DELAYS, isQimenSuccessCode, type QimenRateLimitDelays } from './qimen-classify-error';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Keys a page's rows may sit under, in the order tried (jst-qimen.md §4.3). */
const ROW_KEYS = ['datas', 'orders', 'data'] as const;

/** Where the unwrapper found the answer: for the first-answer debug log, so the real shape gets recorded. */
export type QimenShape = 'response' | 'method_response' | 'other_response' | 'bare';

/** A successful Qimen answer, unwrapped: the object holding the rows and paging fields. */
export interface QimenBody {
  body: Obj;
  shape: QimenShape;
  /** True when the body came from a `result` object (or JSON string) inside the wrapper. */
  fromResult: boolean;
}

function failureOf(o: Obj): { code: string | number; message?: string; subCode?: string; subMessage?: string } {
  const text = (v: unknown) => (typeof v === 'string' ? v : typeof v === 'number' ? String(v) : undefined);
  const code = o.code ?? o.error_code ?? o.flag;
  return {
    code: typeof code === 'number' || typeof code === 'string' ? code : 'FAILURE',
    message: text(o.message) ?? text(o.msg) ?? text(o.error_msg),
    subCode: text(o.sub_code),
    subMessage: text(o.sub_message) ?? text(o.sub_msg),
  };
}

function hasRows(o: Obj): boolean {
  return ROW_KEYS.some((k) => Array.isArray(o[k])) || (isObj(o.data) && Array.isArray(o.data.datas));
}

/** A target-level failure inside a success wrapper: flag failure, success false, or a non-zero code without rows. */
function isFailure(o: Obj): boolean {
  if (o.flag === 'failure') return true;
  if (o.success === false || o.success === 'false' || o.issuccess === false) return true;
  return o.code !== undefined && !isQimenSuccessCode(o.code) && !hasRows(o);
}

/**
 * The tolerant unwrapper of jst-qimen.md §4.3: every shape public clients assume, since no real success body of
 * `jushuitan.*.list.query` has been published. In order: `error_response` (classic TOP) → error; the wrapper is
 * `response`, else `<method with dots as underscores>_response`, else the only `*_response` key, else the root;
 * a wrapper with `flag: failure` → error (gateway codes are numeric, the target's may be strings); then `result`
 * (an object or a JSON string) when present; a body saying failure (flag, success false, non-zero code without
 * rows) → error. Errors are classified by classifyQimenError. A non-JSON answer is classified by HTTP status,
 * an HTML or empty 2xx page is transient, any other unreadable 2xx body is a permanent INVALID_RESPONSE.
 */
export function readQimenResponse(res: JstRawResponse, method: string, delays: QimenRateLimitDelays = DEFAULT_QIMEN_RATE_LIMIT_DELAYS): QimenBody {
  let json: unknown;
  try {
    json = parseJstJson(res.body);
  } catch {
    json = undefined;
  }
  const fail = (o: Obj): never => {
    const err = classifyQimenError({ method, httpStatus: res.status, retryAfter: res.retryAfter, ...failureOf(o) }, delays);
    throw err ?? new PermanentError('INVALID_RESPONSE', `JST via Qimen ${method} answered a failure without a code`, { path: method });
  };
  if (!isObj(json)) {
    const byStatus = classifyQimenError({ method, httpStatus: res.status, retryAfter: res.retryAfter }, delays);
    if (byStatus) throw byStatus;
    const details = { path: method, httpStatus: res.status, body: snippet(res.body) };
    const isHtml = /^\s*</.test(res.body) || /html/i.test(res.contentType ?? '');
    if (isHtml || res.body.trim() === '') {
      throw new TransientError('INVALID_RESPONSE', `JST via Qimen ${method} answered ${isHtml ? 'an HTML (or XML) page' : 'an empty body'} instead of JSON (is format=json sent?)`, details);
    }
    throw new PermanentError('INVALID_RESPONSE', `JST via Qimen ${method} answered ${json === undefined ? 'invalid JSON' : 'JSON that is not an object'}: ${snippet(res.body)}`, details);
  }
  if (isObj(json.error_response)) fail(json.error_response);

  const methodKey = `${method.replace(/\./g, '_')}_response`;
  const responseKeys = Object.keys(json).filter((k) => k.endsWith('_response') && isObj(json[k]));
  let wrapper: Obj = json;
  let shape: QimenShape = 'bare';
  if (isObj(json.response)) [wrapper, shape] = [json.response, 'response'];
  else if (isObj(json[methodKey])) [wrapper, shape] = [json[methodKey] as Obj, 'method_response'];
  else if (responseKeys.length === 1) [wrapper, shape] = [json[responseKeys[0]!] as Obj, 'other_response'];

  if (wrapper.flag === 'failure') fail(wrapper);
  let body = wrapper;
  let fromResult = false;
  let result: unknown = wrapper.result;
  if (typeof result === 'string') {
    try {
      result = parseJstJson(result);
    } catch {
      throw new PermanentError('INVALID_RESPONSE', `JST via Qimen ${method} answered a result that is not JSON: ${snippet(result as string)}`, { path: method });
    }
  }
  if (isObj(result)) [body, fromResult] = [result, true];
  if (isFailure(body)) fail(body);
  if (body !== wrapper && isFailure(wrapper)) fail(wrapper);
  // A 5xx with a body saying success is still a failed exchange.
  const byStatus = res.status >= 300 ? classifyQimenError({ method, httpStatus: res.status, retryAfter: res.retryAfter }, delays) : null;
  if (byStatus) throw byStatus;
  return { body, shape, fromResult };
}

const flag = z.union([
  z.boolean(),
  z.enum(['true', 'false', 'True', 'False', 'TRUE', 'FALSE']).transform((v) => v.toLowerCase() === 'true'),
  z.union([z.literal(0), z.literal(1), z.literal('0'), z.literal('1')]).transform((v) => v === 1 || v === '1'),
]);

/** Paging fields of a Qimen page: all optional (the bare shape of one client has only rows and has_next). */
const qimenPageSchema = z.object({
  page_size: jstIntSchema.nullish(),
  page_index: jstIntSchema.nullish(),
  data_count: jstIntSchema.nullish(),
  page_count: jstIntSchema.nullish(),
  has_next: flag.nullish(),
});

/**
 * The rows and paging of an unwrapped body: rows under `datas`, `orders` or `data` (an array), or `data.datas`
 * (paging then read next to them); absent rows on a body that says nothing else are an empty page. `requested`
 * fills page_index/page_size when the answer omits them. has_next missing is derived like the open API's.
 * Throws PermanentError('INVALID_RESPONSE') naming the key when rows are not an array or paging is malformed.
 */
export function toQimenPage(body: Obj, method: string, requested: { pageIndex: number; pageSize: number }): JstPage {
  let holder = body;
  if (!ROW_KEYS.some((k) => Array.isArray(body[k])) && isObj(body.data)) holder = body.data;
  const key = ROW_KEYS.find((k) => Array.isArray(holder[k]));
  const present = ROW_KEYS.find((k) => holder[k] !== undefined && holder[k] !== null && !isObj(holder[k]));
  if (!key && present) {
    throw new PermanentError('INVALID_RESPONSE', `JST via Qimen ${method} answered "${present}" that is not a list of rows`, { path: method, field: present });
  }
  const datas = key ? (holder[key] as unknown[]) : [];
  const parsed = qimenPageSchema.safeParse(holder);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    throw new PermanentError('INVALID_RESPONSE', `JST via Qimen ${method} answered a page that fails its schema: ${i.path.map(String).join('.')}: ${i.message}`, { path: method });
  }
  const p = parsed.data;
  const pageIndex = p.page_index ?? requested.pageIndex;
  const pageSize = p.page_size ?? requested.pageSize;
  const pageCount = p.page_count ?? undefined;
  let dataCount = p.data_count ?? undefined;
  if (dataCount === 0 && datas.length > 0) dataCount = undefined;
  let hasNext: boolean;
  if (p.has_next !== null && p.has_next !== undefined) hasNext = p.has_next;
  else if (pageCount !== undefined && pageCount > 0) hasNext = pageIndex < pageCount;
  else hasNext = pageSize > 0 && datas.length >= pageSize;
  return {
    pageIndex,
    pageSize,
    hasNext,
    ...(dataCount !== undefined ? { dataCount } : {}),
    ...(pageCount !== undefined && !(pageCount === 0 && datas.length > 0) ? { pageCount } : {}),
    datas,
  };
}

function snippet(body: string): string {
  const s = body.replace(/\s+/g, ' ').trim();
  return s.length > 200 ? `${s.slice(0, 200)}…` : s;
}
