import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { ApiQueues } from '../api-queues';
import type { FlowDescriptor } from '../flow-descriptors';

export interface RedisOpsDeps {
  /** A connection the caller owns (and quits). */
  redis: Redis;
  /** The BullMQ prefix (QUEUE_PREFIX); every key of the keyspace lives under it. */
  prefix: string;
  flows: readonly FlowDescriptor[];
  queues: ApiQueues;
  /** Clock for lag and "today"; default the system clock. */
  now?: () => Date;
}

/** What every resource module of the Redis ops needs: the deps, the clock, and the flow queue by name. */
export interface OpsContext extends Required<RedisOpsDeps> {
  /** The document queue of `flow`; throws for a flow the API opened no queue for. */
  flowQueue(flow: string): Queue;
}

export function opsContext(deps: RedisOpsDeps): OpsContext {
  return {
    ...deps,
    now: deps.now ?? (() => new Date()),
    flowQueue(flow) {
      const q = deps.queues.flows.get(flow);
      if (!q) throw new Error(`no queue opened for flow "${flow}"`);
      return q;
    },
  };
}

/** An epoch-ms time BullMQ recorded as ISO, `null` when unset. */
export const iso = (ms: number | undefined | null): string | null => (typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : null);
