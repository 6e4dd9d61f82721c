import { isBeijingDateTime } from './beijing-time';

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
