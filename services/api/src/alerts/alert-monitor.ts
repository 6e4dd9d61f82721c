import type { Logger } from '@sync/logger';
import { keys, readAlertEvents, withLock } from '@sync/queue';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { ApiOps } from '../ops';
import type { ReconciliationOps } from '../reconciliation-ops';
import { LOGIN_FAILED_ACTION } from '../login-guard';
import type { AuditLog } from '../audit-log';
import { sendAlert, type Alert, type AlertChannel } from './alert-channels';
import { evaluateAlerts, type AlertRulesConfig, type AlertState } from './alert-rules';

const stateSchema = z.object({
  watermark: z.string(),
  stalled: z.array(z.string()).default([]),
  authErrorSeen: z.record(z.string(), z.string()).default({}),
  reconciledUntil: z.string().optional(),
  loginWatermark: z.string().optional(),
  reversalWatermark: z.string().optional(),
});

/** Alert events read per tick (the list is newest first; a tick reports what is newer than its watermark). */
const EVENTS_PER_TICK = 1000;

/** How long the alert lock outlives an API replica that died while checking. */
const ALERT_LOCK_TTL_MS = 60_000;

export interface AlertMonitorDeps {
  redis: Redis;
  prefix: string;
  ops: Pick<ApiOps, 'listDeadLetters' | 'listFlows'>;
  /** Finished reconciliations are checked too when given. */
  reconciliations?: Pick<ReconciliationOps, 'list'>;
  /** The audit log, read for failed logins to the API (omitted: no login-failure alerts). */
  audit?: Pick<AuditLog, 'list'>;
  channels: readonly AlertChannel[];
  rules: AlertRulesConfig;
  intervalMs: number;
  logger: Logger;
  now?: () => Date;
  fetchImpl?: typeof fetch;
}

export interface AlertMonitor {
  /** One check: reads Redis, sends at most one message per alert kind to every channel. Returns what it sent. */
  tick(): Promise<Alert[]>;
  /** Runs `tick` every intervalMs until `stop`. */
  start(): void;
  /** Stops the loop and waits for a running tick. Idempotent. */
  stop(): Promise<void>;
}

/**
 * The alert loop. It runs in the API process: the API already reads every flow's queues and status, there is one
 * API per deployment while workers scale out (no duplicate alerts), and a lock per tick keeps a second API replica
 * from sending the same alert. State (watermark of reported dead letters, stalled flows) lives in Redis, so a
 * restart neither repeats nor drops alerts. The first tick ever only sets the watermark to "now".
 */
export function createAlertMonitor(deps: AlertMonitorDeps): AlertMonitor {
  const now = deps.now ?? (() => new Date());
  const log = deps.logger.child({ component: 'alerts' });
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<unknown> | undefined;

  async function tick(): Promise<Alert[]> {
    const at = now();
    // Only one check at a time across API replicas; the next one then sees the state this one wrote.
    const outcome = await withLock(deps.redis, keys.alertsLock(deps.prefix), ALERT_LOCK_TTL_MS, () => check(at));
    return outcome.acquired ? outcome.value : [];
  }

  async function check(at: Date): Promise<Alert[]> {
    const raw = await deps.redis.get(keys.alertsState(deps.prefix));
    let state: AlertState;
    try {
      state = stateSchema.parse(JSON.parse(raw ?? 'null'));
    } catch {
      // First run: start from now, do not report the dead-letter backlog of the past.
      state = { watermark: at.toISOString(), stalled: [], authErrorSeen: {} };
    }
    const loginSince = state.loginWatermark ?? state.watermark;
    const [newDeadLetters, flows, logins, events, runs] = await Promise.all([
      deps.ops.listDeadLetters({ since: state.watermark, limit: 1000 }),
      deps.ops.listFlows(),
      deps.audit?.list({ action: LOGIN_FAILED_ACTION, after: loginSince, limit: 1000 }) ?? [],
      readAlertEvents(deps.redis, deps.prefix, EVENTS_PER_TICK),
      deps.reconciliations?.list(50),
    ]);
    const loginFailures = logins.map((e) => ({
      at: e.at,
      address: typeof e.details?.address === 'string' ? e.details.address : 'unknown',
      user: typeof e.details?.user === 'string' ? e.details.user : 'unknown',
    }));
    const reconciliations = runs?.flatMap((r) => (r.state === 'done' && r.finishedAt ? [{ id: r.id, finishedAt: r.finishedAt, days: r.days }] : []));
    const { alerts, next } = evaluateAlerts(state, { now: at, newDeadLetters, flows, loginFailures, events, ...(reconciliations && { reconciliations }) }, deps.rules);
    for (const alert of alerts) {
      for (const channel of deps.channels) {
        try {
          await sendAlert(channel, alert, deps.fetchImpl);
        } catch (err) {
          log.warn({ channel: channel.kind, alert: alert.type, err: err instanceof Error ? err.message : String(err) }, 'alert not delivered');
        }
      }
      log.info({ alert: alert.type, title: alert.title }, 'alert');
    }
    await deps.redis.set(keys.alertsState(deps.prefix), JSON.stringify(next));
    return alerts;
  }

  return {
    tick,
    start() {
      if (timer) return;
      timer = setInterval(() => {
        if (running) return;
        running = tick()
          .catch((err: unknown) => log.error({ err }, 'alert check failed'))
          .finally(() => {
            running = undefined;
          });
      }, deps.intervalMs);
    },
    async stop() {
      clearInterval(timer);
      timer = undefined;
      await running;
    },
  };
}
