import { beijingDay, createCursorStore, createFlowPauseStore, createMetricsStore, createPollStatusStore, transportCursorName, transportStatusName } from '@sync/queue';
import type { FlowDescriptor } from '../flow-descriptors';
import type { ApiOps, FlowStatus, JobCounts } from '../ops';
import type { OpsContext } from './context';

/** Flow status, pause and the /metrics gauges, read through the cursor, poll-status, pause and metrics stores. */
export function flowOps(ctx: OpsContext): Pick<ApiOps, 'flowNames' | 'documentFlowNames' | 'listFlows' | 'setPaused' | 'queueGauges'> {
  const { redis, prefix, flows, now, flowQueue } = ctx;
  const names = flows.map((f) => f.name);
  // Flows with an FBillNo prefix write Kingdee documents; the Kingdee-source flows (material) keep one entry per SKU.
  const documentFlows = flows.filter((f) => f.billNoPrefix !== undefined).map((f) => f.name);
  const cursors = createCursorStore(redis, prefix);
  const pollStatuses = createPollStatusStore(redis, prefix);
  const pauses = createFlowPauseStore(redis, prefix);
  const metrics = createMetricsStore(redis, prefix);

  const lagOf = (lastSuccessAt: string | undefined): number | null => {
    const t = lastSuccessAt === undefined ? NaN : Date.parse(lastSuccessAt);
    return Number.isNaN(t) ? null : Math.max(0, Math.round((now().getTime() - t) / 1000));
  };

  /** Each transport's own cursor and poll status (flows reading through Qimen). */
  async function transportStatuses(f: FlowDescriptor): Promise<FlowStatus['transports']> {
    if (!f.transports) return undefined;
    return Promise.all(f.transports.map(async (name) => {
      const [cursor, status] = await Promise.all([
        cursors.get(transportCursorName(f.name, name)),
        pollStatuses.summary(transportStatusName(f.name, name)),
      ]);
      return {
        name, cursor: cursor ?? null, lastPollAt: status.lastSuccessAt ?? null, lastError: status.lastError ?? null, lastErrorAt: status.lastErrorAt ?? null, lastPollCounts: status.counts ?? null,
      };
    }));
  }

  async function flowStatus(f: FlowDescriptor): Promise<FlowStatus> {
    const [cursor, status, raw, paused, writtenToday, beforeCutover, transports] = await Promise.all([
      cursors.get(f.name),
      pollStatuses.summary(f.name),
      flowQueue(f.name).getJobCounts('waiting', 'prioritized', 'active', 'delayed', 'failed', 'completed'),
      pauses.isPaused(f.name),
      metrics.writtenOnDay(f.name, beijingDay(now())),
      pollStatuses.beforeCutoverCount(f.name),
      transportStatuses(f),
    ]);
    const counts: JobCounts = {
      waiting: (raw.waiting ?? 0) + (raw.prioritized ?? 0),
      active: raw.active ?? 0,
      delayed: raw.delayed ?? 0,
      failed: raw.failed ?? 0,
      completed: raw.completed ?? 0,
    };
    return {
      name: f.name,
      title: f.title,
      enabled: f.enabled,
      schedule: { everyMs: f.everyMs },
      cursor: cursor ?? null,
      lastPollAt: status.lastSuccessAt ?? null,
      lastError: status.lastError ?? null,
      lastErrorAt: status.lastErrorAt ?? null,
      lastPollCounts: status.counts ?? null,
      counts,
      paused,
      lagSeconds: lagOf(status.lastSuccessAt),
      writtenToday,
      cutover: f.cutover ?? null,
      beforeCutover,
      ...(transports ? { transports } : {}),
    };
  }

  return {
    flowNames: () => names,
    documentFlowNames: () => documentFlows,
    listFlows: () => Promise.all(flows.map(flowStatus)),
    async setPaused(flow, paused, by) {
      if (paused) {
        await pauses.pause(flow, by, now().toISOString());
        await flowQueue(flow).pause();
      } else {
        await flowQueue(flow).resume();
        await pauses.resume(flow);
      }
    },
    async queueGauges() {
      const statuses = await Promise.all(flows.map(flowStatus));
      return statuses.map((s) => ({ flow: s.name, counts: s.counts, lagSeconds: s.lagSeconds, paused: s.paused }));
    },
  };
}
