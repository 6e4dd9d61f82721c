import { createHash, randomUUID } from 'node:crypto';
import type { Redis } from 'ioredis';
import { TransientError } from '@sync/errors';
import { keys } from './keyspace';

/**
 * Structurally identical to `JstCallLimiter` in @sync/jushuitan. Declared here rather than imported because
 * @sync/queue does not depend on @sync/jushuitan; TypeScript checks the match where the services pass this
 * limiter to `createJstClient`.
 */
export interface SharedJstCallLimiter {
  /** Resolves when one call to `path` may be sent now; the call is counted from that moment. */
  acquire(path: string): Promise<void>;
}

export interface RedisCallLimiterOptions {
  /** Key prefix (QUEUE_PREFIX); one key per token and path (keys.jstLimit). */
  prefix: string;
  /** Identifies the JST access token without revealing it: use `limiterTokenKey`, never the raw token. */
  tokenKey: string;
  /** Calls per path and token in any 1-second window, across all processes. Default 5. */
  perSecond?: number;
  /** Calls per path and token in any 60-second window, across all processes. Default 100. */
  perMinute?: number;
  /** Safety margin added to both windows (ms): DEFAULT_CALL_MARGIN_MS of @sync/jushuitan, see there. Default 250. */
  marginMs?: number;
  /** Clock (epoch ms); injected by tests. All processes sharing a token must have synchronised clocks. */
  now?: () => number;
  /** Waits `ms`; injected by tests. */
  sleep?: (ms: number) => Promise<void>;
  /** How long to wait for Redis to answer before rejecting (ms). Default 5000. */
  redisTimeoutMs?: number;
}

/** Same value as DEFAULT_CALL_MARGIN_MS in @sync/jushuitan (which this package does not depend on). */
export const DEFAULT_REDIS_CALL_MARGIN_MS = 250;

/**
 * Reserves one slot in the sorted set KEYS[1] of reserved call times and returns it (epoch ms).
 * ARGV: now, perSecond, perMinute, unique member, expiry margin (ms), window margin (ms).
 * The reserved time is also at least the latest reservation, so the log stays ordered even when callers'
 * clocks differ slightly; with one clock this changes nothing (reservations are then already ascending).
 */
const ACQUIRE = `
local key = KEYS[1]
local now = tonumber(ARGV[1])
local perSecond = tonumber(ARGV[2])
local perMinute = tonumber(ARGV[3])
local margin = tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', key, '-inf', now - 60000 - margin)
local n = redis.call('ZCARD', key)
local at = now
if n > 0 then
  local last = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
  at = math.max(at, tonumber(last[2]))
end
if n >= perSecond then
  local e = redis.call('ZRANGE', key, n - perSecond, n - perSecond, 'WITHSCORES')
  at = math.max(at, tonumber(e[2]) + 1000 + margin)
end
if n >= perMinute then
  local e = redis.call('ZRANGE', key, n - perMinute, n - perMinute, 'WITHSCORES')
  at = math.max(at, tonumber(e[2]) + 60000 + margin)
end
redis.call('ZADD', key, at, ARGV[4])
redis.call('PEXPIRE', key, at - now + tonumber(ARGV[5]) + margin)
return at
`;
const ACQUIRE_SHA = createHash('sha1').update(ACQUIRE).digest('hex');

const realSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * A short, stable, non-secret identifier of the JST credential, for Redis keys: 16 hex digits of
 * sha256(appKey, accessToken). Without an access token (the client obtains one with getInitToken) the app key
 * alone identifies it, so all processes of one app share one budget.
 */
export function limiterTokenKey(appKey: string, accessToken?: string): string {
  return createHash('sha256').update(`${appKey}\n${accessToken ?? ''}`).digest('hex').slice(0, 16);
}

/**
 * JST call pacing shared by every process that uses one access token (JST counts calls per token and per
 * endpoint, reference §3.4): in any (1 s + margin) window at most `perSecond` calls per path, in any (60 s +
 * margin) window at most `perMinute`. Same sliding-log semantics and margin as `createMemoryCallLimiter`, but the log lives in Redis: each
 * acquire runs one Lua script that atomically reserves the earliest allowed time, so concurrent acquirers in
 * different processes never share a slot; acquire then waits until that time.
 *
 * Times come from the caller's clock (`now`), so processes sharing a token need synchronised clocks (one host
 * or NTP); a skewed process paces by its own clock. Throws RangeError on budgets below 1. `acquire` rejects
 * with TransientError `REDIS_UNAVAILABLE` when Redis fails or does not answer within `redisTimeoutMs`: the
 * call is then not sent, pacing is never skipped.
 */
export function createRedisCallLimiter(redis: Redis, opts: RedisCallLimiterOptions): SharedJstCallLimiter {
  const perSecond = opts.perSecond ?? 5;
  const perMinute = opts.perMinute ?? 100;
  const margin = opts.marginMs ?? DEFAULT_REDIS_CALL_MARGIN_MS;
  const now = opts.now ?? Date.now;
  const sleep = opts.sleep ?? realSleep;
  const redisTimeoutMs = opts.redisTimeoutMs ?? 5000;
  if (!(perSecond >= 1) || !(perMinute >= 1)) throw new RangeError('call limiter budgets must be at least 1');
  if (!(margin >= 0)) throw new RangeError('call limiter margin must not be negative');
  const keyOf = (path: string) => keys.jstLimit(opts.prefix, opts.tokenKey, path);
  const args = (t0: number) => [String(t0), String(perSecond), String(perMinute), randomUUID(), '61000', String(Math.round(margin))];

  async function reserve(key: string, t0: number): Promise<number> {
    try {
      return Number(await redis.evalsha(ACQUIRE_SHA, 1, key, ...args(t0)));
    } catch (e) {
      // First use on this server (or after SCRIPT FLUSH): EVAL loads the script.
      if (!(e instanceof Error && e.message.startsWith('NOSCRIPT'))) throw e;
      return Number(await redis.eval(ACQUIRE, 1, key, ...args(t0)));
    }
  }

  return {
    async acquire(path: string): Promise<void> {
      const t0 = Math.floor(now());
      let timer: NodeJS.Timeout | undefined;
      let at: number;
      try {
        at = await Promise.race([
          reserve(keyOf(path), t0),
          new Promise<never>((_, reject) => {
            timer = setTimeout(() => reject(new Error(`no answer within ${redisTimeoutMs} ms`)), redisTimeoutMs);
          }),
        ]);
      } catch (e) {
        const reason = e instanceof Error ? e.message : String(e);
        throw new TransientError(
          'REDIS_UNAVAILABLE',
          `JST call to ${path} not sent: the shared call limiter cannot reach Redis (${reason})`,
          { path },
          { cause: e },
        );
      } finally {
        clearTimeout(timer);
      }
      if (!Number.isFinite(at)) throw new TransientError('REDIS_UNAVAILABLE', `JST call to ${path} not sent: the call limiter got an invalid answer from Redis`, { path });
      const wait = at - t0;
      if (wait > 0) await sleep(wait);
    },
  };
}

/**
 * The limiter every service gives its JST client: the env's budget (JST_CALLS_PER_SECOND / _PER_MINUTE) under the
 * queue prefix, keyed by a hash of the client's app key and token.
 */
export function sharedJstLimiter(
  redis: Redis,
  env: { QUEUE_PREFIX: string; JST_CALLS_PER_SECOND: number; JST_CALLS_PER_MINUTE: number; JST_CALL_MARGIN_MS: number },
  client: { appKey: string; accessToken?: string },
): SharedJstCallLimiter {
  return createRedisCallLimiter(redis, {
    prefix: env.QUEUE_PREFIX,
    tokenKey: limiterTokenKey(client.appKey, client.accessToken),
    perSecond: env.JST_CALLS_PER_SECOND,
    perMinute: env.JST_CALLS_PER_MINUTE,
    marginMs: env.JST_CALL_MARGIN_MS,
  });
}

/**
 * The limiter of the JST Qimen client: the same Redis sliding log (and JST_CALL_MARGIN_MS) under its own key (`qimen-` + a hash of the
 * Qimen app key and customer_id), with the Qimen budget (JST_QIMEN_CALLS_PER_SECOND / _PER_MINUTE, per method).
 */
export function sharedQimenLimiter(
  redis: Redis,
  env: { QUEUE_PREFIX: string; JST_QIMEN_CALLS_PER_SECOND: number; JST_QIMEN_CALLS_PER_MINUTE: number; JST_CALL_MARGIN_MS: number },
  client: { appKey: string; customerId: string },
): SharedJstCallLimiter {
  return createRedisCallLimiter(redis, {
    prefix: env.QUEUE_PREFIX,
    tokenKey: `qimen-${limiterTokenKey(client.appKey, client.customerId)}`,
    perSecond: env.JST_QIMEN_CALLS_PER_SECOND,
    perMinute: env.JST_QIMEN_CALLS_PER_MINUTE,
    marginMs: env.JST_CALL_MARGIN_MS,
  });
}
