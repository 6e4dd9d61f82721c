import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { DocumentFlowSettings } from '@sync/config';
import { flowJobOptions, flowQueueName, POLL_JOB_OPTIONS, POLL_QUEUE, type DocumentJob, type PollJob } from './catalog';

export type DocumentQueue = Queue<DocumentJob>;
export type PollQueue = Queue<PollJob>;

/** Typed handles on the flow queues and the poll queue, sharing one connection. */
export interface Queues {
  /** The document queue of `flow`; throws for a flow that was not passed to createQueues. */
  flow(flow: string): DocumentQueue;
  /** Every flow queue, keyed by flow name. */
  readonly flows: ReadonlyMap<string, DocumentQueue>;
  readonly poll: PollQueue;
  /** Every queue (flow queues and the poll queue), e.g. for Bull Board. */
  all(): Queue[];
  /** Closes the Queue objects (not the connection, which the caller owns). */
  close(): Promise<void>;
}

/**
 * Creates the queues of `flows` (one per flow, `flowQueueName`) and the poll queue. Each flow queue's
 * default job options carry the flow's retry policy (attempts, exponential-jitter backoff from backoffMs)
 * and RETENTION. Accepts a worker or producer connection; does not close it.
 */
export function createQueues(opts: {
  connection: Redis;
  prefix: string;
  flows: Record<string, Pick<DocumentFlowSettings, 'attempts' | 'backoffMs'>>;
}): Queues {
  const flows = new Map<string, DocumentQueue>();
  for (const [name, settings] of Object.entries(opts.flows)) {
    flows.set(
      name,
      new Queue<DocumentJob>(flowQueueName(name), {
        connection: opts.connection,
        prefix: opts.prefix,
        defaultJobOptions: flowJobOptions(settings),
      }),
    );
  }
  const poll = new Queue<PollJob>(POLL_QUEUE, {
    connection: opts.connection,
    prefix: opts.prefix,
    defaultJobOptions: POLL_JOB_OPTIONS,
  });
  return {
    flow(flow: string): DocumentQueue {
      const q = flows.get(flow);
      if (!q) throw new Error(`no queue for flow "${flow}" (known: ${[...flows.keys()].join(', ') || 'none'})`);
      return q;
    },
    flows,
    poll,
    all: () => [...flows.values(), poll],
    async close() {
      await Promise.allSettled([...flows.values(), poll].map((q) => q.close()));
    },
  };
}
