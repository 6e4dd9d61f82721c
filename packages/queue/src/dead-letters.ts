import type { Job, Queue } from 'bullmq';
import type { DocumentJob } from './catalog';
import { parseFailedReason } from './failed-reason';

/** One dead letter: a document job in the failed set of its flow queue, with its reason parsed. */
export interface DeadLetter {
  flow: string;
  jobId: string;
  docId: string;
  version: string;
  /** PermanentCode, RETRIES_EXHAUSTED, or UNKNOWN for failures BullMQ recorded itself. */
  code: string;
  message: string;
  /** ISO time of the final failure. */
  failedAt: string | null;
  attemptsMade: number;
}

function toDeadLetter(flow: string, job: Job<DocumentJob>): DeadLetter {
  const { code, message } = parseFailedReason(job.failedReason);
  const data = (job.data ?? {}) as Partial<DocumentJob>;
  return {
    flow,
    jobId: String(job.id),
    docId: typeof data.docId === 'string' ? data.docId : '',
    version: typeof data.version === 'string' ? data.version : '',
    code,
    message,
    failedAt: job.finishedOn ? new Date(job.finishedOn).toISOString() : null,
    attemptsMade: job.attemptsMade,
  };
}

const PAGE = 200;

/**
 * Dead letters of every flow queue (or only `flow`), newest first, at most `limit`, optionally only those
 * with `code`. The failed sets are the dead letters: moving there is atomic, and Bull Board can retry them.
 */
export async function listDeadLetters(
  queues: { flows: ReadonlyMap<string, Queue<DocumentJob>> },
  opts: { flow?: string; code?: string; limit?: number } = {},
): Promise<DeadLetter[]> {
  const limit = opts.limit ?? 100;
  const out: DeadLetter[] = [];
  for (const [flow, queue] of queues.flows) {
    if (opts.flow !== undefined && flow !== opts.flow) continue;
    const mine: DeadLetter[] = [];
    for (let start = 0; mine.length < limit; start += PAGE) {
      const jobs = (await queue.getFailed(start, start + PAGE - 1)) as Job<DocumentJob>[];
      for (const job of jobs) {
        if (!job) continue;
        const dl = toDeadLetter(flow, job);
        if (opts.code === undefined || dl.code === opts.code) mine.push(dl);
        if (mine.length >= limit) break;
      }
      if (jobs.length < PAGE) break;
    }
    out.push(...mine);
  }
  out.sort((a, b) => (b.failedAt ?? '').localeCompare(a.failedAt ?? ''));
  return out.slice(0, limit);
}

/**
 * Moves one dead letter back to waiting with a fresh attempt budget (after the operator fixed the mapping
 * or the data). Returns `{retried: false, reason}` when the job does not exist or is not failed.
 */
export async function retryDeadLetter(
  queue: Queue<DocumentJob>,
  jobId: string,
): Promise<{ retried: true } | { retried: false; reason: string }> {
  const job = await queue.getJob(jobId);
  if (!job) return { retried: false, reason: `job ${jobId} not found in ${queue.name}` };
  const state = await job.getState();
  if (state !== 'failed') return { retried: false, reason: `job ${jobId} is ${state}, not failed` };
  await job.retry('failed', { resetAttemptsMade: true, resetAttemptsStarted: true });
  return { retried: true };
}
