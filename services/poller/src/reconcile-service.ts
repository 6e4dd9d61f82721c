import { randomUUID } from 'node:crypto';
import { PermanentError } from '@sync/errors';
import { enabledFlows, type SyncConfig } from '@sync/flows';
import { formatBeijingTime } from '@sync/jushuitan';
import type { Logger } from '@sync/logger';
import {
  createReconciliationStore, formatZodIssues, newReconciliationRecord, reconcileJobSchema, runFlowWorker,
  RECONCILE_JOB_OPTIONS, RECONCILE_QUEUE, RECONCILE_SCHEDULER_ID, type FlowWorker, type ReconcileJob, type ReconciliationRecord,
} from '@sync/queue';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { runReconciliation, type ReconcileRunDeps } from './reconcile-run';

const DAY_MS = 24 * 3600 * 1000;

/** The business day (Beijing) `daysBack` days before `now`. */
export function beijingDayBefore(now: Date, daysBack: number): string {
  return formatBeijingTime(now.getTime() - daysBack * DAY_MS).slice(0, 10);
}

/** The repeat option of the daily schedule: a cron at dailyAt in Asia/Shanghai, or every N ms; undefined when off. */
export function reconcileRepeat(config: SyncConfig): { pattern: string; tz: string } | { every: number } | undefined {
  const s = config.reconciliation.schedule;
  if (!s) return undefined;
  if (s.everyMs !== undefined) return { every: s.everyMs };
  const [hh, mm] = s.dailyAt!.split(':').map(Number);
  return { pattern: `${mm} ${hh} * * *`, tz: 'Asia/Shanghai' };
}

/** What a reconcile job returns (the result itself is in the store). */
export interface RunSummary {
  id: string;
  state: ReconciliationRecord['state'];
  balanced: boolean | null;
  error?: string;
}

export interface ReconcileService {
  start(): Promise<void>;
  stop(timeoutMs: number): Promise<void>;
}

/**
 * The reconciliation runs of the poller: a worker on RECONCILE_QUEUE (one run at a time) that runs the stored
 * record a job names, or for a scheduled job creates one for `daysBack` of every enabled document flow; and the
 * daily job scheduler (upserted from the config, removed when the config has no schedule).
 */
export function createReconcileService(deps: ReconcileRunDeps & { redis: Redis; prefix: string }): ReconcileService {
  const { config, logger } = deps;
  const rec = config.reconciliation;
  const store = createReconciliationStore(deps.redis, deps.prefix, { keepDays: rec.keepDays, maxRuns: rec.maxRuns });
  const queue = new Queue<ReconcileJob>(RECONCILE_QUEUE, { connection: deps.redis, prefix: deps.prefix, defaultJobOptions: RECONCILE_JOB_OPTIONS });
  let worker: FlowWorker<ReconcileJob, RunSummary> | undefined;
  const log: Logger = logger.child({ component: 'reconcile' });

  async function recordFor(job: ReconcileJob): Promise<ReconciliationRecord> {
    if ('id' in job) {
      const record = await store.get(job.id);
      if (!record) throw new PermanentError('CONFIG_INVALID', `reconciliation "${job.id}" is not stored (expired or pruned)`);
      return record;
    }
    const day = beijingDayBefore(deps.now(), rec.schedule?.daysBack ?? 1);
    const record = newReconciliationRecord({ trigger: 'schedule', by: 'schedule', flows: enabledFlows(config), from: day, to: day, now: deps.now(), random: randomUUID() });
    await store.create(record);
    return record;
  }

  return {
    async start() {
      const repeat = reconcileRepeat(config);
      if (repeat) {
        await queue.upsertJobScheduler(RECONCILE_SCHEDULER_ID, repeat, { name: RECONCILE_SCHEDULER_ID, data: { scheduled: true } });
        log.info({ repeat }, 'daily reconciliation scheduled');
      } else {
        await queue.removeJobScheduler(RECONCILE_SCHEDULER_ID);
      }
      if (worker) return;
      worker = runFlowWorker<ReconcileJob, RunSummary>({
        connection: deps.redis,
        prefix: deps.prefix,
        queueName: RECONCILE_QUEUE,
        concurrency: 1,
        logger: log,
        // A run reads whole days: keep its lock well past one Kingdee page or one JST window.
        lockDuration: 120_000,
        process: async (job) => {
          const parsed = reconcileJobSchema.safeParse(job.data);
          if (!parsed.success) throw new PermanentError('CONFIG_INVALID', `reconcile job payload is invalid: ${formatZodIssues(parsed.error)}`);
          const record = await recordFor(parsed.data);
          await job.updateProgress({ id: record.id, state: 'running' });
          const done = await runReconciliation({ ...deps, store }, record);
          const summary: RunSummary = { id: done.id, state: done.state, balanced: done.balanced ?? null, ...(done.error && { error: done.error }) };
          await job.updateProgress(summary);
          return summary;
        },
      });
    },
    async stop(timeoutMs) {
      await worker?.close(timeoutMs);
      await queue.close();
    },
  };
}
