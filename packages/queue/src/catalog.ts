import { z } from 'zod';
import type { DefaultJobOptions } from 'bullmq';
import type { DocumentFlowSettings } from '@sync/config';

/**
 * The queue catalog (STYLE principle 2): every queue name, payload schema and retry policy in one place.
 * Queue names contain no ':' (BullMQ uses it as the key separator).
 */

/** Name of the queue that carries one flow's documents. */
export function flowQueueName(flow: string): string {
  return `flow-${flow}`;
}

/** The queue whose job schedulers trigger one poll per flow. */
export const POLL_QUEUE = 'poll';

/** Payload of a document job: the JST document as read, plus where it came from. Validated at dequeue. */
export const documentJobSchema = z.object({
  flow: z.string().min(1),
  docId: z.string().min(1),
  version: z.string().min(1),
  /** The source document exactly as JST returned it; the flow's schema validates it in the worker. */
  doc: z.unknown(),
  /** ISO time the poller (or a resync) enqueued it. */
  enqueuedAt: z.string(),
  /** `poll` or `resync` (with the resync id). */
  origin: z.string().default('poll'),
});
export type DocumentJob = z.infer<typeof documentJobSchema>;

/**
 * Set by a reconciliation's repair (a repair id): the documents are enqueued under fresh job ids (`<jobId>-<repair>`),
 * so a version already processed is written again (the writer still looks the bill up first).
 */
const repairId = z.string().regex(/^[A-Za-z0-9_.-]{1,80}$/).optional();

/**
 * Payload of a poll job: one per flow from the job scheduler (advances the cursor), or a resync from the API
 * (reads the given window or document ids and enqueues what is ready, without touching the cursor; documents dated
 * before the flow's cutover are skipped unless `ignoreCutover`).
 */
export const pollJobSchema = z.object({
  flow: z.string().min(1),
  resync: z
    .union([
      /** Beijing-time strings `yyyy-MM-dd HH:mm:ss`; any length, split into windows the source accepts. */
      z.object({ from: z.string(), to: z.string(), ignoreCutover: z.boolean().optional(), repair: repairId }),
      z.object({ docIds: z.array(z.string().min(1)).min(1).max(1000), ignoreCutover: z.boolean().optional(), repair: repairId }),
    ])
    .optional(),
});
export type PollJob = z.infer<typeof pollJobSchema>;

/**
 * Deterministic job id: a new version of a document is a new job, a re-read of the same version is ignored.
 * BullMQ forbids ':' and all-digit ids, hence the flow prefix and the sanitising.
 */
export function documentJobId(flow: string, docId: string, version: string): string {
  const clean = (s: string) => s.replace(/[^A-Za-z0-9_.-]/g, '_');
  return `${clean(flow)}-${clean(docId)}-${clean(version)}`;
}

/** Retention that keeps Redis bounded: completed jobs by age and count; failed jobs (dead letters) kept long. */
export const RETENTION = {
  removeOnComplete: { age: 24 * 3600, count: 10000 },
  removeOnFail: { age: 30 * 24 * 3600, count: 100000 },
} as const;

/**
 * Name of the custom backoff strategy every worker registers (exponential with jitter and a cap,
 * see backoff.ts). Jobs that name it must be processed by `runFlowWorker`.
 */
export const BACKOFF_TYPE = 'exponential-jitter';

/** Longest wait between two attempts of a job (ms), whatever the attempt number. */
export const MAX_BACKOFF_MS = 10 * 60 * 1000;

/** Default options of a flow queue's document jobs: the flow's retry policy plus RETENTION. */
export function flowJobOptions(settings: Pick<DocumentFlowSettings, 'attempts' | 'backoffMs'>): DefaultJobOptions {
  return {
    attempts: settings.attempts,
    backoff: { type: BACKOFF_TYPE, delay: settings.backoffMs },
    removeOnComplete: { ...RETENTION.removeOnComplete },
    removeOnFail: { ...RETENTION.removeOnFail },
  };
}

/**
 * Default options of poll jobs. Resyncs retry a few times; scheduled polls override `attempts: 1`
 * because the next tick of the scheduler is their retry.
 */
export const POLL_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 5,
  backoff: { type: BACKOFF_TYPE, delay: 5000 },
  removeOnComplete: { age: 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};

/** The queue of reconciliation runs (对账), processed by the poller (it reads JST with the shared budget). */
export const RECONCILE_QUEUE = 'reconcile';

/** Id of the job scheduler of the daily reconciliation. */
export const RECONCILE_SCHEDULER_ID = 'reconcile-daily';

/** A reconciliation job: run the stored record `id`, or (from the scheduler) create one for the configured day. */
export const reconcileJobSchema = z.union([z.object({ id: z.string().min(1) }).strict(), z.object({ scheduled: z.literal(true) }).strict()]);
export type ReconcileJob = z.infer<typeof reconcileJobSchema>;

/** Reconciliation jobs: one attempt (a failed run is recorded and can be started again); kept a week. */
export const RECONCILE_JOB_OPTIONS: DefaultJobOptions = {
  attempts: 1,
  removeOnComplete: { age: 7 * 24 * 3600, count: 1000 },
  removeOnFail: { age: 7 * 24 * 3600, count: 1000 },
};

/** Id of the job scheduler that polls one flow (one per enabled flow, upserted by the poller). */
export function pollSchedulerId(flow: string): string {
  return `poll-${flow}`;
}
