import { scheduleSchema } from '@sync/config';
import { initialWindowCursor, nextWindow } from './jst-window-source';
import { rawDocId, rawVersion } from './source-ids';

const schedule = { lookbackSeconds: 600, lagSeconds: 60 };
const now = new Date('2024-05-21T04:00:00Z'); // 2024-05-21 12:00:00 Beijing

describe('nextWindow', () => {
  it('reads from cursor − lookback to now − lag', () => {
    expect(nextWindow('2024-05-21 11:00:00', schedule, now, 'f')).toEqual({
      window: { begin: '2024-05-21 10:50:00', end: '2024-05-21 11:59:00' },
      nextCursor: '2024-05-21 11:59:00',
    });
  });
  it('never spans more than 7 days when catching up', () => {
    const next = nextWindow('2024-04-01 00:00:00', schedule, now, 'f')!;
    expect(next.window).toEqual({ begin: '2024-03-31 23:50:00', end: '2024-04-07 23:50:00' });
    expect(next.nextCursor).toBe('2024-04-07 23:50:00');
  });
  it('has nothing to read when the lag has not passed the window start', () => {
    expect(nextWindow('2024-05-21 12:30:00', { lookbackSeconds: 0, lagSeconds: 60 }, now, 'f')).toBeUndefined();
  });
  it('never moves the cursor backwards', () => {
    const next = nextWindow('2024-05-21 11:59:30', { lookbackSeconds: 600, lagSeconds: 60 }, now, 'f')!;
    expect(next.nextCursor).toBe('2024-05-21 11:59:30');
  });
  it('rejects an unreadable cursor as a configuration problem', () => {
    expect(() => nextWindow('yesterday', schedule, now, 'f')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('initialWindowCursor', () => {
  it('starts at startFrom (Beijing time unless an offset is given), else at the cutover, else refuses', () => {
    const cutover = Date.parse('2024-05-10T00:00:00+08:00');
    expect(initialWindowCursor(scheduleSchema.parse({ startFrom: '2024-05-01T00:00:00Z' }), cutover, 'f')).toBe('2024-05-01 08:00:00');
    expect(initialWindowCursor(scheduleSchema.parse({ startFrom: '2024-05-01 00:00:00' }), undefined, 'f')).toBe('2024-05-01 00:00:00');
    expect(initialWindowCursor(scheduleSchema.parse({}), cutover, 'f')).toBe('2024-05-10 00:00:00');
    expect(() => initialWindowCursor(scheduleSchema.parse({}), undefined, 'f')).toThrow(expect.objectContaining({ code: 'CONFIG_INVALID' }));
  });
});

describe('raw ids of rows that fail their schema: the id field the flow\'s source declares', () => {
  it.each([
    [{ io_id: 2081234, ts: 1938475612 }, 'io_id', '2081234', '1938475612'],
    [{ as_id: '77', modified: '2024-05-20 15:40:11' }, 'as_id', '77', '2024-05-20 15:40:11'],
    // A 售后单 names the outbound it returns (io_id) too: its id is as_id all the same.
    [{ as_id: 78, io_id: 2081234 }, 'as_id', '78', 'unversioned'],
    [{ io_id: '', id: 5 }, 'io_id', undefined, 'unversioned'],
    [{ name: 'x' }, 'io_id', undefined, 'unversioned'],
    ['not an object', 'io_id', undefined, 'unversioned'],
  ])('%j (%s)', (row, field, id, version) => {
    expect(rawDocId(row, field)).toBe(id);
    expect(rawVersion(row)).toBe(version);
  });
});
