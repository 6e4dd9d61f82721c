import { flowRegistry } from '@sync/flows';
import { silentLogger } from '@sync/logger';
import { resyncIds, resyncWindow } from './jst-resync';
import type { JstPollContext } from './jst-source';

/** A context whose JST answers nothing; counts the windows and id batches read. */
function context(cancelAfter: number): { ctx: JstPollContext; reads: () => number } {
  let reads = 0;
  const ctx = {
    jst: {
      // Every window and id batch is one query answering nothing.
      queryPage: async () => {
        reads += 1;
        return { pageIndex: 1, pageSize: 50, hasNext: false, datas: [] };
      },
    },
    flow: flowRegistry['sales-outbound'],
    settings: {},
    queue: {},
    cursors: {},
    enqueue: async () => ({ enqueued: 0, duplicates: 0 }),
    now: () => new Date('2026-11-28T00:00:00Z'),
    logger: silentLogger(),
    cancelled: async () => reads >= cancelAfter,
  } as unknown as JstPollContext;
  return { ctx, reads: () => reads };
}

describe('cancelling a resync', () => {
  it('a range stops between its 7-day windows once cancelled', async () => {
    const { ctx, reads } = context(2);
    const counts = await resyncWindow(ctx, '2026-01-01 00:00:00', '2026-03-01 00:00:00', 'resync-test');
    expect(counts.cancelled).toBe(true);
    expect(reads()).toBe(2); // of 9 windows
  });

  it('document ids stop between their batches once cancelled', async () => {
    const { ctx, reads } = context(1);
    const ids = Array.from({ length: 120 }, (_, i) => String(1000 + i));
    const counts = await resyncIds(ctx, ids, 'resync-test');
    expect(counts.cancelled).toBe(true);
    expect(reads()).toBe(1); // of 3 batches
  });

  it('runs to the end when nobody cancels', async () => {
    const { ctx, reads } = context(Number.POSITIVE_INFINITY);
    const counts = await resyncWindow(ctx, '2026-01-01 00:00:00', '2026-03-01 00:00:00', 'resync-test');
    expect(counts.cancelled).toBeUndefined();
    expect(reads()).toBe(9);
  });
});
