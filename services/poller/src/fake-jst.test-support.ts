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
 * In-memory JstApi for poller tests (test support only): ts scans in ts order (exclusive of start_ts, like the
 * real client), modified-time windows, and id-list queries. `beforeCall` can throw to inject faults.
 */
export interface FakeJst extends JstApi {
  rows: FakeRow[];
  pageSize: number;
  calls: { kind: 'ts' | 'window' | 'page'; arg: unknown }[];
  beforeCall?: (kind: 'ts' | 'window' | 'page') => void;
}

export function createFakeJst(rows: FakeRow[] = []): FakeJst {
  const fake: FakeJst = {
    rows,
    pageSize: 2,
    calls: [],
    async call() {
      throw new Error('not used by the poller');
    },
    async queryPage(path, biz): Promise<JstPage> {
      fake.calls.push({ kind: 'page', arg: biz });
      fake.beforeCall?.('page');
      const ids = (biz.io_ids as string[] | undefined) ?? [];
      const matching = fake.rows.filter((r) => ids.includes(String(r.io_id)));
      const size = Number(biz.page_size);
      const index = Number(biz.page_index);
      const datas = matching.slice((index - 1) * size, index * size);
      return { pageIndex: index, pageSize: size, hasNext: index * size < matching.length, datas };
    },
    async *scanByTs(path, startTs) {
      fake.calls.push({ kind: 'ts', arg: startTs });
      let cursor = BigInt(startTs);
      for (;;) {
        fake.beforeCall?.('ts');
        const page = fake.rows
          .filter((r) => typeof r.ts === 'number' && BigInt(r.ts) > cursor)
          .sort((a, b) => a.ts! - b.ts!)
          .slice(0, fake.pageSize);
        if (!page.length) return;
        cursor = BigInt(page[page.length - 1].ts!);
        yield { rows: page, maxTs: cursor.toString() };
      }
    },
    async *scanWindow(path, window, opts) {
      fake.calls.push({ kind: 'window', arg: { window, filters: opts.filters } });
      fake.beforeCall?.('window');
      const inWindow = fake.rows.filter((r) => typeof r.modified === 'string' && r.modified >= window.begin && r.modified <= window.end);
      for (let i = 0; i < inWindow.length; i += fake.pageSize) yield inWindow.slice(i, i + fake.pageSize);
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
    name, title: name, settings: documentFlowSettingsSchema, source: { path: `/open/${name}/query`, cursor, businessDate: 'io_date', idField: 'io_id' }, target: { formId: 'X', schema: z.unknown(), reconcile: {} }, schema: testRowSchema,
    docId: (d) => String(d.io_id), version: (d) => String(d.ts),
    isReady: (d) => d.status === 'Confirmed',
    isReversal: (d) => d.status === 'Cancelled',
    transform: () => ({ kind: 'skip', reason: 'not used' }),
  };
}
