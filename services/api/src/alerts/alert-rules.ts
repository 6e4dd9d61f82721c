import type { AlertEvent } from '@sync/queue';
import type { DeadLetter, FlowStatus } from '../ops';
import type { Alert } from './alert-channels';

/** What the monitor remembers between ticks (stored in Redis so a restart neither repeats nor loses alerts). */
export interface AlertState {
  /** Dead letters that failed at or before this ISO time were already reported. */
  watermark: string;
  /** Flows already reported as stalled (reported again only after they advanced). */
  stalled: string[];
  /** Per flow, the lastErrorAt of a poll authentication failure already counted. */
  authErrorSeen: Record<string, string>;
  /** Failed logins to this API at or before this ISO time were already counted (absent = the dead-letter watermark). */
  loginWatermark?: string;
  /** Reversal events at or before this ISO time were already reported (absent = the dead-letter watermark). */
  reversalWatermark?: string;
  /** Reconciliations that finished at or before this ISO time were already reported (absent: none seen yet). */
  reconciledUntil?: string;
}

/** A finished reconciliation run, as the alert rules see it. */
export interface ReconciliationFact {
  id: string;
  finishedAt: string;
  days: ReadonlyArray<{ flow: string; day: string; balanced: boolean; counts: { missing: number; extra: number; quantity: number; status: number } }>;
}

export interface AlertRulesConfig {
  stallMs: number;
  authFailures: number;
  /** Failed logins to the API in one tick that raise the auth-failure alert (ALERT_LOGIN_FAILURES, default 5). */
  loginFailures?: number;
}

/** One failed login to the API, as the audit log records it. */
export interface LoginFailure {
  at: string;
  address: string;
  user: string;
}

export const DEFAULT_LOGIN_FAILURE_ALERT = 5;

/** One tick's observation: dead letters newer than the watermark, flow statuses, the newest events, the clock. */
export interface AlertObservation {
  now: Date;
  newDeadLetters: readonly DeadLetter[];
  flows: readonly FlowStatus[];
  /** Failed logins to the API since the login watermark (newest first or any order). */
  loginFailures?: readonly LoginFailure[];
  /** The newest alert events (keys.events, any order); those of type `reversal` after the watermark are reported. */
  events?: readonly AlertEvent[];
  /** Recently finished reconciliations (any order); absent when the API has none. */
  reconciliations?: readonly ReconciliationFact[];
}

/** Examples quoted in one alert at most. */
const EXAMPLES = 3;

const AUTH_CODE = 'AUTH_FAILED';

/**
 * Decides which alerts to send and the next state. Pure. New dead letters give ONE aggregated alert per tick
 * (counts per flow and reason class, a few examples); a flow whose last successful poll is older than stallMs gives
 * one alert until it advances again; AUTH_FAILED dead letters plus new poll authentication errors reaching
 * `authFailures` in one tick give one alert. Reversal events (a synced document cancelled in JST) newer than the
 * reversal watermark give one alert per tick, with their count per flow and the first few messages; reconciliations
 * finished since the last tick with a day that does not balance give ONE summary (对账不平) naming each such flow and
 * day with its counts.
 */
export function evaluateAlerts(
  state: AlertState,
  obs: AlertObservation,
  cfg: AlertRulesConfig,
): { alerts: Alert[]; next: AlertState } {
  const alerts: Alert[] = [];
  const letters = obs.newDeadLetters.filter((d) => d.failedAt !== null && d.failedAt > state.watermark);
  let watermark = state.watermark;
  for (const d of letters) if (d.failedAt !== null && d.failedAt > watermark) watermark = d.failedAt;

  if (letters.length) {
    const groups = new Map<string, number>();
    for (const d of letters) groups.set(`${d.flow} ${d.code}`, (groups.get(`${d.flow} ${d.code}`) ?? 0) + 1);
    const byGroup = [...groups.entries()].map(([k, n]) => {
      const [flow, code] = k.split(' ');
      return { flow, code, count: n };
    });
    alerts.push({
      type: 'dead-letters',
      title: `${letters.length} new dead letter${letters.length === 1 ? '' : 's'}`,
      lines: [
        ...byGroup.map((g) => `${g.flow}: ${g.count} × ${g.code}`),
        ...letters.slice(0, EXAMPLES).map((d) => `e.g. ${d.flow} ${d.docId ?? d.jobId}: ${d.message.slice(0, 200)}`),
        'Inspect: GET /dead-letters?flow=…&code=…; fix, then POST /dead-letters/retry {flow, code}',
      ],
      facts: { count: letters.length, groups: byGroup },
    });
  }

  const stalled: string[] = [];
  const newlyStalled: FlowStatus[] = [];
  for (const f of obs.flows) {
    if (!f.enabled || f.paused || f.lastPollAt === null) continue;
    if (obs.now.getTime() - Date.parse(f.lastPollAt) <= cfg.stallMs) continue;
    stalled.push(f.name);
    if (!state.stalled.includes(f.name)) newlyStalled.push(f);
  }
  if (newlyStalled.length) {
    alerts.push({
      type: 'flow-stalled',
      title: `${newlyStalled.length} flow${newlyStalled.length === 1 ? '' : 's'} stopped advancing`,
      lines: newlyStalled.map(
        (f) => `${f.name}: last successful poll ${f.lastPollAt}${f.lastError ? `; last error: ${f.lastError.slice(0, 200)}` : ''}`,
      ),
      facts: { flows: newlyStalled.map((f) => ({ flow: f.name, lastPollAt: f.lastPollAt, lastError: f.lastError })) },
    });
  }

  const authErrorSeen = { ...state.authErrorSeen };
  let authCount = letters.filter((d) => d.code === AUTH_CODE).length;
  const authFlows = new Set(letters.filter((d) => d.code === AUTH_CODE).map((d) => d.flow));
  for (const f of obs.flows) {
    if (f.lastErrorAt === null || !f.lastError?.startsWith(`[${AUTH_CODE}]`)) continue;
    if (authErrorSeen[f.name] === f.lastErrorAt) continue;
    authErrorSeen[f.name] = f.lastErrorAt;
    authCount += 1;
    authFlows.add(f.name);
  }
  if (authCount >= cfg.authFailures) {
    alerts.push({
      type: 'auth-failures',
      title: `${authCount} authentication failures against JST or Kingdee`,
      lines: [`flows: ${[...authFlows].join(', ')}`, 'Check the JST app key/secret and access token, and the Kingdee user, app id and secret.'],
      facts: { count: authCount, flows: [...authFlows] },
    });
  }

  const login = evaluateLoginFailures(state.loginWatermark ?? state.watermark, obs.loginFailures ?? [], cfg.loginFailures ?? DEFAULT_LOGIN_FAILURE_ALERT);
  if (login.alert) alerts.push(login.alert);

  const reversal = evaluateReversals(state.reversalWatermark ?? state.watermark, obs.events ?? []);
  if (reversal.alert) alerts.push(reversal.alert);

  const recon = evaluateReconciliations(state.reconciledUntil, obs.reconciliations, obs.now);
  if (recon.alert) alerts.push(recon.alert);

  return { alerts, next: { watermark, stalled, authErrorSeen, loginWatermark: login.watermark, reversalWatermark: reversal.watermark, reconciledUntil: recon.until } };
}

/**
 * The reconciliation part. Pure. Runs finished after `until` with a day that does not balance give ONE 对账不平
 * summary naming each such flow and day with its counts; `until` moves to the newest finish seen. The first tick
 * ever (no `until`) only starts it at `now`, so older runs are not reported.
 */
export function evaluateReconciliations(
  until: string | undefined,
  runs: readonly ReconciliationFact[] | undefined,
  now: Date,
): { alert: Alert | undefined; until: string } {
  let next = until ?? now.toISOString();
  if (!runs || until === undefined) return { alert: undefined, until: next };
  const fresh = runs.filter((r) => r.finishedAt > until);
  for (const r of fresh) if (r.finishedAt > next) next = r.finishedAt;
  const unbalanced = fresh.flatMap((r) => r.days.filter((d) => !d.balanced).map((d) => ({ id: r.id, ...d })));
  if (!unbalanced.length) return { alert: undefined, until: next };
  return {
    until: next,
    alert: {
      type: 'reconciliation',
      title: `对账不平: ${unbalanced.length} flow-day${unbalanced.length === 1 ? '' : 's'} do not balance`,
      lines: [
        ...unbalanced.slice(0, 20).map((d) => `${d.flow} ${d.day}: 未同步 ${d.counts.missing}, 多余 ${d.counts.extra}, 数量差异 ${d.counts.quantity}, 未审核 ${d.counts.status}`),
        `See /reconcile (page) or GET /reconciliations/${unbalanced[0].id}; repair: POST /reconciliations/<id>/repair`,
      ],
      facts: { days: unbalanced.map((d) => ({ id: d.id, flow: d.flow, day: d.day, ...d.counts })) },
    },
  };
}

/**
 * The reversal alert. Pure. `reversal` events after `watermark` (a synced document cancelled in JST, recorded by
 * the worker) give one `reversals` alert with their count per flow, the first messages and the documents; the
 * watermark moves to the newest one, so none is reported twice.
 */
export function evaluateReversals(watermark: string, events: readonly AlertEvent[]): { alert: Alert | undefined; watermark: string } {
  const reversals = events.filter((e) => e.type === 'reversal' && e.at > watermark).sort((a, b) => (a.at < b.at ? -1 : 1));
  if (!reversals.length) return { alert: undefined, watermark };
  const perFlow = new Map<string, number>();
  for (const e of reversals) perFlow.set(e.flow, (perFlow.get(e.flow) ?? 0) + 1);
  return {
    watermark: reversals[reversals.length - 1].at,
    alert: {
      type: 'reversals',
      title: `${reversals.length} synced document${reversals.length === 1 ? '' : 's'} cancelled in JST`,
      lines: [
        ...[...perFlow].map(([flow, n]) => `${flow}: ${n}`),
        ...reversals.slice(0, EXAMPLES).map((e) => `e.g. ${e.message.slice(0, 300)}`),
        'Review each Kingdee bill (policy "record" leaves it as it is): GET /documents/<flow>/<docId>',
      ],
      facts: { count: reversals.length, flows: [...perFlow].map(([flow, count]) => ({ flow, count })), docs: reversals.map((e) => ({ flow: e.flow, docId: e.docId ?? null })) },
    },
  };
}

/**
 * The failed-login part of the auth-failure alert. Pure. Failures after `watermark` reaching `threshold` in one
 * tick give one `auth-failures` alert naming the addresses and user names tried (most frequent first, at most 5
 * of each); the watermark moves to the newest failure seen either way, so none is counted twice.
 */
export function evaluateLoginFailures(
  watermark: string,
  failures: readonly LoginFailure[],
  threshold: number,
): { alert: Alert | undefined; watermark: string } {
  const fresh = failures.filter((f) => f.at > watermark);
  let next = watermark;
  for (const f of fresh) if (f.at > next) next = f.at;
  if (fresh.length === 0 || fresh.length < threshold) return { alert: undefined, watermark: next };
  const top = (key: 'address' | 'user'): { value: string; count: number }[] => {
    const counts = new Map<string, number>();
    for (const f of fresh) counts.set(f[key], (counts.get(f[key]) ?? 0) + 1);
    return [...counts.entries()].sort((a, b) => b[1] - a[1] || (a[0] < b[0] ? -1 : 1)).slice(0, 5).map(([value, count]) => ({ value, count }));
  };
  const addresses = top('address');
  const users = top('user');
  return {
    watermark: next,
    alert: {
      type: 'auth-failures',
      title: `${fresh.length} failed logins to the sync API`,
      lines: [
        `from: ${addresses.map((a) => `${a.value} (${a.count})`).join(', ')}`,
        `user names tried: ${users.map((u) => `${u.value} (${u.count})`).join(', ')}`,
        'Addresses are locked out after repeated failures; see GET /audit?action=login-failed. If these are not your operators, block the addresses at the proxy or firewall.',
      ],
      facts: { count: fresh.length, addresses, users },
    },
  };

}
