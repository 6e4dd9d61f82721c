import { demoCredentials } from '../demo-catalog';
import { startJstSimulator, type JstSimulator } from './index';
import { generateStocktakes, generateTransfers } from './inventory-generator';
import { ALLOCATE_KIND, INVENTORY_COUNT_KIND } from './inventory-docs';
import { businessForm, postForm } from './jst-calls.test-support';

const creds = demoCredentials.jst;
const NOW = Date.UTC(2024, 5, 8, 8, 0, 0); // 2024-06-08 16:00:00 Beijing
const day = { modified_begin: '2024-06-08 00:00:00', modified_end: '2024-06-08 23:59:59' };
const range = { modifiedFrom: '2024-06-08 00:00:00', modifiedTo: '2024-06-08 15:59:59' };

describe('JST inventory endpoints (/open/allocate/query, /open/inventory/count/query)', () => {
  let sim: JstSimulator;
  const query = async (path: string, biz: Record<string, unknown>) => {
    const res = await postForm(sim.url + path, businessForm(biz, { ...creds, timestamp: Math.floor(NOW / 1000) }));
    expect(res.status).toBe(200);
    return res.body!;
  };

  beforeEach(async () => {
    sim = await startJstSimulator({ now: () => NOW, rateLimit: { perSecond: 0, perMinute: 0 } });
  });
  afterEach(() => sim.close());

  it.each([
    ['/open/allocate/query', {}, 'modified_begin'],
    ['/open/allocate/query', { modified_begin: '2024-06-01 00:00:00', modified_end: '2024-06-08 00:00:01' }, '7 days'],
    ['/open/allocate/query', { ...day, page_size: 51 }, 'page_size'],
    ['/open/allocate/query', { ...day, type: '调拨' }, 'type'],
    ['/open/inventory/count/query', { modified_begin: '2024-06-08 00:00:00' }, 'modified_end'],
    ['/open/inventory/count/query', { ...day, status: 'Done' }, 'status'],
    ['/open/inventory/count/query', { io_ids: [1, 2] }, 'io_ids'],
  ])('%s rejects bad parameters with 140 naming them (%j)', async (path, biz, name) => {
    const body = await query(path, biz);
    expect(body.code).toBe(140);
    expect(body.msg).toContain(name);
  });

  it('pages transfers by modified window with the type filter; io_ids array without a window', async () => {
    const ids = sim.seedKind(ALLOCATE_KIND, { count: 40, seed: 7, ...range, typeMix: { 调拨入: 0.5, 调拨出: 0.5 } }).ids;
    expect(ids).toHaveLength(40);
    const all = sim.store.list(ALLOCATE_KIND);
    const ins = all.filter((d) => d.type === '调拨入').map((d) => String(d.io_id)).sort();
    const seen: string[] = [];
    for (let page = 1; ; page++) {
      const body = await query('/open/allocate/query', { ...day, type: '调拨入', page_index: page, page_size: 10 });
      expect(body.code).toBe(0);
      seen.push(...body.data.datas.map((d: { io_id: number; type: string }) => {
        expect(d.type).toBe('调拨入');
        return String(d.io_id);
      }));
      expect(body.data.data_count).toBe(ins.length);
      if (!body.data.has_next) break;
    }
    expect(seen.sort()).toEqual(ins);
    const byIds = await query('/open/allocate/query', { io_ids: [ids[0], ids[3]] });
    expect(byIds.data.datas.map((d: { io_id: number }) => String(d.io_id)).sort()).toEqual([ids[0], ids[3]].sort());
  });

  it('filters stocktakes by status and by a comma-separated io_ids string', async () => {
    const ids = sim.seedKind(INVENTORY_COUNT_KIND, { count: 30, seed: 3, ...range }).ids;
    const confirmed = sim.store.list(INVENTORY_COUNT_KIND, { status: 'Confirmed' }).length;
    const body = await query('/open/inventory/count/query', { ...day, status: 'Confirmed', page_size: 50 });
    expect(body.data.datas).toHaveLength(confirmed);
    expect(body.data.datas.every((d: { status: string }) => d.status === 'Confirmed')).toBe(true);
    const byIds = await query('/open/inventory/count/query', { io_ids: `${ids[1]},${ids[2]}` });
    expect(byIds.data.datas.map((d: { io_id: number }) => String(d.io_id)).sort()).toEqual([ids[1], ids[2]].sort());
  });
});

describe('inventory generators', () => {
  it('transfers: deterministic, lots add up to their line, unmapped senders as asked', () => {
    const opts = { count: 60, seed: 11, ...range, unmappedRate: 0.1, statusMix: { Confirmed: 1 }, typeMix: { 调拨入: 1 } };
    const docs = generateTransfers(opts);
    expect(generateTransfers(opts)).toEqual(docs);
    expect(docs.filter((d) => d.link_wms_co_id === 10970001)).toHaveLength(6);
    expect(docs.some((d) => d.wh_id === 1 && d.link_wh_id === 4 && d.wms_co_id === d.link_wms_co_id)).toBe(true);
    let split = 0;
    for (const d of docs) {
      for (const item of d.items) {
        const lots = d.batchs.filter((b) => b.ioi_id === item.ioi_id);
        if (lots.length) expect(lots.reduce((s, b) => s + b.qty, 0)).toBe(item.qty);
        if (lots.length > 1) split += 1;
      }
    }
    expect(split).toBeGreaterThan(0);
  });

  it('stocktakes: mixed signs on one document, r_qty never negative, signed lots add up', () => {
    const docs = generateStocktakes({ count: 80, seed: 5, ...range, unmappedRate: 0.05 });
    expect(docs.filter((d) => d.wms_co_id === 10970001)).toHaveLength(4);
    expect(docs.some((d) => d.items.some((i) => i.qty > 0) && d.items.some((i) => i.qty < 0))).toBe(true);
    expect(docs.some((d) => d.items.every((i) => i.qty === 0))).toBe(true);
    for (const d of docs) {
      for (const item of d.items) {
        expect(item.r_qty).toBeGreaterThanOrEqual(0);
        const lots = d.batchs.filter((b) => b.ioi_id === item.ioi_id);
        if (lots.length) expect(lots.reduce((s, b) => s + b.qty, 0)).toBe(item.qty);
      }
    }
  });
});
