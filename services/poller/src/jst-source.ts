import type { DocumentFlowSettings } from '@sync/config';
import { scanByTsWith, scanWindowWith, type BeijingWindow, type JstApi } from '@sync/jushuitan';
import type { Logger } from '@sync/logger';
import type { CursorStore, DocumentQueue, enqueueDocuments, JstTransport } from '@sync/queue';
import type { AnyDocumentFlow } from '@sync/flows';
import type { ResolvedCutover } from './cutover';
import { prepareRows } from './jst-prepare-rows';
import { jstTsSource } from './jst-ts-source';
import { jstWindowSource } from './jst-window-source';
import { rawRowKey } from './source-ids';
import type { PageDocuments, PollSink, Source } from './poll-core';

/** How one transport reads its pages (jst-transports.ts): absent for the open API serving every shop. */
export interface JstReading {
  transport: JstTransport;
  /** Rows per page; default the scan's (50). */
  pageSize?: number;
  /** The rows of a page this transport keeps (its shops), stamped with the transport where it says so. */
  keep: (rows: unknown[]) => unknown[];
}

/** Everything one poll of one JST flow (one transport of it) needs. */
export interface JstPollContext {
  /** The open API or Qimen client; every scan reads through its `queryPage`. */
  jst: JstApi;
  reading?: JstReading;
  /** Passes of a window scan at most (scanWindowWith's maxPasses); 1 turns the re-read off (tests prove it is needed). */
  windowPasses?: number;
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

/** Where a JST poll's documents and cursor go. */
export function jstSink(ctx: JstPollContext): PollSink {
  return { flow: ctx.flow.name, cursors: ctx.cursors, queue: ctx.queue, enqueue: ctx.enqueue, now: ctx.now, jobIdSuffix: ctx.jobIdSuffix };
}

/**
 * What JST rows are as documents (see prepareRows): rows dated before the cutover are logged and recorded, never
 * enqueued; rows without a readable id go under a synthetic one (logged); reversals only for documents the ledger
 * knows (`isSynced`).
 */
export function jstDocuments(ctx: JstPollContext): (rows: unknown[]) => Promise<PageDocuments> {
  return async (rows) => {
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
    return { docs, counts: { seen: prepared.seen, ready: prepared.ready, invalid: prepared.invalid, beforeCutover: prepared.beforeCutover.length } };
  };
}

/**
 * The flow's rows by row version from `startTs` (scanByTsWith over the client's queryPage), as the transport keeps
 * them. Filtering happens on what the scan yields (not inside its pages), so a page whose rows all belong to other
 * shops still moves the cursor and never ends a scan early.
 */
export async function* readByTs(ctx: JstPollContext, startTs: string, pageSize = ctx.reading?.pageSize): AsyncGenerator<{ rows: unknown[]; maxTs: string }> {
  const path = ctx.flow.source.path;
  for await (const page of scanByTsWith((p, b) => ctx.jst.queryPage(p, b), path, startTs, { pageSize })) {
    if (ctx.reading?.transport === 'qimen') {
      const unversioned = page.rows.filter((r) => typeof r !== 'object' || r === null || (r as { ts?: unknown }).ts === undefined).length;
      // Whether Qimen rows carry ts is unconfirmed (jst-qimen.md §7.3): without it start_ts cannot advance.
      if (unversioned) ctx.logger.warn({ method: path, rows: unversioned }, 'Qimen rows carry no ts, so start_ts paging cannot advance: set qimen.cursor: window for this flow');
    }
    yield { rows: ctx.reading ? ctx.reading.keep(page.rows) : page.rows, maxTs: page.maxTs };
  }
}

/** The flow's rows of one modified-time window (scanWindowWith over the client's queryPage), as the transport keeps them. */
export async function* readWindow(ctx: JstPollContext, window: BeijingWindow, filters?: Record<string, unknown>): AsyncGenerator<unknown[]> {
  const opts = { filters, key: rawRowKey(ctx.flow.source.idField), pageSize: ctx.reading?.pageSize, maxPasses: ctx.windowPasses };
  for await (const rows of scanWindowWith((p, b) => ctx.jst.queryPage(p, b), ctx.logger, ctx.flow.source.path, window, opts)) {
    const kept = ctx.reading ? ctx.reading.keep(rows) : rows;
    if (kept.length) yield kept;
  }
}

/** The flow's JST source for the poll core: by row version (`cursor.kind: ts`) or by modified-time window. */
export function jstSource(ctx: JstPollContext): Source {
  return ctx.flow.source.cursor.kind === 'ts' ? jstTsSource(ctx) : jstWindowSource(ctx);
}
