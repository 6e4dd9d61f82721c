import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { ADMIN_PREFIX } from './admin-routes';
import type { JstSimulatorInternals } from './core';
import { errorEnvelope, JST_CODES, JstRejection } from './error-codes';
import { checkFixedParams, checkSignature, checkTimestamp, formToRecord, parseBizJson, requireParams } from './protocol';
import { latencyDelay, type JstFaultKind, type JstFaultSettings } from './settings';
import type { Prng } from './prng';
import type { ShopFilter } from './endpoint';

export const INIT_TOKEN_PATH = '/openWeb/auth/getInitToken';
export const REFRESH_TOKEN_PATH = '/openWeb/auth/refreshToken';

export const HTML_502 =
  '<html>\r\n<head><title>502 Bad Gateway</title></head>\r\n<body>\r\n<center><h1>502 Bad Gateway</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n';

/** Pending delays, so that closing the server does not wait for a hanging call. */
export interface DelayPool {
  wait(ms: number): Promise<void>;
  /** Resolves every pending delay now. */
  flush(): void;
}

export function createDelayPool(): DelayPool {
  const pending = new Map<NodeJS.Timeout, () => void>();
  return {
    wait(ms) {
      if (ms <= 0) return Promise.resolve();
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          pending.delete(timer);
          resolve();
        }, ms);
        pending.set(timer, resolve);
      });
    },
    flush() {
      for (const [timer, resolve] of pending) {
        clearTimeout(timer);
        resolve();
      }
      pending.clear();
    },
  };
}

/** The fault of this call, if any: the `failNext` queue first, then the rates (drawn from the seeded generator). */
export function drawFault(f: JstFaultSettings, r: Prng): JstFaultKind | undefined {
  const queued = f.failNext.shift();
  if (queued) return queued;
  if (f.resetRate > 0 && r.chance(f.resetRate)) return 'reset';
  if (f.http500Rate > 0 && r.chance(f.http500Rate)) return 'http500';
  if (f.htmlErrorRate > 0 && r.chance(f.htmlErrorRate)) return 'htmlError';
  if (f.internalErrorRate > 0 && r.chance(f.internalErrorRate)) return 'internalError';
  if (f.hangRate > 0 && r.chance(f.hangRate)) return 'hang';
  return undefined;
}

function tokenData(grant: { accessToken: string; refreshToken: string; expiresAt: number }, nowMs: number) {
  return {
    access_token: grant.accessToken,
    expires_in: Math.max(0, Math.floor((grant.expiresAt - nowMs) / 1000)),
    refresh_token: grant.refreshToken,
    scope: 'all',
  };
}

/** The JST answer for one form: the envelope's data, or a JstRejection thrown. */
function answer(core: JstSimulatorInternals, path: string, params: Record<string, string>): unknown {
  const nowMs = core.now();
  const app = checkSignature(params, core.apps);
  checkTimestamp(params, nowMs, core.settings.clockSkewSeconds);

  if (path === INIT_TOKEN_PATH || path === REFRESH_TOKEN_PATH) {
    checkFixedParams(params, false);
    if (path === INIT_TOKEN_PATH) {
      if (params.grant_type !== 'authorization_code') throw new JstRejection('badParameter', 'grant_type: must be authorization_code');
      requireParams(params, ['code']);
      return tokenData(core.tokens.mint(app.appKey, nowMs, core.settings.tokenExpirySeconds), nowMs);
    }
    if (params.grant_type !== 'refresh_token') throw new JstRejection('badParameter', 'grant_type: must be refresh_token');
    requireParams(params, ['refresh_token']);
    if (app.isv) throw new JstRejection('isvRefreshForbidden');
    const grant = core.tokens.refresh(app.appKey, params.refresh_token!, nowMs, core.settings.tokenExpirySeconds);
    if (!grant) throw new JstRejection('badToken', 'refresh_token: unknown or already used');
    return tokenData(grant, nowMs);
  }

  requireParams(params, ['access_token', 'version', 'charset', 'biz']);
  checkFixedParams(params, true);
  if (!core.tokens.check(app.appKey, params.access_token!, nowMs)) throw new JstRejection('badToken');
  const endpoint = core.endpoints.get(path);
  if (!endpoint) throw new JstRejection('noPermission', `${path}`);
  const decision = core.limiter.take(params.access_token!, path, nowMs, core.settings.rateLimit);
  if (decision === 'per-second') {
    core.recorder.rateLimited(path, 'perSecond');
    throw new JstRejection('perSecond');
  }
  if (decision === 'per-minute') {
    core.recorder.rateLimited(path, 'perMinute');
    throw new JstRejection('perMinute');
  }
  const biz = parseBizJson(params.biz!);
  return endpoint.handle(biz, { store: core.store, now: core.now, openwebShops: openwebShops(core) });
}

/** The shops the open API serves under the current `qimen.shopChannels` (every shop not marked qimen-only). */
export function openwebShops(core: JstSimulatorInternals): ShopFilter {
  const channels = core.settings.qimen.shopChannels;
  return { serves: (shopId) => channels[String(shopId)] !== 'qimen', cacheKey: JSON.stringify(channels) };
}

/**
 * Registers the JST protocol: every POST outside /__admin is a JST call (form body only). Faults and latency
 * are applied first, then signature (10), timestamp (180), fixed params (140), token (100), permission (190),
 * rate limits (199/200), biz JSON (130) and the endpoint's own validation (140). All JST answers are HTTP 200.
 */
export function registerProtocolRoutes(app: FastifyInstance, core: JstSimulatorInternals, delays: DelayPool): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string', bodyLimit: 20 * 1024 * 1024 }, (_req, body, done) => {
    done(null, new URLSearchParams(body as string));
  });

  app.post('/*', async (request: FastifyRequest, reply: FastifyReply) => {
    const path = request.url.split('?')[0]!;
    if (path === ADMIN_PREFIX || path.startsWith(`${ADMIN_PREFIX}/`)) return reply.code(404).send({ error: `no admin route POST ${path}` });
    core.recorder.call(path);

    const fault = drawFault(core.settings.faults, core.random);
    if (fault) core.recorder.fault(fault);
    if (fault === 'reset') {
      reply.hijack();
      request.raw.socket.destroy();
      return;
    }
    if (fault === 'hang') await delays.wait(core.settings.faults.hangMs);
    await delays.wait(latencyDelay(core.settings.latencyMs, () => core.random.next()));
    if (fault === 'http500') return reply.code(500).type('text/plain').send('Internal Server Error');
    if (fault === 'htmlError') return reply.code(502).type('text/html').send(HTML_502);
    if (fault === 'internalError') {
      core.recorder.code(path, JST_CODES.internal.code);
      return errorEnvelope(JST_CODES.internal.code, JST_CODES.internal.text);
    }

    try {
      if (!(request.body instanceof URLSearchParams)) {
        throw new JstRejection('badParameter', 'Content-Type must be application/x-www-form-urlencoded');
      }
      const data = answer(core, path, formToRecord(request.body));
      core.recorder.code(path, 0);
      return { code: JST_CODES.ok.code, msg: JST_CODES.ok.text, data };
    } catch (err) {
      if (!(err instanceof JstRejection)) throw err;
      core.recorder.code(path, err.code);
      return errorEnvelope(err.code, err.message);
    }
  });
}
