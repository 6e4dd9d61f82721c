import type { DocumentFlowSettings } from '@sync/config';
import { PermanentError } from '@sync/errors';
import type { DocumentFlow } from '@sync/flows';
import { splitBeijingWindows, type JstApi } from '@sync/jushuitan';
import type { Logger } from '@sync/logger';
import type { CursorStore, DocumentQueue, enqueueDocuments, PollCounts } from '@sync/queue';
import { prepareRows } from './prepare-rows';
import { ID_FILTER_KEYS, ID_FILTER_MAX, rawRowKey } from './source-ids';
import { initialWindowCursor, nextWindow } from './window-cursor';

/** Everything one poll of one flow needs. */
export interface PollContext {
  jst: JstApi;
  // Any flow of the registry, whatever its source type.
  flow: DocumentFlow<any, any>;
  settings: DocumentFlowSettings;
  queue: DocumentQueue;
  cursors: CursorStore;
  enqueue: typeof enqueueDocuments;
  now: () => Date;
  logger: Logger;
  /**
   * True when the document was written to Kingdee (the ledger knows it): its reversals (cancellations) are
   * enqueued. Absent → reversals are never enqueued.
   */
  isSynced?: (docId: string) => Promise<boolean>;
  /** True once an operator cancelled this resync: it stops between windows / id batches. */
  cancelled?: () => Promise<boolean>;
  /** A reconciliation repair: enqueue under fresh job ids (see enqueueDocuments). */
  jobIdSuffix?: string;
}

/** Largest number of ids JST accepts in one id-list filter. */
export const RESYNC_ID_BATCH = 50;

export function emptyCounts(): PollCounts {
  return { seen: 0, ready: 0, invalid: 0, enqueued: 0, duplicates: 0 };
}

/** The counts of a resync, and whether an operator cancelled it before the end. */
export type ResyncCounts = PollCounts & { cancelled?: true };

/** Prepares and enqueues one page of rows, adding to `counts`. Throws what enqueue throws. */
async function enqueuePage(ctx: PollContext, rows: unknown[], origin: string, counts: PollCounts): Promise<void> {
  const prepared = prepareRows(ctx.flow, rows);
  for (const { docId, row } of prepared.unreadable) {
    ctx.logger.error({ docId, row: JSON.stringify(row)?.slice(0, 500) }, 'JST row has no readable document id: enqueued under a synthetic id, it will be dead-lettered');
  }
  const docs = prepared.docs;
  if (ctx.isSynced) {
    for (const r of prepared.reversals) {
      if (await ctx.isSynced(r.docId)) docs.push(r);
    }
  }
  const res = await ctx.enqueue(ctx.queue, ctx.flow.name, docs, origin, { now: ctx.now, ...(ctx.jobIdSuffix && { jobIdSuffix: ctx.jobIdSuffix }) });
  counts.seen += prepared.seen;
  counts.ready += prepared.ready;
  counts.invalid += prepared.invalid;
  counts.enqueued += res.enqueued;
  counts.duplicates += res.duplicates;
}

/**
 * ts mode: scans from the stored cursor (else schedule.startTs) and, after each page is enqueued, stores that
 * page's maxTs. A failure mid-scan leaves the cursor at the last fully enqueued page.
 */
export async function pollByTs(ctx: PollContext): Promise<{ counts: PollCounts; cursor: string }> {
  const counts = emptyCounts();
  let cursor = (await ctx.cursors.get(ctx.flow.name)) ?? String(ctx.settings.schedule.startTs);
  for await (const page of ctx.jst.scanByTs(ctx.flow.source.path, cursor)) {
    await enqueuePage(ctx, page.rows, 'poll', counts);
    await ctx.cursors.set(ctx.flow.name, page.maxTs);
    cursor = page.maxTs;
  }
  return { counts, cursor };
}

/**
 * Window mode: reads [cursor − lookback, min(begin + 7 days, now − lag)] with the flow's filters, enqueues every
 * page, then stores the window end as the cursor. Nothing to read yet → no call, cursor unchanged.
 */
export async function pollByWindow(ctx: PollContext): Promise<{ counts: PollCounts; cursor: string }> {
  const counts = emptyCounts();
  const filters = ctx.flow.source.cursor.kind === 'window' ? ctx.flow.source.cursor.filters : {};
  const cursor = (await ctx.cursors.get(ctx.flow.name)) ?? initialWindowCursor(ctx.settings.schedule, ctx.now(), ctx.flow.name);
  const next = nextWindow(cursor, ctx.settings.schedule, ctx.now(), ctx.flow.name);
  if (!next) return { counts, cursor };
  for await (const rows of ctx.jst.scanWindow(ctx.flow.source.path, next.window, { filters, key: rawRowKey })) {
    await enqueuePage(ctx, rows, 'poll', counts);
  }
  await ctx.cursors.set(ctx.flow.name, next.nextCursor);
  return { counts, cursor: next.nextCursor };
}

/** Resync of a Beijing-time range of any length, in ≤ 7-day windows. Never touches the cursor. */
export async function resyncWindow(ctx: PollContext, from: string, to: string, origin: string): Promise<ResyncCounts> {
  const counts = emptyCounts();
  const filters = ctx.flow.source.cursor.kind === 'window' ? ctx.flow.source.cursor.filters : {};
  let windows;
  try {
    windows = splitBeijingWindows(from, to);
  } catch (e) {
    throw new PermanentError('CONFIG_INVALID', `resync of ${ctx.flow.name}: bad range ${from} .. ${to}: ${(e as Error).message}`, { flow: ctx.flow.name, field: 'resync' });
  }
  for (const window of windows) {
    if (await ctx.cancelled?.()) return { ...counts, cancelled: true };
    for await (const rows of ctx.jst.scanWindow(ctx.flow.source.path, window, { filters, key: rawRowKey })) {
      await enqueuePage(ctx, rows, origin, counts);
    }
  }
  return counts;
}

/**
 * Every row JST returns for `docIds` through the endpoint's id-list filter, in batches of ≤ 50 (fewer where the
 * endpoint takes fewer), page by page: yields each page's rows. `cancelled` is checked between batches (then it
 * returns early). Throws PermanentError CONFIG_INVALID when the endpoint has no id filter, and what JST throws.
 */
export async function* scanByIds(jst: JstApi, flowName: string, path: string, docIds: readonly string[], cancelled?: () => Promise<boolean>): AsyncGenerator<unknown[], 'cancelled' | 'done'> {
  const key = ID_FILTER_KEYS[path];
  if (!key) {
    throw new PermanentError('CONFIG_INVALID', `reading by document id is not supported for flow ${flowName} (${path}); use a time range instead`, { flow: flowName });
  }
  const batchSize = Math.min(RESYNC_ID_BATCH, ID_FILTER_MAX[path] ?? RESYNC_ID_BATCH);
  for (let i = 0; i < docIds.length; i += batchSize) {
    if (await cancelled?.()) return 'cancelled';
    const batch = docIds.slice(i, i + batchSize);
    for (let pageIndex = 1; ; pageIndex++) {
      const page = await jst.queryPage(path, { [key]: batch, page_index: pageIndex, page_size: RESYNC_ID_BATCH });
      yield page.datas;
      if (!page.hasNext || page.datas.length === 0) break;
    }
  }
  return 'done';
}

/** Resync of given document ids, in batches of ≤ 50 through the endpoint's id-list filter. Never touches the cursor. */
export async function resyncIds(ctx: PollContext, docIds: string[], origin: string): Promise<ResyncCounts> {
  const counts = emptyCounts();
  const pages = scanByIds(ctx.jst, ctx.flow.name, ctx.flow.source.path, docIds, ctx.cancelled);
  for (;;) {
    const next = await pages.next();
    if (next.done) return next.value === 'cancelled' ? { ...counts, cancelled: true } : counts;
    await enqueuePage(ctx, next.value, origin, counts);
  }
}
