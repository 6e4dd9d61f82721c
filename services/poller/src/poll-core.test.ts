import type { CursorStore, DocumentQueue, enqueueDocuments } from '@sync/queue';
import { pollSource, resyncPages, type PollSink, type Source, type SourcePage } from './poll-core';

/** A source over numbered rows `{ id, v }`: each page is its rows and the cursor `after <last id>`. */
function fakeSource(pages: SourcePage[], start: Awaited<ReturnType<Source['start']>> = { cursor: 'c0' }): Source & { scannedFrom: string[] } {
  const scannedFrom: string[] = [];
  return {
    scannedFrom,
    start: async () => start,
    async *scan(cursor) {
      scannedFrom.push(cursor);
      for (const p of pages) yield p;
    },
    documents: async (rows) => ({
      docs: (rows as { id: string; v: string }[]).map((r) => ({ docId: r.id, version: r.v, doc: r })),
      counts: { seen: rows.length, ready: rows.length, invalid: 0, beforeCutover: 0 },
    }),
  };
}

/** An in-memory sink recording, in order, every enqueue and cursor write; `failOn` makes that enqueue call throw. */
function fakeSink(stored?: string, failOn?: number) {
  const events: string[] = [];
  const cursors = new Map<string, string>(stored === undefined ? [] : [['f', stored]]);
  const store: CursorStore = {
    get: async (f) => cursors.get(f),
    set: async (f, v) => {
      events.push(`cursor ${v}`);
      cursors.set(f, v);
    },
    reset: async (f) => void cursors.delete(f),
  };
  let calls = 0;
  const enqueue: typeof enqueueDocuments = async (_q, flow, docs, origin) => {
    calls += 1;
    if (calls === failOn) throw new Error('Redis went away');
    events.push(`enqueue ${flow} ${origin} ${docs.map((d) => d.docId).join(',')}`);
    return { enqueued: docs.length, duplicates: 0 };
  };
  const sink: PollSink = { flow: 'f', cursors: store, queue: {} as DocumentQueue, enqueue, now: () => new Date(0) };
  return { sink, events, cursor: () => cursors.get('f') };
}

const row = (id: string) => ({ id, v: '1' });

describe('the poll core over a Source', () => {
  it('stores each page cursor only after that page is enqueued, and scans from the stored cursor', async () => {
    const source = fakeSource([
      { rows: [row('a'), row('b')], cursor: 'c2' },
      { rows: [row('c')] }, // mid-window: the cursor does not move
      { rows: [], cursor: 'c3' }, // end of the window
    ], { cursor: 'c1' });
    const { sink, events, cursor } = fakeSink('c1');
    const res = await pollSource(source, sink);
    expect(source.scannedFrom).toEqual(['c1']);
    expect(events).toEqual(['enqueue f poll a,b', 'cursor c2', 'enqueue f poll c', 'cursor c3']);
    expect(res).toEqual({ cursor: 'c3', counts: { seen: 3, ready: 3, invalid: 0, enqueued: 3, duplicates: 0, beforeCutover: 0 } });
    expect(cursor()).toBe('c3');
  });

  it('a page that fails to enqueue does not advance the cursor past the last enqueued page', async () => {
    const source = fakeSource([{ rows: [row('a')], cursor: 'c1' }, { rows: [row('b')], cursor: 'c2' }, { rows: [row('c')], cursor: 'c3' }]);
    const { sink, events, cursor } = fakeSink(undefined, 2);
    await expect(pollSource(source, sink)).rejects.toThrow('Redis went away');
    expect(events).toEqual(['enqueue f poll a', 'cursor c1']);
    expect(cursor()).toBe('c1');
  });

  it('a page that fails to read leaves the cursor where the last enqueued page put it', async () => {
    const source = fakeSource([{ rows: [row('a')], cursor: 'c1' }]);
    source.scan = async function* () {
      yield { rows: [row('a')], cursor: 'c1' };
      throw new Error('JST timed out');
    };
    const { sink, cursor } = fakeSink();
    await expect(pollSource(source, sink)).rejects.toThrow('JST timed out');
    expect(cursor()).toBe('c1');
  });

  it('a start found by reading is stored before the scan; an idle start ends the poll there without scanning', async () => {
    const found = fakeSource([{ rows: [row('a')], cursor: 'c9' }], { cursor: 'c5', store: true });
    const first = fakeSink();
    await pollSource(found, first.sink);
    expect(first.events).toEqual(['cursor c5', 'enqueue f poll a', 'cursor c9']);

    const idle = fakeSource([{ rows: [row('a')], cursor: 'c9' }], { cursor: 'from:x', store: true, idle: true });
    const second = fakeSink();
    expect(await pollSource(idle, second.sink)).toMatchObject({ cursor: 'from:x', counts: { seen: 0, enqueued: 0 } });
    expect(idle.scannedFrom).toEqual([]);
    expect(second.events).toEqual(['cursor from:x']);
  });

  it('a start that throws (no cursor, no cutover) stores nothing', async () => {
    const source = fakeSource([]);
    source.start = async () => {
      throw new Error('no cutover');
    };
    const { sink, events } = fakeSink();
    await expect(pollSource(source, sink)).rejects.toThrow('no cutover');
    expect(events).toEqual([]);
  });

  it('a resync enqueues under its origin, never writes the cursor, and says when it was cancelled', async () => {
    const source = fakeSource([]);
    const { sink, events } = fakeSink('c1');
    async function* pages(): AsyncGenerator<unknown[], 'cancelled' | 'done'> {
      yield [row('a')];
      yield [];
      return 'cancelled';
    }
    const counts = await resyncPages(source, sink, pages(), 'resync-1');
    expect(counts).toEqual({ seen: 1, ready: 1, invalid: 0, enqueued: 1, duplicates: 0, beforeCutover: 0, cancelled: true });
    expect(events).toEqual(['enqueue f resync-1 a']);
  });
});
