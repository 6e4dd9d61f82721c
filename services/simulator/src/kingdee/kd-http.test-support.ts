/**
 * A minimal K3Cloud caller for the simulator's own tests (plain fetch, no code shared with
 * packages/kingdee): service URLs, JSON posting, cookie capture and the three login styles.
 */
export const FORM_SERVICE = 'Kingdee.BOS.WebApi.ServicesStub.DynamicFormService';
export const AUTH_SERVICE = 'Kingdee.BOS.WebApi.ServicesStub.AuthService';

export interface KdResponse {
  status: number;
  text: string;
  /** Parsed JSON, or undefined when the body is not JSON. */
  json: unknown;
  setCookies: string[];
}

export interface CallOptions {
  headers?: Record<string, string>;
  timeoutMs?: number;
  /** Send this exact text instead of JSON.stringify(body). */
  rawBody?: string;
}

/** POST `<base><service>.<op>.common.kdsvc`. */
export async function kdPost(baseUrl: string, service: string, op: string, body: unknown, opts: CallOptions = {}): Promise<KdResponse> {
  const res = await fetch(`${baseUrl}${service}.${op}.common.kdsvc`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...opts.headers },
    body: opts.rawBody ?? JSON.stringify(body),
    signal: opts.timeoutMs ? AbortSignal.timeout(opts.timeoutMs) : undefined,
  });
  const text = await res.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: res.status, text, json, setCookies: res.headers.getSetCookie() };
}

/** name → value of the response's Set-Cookie headers. */
export function cookieValues(setCookies: string[]): Record<string, string> {
  return Object.fromEntries(setCookies.map((c) => c.split(';')[0]).map((nv) => [nv.slice(0, nv.indexOf('=')), nv.slice(nv.indexOf('=') + 1)]));
}

/** A logged-in caller that sends `kdservice-sessionid` as a header on every call. */
export interface KdSessionClient {
  sessionId: string;
  call(op: string, body: unknown, opts?: CallOptions): Promise<KdResponse>;
}

export async function loginWithPassword(baseUrl: string, username: string, password: string, acctId = '5f1e2d3c4b5a69'): Promise<KdSessionClient> {
  const res = await kdPost(baseUrl, AUTH_SERVICE, 'ValidateUser', { acctID: acctId, username, password, lcid: 2052 });
  const body = res.json as { LoginResultType?: number; KDSVCSessionId?: string };
  if (body.LoginResultType !== 1 || !body.KDSVCSessionId) throw new Error(`login failed: ${res.text}`);
  const sessionId = body.KDSVCSessionId;
  return {
    sessionId,
    call: (op, reqBody, opts = {}) => kdPost(baseUrl, FORM_SERVICE, op, reqBody, { ...opts, headers: { 'kdservice-sessionid': sessionId, ...opts.headers } }),
  };
}

/**
 * Registers the usual hooks of a simulator test file: one simulator for the file (closed after it), reset and a
 * fresh `integration` session before each test. Read both through the returned getters inside tests.
 */
export function simulatorPerFile(start: () => Promise<{ url: string; reset(): void; close(): Promise<void> }>) {
  let sim: Awaited<ReturnType<typeof start>> | undefined;
  let kd: KdSessionClient | undefined;
  beforeAll(async () => {
    sim = await start();
  });
  afterAll(async () => {
    await sim?.close();
  });
  beforeEach(async () => {
    sim!.reset();
    kd = await loginWithPassword(sim!.url, 'integration', 'demo-kd-password-1');
  });
  return { session: () => kd! };
}

/** `Result.ResponseStatus` of a Save / Submit / Audit / … answer. */
export function responseStatus<T = Record<string, unknown>>(res: { json: unknown }): T {
  return (res.json as { Result: { ResponseStatus: T } }).Result.ResponseStatus;
}
