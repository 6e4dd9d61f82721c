import type { Redis } from 'ioredis';
import { PermanentError } from '@sync/errors';
import { kingdeeSourceSettingsFor, type AnyKingdeeSourceFlow, type JstUploadItem, type SyncConfig } from '@sync/flows';
import type { JstApi } from '@sync/jushuitan';
import type { Logger } from '@sync/logger';
import { flowQueueName, runFlowWorker, type FlowWorker, type Ledger } from '@sync/queue';
import { uploadItems, type ItemUploadOutcome } from './jst-upload';
import { processKingdeeSourceJob, type KingdeeSourceJobResult } from './process-kingdee-source';
import { createUploadBatcher } from './upload-batcher';

export interface KingdeeSourceWorkerOptions {
  flow: AnyKingdeeSourceFlow;
  config: SyncConfig;
  /** Required: a Kingdee-source flow writes to JST. */
  jst: JstApi | undefined;
  connection: Redis;
  prefix: string;
  ledger: Ledger;
  logger: Logger;
  now: () => Date;
}

/**
 * Runs the queue of one Kingdee → JST flow: concurrency = settings.batchSize, so a whole batch of jobs can wait
 * on the shared batcher, which uploads at most batchSize items per call (or what is pending after batchWaitMs).
 * Closing flushes what is pending before BullMQ waits for the active jobs.
 * Throws PermanentError CONFIG_INVALID when the flow has no settings or no JST client was given.
 */
export function runKingdeeSourceWorker(opts: KingdeeSourceWorkerOptions): FlowWorker<unknown, KingdeeSourceJobResult> {
  const { flow } = opts;
  const settings = kingdeeSourceSettingsFor(opts.config, flow.name);
  if (!settings) throw new PermanentError('CONFIG_INVALID', `flow "${flow.name}" has no flows.${flow.name} section in the config file`, { flow: flow.name });
  const jst = opts.jst;
  if (!jst) throw new PermanentError('CONFIG_INVALID', `flow "${flow.name}" uploads to JST: the worker needs a JST client (set JST_* variables)`, { flow: flow.name });
  const log = opts.logger.child({ flow: flow.name });
  const batcher = createUploadBatcher<JstUploadItem, ItemUploadOutcome>({
    maxItems: settings.batchSize,
    waitMs: settings.batchWaitMs,
    keyOf: (item) => item.sku_id,
    send: async (items) => {
      const outcomes = await uploadItems(jst, flow.target.path, items, flow.target.biz);
      log.info({ items: items.length, failed: outcomes.filter((o) => !o.ok).length }, 'JST upload call done');
      return outcomes;
    },
  });
  const deps = { flow, settings, config: opts.config, ledger: opts.ledger, batcher, now: opts.now };
  const running = runFlowWorker<unknown, KingdeeSourceJobResult>({
    connection: opts.connection,
    prefix: opts.prefix,
    queueName: flowQueueName(flow.name),
    concurrency: settings.batchSize,
    logger: opts.logger,
    process: (job) => processKingdeeSourceJob(deps, job.data, String(job.id)),
  });
  return {
    worker: running.worker,
    async close(timeoutMs) {
      await batcher.flush();
      await running.close(timeoutMs);
    },
  };
}
