import type { KingdeeSourceFlowSettings } from '@sync/config';
import { kingdeeSourceSettingsFor } from '@sync/flows';
import { PermanentError } from '@sync/errors';
import { ksqlString, type BillQuery, type KingdeeApi } from '@sync/kingdee';
import type { Logger } from '@sync/logger';
import type { CursorStore, DocumentQueue, DocumentToEnqueue, enqueueDocuments, PollCounts } from '@sync/queue';
import type { AnyKingdeeSourceFlow } from '@sync/flows';
import { pollSource, resyncPages, type PageDocuments, type PollOutcome, type PollSink, type Source } from './poll-core';
import type { SyncConfig } from '@sync/flows';

/**
 * The Kingdee → JST flows (material): their source is a Kingdee form read by modify date with keyset paging; the
 * poll core does the rest (cursor, enqueue, lock, status).
 */

export { ksqlString };

/** Everything one poll of one Kingdee-source flow needs. */
export interface KingdeeSourcePollContext {
  kingdee: KingdeeApi;
  flow: AnyKingdeeSourceFlow;
  settings: KingdeeSourceFlowSettings;
  queue: DocumentQueue;
  cursors: CursorStore;
  enqueue: typeof enqueueDocuments;
  logger: Logger;
  now: () => Date;
}

/** Most numbers in one `FNumber in (...)` resync filter. */
export const RESYNC_NUMBER_BATCH = 100;

function ksqlValue(value: unknown): string {
  return typeof value === 'number' && Number.isFinite(value) ? String(value) : ksqlString(String(value));
}

/** Pure: the conditions every query of the flow carries: its ready filter and, when set, the use organisation. */
export function baseFilter(flow: AnyKingdeeSourceFlow, settings: KingdeeSourceFlowSettings): string {
  const parts = [flow.source.readyFilter];
  if (settings.useOrg) parts.push(`FUseOrgId.FNumber = ${ksqlString(settings.useOrg)}`);
  return parts.join(' and ');
}

/** Where a keyset page resumes: the last row's modify date and primary key. */
interface RowKey {
  date: string;
  id: unknown;
}

/**
 * Pure: the FilterString of one page: `selection` (e.g. `FModifyDate >= '<cursor>'`), the base filter, and after
 * the first page the keyset condition `(date > last or (date = last and id > lastId))`.
 */
export function pageFilter(flow: AnyKingdeeSourceFlow, settings: KingdeeSourceFlowSettings, selection: string, after?: RowKey): string {
  const { modifyDateKey: d, idKey } = flow.source;
  const parts = [selection, baseFilter(flow, settings)];
  if (after) {
    parts.push(`(${d} > ${ksqlString(after.date)} or (${d} = ${ksqlString(after.date)} and ${idKey} > ${ksqlValue(after.id)}))`);
  }
  return parts.join(' and ');
}

/**
 * Reads every row matching `selection` in `(modifyDate, id)` order with keyset paging (each page restarts at
 * StartRow 0 after the last row's key, so rows modified during the scan never shift a page and skip a row).
 * Yields each page's rows.
 */
export async function* scanKingdeeSource(ctx: KingdeeSourcePollContext, selection: string): AsyncGenerator<unknown[][]> {
  const { fieldKeys, formId, modifyDateKey, idKey } = ctx.flow.source;
  const dateAt = fieldKeys.indexOf(modifyDateKey);
  const idAt = fieldKeys.indexOf(idKey);
  if (dateAt < 0 || idAt < 0) {
    throw new PermanentError('CONFIG_INVALID', `flow ${ctx.flow.name}: fieldKeys must contain ${modifyDateKey} and ${idKey}`, { flow: ctx.flow.name });
  }
  const limit = ctx.settings.pageSize;
  let after: RowKey | undefined;
  for (;;) {
    const query: BillQuery = {
      FormId: formId,
      FieldKeys: fieldKeys.join(','),
      FilterString: pageFilter(ctx.flow, ctx.settings, selection, after),
      OrderString: `${modifyDateKey} ASC, ${idKey} ASC`,
      StartRow: 0,
      Limit: limit,
      // Some servers treat TopRowCount as an absolute end row; StartRow + Limit satisfies both readings.
      TopRowCount: limit,
    };
    const rows = await ctx.kingdee.executeBillQuery(query);
    if (rows.length) yield rows;
    if (rows.length < limit) return;
    const last = rows[rows.length - 1];
    const next: RowKey = { date: String(last[dateAt]), id: last[idAt] };
    if (after && next.date === after.date && next.id === after.id) return; // no progress: a server ignoring the filter
    after = next;
  }
}

/** Pure: which rows of a page to enqueue (ready records under number and modify date; unparseable ones under their raw number). */
export function prepareKingdeeRows(flow: AnyKingdeeSourceFlow, rows: unknown[][]): { docs: DocumentToEnqueue[]; ready: number; invalid: number; unreadable: number } {
  const out = { docs: [] as DocumentToEnqueue[], ready: 0, invalid: 0, unreadable: 0 };
  for (const row of rows) {
    const rec = flow.toRecord(row);
    const parsed = flow.schema.safeParse(rec);
    if (parsed.success) {
      if (!flow.isReady(parsed.data)) continue;
      out.ready++;
      out.docs.push({ docId: flow.docId(parsed.data), version: flow.version(parsed.data), doc: rec });
      continue;
    }
    const number = rec[flow.source.numberKey];
    if ((typeof number === 'string' && number.trim() !== '') || typeof number === 'number') {
      // Enqueued anyway so the worker dead-letters it with the schema's reason (nothing is lost silently).
      out.invalid++;
      const version = rec[flow.source.modifyDateKey];
      out.docs.push({ docId: String(number).trim(), version: typeof version === 'string' && version ? version : 'unversioned', doc: rec });
    } else {
      out.unreadable++;
    }
  }
  return out;
}


/** Where a Kingdee-source poll's documents and cursor go. */
function kingdeeSink(ctx: KingdeeSourcePollContext): PollSink {
  return { flow: ctx.flow.name, cursors: ctx.cursors, queue: ctx.queue, enqueue: ctx.enqueue, now: ctx.now };
}

function kingdeeDocuments(ctx: KingdeeSourcePollContext): (rows: unknown[]) => Promise<PageDocuments> {
  return async (rows) => {
    const prepared = prepareKingdeeRows(ctx.flow, rows as unknown[][]);
    if (prepared.unreadable) ctx.logger.error({ rows: prepared.unreadable }, `Kingdee rows without a ${ctx.flow.source.numberKey}: not enqueued`);
    return { docs: prepared.docs, counts: { seen: rows.length, ready: prepared.ready, invalid: prepared.invalid, beforeCutover: 0 } };
  };
}

/**
 * The source of a Kingdee-source flow: every ready record with modify date >= the cursor (else settings.startDate),
 * one job each (job id flow-number-modifyDate). A page's cursor is its last modify date: the next poll re-reads
 * that instant (inclusive) and the job ids drop what was already enqueued.
 */
export function kingdeeSource(ctx: KingdeeSourcePollContext): Source {
  const { modifyDateKey, fieldKeys } = ctx.flow.source;
  const dateAt = fieldKeys.indexOf(modifyDateKey);
  return {
    start: async (stored) => ({ cursor: stored ?? ctx.settings.startDate }),
    async *scan(cursor) {
      for await (const rows of scanKingdeeSource(ctx, `${modifyDateKey} >= ${ksqlString(cursor)}`)) {
        const last = rows[rows.length - 1][dateAt];
        yield { rows, cursor: typeof last === 'string' && last !== '' ? last : undefined };
      }
    },
    documents: kingdeeDocuments(ctx),
  };
}

/** Scheduled poll of a Kingdee-source flow through the poll core (see kingdeeSource). */
export function pollKingdeeSource(ctx: KingdeeSourcePollContext): Promise<PollOutcome> {
  return pollSource(kingdeeSource(ctx), kingdeeSink(ctx));
}

/** The rows of each selection in turn. */
async function* scanSelections(ctx: KingdeeSourcePollContext, selections: string[]): AsyncGenerator<unknown[]> {
  for (const selection of selections) yield* scanKingdeeSource(ctx, selection);
}

/**
 * Resync without touching the cursor: given numbers (in batches of 100), or a modify-date range (Kingdee
 * date-times, both ends inclusive). Only ready records are enqueued; a record whose version was already
 * enqueued is a duplicate (a changed record gets a new job).
 */
export async function resyncKingdeeSource(
  ctx: KingdeeSourcePollContext,
  resync: { docIds: string[] } | { from: string; to: string },
  origin: string,
): Promise<PollCounts> {
  const { modifyDateKey: d, numberKey } = ctx.flow.source;
  const selections: string[] = [];
  if ('docIds' in resync) {
    for (let i = 0; i < resync.docIds.length; i += RESYNC_NUMBER_BATCH) {
      selections.push(`${numberKey} in (${resync.docIds.slice(i, i + RESYNC_NUMBER_BATCH).map(ksqlString).join(', ')})`);
    }
  } else {
    selections.push(`${d} >= ${ksqlString(resync.from)} and ${d} <= ${ksqlString(resync.to)}`);
  }
  return resyncPages({ documents: kingdeeDocuments(ctx) }, kingdeeSink(ctx), scanSelections(ctx, selections), origin);
}

/** Names of the registered Kingdee-source flows that are enabled in `config`, in registry order. */
export function enabledKingdeeSourceFlows(config: SyncConfig, flows: Record<string, AnyKingdeeSourceFlow>): string[] {
  return Object.keys(flows).filter((name) => kingdeeSourceSettingsFor(config, name)?.enabled === true);
}

/** The Kingdee client, or a CONFIG_INVALID error naming the flows that need one. */
export function requireKingdee(kingdee: KingdeeApi | undefined, flows: string[]): KingdeeApi {
  if (kingdee) return kingdee;
  throw new PermanentError('CONFIG_INVALID', `flow(s) ${flows.join(', ')} read Kingdee: the poller needs a Kingdee client (set KINGDEE_* variables)`);
}
