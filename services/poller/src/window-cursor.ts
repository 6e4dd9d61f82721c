import type { DocumentFlowSettings } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { formatBeijingTime, JST_MAX_WINDOW_DAYS, parseBeijingTime, type BeijingWindow } from '@sync/jushuitan';

const DAY_MS = 86_400_000;

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
