import fastifyRateLimit from '@fastify/rate-limit';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Redis } from 'ioredis';
import { keys } from '@sync/queue';

/** Length of the rate-limit window (ms); API_RATE_LIMIT_PER_MIN requests are allowed in each. */
export const RATE_LIMIT_WINDOW_MS = 60_000;

/** Where the counters of `prefix` live in Redis (one key per counted client, expiring with its window; keyspace.ts). */
export const rateLimitKeyPrefix = (prefix: string): string => keys.rateLimit(prefix, '');

/** Counts one request against `key`; says how long to wait when `key` is over its limit. */
export type RateLimitCheck = (req: FastifyRequest, key: string) => Promise<{ allowed: true } | { allowed: false; retryAfterSeconds: number }>;

export interface RateLimitOptions {
  /** Requests per window per key. */
  limit: number;
  windowMs: number;
  /** Shared counters (every replica limits together); without it each process counts in memory. */
  redis?: { client: Redis; prefix: string };
}

/**
 * A fixed-window request limiter (@fastify/rate-limit, its Redis store when `redis` is given) on `scope`, for the
 * request guard to call with its own key: a credential's principal, or the client address before authentication.
 * Nothing is limited automatically (`global: false`): the guard decides where in its order the limit applies.
 * When Redis cannot be reached the request is let through (every route needs Redis anyway).
 */
export async function registerRateLimit(scope: FastifyInstance, opts: RateLimitOptions): Promise<RateLimitCheck> {
  const keys = new WeakMap<FastifyRequest, string>();
  await scope.register(fastifyRateLimit, {
    global: false,
    keyGenerator: (req) => keys.get(req) ?? req.ip,
    max: opts.limit,
    timeWindow: opts.windowMs,
    skipOnError: true,
    ...(opts.redis ? { redis: opts.redis.client, nameSpace: rateLimitKeyPrefix(opts.redis.prefix) } : {}),
  });
  // No options here: with options the store would be a per-route child, its keys named after an empty route.
  const limit = scope.createRateLimit();
  return async (req, key) => {
    keys.set(req, key);
    const verdict = await limit(req);
    if (verdict.isAllowed || !verdict.isExceeded) return { allowed: true };
    return { allowed: false, retryAfterSeconds: verdict.ttlInSeconds };
  };
}
