import { jstDatePart } from './dates';

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
