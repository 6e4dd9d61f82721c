import { classifyRefusal } from './refusal';

describe('classifyRefusal', () => {
  it.each([
    [[{ message: '更新库存时出现可以忽略的异常数据，是否继续？' }], 11, 'negative-stock'],
    [[{ message: '物料A1001即时库存不足，不允许负库存出库' }], 11, 'negative-stock'],
    [[{ message: '单据已进入工作流，不能直接审核，请在工作流中处理' }], 11, 'workflow'],
    [[{ message: '没有审核权限' }], 2, 'permission'],
    [[{ message: 'anything' }], 2, 'permission'],
    [[{ message: '用户没有“销售出库单”的“审核”权限' }], 11, 'permission'],
    [[{ message: '单据编号为“X”的销售出库单，单据已经审核！' }], 11, undefined],
    [[], undefined, undefined],
  ] as const)('%j (MsgCode %s) → %s', (errors, msgCode, expected) => {
    expect(classifyRefusal(errors, msgCode)).toBe(expected);
  });
});
