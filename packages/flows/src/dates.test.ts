import { businessDateTime, jstDatePart, jstDateTime } from './dates';

describe('jstDatePart', () => {
  it.each([
    ['2024-05-20 15:40:10', '2024-05-20'],
    ['2024-05-20T15:40:10', '2024-05-20'],
    ['2024-05-20', '2024-05-20'],
    ['2024/5/2 08:00:00', '2024-05-02'],
    ['2024-02-29 00:00:00', '2024-02-29'],
    ['2023-02-29 00:00:00', undefined],
    ['2024-13-01', undefined],
    ['0001-01-01 00:00:00', undefined],
    ['1900-01-01', undefined],
    ['20240520', undefined],
    ['', undefined],
    [undefined, undefined],
    [null, undefined],
  ])('%s → %s', (input, expected) => {
    expect(jstDatePart(input)).toBe(expected);
  });
});

describe('jstDateTime', () => {
  it.each([
    ['2024-05-20 15:40:10', '2024-05-20 15:40:10'],
    ['2024-05-20T15:40', '2024-05-20 15:40:00'],
    ['2024/5/2 8:00:00', '2024-05-02 08:00:00'],
    ['2024-05-20', '2024-05-20 00:00:00'],
    ['2024-05-20 25:00:00', undefined],
    ['0001-01-01 00:00:00', undefined],
    ['', undefined],
  ])('%s → %s', (input, expected) => {
    expect(jstDateTime(input)).toBe(expected);
  });
});

describe('businessDateTime', () => {
  it('reads the declared field, else modified (as FDate does), else nothing', () => {
    expect(businessDateTime({ io_date: '2026-11-30 23:59:59', modified: '2026-12-01 00:00:05' }, 'io_date')).toEqual({ field: 'io_date', at: '2026-11-30 23:59:59' });
    expect(businessDateTime({ io_date: '0001-01-01 00:00:00', modified: '2026-12-01 00:00:05' }, 'io_date')).toEqual({ field: 'modified', at: '2026-12-01 00:00:05' });
    expect(businessDateTime({ modified: '2026-12-01 00:00:05' }, 'confirm_date')).toEqual({ field: 'modified', at: '2026-12-01 00:00:05' });
    expect(businessDateTime({ io_date: 7 }, 'io_date')).toBeUndefined();
    expect(businessDateTime(null, 'io_date')).toBeUndefined();
  });
});
