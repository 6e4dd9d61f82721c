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
  /** Reversal events at or before this ISO time were already reported. */
  reversalWatermark: string;
}

export interface AlertRulesConfig {
  stallMs: number;
  authFailures: number;
}

/** One tick's observation: dead letters newer than the watermark, flow statuses, the newest events, the clock. */
export interface AlertObservation {
  now: Date;
  newDeadLetters: readonly DeadLetter[];
  flows: readonly FlowStatus[];
  /** The newest alert events (`${prefix}:events`, any order); those of type `reversal` after the watermark are reported. */
  events: readonly AlertEvent[];
}

/** Examples quoted in one alert at most. */
const EXAMPLES = 3;

const AUTH_CODE = 'AUTH_FAILED';

/**
 * Decides which alerts to send and the next state. Pure. New dead letters give ONE aggregated alert per tick
 * (counts per flow and reason class, a few examples); a flow whose last successful poll is older than stallMs gives
 * one alert until it advances again; AUTH_FAILED dead letters plus new poll authentication errors reaching
 * `authFailures` in one tick give one alert. Reversal events (a synced document cancelled in JST) newer than the
 * reversal watermark give one alert per tick, with their count per flow and the first few messages.
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

  const reversals = obs.events.filter((e) => e.type === 'reversal' && e.at > state.reversalWatermark).sort((a, b) => (a.at < b.at ? -1 : 1));
  const reversalWatermark = reversals.length ? reversals[reversals.length - 1].at : state.reversalWatermark;
  if (reversals.length) {
    const perFlow = new Map<string, number>();
    for (const e of reversals) perFlow.set(e.flow, (perFlow.get(e.flow) ?? 0) + 1);
    alerts.push({
      type: 'reversals',
      title: `${reversals.length} synced document${reversals.length === 1 ? '' : 's'} cancelled in JST`,
      lines: [
        ...[...perFlow].map(([flow, n]) => `${flow}: ${n}`),
        ...reversals.slice(0, EXAMPLES).map((e) => `e.g. ${e.message.slice(0, 300)}`),
        'Review each Kingdee bill (policy "record" leaves it as it is): GET /documents/<flow>/<docId>',
      ],
      facts: { count: reversals.length, flows: [...perFlow].map(([flow, count]) => ({ flow, count })), docs: reversals.map((e) => ({ flow: e.flow, docId: e.docId ?? null })) },
    });
  }

  return { alerts, next: { watermark, stalled, authErrorSeen, reversalWatermark } };
}
