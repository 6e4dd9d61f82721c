import { createSessionPool } from './session-pool';

describe('session pool', () => {
  it('hands out the least-busy session and serialises each one FIFO', async () => {
    const pool = createSessionPool(['a', 'b']);
    const l1 = await pool.acquire();
    const l2 = await pool.acquire();
    expect([l1.session.username, l2.session.username]).toEqual(['a', 'b']);
    expect(pool.load()).toEqual([1, 1]);

    const order: string[] = [];
    const p3 = pool.acquire().then((l) => { order.push(`3:${l.session.username}`); return l; });
    const p4 = pool.acquire().then((l) => { order.push(`4:${l.session.username}`); return l; });
    const p5 = pool.acquire().then((l) => { order.push(`5:${l.session.username}`); return l; });
    expect(pool.load()).toEqual([3, 2]);
    await Promise.resolve();
    expect(order).toEqual([]); // nobody gets a held session

    l1.release();
    l1.release(); // idempotent
    const l3 = await p3;
    expect(order).toEqual(['3:a']);
    l3.release();
    const l5 = await p5;
    expect(order).toEqual(['3:a', '5:a']); // FIFO on session a
    l2.release();
    const l4 = await p4;
    expect(l4.session.username).toBe('b');
    l4.release();
    l5.release();
    expect(pool.load()).toEqual([0, 0]);
  });

  it('refuses an empty user list', () => {
    expect(() => createSessionPool([])).toThrow(/at least one user/);
  });
});
