import type { ApiOps } from '../ops';
import { opsContext, type RedisOpsDeps } from './context';
import { deadLetterOps } from './dead-letters';
import { documentOps } from './documents';
import { flowOps } from './flows';
import { healthOps } from './health';
import { resyncOps } from './resync';

export type { RedisOpsDeps } from './context';

/**
 * ApiOps over Redis, one module per resource: flows (status, pause, gauges), resyncs and manual polls (poll queue
 * jobs), dead letters (the flow queues' failed sets), documents (ledger lineage, prune), health. Each reads and
 * writes through @sync/queue's stores and its keyspace; none builds a key of its own. Creates no connection.
 */
export function createRedisOps(deps: RedisOpsDeps): ApiOps {
  const ctx = opsContext(deps);
  const documents = documentOps(ctx);
  return {
    ...flowOps(ctx),
    ...resyncOps(ctx),
    ...deadLetterOps(ctx, documents),
    getDocument: documents.getDocument,
    pruneLedger: documents.pruneLedger,
    ...healthOps(ctx.redis),
  };
}
