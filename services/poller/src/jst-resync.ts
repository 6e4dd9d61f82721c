import { PermanentError } from '@sync/errors';
import { splitBeijingWindows, type JstApi } from '@sync/jushuitan';
import { jstDocuments, jstSink, readWindow, type JstPollContext } from './jst-source';
import { windowFilters } from './jst-window-source';
import { resyncPages, type ResyncCounts } from './poll-core';
import type { FlowSourceSpec } from '@sync/flows';

/** Largest number of ids JST accepts in one id-list filter. */
export const RESYNC_ID_BATCH = 50;

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

/** Every row of a Beijing-time range of any length, in ≤ 7-day windows; `cancelled` is checked between windows. */
async function* scanRange(ctx: JstPollContext, from: string, to: string): AsyncGenerator<unknown[], 'cancelled' | 'done'> {
  let windows;
  try {
    windows = splitBeijingWindows(from, to);
  } catch (e) {
    throw new PermanentError('CONFIG_INVALID', `resync of ${ctx.flow.name}: bad range ${from} .. ${to}: ${(e as Error).message}`, { flow: ctx.flow.name, field: 'resync' });
  }
  for (const window of windows) {
    if (await ctx.cancelled?.()) return 'cancelled';
    yield* readWindow(ctx, window, windowFilters(ctx));
  }
  return 'done';
}

/** Resync of a Beijing-time range of any length, in ≤ 7-day windows. Never touches the cursor. */
export function resyncWindow(ctx: JstPollContext, from: string, to: string, origin: string): Promise<ResyncCounts> {
  return resyncPages({ documents: jstDocuments(ctx) }, jstSink(ctx), scanRange(ctx, from, to), origin);
}

/** Resync of given document ids, in batches of ≤ 50 through the endpoint's id-list filter. Never touches the cursor. */
export function resyncIds(ctx: JstPollContext, docIds: string[], origin: string): Promise<ResyncCounts> {
  return resyncPages({ documents: jstDocuments(ctx) }, jstSink(ctx), keptIds(ctx, docIds), origin);
}

/** scanByIds as the transport keeps the rows (its shops). */
async function* keptIds(ctx: JstPollContext, docIds: string[]): AsyncGenerator<unknown[], 'cancelled' | 'done'> {
  const pages = scanByIds(ctx.jst, ctx.flow.name, ctx.flow.source, docIds, ctx.cancelled);
  for (;;) {
    const next = await pages.next();
    if (next.done) return next.value;
    yield ctx.reading ? ctx.reading.keep(next.value) : next.value;
  }
}
