import type { Redis } from 'ioredis';
import { isClassified } from '@sync/errors';
import type { Logger } from '@sync/logger';
import {
  createFlowPauseStore, keys, withLock,
  type CursorStore, type DocumentQueue, type DocumentToEnqueue, type enqueueDocuments, type PollCounts, type PollStatusStore,
} from '@sync/queue';

/**
 * The poll core: one algorithm for every source the poller reads (JST by row version, JST by modified-time window,
 * Kingdee by modify date). A source says where reading starts, how it pages from a cursor and what its rows are
 * as documents; the core reads the cursor, scans, enqueues each page and only then advances the cursor. The shell
 * around it (runScheduledPoll) holds the per-flow lock, honours an operator's pause and records the poll status.
 */

/** One page a source read: its raw rows, and where the cursor stands once they are enqueued. */
export interface SourcePage {
  rows: unknown[];
  /** The cursor after this page; absent when it does not move yet (a window is stored after its last page). */
  cursor?: string;
}

/** Where a scheduled poll starts reading. */
export interface SourceStart {
  cursor: string;
  /** Store `cursor` before scanning (it was found by reading, e.g. from the cutover). */
  store?: true;
  /** Nothing to scan this time: the poll ends at `cursor` with zero counts. */
  idle?: true;
}

/** What one page's rows are as documents to enqueue, and what they add to the counts. */
export interface PageDocuments {
  docs: DocumentToEnqueue[];
  counts: Pick<PollCounts, 'seen' | 'ready' | 'invalid' | 'beforeCutover'>;
}

/** The port a source implements for the core. */
export interface Source {
  /**
   * Where to start from the stored cursor (`undefined` on the first start).
   * @throws PermanentError CONFIG_INVALID when the source does not know where to start (no cursor, no cutover).
   */
  start(stored: string | undefined): Promise<SourceStart>;
  /** Pages from `cursor` on, in cursor order. Throws the client's classified errors. */
  scan(cursor: string): AsyncIterable<SourcePage>;
  /** Which rows of a page become documents, under which id and version. */
  documents(rows: unknown[]): Promise<PageDocuments>;
}

/** Where a source's documents and cursor go. */
export interface PollSink {
  /** The flow: its queue's job ids and (through `cursors`) its cursor key. */
  flow: string;
  cursors: CursorStore;
  queue: DocumentQueue;
  enqueue: typeof enqueueDocuments;
  now: () => Date;
  /** A reconciliation repair: enqueue under fresh job ids (see enqueueDocuments). */
  jobIdSuffix?: string;
}

export interface PollOutcome {
  counts: PollCounts;
  /** The cursor the poll ended at (stored). */
  cursor: string;
}

/** The counts of a resync, and whether an operator cancelled it before the end. */
export type ResyncCounts = PollCounts & { cancelled?: true };

export function emptyCounts(): PollCounts {
  return { seen: 0, ready: 0, invalid: 0, enqueued: 0, duplicates: 0, beforeCutover: 0 };
}

/** Adds `more` into `total` (in place) and returns it. */
export function addCounts<T extends PollCounts>(total: T, more: Partial<PollCounts>): T {
  for (const k of Object.keys(total) as (keyof PollCounts)[]) {
    if (typeof total[k] === 'number') total[k] += more[k] ?? 0;
  }
  return total;
}

/** Turns one page's rows into documents and enqueues them, adding to `counts`. Throws what enqueue throws. */
export async function enqueueRows(source: Pick<Source, 'documents'>, sink: PollSink, rows: unknown[], origin: string, counts: PollCounts): Promise<void> {
  if (rows.length === 0) return;
  const page = await source.documents(rows);
  const res = await sink.enqueue(sink.queue, sink.flow, page.docs, origin, { now: sink.now, ...(sink.jobIdSuffix && { jobIdSuffix: sink.jobIdSuffix }) });
  addCounts(counts, { ...page.counts, enqueued: res.enqueued, duplicates: res.duplicates });
}

/**
 * One scheduled scan: reads the stored cursor, asks the source where to start, then per page enqueues its documents
 * and only then stores the page's cursor. A failure mid-scan (reading or enqueueing) leaves the cursor at the last
 * fully enqueued page, so the next poll reads the failed page again (job ids drop what was already enqueued).
 * Throws what the source and the enqueue throw.
 */
export async function pollSource(source: Source, sink: PollSink): Promise<PollOutcome> {
  const counts = emptyCounts();
  const start = await source.start(await sink.cursors.get(sink.flow));
  let cursor = start.cursor;
  if (start.store) await sink.cursors.set(sink.flow, cursor);
  if (start.idle) return { counts, cursor };
  for await (const page of source.scan(cursor)) {
    await enqueueRows(source, sink, page.rows, 'poll', counts);
    if (page.cursor !== undefined) {
      await sink.cursors.set(sink.flow, page.cursor);
      cursor = page.cursor;
    }
  }
  return { counts, cursor };
}

/**
 * A resync: enqueues every page `pages` yields under `origin`, never touching the cursor. `pages` returns
 * 'cancelled' when an operator cancelled it between its reads; the counts then say so.
 */
export async function resyncPages(
  source: Pick<Source, 'documents'>,
  sink: PollSink,
  pages: AsyncGenerator<unknown[], 'cancelled' | 'done' | void>,
  origin: string,
): Promise<ResyncCounts> {
  const counts = emptyCounts();
  for (;;) {
    const next = await pages.next();
    if (next.done) return next.value === 'cancelled' ? { ...counts, cancelled: true } : counts;
    await enqueueRows(source, sink, next.value, origin, counts);
  }
}

/** What the shell of a scheduled poll needs. */
export interface ScheduledPollDeps {
  redis: Redis;
  prefix: string;
  statuses: PollStatusStore;
  /** TTL of the per-flow poll lock (ms), extended while the poll runs. */
  lockTtlMs: number;
  now: () => Date;
  /** The flow's logger. */
  logger: Logger;
}

/** A scheduled poll's outcome: what it did, or why it did not run. */
export type ScheduledPollResult = ({ ran: true } & PollOutcome) | { ran: false; skipped: string };

/**
 * The shell of every scheduled poll of `flow`: skipped while an operator paused the flow (the cursor stays put, so
 * resuming misses nothing) or while another poll of it holds the per-flow lock (a second replica is harmless);
 * otherwise runs `poll` under the lock and records its success (counts, cursor) or its error (code, message) as the
 * flow's poll status. Rethrows the poll's error.
 */
export async function runScheduledPoll(deps: ScheduledPollDeps, flow: string, poll: () => Promise<PollOutcome>): Promise<ScheduledPollResult> {
  if (await createFlowPauseStore(deps.redis, deps.prefix).isPaused(flow)) return { ran: false, skipped: 'flow is paused by an operator' };
  const outcome = await withLock(deps.redis, keys.pollLock(deps.prefix, flow), deps.lockTtlMs, async () => {
    try {
      const res = await poll();
      await deps.statuses.recordSuccess(flow, { at: deps.now().toISOString(), counts: res.counts, cursor: res.cursor });
      deps.logger.info({ counts: res.counts, cursor: res.cursor }, 'poll done');
      return res;
    } catch (err) {
      const code = isClassified(err) ? err.code : 'UNEXPECTED';
      const message = err instanceof Error ? err.message : String(err);
      await deps.statuses.recordError(flow, { at: deps.now().toISOString(), code, message }).catch(() => undefined);
      if (code === 'CONFIG_INVALID') deps.logger.error({ err: message }, 'flow cannot poll: fix the config file');
      throw err;
    }
  });
  if (!outcome.acquired) return { ran: false, skipped: 'another poll of this flow is running' };
  return { ran: true, ...outcome.value };
}
