import { randomInt } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import axios, { type AxiosInstance } from 'axios';
import { PermanentError, isClassified, type ClassifiedError } from '@sync/errors';
import type { JstApi, JstPage } from './types';
import { signJst } from './sign';
import { stringifyBiz } from './biz-json';
import { networkErrorOf, postForm } from './post-form';
import { readJstEnvelope, toJstPage, toJstTokenData, type JstEnvelope, type JstRawResponse } from './envelope';
import { classifyJstError, DEFAULT_RATE_LIMIT_DELAYS, JST_CODE_TOKEN_INVALID, type JstRateLimitDelays } from './classify-error';
import { createMemoryCallLimiter, type JstCallLimiter } from './call-limiter';
import { noopJstLogger, type JstLogger } from './jst-logger';

/** Token endpoints (reference §2.4). */
export const JST_TOKEN_PATHS = {
  init: '/openWeb/auth/getInitToken',
  refresh: '/openWeb/auth/refreshToken',
} as const;

/** Tokens the client obtained; hand them to durable storage if other processes should reuse them. */
export interface JstTokens {
  accessToken: string;
  refreshToken?: string;
  /** Epoch ms the access token expires, when JST said (`expires_in`). */
  expiresAt?: number;
}

export interface JstClientOptions {
  /** e.g. https://openapi.jushuitan.com (no trailing path). */
  baseUrl: string;
  appKey: string;
  appSecret: string;
  /** Known access token; without one the client obtains one before its first call. */
  accessToken?: string;
  /** Known refresh token; used before getInitToken when a token must be obtained. */
  refreshToken?: string;
  /** Per-request timeout (ms). Default 30000. */
  timeoutMs?: number;
  /** Clock for the signed `timestamp` and token expiry (epoch ms). Default Date.now. */
  now?: () => number;
  /** pino Logger or anything with debug/info/warn(obj, msg). */
  logger?: JstLogger;
  /** HTTP client; default a fresh axios instance. Per-request settings (text body, all statuses accepted) override it. */
  http?: AxiosInstance;
  /** Called with every AUTH_FAILED the client throws (bad secret, IP whitelist, permission, token refused twice). */
  onAuthFailure?: (err: PermanentError) => void;
  /** Called after the client obtained new tokens. */
  onTokens?: (tokens: JstTokens) => void;
  /** Pacing per path; default an in-memory limiter at 5/s and 100/min on the real clock. */
  limiter?: JstCallLimiter;
  /** Waits attached to RateLimitedError (codes 199/200, HTTP 429). */
  rateLimitDelays?: Partial<JstRateLimitDelays>;
  /** The random `code` for getInitToken (6 characters). Injected by tests. */
  initCode?: () => string;
}

/** The JST client: the JstApi contract plus token control. */
export interface JstClient extends JstApi {
  /** Obtains a token now (refreshToken when a refresh token is known, else getInitToken). Throws like call(). */
  authorize(): Promise<void>;
}

const CODE_ALPHABET = 'ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnpqrstuvwxyz23456789';
function randomCode(): string {
  let s = '';
  for (let i = 0; i < 6; i++) s += CODE_ALPHABET[randomInt(CODE_ALPHABET.length)];
  return s;
}

/** Renew a token this long before JST's stated expiry. */
const EXPIRY_MARGIN_MS = 10 * 60_000;

/**
 * Creates a JST open-API client (reference §2–3). Every call is a signed form POST
 * (`app_key, access_token, timestamp, version=2, charset=utf-8, biz, sign`), paced by the limiter, and its answer
 * is validated with zod. A missing or refused (code 100) access token is replaced once per call (refreshToken,
 * else getInitToken) and the call retried once; concurrent callers share one token request. Throws only
 * TransientError, RateLimitedError and PermanentError. Logs path, code and duration, never a secret.
 */
export function createJstClient(opts: JstClientOptions): JstClient {
  const base = opts.baseUrl.replace(/\/+$/, '');
  const now = opts.now ?? Date.now;
  const logger = opts.logger ?? noopJstLogger;
  const limiter = opts.limiter ?? createMemoryCallLimiter();
  const delays: JstRateLimitDelays = { ...DEFAULT_RATE_LIMIT_DELAYS, ...opts.rateLimitDelays };
  const timeoutMs = opts.timeoutMs ?? 30_000;
  const http = opts.http ?? axios.create();
  const initCode = opts.initCode ?? randomCode;

  let accessToken = opts.accessToken;
  let refreshToken = opts.refreshToken;
  let expiresAt: number | undefined;
  /** When to renew proactively: before expiry by 10 minutes, or by half the lifetime for short-lived tokens. */
  let renewAt: number | undefined;
  let pending: Promise<void> | undefined;

  async function post(path: string, params: Record<string, string>): Promise<JstEnvelope> {
    await limiter.acquire(path);
    const signed = { ...params, sign: signJst(params, opts.appSecret) };
    const started = performance.now();
    let raw: JstRawResponse;
    try {
      raw = await postForm(http, `${base}${path.startsWith('/') ? path : `/${path}`}`, signed, timeoutMs);
    } catch (e) {
      const durationMs = Math.round(performance.now() - started);
      const networkError = networkErrorOf(e);
      const err = classifyJstError({ path, networkError }, delays) as ClassifiedError;
      logger.warn({ path, durationMs, error: err.code, networkCode: networkError.code }, 'JST call failed');
      throw err;
    }
    const durationMs = Math.round(performance.now() - started);
    try {
      const env = readJstEnvelope(raw, path, delays);
      logger.debug({ path, status: raw.status, code: env.code, durationMs }, 'JST call');
      return env;
    } catch (e) {
      const kind = isClassified(e) ? e.code : 'UNKNOWN';
      const jstCode = isClassified(e) ? e.details.jstCode : undefined;
      logger.warn({ path, status: raw.status, code: jstCode, error: kind, durationMs }, 'JST call failed');
      throw e;
    }
  }

  function systemParams(): Record<string, string> {
    return { app_key: opts.appKey, timestamp: String(Math.floor(now() / 1000)), charset: 'utf-8' };
  }

  async function tokenCall(path: string, extra: Record<string, string>): Promise<void> {
    const env = await post(path, { ...systemParams(), ...extra });
    const data = toJstTokenData(env.data, path);
    accessToken = data.access_token;
    if (data.refresh_token) refreshToken = data.refresh_token;
    const lifetimeMs = data.expires_in ? data.expires_in * 1000 : undefined;
    expiresAt = lifetimeMs ? now() + lifetimeMs : undefined;
    renewAt = lifetimeMs && expiresAt ? expiresAt - Math.min(EXPIRY_MARGIN_MS, lifetimeMs / 2) : undefined;
    logger.info({ path, expiresInS: data.expires_in ?? undefined }, 'JST access token obtained');
    opts.onTokens?.({ accessToken, refreshToken, expiresAt });
  }

  async function obtainToken(): Promise<void> {
    if (refreshToken) {
      try {
        await tokenCall(JST_TOKEN_PATHS.refresh, { grant_type: 'refresh_token', refresh_token: refreshToken, scope: 'all' });
        return;
      } catch (e) {
        if (!(e instanceof PermanentError)) throw e;
        // Own-merchant apps may always ask for a fresh token; ISV apps fail there too and end in AUTH_FAILED.
        logger.warn({ path: JST_TOKEN_PATHS.refresh, error: e.code, code: e.details.jstCode }, 'JST token refresh refused, trying getInitToken');
        refreshToken = undefined;
      }
    }
    await tokenCall(JST_TOKEN_PATHS.init, { grant_type: 'authorization_code', code: initCode() });
  }

  /** One token request at a time; concurrent callers share it. */
  function obtainShared(): Promise<void> {
    if (!pending) pending = obtainToken().finally(() => (pending = undefined));
    return pending;
  }

  /** Renews the token unless another caller already replaced `stale` with a live one. */
  function renewToken(stale: string | undefined): Promise<void> {
    if (accessToken !== undefined && accessToken !== stale && !expired()) return Promise.resolve();
    return obtainShared();
  }

  function expired(): boolean {
    return renewAt !== undefined && now() >= renewAt;
  }

  function notifyAuth<T>(p: Promise<T>): Promise<T> {
    return p.catch((e: unknown) => {
      if (e instanceof PermanentError && e.code === 'AUTH_FAILED') opts.onAuthFailure?.(e);
      throw e;
    });
  }

  async function callInner(path: string, biz: Record<string, unknown>): Promise<unknown> {
    let bizText: string;
    try {
      bizText = stringifyBiz(biz);
    } catch (e) {
      throw new PermanentError('CONFIG_INVALID', `biz for ${path} is not JSON-serialisable: ${errorMessage(e)}`, { path }, { cause: e });
    }
    let renewed = false;
    if (accessToken === undefined || expired()) {
      await renewToken(accessToken);
      renewed = true;
    }
    for (;;) {
      const token = accessToken as string;
      try {
        const env = await post(path, { ...systemParams(), access_token: token, version: '2', biz: bizText });
        return env.data;
      } catch (e) {
        const tokenRefused = e instanceof PermanentError && e.details.jstCode === JST_CODE_TOKEN_INVALID;
        if (!tokenRefused || renewed) throw e;
        logger.info({ path, code: JST_CODE_TOKEN_INVALID }, 'JST access token refused, renewing it once');
        await renewToken(token);
        renewed = true;
      }
    }
  }

  const client: JstClient = {
    authorize: () => notifyAuth(obtainShared()),
    call: (path, biz) => notifyAuth(callInner(path, biz)),
    async queryPage(path, biz): Promise<JstPage> {
      return toJstPage(await client.call(path, biz), path);
    },
  };

  return client;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

