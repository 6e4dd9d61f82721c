import { demoCredentials } from '../demo-catalog';
import { startJstSimulator, type JstSimulator } from './index';
import { ITEMS_KIND, ITEMSKU_UPLOAD_PATH, ITEMSKU_UPLOADS_KIND } from './itemsku-upload';
import { admin, businessForm, postForm } from './jst-calls.test-support';

const creds = demoCredentials.jst;
const NOW = Date.UTC(2024, 5, 10, 2, 0, 0);

describe('/open/jushuitan/itemsku/upload', () => {
  let sim: JstSimulator;
  const upload = async (biz: Record<string, unknown>) => {
    const res = await postForm(sim.url + ITEMSKU_UPLOAD_PATH, businessForm(biz, { ...creds, timestamp: Math.floor(NOW / 1000) }));
    expect(res.status).toBe(200);
    return res.body!;
  };

  beforeEach(async () => {
    sim = await startJstSimulator({ now: () => NOW, rateLimit: { perSecond: 0, perMinute: 0 } });
  });
  afterEach(() => sim.close());

  it('upserts by sku_id and answers one result per item, a failed item not failing the call', async () => {
    const body = await upload({
      items: [
        { sku_id: 'A1001-RED-M', i_id: 'A1001', name: 'T恤', properties_value: '红色;M', unit: '件', batch_enabled: true, shelf_life: 730 },
        { sku_id: 'A1001-RED-L', i_id: 'A1001' },
        { sku_id: 'A1002', i_id: 'A1002', name: '杯', shelf_life: 0 },
      ],
    });
    expect(body.code).toBe(0);
    expect(body.data.datas).toEqual([
      { sku_id: 'A1001-RED-M', is_success: true, msg: '' },
      { sku_id: 'A1001-RED-L', is_success: false, msg: expect.stringContaining('name') },
      { sku_id: 'A1002', is_success: false, msg: expect.stringContaining('shelf_life') },
    ]);
    const items = await admin(sim.url, 'GET', `/docs/${ITEMS_KIND}`);
    expect(items.body.count).toBe(1);
    expect(items.body.docs[0]).toMatchObject({ sku_id: 'A1001-RED-M', name: 'T恤', unit: '件', batch_enabled: true, shelf_life: 730 });

    const again = await upload({ items: [{ sku_id: 'A1001-RED-M', name: 'T恤 新款' }] });
    expect(again.data.datas[0].is_success).toBe(true);
    expect(sim.store.get(ITEMS_KIND, 'A1001-RED-M')).toMatchObject({ name: 'T恤 新款', i_id: 'A1001', unit: '件' });
    expect(sim.store.count(ITEMS_KIND)).toBe(1);
    expect(sim.store.list(ITEMSKU_UPLOADS_KIND).map((c) => [c.call_id, c.item_count, c.failed])).toEqual([[1, 3, 2], [2, 1, 0]]);
  });

  it('with is_normal refuses to modify a combination SKU', async () => {
    sim.insert(ITEMS_KIND, [{ sku_id: 'COMBO-1', i_id: 'COMBO', name: '组合装', is_combine: true }]);
    const body = await upload({ items: [{ sku_id: 'COMBO-1', i_id: 'COMBO', name: 'x' }], is_normal: true });
    expect(body.data.datas[0]).toEqual({ sku_id: 'COMBO-1', is_success: false, msg: expect.stringContaining('组合装') });
    expect(sim.store.get(ITEMS_KIND, 'COMBO-1')?.name).toBe('组合装');
    const without = await upload({ items: [{ sku_id: 'COMBO-1', i_id: 'COMBO', name: 'x' }] });
    expect(without.data.datas[0].is_success).toBe(true);
  });

  it.each([
    [{}, 'items'],
    [{ items: [] }, 'items'],
    [{ items: Array.from({ length: 151 }, (_, i) => ({ sku_id: `S${i}`, i_id: 'S', name: 'n' })) }, '150'],
  ])('rejects %# with 140', async (biz, word) => {
    const body = await upload(biz);
    expect(body.code).toBe(140);
    expect(body.msg).toContain(word);
    expect(sim.store.count(ITEMS_KIND)).toBe(0);
  });
});
