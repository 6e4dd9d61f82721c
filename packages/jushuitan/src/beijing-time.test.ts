import { formatBeijingTime, parseBeijingTime, splitBeijingWindows } from './beijing-time';

describe('formatBeijingTime', () => {
  it('formats an instant in UTC+8 regardless of the host zone', () => {
    expect(formatBeijingTime(Date.parse('2024-05-20T16:30:05Z'))).toBe('2024-05-21 00:30:05');
    expect(formatBeijingTime(new Date('2024-12-31T23:59:59.999Z'))).toBe('2025-01-01 07:59:59');
  });
  it('rejects an invalid instant', () => {
    expect(() => formatBeijingTime(Number.NaN)).toThrow(RangeError);
  });
});

describe('parseBeijingTime', () => {
  it.each([
    ['2024-05-20 15:40:11', '2024-05-20T07:40:11.000Z'],
    ['2024-05-20T15:40:11', '2024-05-20T07:40:11.000Z'],
    ['2024-05-20 15:40:11.250', '2024-05-20T07:40:11.250Z'],
    ['2024-05-20 15:40', '2024-05-20T07:40:00.000Z'],
    ['2024-05-20', '2024-05-19T16:00:00.000Z'],
    ['2024-05-20T15:40:11Z', '2024-05-20T15:40:11.000Z'],
    ['2024-05-20T15:40:11+08:00', '2024-05-20T07:40:11.000Z'],
    ['2024-05-20T15:40:11-0130', '2024-05-20T17:10:11.000Z'],
  ])('reads %s', (text, iso) => {
    expect(new Date(parseBeijingTime(text) as number).toISOString()).toBe(iso);
  });

  it.each(['', 'yesterday', '2024-02-30 00:00:00', '2024-13-01 00:00:00', '2024-05-20 24:00:00', '20240520'])('refuses %j', (text) => {
    expect(parseBeijingTime(text)).toBeUndefined();
  });

  it('round-trips with formatBeijingTime', () => {
    const t = Date.parse('2023-03-04T05:06:07Z');
    expect(parseBeijingTime(formatBeijingTime(t))).toBe(t);
  });
});

describe('splitBeijingWindows', () => {
  it('returns one window when the range fits', () => {
    expect(splitBeijingWindows('2024-05-01 00:00:00', '2024-05-03 12:00:00')).toEqual([
      { begin: '2024-05-01 00:00:00', end: '2024-05-03 12:00:00' },
    ]);
  });

  it('splits a long range into consecutive windows of at most 7 days that cover it', () => {
    const w = splitBeijingWindows('2024-05-01 00:00:00', '2024-05-20 08:00:00');
    expect(w).toEqual([
      { begin: '2024-05-01 00:00:00', end: '2024-05-08 00:00:00' },
      { begin: '2024-05-08 00:00:00', end: '2024-05-15 00:00:00' },
      { begin: '2024-05-15 00:00:00', end: '2024-05-20 08:00:00' },
    ]);
    for (const x of w) {
      expect((parseBeijingTime(x.end) as number) - (parseBeijingTime(x.begin) as number)).toBeLessThanOrEqual(7 * 86_400_000);
    }
  });

  it('accepts epoch ms and Dates, and a custom span', () => {
    const from = Date.parse('2024-05-01T00:00:00+08:00');
    const w = splitBeijingWindows(from, new Date(from + 2.5 * 86_400_000), 1);
    expect(w.map((x) => x.begin)).toEqual(['2024-05-01 00:00:00', '2024-05-02 00:00:00', '2024-05-03 00:00:00']);
    expect(w[2].end).toBe('2024-05-03 12:00:00');
  });

  it('handles an empty range and rounds a fractional end up', () => {
    expect(splitBeijingWindows('2024-05-01 10:00:00', '2024-05-01 10:00:00')).toEqual([
      { begin: '2024-05-01 10:00:00', end: '2024-05-01 10:00:00' },
    ]);
    expect(splitBeijingWindows('2024-05-01 10:00:00', '2024-05-01 10:00:00.4')[0].end).toBe('2024-05-01 10:00:01');
  });

  it('refuses reversed or unparsable ranges', () => {
    expect(() => splitBeijingWindows('2024-05-02 00:00:00', '2024-05-01 00:00:00')).toThrow(/after its end/);
    expect(() => splitBeijingWindows('soon', '2024-05-01 00:00:00')).toThrow(/from is not a valid datetime/);
  });
});
