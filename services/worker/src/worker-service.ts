import type { Redis } from 'ioredis';
import { DEFAULT_WRITE_BATCH_SIZE, DEFAULT_WRITE_BATCH_WAIT_MS, type Env } from '@sync/config';
import type { KingdeeApi } from '@sync/kingdee';
import { settingsFor, type AnyDocumentFlow, type AnyKingdeeSourceFlow, type TargetDocument, type SyncConfig } from '@sync/flows';
import type { Logger } from '@sync/logger';
import { beijingDay, checkRedis, createLedger, createMetricsStore, createRedis, flowQueueName, parseFailedReason, runFlowWorker, type FlowWorker } from '@sync/queue';
import { processDocumentJob, type DocumentJobResult } from './process-document';
import { resolveWorkerFlows } from './resolve-worker-flows';
import type { JstApi } from '@sync/jushuitan';
import { runKingdeeSourceWorker } from './kingdee-source-worker';
import { createWriteCollector, type WriteCollector } from './write-collector';
import { createCounterFlusher } from './counter-flusher';

/** Documents per BatchSave when a flow sets no writeBatchSize: Kingdee's guidance is at most 20 packages per call. */
export { DEFAULT_WRITE_BATCH_SIZE };

export interface WorkerServiceDeps {
  kingdee: KingdeeApi;
  flows: Record<string, AnyDocumentFlow>;
  /** Kingdee → JST flows (kingdeeSourceFlows): selected by WORKER_FLOWS like the others, they upload to JST with `jst`. */
  kingdeeFlows?: Record<string, AnyKingdeeSourceFlow>;
  /** Required when a Kingdee-source flow is among the flows this worker runs. */
  jst?: JstApi;
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
  const metrics = createMetricsStore(redis, prefix);
  const workers: FlowWorker<unknown, DocumentJobResult>[] = [];
  const kdWorkers: Pick<FlowWorker, 'close'>[] = [];
  const names: string[] = [];
  let stopped: Promise<void> | undefined;
  // "Documents written" counters, sent once a second (and at stop) rather than one Redis transaction per document.
  const written = createCounterFlusher((flow, day, n) => metrics.documentWritten(flow, day, n), 1000);

  return {
    get flows() {
      return names;
    },
    async start() {
      if (names.length) return; // already started
      const selected = resolveWorkerFlows(env.WORKER_FLOWS, config, { ...deps.flows, ...(deps.kingdeeFlows ?? {}) });
      if (selected.length === 0) logger.warn({ spec: env.WORKER_FLOWS }, 'no enabled flow to work on');
      await checkRedis(redis, logger);
      for (const flow of selected) {
        const kdFlow = deps.kingdeeFlows?.[flow];
        if (kdFlow) {
          names.push(flow);
          kdWorkers.push(runKingdeeSourceWorker({ flow: kdFlow, config, jst: deps.jst, connection: redis, prefix, ledger, logger, now }));
          continue;
        }
        names.push(flow);
        // writeBatchSize > 1: documents of concurrent jobs share batched Kingdee writes (write-collector.ts), so the
        // worker runs two batches per Kingdee user at once: one in Kingdee, the next one filling (no idle session between calls).
        const batchSize = settingsFor(config, flow)?.writeBatchSize ?? DEFAULT_WRITE_BATCH_SIZE;
        let collector: WriteCollector | undefined;
        let concurrency = env.WORKER_CONCURRENCY;
        if (batchSize > 1) {
          const users = Math.max(1, (env.KINGDEE_USERNAME ?? '').split(',').filter((u) => u.trim()).length);
          concurrency = Math.max(concurrency, 2 * batchSize * users);
          collector = createWriteCollector(
            { kingdee: deps.kingdee, redis, prefix, ledger, logger: logger.child({ flow, batched: true }), now },
            { maxBatch: batchSize, waitMs: settingsFor(config, flow)?.writeBatchWaitMs ?? DEFAULT_WRITE_BATCH_WAIT_MS },
          );
        }
        workers.push(
          runFlowWorker<unknown, DocumentJobResult>({
            connection: redis,
            prefix,
            queueName: flowQueueName(flow),
            concurrency,
            logger,
            process: async (job, ctx) => {
              // The job log keeps one line per attempt (the Kingdee outcome or error) for GET /dead-letters/:flow/:jobId.
              // Results carry bill numbers, ids and statuses; error messages are the classified, secret-free ones.
              const attempt = job.attemptsMade + 1;
              // The packages of this attempt: logged only when it fails (what an operator inspecting a dead letter
              // needs), so successful jobs keep no copy of their payload in Redis.
              const payloads: TargetDocument[] = [];
              try {
                const result = await processDocumentJob(
                  { flows: deps.flows, config, kingdee: deps.kingdee, redis, prefix, ledger, logger: ctx.logger, now, writeTarget: collector?.write,
                    onPayload: async (t) => void payloads.push(t) },
                  job.data,
                  String(job.id),
                );
                await job.log(`${now().toISOString()} attempt ${attempt}: ${JSON.stringify(result).slice(0, 4000)}`).catch(() => undefined);
                return result;
              } catch (err) {
                const msg = err instanceof Error ? `${err.name}: ${err.message}` : String(err);
                for (const t of payloads) {
                  // Business data only: no credentials in a Save package.
                  await job.log(`${now().toISOString()} payload ${t.formId} ${t.billNo}: ${JSON.stringify(t.model).slice(0, 8000)}`).catch(() => undefined);
                }
                await job.log(`${now().toISOString()} attempt ${attempt} failed: ${msg.slice(0, 4000)}`).catch(() => undefined);
                throw err;
              }
            },
          }),
        );
        // Counters for /metrics and "written today" (best effort: a lost increment never fails a job).
        const { worker: bullWorker } = workers[workers.length - 1];
        bullWorker.on('completed', (_job, result) => {
          if (result && 'billNo' in result) written.add(flow, beijingDay(now()));
        });
        bullWorker.on('failed', (job, err) => {
          if (!job || (err.name !== 'UnrecoverableError' && job.attemptsMade < (job.opts.attempts ?? 1))) return;
          void metrics.documentFailed(flow, parseFailedReason(job.failedReason).code).catch(() => undefined);
        });
      }
      logger.info({ flows: selected, concurrency: env.WORKER_CONCURRENCY }, 'worker started');
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all([...workers, ...kdWorkers].map((w) => w.close(env.SHUTDOWN_TIMEOUT_MS)));
        await written.stop();
        if (ownsConnection) await redis.quit().catch(() => redis.disconnect());
        logger.info('worker stopped');
      })();
      return stopped;
    },
  };
}
