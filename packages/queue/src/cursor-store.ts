import type { Redis } from 'ioredis';
import { keys } from './keyspace';

/**
 * Where each flow's poll resumes: a JST `ts` (decimal string, may exceed 2^53) or a Beijing-time window
 * end `yyyy-MM-dd HH:mm:ss` (or, for a `ts` flow still searching for its first start_ts from the cutover,
 * `from:<Beijing time>`). Only the scheduled poll sets it, and only after everything before it was enqueued.
 */
export interface CursorStore {
  get(flow: string): Promise<string | undefined>;
  set(flow: string, value: string): Promise<void>;
  /** Forgets the cursor: the next poll starts from the configured start. */
  reset(flow: string): Promise<void>;
}

export function createCursorStore(redis: Redis, prefix: string): CursorStore {
  return {
    async get(flow) {
      return (await redis.get(keys.cursor(prefix, flow))) ?? undefined;
    },
    async set(flow, value) {
      await redis.set(keys.cursor(prefix, flow), value);
    },
    async reset(flow) {
      await redis.del(keys.cursor(prefix, flow));
    },
  };
}
