import { POLL_JOB_OPTIONS, POLL_QUEUE, RECONCILE_QUEUE, flowQueueName } from '@sync/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';

/** The BullMQ queues the API reads and acts on: one per flow plus the poll queue. */
export interface ApiQueues {
  poll: Queue;
  /** Reconciliation runs (run by the poller). */
  reconcile: Queue;
  /** Flow name → its document queue. */
  flows: ReadonlyMap<string, Queue>;
  /** Every queue (flows first, then poll and reconcile), for Bull Board. */
  all: readonly Queue[];
  /** Closes the Queue objects; the shared connection stays open (its owner quits it). */
  close(): Promise<void>;
}

/**
 * Opens Queue objects (no workers) for `flows` and the poll queue under `prefix`, all on one shared ioredis
 * `connection` (BullMQ does not quit a connection it was given: the caller quits it after `close()`).
 */
export function createApiQueues(opts: { connection: Redis; prefix: string; flows: readonly string[] }): ApiQueues {
  const common = { connection: opts.connection, prefix: opts.prefix };
  const flows = new Map(opts.flows.map((f) => [f, new Queue(flowQueueName(f), common)] as const));
  // The poller's retry policy for what the API adds (resyncs retry a few times), as the poller's own queue has.
  const poll = new Queue(POLL_QUEUE, { ...common, defaultJobOptions: POLL_JOB_OPTIONS });
  const reconcile = new Queue(RECONCILE_QUEUE, common);
  const all = [...flows.values(), poll, reconcile];
  return {
    poll,
    reconcile,
    flows,
    all,
    close: async () => {
      await Promise.all(all.map((q) => q.close()));
    },
  };
}
