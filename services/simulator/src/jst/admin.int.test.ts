import { demoCredentials } from '../demo-catalog';
import { startJstSimulator, type JstSimulator } from './index';
import { admin, businessForm, postForm } from './jst-calls.test-support';

const PATH = '/open/orders/out/simple/query';
let clock = Date.UTC(2024, 4, 20, 8, 0, 0); // 2024-05-20 16:00:00 Beijing

describe('admin interface', () => {
  let sim: JstSimulator;
  const jstCall = () => postForm(sim.url + PATH, businessForm({ io_ids: ['1'] }, { ...demoCredentials.jst, timestamp: Math.floor(clock / 1000) }));

  beforeEach(async () => {
    clock = Date.UTC(2024, 4, 20, 8, 0, 0);
    sim = await startJstSimulator({ now: () => clock, rateLimit: { perSecond: 0, perMinute: 0 } });
  });
  afterEach(() => sim.close());

  it('seeds, inspects, mutates and resets documents', async () => {
    const seeded = await admin(sim.url, 'POST', '/seed', { kind: 'orders-out', count: 20, seed: 5, statusMix: { WaitConfirm: 1 } });
    expect(seeded.status).toBe(200);
    expect(seeded.body.ids).toHaveLength(20);
    const again = await admin(sim.url, 'POST', '/seed', { kind: 'orders-out', count: 5, seed: 5 });
    expect(Math.min(...again.body.ids)).toBeGreaterThan(Math.max(...seeded.body.ids));

    const waiting = await admin(sim.url, 'GET', '/docs/orders-out?status=WaitConfirm');
    expect(waiting.body.count).toBeGreaterThanOrEqual(20);
    const some = await admin(sim.url, 'GET', `/docs/orders-out?ids=${seeded.body.ids[0]},${seeded.body.ids[1]}`);
    expect(some.body.docs.map((d: { io_id: number }) => d.io_id).sort()).toEqual(seeded.body.ids.slice(0, 2).sort());

    const id = seeded.body.ids[3];
    const before = await admin(sim.url, 'GET', `/docs/orders-out/${id}`);
    clock += 5 * 60_000;
    const mutated = await admin(sim.url, 'POST', '/mutate', { kind: 'orders-out', id, status: 'Confirmed', patch: { remark: 'shipped', io_id: 1 } });
    expect(mutated.status).toBe(200);
    expect(mutated.body).toMatchObject({ io_id: id, status: 'Confirmed', remark: 'shipped', modified: '2024-05-20 16:05:00' });
    expect(mutated.body.ts).toBeGreaterThan(before.body.ts);
    expect(mutated.body.ts).toBe(sim.store.lastTs());

    expect((await admin(sim.url, 'POST', '/mutate', { kind: 'orders-out', id: 1, status: 'Confirmed' })).status).toBe(404);
    expect((await admin(sim.url, 'GET', '/docs/orders-out/1')).status).toBe(404);
    expect((await admin(sim.url, 'GET', '/docs/no-such-kind')).status).toBe(404);
    expect((await admin(sim.url, 'POST', '/seed', { kind: 'orders-out', count: -1 })).status).toBe(400);
    expect((await admin(sim.url, 'POST', '/no-such-route', {})).status).toBe(404);

    const touched = await admin(sim.url, 'POST', '/mutate-random', { count: 4, seed: 9 });
    expect(touched.body.ids).toHaveLength(4);
    const maxTs = sim.store.lastTs();
    const touchedDocs = touched.body.ids.map((i: string) => sim.store.get('orders-out', i)!);
    expect(touchedDocs.every((d: { ts: number }) => d.ts > maxTs - 4)).toBe(true);

    expect((await admin(sim.url, 'POST', '/reset')).body).toEqual({ ok: true });
    expect(sim.store.count('orders-out')).toBe(0);
  });

  it('inserts explicit documents and rejects ones without an id', async () => {
    const res = await admin(sim.url, 'POST', '/docs/orders-out', { docs: [{ io_id: 42, status: 'Confirmed', items: [] }] });
    expect(res.status).toBe(200);
    expect(res.body.ids).toEqual([42]);
    expect(res.body.docs[0]).toMatchObject({ io_id: 42, modified: '2024-05-20 16:00:00', ts: expect.any(Number) });
    const bad = await admin(sim.url, 'POST', '/docs/orders-out', [{ status: 'Confirmed' }]);
    expect(bad.status).toBe(400);
    expect(bad.body.error).toContain('io_id');
  });

  it('changes settings and injects faults on JST calls only', async () => {
    const set = await admin(sim.url, 'POST', '/settings', { rateLimit: { perSecond: 7 }, faults: { failNext: ['http500', 'htmlError', 'internalError', 'reset'] } });
    expect(set.status).toBe(200);
    expect(set.body.rateLimit).toEqual({ perSecond: 7, perMinute: 0 });
    expect(sim.settings.rateLimit.perSecond).toBe(7);
    expect((await admin(sim.url, 'POST', '/settings', { faults: { http500Rate: 2 } })).status).toBe(400);
    expect((await admin(sim.url, 'POST', '/settings', { nope: 1 })).status).toBe(400);

    const e500 = await jstCall();
    expect(e500.status).toBe(500);
    const html = await jstCall();
    expect(html.status).toBe(502);
    expect(html.contentType).toContain('text/html');
    expect(html.body).toBeUndefined();
    expect((await jstCall()).body).toEqual({ code: 150, msg: '内部处理异常！', data: null });
    await expect(jstCall()).rejects.toThrow();
    expect((await jstCall()).body?.code).toBe(0);

    sim.settings.faults.http500Rate = 1;
    expect((await jstCall()).status).toBe(500);
    expect((await admin(sim.url, 'GET', '/stats')).status).toBe(200);

    const stats = (await admin(sim.url, 'GET', '/stats')).body;
    expect(stats.calls[PATH]).toBe(6);
    expect(stats.faults).toEqual({ http500: 2, htmlError: 1, internalError: 1, reset: 1 });

    await admin(sim.url, 'POST', '/reset');
    expect(sim.settings.faults.http500Rate).toBe(0);
    expect(sim.stats().calls).toEqual({});
  });

  it('expires tokens on demand', async () => {
    expect((await jstCall()).body?.code).toBe(0);
    expect((await admin(sim.url, 'POST', '/tokens/expire', {})).body).toEqual({ expired: 1 });
    expect((await jstCall()).body?.code).toBe(100);
    sim.reset();
    expect((await jstCall()).body?.code).toBe(0);
  });

  it('closes promptly while a call hangs', async () => {
    sim.settings.faults.failNext.push('hang');
    sim.settings.faults.hangMs = 10 * 60_000;
    const pending = jstCall().then(
      () => 'answered',
      () => 'dropped',
    );
    while ((sim.stats().calls[PATH] ?? 0) === 0) await new Promise((r) => setImmediate(r));
    await sim.close();
    expect(['answered', 'dropped']).toContain(await pending);
  });
});
