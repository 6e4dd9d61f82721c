import { demoCredentials } from '../demo-catalog';
import { startJstSimulator, type JstSimulator } from './index';
import { businessForm, postForm } from './jst-calls.test-support';

const creds = demoCredentials.jst;
const NOW = Date.UTC(2024, 4, 20, 8, 0, 0); // 2024-05-20 16:00:00 Beijing
const day = { modified_begin: '2024-05-20 00:00:00', modified_end: '2024-05-20 23:59:59' };

const inDoc = (ioId: number, status: string, modified: string) => ({ io_id: ioId, po_id: ioId + 100, so_id: `S${ioId}`, status, modified, io_date: modified, wms_co_id: 7, wh_id: 1, supplier_id: 30001, items: [], batchs: [], sns: [] });
const outDoc = (ioId: number, status: string, modified: string) => ({ io_id: ioId, so_id: `S${ioId}`, status, modified, io_date: modified, wms_co_id: '7', seller_id: 30001, items: [], batchs: [], sns: [] });

describe('purchase endpoints', () => {
  let sim: JstSimulator;
  const query = async (path: string, biz: Record<string, unknown>) => {
    const res = await postForm(sim.url + path, businessForm(biz, { ...creds, timestamp: Math.floor(NOW / 1000) }));
    expect(res.status).toBe(200);
    return res.body!;
  };
  const ids = (body: { data: { datas: { io_id: number }[] } }) => body.data.datas.map((d) => d.io_id);

  beforeEach(async () => {
    sim = await startJstSimulator({ now: () => NOW, rateLimit: { perSecond: 0, perMinute: 0 } });
  });
  afterEach(() => sim.close());

  describe('/open/purchasein/query', () => {
    const PATH = '/open/purchasein/query';

    it('returns only Confirmed without statuss (also for []), the listed statuses with it', async () => {
      sim.insert('purchase-in', [inDoc(1, 'Confirmed', '2024-05-20 10:00:00'), inDoc(2, 'WaitConfirm', '2024-05-20 10:01:00'), inDoc(3, 'Cancelled', '2024-05-20 10:02:00')]);
      expect(ids(await query(PATH, day))).toEqual([1]);
      expect(ids(await query(PATH, { ...day, statuss: [] }))).toEqual([1]);
      expect(ids(await query(PATH, { ...day, statuss: ['WaitConfirm', 'Cancelled'] }))).toEqual([2, 3]);
      expect((await query(PATH, { ...day, statuss: ['Shipped'] })).code).toBe(140);
      expect((await query(PATH, { ...day, status: 'WaitConfirm' })).data.datas.map((d: { io_id: number }) => d.io_id)).toEqual([1]);
    });

    it('pages by start_ts over the Confirmed rows, ts ascending, ts >= start_ts, other filters ignored', async () => {
      const put = sim.insert('purchase-in', [inDoc(1, 'Confirmed', '2024-05-20 10:00:00'), inDoc(2, 'WaitConfirm', '2024-05-20 10:01:00'), inDoc(3, 'Confirmed', '2024-05-20 10:02:00')]);
      const ts = put.map((d) => d.ts);
      const first = await query(PATH, { start_ts: 1, page_size: 1, page_index: 1, is_get_total: false, io_ids: ['2'] });
      expect(first.data).toMatchObject({ has_next: true, data_count: 0, page_count: 0 });
      expect(ids(first)).toEqual([1]);
      expect(first.data.datas[0].ts).toBe(ts[0]);
      const next = await query(PATH, { start_ts: ts[0], page_size: 50, page_index: 1, is_get_total: false });
      expect(ids(next)).toEqual([1, 3]);
      expect(next.data.has_next).toBe(false);
      sim.mutate('purchase-in', 2, { status: 'Confirmed' });
      expect(ids(await query(PATH, { start_ts: ts[2]! + 1, page_size: 50 }))).toEqual([2]);
    });

    it('requires a window of at most 7 days unless an id list is given; filters io_ids and po_ids', async () => {
      sim.insert('purchase-in', [inDoc(1, 'Confirmed', '2024-05-19 10:00:00'), inDoc(2, 'Confirmed', '2024-05-20 10:00:00')]);
      expect((await query(PATH, {})).code).toBe(140);
      expect((await query(PATH, { modified_begin: '2024-05-10 00:00:00', modified_end: '2024-05-17 00:00:01' })).msg).toContain('7 days');
      expect((await query(PATH, { ...day, page_size: 51 })).msg).toContain('page_size');
      expect((await query(PATH, { io_ids: Array.from({ length: 31 }, (_, i) => i) })).msg).toContain('io_ids');
      expect(ids(await query(PATH, { io_ids: ['1'] }))).toEqual([1]);
      expect(ids(await query(PATH, { po_ids: ['102'] }))).toEqual([2]);
      expect(ids(await query(PATH, day))).toEqual([2]);
    });
  });

  describe('/open/purchaseout/query', () => {
    const PATH = '/open/purchaseout/query';

    it('filters by the single status (none = every status) and serves rows without ts', async () => {
      sim.insert('purchase-out', [outDoc(1, 'Confirmed', '2024-05-20 10:00:00'), outDoc(2, 'WaitConfirm', '2024-05-20 10:01:00')]);
      const all = await query(PATH, day);
      expect(ids(all)).toEqual([1, 2]);
      expect(all.data.datas[0]).not.toHaveProperty('ts');
      expect(all.data.datas[0].wms_co_id).toBe('7');
      expect(ids(await query(PATH, { ...day, status: 'Confirmed' }))).toEqual([1]);
      expect((await query(PATH, { ...day, status: ['Confirmed'] })).code).toBe(140);
    });

    it('has no start_ts: a window (or io_ids) is still required', async () => {
      sim.insert('purchase-out', [outDoc(1, 'Confirmed', '2024-05-20 10:00:00')]);
      const body = await query(PATH, { start_ts: 1, page_index: 1, page_size: 50 });
      expect(body.code).toBe(140);
      expect(body.msg).toContain('modified_begin');
      expect(ids(await query(PATH, { io_ids: [1] }))).toEqual([1]);
    });

    it('pages live: a row modified during the scan moves to the end of the window', async () => {
      sim.insert('purchase-out', [1, 2, 3].map((n) => outDoc(n, 'Confirmed', `2024-05-20 10:0${n}:00`)));
      expect(ids(await query(PATH, { ...day, page_size: 2, page_index: 1 }))).toEqual([1, 2]);
      sim.mutate('purchase-out', 1);
      const second = await query(PATH, { ...day, page_size: 2, page_index: 2 });
      expect(ids(second)).toEqual([1]);
      expect(second.data).toMatchObject({ data_count: 3, page_count: 2, has_next: false });
    });
  });

  describe('seedKind', () => {
    it('generates deterministic purchase documents with lots, gifts, multi-spec SKUs and unmapped suppliers/SKUs', () => {
      const a = sim.seedKind('purchase-in', { count: 60, seed: 7, unmappedRate: 0.1 });
      expect(a.ids).toHaveLength(60);
      expect(a.ids[0]).toBe('400001');
      const docs = sim.store.list('purchase-in') as unknown as { supplier_id: number; items: { sku_id: string; qty: number; cost_price: number; batch_no: string }[]; batchs: { sku_id: string; qty: number; batch_no: string; product_date: string; expiration_date: string }[] }[];
      expect(docs.filter((d) => d.supplier_id === 39999)).toHaveLength(3);
      expect(docs.filter((d) => d.items.some((i) => i.sku_id === 'Z9999-NEW'))).toHaveLength(3);
      expect(docs.some((d) => d.items.some((i) => i.cost_price === 0))).toBe(true);
      expect(docs.some((d) => d.items.some((i) => i.sku_id.startsWith('A1001-')))).toBe(true);
      // Lots add up to their line; some lines are split over two lots.
      let split = 0;
      for (const d of docs) {
        for (const i of d.items) {
          const lots = d.batchs.filter((b) => b.sku_id === i.sku_id);
          if (!lots.length) continue;
          expect(lots.reduce((s, b) => s + b.qty, 0)).toBe(i.qty);
          expect(i.batch_no).toBe(lots[0]!.batch_no);
          expect(lots.every((b) => /^\d{4}-\d{2}-\d{2} /.test(b.product_date) && b.expiration_date > b.product_date)).toBe(true);
          if (lots.length > 1) split += 1;
        }
      }
      expect(split).toBeGreaterThan(0);
      const b = sim.seedKind('purchase-out', { count: 10, seed: 7, statusMix: { Confirmed: 1 } });
      expect(b.ids[0]).toBe('500001');
      expect(sim.store.list('purchase-out').every((d) => d.status === 'Confirmed' && typeof d.wms_co_id === 'string')).toBe(true);
      expect(sim.seedKind('purchase-in', { count: 1 }).ids).toEqual(['400061']);
    });
  });
});
