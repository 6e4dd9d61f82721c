import { createJstStore } from './store';

describe('createJstStore', () => {
  let clock = Date.UTC(2024, 4, 20, 8, 0, 0);
  const make = () => createJstStore({ now: () => clock, kinds: [{ name: 'k', idKey: 'id' }], firstTs: 100 });

  it('assigns unique increasing ts on insert (in modified order) and on every mutation', () => {
    const store = make();
    const input: Record<string, unknown>[] = [{ id: 1, modified: '2024-05-20 12:00:00' }, { id: 2, modified: '2024-05-20 10:00:00' }, { id: 3 }];
    expect(store.put('k', input)).toEqual([
      { id: '1', ts: 101 },
      { id: '2', ts: 100 },
      { id: '3', ts: 102 },
    ]);
    input[0]!.extra = 'changed after put';
    expect(store.get('k', 1)).toEqual({ id: 1, modified: '2024-05-20 12:00:00', ts: 101 });
    expect(store.get('k', 3)).toEqual({ id: 3, ts: 102, modified: '2024-05-20 16:00:00' });
    clock += 1000;
    const m = store.mutate('k', 2, { patch: { x: 1 } });
    expect(m).toMatchObject({ id: 2, ts: 103, x: 1, modified: '2024-05-20 16:00:01' });
    expect(store.list('k').map((d) => d.id)).toEqual([1, 3, 2]);
    expect(store.scanByTs('k', 102, 0, 10).rows.map((d) => d.id)).toEqual([3, 2]);
    expect(() => store.mutate('k', 9)).toThrow(/not found/);
    expect(() => store.put('nope', [])).toThrow(/unknown document kind/);
  });

  it('keeps the modified index consistent through many mutations', () => {
    const store = make();
    store.put('k', Array.from({ length: 3000 }, (_, i) => ({ id: i, modified: `2024-05-19 ${String(10 + (i % 10)).padStart(2, '0')}:00:00` })));
    for (let i = 0; i < 3000; i += 2) store.mutate('k', i);
    const all = store.scanOrdered('k', { field: 'modified' }, () => true, 0, 10_000);
    expect(all.total).toBe(3000);
    const keys = all.rows.map((d) => `${d.modified}|${String(d.id).padStart(5, '0')}`);
    expect(keys).toEqual([...keys].sort());
    const window = store.scanOrdered('k', { field: 'modified', from: '2024-05-19 10:00:00', to: '2024-05-19 10:59:59' }, () => true, 0, 10_000);
    expect(window.total).toBe(0); // every id ≡ 0 mod 10 is even, so all of them were touched and moved
    expect(store.scanByTs('k', 0, 0, 10_000).rows).toHaveLength(3000);
    for (let i = 1; i < 3000; i += 2) store.mutate('k', i); // enough stale log entries to compact
    expect(store.scanByTs('k', 0, 0, 10_000).rows.map((d) => d.ts)).toEqual(Array.from({ length: 3000 }, (_, i) => 3100 + i));
    expect(store.scanOrdered('k', { field: 'modified', from: '2024-05-20 16:00:00' }, () => true, 0, 10_000).total).toBe(3000);
    store.clear();
    expect(store.count('k')).toBe(0);
  });
});
