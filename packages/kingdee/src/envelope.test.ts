import { findResponseStatus, interpretQueryAnswer, parseBody } from './envelope';
import { mapBatchResults } from './batch-results';

describe('parseBody', () => {
  it('parses JSON, response_error: bodies and garbage', () => {
    expect(parseBody('{"a":1}')).toEqual({ kind: 'json', value: { a: 1 } });
    expect(parseBody('response_error:{"Message":"未将对象引用设置到对象的实例","InnerExWrapper":null,"InnerException":null}'))
      .toEqual({ kind: 'response-error', message: '未将对象引用设置到对象的实例' });
    expect(parseBody('response_error: not json')).toEqual({ kind: 'response-error', message: 'not json' });
    expect(parseBody('<html><body>Server Error</body></html>').kind).toBe('invalid');
    expect(parseBody('{"Result":').kind).toBe('invalid');
    expect(parseBody('').kind).toBe('invalid');
  });
});

describe('findResponseStatus', () => {
  it('reads the real boolean/number shape', () => {
    const s = findResponseStatus({
      Result: { ResponseStatus: { IsSuccess: true, Errors: [], SuccessEntitys: [{ Id: 140670, Number: 'MBCGRK-1', DIndex: 0 }], SuccessMessages: [], MsgCode: 0 }, Id: 140670 },
    });
    expect(s).toEqual({ isSuccess: true, msgCode: 0, errors: [], successes: [{ id: 140670, number: 'MBCGRK-1', dIndex: 0 }] });
  });

  it('reads the documentation template shape (strings, empty ErrorCode, missing lists)', () => {
    const s = findResponseStatus({ Result: { ResponseStatus: { ErrorCode: '', IsSuccess: 'false', Errors: [{ FieldName: '', Message: 'm', DIndex: '1' }], MsgCode: '11' }, Id: '' } });
    expect(s).toEqual({ isSuccess: false, msgCode: 11, errors: [{ fieldName: null, message: 'm', dIndex: 1 }], successes: [] });
    expect(findResponseStatus({ Result: { ResponseStatus: { IsSuccess: 'TRUE' } } })?.isSuccess).toBe(true);
  });

  it('finds the status in the ExecuteBillQuery [[...]] error shape and not in rows', () => {
    const wrapped = [[{ Result: { ResponseStatus: { ErrorCode: 500, IsSuccess: false, Errors: [{ FieldName: null, Message: 'x', DIndex: 0 }], MsgCode: 9 } } }]];
    expect(findResponseStatus(wrapped)?.msgCode).toBe(9);
    expect(findResponseStatus([['SKU-1', 'n', true]])).toBeUndefined();
    expect(findResponseStatus([])).toBeUndefined();
  });
});

describe('interpretQueryAnswer', () => {
  it('returns rows, the wrapped status, or invalid', () => {
    expect(interpretQueryAnswer([[1, 'a'], [2, 'b']])).toEqual({ kind: 'rows', rows: [[1, 'a'], [2, 'b']] });
    expect(interpretQueryAnswer([])).toEqual({ kind: 'rows', rows: [] });
    expect(interpretQueryAnswer([[{ Result: { ResponseStatus: { IsSuccess: false, MsgCode: 1 } } }]]).kind).toBe('status');
    expect(interpretQueryAnswer({ foo: 1 }).kind).toBe('invalid');
    expect(interpretQueryAnswer([1, 2]).kind).toBe('invalid');
  });
});

describe('mapBatchResults', () => {
  it('maps successes and errors by DIndex and flags dropped packages', () => {
    const r = mapBatchResults(4, {
      isSuccess: false,
      msgCode: 11,
      successes: [{ id: 11, number: 'B-0', dIndex: 0 }, { id: 13, number: 'B-2', dIndex: 2 }],
      errors: [{ fieldName: 'FBillNo', message: '违反字段唯一性要求', dIndex: 1 }, { fieldName: 'FQTY', message: 'qty', dIndex: 1 }],
    });
    expect(r[0]).toEqual({ ok: true, dIndex: 0, id: 11, number: 'B-0' });
    expect(r[1]).toEqual({
      ok: false, dIndex: 1, msgCode: 11,
      errors: [{ fieldName: 'FBillNo', message: '违反字段唯一性要求', dIndex: 1 }, { fieldName: 'FQTY', message: 'qty', dIndex: 1 }],
    });
    expect(r[2]).toEqual({ ok: true, dIndex: 2, id: 13, number: 'B-2' });
    expect(r[3].ok).toBe(false);
    if (!r[3].ok) expect(r[3].errors[0].message).toMatch(/neither a success nor an error/);
  });

  it('applies an error without DIndex to every package that did not succeed', () => {
    const r = mapBatchResults(2, { isSuccess: false, msgCode: undefined, successes: [{ id: 1, number: 'A', dIndex: 0 }], errors: [{ fieldName: null, message: 'boom', dIndex: undefined }] });
    expect(r[0].ok).toBe(true);
    expect(r[1]).toEqual({ ok: false, dIndex: 1, msgCode: undefined, errors: [{ fieldName: null, message: 'boom', dIndex: 1 }] });
  });
});
