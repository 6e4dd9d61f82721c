import { transportServesShop, transportSettingsOf, transportsOf, type TransportSettings } from '@sync/config';
import { PermanentError, isClassified } from '@sync/errors';
import { qimenSource, TRANSPORT_KEY } from '@sync/flows';
import type { JstApi } from '@sync/jushuitan';
import { transportCursorName, transportStatusName, type CursorStore, type JstTransport, type PollStatusStore } from '@sync/queue';
import { resyncIds, resyncWindow } from './jst-resync';
import { jstSink, jstSource, type JstPollContext, type JstReading } from './jst-source';
import { addCounts, emptyCounts, pollSource, type PollOutcome, type ResyncCounts } from './poll-core';

/** One transport's view of a flow poll: its JST client, shops, source, cursor name and status name. */
export interface TransportPoll {
  transport: JstTransport;
  ctx: JstPollContext;
  /** Where its own poll status is recorded; undefined for a flow on the open API only (the flow's status is its). */
  statusName?: string;
}

/**
 * The transports a flow polls under its settings (`transport: openweb | qimen | both`), each as a JstPollContext the
 * JST sources read unchanged: the Qimen one reads the flow's Qimen method through `qimen` (its page size), keeps its
 * cursor under `<flow>@qimen`, and stamps its rows `_transport: qimen`; each keeps only the rows of the shops it
 * serves (a row without a readable shop is kept: its schema names what is wrong). Pure apart from the wrappers it builds.
 * @throws PermanentError CONFIG_INVALID when the flow needs Qimen and there is no Qimen client or method.
 */
export function transportPolls(base: JstPollContext, qimen: JstApi | undefined): TransportPoll[] {
  const t = transportSettingsOf(base.settings);
  if (t.transport === 'openweb' && t.openweb.shops === 'all') return [{ transport: 'openweb', ctx: base }];
  return transportsOf(t.transport).map((transport): TransportPoll => {
    const statusName = transportStatusName(base.flow.name, transport);
    if (transport === 'openweb') return { transport, statusName, ctx: { ...base, reading: shopReading(t, 'openweb') } };
    const source = qimenSource(base.flow, t.qimen);
    if (!source) throw new PermanentError('CONFIG_INVALID', `flow ${base.flow.name} has no Qimen method: set flows.${base.flow.name}.transport to openweb`, { flow: base.flow.name, field: 'transport' });
    if (!qimen) {
      throw new PermanentError('CONFIG_INVALID', `flow ${base.flow.name} reads through Qimen (transport: ${t.transport}) but the poller has no Qimen client: set JST_QIMEN_APP_KEY, JST_QIMEN_APP_SECRET and JST_QIMEN_CUSTOMER_ID`, { flow: base.flow.name, field: 'transport' });
    }
    return {
      transport,
      statusName,
      ctx: {
        ...base,
        jst: qimen,
        reading: shopReading(t, 'qimen', t.qimen.pageSize),
        flow: { ...base.flow, source },
        cursors: renamedCursors(base.cursors, transport),
        // The same cutover, compared with the business date of the rows Qimen returns.
        cutover: base.cutover && { ...base.cutover, field: source.businessDate },
      },
    };
  });
}

/** The cursor store seen by one transport: the flow's name mapped to the transport's cursor name. */
function renamedCursors(store: CursorStore, transport: JstTransport): CursorStore {
  return {
    get: (flow) => store.get(transportCursorName(flow, transport)),
    set: (flow, value) => store.set(transportCursorName(flow, transport), value),
    reset: (flow) => store.reset(transportCursorName(flow, transport)),
  };
}

function shopOf(row: unknown): number | undefined {
  const v = typeof row === 'object' && row !== null ? (row as { shop_id?: unknown }).shop_id : undefined;
  const n = typeof v === 'number' ? v : typeof v === 'string' && /^\d+$/.test(v.trim()) ? Number(v) : NaN;
  return Number.isSafeInteger(n) ? n : undefined;
}

/** How `transport` reads under `t`: the rows of the shops it serves, stamped with the transport when it is Qimen. */
function shopReading(t: TransportSettings, transport: JstTransport, pageSize?: number): JstReading {
  const keep = (rows: unknown[]): unknown[] => {
    const out: unknown[] = [];
    for (const row of rows) {
      const shop = shopOf(row);
      if (shop !== undefined && !transportServesShop(t, transport, shop)) continue;
      out.push(transport === 'qimen' && typeof row === 'object' && row !== null ? { ...row, [TRANSPORT_KEY]: 'qimen' } : row);
    }
    return out;
  };
  return { transport, pageSize, keep };
}

/**
 * Polls every transport of a flow in turn (open API first) through the poll core, each on its own cursor, recording
 * each one's status under its own name when it has one; the outcome's cursor is the first transport's. A failing
 * transport does not stop the others (a Qimen outage leaves the open-API shops flowing); after all ran, a failure
 * is thrown (the caller records it as the flow's): an AUTH_FAILED one when there is one, so the alert on
 * authentication failures sees it, else the first.
 */
export async function pollTransports(polls: TransportPoll[], statuses: PollStatusStore, now: () => Date): Promise<PollOutcome> {
  const counts = emptyCounts();
  let cursor: string | undefined;
  let failure: unknown;
  for (const { ctx, statusName } of polls) {
    try {
      const res = await pollSource(jstSource(ctx), jstSink(ctx));
      addCounts(counts, res.counts);
      cursor ??= res.cursor;
      if (statusName) await statuses.recordSuccess(statusName, { at: now().toISOString(), counts: res.counts, cursor: res.cursor });
    } catch (err) {
      if (failure === undefined || (err instanceof PermanentError && err.code === 'AUTH_FAILED')) failure = err;
      const code = isClassified(err) ? err.code : 'UNEXPECTED';
      const message = err instanceof Error ? err.message : String(err);
      ctx.logger.warn({ transport: statusName, error: code }, 'poll of one transport failed; the others go on');
      if (statusName) await statuses.recordError(statusName, { at: now().toISOString(), code, message }).catch(() => undefined);
    }
  }
  if (failure !== undefined) throw failure;
  return { counts, cursor: cursor ?? '' };
}

/**
 * A resync over every transport: a time range is read through each; document ids only through the open API
 * (Qimen's id filters are unconfirmed, jst-qimen.md §7.6). Counts are summed.
 * @throws PermanentError CONFIG_INVALID for ids on a flow that reads through Qimen only.
 */
export async function resyncTransports(polls: TransportPoll[], resync: { docIds: string[] } | { from: string; to: string }, origin: string): Promise<ResyncCounts> {
  const total: ResyncCounts = emptyCounts();
  const targets = 'docIds' in resync ? polls.filter((p) => p.transport === 'openweb') : polls;
  if (!targets.length) {
    throw new PermanentError('CONFIG_INVALID', `resync by document id goes through the open API, which flow ${polls[0]?.ctx.flow.name ?? ''} does not read; resync a time range instead`, { field: 'resync' });
  }
  for (const { ctx } of targets) {
    const res = 'docIds' in resync ? await resyncIds(ctx, resync.docIds, origin) : await resyncWindow(ctx, resync.from, resync.to, origin);
    addCounts(total, res);
    if (res.cancelled) return { ...total, cancelled: true };
  }
  return total;
}

/** Enabled flows whose settings read through Qimen (`transport: qimen | both`): the poller then needs a Qimen client. */
export function flowsReadingQimen(flows: Record<string, { enabled?: boolean } | undefined>): string[] {
  return Object.entries(flows)
    .filter(([, s]) => s?.enabled === true && transportSettingsOf(s).transport !== 'openweb')
    .map(([name]) => name);
}
