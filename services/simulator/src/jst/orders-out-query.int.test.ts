import { demoCredentials } from '../demo-catalog';
import { startJstSimulator, type JstSimulator } from './index';
import { businessForm, postForm } from './jst-calls.test-support';

const PATH = '/open/orders/out/simple/query';
const creds = demoCredentials.jst;
const NOW = Date.UTC(2024, 4, 20, 8, 0, 0); // 2024-05-20 16:00:00 Beijing

function doc(ioId: number, modified: string, extra: Record<string, unknown> = {}) {
  return { io_id: ioId, o_id: ioId + 1000, so_id: `SO${ioId}`, status: 'Confirmed', modified, io_date: modified, shop_id: 1, wms_co_id: 7, items: [], batchs: [], sns: [], ...extra };
}

describe('/open/orders/out/simple/query', () => {
  let sim: JstSimulator;
  const query = async (biz: Record<string, unknown>) => {
    const form = businessForm(biz, { ...creds, timestamp: Math.floor(NOW / 1000) });
    const res = await postForm(sim.url + PATH, form);
    expect(res.status).toBe(200);
    return res.body!;
  };
  const day = { modified_begin: '2024-05-20 00:00:00', modified_end: '2024-05-20 23:59:59' };

  beforeEach(async () => {
    sim = await startJstSimulator({ now: () => NOW, rateLimit: { perSecond: 0, perMinute: 0 } });
  });
  afterEach(() => sim.close());

  it.each([
    [{ modified_begin: '2024-05-20 00:00:00' }, 'modified_end'],
    [{ modified_end: '2024-05-20 00:00:00' }, 'modified_begin'],
    [{}, 'modified_begin'],
    [{ modified_begin: '2024-05-10 00:00:00', modified_end: '2024-05-17 00:00:01' }, '7 days'],
    [{ modified_begin: '2024-05-20T00:00:00', modified_end: '2024-05-20 10:00:00' }, 'modified_begin'],
    [{ modified_begin: '2024-05-20 10:00:00', modified_end: '2024-02-30 10:00:00' }, 'modified_end'],
    [{ modified_begin: '2024-05-20 10:00:00', modified_end: '2024-05-20 09:00:00' }, 'modified_end'],
    [{ ...day, page_size: 51 }, 'page_size'],
    [{ ...day, page_size: 0 }, 'page_size'],
    [{ ...day, page_index: 0 }, 'page_index'],
    [{ ...day, status: 'Shipped' }, 'status'],
    [{ ...day, date_type: 1 }, 'date_type'],
    [{ io_ids: Array.from({ length: 51 }, (_, i) => String(i)) }, 'io_ids'],
  ])('rejects %j with 140 naming %s', async (biz, name) => {
    const body = await query(biz);
    expect(body.code).toBe(140);
    expect(body.msg).toContain(name);
    expect(body.data).toBeNull();
  });

  it('accepts a window of exactly 7 days and an id list without a window', async () => {
    sim.insert('orders-out', [doc(1, '2024-05-19 10:00:00')]);
    expect((await query({ modified_begin: '2024-05-13 00:00:00', modified_end: '2024-05-20 00:00:00' })).code).toBe(0);
    const byId = await query({ io_ids: ['1', '99'] });
    expect(byId.code).toBe(0);
    expect(byId.data.datas.map((d: { io_id: number }) => d.io_id)).toEqual([1]);
  });

  it('pages a window ordered by modified then io_id, with totals and has_next', async () => {
    sim.insert('orders-out', [
      doc(5, '2024-05-20 10:00:00'),
      doc(3, '2024-05-20 10:00:00'),
      doc(9, '2024-05-20 09:00:00'),
      doc(1, '2024-05-20 11:00:00'),
      doc(2, '2024-05-20 12:00:00'),
      doc(8, '2024-05-20 12:00:00'),
      doc(4, '2024-05-20 13:00:00'),
      doc(6, '2024-05-19 23:59:59'), // outside
      doc(7, '2024-05-21 00:00:00'), // outside
    ]);
    const pages = [];
    for (let p = 1; p <= 3; p++) pages.push((await query({ ...day, page_index: p, page_size: 3 })).data);
    expect(pages.map((p) => p.datas.map((d: { io_id: number }) => d.io_id))).toEqual([[9, 3, 5], [1, 2, 8], [4]]);
    expect(pages[0]).toMatchObject({ page_index: 1, page_size: 3, data_count: 7, page_count: 3, has_next: true });
    expect(pages[2]).toMatchObject({ page_index: 3, data_count: 7, page_count: 3, has_next: false });
    const beyond = (await query({ ...day, page_index: 4, page_size: 3 })).data;
    expect(beyond).toMatchObject({ datas: [], has_next: false, data_count: 7 });
    const dflt = await query(day);
    expect(dflt.data.page_size).toBe(30);
    expect(dflt.data.page_index).toBe(1);
  });

  it('filters by status, shop_id, wms_co_id and io_date with date_type 2', async () => {
    sim.insert('orders-out', [
      doc(1, '2024-05-20 10:00:00', { status: 'WaitConfirm' }),
      doc(2, '2024-05-20 10:00:00', { shop_id: 2 }),
      doc(3, '2024-05-20 10:00:00', { wms_co_id: 8 }),
      doc(4, '2024-05-20 10:00:00', { io_date: '2024-05-18 08:00:00' }),
    ]);
    const ids = async (biz: Record<string, unknown>) => (await query(biz)).data.datas.map((d: { io_id: number }) => d.io_id);
    expect(await ids({ ...day, status: 'Confirmed' })).toEqual([2, 3, 4]);
    expect(await ids({ ...day, shop_id: 2 })).toEqual([2]);
    expect(await ids({ ...day, shop_id: '0' })).toEqual([1, 2, 3, 4]);
    expect(await ids({ ...day, wms_co_id: 8 })).toEqual([3]);
    expect(await ids({ modified_begin: '2024-05-18 00:00:00', modified_end: '2024-05-18 23:59:59', date_type: 2 })).toEqual([4]);
  });

  it('start_ts returns rows with ts >= start_ts in ts order and ignores other filters', async () => {
    sim.seed({ kind: 'orders-out', count: 12, seed: 7 });
    const all = sim.store.list('orders-out');
    const third = all[2]!;
    const res = await query({ start_ts: third.ts, page_index: 1, page_size: 5, status: 'Delete', shop_id: 999999, is_get_total: true });
    expect(res.code).toBe(0);
    expect(res.data.datas.map((d: { ts: number }) => d.ts)).toEqual(all.slice(2, 7).map((d) => d.ts));
    expect(res.data).toMatchObject({ data_count: 10, page_count: 2, has_next: true });

    const noTotal = await query({ start_ts: String(all[9]!.ts), is_get_total: false, page_size: 50 });
    expect(noTotal.data).toMatchObject({ data_count: 0, page_count: 0, has_next: false });
    expect(noTotal.data.datas.map((d: { io_id: number }) => d.io_id)).toEqual(all.slice(9).map((d) => d.io_id));

    // A mutation moves the document behind the cursor: it comes back with a larger ts.
    sim.mutate('orders-out', third.io_id as number, { status: 'Confirmed' });
    const after = await query({ start_ts: all[11]!.ts, is_get_total: false });
    expect(after.data.datas.map((d: { io_id: number }) => d.io_id)).toEqual([all[11]!.io_id, third.io_id]);
  });

  it('returns documents with the reference field names', async () => {
    sim.seed({ kind: 'orders-out', count: 40, seed: 3, batchRate: 0.6, splitBatchRate: 1 });
    const res = await query({ modified_begin: '2024-05-19 16:00:00', modified_end: '2024-05-20 16:00:00', page_size: 50 });
    expect(res.data.datas).toHaveLength(40);
    const d = res.data.datas[0];
    for (const k of ['io_id', 'o_id', 'so_id', 'shop_id', 'shop_name', 'wms_co_id', 'status', 'created', 'modified', 'io_date', 'ts', 'l_id', 'lc_id', 'logistics_company', 'pay_amount', 'freight', 'items', 'batchs', 'sns']) {
      expect(d).toHaveProperty(k);
    }
    expect(typeof d.io_id).toBe('number');
    expect(typeof d.ts).toBe('number');
    for (const k of ['ioi_id', 'sku_id', 'i_id', 'name', 'properties_value', 'qty', 'sale_price', 'sale_amount', 'sale_base_price', 'unit', 'is_gift', 'batch_id', 'product_date', 'expiration_date', 'combine_sku_id']) {
      expect(d.items[0]).toHaveProperty(k);
    }
    const withBatch = res.data.datas.find((x: { batchs: unknown[] }) => x.batchs.length > 0);
    for (const k of ['batch_no', 'ioi_id', 'sku_id', 'qty', 'product_date', 'expiration_date', 'supplier_id', 'supplier_name', 'status']) {
      expect(withBatch.batchs[0]).toHaveProperty(k);
    }
  });
});
