import { z } from 'zod';
import { envSchema } from '@sync/config';
import { RateLimitedError } from '@sync/errors';
import { type DocumentFlow, syncConfigSchema } from '@sync/flows';
import { silentLogger } from '@sync/logger';
import {
  createCursorStore, createPollStatusStore, createRedis, waitForRedis, documentJobId, enqueueDocuments, keys, POLL_QUEUE,
} from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { closePollerWorld, createFakeJst, testOutboundFlow, type FakeJst } from './fake-jst.test-support';
import { createPollerService, type PollerService } from './poller-service';

const FLOW = 'sales-outbound';
const schema = z.object({ io_id: z.number(), ts: z.number(), modified: z.string(), status: z.string(), qty: z.number() });

// Rows carry a qty (a row whose qty is not a number fails the schema); the endpoint reads by id (io_ids).
const flowWith = (cursor: DocumentFlow['source']['cursor']) => testOutboundFlow(schema, { cursor, idFilter: { key: 'io_ids', max: 50 } });
const row = (io_id: number, ts: number, status = 'Confirmed', extra: Record<string, unknown> = {}) => ({ io_id, ts, modified: '2024-05-20 10:00:00', status, qty: 1, ...extra });

describe('createPollerService (real Redis, fake JST)', () => {
  const admin = createRedis(testRedisUrl(), { role: 'producer' });
  const prefixes: string[] = [];
  const services: PollerService[] = [];
  const NOW = new Date('2024-05-21T04:00:00Z'); // 2024-05-21 12:00:00 Beijing

  function setup(opts: { cursor?: DocumentFlow['source']['cursor']; everyMs?: number; enqueue?: typeof enqueueDocuments; jst?: FakeJst } = {}) {
    const prefix = uniquePrefix('poller');
    prefixes.push(prefix);
    const env = envSchema.parse({ REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, SHUTDOWN_TIMEOUT_MS: '5000' });
    const config = syncConfigSchema.parse({ flows: { [FLOW]: { schedule: { everyMs: opts.everyMs ?? 60_000, startTs: 1, lagSeconds: 60, lookbackSeconds: 600 } } } });
    const jst = opts.jst ?? createFakeJst();
    const service = createPollerService(env, config, { jst, flows: { [FLOW]: flowWith(opts.cursor ?? { kind: 'ts' }) }, logger: silentLogger(), now: () => NOW, enqueue: opts.enqueue });
    services.push(service);
    return { prefix, jst, service, cursors: createCursorStore(admin, prefix), statuses: createPollStatusStore(admin, prefix), queue: service.queues.flow(FLOW) };
  }

  beforeAll(async () => {
    await waitForRedis(admin);
  });
  afterAll(() => closePollerWorld(admin, services, prefixes));

  it('ts mode: enqueues ready rows (and unparseable rows, rows without id under a synthetic id), moves the cursor to the max ts', async () => {
    const { jst, service, cursors, statuses, queue } = setup();
    jst.rows.push(row(1, 10), row(2, 11, 'WaitConfirm'), row(3, 12, 'Confirmed', { qty: 'x' }), { ts: 13, status: 'Confirmed' }, row(4, 14));
    const res = await service.pollOnce(FLOW);
    expect(res).toEqual({ flow: FLOW, cursor: '14', counts: { seen: 5, ready: 2, invalid: 2, enqueued: 4, duplicates: 0, beforeCutover: 0 } });
    expect(await cursors.get(FLOW)).toBe('14');
    const ids = (await queue.getJobs(['waiting'])).map((j) => String(j.id));
    const synthetic = ids.filter((id) => /^sales-outbound-unreadable-[0-9a-f]{16}-13$/.test(id));
    expect(synthetic).toHaveLength(1); // the row without an id is not lost: the worker dead-letters it
    expect(ids.filter((id) => !synthetic.includes(id)).sort()).toEqual(
      [documentJobId(FLOW, '1', '10'), documentJobId(FLOW, '3', '12'), documentJobId(FLOW, '4', '14')].sort(),
    );
    expect(await statuses.get(FLOW)).toMatchObject({ cursor: '14', lastCounts: { enqueued: 4 } });

    // Nothing new: no job. A changed document (new ts) becomes a new job.
    expect(await service.pollOnce(FLOW)).toMatchObject({ counts: { seen: 0, enqueued: 0 } });
    jst.rows.push(row(1, 20));
    expect(await service.pollOnce(FLOW)).toMatchObject({ cursor: '20', counts: { enqueued: 1 } });
    expect(await queue.getJob(documentJobId(FLOW, '1', '20'))).toBeDefined();
  });

  it('the cursor only advances past pages that were enqueued: an enqueue failure mid-scan keeps the last good page', async () => {
    let calls = 0;
    const failing: typeof enqueueDocuments = async (...args) => {
      calls += 1;
      if (calls === 2) throw new Error('Redis went away');
      return enqueueDocuments(...args);
    };
    const { jst, service, cursors, statuses, queue } = setup({ enqueue: failing });
    jst.rows.push(row(1, 10), row(2, 11), row(3, 12), row(4, 13), row(5, 14));
    await expect(service.pollOnce(FLOW)).rejects.toThrow('Redis went away');
    expect(await cursors.get(FLOW)).toBe('11');
    expect((await statuses.get(FLOW)).lastError).toEqual({ code: 'UNEXPECTED', message: 'Redis went away' });
    const res = await service.pollOnce(FLOW);
    expect(res).toMatchObject({ cursor: '14', counts: { enqueued: 3 } });
    expect(await queue.count()).toBe(5);
  });

  it('window mode: reads [cursor − lookback, now − lag] with the flow filters and then stores the window end', async () => {
    const { jst, service, cursors } = setup({ cursor: { kind: 'window', filters: { status: 'Confirmed', date_type: 0 } } });
    await cursors.set(FLOW, '2024-05-21 11:00:00');
    jst.rows.push({ ...row(7, 1), modified: '2024-05-21 10:55:00' }, { ...row(8, 2), modified: '2024-05-21 11:59:30' });
    const res = await service.pollOnce(FLOW);
    expect(jst.calls).toEqual([{ kind: 'window', arg: { window: { begin: '2024-05-21 10:50:00', end: '2024-05-21 11:59:00' }, filters: { status: 'Confirmed', date_type: 0 } } }]);
    expect(res).toMatchObject({ cursor: '2024-05-21 11:59:00', counts: { seen: 1, enqueued: 1 } });
    expect(await cursors.get(FLOW)).toBe('2024-05-21 11:59:00');
  });

  it('resync by ids: batches of ≤ 50 through io_ids, cursor untouched', async () => {
    const { jst, service, cursors } = setup();
    await cursors.set(FLOW, '99');
    for (let i = 1; i <= 120; i++) jst.rows.push(row(i, 1000 + i));
    const ids = jst.rows.map((r) => String(r.io_id));
    const res = await service.pollOnce(FLOW, { docIds: ids });
    expect(res).toMatchObject({ resync: true, counts: { seen: 120, enqueued: 120 } });
    const batches = jst.calls.filter((c) => c.kind === 'page').map((c) => (c.arg as { io_ids: string[] }).io_ids);
    expect(Math.max(...batches.map((b) => b.length))).toBeLessThanOrEqual(50);
    expect(new Set(batches.flat()).size).toBe(120);
    expect(await cursors.get(FLOW)).toBe('99');
  });

  it('resync of a long range: ≤ 7-day windows, cursor untouched', async () => {
    const { jst, service, cursors } = setup();
    jst.rows.push({ ...row(9, 5), modified: '2024-05-03 00:00:00' }, { ...row(10, 6), modified: '2024-05-12 00:00:00' });
    const res = await service.pollOnce(FLOW, { from: '2024-05-01 00:00:00', to: '2024-05-15 00:00:00' });
    const windows = jst.calls.map((c) => (c.arg as { window: { begin: string; end: string } }).window);
    expect(windows).toEqual([
      { begin: '2024-05-01 00:00:00', end: '2024-05-08 00:00:00' },
      { begin: '2024-05-08 00:00:00', end: '2024-05-15 00:00:00' },
    ]);
    expect(res).toMatchObject({ counts: { enqueued: 2 } });
    expect(await cursors.get(FLOW)).toBeUndefined();
  });

  it('a poll of a flow that is already being polled is skipped (a second replica is harmless)', async () => {
    const { prefix, jst, service } = setup();
    jst.rows.push(row(1, 10));
    await admin.set(keys.pollLock(prefix, FLOW), 'other-replica', 'PX', 10_000);
    expect(await service.pollOnce(FLOW)).toEqual({ flow: FLOW, skipped: 'another poll of this flow is running' });
    expect(jst.calls).toEqual([]);
  });

  it('start() upserts one scheduler per enabled flow, idempotently, removes stale ones, and polls through the worker', async () => {
    const { service, statuses } = setup({ everyMs: 1000 });
    await service.queues.poll.upsertJobScheduler('poll-retired-flow', { every: 5000 }, { name: 'poll-retired-flow', data: { flow: 'retired-flow' } });
    await service.start();
    await service.start();
    const schedulers = await service.queues.poll.getJobSchedulers(0, -1);
    expect(schedulers.map((s) => [s.id ?? s.key, s.every])).toEqual([['poll-sales-outbound', 1000]]);
    for (let i = 0; i < 250 && !(await statuses.get(FLOW)).lastSuccessAt; i++) await new Promise((r) => setTimeout(r, 20));
    expect((await statuses.get(FLOW)).lastSuccessAt).toBe(NOW.toISOString());
  });

  it('a JST rate limit puts the poll job back without spending an attempt', async () => {
    const { jst, service, queue } = setup();
    jst.rows.push(row(31, 1));
    let limited = 0;
    jst.beforeCall = (kind) => {
      if (kind !== 'page') return; // the scheduled poll (ts scan) also runs once after start()
      if (limited++ === 0) throw new RateLimitedError('JST_199', '调用太频繁，请稍后再试!', 50);
    };
    await service.start();
    const job = await service.queues.poll.add('resync', { flow: FLOW, resync: { docIds: ['31'] } }, { attempts: 1 });
    for (let i = 0; i < 250; i++) {
      const state = await service.queues.poll.getJobState(job.id!);
      if (state === 'completed' || state === 'failed') break;
      await new Promise((r) => setTimeout(r, 20));
    }
    expect(await service.queues.poll.getJobState(job.id!)).toBe('completed');
    expect(limited).toBe(2);
    expect(await queue.getJob(documentJobId(FLOW, '31', '1'))).toBeDefined();
    expect(POLL_QUEUE).toBe(service.queues.poll.name);
  });

  it('stop() closes every connection it opened', async () => {
    const { prefix, service } = setup();
    await service.start();
    const named = async () => ((await admin.client('LIST')) as string).split('\n').filter((l) => l.includes(`name=${prefix}-poller`)).length;
    expect(await named()).toBeGreaterThan(0);
    await service.stop();
    for (let i = 0; i < 100 && (await named()) > 0; i++) await new Promise((r) => setTimeout(r, 20));
    expect(await named()).toBe(0);
  });
});
