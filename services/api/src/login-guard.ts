import { keys } from '@sync/queue';
import type { Redis } from 'ioredis';
import { lockoutAfterFailure, lockVerdict, type LoginGuardConfig } from './login-guard-rules';

/** The audit log's action for wrong credentials (the alert monitor reads these entries). */
export const LOGIN_FAILED_ACTION = 'login-failed';

/** Where failure counts and lockouts live: Redis (shared by every API replica) or memory (tests). */
export interface LoginAttemptStore {
  /** The address's failures and lockout end (ms since the epoch, 0 = none); undefined when it has none. */
  read(address: string): Promise<{ failures: number; lockedUntilMs: number } | undefined>;
  /** Counts one failure of `address` naming `user`; both counts after it. Each count lives `windowMs` after its last failure. */
  recordFailure(address: string, user: string, windowMs: number): Promise<{ address: number; user: number }>;
  /** Locks `address` until `untilMs`. */
  lock(address: string, untilMs: number): Promise<void>;
  /** Forgets the address's failures (after a correct login). */
  clear(address: string): Promise<void>;
}

/** The Redis store: a hash {f: failures, until: lockout end} per address and a counter per user name, all expiring. */
export function createRedisLoginStore(redis: Redis, prefix: string): LoginAttemptStore {
  return {
    async read(address) {
      const [f, until] = await redis.hmget(keys.loginAddress(prefix, address), 'f', 'until');
      if (f === null && until === null) return undefined;
      return { failures: Number(f ?? 0), lockedUntilMs: Number(until ?? 0) };
    },
    async recordFailure(address, user, windowMs) {
      const a = keys.loginAddress(prefix, address);
      const u = keys.loginUser(prefix, user);
      const res = await redis.multi().hincrby(a, 'f', 1).pexpire(a, windowMs).incr(u).pexpire(u, windowMs).exec();
      const count = (i: number): number => {
        const [err, value] = res?.[i] ?? [new Error('no reply'), null];
        if (err) throw err;
        return Number(value);
      };
      return { address: count(0), user: count(2) };
    },
    async lock(address, untilMs) {
      // The key already expires (windowMs ≥ any lockout); HSET keeps that TTL.
      await redis.hset(keys.loginAddress(prefix, address), 'until', String(untilMs));
    },
    async clear(address) {
      await redis.del(keys.loginAddress(prefix, address));
    },
  };
}

/** The same in memory, for an API built without Redis (unit tests). Expiry is checked on read. */
export function createMemoryLoginStore(now: () => number = Date.now): LoginAttemptStore {
  const addresses = new Map<string, { failures: number; lockedUntilMs: number; expiresAt: number }>();
  const users = new Map<string, { failures: number; expiresAt: number }>();
  const live = <T extends { expiresAt: number }>(m: Map<string, T>, k: string): T | undefined => {
    const v = m.get(k);
    if (v && v.expiresAt <= now()) m.delete(k);
    return m.get(k);
  };
  return {
    async read(address) {
      const a = live(addresses, address);
      return a ? { failures: a.failures, lockedUntilMs: a.lockedUntilMs } : undefined;
    },
    async recordFailure(address, user, windowMs) {
      const a = live(addresses, address) ?? { failures: 0, lockedUntilMs: 0, expiresAt: 0 };
      const u = live(users, user) ?? { failures: 0, expiresAt: 0 };
      a.failures += 1;
      u.failures += 1;
      a.expiresAt = u.expiresAt = now() + windowMs;
      addresses.set(address, a);
      users.set(user, u);
      return { address: a.failures, user: u.failures };
    },
    async lock(address, untilMs) {
      const a = live(addresses, address);
      if (a) a.lockedUntilMs = untilMs;
    },
    async clear(address) {
      addresses.delete(address);
    },
  };
}

/** The shell around the rules: reads and writes the store, the rules decide. */
export interface LoginGuard {
  /** Before checking credentials: refused (429) while the address is locked out. `failures` = its failures so far. */
  check(address: string, nowMs: number): Promise<{ allowed: true; failures: number } | { allowed: false; retryAfterSeconds: number }>;
  /** After wrong credentials: counts them and locks the address when the rules say so. */
  failed(address: string, user: string, nowMs: number): Promise<{ addressFailures: number; userFailures: number; lockedForMs: number }>;
  /** After a correct login from an address that had failures: forgets them. */
  succeeded(address: string): Promise<void>;
}

export function createLoginGuard(store: LoginAttemptStore, cfg: LoginGuardConfig): LoginGuard {
  return {
    async check(address, nowMs) {
      const state = await store.read(address);
      const verdict = lockVerdict(state?.lockedUntilMs, nowMs);
      return verdict.locked ? { allowed: false, retryAfterSeconds: verdict.retryAfterSeconds } : { allowed: true, failures: state?.failures ?? 0 };
    },
    async failed(address, user, nowMs) {
      const counts = await store.recordFailure(address, user, cfg.windowMs);
      const lockedForMs = lockoutAfterFailure(counts, cfg);
      if (lockedForMs > 0) await store.lock(address, nowMs + lockedForMs);
      return { addressFailures: counts.address, userFailures: counts.user, lockedForMs };
    },
    succeeded: (address) => store.clear(address),
  };
}
