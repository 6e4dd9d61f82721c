import { documentJobId, flowQueueName } from '@sync/queue';
import { testRedisUrl } from '@sync/testing';
import { Worker, type Job, type Queue } from 'bullmq';
import { Redis } from 'ioredis';
import type { FastifyInstance } from 'fastify';
import { flowRegistry } from '@sync/flows';
import { silentLogger } from '@sync/logger';
import type { ApiQueues } from './api-queues';
import { buildApi, type ApiDeps } from './app';
import { createAuditLog } from './audit-log';
import type { FlowDescriptor } from './flow-descriptors';
import { createRedisLoginStore } from './login-guard';
import { createReconciliationOps, type ReconciliationOpsDeps } from './reconciliation-ops';
import { createRedisOps } from './redis-ops';

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
  await failJobs({ flow: opts.flow, prefix: opts.prefix, count: opts.docIds.length, reason: (job) => opts.reason(String(job.data.docId)) });
  return jobIds;
}

/**
 * Test support: runs a worker on `flow`'s queue that fails every job it takes with `reason(job)` (after
 * `before(job)`, e.g. a job log line) until `count` jobs failed, then closes it, so jobs retried after that stay
 * waiting.
 */
export async function failJobs(opts: {
  flow: string;
  prefix: string;
  count: number;
  reason: (job: Job) => Error;
  before?: (job: Job) => Promise<unknown>;
}): Promise<void> {
  const conn = new Redis(testRedisUrl(), { maxRetriesPerRequest: null });
  let failed = 0;
  let done!: () => void;
  const allFailed = new Promise<void>((r) => { done = r; });
  const worker = new Worker(
    flowQueueName(opts.flow),
    async (job) => {
      await opts.before?.(job);
      throw opts.reason(job);
    },
    { connection: conn, prefix: opts.prefix },
  );
  worker.on('failed', () => { failed += 1; if (failed === opts.count) done(); });
  try {
    await allFailed;
  } finally {
    await worker.close();
    await conn.quit();
  }
}

/**
 * Test support: the API over real Redis wired as main.ts wires it (Redis ops, reconciliations over the flow
 * registry, Redis audit log and login store, silent logger), ready, with every queue connected: BullMQ writes each
 * queue's meta key once connected, so a test comparing keys must not start before. `deps` is what the test sets
 * itself: env, and where wanted the preflight runner, the clock, the rate-limit Redis, the preview.
 */
export async function buildRedisApi(
  w: { redis: Redis; prefix: string; queues: ApiQueues; flows: FlowDescriptor[]; config: ReconciliationOpsDeps['config'] },
  deps: Pick<ApiDeps, 'env' | 'preflight' | 'now' | 'rateLimitRedis' | 'preview'>,
): Promise<FastifyInstance> {
  const { redis, prefix, queues } = w;
  const ops = createRedisOps({ redis, prefix, flows: w.flows, queues });
  const app = await buildApi({
    ...deps,
    ops,
    reconciliations: createReconciliationOps({ redis, prefix, config: w.config, flows: flowRegistry, queue: queues.reconcile, ops }),
    queues: queues.all,
    logger: silentLogger(),
    audit: createAuditLog(redis, prefix),
    loginStore: createRedisLoginStore(redis, prefix),
  });
  await app.ready();
  await Promise.all(queues.all.map((q) => q.waitUntilReady()));
  await redis.ping();
  return app;
}
