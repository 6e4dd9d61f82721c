import { performance } from 'node:perf_hooks';
import axios, { type AxiosInstance } from 'axios';
import { PermanentError, isClassified, type ClassifiedError } from '@sync/errors';
import type { JstApi, JstPage } from './types';
import { formatBeijingTime } from './beijing-time';
import { networkErrorOf, postForm } from './post-form';
import type { JstRawResponse } from './envelope';
import { createMemoryCallLimiter, type JstCallLimiter } from './call-limiter';
import { noopJstLogger, type JstLogger } from './jst-logger';
import { signQimen, type QimenSignMethod } from './qimen-sign';
import { classifyQimenError, DEFAULT_QIMEN_RATE_LIMIT_DELAYS, type QimenRateLimitDelays } from './qimen-classify-error';
import { readQimenResponse, toQimenPage } from './qimen-envelope';
import { redactQimenBody } from './qimen-redact';

/** JST's own app key on the Qimen gateway (jst-qimen.md §2.2): the fixed `target_app_key`. */
export const JST_QIMEN_TARGET_APP_KEY = '23060081';
/** The documented call budget of JST's Qimen order method (jst-qimen.md §2.4); assumed for the other methods. */
export const QIMEN_CALLS_PER_SECOND = 8;

export interface QimenClientOptions {
  /** The Qimen custom-scene router, e.g. http://a1q40taq0j.api.taobao.com/router/qm (…/router/qmtest for tests). */
  url: string;
  /** Your own Taobao/Qimen app (not JST's key) and its secret. */
  appKey: string;
  appSecret: string;
  /** The routing id JST gives the merchant when authorising the Qimen app (often the JST company id, co_id). */
  customerId: string;
  /** Default 23060081 (JST). */
  targetAppKey?: string;
  /** Default md5. */
  signMethod?: QimenSignMethod;
  /** Per-request timeout (ms). Default 30000. */
  timeoutMs?: number;
  /** Clock for the signed Beijing-time `timestamp` (epoch ms). Default Date.now. */
  now?: () => number;
  logger?: JstLogger;
  http?: AxiosInstance;
  /** Pacing per method; default in memory at 8/s (the services share a Redis limiter under its own key). */
  limiter?: JstCallLimiter;
  rateLimitDelays?: Partial<QimenRateLimitDelays>;
  /** Called with every AUTH_FAILED the client throws (signature, app key, permission). */
  onAuthFailure?: (err: PermanentError) => void;
}

/** Open-API window keys and what Qimen calls them (jst-qimen.md §6: start_time/end_time). */
const RENAMED: Readonly<Record<string, string>> = { modified_begin: 'start_time', modified_end: 'end_time' };

/**
 * Business parameters as Qimen form fields (jst-qimen.md §2.3): flat, scalars as decimal strings, booleans as
 * true/false, lists comma-separated, null/undefined left out, the open API's window keys renamed. Throws
 * PermanentError('CONFIG_INVALID') for a value that has no flat form (an object).
 */
export function qimenBusinessParams(method: string, biz: Record<string, unknown>): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(biz)) {
    if (v === undefined || v === null) continue;
    const key = RENAMED[k] ?? k;
    if (Array.isArray(v)) out[key] = v.map((x) => scalar(method, k, x)).join(',');
    else out[key] = scalar(method, k, v);
  }
  return out;
}

function scalar(method: string, key: string, v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean') return String(v);
  throw new PermanentError('CONFIG_INVALID', `Qimen ${method}: parameter ${key} has no flat form value (${typeof v})`, { path: method, field: key });
}

/**
 * Creates the JST Qimen client (jst-qimen.md §2–4): the JstApi contract over JST's Qimen custom methods, where
 * the `path` of each call is the Qimen method (jushuitan.saleout.list.query …). Every call is a form POST to the
 * router with the system parameters (method, app_key, target_app_key, customer_id, Beijing-time timestamp,
 * format=json, v=2.0, sign_method) and the business parameters as flat fields (see qimenBusinessParams), signed
 * with signQimen, paced by the limiter per method. The answer is unwrapped by readQimenResponse whatever its
 * shape; the first answer of each method is logged raw (redacted) at debug level so the parser can be frozen
 * against a real one. Throws only TransientError, RateLimitedError and PermanentError (classifyQimenError).
 */
export function createQimenClient(opts: QimenClientOptions): JstApi {
  const now = opts.now ?? Date.now;
  const logger = opts.logger ?? noopJstLogger;
  const limiter = opts.limiter ?? createMemoryCallLimiter({ perSecond: QIMEN_CALLS_PER_SECOND, perMinute: QIMEN_CALLS_PER_SECOND * 60 });
  const delays: QimenRateLimitDelays = { ...DEFAULT_QIMEN_RATE_LIMIT_DELAYS, ...opts.rateLimitDelays };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const http = opts.http ?? axios.create();
  const signMethod = opts.signMethod ?? 'md5';
  const firstLogged = new Set<string>();

  async function post(method: string, biz: Record<string, unknown>) {
    const params: Record<string, string> = {
      ...qimenBusinessParams(method, biz),
      method,
      app_key: opts.appKey,
      target_app_key: opts.targetAppKey ?? JST_QIMEN_TARGET_APP_KEY,
      customer_id: opts.customerId,
      timestamp: formatBeijingTime(now()),
      format: 'json',
      v: '2.0',
      sign_method: signMethod,
    };
    await limiter.acquire(method);
    const signed = { ...params, sign: signQimen(params, opts.appSecret, signMethod) };
    const started = performance.now();
    let raw: JstRawResponse;
    try {
      raw = await postForm(http, opts.url, signed, timeoutMs);
    } catch (e) {
      const durationMs = Math.round(performance.now() - started);
      const networkError = networkErrorOf(e);
      const err = classifyQimenError({ method, networkError }, delays) as ClassifiedError;
      logger.warn({ path: method, transport: 'qimen', durationMs, error: err.code, networkCode: networkError.code }, 'JST Qimen call failed');
      throw err;
    }
    const durationMs = Math.round(performance.now() - started);
    if (!firstLogged.has(method)) {
      firstLogged.add(method);
      logger.debug(
        { path: method, transport: 'qimen', status: raw.status, body: redactQimenBody(raw.body, [opts.appSecret]) },
        'JST Qimen: first answer of this method (raw, redacted), keep it to confirm the response shape',
      );
    }
    try {
      const unwrapped = readQimenResponse(raw, method, delays);
      logger.debug({ path: method, transport: 'qimen', status: raw.status, shape: unwrapped.shape, durationMs }, 'JST Qimen call');
      return unwrapped;
    } catch (e) {
      const kind = isClassified(e) ? e.code : 'UNKNOWN';
      const code = isClassified(e) ? e.details.qimenCode : undefined;
      logger.warn({ path: method, transport: 'qimen', status: raw.status, code, error: kind, durationMs }, 'JST Qimen call failed');
      if (e instanceof PermanentError && e.code === 'AUTH_FAILED') opts.onAuthFailure?.(e);
      throw e;
    }
  }

  const client: JstApi = {
    call: async (method, biz) => (await post(method, biz)).body,
    async queryPage(method, biz): Promise<JstPage> {
      const { body } = await post(method, biz);
      return toQimenPage(body, method, { pageIndex: toInt(biz.page_index, 1), pageSize: toInt(biz.page_size, 0) });
    },
  };
  return client;
}

function toInt(v: unknown, fallback: number): number {
  const n = typeof v === 'number' ? v : typeof v === 'string' ? Number(v) : NaN;
  return Number.isInteger(n) ? n : fallback;
}
