import { isBeijingDateTime } from './beijing-time';
import { parseFailedReason } from './failed-reason';

describe('isBeijingDateTime', () => {
  it.each([
    ['2026-11-28 13:45:00', true],
    ['2024-02-29 23:59:59', true],
    ['2026-02-29 00:00:00', false],
    ['2026-04-31 00:00:00', false],
    ['2026-11-28 24:00:00', false],
    ['2026-11-28 12:60:00', false],
    ['2026-11-28T13:45:00', false],
    ['2026-11-28 13:45', false],
    ['2026-11-28', false],
    [' 2026-11-28 13:45:00', false],
    ['', false],
  ])('%s → %s', (s, ok) => {
    expect(isBeijingDateTime(s)).toBe(ok);
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
