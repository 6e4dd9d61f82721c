import type { RateLimitedError } from '@sync/errors';
import { expectClassified, type ExpectedClassification } from './classified.test-support';
import { classifyQimenError, type QimenFailure } from './qimen-classify-error';

type Expected = ExpectedClassification;

const method = 'jushuitan.saleout.list.query';
const table: [string, QimenFailure, Expected][] = [
  ['HTTP 200 without a failure code', { httpStatus: 200 }, null],
  ['code 0 (number)', { httpStatus: 200, code: 0 }, null],
  ['code "0" (string)', { httpStatus: 200, code: '0' }, null],
  ['7 App Call Limited', { httpStatus: 200, code: 7, message: 'App Call Limited' }, { kind: 'rate-limited', code: 'QIMEN_RATE_LIMIT', retryAfterMs: 1000 }],
  ['7 with the ban length in the sub-message', { code: 7, message: 'App Call Limited', subMessage: 'This ban will last for 3 more seconds' }, { kind: 'rate-limited', code: 'QIMEN_RATE_LIMIT', retryAfterMs: 3000 }],
  ['"7" as a string', { code: '7', message: 'App Call Limited' }, { kind: 'rate-limited', code: 'QIMEN_RATE_LIMIT', retryAfterMs: 1000 }],
  ['a target code saying too frequent', { code: 'JST_LIMIT', message: '调用太频繁' }, { kind: 'rate-limited', code: 'QIMEN_RATE_LIMIT', retryAfterMs: 1000 }],
  ['access-control sub-code', { code: 7, subCode: 'accesscontrol.limited-by-app-access-count' }, { kind: 'rate-limited', code: 'QIMEN_RATE_LIMIT', retryAfterMs: 1000 }],
  ['HTTP 429', { httpStatus: 429, retryAfter: '2' }, { kind: 'rate-limited', code: 'JST_HTTP_429', retryAfterMs: 2000 }],
  ['25 Invalid signature (observed verbatim)', { httpStatus: 200, code: 25, message: 'Invalid signature' }, { kind: 'permanent', code: 'AUTH_FAILED', message: /JST_QIMEN_APP_SECRET/ }],
  ['24 Missing signature', { code: 24, message: 'Missing signature' }, { kind: 'permanent', code: 'AUTH_FAILED' }],
  ['29 Invalid app key', { code: 29, message: 'Invalid app Key' }, { kind: 'permanent', code: 'AUTH_FAILED', message: /JST_QIMEN_APP_KEY/ }],
  ['28 Missing app key', { code: 28, message: 'Missing app key' }, { kind: 'permanent', code: 'AUTH_FAILED' }],
  ['11 Insufficient ISV permissions', { code: 11, message: 'Insufficient isv permissions' }, { kind: 'permanent', code: 'AUTH_FAILED', message: /23060081/ }],
  ['12 Insufficient user permissions', { code: 12, message: 'Insufficient user permissions' }, { kind: 'permanent', code: 'AUTH_FAILED' }],
  ['13 Insufficient partner permissions', { code: 13 }, { kind: 'permanent', code: 'AUTH_FAILED' }],
  ['27 Invalid session', { code: 27, message: 'Invalid session' }, { kind: 'permanent', code: 'AUTH_FAILED', message: /JST_QIMEN_URL/ }],
  ['31 Invalid timestamp', { code: 31, message: 'Invalid timestamp' }, { kind: 'transient', code: 'CLOCK_SKEW', message: /NTP/ }],
  ['10 Service currently unavailable', { code: 10, message: 'Service currently unavailable' }, { kind: 'transient', code: 'QIMEN_UNAVAILABLE' }],
  ['15 Remote service error', { code: 15, message: 'Remote service error' }, { kind: 'transient', code: 'QIMEN_UNAVAILABLE' }],
  ['an isp.* sub-code', { code: 99, subCode: 'isp.top-remote-connection-timeout' }, { kind: 'transient', code: 'QIMEN_UNAVAILABLE' }],
  ['22 Invalid method', { code: 22, message: 'Invalid method' }, { kind: 'permanent', code: 'JST_REJECTED', field: 'method' }],
  ['23 Invalid format', { code: 23, message: 'Invalid format' }, { kind: 'permanent', code: 'JST_REJECTED', field: 'format' }],
  ['41 Invalid arguments naming a field', { code: 41, message: 'Invalid arguments', subMessage: 'page_size must be <= 50' }, { kind: 'permanent', code: 'JST_REJECTED', field: 'page_size', message: /parameter: page_size/ }],
  ['40 Missing required arguments', { code: 40, message: 'Missing required arguments:customer_id' }, { kind: 'permanent', code: 'JST_REJECTED', field: 'customer_id' }],
  ['a JST string code (business failure)', { code: 'JST_DELIVERY_EXPRESS_ERROR', message: '发货失败!' }, { kind: 'permanent', code: 'JST_REJECTED', message: /JST_DELIVERY_EXPRESS_ERROR/ }],
  ['a failure code on HTTP 502', { httpStatus: 502, code: 'GATEWAY' }, { kind: 'transient', code: 'HTTP_5XX' }],
  ['HTTP 500 without a code', { httpStatus: 500 }, { kind: 'transient', code: 'HTTP_5XX' }],
  ['HTTP 404 without a code', { httpStatus: 404 }, { kind: 'permanent', code: 'JST_REJECTED' }],
  ['timeout', { networkError: { code: 'ECONNABORTED', message: 'timeout of 100ms exceeded' } }, { kind: 'transient', code: 'TIMEOUT' }],
  ['connection refused', { networkError: { code: 'ECONNREFUSED', message: 'connect ECONNREFUSED' } }, { kind: 'transient', code: 'NETWORK' }],
];

describe('classifyQimenError', () => {
  it.each(table)('%s', (_name, failure, expected) => {
    const err = classifyQimenError({ method, ...failure });
    expectClassified(err, expected, method);
  });

  it('uses the configured call-limit delay', () => {
    const err = classifyQimenError({ method, code: 7 }, { callLimitMs: 2500, http429Ms: 100 });
    expect((err as RateLimitedError).retryAfterMs).toBe(2500);
  });
});
