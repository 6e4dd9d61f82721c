import type { DocumentFlowSettings } from '@sync/config';
import type { JstApi } from '@sync/jushuitan';
import type { Logger } from '@sync/logger';
import type { CursorStore, DocumentQueue, enqueueDocuments } from '@sync/queue';
import type { AnyFlow } from './any-flow';
import type { ResolvedCutover } from './cutover';
import { prepareRows } from './jst-prepare-rows';
import { jstTsSource } from './jst-ts-source';
import { jstWindowSource } from './jst-window-source';
import type { PageDocuments, PollSink, Source } from './poll-core';

/** Everything one poll of one JST flow (one transport of it) needs. */
export interface JstPollContext {
  jst: JstApi;
  flow: AnyFlow;
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

/** The flow's JST source for the poll core: by row version (`cursor.kind: ts`) or by modified-time window. */
export function jstSource(ctx: JstPollContext): Source {
  return ctx.flow.source.cursor.kind === 'ts' ? jstTsSource(ctx) : jstWindowSource(ctx);
}
