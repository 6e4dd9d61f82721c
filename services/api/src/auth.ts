import { createHash, timingSafeEqual } from 'node:crypto';
import { ConfigError } from '@sync/config';

/** Realm sent in `WWW-Authenticate` challenges. */
export const AUTH_REALM = 'jst-kingdee-sync';

/** The credentials the API accepts; at least one kind must be set (see `authCredentialsFromEnv`). */
export interface AuthCredentials {
  token?: string;
  basic?: { user: string; password: string };
  /** The read-only credential: GET/HEAD only, Bull Board read-only. */
  readonlyToken?: string;
  readonlyBasic?: { user: string; password: string };
}

/** `operator` may change things (retry, discard, resync, pause, Bull Board actions); `readonly` may only read. */
export type Role = 'operator' | 'readonly';

/**
 * Reads API_TOKEN and API_BASIC_USER/API_BASIC_PASSWORD. Throws ConfigError when neither a token nor a
 * complete user/password pair is configured (the API must never run open), or when only half of the pair is.
 */
export function authCredentialsFromEnv(env: {
  API_TOKEN?: string;
  API_BASIC_USER?: string;
  API_BASIC_PASSWORD?: string;
  API_READONLY_TOKEN?: string;
  API_READONLY_BASIC_USER?: string;
  API_READONLY_BASIC_PASSWORD?: string;
}): AuthCredentials {
  if ((env.API_READONLY_BASIC_USER === undefined) !== (env.API_READONLY_BASIC_PASSWORD === undefined)) {
    throw new ConfigError('API read-only basic auth needs both API_READONLY_BASIC_USER and API_READONLY_BASIC_PASSWORD');
  }
  const hasUser = env.API_BASIC_USER !== undefined;
  const hasPassword = env.API_BASIC_PASSWORD !== undefined;
  if (hasUser !== hasPassword) {
    throw new ConfigError(
      `API basic auth needs both API_BASIC_USER and API_BASIC_PASSWORD (only ${hasUser ? 'API_BASIC_USER' : 'API_BASIC_PASSWORD'} is set)`,
    );
  }
  const creds: AuthCredentials = {};
  if (env.API_TOKEN !== undefined) creds.token = env.API_TOKEN;
  if (env.API_BASIC_USER !== undefined && env.API_BASIC_PASSWORD !== undefined) {
    creds.basic = { user: env.API_BASIC_USER, password: env.API_BASIC_PASSWORD };
  }
  if (env.API_READONLY_TOKEN !== undefined) {
    if (env.API_READONLY_TOKEN === env.API_TOKEN) throw new ConfigError('API_READONLY_TOKEN must differ from API_TOKEN');
    creds.readonlyToken = env.API_READONLY_TOKEN;
  }
  if (env.API_READONLY_BASIC_USER !== undefined && env.API_READONLY_BASIC_PASSWORD !== undefined) {
    if (env.API_READONLY_BASIC_USER === env.API_BASIC_USER) {
      throw new ConfigError('API_READONLY_BASIC_USER must differ from API_BASIC_USER');
    }
    creds.readonlyBasic = { user: env.API_READONLY_BASIC_USER, password: env.API_READONLY_BASIC_PASSWORD };
  }
  if (!creds.token && !creds.basic) {
    throw new ConfigError(
      'the API refuses to run without credentials: set API_TOKEN (bearer, min 8 chars) and/or API_BASIC_USER + API_BASIC_PASSWORD (min 8 chars)',
    );
  }
  return creds;
}

const digest = (s: string): Buffer => createHash('sha256').update(s, 'utf8').digest();

/** Constant-time equality: both sides are hashed first, so lengths never differ and never leak. */
function safeEqual(given: string, expected: string): boolean {
  return timingSafeEqual(digest(given), digest(expected));
}

/**
 * Checks an `Authorization` header value against the credentials: `Bearer <token>` or `Basic base64(user:pass)`.
 * Pure. Returns who was authenticated (`token`, or `basic:<user>`) for audit logs, or `undefined` for a missing
 * or malformed header, wrong credentials, or a scheme that is not configured.
 */
export function authenticate(header: string | undefined, creds: AuthCredentials): string | undefined {
  if (!header) return undefined;
  const match = /^([A-Za-z]+) +(\S+) *$/.exec(header);
  if (!match) return undefined;
  const scheme = match[1].toLowerCase();
  const value = match[2];
  if (scheme === 'bearer') {
    return creds.token !== undefined && safeEqual(value, creds.token) ? 'token' : undefined;
  }
  if (scheme === 'basic' && creds.basic) {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon < 0) return undefined;
    // Compare both parts, always: no early exit that tells a right user from a wrong one.
    const userOk = safeEqual(decoded.slice(0, colon), creds.basic.user);
    const passwordOk = safeEqual(decoded.slice(colon + 1), creds.basic.password);
    return userOk && passwordOk ? `basic:${creds.basic.user}` : undefined;
  }
  return undefined;
}

/** Longest user name kept from a failed login (audit log, failure counts). */
const MAX_CLAIMED_USER = 128;

/**
 * Who a rejected `Authorization` header claimed to be, for the failed-login record: the Basic user name (control
 * characters replaced, at most 128 characters; never the password), `(bearer token)`, or `(unreadable)`. Pure.
 */
export function claimedLogin(header: string): { scheme: string; user: string } {
  const match = /^([A-Za-z]+) +(\S+) *$/.exec(header);
  const scheme = match ? match[1].toLowerCase() : 'unknown';
  if (match && scheme === 'basic') {
    const decoded = Buffer.from(match[2], 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    if (colon >= 0) return { scheme, user: decoded.slice(0, colon).replace(/[\u0000-\u001f\u007f]/g, '?').slice(0, MAX_CLAIMED_USER) };
  }
  if (scheme === 'bearer') return { scheme, user: '(bearer token)' };
  return { scheme: scheme.slice(0, 20), user: '(unreadable)' };
}

/** The challenge for a 401: Basic when basic auth is configured (browsers then prompt), else Bearer. */
export function authChallenge(creds: AuthCredentials): string {
  return creds.basic ? `Basic realm="${AUTH_REALM}"` : `Bearer realm="${AUTH_REALM}"`;
}

/**
 * Like `authenticate`, with roles: the operator credentials give `operator`, the read-only ones `readonly`.
 * Every configured credential is compared (constant time) so the answer time does not tell which one matched.
 * `principal` is `token`, `basic:<user>`, `readonly-token` or `basic:<readonly user>`.
 */
export function authenticateRole(
  header: string | undefined,
  creds: AuthCredentials,
): { principal: string; role: Role } | undefined {
  const operator = authenticate(header, creds);
  const readonly = authenticate(header, {
    ...(creds.readonlyToken !== undefined ? { token: creds.readonlyToken } : {}),
    ...(creds.readonlyBasic ? { basic: creds.readonlyBasic } : {}),
  });
  if (operator !== undefined) return { principal: operator, role: 'operator' };
  if (readonly !== undefined) return { principal: readonly === 'token' ? 'readonly-token' : readonly, role: 'readonly' };
  return undefined;
}
