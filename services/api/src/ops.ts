import type { DeadLetterFilter, DiscardOutcome, RetryOutcome } from '@sync/queue';
import { z } from 'zod';

/**
 * The operations the API exposes, as an injected interface: the API itself has no business logic and no
 * Redis code in its routes. `createRedisOps` (redis-ops/, over @sync/queue's stores) is one implementation; tests pass fakes.
 * The zod schemas below are the API's output contract: every route parses what ops return through them,
 * so a field an implementation adds by mistake (or a secret) never reaches a client.
 */

const isoTime = z.string();

/** Job counts of one flow queue. `waiting` includes prioritized jobs. */
export const jobCountsSchema = z.object({
  waiting: z.number().int().min(0),
  active: z.number().int().min(0),
  delayed: z.number().int().min(0),
  failed: z.number().int().min(0),
  completed: z.number().int().min(0),
});
export type JobCounts = z.infer<typeof jobCountsSchema>;

/** One JST transport of a flow that reads through Qimen: its own cursor and last poll. */
export const transportStatusSchema = z.object({
  /** `openweb` (the open API) or `qimen` (聚水潭·奇门, Taobao/Tmall shops). */
  name: z.enum(['openweb', 'qimen']),
  cursor: z.string().nullable(),
  lastPollAt: isoTime.nullable(),
  lastError: z.string().nullable(),
  lastErrorAt: isoTime.nullable(),
  lastPollCounts: z.record(z.string(), z.number()).nullable(),
});

/** One flow as `GET /flows` shows it. Times are ISO strings; `null` = never happened / not known. */
export const flowStatusSchema = z.object({
  name: z.string(),
  title: z.string(),
  enabled: z.boolean(),
  schedule: z.object({ everyMs: z.number().int() }),
  /**
   * The poller's cursor: a JST `ts` or a Beijing-time window end; `from:<Beijing time>` while a `ts` flow still looks
   * for its first row changed since the cutover; `null` before the first poll.
   */
  cursor: z.string().nullable(),
  /** Last successful poll. */
  lastPollAt: isoTime.nullable(),
  /** Message of the last failed poll, and when it happened (may be older than lastPollAt). */
  lastError: z.string().nullable(),
  lastErrorAt: isoTime.nullable(),
  /** Counts of the last poll as the poller recorded them (seen, ready, enqueued ...). */
  lastPollCounts: z.record(z.string(), z.number()).nullable(),
  counts: jobCountsSchema,
  /** Paused by an operator (queue paused, scheduled polls skipped). */
  paused: z.boolean().default(false),
  /** Seconds since the source was last read successfully up to now (`null` before the first poll). */
  lagSeconds: z.number().nullable().default(null),
  /** Documents written to Kingdee today (Beijing calendar day). */
  writtenToday: z.number().int().min(0).default(0),
  /** The flow's cutover (its own, else the top-level one) as written in the config file; `null` = none set. */
  cutover: z.string().nullable().default(null),
  /** Distinct documents skipped because they are dated before the cutover (never written). */
  beforeCutover: z.number().int().min(0).default(0),
  /** Flows with `transport: qimen | both` only: each transport's cursor and last poll (the flow's fields sum them up). */
  transports: z.array(transportStatusSchema).optional(),
});
export type FlowStatus = z.infer<typeof flowStatusSchema>;

/** What `POST /resync` asks for: a Beijing-time window, or explicit document ids. */
export type ResyncRequest =
  | { flow: string; from: string; to: string; ignoreCutover?: boolean }
  | { flow: string; docIds: string[]; ignoreCutover?: boolean };

export const resyncStateSchema = z.enum([
  'waiting', 'active', 'delayed', 'prioritized', 'waiting-children', 'completed', 'failed', 'unknown',
]);

/** A resync job as `GET /resync/:id` shows it. */
export const resyncStatusSchema = z.object({
  id: z.string(),
  flow: z.string(),
  state: resyncStateSchema,
  /** What the poller reported with job.updateProgress (a number or an object), `null` when nothing yet. */
  progress: z.unknown(),
  /** The poll job's return value once completed (counts of documents read and enqueued). */
  result: z.unknown(),
  failedReason: z.string().nullable(),
  createdAt: isoTime.nullable(),
  finishedAt: isoTime.nullable(),
});
export type ResyncStatus = z.infer<typeof resyncStatusSchema>;

/** A document that failed for good (the failed set of its flow queue). `code` comes from `[CODE] message`. */
export const deadLetterSchema = z.object({
  flow: z.string(),
  jobId: z.string(),
  docId: z.string().nullable(),
  version: z.string().nullable(),
  /** Stable error code (`UNMAPPED_BASE_DATA` ...); `UNKNOWN` when the reason carries none. */
  code: z.string(),
  message: z.string(),
  failedAt: isoTime.nullable(),
  attemptsMade: z.number().int().min(0),
});
export type DeadLetter = z.infer<typeof deadLetterSchema>;

/** Flow, code, time range and limit of a dead-letter listing (@sync/queue's dead-letters module reads them). */
export type { DeadLetterFilter, DiscardOutcome, RetryOutcome } from '@sync/queue';

/** One attempt of a job as BullMQ kept it: the stack trace lines of failed attempts, oldest first. */
export const deadLetterDetailSchema = deadLetterSchema.extend({
  /** The source document exactly as JST returned it (the job payload). */
  sourceDocument: z.unknown(),
  origin: z.string().nullable(),
  enqueuedAt: z.string().nullable(),
  /** The job log: the worker's notes per attempt, including the Kingdee request/response summaries (redacted). */
  log: z.array(z.string()),
  /** Error of each failed attempt (BullMQ's stacktrace list, first line of each). */
  attemptErrors: z.array(z.string()),
  /** The (first) ledger entry of the document, when the worker wrote one before failing. */
  ledger: z.record(z.string(), z.unknown()).nullable(),
  /** Every ledger entry of the document: one per bill it produced (a stocktake's gain and loss bills), or its skip. */
  ledgerEntries: z.array(z.record(z.string(), z.unknown())).default([]),
});
export type DeadLetterDetail = z.infer<typeof deadLetterDetailSchema>;

/** `cancelling`: the resync is running; it stops after the window or id batch it is reading. */
export type CancelOutcome = 'cancelled' | 'cancelling' | 'not-found' | 'finished';

/** What `/metrics` reports besides the Redis counters: per-flow queue depths and poll lag. */
export interface QueueGauges {
  flow: string;
  counts: JobCounts;
  /** Seconds since the last successful poll, `null` before the first. */
  lagSeconds: number | null;
  paused: boolean;
}

/** The job that last handled a document. */
export const documentJobStatusSchema = z.object({
  id: z.string(),
  state: resyncStateSchema,
  attemptsMade: z.number().int().min(0),
  failedReason: z.string().nullable(),
  finishedAt: isoTime.nullable(),
});

/** One ledger entry of a source document: the Redis hash field it lives under, as written, and its job. */
export const lineageEntrySchema = z.object({
  /** The ledger field: the Kingdee FBillNo (a prefix + source id; a stocktake has two), or the source id for skipped documents. */
  key: z.string(),
  /** The entry as the worker wrote it (`billNo`, `kingdeeId`, `number`, `status`, `version`, `jobId`, `writtenAt` ...). */
  entry: z.record(z.string(), z.unknown()),
  /** The job named in the entry (`jobId`), while BullMQ still keeps it. */
  job: documentJobStatusSchema.nullable(),
  /** The job's log: the Kingdee package sent and each attempt's answer or error (no credentials in either). */
  log: z.array(z.string()).default([]),
});

/** Where one source document went: its ledger entries (one per Kingdee document written, or one skip). */
export const documentLineageSchema = z.object({
  flow: z.string(),
  sourceId: z.string(),
  entries: z.array(lineageEntrySchema).min(1),
});
export type DocumentLineage = z.infer<typeof documentLineageSchema>;

/** What one flow's ledger prune did (or, on a dry run, would do): fields read, entries removed. */
export const ledgerPruneCountsSchema = z.object({
  scanned: z.number().int().min(0),
  removed: z.number().int().min(0),
});
export type LedgerPruneCounts = z.infer<typeof ledgerPruneCountsSchema>;

/** Answer of `POST /ledger/prune`: counts per flow, and the cutoff (entries written before it went). */
export const ledgerPruneResultSchema = z.object({
  flows: z.record(z.string(), ledgerPruneCountsSchema),
  before: isoTime,
  dryRun: z.boolean(),
});

/** The operations behind the API. Every method may throw; the API answers 500 without details then. */
export interface ApiOps {
  /** Names of every flow the API knows (enabled or not). Any other name in a path is answered 404. */
  flowNames(): readonly string[];
  /** The JST → Kingdee document flows among `flowNames()`: those whose ledger `pruneLedger` may prune. */
  documentFlowNames(): readonly string[];
  /** Status of every known flow, in `flowNames()` order. */
  listFlows(): Promise<FlowStatus[]>;
  /** Enqueues one poll of `flow` now (a repeated trigger while one is still waiting returns that job). */
  triggerPoll(flow: string): Promise<{ jobId: string }>;
  /**
   * Enqueues a resync poll job; never moves the cursor. Returns the id to ask `getResync` with. `repair` (a
   * reconciliation's repair id) enqueues the documents under fresh job ids, so versions already processed run again.
   */
  startResync(req: ResyncRequest, opts?: { repair?: string }): Promise<{ id: string }>;
  /** `undefined` when no resync job has this id (never created, or removed by retention). */
  getResync(id: string): Promise<ResyncStatus | undefined>;
  /** Dead letters, newest first, filtered by flow and code, at most `limit`. */
  listDeadLetters(filter: DeadLetterFilter): Promise<DeadLetter[]>;
  /** Moves one failed job back to waiting. Idempotent: a second call answers `not-failed`. */
  retryDeadLetter(flow: string, jobId: string): Promise<RetryOutcome>;
  /** `undefined` when the ledger has no entry for this source id. */
  getDocument(flow: string, sourceId: string): Promise<DocumentLineage | undefined>;
  /** Removes a resync that has not started; `running` when a poller already works on it, `finished` when done. */
  cancelResync(id: string): Promise<CancelOutcome>;
  /** Everything known about one dead letter; `undefined` when the job does not exist. */
  getDeadLetter(flow: string, jobId: string): Promise<DeadLetterDetail | undefined>;
  /** Retries every dead letter matching the filter (at most `limit`, default 1000). Returns the job ids retried. */
  retryDeadLetters(filter: DeadLetterFilter): Promise<{ retried: string[] }>;
  /** Removes a dead letter for good (the operator decided it needs no sync). The caller records the note. */
  discardDeadLetter(flow: string, jobId: string): Promise<DiscardOutcome>;
  /**
   * Removes the ledger entries of a document flow written before `before` and the sent markers of their bills
   * (Ledger.prune); `dryRun` only counts. Idempotent.
   */
  pruneLedger(flow: string, opts: { before: Date; dryRun: boolean }): Promise<LedgerPruneCounts>;
  /** Pauses (or resumes) a flow: its queue and its scheduled polls. Idempotent. */
  setPaused(flow: string, paused: boolean, by: string): Promise<void>;
  /** Queue depths and poll lag per known flow, for /metrics. */
  queueGauges(): Promise<QueueGauges[]>;
  /** Never throws: `redis: false` when Redis does not answer in time. */
  health(): Promise<{ redis: boolean }>;
}
