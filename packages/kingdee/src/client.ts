import { performance } from 'node:perf_hooks';
import { PermanentError, isClassified } from '@sync/errors';
import type {
  BillQuery, BillTargets, KingdeeApi, KingdeeBatchItemResult, KingdeeOperationResult, KingdeeSaveResult, SaveOptions,
} from './types';
import { normaliseBaseUrl, serviceUrl } from './base-url';
import {
  classifyKingdeeFailure, isSessionLost, sessionLostError, toFieldErrors, type FailureContext, type KingdeeFailure,
} from './classify';
import { cookieHeader, parseSetCookies } from './cookies';
import {
  findResponseStatus, interpretQueryAnswer, loginResponseSchema, operationEnvelopeSchema, parseBody,
  type NormalizedStatus,
} from './envelope';
import { createAxiosTransport } from './http-transport';
import { noopKingdeeLogger } from './logger';
import { buildRequestBody, type KingdeeCallArgs } from './request-body';
import { createSessionPool, type KingdeeSession } from './session-pool';
import { kingdeeSignatureHeaders } from './signature';
import { parseClientOptions, type KingdeeClientOptions } from './client-options';
import { mapBatchResults } from './batch-results';

const SESSION_COOKIE = 'kdservice-sessionid';
const LOGOUT_TIMEOUT_MS = 5000;

interface CallSpec extends FailureContext {
  /** `DynamicFormService.Save` ... */
  service: string;
  args: KingdeeCallArgs;
  /** A write: a timeout is ambiguous. */
  write: boolean;
}

/** MsgCodes that concern the whole BatchSave call, not one package. */
const CALL_LEVEL_MSG_CODES = new Set([2, 3, 4, 5, 6, 7, 8, 9, 13, 14, 15]);

function throwFor(failure: KingdeeFailure, ctx: FailureContext): never {
  const verdict = classifyKingdeeFailure(failure, ctx);
  if (verdict.action === 'relogin') throw sessionLostError(ctx);
  throw verdict.error;
}

/**
 * The Kingdee WebAPI client (`KingdeeApi`): login or signature auth, one serialised session per user, re-login
 * and one replay on MsgCode 1, lenient envelope parsing, errors classified into the @sync/errors kinds.
 * Throws PermanentError CONFIG_INVALID synchronously on bad options.
 */
export function createKingdeeClient(options: KingdeeClientOptions): KingdeeApi {
  const opts = parseClientOptions(options);
  const logger = options.logger ?? noopKingdeeLogger;
  const now = options.now ?? Date.now;
  const transport = options.transport ?? createAxiosTransport();
  const base = normaliseBaseUrl(opts.baseUrl);
  const passwords = new Map(opts.users.map((u, i) => [i, u.password ?? '']));
  const pool = createSessionPool(opts.users.map((u) => u.username));
  let closed = false;

  function headersFor(session: KingdeeSession, url: string): Record<string, string> {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', Accept: 'application/json' };
    if (opts.auth === 'signature') {
      Object.assign(
        headers,
        kingdeeSignatureHeaders({
          url, acctId: opts.acctId, username: session.username, appId: opts.appId ?? '', appSecret: opts.appSecret ?? '',
          lcid: opts.lcid, orgNum: opts.orgNum, timestamp: String(Math.floor(now() / 1000)),
        }),
      );
    }
    const jar = new Map(session.cookies);
    if (session.sessionId) {
      headers[SESSION_COOKIE] = session.sessionId;
      if (!jar.has(SESSION_COOKIE)) jar.set(SESSION_COOKIE, session.sessionId);
    }
    const cookie = cookieHeader(jar);
    if (cookie) headers.Cookie = cookie;
    return headers;
  }

  /** One HTTP exchange; returns the parsed JSON or throws a classified error (session loss is left to the caller). */
  async function send(session: KingdeeSession, spec: CallSpec): Promise<unknown> {
    const url = serviceUrl(base, spec.service);
    const outcome = await transport.post(url, JSON.stringify(buildRequestBody(spec.args, opts.bodyStyle)), headersFor(session, url), {
      timeoutMs: opts.timeoutMs,
      write: spec.write,
    });
    if (!outcome.ok) throwFor(outcome.failure, spec);
    const { status, text, setCookies, retryAfterMs } = outcome.answer;
    for (const [name, value] of parseSetCookies(setCookies)) {
      session.cookies.set(name, value);
      if (name.toLowerCase() === SESSION_COOKIE && value !== '') session.sessionId = value;
    }
    const body = parseBody(text);
    if (status < 200 || status >= 300) {
      let gatewayErrcode: number | undefined;
      if (body.kind === 'json' && body.value !== null && typeof body.value === 'object' && 'errcode' in body.value) {
        const n = Number((body.value as { errcode: unknown }).errcode);
        gatewayErrcode = Number.isFinite(n) ? n : undefined;
      }
      throwFor({ kind: 'http', status, retryAfterMs, gatewayErrcode, snippet: text.slice(0, 120) }, spec);
    }
    if (body.kind === 'response-error') throwFor({ kind: 'response-error', message: body.message }, spec);
    if (body.kind === 'invalid') throwFor({ kind: 'invalid', reason: body.reason }, spec);
    return body.value;
  }

  /** Logs a session in (password / appsecret); throws AUTH_FAILED when refused, never echoing the secret. */
  async function login(session: KingdeeSession): Promise<void> {
    session.sessionId = undefined;
    session.cookies.clear();
    if (opts.auth === 'signature') return; // the server issues the session cookie on the next signed call
    const args: KingdeeCallArgs =
      opts.auth === 'password'
        ? { kind: 'validate-user', acctId: opts.acctId, username: session.username, password: passwords.get(session.index) ?? '', lcid: opts.lcid }
        : { kind: 'login-by-app-secret', acctId: opts.acctId, username: session.username, appId: opts.appId ?? '', appSecret: opts.appSecret ?? '', lcid: opts.lcid };
    const op = opts.auth === 'password' ? 'ValidateUser' : 'LoginByAppSecret';
    const started = performance.now();
    const value = await send(session, { op, service: `AuthService.${op}`, args, write: false });
    const parsed = loginResponseSchema.safeParse(value);
    if (!parsed.success) throw new PermanentError('INVALID_RESPONSE', `Kingdee ${op}: unexpected login response`, { op });
    const r = parsed.data;
    if (r.LoginResultType !== 1) {
      throw new PermanentError('AUTH_FAILED', `Kingdee ${op} refused user ${session.username}: ${r.Message ?? 'no message'} (LoginResultType ${r.LoginResultType ?? 'absent'})`, {
        op, username: session.username, loginResultType: r.LoginResultType,
      });
    }
    const sid = r.KDSVCSessionId || session.cookies.get(SESSION_COOKIE);
    if (!sid) throw new PermanentError('AUTH_FAILED', `Kingdee ${op} for user ${session.username} returned no session id`, { op, username: session.username });
    session.sessionId = sid;
    if (!session.cookies.has(SESSION_COOKIE)) session.cookies.set(SESSION_COOKIE, sid);
    logger.info({ op, session: session.index, durationMs: Math.round(performance.now() - started) }, 'kingdee login');
  }

  /** Runs one call on the least-busy session: login if needed, re-login and replay once on session loss. */
  async function invoke(spec: CallSpec): Promise<{ value: unknown; status: NormalizedStatus | undefined }> {
    if (closed) throw new Error('Kingdee client is closed');
    const lease = await pool.acquire();
    const session = lease.session;
    const started = performance.now();
    const logBase = { op: spec.op, formId: spec.formId, session: session.index };
    try {
      if (opts.auth !== 'signature' && !session.sessionId) await login(session);
      let value = await send(session, spec);
      let status = findResponseStatus(value);
      if (status && isSessionLost(status)) {
        logger.warn({ ...logBase, msgCode: status.msgCode }, 'kingdee session lost; logging in again');
        await login(session);
        value = await send(session, spec);
        status = findResponseStatus(value);
        if (status && isSessionLost(status)) {
          session.sessionId = undefined;
          throw sessionLostError(spec);
        }
      }
      logger.debug(
        { ...logBase, durationMs: Math.round(performance.now() - started), msgCode: status?.msgCode, isSuccess: status?.isSuccess },
        'kingdee call',
      );
      return { value, status };
    } catch (err) {
      logger.warn(
        {
          ...logBase, durationMs: Math.round(performance.now() - started),
          errorCode: isClassified(err) ? err.code : undefined, msgCode: isClassified(err) ? err.details.msgCode : undefined,
          error: err instanceof Error ? err.message : String(err),
        },
        'kingdee call failed',
      );
      throw err;
    } finally {
      lease.release();
    }
  }

  function requireStatus(status: NormalizedStatus | undefined, ctx: FailureContext): NormalizedStatus {
    if (!status) throwFor({ kind: 'invalid', reason: 'no Result.ResponseStatus' }, ctx);
    return status;
  }

  async function operation(op: string, formId: string, bills: BillTargets, options: SaveOptions | undefined): Promise<KingdeeOperationResult> {
    // `Ids` is a comma-separated string in the documented request (kingdee-api.md §4.4).
    const targets = 'ids' in bills ? { Ids: bills.ids.join(',') } : { Numbers: [...bills] };
    const spec: CallSpec = { op, formId, service: `DynamicFormService.${op}`, write: true, args: { kind: 'form', formId, data: { ...options, ...targets } } };
    const status = requireStatus((await invoke(spec)).status, spec);
    // IsSuccess false with some successes = partial success (kingdee-api.md §3.1): report, don't throw.
    if (!status.isSuccess && status.successes.length === 0) throwFor({ kind: 'status', status }, spec);
    return {
      successes: status.successes.map((s) => ({ id: s.id ?? 0, number: s.number, dIndex: s.dIndex ?? 0 })),
      errors: toFieldErrors(status),
    };
  }

  return {
    async save(formId, model, options) {
      const spec: CallSpec = { op: 'Save', formId, service: 'DynamicFormService.Save', write: true, args: { kind: 'form', formId, data: { ...options, Model: model } } };
      const { value, status } = await invoke(spec);
      const st = requireStatus(status, spec);
      if (!st.isSuccess) throwFor({ kind: 'status', status: st }, spec);
      const env = operationEnvelopeSchema.safeParse(value);
      const first = st.successes[0];
      const id = (env.success ? env.data.Result.Id : undefined) ?? first?.id;
      const number = (env.success ? env.data.Result.Number : undefined) ?? first?.number ?? '';
      if (id === undefined) throwFor({ kind: 'invalid', reason: 'Save succeeded without an Id' }, spec);
      return { id, number } satisfies KingdeeSaveResult;
    },

    async batchSave(formId, models, options): Promise<KingdeeBatchItemResult[]> {
      if (models.length === 0) return [];
      const spec: CallSpec = { op: 'BatchSave', formId, service: 'DynamicFormService.BatchSave', write: true, args: { kind: 'form', formId, data: { ...options, Model: models } } };
      const st = requireStatus((await invoke(spec)).status, spec);
      const callLevel =
        !st.isSuccess &&
        st.successes.length === 0 &&
        (st.errors.length === 0 || (st.msgCode !== undefined && CALL_LEVEL_MSG_CODES.has(st.msgCode)) || st.errors.every((e) => e.dIndex === undefined && models.length > 1));
      if (callLevel) throwFor({ kind: 'status', status: st }, spec);
      return mapBatchResults(models.length, st);
    },

    submit: (formId, bills, options) => operation('Submit', formId, bills, options),
    audit: (formId, bills, options) => operation('Audit', formId, bills, options),
    unAudit: (formId, bills, options) => operation('UnAudit', formId, bills, options),
    delete: (formId, bills) => operation('Delete', formId, bills, undefined),

    async view(formId, by) {
      const data = 'number' in by ? { Number: by.number } : { Id: by.id };
      const spec: CallSpec = { op: 'View', formId, service: 'DynamicFormService.View', write: false, args: { kind: 'form', formId, data } };
      const { value, status } = await invoke(spec);
      const st = requireStatus(status, spec);
      if (!st.isSuccess) {
        if (isNotFound(st)) return undefined;
        throwFor({ kind: 'status', status: st }, spec);
      }
      const env = operationEnvelopeSchema.safeParse(value);
      let pkg: unknown = env.success ? env.data.Result.Result : undefined;
      if (typeof pkg === 'string') {
        try {
          pkg = JSON.parse(pkg);
        } catch {
          throwFor({ kind: 'invalid', reason: 'View Result is not JSON' }, spec);
        }
      }
      if (pkg === null || typeof pkg !== 'object' || Array.isArray(pkg)) throwFor({ kind: 'invalid', reason: 'View without a data package' }, spec);
      return pkg as Record<string, unknown>;
    },

    async executeBillQuery(query: BillQuery) {
      const spec: CallSpec = {
        op: 'ExecuteBillQuery', formId: query.FormId, service: 'DynamicFormService.ExecuteBillQuery', write: false,
        args: { kind: 'query', data: { ...query } },
      };
      const answer = interpretQueryAnswer((await invoke(spec)).value);
      if (answer.kind === 'invalid') throwFor({ kind: 'invalid', reason: answer.reason }, spec);
      if (answer.kind === 'status') {
        if (!answer.status.isSuccess) throwFor({ kind: 'status', status: answer.status }, spec);
        return [];
      }
      return answer.rows;
    },

    async close() {
      if (closed) return;
      closed = true;
      if (opts.auth !== 'signature') {
        await Promise.all(
          pool.sessions.map(async (s) => {
            const lease = await pool.acquireSession(s.index);
            try {
              if (!s.sessionId) return;
              const url = serviceUrl(base, 'AuthService.Logout');
              await transport.post(url, JSON.stringify(buildRequestBody({ kind: 'logout' }, opts.bodyStyle)), headersFor(s, url), {
                timeoutMs: Math.min(opts.timeoutMs, LOGOUT_TIMEOUT_MS), write: false,
              });
            } finally {
              s.sessionId = undefined;
              s.cookies.clear();
              lease.release();
            }
          }),
        );
      }
      transport.close();
    },
  };
}

const NOT_FOUND = /不存在|未找到|not\s+(be\s+)?found|does\s+not\s+exist/i;

/** View of a missing bill: MsgCode 10, or a "not found" text that is not about the form itself (业务对象不存在). */
function isNotFound(st: NormalizedStatus): boolean {
  if (st.msgCode === 10) return true;
  if (st.msgCode !== undefined && st.msgCode !== 0 && st.msgCode !== 11) return false;
  return st.errors.some((e) => NOT_FOUND.test(e.message) && !e.message.includes('业务对象不存在'));
}
