import { randomBytes } from 'node:crypto';

/** One access token the simulator accepts. */
export interface JstTokenGrant {
  appKey: string;
  accessToken: string;
  refreshToken: string;
  /** Epoch ms after which the access token is answered with code 100. */
  expiresAt: number;
}

/** An initial token given in the options. */
export interface InitialJstToken {
  appKey: string;
  accessToken: string;
  refreshToken?: string;
  /** Lifetime from simulator start (seconds); default the simulator's tokenExpirySeconds. */
  expiresInSeconds?: number;
}

export interface TokenRegistry {
  /** The grant for a valid (known, unexpired, same app) access token, else undefined. */
  check(appKey: string, accessToken: string, nowMs: number): JstTokenGrant | undefined;
  /** Mints a new token pair for an app (getInitToken). Previously issued tokens stay valid until they expire. */
  mint(appKey: string, nowMs: number, lifetimeSeconds: number): JstTokenGrant;
  /** Exchanges a refresh token for a new pair; undefined when the refresh token is unknown or expired. */
  refresh(appKey: string, refreshToken: string, nowMs: number, lifetimeSeconds: number): JstTokenGrant | undefined;
  /** Expires one access token (or all when omitted) so clients exercise re-authorisation. Returns how many. */
  expire(accessToken?: string): number;
  list(): JstTokenGrant[];
  /** Back to the initial tokens, with lifetimes counted from `nowMs`. */
  reset(nowMs: number): void;
}

export function createTokenRegistry(initial: readonly InitialJstToken[], defaultLifetimeSeconds: () => number, startMs: number): TokenRegistry {
  const byAccess = new Map<string, JstTokenGrant>();
  const byRefresh = new Map<string, JstTokenGrant>();
  const add = (g: JstTokenGrant): JstTokenGrant => {
    byAccess.set(g.accessToken, g);
    byRefresh.set(g.refreshToken, g);
    return g;
  };
  const fresh = (appKey: string, nowMs: number, lifetimeSeconds: number): JstTokenGrant =>
    add({ appKey, accessToken: randomBytes(16).toString('hex'), refreshToken: randomBytes(16).toString('hex'), expiresAt: nowMs + lifetimeSeconds * 1000 });
  const reset = (nowMs: number): void => {
    byAccess.clear();
    byRefresh.clear();
    for (const t of initial) {
      add({
        appKey: t.appKey,
        accessToken: t.accessToken,
        refreshToken: t.refreshToken ?? `refresh-${t.accessToken}`,
        expiresAt: nowMs + (t.expiresInSeconds ?? defaultLifetimeSeconds()) * 1000,
      });
    }
  };
  reset(startMs);
  return {
    check(appKey, accessToken, nowMs) {
      const g = byAccess.get(accessToken);
      return g && g.appKey === appKey && nowMs < g.expiresAt ? g : undefined;
    },
    mint: fresh,
    refresh(appKey, refreshToken, nowMs, lifetimeSeconds) {
      const g = byRefresh.get(refreshToken);
      if (!g || g.appKey !== appKey) return undefined;
      byRefresh.delete(refreshToken); // a refresh token is single use
      return fresh(appKey, nowMs, lifetimeSeconds);
    },
    expire(accessToken) {
      let n = 0;
      for (const g of byAccess.values()) {
        if (accessToken === undefined || g.accessToken === accessToken) {
          g.expiresAt = 0;
          n++;
        }
      }
      return n;
    },
    list: () => [...byAccess.values()].map((g) => ({ ...g })),
    reset,
  };
}
