import type { Redis } from 'ioredis';
import { PermanentError, isClassified } from '@sync/errors';
import { kingdeeSourceSettingsFor, type AnyKingdeeSourceFlow, type SyncConfig } from '@sync/flows';
import type { KingdeeApi } from '@sync/kingdee';
import { keys, withLock, type PollCounts, type PollJob, type PollStatusStore } from '@sync/queue';
import { pollKingdeeSource, resyncKingdeeSource, type KingdeeSourcePollContext } from './poll-kingdee-source';

/** Names of the registered Kingdee-source flows that are enabled in `config`, in registry order. */
export function enabledKingdeeSourceFlows(config: SyncConfig, flows: Readonly<Record<string, AnyKingdeeSourceFlow>>): string[] {
  return Object.keys(flows).filter((name) => kingdeeSourceSettingsFor(config, name)?.enabled === true);
}

/** What the poller service hands over for one poll of a Kingdee-source flow. */
export interface KingdeeSourcePollDeps {
  redis: Redis;
  prefix: string;
  statuses: PollStatusStore;
  pollLockTtlMs: number;
  now: () => Date;
}

/** Outcome of one poll or resync of a Kingdee-source flow (the poller's PollResult shape). */
export type KingdeeSourcePollResult =
  | { flow: string; counts: PollCounts; cursor?: string; resync?: true }
  | { flow: string; skipped: string };

/**
 * One poll of a Kingdee-source flow: its cursor scan under the per-flow poll lock (a concurrent poll returns
 * `skipped`), recording the poll status; or a resync (numbers or a modify-date range) that never moves the
 * cursor. Throws the Kingdee client's classified errors (cursor unchanged past the last enqueued page).
 */
export async function pollKingdeeSourceOnce(
  deps: KingdeeSourcePollDeps,
  ctx: KingdeeSourcePollContext,
  resync?: PollJob['resync'],
): Promise<KingdeeSourcePollResult> {
  const flow = ctx.flow.name;
  if (resync) {
    const origin = `resync-${deps.now().toISOString()}`;
    const counts = await resyncKingdeeSource(ctx, resync, origin);
    ctx.logger.info({ counts, resync }, 'resync enqueued');
    return { flow, counts, resync: true };
  }
  const outcome = await withLock(deps.redis, keys.pollLock(deps.prefix, flow), deps.pollLockTtlMs, async () => {
    try {
      const res = await pollKingdeeSource(ctx);
      await deps.statuses.recordSuccess(flow, { at: deps.now().toISOString(), counts: res.counts, cursor: res.cursor });
      ctx.logger.info({ counts: res.counts, cursor: res.cursor }, 'poll done');
      return res;
    } catch (err) {
      const code = isClassified(err) ? err.code : 'UNEXPECTED';
      const message = err instanceof Error ? err.message : String(err);
      await deps.statuses.recordError(flow, { at: deps.now().toISOString(), code, message }).catch(() => undefined);
      throw err;
    }
  });
  if (!outcome.acquired) return { flow, skipped: 'another poll of this flow is running' };
  return { flow, counts: outcome.value.counts, cursor: outcome.value.cursor };
}

/** The Kingdee client, or a CONFIG_INVALID error naming the flows that need one. */
export function requireKingdee(kingdee: KingdeeApi | undefined, flows: string[]): KingdeeApi {
  if (kingdee) return kingdee;
  throw new PermanentError('CONFIG_INVALID', `flow(s) ${flows.join(', ')} read Kingdee: the poller needs a Kingdee client (set KINGDEE_* variables)`);
}
