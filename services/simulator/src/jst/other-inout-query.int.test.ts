import { demoCredentials } from '../demo-catalog';
import { generateOtherInOut, startJstSimulator, type JstSimulator } from './index';
import { businessForm, postForm } from './jst-calls.test-support';

const PATH = '/open/other/inout/query';
const creds = demoCredentials.jst;
const NOW = Date.UTC(2024, 4, 22, 8, 0, 0); // 2024-05-22 16:00:00 Beijing

function doc(ioId: number, type: string, modified: string, extra: Record<string, unknown> = {}) {
  return { io_id: ioId, type, status: 'Confirmed', so_id: `X${ioId}`, modified, io_date: modified, wms_co_id: 7, wh_id: 1, items: [], batchs: [], sns: [], ...extra };
}

describe('/open/other/inout/query', () => {
  let sim: JstSimulator;
  const query = async (biz: Record<string, unknown>) => {
    const res = await postForm(sim.url + PATH, businessForm(biz, { ...creds, timestamp: Math.floor(NOW / 1000) }));
    expect(res.status).toBe(200);
    return res.body!;
  };
  const day = { modified_begin: '2024-05-22 00:00:00', modified_end: '2024-05-22 23:59:59' };

  beforeEach(async () => {
    sim = await startJstSimulator({ now: () => NOW, rateLimit: { perSecond: 0, perMinute: 0 } });
    sim.insert('other-inout', [
      doc(1, '其它出库', '2024-05-22 10:00:00'),
      doc(2, '其它进仓', '2024-05-22 09:00:00'),
      doc(3, '其它退货', '2024-05-22 11:00:00'),
      doc(4, '其它进仓', '2024-05-22 12:00:00', { status: 'WaitConfirm' }),
      doc(5, '其它出库', '2024-05-21 12:00:00', { wms_co_id: 8 }),
    ]);
  });
  afterEach(() => sim.close());

  it.each([
    [{}, 'modified_begin'],
    [{ modified_begin: '2024-05-10 00:00:00', modified_end: '2024-05-17 00:00:01' }, '7 days'],
    [{ ...day, page_size: 51 }, 'page_size'],
    [{ ...day, types: ['其他出库'] }, '其它, not 其他'],
    [{ ...day, status: 'Effective' }, 'status'],
    [{ ...day, date_type: 1 }, 'date_type'],
  ])('rejects %j with code 140 naming %s', async (biz, word) => {
    const body = await query(biz);
    expect(body.code).toBe(140);
    expect(body.msg).toContain(word);
  });

  it('filters by types and status in the window, ordered by modified, without ts on the rows', async () => {
    const body = await query({ ...day, types: ['其它进仓', '其它退货'], status: 'Confirmed', page_size: 50 });
    expect(body.code).toBe(0);
    expect(body.data.datas.map((d: { io_id: number }) => d.io_id)).toEqual([2, 3]);
    expect(body.data.has_next).toBe(false);
    for (const row of body.data.datas) expect(row).not.toHaveProperty('ts');
    const out = await query({ modified_begin: '2024-05-21 00:00:00', modified_end: '2024-05-22 23:59:59', types: ['其它出库'] });
    expect(out.data.datas.map((d: { io_id: number }) => d.io_id)).toEqual([5, 1]);
    const wh = await query({ modified_begin: '2024-05-21 00:00:00', modified_end: '2024-05-22 23:59:59', wms_co_id: 8 });
    expect(wh.data.datas.map((d: { io_id: number }) => d.io_id)).toEqual([5]);
  });

  it('answers an io_ids query without a window, and pages live data', async () => {
    const ids = await query({ io_ids: ['4', 1] });
    expect(ids.data.datas.map((d: { io_id: number }) => d.io_id).sort()).toEqual([1, 4]);
    const p1 = await query({ ...day, page_size: 2, page_index: 1 });
    expect(p1.data).toMatchObject({ data_count: 4, page_count: 2, has_next: true });
    expect(p1.data.datas.map((d: { io_id: number }) => d.io_id)).toEqual([2, 1]);
    sim.mutate('other-inout', 2); // moves to modified = now (16:00), the end of the window
    const p2 = await query({ ...day, page_size: 2, page_index: 2 });
    expect(p2.data.datas.map((d: { io_id: number }) => d.io_id)).toEqual([4, 2]);
  });

  it('accepts start_ts, but its rows carry no ts to advance with', async () => {
    const body = await query({ start_ts: 1, is_get_total: false, page_size: 50 });
    expect(body.code).toBe(0);
    expect(body.data.datas).toHaveLength(5);
    expect(body.data.datas.some((d: object) => 'ts' in d)).toBe(false);
  });
});

describe('generateOtherInOut', () => {
  const opts = { count: 120, seed: 9, unmappedRate: 0.05, modifiedFrom: '2024-05-20 00:00:00', modifiedTo: '2024-05-21 00:00:00' };

  it('is deterministic and covers the edge cases: types, several lots on a line, sub-warehouses, zero lines, unmapped SKUs', () => {
    const docs = generateOtherInOut(opts);
    expect(generateOtherInOut(opts)).toEqual(docs);
    expect(new Set(docs.map((d) => d.type))).toEqual(new Set(['其它出库', '其它进仓', '其它退货']));
    expect(docs.filter((d) => d.items.some((i) => i.sku_id === 'Z9999-NEW'))).toHaveLength(6);
    expect(docs.some((d) => d.wh_id === 4)).toBe(true);
    expect(docs.some((d) => d.items.some((i) => i.qty === 0))).toBe(true);
    const split = docs.flatMap((d) => d.items.filter((i) => d.batchs.filter((b) => b.ioi_id === i.ioi_id).length === 2));
    expect(split.length).toBeGreaterThan(3);
    for (const d of docs) {
      expect(d.items[0]!.qty).toBeGreaterThan(0);
      for (const i of d.items) {
        expect(i.qty).toBeGreaterThanOrEqual(0);
        const lots = d.batchs.filter((b) => b.ioi_id === i.ioi_id);
        if (lots.length) expect(lots.reduce((s, b) => s + b.qty, 0)).toBe(i.qty);
      }
      expect(d.modified >= opts.modifiedFrom && d.modified <= opts.modifiedTo).toBe(true);
    }
    expect(docs.some((d) => d.type !== '其它出库' && d.items.some((i) => i.supplier_id === 30001))).toBe(true);
  });

  it('seeds through seedKind with the next free io_id', async () => {
    const sim = await startJstSimulator({ now: () => NOW });
    try {
      const first = sim.seedKind('other-inout', { count: 3, seed: 1 });
      const second = sim.seedKind('other-inout', { count: 2, seed: 2 });
      expect(first.ids).toEqual(['6000001', '6000002', '6000003']);
      expect(second.ids).toEqual(['6000004', '6000005']);
      expect(sim.store.count('other-inout')).toBe(5);
    } finally {
      await sim.close();
    }
  });
});
