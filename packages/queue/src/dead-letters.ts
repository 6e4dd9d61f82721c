import type { Job, Queue } from 'bullmq';
import { z } from 'zod';
import { parseFailedReason } from './failed-reason';

/**
 * Dead letters are the failed sets of the flow queues: moving there is atomic, and Bull Board can retry them.
 * These functions are the one reader and the one set of actions on them (the API, the CLI through the API, tests).
 */

/** One dead letter: a document job in the failed set of its flow queue, with its reason parsed. */
export interface DeadLetter {
  flow: string;
  jobId: string;
  /** From the job payload; null when the payload has none (a job that was not a document job). */
  docId: string | null;
  version: string | null;
  /** PermanentCode, RETRIES_EXHAUSTED, or UNKNOWN for failures BullMQ recorded itself. */
  code: string;
  message: string;
  /** ISO time of the final failure. */
  failedAt: string | null;
  attemptsMade: number;
}

export interface DeadLetterFilter {
  /** Only this flow (a flow without a queue has none). */
  flow?: string;
  code?: string;
  /** Maximum number returned (newest first); default 100. */
  limit?: number;
  /** Only dead letters that failed at or after / before this ISO time. */
  since?: string;
  until?: string;
}

/** Moves of one dead letter: `not-failed` when it is not (or no longer) in the failed set. */
export type RetryOutcome = 'retried' | 'not-found' | 'not-failed';
export type DiscardOutcome = 'discarded' | 'not-found' | 'not-failed';

/** The flow queues dead letters are read from, keyed by flow name. */
export type FlowQueues = ReadonlyMap<string, Queue>;

const DEFAULT_LIMIT = 100;
/** With a filter, at most this many failed jobs are read per flow looking for matches. */
const SCAN_LIMIT = 5000;
const PAGE = 200;

/** The payload fields a dead letter shows, read leniently (documentJobSchema; any payload may sit in a failed set). */
const optionalText = z.string().optional().catch(undefined);
const payloadSchema = z.object({
  docId: optionalText,
  version: optionalText,
  doc: z.unknown(),
  origin: optionalText,
  enqueuedAt: optionalText,
});

const iso = (ms: number | undefined | null): string | null => (typeof ms === 'number' && ms > 0 ? new Date(ms).toISOString() : null);

/** The dead-letter view of a failed job of `flow`. */
export function toDeadLetter(flow: string, job: Job): DeadLetter {
  const data = payloadSchema.safeParse(job.data);
  const { code, message } = parseFailedReason(job.failedReason);
  return {
    flow,
    jobId: String(job.id),
    docId: data.success ? (data.data.docId ?? null) : null,
    version: data.success ? (data.data.version ?? null) : null,
    code,
    message,
    failedAt: iso(job.finishedOn),
    attemptsMade: job.attemptsMade,
  };
}

function matches(letter: DeadLetter, f: DeadLetterFilter): boolean {
  if (f.code !== undefined && letter.code !== f.code) return false;
  if (f.since !== undefined && (letter.failedAt === null || letter.failedAt < f.since)) return false;
  if (f.until !== undefined && (letter.failedAt === null || letter.failedAt >= f.until)) return false;
  return true;
}

/** Newest-first failed jobs of one queue matching the filter, at most `limit`, reading at most SCAN_LIMIT. */
async function failedOf(flow: string, queue: Queue, f: DeadLetterFilter, limit: number): Promise<DeadLetter[]> {
  const out: DeadLetter[] = [];
  const unfiltered = f.code === undefined && f.since === undefined && f.until === undefined;
  for (let start = 0; start < SCAN_LIMIT && out.length < limit; start += PAGE) {
    const page = unfiltered ? Math.min(PAGE, limit - out.length) : PAGE;
    const jobs = await queue.getFailed(start, start + page - 1);
    for (const job of jobs) {
      if (!job) continue; // a job hash removed between the set read and the hash read
      const letter = toDeadLetter(flow, job);
      if (matches(letter, f)) out.push(letter);
      if (out.length >= limit) break;
    }
    if (jobs.length < page) break;
  }
  return out;
}

/** Dead letters of every flow queue (or only `filter.flow`), newest first, matching the filter, at most `limit`. */
export async function listDeadLetters(queues: { flows: FlowQueues }, filter: DeadLetterFilter = {}): Promise<DeadLetter[]> {
  const limit = filter.limit ?? DEFAULT_LIMIT;
  const flows = [...queues.flows].filter(([flow]) => filter.flow === undefined || flow === filter.flow);
  const perFlow = await Promise.all(flows.map(([flow, queue]) => failedOf(flow, queue, filter, limit)));
  return perFlow
    .flat()
    .sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''))
    .slice(0, limit);
}

/**
 * Moves one dead letter back to waiting with a fresh attempt budget (the operator fixed the mapping or the data:
 * the retry policy applies again in full). Idempotent: a second call answers `not-failed`.
 */
export async function retryDeadLetter(queue: Queue, jobId: string): Promise<RetryOutcome> {
  const job = await queue.getJob(jobId);
  if (!job) return 'not-found';
  if ((await job.getState()) !== 'failed') return 'not-failed';
  try {
    await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
    return 'retried';
  } catch (err) {
    // Someone else (Bull Board, a second click) moved it first.
    if ((await job.getState()) !== 'failed') return 'not-failed';
    throw err;
  }
}

/** Removes one dead letter for good (nothing needs syncing). */
export async function discardDeadLetter(queue: Queue, jobId: string): Promise<DiscardOutcome> {
  const job = await queue.getJob(jobId);
  if (!job) return 'not-found';
  if ((await job.getState()) !== 'failed') return 'not-failed';
  await job.remove();
  return 'discarded';
}

/** Everything the failed job itself tells about a dead letter. */
export interface DeadLetterJob extends DeadLetter {
  /** The source document exactly as read (the job payload's `doc`), null when absent. */
  sourceDocument: unknown;
  origin: string | null;
  enqueuedAt: string | null;
  /** The job log (the worker's notes per attempt), oldest first, at most 1000 lines. */
  log: string[];
  /** First line of each failed attempt's error (BullMQ's stacktrace list). */
  attemptErrors: string[];
}

/** The job `jobId` of `flow`'s queue as a dead letter with its payload and log; undefined when it does not exist. */
export async function readDeadLetter(queue: Queue, flow: string, jobId: string): Promise<DeadLetterJob | undefined> {
  const job = await queue.getJob(jobId);
  if (!job) return undefined;
  const data = payloadSchema.safeParse(job.data);
  const { logs } = await queue.getJobLogs(jobId, 0, 999);
  return {
    ...toDeadLetter(flow, job),
    sourceDocument: data.success ? data.data.doc : null,
    origin: (data.success ? data.data.origin : undefined) ?? null,
    enqueuedAt: (data.success ? data.data.enqueuedAt : undefined) ?? null,
    log: logs,
    attemptErrors: (job.stacktrace ?? []).map((s) => String(s).split('\n')[0]),
  };
}
