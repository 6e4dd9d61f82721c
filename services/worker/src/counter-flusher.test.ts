import { createCounterFlusher } from './counter-flusher';

describe('createCounterFlusher', () => {
  // Fake timers: the intervals pass when the test says so, with no real waiting.
  beforeEach(() => jest.useFakeTimers());
  afterEach(() => jest.useRealTimers());

  it('sends each (flow, day) once with its count, every interval and at stop; a failed send is dropped', async () => {
    const sent: [string, string, number][] = [];
    let failNext = false;
    const f = createCounterFlusher(async (flow, day, n) => {
      if (failNext) {
        failNext = false;
        throw new Error('redis down');
      }
      sent.push([flow, day, n]);
    }, 50);
    for (let i = 0; i < 5; i++) f.add('sales-outbound', '2026-11-28');
    f.add('sales-return', '2026-11-28');
    f.add('sales-outbound', '2026-11-29');
    await jest.advanceTimersByTimeAsync(50);
    expect(sent.sort()).toEqual([['sales-outbound', '2026-11-28', 5], ['sales-outbound', '2026-11-29', 1], ['sales-return', '2026-11-28', 1]]);
    failNext = true;
    f.add('sales-outbound', '2026-11-28');
    await jest.advanceTimersByTimeAsync(50);
    expect(failNext).toBe(false); // that interval's send ran, failed and was dropped
    f.add('sales-outbound', '2026-11-28');
    f.add('sales-outbound', '2026-11-28');
    await f.stop();
    expect(sent.slice(3)).toEqual([['sales-outbound', '2026-11-28', 2]]);
    f.add('sales-outbound', '2026-11-28'); // after stop: nothing is sent by itself any more
    await jest.advanceTimersByTimeAsync(500);
    expect(sent).toHaveLength(4);
  });
});
