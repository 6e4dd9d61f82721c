import { PermanentError, TransientError } from '@sync/errors';
import { createKingdeeClient } from './client';
import { isDuplicateBillNo } from './duplicate-bill-no';
import type { KingdeeApi } from './types';
import { failure, saveOk, startFakeKingdee, type FakeHandler, type FakeKingdee, type FakeRequest } from './testing/fake-kingdee-server';
import { createLoginGate } from './testing/login-gate';

const password = 'pw-ops-1';

/** `data` of a business call, from either body convention. */
function dataOf(req: FakeRequest): Record<string, unknown> {
  const body = req.body as { data?: unknown; parameters?: unknown[] };
  const raw = body.parameters ? body.parameters[body.parameters.length - 1] : body.data;
  return (typeof raw === 'string' ? JSON.parse(raw) : raw) as Record<string, unknown>;
}

describe('Kingdee client: operations', () => {
  let server: FakeKingdee;
  let client: KingdeeApi;
  let business: FakeHandler = () => saveOk(1, 'x');

  async function start(handler: FakeHandler, extra: { timeoutMs?: number; bodyStyle?: 'named' | 'positional' } = {}): Promise<void> {
    business = handler;
    server = await startFakeKingdee(createLoginGate({ integration: password }, (req) => business(req)).handler);
    client = createKingdeeClient({
      baseUrl: server.url, auth: 'password', acctId: '5f1e2d3c4b5a69', users: [{ username: 'integration', password }],
      timeoutMs: extra.timeoutMs ?? 5000, bodyStyle: extra.bodyStyle,
    });
  }
  const businessRequests = () => server.requests.filter((r) => r.service.startsWith('DynamicFormService.'));

  afterEach(async () => {
    await client.close();
    await server.close();
  });

  it('Save success returns id and number and sends options before Model', async () => {
    await start(() => saveOk(140670, 'MBCGRK-2023051500004'));
    await expect(client.save('STK_InStock', { FID: 0, FBillNo: 'MBCGRK-2023051500004' }, { IsAutoSubmitAndAudit: false, NeedReturnFields: ['FBillNo'] }))
      .resolves.toEqual({ id: 140670, number: 'MBCGRK-2023051500004' });
    const req = businessRequests()[0];
    expect(req.body).toEqual({ formid: 'STK_InStock', data: { IsAutoSubmitAndAudit: false, NeedReturnFields: ['FBillNo'], Model: { FID: 0, FBillNo: 'MBCGRK-2023051500004' } } });
  });

  it('Save success with string IsSuccess and a numeric-string Id (documentation template shape)', async () => {
    await start(() => ({ body: { Result: { ResponseStatus: { ErrorCode: '', IsSuccess: 'true', Errors: [], SuccessEntitys: [{ Id: '42', Number: 'N42', DIndex: '0' }], SuccessMessages: [], MsgCode: '0' }, Id: '42', Number: 'N42', NeedReturnData: [{}] } } }));
    await expect(client.save('SAL_OUTSTOCK', {})).resolves.toEqual({ id: 42, number: 'N42' });
  });

  it('Save failure (boolean IsSuccess) is PermanentError KINGDEE_REJECTED listing FieldName: Message', async () => {
    await start(() => failure([{ FieldName: 'FQTY', Message: '第1行分录，数量大于入库上限！', DIndex: 0 }]));
    const err = (await client.save('STK_InStock', {}).catch((e: unknown) => e)) as PermanentError;
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.code).toBe('KINGDEE_REJECTED');
    expect(err.message).toContain('FQTY: 第1行分录，数量大于入库上限！');
    expect(err.details.errors).toEqual([{ fieldName: 'FQTY', message: '第1行分录，数量大于入库上限！', dIndex: 0 }]);
    expect(isDuplicateBillNo(err)).toBe(false);
  });

  it('Save failure with string IsSuccess "false" is rejected too', async () => {
    await start(() => ({ body: { Result: { ResponseStatus: { ErrorCode: '', IsSuccess: 'false', Errors: [{ FieldName: 'FCustomerID', Message: '字段“客户”是必填项', DIndex: 0 }], SuccessEntitys: [], SuccessMessages: [] }, Id: '' } } }));
    const err = (await client.save('SAL_OUTSTOCK', {}).catch((e: unknown) => e)) as PermanentError;
    expect(err.code).toBe('KINGDEE_REJECTED');
    expect(err.message).toContain('FCustomerID: 字段“客户”是必填项');
  });

  it('a duplicate FBillNo is recognisable', async () => {
    await start(() => failure([{ FieldName: 'FBillNo', Message: '违反字段唯一性要求：编码唯一。[JST-SO-1]在当前系统中已经被使用。', DIndex: 0 }], 11));
    const err = await client.save('SAL_OUTSTOCK', { FBillNo: 'JST-SO-1' }).catch((e: unknown) => e);
    expect(isDuplicateBillNo(err)).toBe(true);
    expect((err as PermanentError).details.msgCode).toBe(11);
  });

  it('BatchSave maps SuccessEntitys and Errors by DIndex, with a dropped package', async () => {
    await start(() => ({
      body: {
        Result: {
          ResponseStatus: {
            ErrorCode: 500, IsSuccess: false,
            Errors: [{ FieldName: 'FBillNo', Message: '违反字段唯一性要求：编码唯一。[B]在当前系统中已经被使用。', DIndex: 1 }],
            SuccessEntitys: [{ Id: 10, Number: 'A', DIndex: 0 }, { Id: 12, Number: 'C', DIndex: 2 }],
            SuccessMessages: [], MsgCode: 11,
          },
          NeedReturnData: [{}],
        },
      },
    }), { bodyStyle: 'positional' });
    const models = [{ FBillNo: 'A' }, { FBillNo: 'B' }, { FBillNo: 'C' }, { FBillNo: 'D' }];
    const results = await client.batchSave('SAL_OUTSTOCK', models, { BatchCount: 2 });
    expect(results[0]).toEqual({ ok: true, dIndex: 0, id: 10, number: 'A' });
    expect(results[1]).toMatchObject({ ok: false, dIndex: 1, msgCode: 11, errors: [{ fieldName: 'FBillNo', dIndex: 1 }] });
    expect(results[2]).toEqual({ ok: true, dIndex: 2, id: 12, number: 'C' });
    expect(results[3].ok).toBe(false);
    const req = businessRequests()[0];
    expect(req.service).toBe('DynamicFormService.BatchSave');
    expect((req.body as { parameters: unknown[] }).parameters[0]).toBe('SAL_OUTSTOCK');
    expect(dataOf(req)).toEqual({ BatchCount: 2, Model: models });
  });

  it('BatchSave call-level failure (MsgCode 14) throws TransientError', async () => {
    await start(() => failure([{ FieldName: null, Message: '调用次数超过限制' }], 14));
    const err = await client.batchSave('SAL_OUTSTOCK', [{}, {}]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).code).toBe('CALL_LIMIT');
  });

  it('ExecuteBillQuery returns rows (named and positional bodies)', async () => {
    const rows = [[100234, 'SKU-0001', '保温杯', true, 365, '2024-06-02T10:11:12.123']];
    await start(() => ({ body: rows }), { bodyStyle: 'positional' });
    const query = { FormId: 'BD_MATERIAL', FieldKeys: 'FMATERIALID,FNumber,FName,FIsBatchManage,FExpPeriod,FModifyDate', FilterString: "FNumber='SKU-0001'", StartRow: 0, Limit: 2000 };
    await expect(client.executeBillQuery(query)).resolves.toEqual(rows);
    expect(businessRequests()[0].body).toEqual({ parameters: [JSON.stringify(query)] });
  });

  it('ExecuteBillQuery named body has no formid', async () => {
    await start(() => ({ body: [] }));
    await expect(client.executeBillQuery({ FormId: 'BD_MATERIAL', FieldKeys: 'FNumber' })).resolves.toEqual([]);
    expect(businessRequests()[0].body).toEqual({ data: { FormId: 'BD_MATERIAL', FieldKeys: 'FNumber' } });
  });

  it('ExecuteBillQuery [[...]] error is PermanentError with the server message', async () => {
    await start(() => ({
      body: [[{ Result: { ResponseStatus: { ErrorCode: 500, IsSuccess: false, Errors: [{ FieldName: null, Message: '元数据中标识为FIssueType的字段不存在', DIndex: 0 }], SuccessEntitys: [], SuccessMessages: [], MsgCode: 9 } } }]],
    }));
    const err = (await client.executeBillQuery({ FormId: 'SAL_OUTSTOCK', FieldKeys: 'FIssueType' }).catch((e: unknown) => e)) as PermanentError;
    expect(err).toBeInstanceOf(PermanentError);
    expect(err.code).toBe('KINGDEE_REJECTED');
    expect(err.message).toContain('元数据中标识为FIssueType的字段不存在');
    expect(err.details.msgCode).toBe(9);
  });

  it('a response_error: body is a TransientError carrying the server message', async () => {
    await start(() => ({ body: 'response_error:{"Message":"未将对象引用设置到对象的实例。","InnerExWrapper":null,"InnerException":null}' }));
    const err = (await client.save('SAL_OUTSTOCK', {}).catch((e: unknown) => e)) as TransientError;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('RESPONSE_ERROR');
    expect(err.message).toContain('未将对象引用设置到对象的实例。');
  });

  it('an HTML page with HTTP 200 is PermanentError INVALID_RESPONSE; HTTP 500 is transient', async () => {
    let status = 200;
    await start(() => ({ status, body: '<html><body>IIS</body></html>', headers: { 'Content-Type': 'text/html' } }));
    const invalid = (await client.save('SAL_OUTSTOCK', {}).catch((e: unknown) => e)) as PermanentError;
    expect(invalid.code).toBe('INVALID_RESPONSE');
    status = 500;
    const http5xx = (await client.save('SAL_OUTSTOCK', {}).catch((e: unknown) => e)) as TransientError;
    expect(http5xx).toBeInstanceOf(TransientError);
    expect(http5xx.code).toBe('HTTP_5XX');
  });

  it('a Save that times out is an ambiguous TransientError TIMEOUT', async () => {
    await start(() => ({ ...saveOk(1, 'late'), delayMs: 1500 }), { timeoutMs: 300 });
    const err = (await client.save('SAL_OUTSTOCK', {}).catch((e: unknown) => e)) as TransientError;
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('TIMEOUT');
    expect(err.details.ambiguous).toBe(true);
    const read = (await client.executeBillQuery({ FormId: 'X', FieldKeys: 'F' }).catch((e: unknown) => e)) as TransientError;
    expect(read.code).toBe('TIMEOUT');
    expect(read.details.ambiguous).toBe(false);
  });

  it('a refused connection is a TransientError NETWORK', async () => {
    await start(() => saveOk(1, 'x'));
    const dead = createKingdeeClient({ baseUrl: 'http://127.0.0.1:1', auth: 'password', acctId: 'a', users: [{ username: 'integration', password }], timeoutMs: 2000 });
    const err = (await dead.save('F', {}).catch((e: unknown) => e)) as TransientError;
    await dead.close();
    expect(err).toBeInstanceOf(TransientError);
    expect(err.code).toBe('NETWORK');
  });

  it('Submit / Audit / UnAudit / Delete send Numbers and return successes', async () => {
    await start((req) => ({
      body: {
        Result: {
          ResponseStatus: {
            IsSuccess: true, Errors: [],
            SuccessEntitys: (dataOf(req).Numbers as string[]).map((n, i) => ({ Id: 105410 + i, Number: n, DIndex: i })),
            SuccessMessages: [], MsgCode: 0,
          },
        },
      },
    }));
    const expected = { successes: [{ id: 105410, number: 'A1', dIndex: 0 }, { id: 105411, number: 'A2', dIndex: 1 }], errors: [] };
    await expect(client.submit('SAL_OUTSTOCK', ['A1', 'A2'])).resolves.toEqual(expected);
    await expect(client.audit('SAL_OUTSTOCK', ['A1', 'A2'], { InterationFlags: 'STK_InvCheckResult' })).resolves.toEqual(expected);
    await expect(client.unAudit('SAL_OUTSTOCK', ['A1', 'A2'])).resolves.toEqual(expected);
    await expect(client.delete('SAL_OUTSTOCK', ['A1', 'A2'])).resolves.toEqual(expected);
    expect(businessRequests().map((r) => r.op)).toEqual(['Submit', 'Audit', 'UnAudit', 'Delete']);
    expect(dataOf(businessRequests()[1])).toEqual({ InterationFlags: 'STK_InvCheckResult', Numbers: ['A1', 'A2'] });
  });

  it('Submit / Audit by FIDs send Ids as a comma-separated string', async () => {
    await start(() => ({
      body: { Result: { ResponseStatus: { IsSuccess: true, Errors: [], SuccessEntitys: [{ Id: 101, Number: 'A1', DIndex: 0 }], SuccessMessages: [], MsgCode: 0 } } },
    }));
    await client.submit('SAL_OUTSTOCK', { ids: [101, 102] });
    await client.audit('SAL_OUTSTOCK', { ids: [101] }, { InterationFlags: 'STK_InvCheckResult' });
    expect(dataOf(businessRequests()[0])).toEqual({ Ids: '101,102' });
    expect(dataOf(businessRequests()[1])).toEqual({ InterationFlags: 'STK_InvCheckResult', Ids: '101' });
  });

  it('Audit of an audited bill is rejected with the server text', async () => {
    await start(() => failure([{ FieldName: '', Message: '单据编号为“TK202504030001”的销售出库单，单据已经审核！', DIndex: 0 }], 11));
    const err = (await client.audit('SAL_OUTSTOCK', ['TK202504030001']).catch((e: unknown) => e)) as PermanentError;
    expect(err.code).toBe('KINGDEE_REJECTED');
    expect(err.message).toContain('单据已经审核');
  });

  it('View returns the data package, or undefined when the bill does not exist', async () => {
    await start((req) => {
      const data = dataOf(req);
      if (data.Number === 'EXISTS') {
        return { body: { Result: { ResponseStatus: { IsSuccess: true, Errors: [], SuccessEntitys: [], SuccessMessages: [], MsgCode: 0 }, Result: { Id: 9, Number: 'EXISTS', DocumentStatus: 'C' } } } };
      }
      return failure([{ FieldName: null, Message: '单据不存在', DIndex: 0 }], 10);
    });
    await expect(client.view('SAL_OUTSTOCK', { number: 'EXISTS' })).resolves.toEqual({ Id: 9, Number: 'EXISTS', DocumentStatus: 'C' });
    await expect(client.view('SAL_OUTSTOCK', { number: 'MISSING' })).resolves.toBeUndefined();
    await expect(client.view('SAL_OUTSTOCK', { id: 77 })).resolves.toBeUndefined();
    expect(dataOf(businessRequests()[2])).toEqual({ Id: 77 });
  });
});
