import { Worker, UnrecoverableError, type Job } from 'bullmq';
import type { Redis } from 'ioredis';
import type { Logger } from '@sync/logger';
import { BACKOFF_TYPE } from './catalog';
import { backoffDelay } from './backoff';
import { translateError } from './error-translation';

/** What a processor gets besides the job: a logger that already carries flow, docId, jobId and attempt. */
export interface ProcessContext {
  logger: Logger;
}

export interface RunFlowWorkerOptions<D, R> {
  /** An ioredis connection with `maxRetriesPerRequest: null`; the caller owns and closes it. */
  connection: Redis;
  prefix: string;
  queueName: string;
  concurrency: number;
  /** Throws TransientError / RateLimitedError / PermanentError; anything else counts as transient. */
  process: (job: Job<D, R>, ctx: ProcessContext) => Promise<R>;
  logger: Logger;
  /** Optional start-rate limit for the whole queue; otherwise a no-op limiter (needed by `rateLimit`). */
  limiter?: { max: number; duration: number };
  /** BullMQ lock duration (ms); default 30 s, renewed automatically. */
  lockDuration?: number;
}

export interface FlowWorker<D = unknown, R = unknown> {
  worker: Worker<D, R>;
  /**
   * Stops fetching and waits for active jobs at most `timeoutMs`; after that, force-closes (the
   * interrupted jobs stall and run again elsewhere, which the idempotent writes make safe). Never throws.
   */
  close(timeoutMs: number): Promise<void>;
}

function jobFields(job: Job): Record<string, unknown> {
  const data = (job.data ?? {}) as { flow?: unknown; docId?: unknown };
  return {
    flow: typeof data.flow === 'string' ? data.flow : undefined,
    docId: typeof data.docId === 'string' ? data.docId : undefined,
    jobId: job.id,
    attempt: job.attemptsMade + 1,
  };
}

/**
 * A child logger created on first use: most jobs log nothing above the configured level, and a pino child costs
 * a serialisation of its bindings through the redaction (measurable at a thousand jobs a second).
 */
export function lazyChild(base: Logger, fields: () => Record<string, unknown>): Logger {
  let child: Logger | undefined;
  return new Proxy(base, {
    get(_target, prop) {
      child ??= base.child(fields());
      const value = Reflect.get(child, prop, child) as unknown;
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(child) : value;
    },
  });
}

/**
 * Runs `process` on `queueName`. This is the only place where our error kinds become BullMQ behaviour:
 * - PermanentError → `UnrecoverableError('[CODE] message')`: failed at once (a dead letter), details in job.log;
 * - RateLimitedError → `worker.rateLimit(retryAfterMs)` + `Worker.RateLimitError()`: back to waiting, no attempt spent;
 * - TransientError / unknown → rethrown, retried with exponential backoff and jitter; on the last attempt the
 *   failedReason becomes `[RETRIES_EXHAUSTED] after N attempts: [CODE] message`.
 * Stalled jobs are re-run up to twice (maxStalledCount 2) before failing.
 */
export function runFlowWorker<D, R>(opts: RunFlowWorkerOptions<D, R>): FlowWorker<D, R> {
  const base = opts.logger.child({ queue: opts.queueName });
  const worker: Worker<D, R> = new Worker<D, R>(
    opts.queueName,
    async (job: Job<D, R>) => {
      const log = lazyChild(base, () => jobFields(job as Job));
      try {
        return await opts.process(job, { logger: log });
      } catch (err) {
        const action = translateError(err, {
          attemptsMade: job.attemptsMade,
          attempts: job.opts.attempts ?? 1,
          attemptsStarted: job.attemptsStarted,
        });
        switch (action.kind) {
          case 'rate-limit':
            log.warn({ code: action.code, delayMs: action.delayMs }, `rate limited: ${action.message}`);
            await worker.rateLimit(action.delayMs);
            throw Worker.RateLimitError();
          case 'retry':
            log.warn({ code: action.code, err }, `attempt failed, will retry: ${action.reason}`);
            throw new Error(action.reason);
          case 'dead-letter':
            log.error({ code: action.code, details: action.details }, `dead letter: ${action.reason}`);
            await job.log(JSON.stringify({ reason: action.reason, details: action.details })).catch(() => undefined);
            throw new UnrecoverableError(action.reason);
        }
      }
    },
    {
      connection: opts.connection,
      prefix: opts.prefix,
      concurrency: opts.concurrency,
      maxStalledCount: 2,
      lockDuration: opts.lockDuration ?? 30000,
      limiter: opts.limiter ?? { max: 1_000_000, duration: 1000 },
      settings: {
        backoffStrategy: (attemptsMade: number, type?: string, _err?: Error, job?: { opts: { backoff?: unknown } }) => {
          const backoff = job?.opts.backoff as { delay?: number } | number | undefined;
          const delay = typeof backoff === 'number' ? backoff : (backoff?.delay ?? 1000);
          if (type !== undefined && type !== BACKOFF_TYPE) return delay;
          return backoffDelay(attemptsMade, delay);
        },
      },
    },
  );
  worker.on('error', (err) => base.error({ err }, 'worker error'));
  worker.on('completed', (job) => base.debug(jobFields(job as Job), 'job completed'));

  let closing: Promise<void> | undefined;
  return {
    worker,
    close(timeoutMs: number): Promise<void> {
      closing ??= (async () => {
        let timer: NodeJS.Timeout | undefined;
        const timedOut = new Promise<'timeout'>((resolve) => {
          timer = setTimeout(() => resolve('timeout'), timeoutMs);
        });
        try {
          const outcome = await Promise.race([worker.close().then(() => 'closed' as const), timedOut]);
          if (outcome === 'timeout') {
            base.warn({ timeoutMs }, 'worker did not finish its active jobs in time; forcing close');
            await forceRelease(worker);
          }
        } catch (err) {
          base.error({ err }, 'error while closing worker');
        } finally {
          if (timer) clearTimeout(timer);
        }
      })();
      return closing;
    },
  };
}

/**
 * Releases what keeps a worker alive when its graceful close did not end in time. BullMQ's `close(true)` returns
 * the close already under way (which still waits for the active jobs), so it releases nothing: the lock renewal
 * timer would keep renewing the jobs' locks, and the process alive, for as long as a job hangs. This stops the lock
 * renewal (the jobs then stall and run again elsewhere, as after a crash); the close under way finishes the rest
 * when the jobs end. Never throws.
 */
export async function forceRelease(worker: Worker): Promise<void> {
  const internals = worker as unknown as { lockManager?: { close(): Promise<void> } };
  await internals.lockManager?.close().catch(() => undefined);
}
