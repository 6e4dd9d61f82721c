import { documentJobId, flowQueueName } from '@sync/queue';
import { testRedisUrl } from '@sync/testing';
import { Worker, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { ApiQueues } from './api-queues';

/**
 * Test support (API tests on real Redis): closes the app, deletes every key under the test's prefix, closes the
 * queues and the connection. Each argument may be unset when the set-up failed half-way.
 */
export async function closeRedisWorld(w: { app?: { close(): Promise<unknown> }; redis?: Redis; queues?: ApiQueues; prefix: string }): Promise<void> {
  await w.app?.close();
  if (w.redis) {
    const left = await w.redis.keys(`${w.prefix}:*`);
    if (left.length) await w.redis.del(...left);
  }
  await w.queues?.close();
  await w.redis?.quit();
}

/**
 * Test support: adds one document job per id to `flow`'s queue and runs a worker that fails each with
 * `reason(docId)` (an UnrecoverableError goes straight to the failed set, the dead letters). Returns the job ids.
 */
export async function failDocumentJobs(opts: {
  queue: Queue;
  prefix: string;
  flow: string;
  docIds: readonly string[];
  reason: (docId: string) => Error;
}): Promise<string[]> {
  const jobIds: string[] = [];
  for (const docId of opts.docIds) {
    const jobId = documentJobId(opts.flow, docId, '1');
    await opts.queue.add('doc', { flow: opts.flow, docId, version: '1', doc: { io_id: Number(docId) }, enqueuedAt: '2026-12-04T10:00:00.000Z', origin: 'poll' }, { jobId });
    jobIds.push(jobId);
  }
  const conn = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  let failed = 0;
  let done!: () => void;
  const allFailed = new Promise<void>((r) => { done = r; });
  const worker = new Worker(flowQueueName(opts.flow), async (job) => { throw opts.reason(String(job.data.docId)); }, { connection: conn, prefix: opts.prefix });
  worker.on('failed', () => { failed += 1; if (failed === opts.docIds.length) done(); });
  try {
    await allFailed;
  } finally {
    await worker.close();
    await conn.quit();
  }
  return jobIds;
}
