import { randomBytes, randomUUID } from 'node:crypto';

/**
 * Server-side sessions. A session is found by its `kdservice-sessionid` (the KDSVCSessionId GUID) or its
 * `ASP.NET_SessionId`; it expires after `idleSeconds()` without a call (checked on lookup, with the
 * injected clock).
 */
export interface KdSession {
  kdsvcId: string;
  aspNetId: string;
  username: string;
  acctId: string;
  /** `<user>#<n>`: a loggable handle (the ids themselves are secrets). */
  label: string;
  /** How it was created. */
  via: 'ValidateUser' | 'LoginByAppSecret' | 'LoginBySign' | 'signature';
  /** For signature sessions: the app, so later signed calls reuse the session. */
  appId?: string;
  createdAt: number;
  lastUsedAt: number;
}

export interface SessionStore {
  create(input: Pick<KdSession, 'username' | 'acctId' | 'via' | 'appId'>): KdSession;
  /** The live session for any of the ids (touches it), or undefined (expired ones are dropped). */
  lookup(ids: { kdsvcId?: string; aspNetId?: string }): KdSession | undefined;
  /** A live signature session of the same app and user, to reuse for a signed call without cookie. */
  findSignatureSession(appId: string, username: string): KdSession | undefined;
  remove(kdsvcId: string): void;
  /** Drops every session; returns how many there were. */
  expireAll(): number;
  /** Drops every session and restarts the per-user label numbering (a fresh server). */
  clear(): void;
  count(): number;
}

const ASP_CHARS = 'abcdefghijklmnopqrstuvwxyz012345';

/** A 24-character ASP.NET-style session id. */
export function aspNetSessionId(): string {
  return [...randomBytes(24)].map((b) => ASP_CHARS[b % 32]).join('');
}

export function createSessionStore(clock: () => number, idleSeconds: () => number): SessionStore {
  const byId = new Map<string, KdSession>();
  const byAsp = new Map<string, string>();
  const perUser = new Map<string, number>();
  const alive = (s: KdSession): boolean => clock() - s.lastUsedAt <= idleSeconds() * 1000;
  const drop = (s: KdSession): void => {
    byId.delete(s.kdsvcId);
    byAsp.delete(s.aspNetId);
  };
  const check = (s: KdSession | undefined): KdSession | undefined => {
    if (!s) return undefined;
    if (!alive(s)) {
      drop(s);
      return undefined;
    }
    s.lastUsedAt = clock();
    return s;
  };
  return {
    create(input) {
      const n = (perUser.get(input.username) ?? 0) + 1;
      perUser.set(input.username, n);
      const now = clock();
      const s: KdSession = { ...input, kdsvcId: randomUUID(), aspNetId: aspNetSessionId(), label: `${input.username}#${n}`, createdAt: now, lastUsedAt: now };
      byId.set(s.kdsvcId, s);
      byAsp.set(s.aspNetId, s.kdsvcId);
      return s;
    },
    lookup(ids) {
      const a = ids.kdsvcId ? check(byId.get(ids.kdsvcId)) : undefined;
      if (a) return a;
      const viaAsp = ids.aspNetId ? byAsp.get(ids.aspNetId) : undefined;
      return viaAsp ? check(byId.get(viaAsp)) : undefined;
    },
    findSignatureSession(appId, username) {
      for (const s of byId.values()) {
        if (s.via === 'signature' && s.appId === appId && s.username === username) {
          const live = check(s);
          if (live) return live;
        }
      }
      return undefined;
    },
    remove(kdsvcId) {
      const s = byId.get(kdsvcId);
      if (s) drop(s);
    },
    expireAll() {
      const n = byId.size;
      byId.clear();
      byAsp.clear();
      return n;
    },
    clear() {
      byId.clear();
      byAsp.clear();
      perUser.clear();
    },
    count: () => byId.size,
  };
}
