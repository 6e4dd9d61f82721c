import type { MetricsStore } from '@sync/queue';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { AuditLog } from './audit-log';
import { authChallenge, authenticateRole, claimedLogin, type AuthCredentials } from './auth';
import { bodyTypeVerdict, crossSiteVerdict } from './cross-site';
import { LOGIN_FAILED_ACTION, type LoginGuard } from './login-guard';
import { DEFAULT_LOGIN_GUARD, type LoginGuardConfig } from './login-guard-rules';
import { READONLY_REFUSAL, type RouteRole } from './api-route';
import type { RateLimitCheck } from './rate-limit';

/**
 * The role a request needs: its route's, from the route table; for routes of plugins (Bull Board, the docs page)
 * reading (GET, HEAD) is `readonly` and anything else `operator`.
 */
export function requiredRole(req: Pick<FastifyRequest, 'method' | 'routeOptions'>): RouteRole {
  return req.routeOptions.config.role ?? (req.method === 'GET' || req.method === 'HEAD' ? 'readonly' : 'operator');
}

/** A header's single value (Node joins or lists repeated ones; a list counts as its first). */
const headerValue = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v);

/** The client address as counted by the login guard: IPv4-mapped IPv6 (`::ffff:1.2.3.4`) as plain IPv4. */
const clientAddress = (ip: string): string => ip.replace(/^::ffff:(\d+\.\d+\.\d+\.\d+)$/, '$1');

/** The login-guard settings from the environment (defaults in DEFAULT_LOGIN_GUARD). */
export function loginGuardConfig(env: { API_LOGIN_MAX_FAILURES?: number; API_LOGIN_LOCKOUT_MAX_SECONDS?: number }): LoginGuardConfig {
  const lockoutMaxMs = (env.API_LOGIN_LOCKOUT_MAX_SECONDS ?? DEFAULT_LOGIN_GUARD.lockoutMaxMs / 1000) * 1000;
  return {
    ...DEFAULT_LOGIN_GUARD,
    maxFailures: env.API_LOGIN_MAX_FAILURES ?? DEFAULT_LOGIN_GUARD.maxFailures,
    lockoutMaxMs,
    // Counts outlive the longest lockout, so a locked address comes back to a lockout, not to free failures.
    windowMs: Math.max(DEFAULT_LOGIN_GUARD.windowMs, 2 * lockoutMaxMs),
  };
}

export interface RequestGuardDeps {
  creds: AuthCredentials;
  guard: LoginGuard;
  /** The per-credential request limit (rate-limit.ts). */
  limiter: RateLimitCheck;
  audit: AuditLog;
  now: () => Date;
  /** API_ALLOWED_ORIGINS, normalised. */
  allowedOrigins: ReadonlySet<string>;
  metrics?: MetricsStore;
}

/**
 * The gate in front of every authenticated route of `scope` (an onRequest hook), in this order: a locked-out
 * address gets 429 `login_locked` (Retry-After) before its credentials are looked at; the per-credential rate limit
 * (429 `rate_limited`, Retry-After); wrong credentials 401 (counted against the address and the user name, and audited as
 * `login-failed`; no credentials at all is a browser's first try and only gets the challenge); the read-only role
 * 403 on operator routes (requiredRole); a change another site could have made a browser send 403 `cross_site`; a body that is not JSON 415.
 * Sets `req.principal` and `req.role` for the routes and the audit hook.
 */
export function registerRequestGuard(scope: FastifyInstance, d: RequestGuardDeps): void {
  const { creds, guard, limiter, audit, now, allowedOrigins } = d;
  /** Counts a wrong credential against the address and the user name, and records it in the audit log (never the password). */
  const recordFailedLogin = async (req: FastifyRequest, address: string, header: string): Promise<void> => {
    const { scheme, user } = claimedLogin(header);
    const at = now();
    const counts = await guard.failed(address, user, at.getTime()).catch((err: unknown) => {
      req.log.warn({ err }, 'login guard unavailable');
      return undefined;
    });
    const entry = {
      at: at.toISOString(),
      principal: 'anonymous',
      role: 'none',
      action: LOGIN_FAILED_ACTION,
      method: req.method,
      url: req.url.slice(0, 2048),
      statusCode: 401,
      details: {
        address,
        user,
        scheme,
        ...(counts
          ? { addressFailures: counts.addressFailures, userFailures: counts.userFailures, lockedForSeconds: Math.ceil(counts.lockedForMs / 1000) }
          : {}),
      },
    };
    req.log.warn(entry, 'login failed');
    await audit.record(entry).catch((err: unknown) => req.log.error({ err }, 'audit record failed'));
  };

  scope.addHook('onRequest', async (req, reply) => {
    const header = req.headers.authorization || undefined;
    const address = clientAddress(req.ip);
    // A locked-out address is refused before its credentials are looked at, right or wrong (see login-guard-rules).
    let priorFailures = 0;
    if (header !== undefined) {
      const gate = await guard.check(address, now().getTime()).catch((err: unknown) => {
        // Redis away: fail open for the lockout (every route needs Redis anyway).
        req.log.warn({ err }, 'login guard unavailable');
        return { allowed: true as const, failures: 0 };
      });
      if (!gate.allowed) {
        return reply
          .code(429)
          .header('retry-after', String(gate.retryAfterSeconds))
          .send({ error: 'login_locked', message: `too many failed logins from this address; retry in ${gate.retryAfterSeconds} s` });
      }
      priorFailures = gate.failures;
    }
    const who = authenticateRole(header, creds);
    // Failed attempts count against the client address, so guessing credentials is throttled too.
    const verdict = await limiter(req, who ? `principal:${who.principal}` : `ip:${address}`);
    if (!verdict.allowed) {
      void d.metrics?.rateLimitHit('api').catch(() => undefined);
      return reply
        .code(429)
        .header('retry-after', String(verdict.retryAfterSeconds))
        .send({ error: 'rate_limited', message: 'too many requests; retry later' });
    }
    if (who === undefined) {
      // A request without credentials is a browser's first try (it asks after the challenge), not a failed login.
      if (header !== undefined) await recordFailedLogin(req, address, header);
      return reply
        .code(401)
        .header('www-authenticate', authChallenge(creds))
        .send({ error: 'unauthorized', message: 'missing or wrong credentials' });
    }
    if (priorFailures > 0) await guard.succeeded(address).catch((err: unknown) => req.log.warn({ err }, 'login guard unavailable'));
    req.principal = who.principal;
    req.role = who.role;
    // The read-only role calls the routes the table marks readonly (Bull Board's reads too) and nothing else.
    if (who.role === 'readonly' && requiredRole(req) === 'operator') {
      return reply.code(403).send({ error: 'forbidden', message: req.routeOptions.config.refusal ?? READONLY_REFUSAL });
    }
    // Browsers attach Basic credentials to requests other sites make them send: those must not change anything.
    const site = crossSiteVerdict(
      {
        method: req.method,
        secFetchSite: headerValue(req.headers['sec-fetch-site']),
        origin: headerValue(req.headers.origin),
        host: req.host,
        bearer: /^bearer /i.test(header ?? ''),
      },
      allowedOrigins,
    );
    if (!site.allowed) {
      req.audit = {
        action: 'cross-site-refused',
        details: {
          origin: headerValue(req.headers.origin)?.slice(0, 200) ?? null,
          secFetchSite: headerValue(req.headers['sec-fetch-site'])?.slice(0, 50) ?? null,
        },
      };
      return reply.code(403).send({ error: 'cross_site', field: 'origin', message: `origin: refused cross-site request: ${site.reason}` });
    }
    const body = bodyTypeVerdict({
      method: req.method,
      contentType: headerValue(req.headers['content-type']),
      contentLength: headerValue(req.headers['content-length']),
      transferEncoding: headerValue(req.headers['transfer-encoding']),
    });
    if (!body.allowed) {
      return reply.code(415).send({ error: 'unsupported_media_type', field: 'content-type', message: `content-type: ${body.reason}` });
    }
  });
}
