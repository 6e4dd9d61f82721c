import type { Redis } from 'ioredis';
import { keys } from './keyspace';

/**
 * A flow's paused flag, set by an operator through the API: the poller skips scheduled polls of a paused flow
 * (the cursor stays where it is, so nothing is missed on resume) and the API also pauses the flow's queue.
 */
export interface FlowPauseStore {
  isPaused(flow: string): Promise<boolean>;
  /** Idempotent; `by` and `at` are kept for the status page. */
  pause(flow: string, by: string, at: string): Promise<void>;
  /** Idempotent. */
  resume(flow: string): Promise<void>;
  /** Who paused it and when, or undefined when not paused. */
  info(flow: string): Promise<{ by: string; at: string } | undefined>;
}

export function createFlowPauseStore(redis: Redis, prefix: string): FlowPauseStore {
  return {
    async isPaused(flow) {
      return (await redis.exists(keys.paused(prefix, flow))) === 1;
    },
    async pause(flow, by, at) {
      await redis.set(keys.paused(prefix, flow), JSON.stringify({ by, at }));
    },
    async resume(flow) {
      await redis.del(keys.paused(prefix, flow));
    },
    async info(flow) {
      const raw = await redis.get(keys.paused(prefix, flow));
      if (raw === null) return undefined;
      try {
        const v = JSON.parse(raw) as { by?: unknown; at?: unknown };
        return { by: typeof v.by === 'string' ? v.by : 'unknown', at: typeof v.at === 'string' ? v.at : '' };
      } catch {
        return { by: 'unknown', at: '' };
      }
    },
  };
}
