import { createUploadBatcher } from './upload-batcher';
import { writeTargetBatch } from './write-executor';
import type { BatchOutcome, KingdeeWriterDeps, WriteRequest, WriteResult } from './write-types';

/** Collects the target documents of concurrently running jobs into batched Kingdee writes. */
export interface WriteCollector {
  /** Writes one document through the next batch; resolves with its own result or rejects with its own error. */
  write(req: WriteRequest): Promise<WriteResult>;
  /** Sends what is pending and waits for the batches in flight. */
  flush(): Promise<void>;
}

export interface WriteCollectorOptions {
  /** Documents per batch (≥ 1). */
  maxBatch: number;
  /** Wait after the first pending document before a partial batch is sent (ms). */
  waitMs: number;
}

/**
 * An in-process collector (one per flow and worker): `write` calls of concurrent jobs are sent together through
 * writeTargetBatch when `maxBatch` are pending or `waitMs` after the first. Two requests for one bill never share
 * a batch. Each caller gets its own outcome, so one rejected package fails only its own job.
 */
export function createWriteCollector(deps: KingdeeWriterDeps, opts: WriteCollectorOptions): WriteCollector {
  const batcher = createUploadBatcher<WriteRequest, BatchOutcome>({
    maxItems: opts.maxBatch,
    waitMs: opts.waitMs,
    keyOf: (req) => `${req.target.formId}|${req.target.billNo}`,
    send: (reqs) => writeTargetBatch(deps, reqs),
  });
  return {
    async write(req) {
      const [outcome] = await batcher.submit([req]);
      if (!outcome.ok) throw outcome.error;
      return outcome.result;
    },
    flush: () => batcher.flush(),
  };
}
