import type { DocumentFlowSettings } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { formatBeijingTime, JST_MAX_WINDOW_DAYS, parseBeijingTime, type BeijingWindow } from '@sync/jushuitan';
import { noCutoverError } from './cutover';
import { jstDocuments, readWindow, type JstPollContext } from './jst-source';
import type { Source } from './poll-core';

const DAY_MS = 86_400_000;
/** Most windows one poll of a window flow reads while catching up (a cursor far behind now). */
export const MAX_WINDOWS_PER_POLL = 50;

/**
 * Where a window-mode flow starts without a cursor: schedule.startFrom (an expert override), else the cutover
 * (epoch ms). Throws PermanentError CONFIG_INVALID for an unreadable startFrom, or when neither is given.
 */
export function initialWindowCursor(schedule: DocumentFlowSettings['schedule'], cutoverMs: number | undefined, flow: string): string {
  if (schedule.startFrom !== undefined) {
    const ms = parseBeijingTime(schedule.startFrom);
    if (ms === undefined) {
      throw new PermanentError('CONFIG_INVALID', `flows.${flow}.schedule.startFrom is not a datetime: ${schedule.startFrom}`, { flow, field: 'schedule.startFrom' });
    }
    return formatBeijingTime(ms);
  }
  if (cutoverMs === undefined) throw new PermanentError('CONFIG_INVALID', `flow ${flow} has no cursor, no schedule.startFrom and no cutover`, { flow, field: 'cutover' });
  return formatBeijingTime(cutoverMs);
}

/**
 * Pure: the next modified-time window of a window-mode flow, or undefined when there is nothing to read yet.
 * begin = cursor − lookback; end = min(begin + 7 days, now − lag) (the span JST accepts); the next cursor is
 * the window end (never moved backwards). Throws PermanentError CONFIG_INVALID for an unreadable cursor.
 */
export function nextWindow(
  cursor: string,
  schedule: Pick<DocumentFlowSettings['schedule'], 'lookbackSeconds' | 'lagSeconds'>,
  now: Date,
  flow: string,
): { window: BeijingWindow; nextCursor: string } | undefined {
  const cursorMs = parseBeijingTime(cursor);
  if (cursorMs === undefined) {
    throw new PermanentError('CONFIG_INVALID', `cursor of flow ${flow} is not a Beijing datetime: ${cursor} (reset it)`, { flow, field: 'cursor' });
  }
  const begin = Math.floor((cursorMs - schedule.lookbackSeconds * 1000) / 1000) * 1000;
  const end = Math.floor(Math.min(begin + JST_MAX_WINDOW_DAYS * DAY_MS, now.getTime() - schedule.lagSeconds * 1000) / 1000) * 1000;
  if (end <= begin) return undefined;
  return {
    window: { begin: formatBeijingTime(begin), end: formatBeijingTime(end) },
    nextCursor: formatBeijingTime(Math.max(cursorMs, end)),
  };
}

/** The extra query keys of a window flow (status, date_type ...). */
export function windowFilters(ctx: JstPollContext): Record<string, unknown> {
  return ctx.flow.source.cursor.kind === 'window' ? ctx.flow.source.cursor.filters : {};
}

/**
 * A JST flow read by modified-time window: [cursor − lookback, min(begin + 7 days, now − lag)] with the flow's
 * filters; the window end becomes the cursor once every page of the window is enqueued. While the cursor is more
 * than one window behind it reads on (up to MAX_WINDOWS_PER_POLL windows). Without a cursor it starts at
 * schedule.startFrom, else the cutover; with neither it throws PermanentError CONFIG_INVALID. Nothing to read
 * yet → no call, cursor unchanged.
 */
export function jstWindowSource(ctx: JstPollContext): Source {
  const { schedule } = ctx.settings;
  return {
    async start(stored) {
      if (stored !== undefined) return { cursor: stored };
      if (schedule.startFrom === undefined && !ctx.cutover) throw noCutoverError(ctx.flow.name);
      return { cursor: initialWindowCursor(schedule, ctx.cutover?.ms, ctx.flow.name) };
    },
    async *scan(cursor) {
      for (let i = 0; i < MAX_WINDOWS_PER_POLL; i++) {
        const next = nextWindow(cursor, schedule, ctx.now(), ctx.flow.name);
        if (!next) return;
        for await (const rows of readWindow(ctx, next.window, windowFilters(ctx))) yield { rows };
        yield { rows: [], cursor: next.nextCursor };
        cursor = next.nextCursor;
        // Caught up: this window reached now − lag (only a window cut at 7 days leaves more to read).
        if (parseBeijingTime(next.window.end)! >= ctx.now().getTime() - schedule.lagSeconds * 1000 - 1000) return;
      }
    },
    documents: jstDocuments(ctx),
  };
}
