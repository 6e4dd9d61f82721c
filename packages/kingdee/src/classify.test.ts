import { PermanentError, RateLimitedError, TransientError } from '@sync/errors';
import { classifyKingdeeFailure, type KingdeeFailure } from './classify';
import type { NormalizedStatus } from './envelope';
import { isAlreadyAudited, isDuplicateBillNo } from './duplicate-bill-no';

function status(msgCode: number | undefined, errors: [string | null, string][] = [[null, 'x']]): NormalizedStatus {
  return { isSuccess: false, msgCode, errors: errors.map(([fieldName, message]) => ({ fieldName, message, dIndex: 0 })), successes: [] };
}

type Expected = 'relogin' | { kind: 'transient' | 'permanent' | 'rate-limited'; code: string; ambiguous?: boolean };

const table: [string, KingdeeFailure, Expected][] = [
  ['HTTP 500', { kind: 'http', status: 500 }, { kind: 'transient', code: 'HTTP_5XX' }],
  ['HTTP 503', { kind: 'http', status: 503 }, { kind: 'transient', code: 'HTTP_5XX' }],
  ['HTTP 408', { kind: 'http', status: 408 }, { kind: 'transient', code: 'HTTP_5XX' }],
  ['gateway 519 stale timestamp', { kind: 'http', status: 519, gatewayErrcode: 4006 }, { kind: 'transient', code: 'HTTP_5XX' }],
  ['gateway 519 APP_ID empty', { kind: 'http', status: 519, gatewayErrcode: 4002 }, { kind: 'permanent', code: 'AUTH_FAILED' }],
  ['HTTP 401', { kind: 'http', status: 401 }, { kind: 'permanent', code: 'AUTH_FAILED' }],
  ['HTTP 404', { kind: 'http', status: 404 }, { kind: 'permanent', code: 'KINGDEE_REJECTED' }],
  ['HTTP 429', { kind: 'http', status: 429, retryAfterMs: 3000 }, { kind: 'rate-limited', code: 'HTTP_429' }],
  ['write timeout', { kind: 'timeout', write: true }, { kind: 'transient', code: 'TIMEOUT', ambiguous: true }],
  ['read timeout', { kind: 'timeout', write: false }, { kind: 'transient', code: 'TIMEOUT', ambiguous: false }],
  ['connection refused', { kind: 'network', code: 'ECONNREFUSED' }, { kind: 'transient', code: 'NETWORK' }],
  ['socket reset', { kind: 'network', code: 'ECONNRESET' }, { kind: 'transient', code: 'NETWORK' }],
  ['response_error: body', { kind: 'response-error', message: 'Object reference not set' }, { kind: 'transient', code: 'RESPONSE_ERROR' }],
  ['HTML body', { kind: 'invalid', reason: 'not JSON: <html>' }, { kind: 'permanent', code: 'INVALID_RESPONSE' }],
  ['MsgCode 1', { kind: 'status', status: status(1, [[null, '会话信息已丢失，请重新登录']]) }, 'relogin'],
  ['expiry text without MsgCode', { kind: 'status', status: status(undefined, [[null, '会话已超时,请重新登录']]) }, 'relogin'],
  ['expiry text, English variant', { kind: 'status', status: status(0, [[null, 'Session 已失效,请重新登录']]) }, 'relogin'],
  ['MsgCode 13 network-control lock', { kind: 'status', status: status(13) }, { kind: 'transient', code: 'NETWORK_CONTROL_LOCK' }],
  ['MsgCode 14 call limit', { kind: 'status', status: status(14) }, { kind: 'transient', code: 'CALL_LIMIT' }],
  ['MsgCode 11 validation', { kind: 'status', status: status(11, [['FBillNo', '违反字段唯一性要求：编码唯一。[X]在当前系统中已经被使用。']]) }, { kind: 'permanent', code: 'KINGDEE_REJECTED' }],
  ['MsgCode 9 unknown field', { kind: 'status', status: status(9) }, { kind: 'permanent', code: 'KINGDEE_REJECTED' }],
  ['MsgCode 2 no permission', { kind: 'status', status: status(2) }, { kind: 'permanent', code: 'KINGDEE_REJECTED' }],
  ['no MsgCode, field error', { kind: 'status', status: status(undefined, [['FQTY', '第1行分录，数量大于入库上限！']]) }, { kind: 'permanent', code: 'KINGDEE_REJECTED' }],
];

describe('classifyKingdeeFailure', () => {
  it.each(table)('%s', (_name, failure, expected) => {
    const verdict = classifyKingdeeFailure(failure, { op: 'Save', formId: 'SAL_OUTSTOCK' });
    if (expected === 'relogin') {
      expect(verdict).toEqual({ action: 'relogin' });
      return;
    }
    expect(verdict.action).toBe('throw');
    if (verdict.action !== 'throw') return;
    expect(verdict.error.kind).toBe(expected.kind);
    expect(verdict.error.code).toBe(expected.code);
    if (expected.ambiguous !== undefined) expect(verdict.error.details.ambiguous).toBe(expected.ambiguous);
  });

  it('lists every FieldName: Message and keeps errors and msgCode in details', () => {
    const v = classifyKingdeeFailure(
      { kind: 'status', status: status(11, [['FBillNo', '违反字段唯一性要求'], [null, '字段“客户”是必填项']]) },
      { op: 'Save', formId: 'SAL_OUTSTOCK' },
    );
    if (v.action !== 'throw') throw new Error('expected a throw');
    expect(v.error).toBeInstanceOf(PermanentError);
    expect(v.error.message).toBe('Kingdee rejected Save SAL_OUTSTOCK: FBillNo: 违反字段唯一性要求; 字段“客户”是必填项');
    expect(v.error.details).toMatchObject({
      msgCode: 11,
      errors: [{ fieldName: 'FBillNo', message: '违反字段唯一性要求', dIndex: 0 }, { fieldName: null, message: '字段“客户”是必填项', dIndex: 0 }],
    });
  });

  it('carries Retry-After into the rate-limited error', () => {
    const v = classifyKingdeeFailure({ kind: 'http', status: 429, retryAfterMs: 3000 }, { op: 'Save' });
    if (v.action !== 'throw' || !(v.error instanceof RateLimitedError)) throw new Error('expected RateLimitedError');
    expect(v.error.retryAfterMs).toBe(3000);
  });
});

describe('isDuplicateBillNo / isAlreadyAudited', () => {
  const rejected = (fieldName: string | null, message: string) =>
    new PermanentError('KINGDEE_REJECTED', 'x', { errors: [{ fieldName, message, dIndex: 0 }], msgCode: 11 });

  it.each([
    ['FieldName FBillNo', rejected('FBillNo', 'anything'), true],
    ['lower-case fbillno', rejected('fbillno', 'anything'), true],
    ['uniqueness message without field', rejected(null, '违反字段唯一性要求：编码唯一。[JST-1]在当前系统中已经被使用。'), true],
    ['other field error', rejected('FQTY', '第1行分录，数量大于入库上限！'), false],
    ['transient error', new TransientError('TIMEOUT', 'x', { errors: [{ fieldName: 'FBillNo', message: 'x', dIndex: 0 }] }), false],
    ['plain error', new Error('FBillNo'), false],
  ])('%s', (_name, err, expected) => {
    expect(isDuplicateBillNo(err)).toBe(expected);
  });

  it('recognises an already audited bill', () => {
    expect(isAlreadyAudited(rejected('', '单据编号为“TK202504030001”的销售出库单，单据已经审核！'))).toBe(true);
    expect(isAlreadyAudited(rejected('', '字段“客户”是必填项'))).toBe(false);
  });
});
