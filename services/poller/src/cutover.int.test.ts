import { envSchema } from '@sync/config';
import { silentLogger } from '@sync/logger';
import { createCursorStore, createPollStatusStore, createRedis, waitForRedis } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { closePollerWorld, createFakeJst, flowNamed, type FakeRow } from './fake-jst.test-support';
import { createPollerService, type PollerService } from './poller-service';
import { syncConfigSchema, type SyncConfig } from '@sync/flows';

/** The poller's first start with real Redis and a fake JST: where it starts reading, and when it refuses to. */
describe('the poller at a first start (real Redis, fake JST)', () => {
  const admin = createRedis(testRedisUrl(), { role: 'producer', name: 'cutover-test-admin' });
  const prefixes: string[] = [];
  const services: PollerService[] = [];
  const NOW = new Date('2024-05-21T04:00:00Z'); // 2024-05-21 12:00:00 Beijing
  const TS_FLOW = 'sales-outbound';
  const WINDOW_FLOW = 'other-outbound';
  const flows = { [TS_FLOW]: flowNamed(TS_FLOW, { kind: 'ts' }), [WINDOW_FLOW]: flowNamed(WINDOW_FLOW, { kind: 'window', filters: {} }) };

  function setup(raw: Record<string, unknown>, rows: FakeRow[]) {
    const prefix = uniquePrefix('poller-cutover');
    prefixes.push(prefix);
    const env = envSchema.parse({ REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, SHUTDOWN_TIMEOUT_MS: '5000' });
    const config: SyncConfig = syncConfigSchema.parse(raw);
    const jst = createFakeJst(rows);
    jst.pageSize = 50;
    const service = createPollerService(env, config, { jst, flows, logger: silentLogger(), now: () => NOW });
    services.push(service);
    return { jst, service, cursors: createCursorStore(admin, prefix), statuses: createPollStatusStore(admin, prefix), queue: (f: string) => service.queues.flow(f) };
  }
  const schedule = { everyMs: 600_000, lagSeconds: 60, lookbackSeconds: 600 };

  beforeAll(async () => {
    await waitForRedis(admin);
  });
  afterAll(() => closePollerWorld(admin, services, prefixes));

  it('without a cutover or a cursor a flow refuses to start, saying what to set; the other flows run', async () => {
    const { service, statuses, cursors, queue } = setup(
      { flows: { [TS_FLOW]: { schedule }, [WINDOW_FLOW]: { schedule, cutover: '2024-05-21 10:00:00' } } },
      [{ io_id: 1, ts: 1, modified: '2024-05-21 10:30:00', io_date: '2024-05-21 10:30:00', status: 'Confirmed' }],
    );
    await service.start();
    const status = await statuses.get(TS_FLOW);
    expect(status.lastError?.code).toBe('CONFIG_INVALID');
    expect(status.lastError?.message).toContain(`flow ${TS_FLOW} has no cursor yet and no cutover`);
    expect(status.lastError?.message).toContain(`set the top-level \`cutover\` (or flows.${TS_FLOW}.cutover)`);
    expect(status.lastError?.message).toContain('e.g. cutover: "2026-12-01 00:00:00"');
    await expect(service.pollOnce(TS_FLOW)).rejects.toMatchObject({ code: 'CONFIG_INVALID', details: { flow: TS_FLOW, field: 'cutover' } });
    expect(await cursors.get(TS_FLOW)).toBeUndefined();

    // The window flow has its own cutover: its scheduled poll starts there and runs.
    for (let i = 0; i < 200 && (await cursors.get(WINDOW_FLOW)) === undefined; i++) await new Promise((r) => setTimeout(r, 25));
    expect(await cursors.get(WINDOW_FLOW)).toBe('2024-05-21 11:59:00');
    expect((await queue(WINDOW_FLOW).getJobs(['waiting'])).map((j) => j.data.docId)).toEqual(['1']);
    expect((await statuses.get(WINDOW_FLOW)).lastError).toBeUndefined();
  });

  it('a ts flow finds its first start_ts from the cutover and writes only what is dated on or after it', async () => {
    const rows: FakeRow[] = [
      { io_id: 1, ts: 101, modified: '2024-05-19 10:00:00', io_date: '2024-05-19 10:00:00', status: 'Confirmed' },
      { io_id: 2, ts: 102, modified: '2024-05-20 08:00:00', io_date: '2024-05-20 08:00:00', status: 'Confirmed' },
      { io_id: 3, ts: 103, modified: '2024-05-20 09:59:30', io_date: '2024-05-20 09:59:00', status: 'Confirmed' },
      { io_id: 4, ts: 104, modified: '2024-05-20 10:30:00', io_date: '2024-05-20 10:29:00', status: 'Confirmed' },
      { io_id: 5, ts: 105, modified: '2024-05-21 11:00:00', io_date: '2024-05-19 09:00:00', status: 'Confirmed' }, // history edited after go-live
      { io_id: 6, ts: 106, modified: '2024-05-21 11:30:00', io_date: '2024-05-21 11:30:00', status: 'Confirmed' },
    ];
    const { jst, service, cursors, statuses, queue } = setup({ cutover: '2024-05-20 10:00:00', flows: { [TS_FLOW]: { schedule } } }, rows);
    const res = await service.pollOnce(TS_FLOW);
    expect(res).toMatchObject({ cursor: '106', counts: { enqueued: 2, beforeCutover: 2 } });
    expect(jst.calls).toEqual([
      { kind: 'ts', arg: '1' }, // the oldest row JST returns was modified long before the cutover
      { kind: 'window', arg: { window: { begin: '2024-05-20 09:50:00', end: '2024-05-20 10:50:00' }, filters: undefined } },
      { kind: 'ts', arg: '102' }, // the smallest ts modified since the cutover (minus the look-back), minus one
    ]);
    expect(await cursors.get(TS_FLOW)).toBe('106');
    expect((await queue(TS_FLOW).getJobs(['waiting'])).map((j) => j.data.docId).sort()).toEqual(['4', '6']);
    expect(await statuses.beforeCutoverCount(TS_FLOW)).toBe(2);
  });

  it('a ts flow reads everything JST returns when its oldest row changed after the cutover', async () => {
    const rows: FakeRow[] = [
      { io_id: 1, ts: 101, modified: '2024-05-21 10:00:00', io_date: '2024-05-20 09:00:00', status: 'Confirmed' },
      { io_id: 2, ts: 102, modified: '2024-05-21 10:30:00', io_date: '2024-05-21 10:29:00', status: 'Confirmed' },
    ];
    const { jst, service } = setup({ cutover: '2024-05-21 00:00:00', flows: { [TS_FLOW]: { schedule } } }, rows);
    expect(await service.pollOnce(TS_FLOW)).toMatchObject({ cursor: '102', counts: { enqueued: 1, beforeCutover: 1 } });
    expect(jst.calls).toEqual([{ kind: 'ts', arg: '1' }, { kind: 'ts', arg: '1' }]);
  });

  it('a ts flow with nothing modified since the cutover yet remembers how far it searched', async () => {
    const rows: FakeRow[] = [{ io_id: 1, ts: 101, modified: '2024-05-19 10:00:00', io_date: '2024-05-19 10:00:00', status: 'Confirmed' }];
    const { jst, service, cursors } = setup({ cutover: '2024-05-21 09:00:00', flows: { [TS_FLOW]: { schedule } } }, rows);
    expect(await service.pollOnce(TS_FLOW)).toMatchObject({ cursor: 'from:2024-05-21 11:59:00', counts: { enqueued: 0 } });
    expect(jst.calls.map((c) => c.kind)).toEqual(['ts', 'window', 'window', 'window']); // 1 h, 2 h, then up to now − lag
    rows.push({ io_id: 2, ts: 102, modified: '2024-05-21 11:58:30', io_date: '2024-05-21 11:58:00', status: 'Confirmed' });
    jst.calls.length = 0;
    expect(await service.pollOnce(TS_FLOW)).toMatchObject({ cursor: '102', counts: { enqueued: 1 } });
    expect(jst.calls).toEqual([
      { kind: 'window', arg: { window: { begin: '2024-05-21 11:49:00', end: '2024-05-21 11:59:00' }, filters: undefined } },
      { kind: 'ts', arg: '101' },
    ]);
    expect(await cursors.get(TS_FLOW)).toBe('102');
  });
});
