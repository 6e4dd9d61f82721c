import { demoCredentials } from '../demo-catalog';
import { startJstSimulator, type JstSimulator } from './index';
import { businessForm, postForm } from './jst-calls.test-support';

const PATH = '/open/orders/out/simple/query';
const NOW = Date.UTC(2024, 4, 20, 8, 0, 0); // 2024-05-20 16:00:00 Beijing

describe('window paging over live data', () => {
  let sim: JstSimulator;
  beforeEach(async () => {
    sim = await startJstSimulator({ now: () => NOW, rateLimit: { perSecond: 0, perMinute: 0 } });
  });
  afterEach(() => sim.close());

  const page = async (pageIndex: number): Promise<{ ids: number[]; hasNext: boolean }> => {
    const biz = { modified_begin: '2024-05-20 00:00:00', modified_end: '2024-05-20 16:00:00', page_index: pageIndex, page_size: 10 };
    const res = await postForm(sim.url + PATH, businessForm(biz, { ...demoCredentials.jst, timestamp: Math.floor(NOW / 1000) }));
    return { ids: res.body!.data.datas.map((d: { io_id: number }) => d.io_id), hasNext: res.body!.data.has_next };
  };

  it('shifts rows between pages when documents change during a scan, so a naive page loop misses some', async () => {
    const { ids: seeded } = sim.seed({ kind: 'orders-out', count: 35, seed: 11, modifiedFrom: '2024-05-20 00:00:00', modifiedTo: '2024-05-20 12:00:00' });
    const ordered = (await Promise.all([1, 2, 3, 4].map(page))).flatMap((p) => p.ids);
    expect(new Set(ordered)).toEqual(new Set(seeded));

    // Naive loop: read page after page; after page 1 someone edits five of its documents (modified = now,
    // still inside the window), so they move to the end and the following rows slide up by five.
    const seen = new Set<number>();
    let pageIndex = 1;
    for (;;) {
      const p = await page(pageIndex);
      p.ids.forEach((id) => seen.add(id));
      if (pageIndex === 1) for (const id of p.ids.slice(0, 5)) sim.mutate('orders-out', id);
      if (!p.hasNext) break;
      pageIndex++;
    }
    const missed = seeded.filter((id) => !seen.has(id));
    expect(missed.sort()).toEqual(ordered.slice(10, 15).sort());
  });
});
