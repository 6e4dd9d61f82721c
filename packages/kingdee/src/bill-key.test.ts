import { billSearchQuery, findBills } from './bill-lookup';
import { resolveBillKey, withKeyField, type KeyFieldDefault } from './bill-key';

/** Key fields as the flows declare them (their `target.keyFields`). */
const THIRD_BILL_NO: KeyFieldDefault = { path: 'SubHeadEntity.FThirdBillNo', holds: 'source-id' };
const THIRD_SRC_BILL_NO: KeyFieldDefault = { path: 'FThirdSrcBillNo', holds: 'source-id' };
const DESCRIPTION: KeyFieldDefault = { path: 'FDESCRIPTION', holds: 'bill-no' };

describe('bill keys', () => {
  it('a form with a third-party field: the key is the value the transform put there', () => {
    expect(resolveBillKey({ SubHeadEntity: { FThirdBillNo: '2081234' } }, 'JSTSO2081234', THIRD_BILL_NO)).toEqual({
      path: 'SubHeadEntity.FThirdBillNo', queryField: 'FThirdBillNo', value: '2081234', set: false,
    });
  });
  it('a third-party field left empty, or a form without one: the writer stores FBillNo there', () => {
    expect(resolveBillKey({}, 'JSTTR1', THIRD_SRC_BILL_NO)).toEqual({ path: 'FThirdSrcBillNo', queryField: 'FThirdSrcBillNo', value: 'JSTTR1', set: true });
    expect(resolveBillKey({ FDESCRIPTION: 'text' }, 'JSTPR1', DESCRIPTION)).toMatchObject({ path: 'FDESCRIPTION', value: 'JSTPR1', set: true });
  });
  it('a configured field wins; a form with neither a declared nor a configured field has no key', () => {
    expect(resolveBillKey({ SubHeadEntity: { FThirdBillNo: '1' } }, 'JSTSO1', THIRD_BILL_NO, 'F_JST_Key')).toEqual({ path: 'F_JST_Key', queryField: 'F_JST_Key', value: 'JSTSO1', set: true });
    expect(resolveBillKey({}, 'X', undefined)).toBeUndefined();
  });
  it('withKeyField sets a header or sub-head field without changing the input', () => {
    const model = { FDate: 'd', SubHeadEntity: { FSettleOrgID: { FNumber: '100' } } };
    expect(withKeyField(model, 'SubHeadEntity.F_K', 'K')).toEqual({ FDate: 'd', SubHeadEntity: { FSettleOrgID: { FNumber: '100' }, F_K: 'K' } });
    expect(withKeyField(model, 'FNote', 'K')).toEqual({ ...model, FNote: 'K' });
    expect(model).toEqual({ FDate: 'd', SubHeadEntity: { FSettleOrgID: { FNumber: '100' } } });
  });
});

describe('findBills', () => {
  it('one query by numbers or key values (quotes escaped), each bill once', async () => {
    const queries: unknown[] = [];
    const rows = [[5, 'XS1', 'A', "it's"], [5, 'XS1', 'A', "it's"], [6, 'JSTSO2', 'C', '2']];
    const bills = await findBills({ executeBillQuery: async (q) => (queries.push(q), rows) }, 'SAL_OUTSTOCK', {
      numbers: ['JSTSO1', 'JSTSO2', 'JSTSO1'], key: { queryField: 'FThirdBillNo', values: ["it's", '2'] },
    });
    expect(queries).toEqual([{
      FormId: 'SAL_OUTSTOCK', FieldKeys: 'FID,FBillNo,FDocumentStatus,FThirdBillNo',
      FilterString: "FBillNo in ('JSTSO1','JSTSO2') or FThirdBillNo in ('it''s','2')",
    }]);
    expect(bills).toEqual([{ id: 5, number: 'XS1', status: 'A', key: "it's" }, { id: 6, number: 'JSTSO2', status: 'C', key: '2' }]);
  });
  it('nothing to look for: no call; an unreadable row: INVALID_RESPONSE', async () => {
    expect(billSearchQuery('F', { numbers: [] }).FilterString).toBe('');
    await expect(findBills({ executeBillQuery: async () => { throw new Error('no call expected'); } }, 'F', { numbers: [] })).resolves.toEqual([]);
    await expect(findBills({ executeBillQuery: async () => [['x', 'N', 'Q']] }, 'F', { numbers: ['N'] })).rejects.toMatchObject({ code: 'INVALID_RESPONSE' });
  });
});
