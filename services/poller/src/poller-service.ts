import type { Redis } from 'ioredis';
import type { DocumentFlowSettings, Env } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { flowSource, kingdeeSourceSettingsFor, settingsFor, type SyncConfig } from '@sync/flows';
import type { JstApi } from '@sync/jushuitan';
import type { Logger } from '@sync/logger';
import {
  checkRedis, createCursorStore, createLedger, createPollStatusStore, createQueues, createResyncCancelStore, createRedis, enqueueDocuments, formatZodIssues,
  pollJobSchema, pollSchedulerId, POLL_QUEUE, runFlowWorker,
  type FlowWorker, type PollCounts, type PollJob, type Queues,
} from '@sync/queue';
import type { AnyDocumentFlow, AnyKingdeeSourceFlow } from '@sync/flows';
import { noCutoverError, resolveCutover } from './cutover';
import type { JstPollContext } from './jst-source';
import { pollTransports, resyncTransports, transportPolls } from './jst-transports';
import type { KingdeeApi } from '@sync/kingdee';
import { createReconcileService } from './reconcile-service';
import { enabledKingdeeSourceFlows, pollKingdeeSource, requireKingdee, resyncKingdeeSource, type KingdeeSourcePollContext } from './kingdee-source';
import { runScheduledPoll, type PollOutcome, type ScheduledPollDeps } from './poll-core';

export interface PollerServiceDeps {
  jst: JstApi;
  /** The registry's JST-source flows (flowRegistry). */
  flows: Record<string, AnyDocumentFlow>;
  /** A worker-role connection owned by the caller; without one the service opens env.REDIS_URL and closes it on stop. */
  connection?: Redis;
  logger: Logger;
  now?: () => Date;
  /** Injected for tests; default enqueueDocuments. */
  enqueue?: typeof enqueueDocuments;
  /** TTL of the per-flow poll lock (ms), extended while a poll runs. Default 60 s. */
  pollLockTtlMs?: number;
  /** Kingdee → JST flows (kingdeeSourceFlows); their polls read Kingdee with `kingdee`, required when one is enabled. */
  kingdeeFlows?: Record<string, AnyKingdeeSourceFlow>;
  kingdee?: KingdeeApi;
  /** The JST Qimen client (createQimenClient), required when an enabled flow has `transport: qimen | both`. */
  qimen?: JstApi;
  /** Passes of a window scan at most (default MAX_WINDOW_PASSES); 1 turns the re-read off (tests prove it is needed). */
  windowPasses?: number;
}

/** Outcome of one poll or resync. */
export type PollResult =
  | { flow: string; counts: PollCounts & { cancelled?: true }; cursor?: string; resync?: true }
  | { flow: string; skipped: string };

export interface PollerService {
  /**
   * Upserts one job scheduler per enabled flow (`poll-<flow>`, every schedule.everyMs), removes the schedulers
   * of other flows, and starts the poll-queue worker (once). Idempotent across calls, restarts and replicas.
   */
  start(): Promise<void>;
  /** Stops the poll worker (bounded by SHUTDOWN_TIMEOUT_MS), closes the queues and what the service opened. */
  stop(): Promise<void>;
  /**
   * Polls `flow` once: its cursor scan (under a per-flow lock; a concurrent poll of the same flow returns
   * `skipped`), or a resync of a range / ids (never moves the cursor). Records the poll status of cursor scans.
   * Throws the JST client's classified errors (cursor unchanged past the last enqueued page).
   */
  pollOnce(flow: string, resync?: PollJob['resync']): Promise<PollResult>;
  readonly queues: Queues;
}

/** The poller: per enabled flow, on a schedule, reads what changed in its source (JST; Kingdee for material) and enqueues one job per document. */
export function createPollerService(env: Env, config: SyncConfig, deps: PollerServiceDeps): PollerService {
  const logger = deps.logger.child({ service: 'poller' });
  const now = deps.now ?? (() => new Date());
  const ownsConnection = !deps.connection;
  const redis = deps.connection ?? createRedis(env.REDIS_URL, { role: 'worker', name: `${env.QUEUE_PREFIX}-poller` });
  const prefix = env.QUEUE_PREFIX;
  const cursors = createCursorStore(redis, prefix);
  const statuses = createPollStatusStore(redis, prefix);
  const resyncCancel = createResyncCancelStore(redis, prefix);
  const ledger = createLedger(redis, prefix);
  const enabled = Object.keys(deps.flows).filter((f) => settingsFor(config, f)?.enabled === true);
  const queueSettings: Record<string, DocumentFlowSettings> = {};
  for (const f of enabled) queueSettings[f] = settingsFor(config, f)!;
  const kdFlows = deps.kingdeeFlows ?? {};
  const kdEnabled = enabledKingdeeSourceFlows(config, kdFlows);
  const kdSettings = Object.fromEntries(kdEnabled.map((f) => [f, kingdeeSourceSettingsFor(config, f)!]));
  const queues = createQueues({ connection: redis, prefix, flows: { ...queueSettings, ...kdSettings } });
  let worker: FlowWorker<unknown, PollResult> | undefined;
  let stopped: Promise<void> | undefined;
  // Reconciliation runs read JST with this process's client and call budget, and Kingdee when it has a client.
  const reconcile = createReconcileService({ jst: deps.jst, kingdee: deps.kingdee, config, flows: deps.flows, now, logger, redis, prefix });

  function contextFor(flowName: string, log: Logger, ignoreCutover = false): JstPollContext {
    // A flow with a selectable source (sourceFor) is polled on the endpoint its settings pick.
    const source = flowSource(deps.flows[flowName], queueSettings[flowName]);
    return {
      jst: deps.jst,
      windowPasses: deps.windowPasses,
      flow: { ...deps.flows[flowName], source },
      settings: queueSettings[flowName],
      cutover: ignoreCutover ? undefined : resolveCutover(config, flowName, queueSettings[flowName], source.businessDate),
      onBeforeCutover: (docIds) => statuses.addBeforeCutover(flowName, docIds),
      queue: queues.flow(flowName),
      cursors,
      enqueue: deps.enqueue ?? enqueueDocuments,
      now,
      logger: log,
      isSynced: async (docId) => {
        const entry = await ledger.get(flowName, `${queueSettings[flowName].billNoPrefix}${docId}`);
        return entry !== undefined && entry.status !== 'skipped';
      },
    };
  }

  function kingdeeContextFor(flowName: string, log: Logger): KingdeeSourcePollContext {
    const kingdee = requireKingdee(deps.kingdee, kdEnabled);
    return { kingdee, flow: kdFlows[flowName], settings: kdSettings[flowName], queue: queues.flow(flowName), cursors, enqueue: deps.enqueue ?? enqueueDocuments, now, logger: log };
  }

  /** A scheduled poll of `flowName` through the poll core's shell (pause, lock, status). */
  async function scheduled(flowName: string, log: Logger, poll: () => Promise<PollOutcome>): Promise<PollResult> {
    const shell: ScheduledPollDeps = { redis, prefix, statuses, lockTtlMs: deps.pollLockTtlMs ?? 60_000, now, logger: log };
    const res = await runScheduledPoll(shell, flowName, poll);
    return res.ran ? { flow: flowName, counts: res.counts, cursor: res.cursor } : { flow: flowName, skipped: res.skipped };
  }

  async function pollOnce(flowName: string, resync?: PollJob['resync'], log: Logger = logger, cancelled?: () => Promise<boolean>): Promise<PollResult> {
    const flowLog = log.child({ flow: flowName });
    if (kdFlows[flowName]) {
      if (!kdSettings[flowName]) return { flow: flowName, skipped: 'flow is disabled or missing in the config file' };
      const ctx = kingdeeContextFor(flowName, flowLog);
      if (!resync) return scheduled(flowName, flowLog, () => pollKingdeeSource(ctx));
      const counts = await resyncKingdeeSource(ctx, resync, `resync-${now().toISOString()}`);
      flowLog.info({ counts, resync }, 'resync enqueued');
      return { flow: flowName, counts, resync: true };
    }
    if (!deps.flows[flowName]) {
      throw new PermanentError('CONFIG_INVALID', `cannot poll unknown flow "${flowName}" (known: ${Object.keys(deps.flows).join(', ')})`, { flow: flowName });
    }
    if (!queueSettings[flowName]) return { flow: flowName, skipped: 'flow is disabled or missing in the config file' };

    if (resync) {
      const ctx = contextFor(flowName, flowLog, resync.ignoreCutover === true);
      ctx.cancelled = cancelled;
      // Reading history on purpose: ignoreCutover is in the job (audited by the API that created it) and logged here.
      if (resync.ignoreCutover) ctx.logger.warn({ resync }, 'resync ignores the cutover: documents dated before it are written too');
      if (resync.repair) ctx.jobIdSuffix = resync.repair;
      const origin = resync.repair ? `repair-${resync.repair}` : `resync-${now().toISOString()}`;
      const counts = await resyncTransports(transportPolls(ctx, deps.qimen), resync, origin);
      ctx.logger.info({ counts, resync }, 'resync enqueued');
      return { flow: flowName, counts, resync: true };
    }
    // One or two transports (open API, Qimen), each on its own cursor; see jst-transports.ts.
    return scheduled(flowName, flowLog, () => pollTransports(transportPolls(contextFor(flowName, flowLog), deps.qimen), statuses, now));
  }

  /**
   * A flow with no cursor must know where to start: a cutover (or schedule.startTs / startFrom). One that does not
   * is reported now, as its poll status and an error naming the config key; its polls fail the same way, the other
   * flows run. A cutover that is not a date-time is reported the same way.
   */
  async function checkStartPoints(): Promise<void> {
    for (const flow of enabled) {
      const s = queueSettings[flow];
      let problem: string | undefined;
      try {
        const cutover = resolveCutover(config, flow, s, flowSource(deps.flows[flow], s).businessDate);
        const override = s.schedule.startTs !== undefined || s.schedule.startFrom !== undefined;
        if (!cutover && !override && (await cursors.get(flow)) === undefined) problem = noCutoverError(flow).message;
      } catch (e) {
        problem = e instanceof Error ? e.message : String(e);
      }
      if (problem === undefined) continue;
      logger.error({ flow, err: problem }, 'flow cannot start: fix the config file');
      await statuses.recordError(flow, { at: now().toISOString(), code: 'CONFIG_INVALID', message: problem });
    }
  }

  return {
    queues,
    pollOnce: (flow, resync) => pollOnce(flow, resync),
    async start() {
      await checkRedis(redis, logger);
      const wanted = new Set([...enabled, ...kdEnabled].map(pollSchedulerId));
      if (kdEnabled.length) requireKingdee(deps.kingdee, kdEnabled);
      for (const flow of [...kdEnabled, ...enabled]) {
        const every = (kdSettings[flow] ?? queueSettings[flow]).schedule.everyMs;
        await queues.poll.upsertJobScheduler(pollSchedulerId(flow), { every }, { name: pollSchedulerId(flow), data: { flow }, opts: { attempts: 1 } });
      }
      for (const s of await queues.poll.getJobSchedulers(0, -1)) {
        const id = s.id ?? s.key;
        if (id.startsWith('poll-') && !wanted.has(id)) {
          await queues.poll.removeJobScheduler(id);
          logger.info({ scheduler: id }, 'removed the scheduler of a disabled flow');
        }
      }
      await checkStartPoints();
      await reconcile.start();
      if (worker) return; // a second start() only re-applies the schedulers
      worker = runFlowWorker<unknown, PollResult>({
        connection: redis,
        prefix,
        queueName: POLL_QUEUE,
        concurrency: Math.max(2, enabled.length + 1),
        logger,
        process: async (job, ctx) => {
          const parsed = pollJobSchema.safeParse(job.data);
          if (!parsed.success) throw new PermanentError('CONFIG_INVALID', `poll job payload is invalid: ${formatZodIssues(parsed.error)}`);
          if (!parsed.data.resync) return pollOnce(parsed.data.flow, undefined, ctx.logger);
          // Resync progress for Bull Board and GET /resync/:id.
          await job.updateProgress({ state: 'reading', startedAt: now().toISOString() });
          // An operator may cancel it (DELETE /resync/:id): checked between windows / id batches.
          const result = await pollOnce(parsed.data.flow, parsed.data.resync, ctx.logger, () => resyncCancel.isRequested(String(job.id)));
          const cancelledRun = 'counts' in result && result.counts.cancelled === true;
          await job.updateProgress({ state: cancelledRun ? 'cancelled' : 'done', ...('counts' in result ? result.counts : {}) });
          return result;
        },
      });
      logger.info({ flows: enabled }, 'poller started');
    },
    stop() {
      stopped ??= (async () => {
        await Promise.all([worker?.close(env.SHUTDOWN_TIMEOUT_MS), reconcile.stop(env.SHUTDOWN_TIMEOUT_MS)]);
        await queues.close();
        if (ownsConnection) await redis.quit().catch(() => redis.disconnect());
        logger.info('poller stopped');
      })();
      return stopped;
    },
  };
}
