import { defaultReadTs, formatBeijingTime, JST_MAX_WINDOW_DAYS, parseBeijingTime } from '@sync/jushuitan';
import { noCutoverError, type ResolvedCutover } from './cutover';
import { jstDocuments, readByTs, readWindow, type JstPollContext } from './jst-source';
import type { Source, SourceStart } from './poll-core';

const HOUR_MS = 3_600_000;
/** Prefix of a ts flow's cursor while no row modified since the cutover was found yet: `from:<Beijing time>`. */
export const TS_SEARCH_PREFIX = 'from:';

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
async function startTsFromCutover(ctx: JstPollContext, cutover: ResolvedCutover, stored: string | undefined): Promise<string> {
  const lookbackMs = ctx.settings.schedule.lookbackSeconds * 1000;
  let from = cutover.ms;
  if (stored?.startsWith(TS_SEARCH_PREFIX)) {
    from = parseBeijingTime(stored.slice(TS_SEARCH_PREFIX.length)) ?? cutover.ms;
  } else {
    // The documented first call of a ts scan (start_ts 1, reference §3.3), one row: the oldest row JST returns.
    for await (const page of readByTs(ctx, '1', 1)) {
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
    for await (const rows of readWindow(ctx, window)) {
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
 * A JST flow read by row version (start_ts paging). Starts at the stored cursor, else schedule.startTs, else the
 * start found from the cutover (stored at once; a search mark ends the poll there). Each page's cursor is its
 * maxTs. Throws PermanentError CONFIG_INVALID when there is no cursor, no startTs and no cutover.
 */
export function jstTsSource(ctx: JstPollContext): Source {
  return {
    async start(stored): Promise<SourceStart> {
      if (stored !== undefined && !stored.startsWith(TS_SEARCH_PREFIX)) return { cursor: stored };
      if (stored === undefined && ctx.settings.schedule.startTs !== undefined) return { cursor: String(ctx.settings.schedule.startTs) };
      if (!ctx.cutover) throw noCutoverError(ctx.flow.name);
      const cursor = await startTsFromCutover(ctx, ctx.cutover, stored);
      return cursor.startsWith(TS_SEARCH_PREFIX) ? { cursor, store: true, idle: true } : { cursor, store: true };
    },
    async *scan(cursor) {
      for await (const page of readByTs(ctx, cursor)) yield { rows: page.rows, cursor: page.maxTs };
    },
    documents: jstDocuments(ctx),
  };
}
