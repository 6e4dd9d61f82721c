import type { RateLimitedError } from '@sync/errors';
import { expectClassified, type ExpectedClassification } from './classified.test-support';
import { classifyJstError, type JstFailure } from './classify-error';

type Expected = ExpectedClassification;

const path = '/open/orders/out/simple/query';
const table: [string, JstFailure, Expected][] = [
  ['code 0, HTTP 200', { httpStatus: 200, code: 0 }, null],
  ['no code, HTTP 204', { httpStatus: 204 }, null],
  ['199 per-second limit', { httpStatus: 200, code: 199, msg: '调用太频繁，请稍后再试!' }, { kind: 'rate-limited', code: 'JST_RATE_LIMIT_SECOND', retryAfterMs: 1000 }],
  ['200 per-minute limit', { httpStatus: 200, code: 200, msg: '调用频次超过限制!' }, { kind: 'rate-limited', code: 'JST_RATE_LIMIT_MINUTE', retryAfterMs: 60_000 }],
  ['HTTP 429', { httpStatus: 429 }, { kind: 'rate-limited', code: 'JST_HTTP_429', retryAfterMs: 1000 }],
  ['HTTP 429 with Retry-After', { httpStatus: 429, retryAfter: '7' }, { kind: 'rate-limited', code: 'JST_HTTP_429', retryAfterMs: 7000 }],
  ['unknown code saying too frequent', { code: 201, msg: '调用太频繁' }, { kind: 'rate-limited', code: 'JST_RATE_LIMIT', retryAfterMs: 1000 }],
  ['10 bad signature', { code: 10, msg: '验证失败!无效签名' }, { kind: 'permanent', code: 'AUTH_FAILED', message: /JST_APP_SECRET/ }],
  ['100 token (after the re-auth)', { code: 100, msg: '验证失败！无效的access_token' }, { kind: 'permanent', code: 'AUTH_FAILED', message: /re-authoris/ }],
  ['110 IP whitelist', { code: 110, msg: '已设置IP白名单，该IP不在白名单列表：1.2.3.4' }, { kind: 'permanent', code: 'AUTH_FAILED', message: /whitelist/ }],
  ['190 no API permission', { code: 190, msg: '验证失败!' }, { kind: 'permanent', code: 'AUTH_FAILED', message: /permission/ }],
  ['130 empty data', { code: 130, msg: '传输数据不能为空' }, { kind: 'permanent', code: 'JST_REJECTED' }],
  ['140 parameter error naming a field', { code: 140, msg: '参数不符合规范: modified_end 不能为空' }, { kind: 'permanent', code: 'JST_REJECTED', field: 'modified_end', message: /parameter: modified_end/ }],
  ['140 meaning timestamp (IEU table)', { code: 140, msg: '无效的timestamp，请求最大时间误差15分钟' }, { kind: 'transient', code: 'CLOCK_SKEW', message: /clock/ }],
  ['160 save failed', { code: 160, msg: '内部保存失败' }, { kind: 'permanent', code: 'JST_REJECTED' }],
  ['170 unknown shop', { code: 170, msg: '店铺编号[123]不存在!' }, { kind: 'permanent', code: 'JST_REJECTED', field: 'shop_id=123', message: /shop_id=123/ }],
  ['180 clock skew', { code: 180, msg: '执行失败!' }, { kind: 'transient', code: 'CLOCK_SKEW', message: /sync this server's clock/ }],
  ['150 internal error', { code: 150, msg: '内部处理异常！' }, { kind: 'transient', code: 'JST_INTERNAL' }],
  ['150 ISV may not refresh', { code: 150, msg: '服务商应用禁止刷新access_token,需商户重新授权' }, { kind: 'permanent', code: 'AUTH_FAILED' }],
  ['unknown code', { code: 999, msg: '???' }, { kind: 'permanent', code: 'JST_REJECTED', message: /code 999/ }],
  ['HTTP 500', { httpStatus: 500 }, { kind: 'transient', code: 'HTTP_5XX' }],
  ['HTTP 503 with code 0', { httpStatus: 503, code: 0 }, { kind: 'transient', code: 'HTTP_5XX' }],
  ['HTTP 502 but a JST code wins', { httpStatus: 502, code: 10, msg: '无效签名' }, { kind: 'permanent', code: 'AUTH_FAILED' }],
  ['HTTP 408', { httpStatus: 408 }, { kind: 'transient', code: 'HTTP_5XX' }],
  ['HTTP 404', { httpStatus: 404 }, { kind: 'permanent', code: 'JST_REJECTED', message: /JST_BASE_URL/ }],
  ['HTTP 400', { httpStatus: 400 }, { kind: 'permanent', code: 'JST_REJECTED' }],
  ['timeout', { networkError: { code: 'ECONNABORTED', message: 'timeout of 100ms exceeded' } }, { kind: 'transient', code: 'TIMEOUT' }],
  ['ETIMEDOUT', { networkError: { code: 'ETIMEDOUT', message: 'connect ETIMEDOUT' } }, { kind: 'transient', code: 'TIMEOUT' }],
  ['ECONNRESET', { networkError: { code: 'ECONNRESET', message: 'socket hang up' } }, { kind: 'transient', code: 'NETWORK' }],
  ['ECONNREFUSED', { networkError: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } }, { kind: 'transient', code: 'NETWORK' }],
];

describe('classifyJstError', () => {
  it.each(table)('%s', (_name, failure, expected) => {
    const err = classifyJstError({ path, ...failure });
    expectClassified(err, expected, path);
    if (err && failure.code !== undefined) expect(err.details.jstCode).toBe(failure.code);
  });

  it('uses configured rate-limit delays', () => {
    const delays = { perSecondMs: 2500, perMinuteMs: 90_000, http429Ms: 4000 };
    expect((classifyJstError({ code: 199 }, delays) as RateLimitedError).retryAfterMs).toBe(2500);
    expect((classifyJstError({ code: 200 }, delays) as RateLimitedError).retryAfterMs).toBe(90_000);
    expect((classifyJstError({ httpStatus: 429 }, delays) as RateLimitedError).retryAfterMs).toBe(4000);
  });
});
