import { randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';

const RELEASE = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) else return 0 end`;
const EXTEND = `if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('PEXPIRE', KEYS[1], ARGV[2]) else return 0 end`;

/** A held lock: its key and the random token that proves ownership. */
export interface LockHandle {
  key: string;
  token: string;
}

/** SET key token NX PX ttlMs; undefined when someone else holds it. */
export async function acquireLock(redis: Redis, key: string, ttlMs: number): Promise<LockHandle | undefined> {
  const token = randomUUID();
  const ok = await redis.set(key, token, 'PX', ttlMs, 'NX');
  return ok === 'OK' ? { key, token } : undefined;
}

/**
 * Tries every key in ONE round trip (a pipeline of SET NX PX): per key its handle, undefined when held
 * elsewhere, or the Error Redis answered for that key.
 */
export async function acquireLocks(redis: Redis, keys: readonly string[], ttlMs: number): Promise<(LockHandle | undefined | Error)[]> {
  if (!keys.length) return [];
  const tokens = keys.map(() => randomUUID());
  const pipe = redis.pipeline();
  keys.forEach((key, i) => pipe.set(key, tokens[i], 'PX', ttlMs, 'NX'));
  const answers = (await pipe.exec()) ?? [];
  return keys.map((key, i) => {
    const [err, ok] = answers[i] ?? [new Error('no answer from Redis'), null];
    if (err) return err;
    return ok === 'OK' ? { key, token: tokens[i] } : undefined;
  });
}

/** releaseLock / extendLock for many locks in ONE round trip; best effort (answers are not checked). */
export async function releaseLocks(redis: Redis, locks: readonly LockHandle[]): Promise<void> {
  if (!locks.length) return;
  const pipe = redis.pipeline();
  for (const lock of locks) pipe.eval(RELEASE, 1, lock.key, lock.token);
  await pipe.exec();
}

export async function extendLocks(redis: Redis, locks: readonly LockHandle[], ttlMs: number): Promise<void> {
  if (!locks.length) return;
  const pipe = redis.pipeline();
  for (const lock of locks) pipe.eval(EXTEND, 1, lock.key, lock.token, String(ttlMs));
  await pipe.exec();
}

/** Deletes the lock only if we still own it (compare-and-delete); true when deleted. */
export async function releaseLock(redis: Redis, lock: LockHandle): Promise<boolean> {
  const n = (await redis.eval(RELEASE, 1, lock.key, lock.token)) as number;
  return n === 1;
}

/** Pushes the expiry out to `ttlMs` from now, only if we still own it; true when extended. */
export async function extendLock(redis: Redis, lock: LockHandle, ttlMs: number): Promise<boolean> {
  const n = (await redis.eval(EXTEND, 1, lock.key, lock.token, String(ttlMs))) as number;
  return n === 1;
}

/**
 * Runs `fn` while holding `key`: the lock expires after `ttlMs` if this process dies, and is extended every
 * ttlMs/3 while `fn` runs; it is released in `finally`. Returns `{ acquired: false }` without running `fn`
 * when the lock is held elsewhere. Errors of `fn` propagate.
 */
export async function withLock<T>(
  redis: Redis,
  key: string,
  ttlMs: number,
  fn: () => Promise<T>,
): Promise<{ acquired: true; value: T } | { acquired: false }> {
  const lock = await acquireLock(redis, key, ttlMs);
  if (!lock) return { acquired: false };
  const timer = setInterval(() => {
    extendLock(redis, lock, ttlMs).catch(() => undefined);
  }, Math.max(50, Math.floor(ttlMs / 3)));
  timer.unref();
  try {
    return { acquired: true, value: await fn() };
  } finally {
    clearInterval(timer);
    await releaseLock(redis, lock).catch(() => undefined);
  }
}
