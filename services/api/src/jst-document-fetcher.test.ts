import { flowRegistry, syncConfigSchema } from '@sync/flows';
import type { JstPage } from '@sync/jushuitan';
import { createJstDocumentFetcher } from './jst-document-fetcher';

describe('createJstDocumentFetcher', () => {
  const config = syncConfigSchema.parse({ flows: { 'sales-outbound': {} } });
  const doc = (ioId: number) => ({
    io_id: ioId, status: 'Confirmed', ts: 5, modified: '2026-11-27 10:00:00', wms_co_id: 1, shop_id: 2,
    items: [{ ioi_id: 1, sku_id: 'A', qty: 1 }],
  });

  it('asks the flow endpoint by its id filter and returns the matching document', async () => {
    const calls: { path: string; biz: Record<string, unknown> }[] = [];
    const jst = {
      queryPage: async (path: string, biz: Record<string, unknown>): Promise<JstPage> => {
        calls.push({ path, biz });
        return { pageIndex: 1, pageSize: 50, hasNext: false, datas: [doc(7), doc(8)] };
      },
    };
    const fetch = createJstDocumentFetcher(jst, flowRegistry, config);
    expect(await fetch('sales-outbound', '8')).toMatchObject({ io_id: 8 });
    expect(calls).toEqual([{ path: '/open/orders/out/simple/query', biz: { io_ids: ['8'], page_index: 1, page_size: 50 } }]);
    expect(await fetch('sales-outbound', '9')).toBeUndefined();
    expect(await fetch('no-such-flow', '9')).toBeUndefined();
  });
});
