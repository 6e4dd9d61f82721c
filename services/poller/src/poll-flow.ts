import type { DocumentFlowSettings } from '@sync/config';
import { PermanentError } from '@sync/errors';
import type { AnyDocumentFlow, FlowSourceSpec } from '@sync/flows';
import { defaultReadTs, formatBeijingTime, JST_MAX_WINDOW_DAYS, parseBeijingTime, splitBeijingWindows, type JstApi } from '@sync/jushuitan';
import type { Logger } from '@sync/logger';
import type { CursorStore, DocumentQueue, enqueueDocuments, PollCounts } from '@sync/queue';
import { noCutoverError, type ResolvedCutover } from './cutover';
import { prepareRows } from './prepare-rows';
import { rawRowKey } from './source-ids';
import { initialWindowCursor, nextWindow } from './window-cursor';

const HOUR_MS = 3_600_000;
/** Most windows one poll of a window flow reads while catching up (a cursor far behind now). */
export const MAX_WINDOWS_PER_POLL = 50;
/** Prefix of a ts flow's cursor while no row modified since the cutover was found yet: `from:<Beijing time>`. */
export const TS_SEARCH_PREFIX = 'from:';

/** Everything one poll of one flow needs. */
export interface PollContext {
  jst: JstApi;
  /** The flow, its `source` the one its settings pick (flowSource) or the transport's (qimenSource). */
  flow: AnyDocumentFlow;
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
  /**
   * The flow's cutover: ready documents dated before it are skipped (never enqueued) and, without a cursor,
   * reading starts there. Absent: nothing is skipped, and a flow without a cursor (and no schedule.startTs /
   * startFrom) refuses to poll. A resync with `ignoreCutover` runs without it.
   */
  cutover?: ResolvedCutover;
  /** Records the documents skipped as dated before the cutover (GET /flows counts them). */
  onBeforeCutover?: (docIds: string[]) => Promise<void>;
}

/** Largest number of ids JST accepts in one id-list filter. */
export const RESYNC_ID_BATCH = 50;

export function emptyCounts(): PollCounts {
  return { seen: 0, ready: 0, invalid: 0, enqueued: 0, duplicates: 0, beforeCutover: 0 };
}

/** The counts of a resync, and whether an operator cancelled it before the end. */
export type ResyncCounts = PollCounts & { cancelled?: true };

/** Prepares and enqueues one page of rows, adding to `counts`. Throws what enqueue throws. */
async function enqueuePage(ctx: PollContext, rows: unknown[], origin: string, counts: PollCounts): Promise<void> {
  const prepared = prepareRows(ctx.flow, rows, ctx.cutover);
  if (prepared.beforeCutover.length && ctx.cutover) {
    const sample = prepared.beforeCutover.slice(0, 20).map((d) => `${d.docId} (${d.field} ${d.at})`);
    ctx.logger.info(
      { beforeCutover: prepared.beforeCutover.length, cutover: ctx.cutover.text, cutoverKey: ctx.cutover.key, docs: sample },
      `skipped ${prepared.beforeCutover.length} document(s) dated before the cutover ${ctx.cutover.text} (${ctx.cutover.key}): keyed into Kingdee by hand before go-live, never written`,
    );
    await ctx.onBeforeCutover?.(prepared.beforeCutover.map((d) => d.docId));
  }
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
  counts.beforeCutover += prepared.beforeCutover.length;
}

/**
 * Where a ts flow without a usable `start_ts` cursor starts: `stored` is undefined (first start) or a search mark
 * `from:<Beijing time>`. Returns a start_ts (the largest ts already handled: rows with a greater ts are read next),
 * or a new search mark when no row modified since the cutover exists yet.
 *
 * rowversions grow with every change, so the rows modified on or after the cutover are exactly those from the
 * smallest ts among them on. A first call (`start_ts` 1, one row) finds the oldest row JST still returns: when it
 * was modified after the cutover (minus the look-back), everything JST returns is read. Otherwise modified-time
 * windows from the cutover minus the look-back (1 hour, doubling up to the 7 days JST allows, reference §3.2) are
 * read until one holds rows: the smallest ts in it, minus one, is the start. Starting early only costs reading;
 * the cutover filter skips what is dated before it.
 */
async function startTsFromCutover(ctx: PollContext, cutover: ResolvedCutover, stored: string | undefined): Promise<string> {
  const lookbackMs = ctx.settings.schedule.lookbackSeconds * 1000;
  const path = ctx.flow.source.path;
  let from = cutover.ms;
  if (stored?.startsWith(TS_SEARCH_PREFIX)) {
    from = parseBeijingTime(stored.slice(TS_SEARCH_PREFIX.length)) ?? cutover.ms;
  } else {
    // The documented first call of a ts scan (start_ts 1, reference §3.3), one row: the oldest row JST returns.
    for await (const page of ctx.jst.scanByTs(path, '1', { pageSize: 1 })) {
      const oldest = page.rows[0] as { modified?: unknown } | undefined;
      const modified = typeof oldest?.modified === 'string' ? parseBeijingTime(oldest.modified) : undefined;
      if (modified !== undefined && modified >= cutover.ms - lookbackMs) {
        ctx.logger.info({ cutover: cutover.text, oldestModified: oldest?.modified }, 'every row JST returns was modified after the cutover: reading from the first');
        return '1';
      }
      break;
    }
  }
  const until = Math.floor((ctx.now().getTime() - ctx.settings.schedule.lagSeconds * 1000) / 1000) * 1000;
  let begin = Math.floor((from - lookbackMs) / 1000) * 1000;
  let span = HOUR_MS;
  while (begin < until) {
    const end = Math.min(begin + span, until);
    let min: bigint | undefined;
    const window = { begin: formatBeijingTime(begin), end: formatBeijingTime(end) };
    for await (const rows of ctx.jst.scanWindow(path, window, { key: rawRowKey(ctx.flow.source.idField) })) {
      for (const row of rows) {
        let ts: bigint;
        try {
          ts = BigInt(defaultReadTs(row));
        } catch {
          continue;
        }
        if (min === undefined || ts < min) min = ts;
      }
    }
    if (min !== undefined) {
      const start = (min > 0n ? min - 1n : 0n).toString();
      ctx.logger.info({ cutover: cutover.text, window, startTs: start }, 'first start_ts found from the cutover');
      return start;
    }
    begin = end;
    span = Math.min(span * 2, JST_MAX_WINDOW_DAYS * 24 * HOUR_MS);
  }
  // Searched up to `begin`: the next poll searches on from there, minus the look-back again.
  return `${TS_SEARCH_PREFIX}${formatBeijingTime(Math.max(begin, from))}`;
}

/**
 * ts mode: scans from the stored cursor (else schedule.startTs, else the start found from the cutover) and, after
 * each page is enqueued, stores that page's maxTs. A failure mid-scan leaves the cursor at the last fully enqueued
 * page. Throws PermanentError CONFIG_INVALID when there is no cursor, no startTs and no cutover.
 */
export async function pollByTs(ctx: PollContext): Promise<{ counts: PollCounts; cursor: string }> {
  const counts = emptyCounts();
  const stored = await ctx.cursors.get(ctx.flow.name);
  let cursor: string;
  if (stored !== undefined && !stored.startsWith(TS_SEARCH_PREFIX)) cursor = stored;
  else if (stored === undefined && ctx.settings.schedule.startTs !== undefined) cursor = String(ctx.settings.schedule.startTs);
  else if (ctx.cutover) {
    cursor = await startTsFromCutover(ctx, ctx.cutover, stored);
    await ctx.cursors.set(ctx.flow.name, cursor);
    if (cursor.startsWith(TS_SEARCH_PREFIX)) return { counts, cursor };
  } else throw noCutoverError(ctx.flow.name);
  for await (const page of ctx.jst.scanByTs(ctx.flow.source.path, cursor)) {
    await enqueuePage(ctx, page.rows, 'poll', counts);
    await ctx.cursors.set(ctx.flow.name, page.maxTs);
    cursor = page.maxTs;
  }
  return { counts, cursor };
}

/**
 * Window mode: reads [cursor − lookback, min(begin + 7 days, now − lag)] with the flow's filters, enqueues every
 * page, then stores the window end as the cursor; repeats (up to MAX_WINDOWS_PER_POLL windows) while the cursor
 * is more than one window behind. Without a cursor it starts at schedule.startFrom, else the cutover; with
 * neither it throws PermanentError CONFIG_INVALID. Nothing to read yet → no call, cursor unchanged.
 */
export async function pollByWindow(ctx: PollContext): Promise<{ counts: PollCounts; cursor: string }> {
  const counts = emptyCounts();
  const filters = ctx.flow.source.cursor.kind === 'window' ? ctx.flow.source.cursor.filters : {};
  let cursor = await ctx.cursors.get(ctx.flow.name);
  if (cursor === undefined) {
    if (ctx.settings.schedule.startFrom === undefined && !ctx.cutover) throw noCutoverError(ctx.flow.name);
    cursor = initialWindowCursor(ctx.settings.schedule, ctx.cutover?.ms, ctx.flow.name);
  }
  for (let i = 0; i < MAX_WINDOWS_PER_POLL; i++) {
    const next = nextWindow(cursor, ctx.settings.schedule, ctx.now(), ctx.flow.name);
    if (!next) break;
    for await (const rows of ctx.jst.scanWindow(ctx.flow.source.path, next.window, { filters, key: rawRowKey(ctx.flow.source.idField) })) {
      await enqueuePage(ctx, rows, 'poll', counts);
    }
    await ctx.cursors.set(ctx.flow.name, next.nextCursor);
    cursor = next.nextCursor;
    // Caught up: this window reached now − lag (only a window cut at 7 days leaves more to read).
    if (parseBeijingTime(next.window.end)! >= ctx.now().getTime() - ctx.settings.schedule.lagSeconds * 1000 - 1000) break;
  }
  return { counts, cursor };
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
    for await (const rows of ctx.jst.scanWindow(ctx.flow.source.path, window, { filters, key: rawRowKey(ctx.flow.source.idField) })) {
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
export async function* scanByIds(jst: JstApi, flowName: string, source: FlowSourceSpec, docIds: readonly string[], cancelled?: () => Promise<boolean>): AsyncGenerator<unknown[], 'cancelled' | 'done'> {
  const { path, idFilter } = source;
  if (!idFilter) {
    throw new PermanentError('CONFIG_INVALID', `reading by document id is not supported for flow ${flowName} (${path}); use a time range instead`, { flow: flowName });
  }
  const { key } = idFilter;
  const batchSize = Math.min(RESYNC_ID_BATCH, idFilter.max);
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
  const pages = scanByIds(ctx.jst, ctx.flow.name, ctx.flow.source, docIds, ctx.cancelled);
  for (;;) {
    const next = await pages.next();
    if (next.done) return next.value === 'cancelled' ? { ...counts, cancelled: true } : counts;
    await enqueuePage(ctx, next.value, origin, counts);
  }
}
