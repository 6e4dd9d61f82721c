import type { IncomingHttpHeaders } from 'node:http';
import type { ResolvedOptions } from './options';
import type { KdSession, SessionStore } from './session-store';
import type { KingdeeSimulatorSettings } from './settings';
import {
  computeApiSignature, computeKdSignature, safeEqual, splitAppId, timestampToMs,
} from './signature';

/**
 * Who is calling a business op: a live session named by the `kdservice-sessionid` / `ASP.NET_SessionId`
 * header or cookie, else the third-party signed headers (§2.2), which create or reuse a session.
 */
export type AuthOutcome =
  | { kind: 'session'; session: KdSession; setCookie: boolean }
  | { kind: 'none' }
  | { kind: 'rejected'; reason: string };

/** Parses a Cookie header into name → value (first occurrence wins). */
export function parseCookies(header: string | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of (header ?? '').split(';')) {
    const i = part.indexOf('=');
    if (i <= 0) continue;
    const name = part.slice(0, i).trim();
    if (!(name in out)) out[name] = part.slice(i + 1).trim();
  }
  return out;
}

const one = (v: string | string[] | undefined): string | undefined => (Array.isArray(v) ? v[0] : v)?.trim() || undefined;

/** Session ids the request carries, in the order they are tried. */
export function sessionIdsOf(headers: IncomingHttpHeaders): Array<{ kdsvcId?: string; aspNetId?: string }> {
  const cookies = parseCookies(one(headers.cookie));
  return [
    { kdsvcId: one(headers['kdservice-sessionid']) },
    { kdsvcId: cookies['kdservice-sessionid'] },
    { aspNetId: one(headers['asp.net_sessionid']) },
    { aspNetId: cookies['ASP.NET_SessionId'] },
  ].filter((ids) => ids.kdsvcId !== undefined || ids.aspNetId !== undefined);
}

interface SignatureContext {
  options: Pick<ResolvedOptions, 'apps' | 'acctId'>;
  settings: Pick<KingdeeSimulatorSettings, 'signatureSkewSeconds' | 'requireApiSignature'>;
  nowMs: number;
}

/**
 * Verifies X-Kd-Appkey / X-Kd-Appdata / X-Kd-Signature and, when sent (or required), X-Api-Signature
 * over `path` with a timestamp in seconds or ms inside the skew window. Pure.
 */
export function verifySignedHeaders(headers: IncomingHttpHeaders, path: string, ctx: SignatureContext): { ok: true; appId: string; username: string } | { ok: false; reason: string } {
  const appId = one(headers['x-kd-appkey']);
  const app = ctx.options.apps.find((a) => a.appId === appId);
  if (!appId || !app) return { ok: false, reason: 'unknown X-Kd-Appkey' };
  const appData = Buffer.from(one(headers['x-kd-appdata']) ?? '', 'base64').toString('utf8');
  const [acctId, username] = appData.split(',');
  if (!safeEqual(one(headers['x-kd-signature']) ?? '', computeKdSignature(appId, app.appSecret, appData))) {
    return { ok: false, reason: 'bad X-Kd-Signature' };
  }
  if (acctId !== ctx.options.acctId) return { ok: false, reason: 'unknown data center' };
  if (username !== app.username) return { ok: false, reason: 'user not bound to the app' };

  const apiSignature = one(headers['x-api-signature']);
  if (apiSignature || ctx.settings.requireApiSignature) {
    const timestamp = one(headers['x-api-timestamp']) ?? '';
    const nonce = one(headers['x-api-nonce']) ?? '';
    const tsMs = timestampToMs(timestamp);
    if (tsMs === undefined || Math.abs(ctx.nowMs - tsMs) > ctx.settings.signatureSkewSeconds * 1000) {
      return { ok: false, reason: 'X-Api-TimeStamp outside the accepted window' };
    }
    const clientId = one(headers['x-api-clientid']);
    if (clientId !== undefined && clientId !== splitAppId(appId).clientId) return { ok: false, reason: 'X-Api-ClientID does not match' };
    if (!safeEqual(apiSignature ?? '', computeApiSignature(appId, path, nonce, timestamp))) {
      return { ok: false, reason: 'bad X-Api-Signature' };
    }
  }
  return { ok: true, appId, username };
}

/** Finds or establishes the caller's session. */
export function authenticate(
  headers: IncomingHttpHeaders,
  path: string,
  deps: SignatureContext & { sessions: SessionStore; onSessionCreated: () => void },
): AuthOutcome {
  for (const ids of sessionIdsOf(headers)) {
    const session = deps.sessions.lookup(ids);
    if (session) return { kind: 'session', session, setCookie: false };
  }
  if (!one(headers['x-kd-appkey'])) return { kind: 'none' };
  const verified = verifySignedHeaders(headers, path, deps);
  if (!verified.ok) return { kind: 'rejected', reason: verified.reason };
  const reused = deps.sessions.findSignatureSession(verified.appId, verified.username);
  if (reused) return { kind: 'session', session: reused, setCookie: true };
  deps.onSessionCreated();
  const session = deps.sessions.create({ username: verified.username, acctId: deps.options.acctId, via: 'signature', appId: verified.appId });
  return { kind: 'session', session, setCookie: true };
}
