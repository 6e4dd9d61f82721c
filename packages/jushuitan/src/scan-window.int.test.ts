import { PermanentError } from '@sync/errors';
import { createJstClient } from './client';
import { createUnlimitedCallLimiter } from './call-limiter';
import { noopJstLogger, type JstLogger } from './jst-logger';
import { scanWindowWith } from './scan-window';
import { page, startFakeJst, type FakeHandler, type FakeJst } from './fake-jst-server.test-support';

const path = '/open/allocate/query';
const window = { begin: '2024-05-20 00:00:00', end: '2024-05-20 23:59:59' };
type Row = { io_id: number; modified: string };
const key = (r: unknown) => `${(r as Row).io_id}@${(r as Row).modified}`;

let server: FakeJst | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

async function setup(handler: FakeHandler, logger?: JstLogger) {
  server = await startFakeJst(handler);
  return createJstClient({ baseUrl: server.url, appKey: 'k', appSecret: 's', accessToken: 't', limiter: createUnlimitedCallLimiter(), logger });
}

/** Rows ordered by `modified` as JST pages them; `touch` moves a row to the end with a newer modified time. */
function dataset(n: number) {
  const rows: Row[] = Array.from({ length: n }, (_, i) => ({ io_id: i + 1, modified: `2024-05-20 10:00:${String(i).padStart(2, '0')}` }));
  let clock = 0;
  return {
    rows,
    touch(id: number) {
      const i = rows.findIndex((r) => r.io_id === id);
      const [r] = rows.splice(i, 1);
      rows.push({ ...r, modified: `2024-05-20 11:00:${String(clock++).padStart(2, '0')}` });
    },
    answer(pageIndex: number, pageSize: number) {
      const datas = rows.slice((pageIndex - 1) * pageSize, pageIndex * pageSize);
      return page(datas, { pageIndex, pageSize, hasNext: pageIndex * pageSize < rows.length });
    },
  };
}

async function collect(gen: AsyncGenerator<unknown[]>): Promise<unknown[][]> {
  const out: unknown[][] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('scanWindow', () => {
  it('sends the window, paging and filters, and reads a single page once', async () => {
    const d = dataset(3);
    const client = await setup((r) => d.answer(Number(r.biz?.page_index), Number(r.biz?.page_size)));
    const pages = await collect(scanWindowWith(client.queryPage, noopJstLogger, path, window, { filters: { status: 'Confirmed', date_type: 0 }, key }));
    expect(pages).toEqual([d.rows]);
    expect(server!.requests).toHaveLength(1);
    expect(server!.requests[0].biz).toEqual({
      status: 'Confirmed',
      date_type: 0,
      modified_begin: '2024-05-20 00:00:00',
      modified_end: '2024-05-20 23:59:59',
      page_index: 1,
      page_size: 50,
    });
  });

  it('re-reads the window when rows shift between pages, yielding every (id, version) once', async () => {
    const d = dataset(6);
    let shifted = false;
    const client = await setup((r) => {
      const p = Number(r.biz?.page_index);
      if (p === 2 && !shifted) {
        // row 1 (already read on page 1) changes: everything after it moves up one place,
        // so row 3, first of page 2, slips onto page 1 and this pass never sees it
        shifted = true;
        d.touch(1);
      }
      return d.answer(p, Number(r.biz?.page_size));
    });
    const pages = await collect(scanWindowWith(client.queryPage, noopJstLogger, path, window, { pageSize: 2, key }));
    const keys = pages.flat().map(key);
    expect(new Set(keys).size).toBe(keys.length);
    for (const row of d.rows) expect(keys).toContain(key(row));
    expect(keys).toContain('1@2024-05-20 10:00:00'); // the version read before the change
    expect(keys).toHaveLength(7);
    // pass 1 missed row 3, pass 2 found it, pass 3 found nothing new
    expect(server!.requests.filter((r) => r.biz?.page_index === 1)).toHaveLength(3);
    // the pass that missed it is the one that had to be repeated
    const pass1 = server!.requests.slice(0, 3).map((r) => r.biz?.page_index);
    expect(pass1).toEqual([1, 2, 3]);
  });

  it('gives up after 5 passes with a warning when rows never settle', async () => {
    const d = dataset(4);
    const warnings: Record<string, unknown>[] = [];
    const logger: JstLogger = { debug: () => undefined, info: () => undefined, warn: (o) => void warnings.push(o) };
    let n = 0;
    const client = await setup((r) => {
      const p = Number(r.biz?.page_index);
      if (p === 2) d.touch(++n % 4 || 4); // a document changes during every pass
      return d.answer(p, Number(r.biz?.page_size));
    });
    const pages = await collect(scanWindowWith(client.queryPage, logger, path, window, { pageSize: 2, key }));
    expect(pages.length).toBeGreaterThan(0);
    expect(server!.requests.filter((r) => r.biz?.page_index === 1)).toHaveLength(5);
    expect(warnings).toEqual([expect.objectContaining({ path, passes: 5 })]);
  });

  it.each([
    ['longer than 7 days', { begin: '2024-05-01 00:00:00', end: '2024-05-08 00:00:01' }, /more than 7 days/],
    ['reversed', { begin: '2024-05-02 00:00:00', end: '2024-05-01 00:00:00' }, /begins after/],
    ['unparsable', { begin: 'yesterday', end: '2024-05-01 00:00:00' }, /Beijing datetimes/],
  ])('refuses a window %s before calling JST', async (_n, w, message) => {
    const client = await setup(() => page([]));
    const err = await collect(scanWindowWith(client.queryPage, noopJstLogger, path, w, { key })).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as Error).message).toMatch(message);
    expect(server!.requests).toHaveLength(0);
  });

  it('accepts exactly 7 days', async () => {
    const client = await setup(() => page([]));
    await expect(collect(scanWindowWith(client.queryPage, noopJstLogger, path, { begin: '2024-05-01 00:00:00', end: '2024-05-08 00:00:00' }, { key }))).resolves.toEqual([]);
  });

  it('stops with INVALID_RESPONSE when a page is malformed instead of treating it as empty', async () => {
    const client = await setup(() => ({ body: { code: 0, msg: 'ok', data: { datas: [] } } }));
    await expect(collect(scanWindowWith(client.queryPage, noopJstLogger, path, window, { key }))).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
  });
});
