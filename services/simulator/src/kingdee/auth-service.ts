import type { IncomingHttpHeaders } from 'node:http';
import { loginFailureBody, loginSuccessBody } from './login-response';
import { messages } from './messages';
import { sessionIdsOf } from './request-auth';
import { loginArgs, type ParsedBody } from './request-body';
import type { KdSession } from './session-store';
import { loginBySignSign, safeEqual, timestampToMs } from './signature';
import type { SimulatorState } from './simulator-state';

/**
 * AuthService ops (reference §2.1): ValidateUser, ValidateUserByOrgNumber, LoginByAppSecret,
 * LoginBySign (both body conventions) and Logout. A successful login creates a session; the route
 * sets its cookies.
 */
export const authOps = ['validateuser', 'validateuserbyorgnumber', 'loginbyappsecret', 'loginbysign', 'logout'] as const;
export type AuthOp = (typeof authOps)[number];

export function isAuthOp(op: string): op is AuthOp {
  return (authOps as readonly string[]).includes(op);
}

export interface AuthAnswer {
  body: unknown;
  session?: KdSession;
}

const lcidOf = (raw: string): number => (/^\d+$/.test(raw) ? Number(raw) : 2052);

export function handleAuthOp(state: SimulatorState, op: AuthOp, body: ParsedBody, headers: IncomingHttpHeaders): AuthAnswer {
  const { options, sessions, stats } = state;
  const fail = (message: string, type: 0 | -1): AuthAnswer => {
    stats.logins.failed++;
    return { body: loginFailureBody(message, type) };
  };
  const succeed = (username: string, via: KdSession['via'], lcid: number, appId?: string): AuthAnswer => {
    stats.logins.succeeded++;
    stats.sessionsCreated++;
    const session = sessions.create({ username, acctId: options.acctId, via, appId });
    return { body: loginSuccessBody(session, lcid), session };
  };

  if (op === 'logout') {
    for (const ids of sessionIdsOf(headers)) {
      const s = sessions.lookup(ids);
      if (s) sessions.remove(s.kdsvcId);
    }
    return { body: true };
  }

  if (op === 'validateuser' || op === 'validateuserbyorgnumber') {
    const [acctId, username, password, lcid] = loginArgs(body, [['acctID'], ['username', 'userName'], ['password'], ['lcid']]);
    if (acctId !== options.acctId) return fail(messages.unknownDataCenter, -1);
    const user = options.users.find((u) => u.username === username);
    if (!user || !safeEqual(user.password, password)) return fail(messages.wrongPassword, 0);
    return succeed(username, 'ValidateUser', lcidOf(lcid));
  }

  if (op === 'loginbyappsecret') {
    const [acctId, username, appId, appSecret, lcid] = loginArgs(body, [['acctid'], ['username'], ['appid'], ['appsecret'], ['lcid']]);
    if (acctId !== options.acctId) return fail(messages.unknownDataCenter, -1);
    const app = options.apps.find((a) => a.appId === appId);
    if (!app || !safeEqual(app.appSecret, appSecret) || app.username !== username) return fail(messages.signatureRejected, -1);
    return succeed(username, 'LoginByAppSecret', lcidOf(lcid), appId);
  }

  // loginbysign
  const [acctId, username, appId, timestamp, sign, lcid] = loginArgs(body, [['acctid'], ['username'], ['appid'], ['timestamp'], ['sign'], ['lcid']]);
  if (acctId !== options.acctId) return fail(messages.unknownDataCenter, -1);
  const app = options.apps.find((a) => a.appId === appId);
  const tsMs = timestampToMs(timestamp);
  if (!app || app.username !== username || tsMs === undefined) return fail(messages.signatureRejected, -1);
  if (Math.abs(options.clock() - tsMs) > state.settings.signatureSkewSeconds * 1000) return fail(messages.signatureRejected, -1);
  if (!safeEqual(sign.toLowerCase(), loginBySignSign(acctId, username, appId, app.appSecret, timestamp))) return fail(messages.signatureRejected, -1);
  return succeed(username, 'LoginBySign', lcidOf(lcid), appId);
}
