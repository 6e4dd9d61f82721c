import type { Redis } from 'ioredis';
import { keys } from './keyspace';

/** How long a cancel request is kept: longer than any resync runs. */
const CANCEL_TTL_S = 7 * 24 * 3600;

/**
 * An operator's request to stop a running resync (DELETE /resync/:id). The API sets it; the poller checks it
 * between windows / id batches and stops there.
 */
export interface ResyncCancelStore {
  /** Idempotent; `at` is kept for inspection. */
  request(jobId: string, at: string): Promise<void>;
  isRequested(jobId: string): Promise<boolean>;
}

export function createResyncCancelStore(redis: Redis, prefix: string): ResyncCancelStore {
  return {
    async request(jobId, at) {
      await redis.set(keys.resyncCancel(prefix, jobId), at, 'EX', CANCEL_TTL_S);
    },
    async isRequested(jobId) {
      return (await redis.exists(keys.resyncCancel(prefix, jobId))) === 1;
    },
  };
}
