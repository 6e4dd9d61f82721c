import { loginOk, loginRefused, sessionLost, type FakeHandler, type FakeReply, type FakeRequest } from './fake-kingdee-server';

/** Login arguments as received, from either body convention. */
export function loginArgs(req: FakeRequest): { acctId: unknown; username: unknown; secret: unknown; appId?: unknown; lcid: unknown } {
  const body = req.body as Record<string, unknown>;
  const p = Array.isArray(body.parameters) ? (body.parameters as unknown[]) : undefined;
  if (req.op === 'ValidateUser') {
    return p
      ? { acctId: p[0], username: p[1], secret: p[2], lcid: p[3] }
      : { acctId: body.acctID, username: body.username, secret: body.password, lcid: body.lcid };
  }
  return p
    ? { acctId: p[0], username: p[1], appId: p[2], secret: p[3], lcid: p[4] }
    : { acctId: body.acctid, username: body.username, appId: body.appid, secret: body.appsecret, lcid: body.lcid };
}

export interface LoginGate {
  handler: FakeHandler;
  /** Session ids currently valid. */
  valid: Set<string>;
  logins(): number;
  /** Invalidate every session (server restart / idle expiry). */
  expireAll(): void;
}

/**
 * Handles ValidateUser / LoginByAppSecret against `secrets` (username → password or app secret), issues session ids
 * `sid-<n>`, answers MsgCode 1 (wrapped for ExecuteBillQuery) to calls without a valid session, and passes the
 * rest to `business`.
 */
export function createLoginGate(secrets: Record<string, string>, business: FakeHandler): LoginGate {
  const valid = new Set<string>();
  let n = 0;
  const handler: FakeHandler = (req): FakeReply | Promise<FakeReply> => {
    if (req.op === 'ValidateUser' || req.op === 'LoginByAppSecret') {
      const a = loginArgs(req);
      if (typeof a.username !== 'string' || secrets[a.username] !== a.secret) return loginRefused();
      n += 1;
      const sid = `sid-${n}`;
      valid.add(sid);
      return loginOk(sid);
    }
    if (req.op === 'Logout') {
      if (req.sessionId) valid.delete(req.sessionId);
      return { body: { Message: null } };
    }
    if (!req.sessionId || !valid.has(req.sessionId)) return sessionLost(req.op === 'ExecuteBillQuery');
    return business(req);
  };
  return { handler, valid, logins: () => n, expireAll: () => valid.clear() };
}
