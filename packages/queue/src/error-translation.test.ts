import { PermanentError, RateLimitedError, TransientError } from '@sync/errors';
import { translateError, MAX_RATE_LIMITED_STARTS } from './error-translation';
import { formatFailedReason, parseFailedReason } from './failed-reason';
import { backoffDelay } from './backoff';

describe('translateError', () => {
  const first = { attemptsMade: 0, attempts: 3, attemptsStarted: 1 };
  const last = { attemptsMade: 2, attempts: 3, attemptsStarted: 3 };
  it.each([
    ['permanent, first attempt', new PermanentError('UNMAPPED_BASE_DATA', 'sku X has no material', { field: 'items.0.sku_id' }), first, 'dead-letter', '[UNMAPPED_BASE_DATA] sku X has no material'],
    ['transient, first attempt', new TransientError('TIMEOUT', 'Kingdee timed out'), first, 'retry', '[TIMEOUT] Kingdee timed out'],
    ['transient, last attempt', new TransientError('TIMEOUT', 'Kingdee timed out'), last, 'dead-letter', '[RETRIES_EXHAUSTED] after 3 attempts: [TIMEOUT] Kingdee timed out'],
    ['unknown error, first attempt', new TypeError('boom'), first, 'retry', '[UNEXPECTED] boom'],
    ['unknown error, last attempt', 'string thrown', last, 'dead-letter', '[RETRIES_EXHAUSTED] after 3 attempts: [UNEXPECTED] string thrown'],
  ])('%s', (_name, err, job, kind, reason) => {
    const a = translateError(err, job);
    expect(a.kind).toBe(kind);
    expect('reason' in a ? a.reason : undefined).toBe(reason);
  });

  it('rate limited errors wait retryAfterMs and never spend an attempt, even on the last one', () => {
    const a = translateError(new RateLimitedError('JST_199', 'too fast', 1500), last);
    expect(a).toEqual({ kind: 'rate-limit', delayMs: 1500, code: 'JST_199', message: 'too fast' });
  });

  it('a job rate limited forever is dead-lettered eventually', () => {
    const a = translateError(new RateLimitedError('JST_199', 'too fast', 10), { attemptsMade: 0, attempts: 3, attemptsStarted: 4 + MAX_RATE_LIMITED_STARTS });
    expect(a.kind).toBe('dead-letter');
  });

  it('keeps the permanent error details for the job log', () => {
    const a = translateError(new PermanentError('KINGDEE_REJECTED', 'no', { flow: 'f', docId: '1' }), first);
    expect(a.kind === 'dead-letter' && a.details).toEqual({ flow: 'f', docId: '1' });
  });
});

describe('failed reasons', () => {
  it.each([
    ['[UNMAPPED_BASE_DATA] sku X', { code: 'UNMAPPED_BASE_DATA', message: 'sku X' }],
    ['[RETRIES_EXHAUSTED] after 3 attempts: [TIMEOUT] t', { code: 'RETRIES_EXHAUSTED', message: 'after 3 attempts: [TIMEOUT] t' }],
    ['job stalled more than allowable limit', { code: 'UNKNOWN', message: 'job stalled more than allowable limit' }],
  ])('parses %s', (reason, expected) => {
    expect(parseFailedReason(reason)).toEqual(expected);
  });
  it('formats on one line and round-trips', () => {
    const r = formatFailedReason('KINGDEE_REJECTED', 'line one\n  line two');
    expect(r).toBe('[KINGDEE_REJECTED] line one line two');
    expect(parseFailedReason(r)).toEqual({ code: 'KINGDEE_REJECTED', message: 'line one line two' });
  });
});

describe('parseFailedReason', () => {
  it.each([
    ['[UNMAPPED_BASE_DATA] sales-outbound 123: SKU Z9999-NEW has no material', 'UNMAPPED_BASE_DATA', 'sales-outbound 123: SKU Z9999-NEW has no material'],
    ['[RETRIES_EXHAUSTED] [HTTP_5XX] Kingdee answered 502', 'RETRIES_EXHAUSTED', '[HTTP_5XX] Kingdee answered 502'],
    ['[KINGDEE_REJECTED]   multi\nline', 'KINGDEE_REJECTED', 'multi\nline'],
    ['job stalled more than allowable limit', 'UNKNOWN', 'job stalled more than allowable limit'],
    ['[not a code] text', 'UNKNOWN', '[not a code] text'],
    ['', 'UNKNOWN', ''],
  ])('%j', (reason, code, message) => {
    expect(parseFailedReason(reason)).toEqual({ code, message });
  });
  it('handles a missing reason', () => {
    expect(parseFailedReason(undefined)).toEqual({ code: 'UNKNOWN', message: '' });
  });
});

describe('backoffDelay', () => {
  it('doubles per attempt, within [d/2, d], capped', () => {
    expect(backoffDelay(1, 1000, { random: () => 0 })).toBe(500);
    expect(backoffDelay(1, 1000, { random: () => 0.999999 })).toBe(1000);
    expect(backoffDelay(3, 1000, { random: () => 0 })).toBe(2000);
    expect(backoffDelay(3, 1000, { random: () => 0.999999 })).toBe(4000);
    expect(backoffDelay(40, 1000, { random: () => 0.999999, maxMs: 60000 })).toBe(60000);
  });
});
