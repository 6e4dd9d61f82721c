import { aftersaleReceivedQueryEndpoint, refundSingleQueryEndpoint } from './aftersale-queries';
import { createJstSimulatorCore } from './core';
import { JstRejection } from './error-codes';
import type { QueryPageData } from './query-page';
import { AFTERSALE_RECEIVED_KIND, REFUND_KIND } from './sales-return';
import { generateSalesReturns } from './sales-return-generator';

const NOW = Date.UTC(2024, 4, 25, 4, 0, 0); // 2024-05-25 12:00:00 Beijing
const range = { modifiedFrom: '2024-05-24 12:00:00', modifiedTo: '2024-05-25 12:00:00' };

function setup() {
  const core = createJstSimulatorCore({ now: () => NOW });
  const received = (biz: Record<string, unknown>) => aftersaleReceivedQueryEndpoint.handle(biz, { store: core.store, now: core.now }) as QueryPageData;
  const refund = (biz: Record<string, unknown>) => refundSingleQueryEndpoint.handle(biz, { store: core.store, now: core.now }) as QueryPageData;
  return { core, received, refund };
}

function rejection(fn: () => unknown): JstRejection {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(JstRejection);
    return e as JstRejection;
  }
  throw new Error('expected a rejection');
}

describe('sales return generator', () => {
  it('is deterministic and covers the edge cases: split lots, 销退仓, multi-spec, gifts, exchanges, unmapped SKUs', () => {
    const a = generateSalesReturns({ count: 120, seed: 7, unmappedRate: 0.05, ...range });
    expect(generateSalesReturns({ count: 120, seed: 7, unmappedRate: 0.05, ...range })).toEqual(a);
    expect(a.received).toHaveLength(120);
    expect(a.refunds.map((r) => r.as_id)).toEqual(a.received.map((r) => r.as_id));
    expect(a.received.filter((d) => d.items.some((i) => i.sku_id === 'Z9999-NEW'))).toHaveLength(6);
    const split = a.received.filter((d) => d.items.some((i) => d.batchs.filter((b) => String(b.ioi_id) === i.ioi_id).length >= 2));
    expect(split.length).toBeGreaterThan(3);
    expect(a.received.some((d) => d.wh_id === 2 && d.wms_co_id === 10969016)).toBe(true);
    expect(a.received.some((d) => d.items.some((i) => i.sku_id.startsWith('A1001-')))).toBe(true);
    expect(a.received.some((d) => d.items.some((i) => i.sale_price === 0))).toBe(true);
    expect(a.refunds.some((r) => r.items.some((i) => i.type === '换货'))).toBe(true);
    for (const [i, d] of a.received.entries()) {
      const r = a.refunds[i]!;
      // Batches add up to their line; the 售后单 received quantity is the 退仓单 quantity once booked in.
      for (const item of d.items) {
        const lots = d.batchs.filter((b) => String(b.ioi_id) === item.ioi_id);
        if (lots.length) expect(lots.reduce((s, b) => s + b.qty, 0)).toBe(item.qty);
      }
      const returned = r.items.filter((x) => x.type === '退货');
      expect(returned.map((x) => x.sku_id)).toEqual(d.items.map((x) => x.sku_id));
      expect(returned.map((x) => x.r_qty)).toEqual(d.items.map((x) => (d.status === 'Confirmed' ? x.qty : 0)));
      expect(r.good_status === 'SELLER_RECEIVED').toBe(d.status === 'Confirmed');
    }
  });
});

describe('after-sale query endpoints', () => {
  it('seedKind inserts both kinds, linked by as_id, and returns the ids of the kind asked for', () => {
    const { core } = setup();
    const { ids } = core.seedKind(AFTERSALE_RECEIVED_KIND, { count: 10, seed: 1 });
    expect(ids).toHaveLength(10);
    expect(core.store.count(AFTERSALE_RECEIVED_KIND)).toBe(10);
    expect(core.store.count(REFUND_KIND)).toBe(10);
    const again = core.seedKind(REFUND_KIND, { count: 2, seed: 2 });
    expect(again.ids.map(Number)).toEqual([900_011, 900_012]);
    expect(() => core.seedKind('nope', { count: 1 })).toThrow('no generator for kind nope');
  });

  it('received: start_ts pages in ts order with an inclusive boundary; other filters are ignored', () => {
    const { core, received } = setup();
    core.seedKind(AFTERSALE_RECEIVED_KIND, { count: 30, seed: 3 });
    const first = received({ start_ts: 1, is_get_total: false, page_index: 1, page_size: 20, io_ids: ['1'] });
    expect(first.datas).toHaveLength(20);
    expect(first.has_next).toBe(true);
    expect(first.data_count).toBe(0);
    const ts = first.datas.map((d) => d.ts);
    expect([...ts].sort((x, y) => x - y)).toEqual(ts);
    const next = received({ start_ts: ts[19], is_get_total: false, page_index: 1, page_size: 20 });
    expect(next.datas[0]!.io_id).toBe(first.datas[19]!.io_id);
    expect(next.datas).toHaveLength(11);
    expect(next.has_next).toBe(false);
  });

  it('received: window or id list required, window ≤ 7 days, page_size ≤ 50, io_ids and as_ids filter', () => {
    const { core, received } = setup();
    const ids = core.seedKind(AFTERSALE_RECEIVED_KIND, { count: 5, seed: 4 }).ids;
    expect(rejection(() => received({})).message).toContain('modified_begin');
    expect(rejection(() => received({ modified_begin: '2024-05-10 00:00:00', modified_end: '2024-05-17 00:00:01' })).message).toContain('7 days');
    expect(rejection(() => received({ io_ids: ids, page_size: 51 })).message).toContain('page_size');
    expect(rejection(() => received({ io_ids: ids, date_type: 3 })).message).toContain('date_type');
    expect(received({ io_ids: [ids[1], ids[3]] }).datas.map((d) => String(d.io_id))).toEqual([ids[1], ids[3]].sort((a, b) => {
      const da = core.store.get(AFTERSALE_RECEIVED_KIND, a!)!; const db = core.store.get(AFTERSALE_RECEIVED_KIND, b!)!;
      return da.modified.localeCompare(db.modified) || Number(a) - Number(b);
    }));
    const doc = core.store.get(AFTERSALE_RECEIVED_KIND, ids[2]!)!;
    expect(received({ as_ids: [String(doc.as_id)] }).datas.map((d) => d.io_id)).toEqual([doc.io_id]);
    const all = received({ modified_begin: range.modifiedFrom, modified_end: range.modifiedTo });
    expect(all.data_count).toBe(5);
  });

  it('refund: ts is a String, status and good_status filter a window', () => {
    const { core, refund } = setup();
    core.seedKind(REFUND_KIND, { count: 40, seed: 5 });
    const page = refund({ start_ts: 1, page_size: 50 });
    expect(page.datas).toHaveLength(40);
    for (const d of page.datas) expect(typeof d.ts).toBe('string');
    const done = refund({ ...{ modified_begin: range.modifiedFrom, modified_end: range.modifiedTo }, status: 'Confirmed', good_status: 'SELLER_RECEIVED', page_size: 50 });
    const want = core.store.list(REFUND_KIND, { status: 'Confirmed' }).filter((d) => d.good_status === 'SELLER_RECEIVED');
    expect(done.datas.map((d) => d.as_id).sort()).toEqual(want.map((d) => d.as_id).sort());
    expect(done.datas.length).toBeGreaterThan(10);
    expect(rejection(() => refund({ as_ids: ['1'], status: 'Done' })).message).toContain('status');
  });
});
