import type { Redis } from 'ioredis';
import type { Env, SyncConfig } from '@sync/config';
import type { KingdeeApi } from '@sync/kingdee';
import type { Logger } from '@sync/logger';
import { checkRedis, createLedger, createRedis, flowQueueName, runFlowWorker, type FlowWorker } from '@sync/queue';
import { processDocumentJob, type AnyDocumentFlow, type DocumentJobResult } from './process-document';
import { resolveWorkerFlows } from './resolve-worker-flows';

export interface WorkerServiceDeps {
  kingdee: KingdeeApi;
  flows: Record<string, AnyDocumentFlow>;
  /** A worker-role connection (maxRetriesPerRequest null) owned by the caller; without one the service opens env.REDIS_URL and closes it on stop. */
  connection?: Redis;
  logger: Logger;
  now?: () => Date;
}

export interface WorkerService {
  /** Starts one BullMQ worker per flow of WORKER_FLOWS (a second call does nothing). Throws PermanentError CONFIG_INVALID for bad WORKER_FLOWS. */
  start(): Promise<void>;
  /** Stops fetching, waits for active jobs at most SHUTDOWN_TIMEOUT_MS, closes what the service opened. Idempotent. */
  stop(): Promise<void>;
  /** The flows being worked on (after start). */
  readonly flows: readonly string[];
}

/**
 * The document worker: validates, transforms and writes each job of the flow queues it runs
 * (WORKER_FLOWS, concurrency WORKER_CONCURRENCY per flow). See processDocumentJob for one job.
 */
export function createWorkerService(env: Env, config: SyncConfig, deps: WorkerServiceDeps): WorkerService {
  const logger = deps.logger.child({ service: 'worker' });
  const now = deps.now ?? (() => new Date());
  const ownsConnection = !deps.connection;
  const redis = deps.connection ?? createRedis(env.REDIS_URL, { role: 'worker', name: `${env.QUEUE_PREFIX}-worker` });
  const prefix = env.QUEUE_PREFIX;
  const ledger = createLedger(redis, prefix);
  const workers: FlowWorker<unknown, DocumentJobResult>[] = [];
  const names: string[] = [];
  let stopped: Promise<void> | undefined;

  return {
    get flows() {
      return names;
    },
    async start() {
      if (names.length) return; // already started
      const selected = resolveWorkerFlows(env.WORKER_FLOWS, config, deps.flows);
      if (selected.length === 0) logger.warn({ spec: env.WORKER_FLOWS }, 'no enabled flow to work on');
      await checkRedis(redis, logger);
      for (const flow of selected) {
        names.push(flow);
        workers.push(
          runFlowWorker<unknown, DocumentJobResult>({
            connection: redis,
            prefix,
            queueName: flowQueueName(flow),
            concurrency: env.WORKER_CONCURRENCY,
            logger,
            process: (job, ctx) =>
              processDocumentJob(
                { flows: deps.flows, config, kingdee: deps.kingdee, redis, prefix, ledger, logger: ctx.logger, now },
                job.data,
                String(job.id),
              ),
          }),
        );
      }
      logger.info({ flows: selected, concurrency: env.WORKER_CONCURRENCY }, 'worker started');
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all(workers.map((w) => w.close(env.SHUTDOWN_TIMEOUT_MS)));
        if (ownsConnection) await redis.quit().catch(() => redis.disconnect());
        logger.info('worker stopped');
      })();
      return stopped;
    },
  };
}
