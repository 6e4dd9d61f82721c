import { documentFlowSettingsSchema } from '@sync/config';
import type { Redis } from 'ioredis';
import { z } from 'zod';
import type { DocumentFlow, SourceCursor } from '@sync/flows';
import type { JstApi, JstPage } from '@sync/jushuitan';

export interface FakeRow {
  io_id?: number;
  ts?: number;
  modified?: string;
  status?: string;
  [k: string]: unknown;
}

/**
 * In-memory JstApi for poller tests (test support only): answers `queryPage` the way JST does for the three kinds
 * of query the poller sends: start_ts (rows with ts >= start_ts in ts order, `pageSize` at most per page), a
 * modified-time window (`modified_begin`/`modified_end` with extra keys as filters, paged by the request's
 * page_size), and an id list (`io_ids`). `calls` lists one entry per scan the poller started: a start_ts query that
 * continues the previous one (start_ts = the largest ts it returned, which held a newer row) is not listed again;
 * every window and id-list query is. `beforeCall` can throw to inject faults (once per query).
 */
export interface FakeJst extends JstApi {
  rows: FakeRow[];
  pageSize: number;
  calls: { kind: 'ts' | 'window' | 'page'; arg: unknown }[];
  beforeCall?: (kind: 'ts' | 'window' | 'page') => void;
}

function paged(rows: FakeRow[], index: number, size: number): JstPage {
  return { pageIndex: index, pageSize: size, hasNext: index * size < rows.length, datas: rows.slice((index - 1) * size, index * size) };
}

export function createFakeJst(rows: FakeRow[] = []): FakeJst {
  // Where a ts scan goes on (the largest ts of the last start_ts page, when it held a row newer than its start_ts).
  let tsScanContinuesAt: bigint | undefined;
  const fake: FakeJst = {
    rows,
    pageSize: 2,
    calls: [],
    async call() {
      throw new Error('not used by the poller');
    },
    async queryPage(path, biz): Promise<JstPage> {
      const { start_ts: startTs, modified_begin: begin, modified_end: end, page_index: pageIndex, page_size: pageSize, ...filters } = biz;
      const index = Number(pageIndex);
      const size = Number(pageSize);
      if (startTs !== undefined) {
        const from = BigInt(startTs as number | bigint);
        if (tsScanContinuesAt !== from) fake.calls.push({ kind: 'ts', arg: from.toString() });
        tsScanContinuesAt = undefined;
        fake.beforeCall?.('ts');
        const page = fake.rows
          .filter((r) => typeof r.ts === 'number' && BigInt(r.ts) >= from)
          .sort((a, b) => a.ts! - b.ts!)
          .slice(0, Math.min(size, fake.pageSize));
        const max = page.length ? BigInt(page[page.length - 1].ts!) : from;
        if (max > from) tsScanContinuesAt = max;
        return { pageIndex: 1, pageSize: size, hasNext: false, datas: page };
      }
      tsScanContinuesAt = undefined;
      if (begin !== undefined) {
        const window = { begin: String(begin), end: String(end) };
        fake.calls.push({ kind: 'window', arg: { window, filters: Object.keys(filters).length ? filters : undefined } });
        fake.beforeCall?.('window');
        const inWindow = fake.rows.filter((r) => typeof r.modified === 'string' && r.modified >= window.begin && r.modified <= window.end);
        return paged(inWindow, index, size);
      }
      fake.calls.push({ kind: 'page', arg: biz });
      fake.beforeCall?.('page');
      const ids = (biz.io_ids as string[] | undefined) ?? [];
      return paged(fake.rows.filter((r) => ids.includes(String(r.io_id))), index, size);
    },
  };
  return fake;
}

/** Stops the poller services a test started and deletes its key prefixes, then drops the admin connection. */
export async function closePollerWorld(admin: Redis, services: { stop(): Promise<void> }[], prefixes: string[]): Promise<void> {
  try {
    for (const s of services) await s.stop();
    for (const p of prefixes) {
      const k = await admin.keys(`${p}:*`);
      if (k.length) await admin.del(...k);
    }
  } finally {
    admin.disconnect();
  }
}

const testRowSchema = z.object({ io_id: z.number(), ts: z.number(), modified: z.string(), io_date: z.string().optional(), status: z.string() });

/** A test flow on `/open/<name>/query` with the given cursor: ready when Confirmed, a reversal when Cancelled, business date io_date. */
export function flowNamed(name: string, cursor: SourceCursor): DocumentFlow<z.infer<typeof testRowSchema>> {
  return {
    name, title: name, settings: documentFlowSettingsSchema, source: { path: `/open/${name}/query`, cursor, businessDate: 'io_date', idField: 'io_id' }, target: { formId: 'X', schema: z.unknown(), reconcile: {}, keyFields: {} }, schema: testRowSchema,
    docId: (d) => String(d.io_id), version: (d) => String(d.ts),
    isReady: (d) => d.status === 'Confirmed',
    isReversal: (d) => d.status === 'Cancelled',
    transform: () => ({ kind: 'skip', reason: 'not used' }),
  };
}

/**
 * The `sales-outbound` test flow of the poller's service tests, over `schema` (each test's own row shape): ready when
 * Confirmed, business date io_date, never transformed. `source` sets the cursor (default ts) and the id filter (default
 * none: the endpoint cannot be read by id).
 */
export function testOutboundFlow<Row extends { io_id: number; ts: number; status: string }>(
  schema: z.ZodType<Row>,
  source: Partial<Pick<DocumentFlow['source'], 'cursor' | 'idFilter'>> = {},
): DocumentFlow<Row> {
  return {
    name: 'sales-outbound',
    title: 'test outbound',
    settings: documentFlowSettingsSchema,
    source: { path: '/open/orders/out/simple/query', cursor: { kind: 'ts' }, businessDate: 'io_date', idField: 'io_id', ...source },
    target: { formId: 'SAL_OUTSTOCK', schema: z.unknown(), reconcile: {}, keyFields: {} },
    schema,
    docId: (d) => String(d.io_id),
    version: (d) => String(d.ts),
    isReady: (d) => d.status === 'Confirmed',
    transform: () => ({ kind: 'skip', reason: 'not used' }),
  };
}
