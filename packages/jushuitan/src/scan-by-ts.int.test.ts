import { createJstClient } from './client';
import { scanByTsWith } from './scan-by-ts';
import { createUnlimitedCallLimiter } from './call-limiter';
import { startFakeJst, type FakeJst } from './fake-jst-server.test-support';

const path = '/open/purchasein/query';
let server: FakeJst | undefined;
afterEach(async () => {
  await server?.close();
  server = undefined;
});

/** A JST stand-in with start_ts semantics: rows with ts >= start_ts, ascending, at most page_size. */
async function tsServer(rows: { id: number; ts: bigint }[]) {
  server = await startFakeJst((r) => {
    const start = BigInt(/"start_ts":(\d+)/.exec(r.form.biz)?.[1] ?? 'x');
    const size = Number(r.biz?.page_size);
    const hit = rows.filter((x) => x.ts >= start).sort((a, b) => (a.ts < b.ts ? -1 : 1)).slice(0, size);
    // ts written as a bare JSON integer, exactly (JSON.stringify cannot)
    const datas = hit.map((x) => `{"po_id":${x.id},"ts":${x.ts.toString()}}`).join(',');
    return { body: `{"code":0,"msg":"执行成功","data":{"page_index":1,"page_size":${size},"has_next":false,"datas":[${datas}]}}` };
  });
  return createJstClient({ baseUrl: server.url, appKey: 'k', appSecret: 's', accessToken: 't', limiter: createUnlimitedCallLimiter() });
}

async function collect<T>(gen: AsyncGenerator<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of gen) out.push(x);
  return out;
}

describe('scanByTs', () => {
  it('sends only the start_ts paging keys, skips the inclusive boundary row and advances by the max ts', async () => {
    const rows = [10, 11, 12, 13, 14].map((ts) => ({ id: ts * 100, ts: BigInt(ts) }));
    const client = await tsServer(rows);
    const pages = await collect(scanByTsWith(client.queryPage, path, '10', { pageSize: 2 }));

    expect(pages).toEqual([
      { rows: [{ po_id: 1100, ts: 11 }], maxTs: '11' },
      { rows: [{ po_id: 1200, ts: 12 }], maxTs: '12' },
      { rows: [{ po_id: 1300, ts: 13 }], maxTs: '13' },
      { rows: [{ po_id: 1400, ts: 14 }], maxTs: '14' },
    ]);
    const bizs = server!.requests.map((r) => r.biz);
    expect(bizs[0]).toEqual({ start_ts: 10, is_get_total: false, page_index: 1, page_size: 2 });
    expect(bizs.map((b) => b?.start_ts)).toEqual([10, 11, 12, 13, 14]);
    for (const b of bizs) expect(Object.keys(b ?? {}).sort()).toEqual(['is_get_total', 'page_index', 'page_size', 'start_ts']);
  });

  it('yields every row exactly once with larger pages, and stops when no row is newer than start_ts', async () => {
    const rows = Array.from({ length: 7 }, (_, i) => ({ id: i, ts: BigInt(100 + i) }));
    const client = await tsServer(rows);
    const pages = await collect(scanByTsWith(client.queryPage, path, '1', { pageSize: 3 }));
    const ids = pages.flatMap((p) => p.rows.map((r) => (r as { po_id: number }).po_id));
    expect(ids).toEqual([0, 1, 2, 3, 4, 5, 6]);
    expect(pages.map((p) => p.maxTs)).toEqual(['102', '104', '106']);
    // 100..102, 102..104, 104..106, then 106 alone: nothing newer → stop
    expect(server!.requests).toHaveLength(4);
  });

  it('ends at once when nothing changed since the cursor', async () => {
    const client = await tsServer([{ id: 1, ts: 50n }]);
    await expect(collect(scanByTsWith(client.queryPage, path, '50'))).resolves.toEqual([]);
    expect(server!.requests).toHaveLength(1);
    expect(server!.requests[0].biz?.page_size).toBe(50);
  });

  it('keeps rowversions past 2^53 exact, in the request and in maxTs', async () => {
    const big = 9007199254740993n; // 2^53 + 1
    const client = await tsServer([{ id: 1, ts: big }, { id: 2, ts: big + 2n }]);
    const pages = await collect(scanByTsWith(client.queryPage, path, big.toString(), { pageSize: 10 }));
    expect(pages).toEqual([{ rows: [{ po_id: 2, ts: (big + 2n).toString() }], maxTs: (big + 2n).toString() }]);
    expect(server!.requests[0].form.biz).toContain(`"start_ts":${big}`);
    expect(server!.requests[1].form.biz).toContain(`"start_ts":${big + 2n}`);
  });

  it('honours a custom readTs', async () => {
    const client = await tsServer([{ id: 7, ts: 70n }, { id: 8, ts: 80n }]);
    const pages = await collect(scanByTsWith(client.queryPage, path, '0', { readTs: (r) => String((r as { ts: number }).ts * 1) }));
    expect(pages[0].maxTs).toBe('80');
  });

  it('refuses a non-integer cursor before calling; passes a row without ts on without moving the cursor', async () => {
    const client = await tsServer([]);
    await expect(collect(scanByTsWith(client.queryPage, path, '12a'))).rejects.toMatchObject({ code: 'CONFIG_INVALID' });
    expect(server!.requests).toHaveLength(0);
    await server!.close();
    server = await startFakeJst(() => ({ body: { code: 0, data: { page_index: 1, page_size: 50, has_next: false, datas: [{ po_id: 1 }] } } }));
    const c2 = createJstClient({ baseUrl: server.url, appKey: 'k', appSecret: 's', accessToken: 't', limiter: createUnlimitedCallLimiter() });
    // The row cannot place the cursor, but it is not dropped: the poller dead-letters it with the schema's reason.
    const pages = await collect(scanByTsWith(c2.queryPage, path, '1'));
    expect(pages).toEqual([{ rows: [{ po_id: 1 }], maxTs: '1' }]);
    expect(server!.requests).toHaveLength(1);
  });
});
