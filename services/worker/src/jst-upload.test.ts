import { PermanentError } from '@sync/errors';
import type { JstUploadItem } from '@sync/flows';
import { readUploadAnswer, uploadItems } from './jst-upload';

const items: JstUploadItem[] = [
  { sku_id: 'A', i_id: 'A', name: 'a' },
  { sku_id: 'B', i_id: 'B', name: 'b' },
];

describe('readUploadAnswer', () => {
  it.each([
    ['booleans', { datas: [{ sku_id: 'B', is_success: false, msg: 'no' }, { sku_id: 'A', is_success: true, msg: '' }] }],
    ['strings', { datas: [{ sku_id: 'A', is_success: 'true' }, { sku_id: 'B', is_success: 'false', msg: 'no' }] }],
    ['no sku_id (by position)', { datas: [{ is_success: true }, { is_success: 'False', msg: 'no' }] }],
  ])('matches results to items (%s)', (_name, data) => {
    expect(readUploadAnswer(data, items)).toEqual([
      { ok: true, skuId: 'A' },
      { ok: false, skuId: 'B', message: 'no' },
    ]);
  });

  it.each([[null], [{}], [{ datas: [] }], [{ datas: null }]])('an empty answer %j means every item succeeded', (data) => {
    expect(readUploadAnswer(data, items).every((o) => o.ok)).toBe(true);
  });

  it('an item JST did not answer for is a failure; an unreadable answer is INVALID_RESPONSE', () => {
    expect(readUploadAnswer({ datas: [{ sku_id: 'A', is_success: true }] }, items)[1]).toEqual({ ok: false, skuId: 'B', message: 'JST returned no result for this item' });
    expect(() => readUploadAnswer({ datas: [{ sku_id: 'A', is_success: 'maybe' }] }, items)).toThrow(PermanentError);
  });

  it('uploadItems sends items plus the extra biz keys to the path', async () => {
    const sent: unknown[] = [];
    const jst = {
      call: async (path: string, biz: Record<string, unknown>) => {
        sent.push([path, biz]);
        return { datas: [{ sku_id: 'A', is_success: true }, { sku_id: 'B', is_success: true }] };
      },
      queryPage: async () => { throw new Error('unused'); },
    };
    expect((await uploadItems(jst, '/open/x', items, { is_normal: true })).every((o) => o.ok)).toBe(true);
    expect(sent).toEqual([['/open/x', { is_normal: true, items }]]);
  });
});
