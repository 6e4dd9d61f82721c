/**
 * Two flows, one Kingdee budget: the worker service runs sales-outbound batched (writeBatchSize 20, so 2 × 20 × 1
 * jobs at once) and other-outbound per document (writeBatchSize 1: Save, Submit, Audit, WORKER_CONCURRENCY jobs at
 * once), both through ONE Kingdee client with ONE integration user against the Kingdee simulator (per-call and
 * per-line latency), on real Redis. A backlog of 600 sales outbounds is running when 6 other outbounds arrive: the
 * session pool serves callers FIFO, so each call of the small flow waits behind at most the batch calls already
 * queued, and the small flow is done long before the backlog, not after it.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { envSchema } from '@sync/config';
import { flowContext, otherOutboundFlow, salesOutboundFlow, loadSyncConfig, syncConfigSchema, type AnyDocumentFlow } from '@sync/flows';
import { createKingdeeClient, type KingdeeApi } from '@sync/kingdee';
import { silentLogger } from '@sync/logger';
import { createQueues, createRedis, enqueueDocuments, waitForRedis, type Queues } from '@sync/queue';
import { demoCredentials, kingdeeUsers, startKingdeeSimulator, type KingdeeSimulator } from '@sync/simulator';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { createWorkerService, type WorkerService } from './worker-service';

const root = join(__dirname, '..', '..', '..');
const fixture = (flow: string, name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(root, 'packages', 'flows', 'fixtures', flow, `${name}.json`), 'utf8'));

const BIG = 'sales-outbound';
const SMALL = 'other-outbound';
const BACKLOG = 600;
const HANDFUL = 6;
const NOW = new Date('2024-06-01T08:00:00Z');

/** One-line sales outbounds (杭州主仓, 天猫, A1001-BLK-L), each its own JST document. */
function salesOutbound(i: number): Record<string, unknown> {
  const base = fixture(BIG, 'simple-one-line');
  const ioId = 7_000_000 + i;
  const items = (base.items as Record<string, unknown>[]).map((item) => ({ ...item, ioi_id: 70_000_000 + i, oi_id: `7${i}`, outer_oi_id: `SO-FAIR-${i}-1`, raw_so_id: `SO-FAIR-${i}` }));
  return { ...base, io_id: ioId, o_id: 8_000_000 + i, so_id: `SO-FAIR-${i}`, ts: 2_000_000_000 + i, items };
}

/** One-line other outbounds (样品领用 from 杭州主仓, A1001-RED-M), each its own JST document. */
function otherOutbound(i: number): Record<string, unknown> {
  const base = fixture(SMALL, 'sample-use');
  const ioId = 600_000 + i;
  return { ...base, io_id: ioId, so_id: `OUT-FAIR-${i}`, modified: `2024-05-22 14:${String(10 + i).padStart(2, '0')}:00` };
}

describe('createWorkerService: two flows share one Kingdee user fairly (real Redis, BullMQ, Kingdee simulator)', () => {
  const prefix = uniquePrefix('worker-fairness');
  const users = kingdeeUsers(1);
  const env = envSchema.parse({
    REDIS_URL: testRedisUrl(), QUEUE_PREFIX: prefix, WORKER_CONCURRENCY: '4', SHUTDOWN_TIMEOUT_MS: '5000',
    KINGDEE_USERNAME: users.map((u) => u.username).join(','),
  });
  // The demo mappings (they match the simulator's base data) with only the two flows under test.
  const demo = loadSyncConfig(join(root, 'config', 'sync.config.yaml'));
  const config = syncConfigSchema.parse({
    flows: {
      [BIG]: { billType: 'XSCKD01_SYS', billNoPrefix: 'JSTSO', attempts: 3, backoffMs: 10, writeBatchSize: 20, writeBatchWaitMs: 100 },
      // One Save, Submit and Audit per document (written out: an absent writeBatchSize means batched too).
      [SMALL]: { billType: 'QTCKD01_SYS', billNoPrefix: 'JSTOO', department: 'stock', attempts: 3, backoffMs: 10, writeBatchSize: 1 },
    },
    mappings: demo.mappings,
  });
  const flows: Record<string, AnyDocumentFlow> = { [BIG]: salesOutboundFlow, [SMALL]: otherOutboundFlow };
  const admin = createRedis(testRedisUrl(), { role: 'producer' });
  const queues: Queues = createQueues({ connection: admin, prefix, flows: { [BIG]: config.flows[BIG]!, [SMALL]: config.flows[SMALL]! } });
  let sim: KingdeeSimulator;
  let kingdee: KingdeeApi;
  let service: WorkerService;

  beforeAll(async () => {
    await waitForRedis(admin);
    sim = await startKingdeeSimulator({ users, latency: { perCallMs: 20, perLineMs: 5 } });
    kingdee = createKingdeeClient({
      baseUrl: sim.url, auth: 'password', acctId: demoCredentials.kingdee.acctId, users: users.map((u) => ({ username: u.username, password: u.password })),
      timeoutMs: 30_000, logger: silentLogger(),
    });
    service = createWorkerService(env, config, { kingdee, flows, logger: silentLogger(), now: () => NOW });
  });
  afterAll(async () => {
    try {
      await service?.stop();
      await queues.close();
      await kingdee?.close();
      await sim?.close();
      const keys = await admin.keys(`${prefix}:*`);
      if (keys.length) await admin.del(...keys);
    } finally {
      admin.disconnect();
    }
  });

  /** Polls until `done()` holds (a liveness bound, not a timing assertion). */
  async function until(what: string, done: () => Promise<boolean> | boolean, tries = 3000): Promise<void> {
    for (let i = 0; i < tries; i++) {
      if (await done()) return;
      await new Promise((r) => setTimeout(r, 20));
    }
    throw new Error(`timed out waiting for ${what}`);
  }
  const finishedJobs = async (flow: string) => {
    const c = await queues.flow(flow).getJobCounts('completed', 'failed');
    return { completed: c.completed ?? 0, failed: c.failed ?? 0 };
  };
  /** The bill numbers the flow's pure transform makes of `docs` (what Kingdee must hold, once each). */
  const expectedBillNos = (flow: string, docs: Record<string, unknown>[]) => {
    const ctx = flowContext(flow, config, NOW.toISOString());
    return docs.flatMap((d) => {
      const result = flows[flow].transform(flows[flow].schema.parse(d), ctx);
      return result.kind === 'write' ? result.documents.map((t) => t.billNo) : [];
    });
  };
  const enqueue = (flow: string, docs: Record<string, unknown>[]) =>
    enqueueDocuments(queues.flow(flow), flow, docs.map((doc) => ({ docId: flows[flow].docId(doc), version: String(flows[flow].version(doc)), doc })), 'test');

  it(`serves ${HANDFUL} other outbounds while a backlog of ${BACKLOG} sales outbounds runs, through one session`, async () => {
    const big = Array.from({ length: BACKLOG }, (_, i) => salesOutbound(i));
    const small = Array.from({ length: HANDFUL }, (_, i) => otherOutbound(i));
    const bigForm = salesOutboundFlow.target.formId;
    const smallForm = otherOutboundFlow.target.formId;

    await enqueue(BIG, big);
    await service.start();
    expect([...service.flows].sort()).toEqual([SMALL, BIG]);
    // The backlog is running (bills arriving in Kingdee) before the small flow's documents arrive.
    await until('the backlog to start', () => sim.documents(bigForm).length > 0);
    await enqueue(SMALL, small);

    await until('every job to finish', async () => {
      const [b, s] = [await finishedJobs(BIG), await finishedJobs(SMALL)];
      return b.completed + b.failed === BACKLOG && s.completed + s.failed === HANDFUL;
    });
    expect(await finishedJobs(BIG)).toEqual({ completed: BACKLOG, failed: 0 });
    expect(await finishedJobs(SMALL)).toEqual({ completed: HANDFUL, failed: 0 });

    // (1) Every document of both flows is in Kingdee exactly once, audited.
    const bigBills = sim.documents(bigForm);
    const smallBills = sim.documents(smallForm);
    expect(bigBills.map((d) => d.billNo).sort()).toEqual(expectedBillNos(BIG, big).sort());
    expect(smallBills.map((d) => d.billNo).sort()).toEqual(expectedBillNos(SMALL, small).sort());
    expect(new Set(bigBills.map((d) => d.billNo)).size).toBe(BACKLOG);
    expect(new Set(smallBills.map((d) => d.billNo)).size).toBe(HANDFUL);
    expect([...bigBills, ...smallBills].every((d) => d.status === 'C')).toBe(true);

    // (2) The small flow was served while the backlog ran, not after it. The simulator stamps a bill inside the
    // session's queue, after the call's latency: calls of one session never overlap and each takes ≥ 20 ms, so the
    // stamps order the calls (an ordering, not a timing threshold). Bill ids are one sequence over all forms.
    const smallIds = smallBills.map((d) => d.id);
    expect(bigBills.filter((d) => d.id < Math.min(...smallIds)).length).toBeGreaterThan(0); // the backlog had begun
    const smallDone = Math.max(...smallBills.map((d) => d.approvedAt!));
    const bigDoneBySmallDone = bigBills.filter((d) => d.approvedAt! <= smallDone).length;
    expect(bigDoneBySmallDone).toBeLessThan(BACKLOG * 0.75);

    // (3) One Kingdee budget: one user, one login, one session, which ran one call at a time for both forms.
    const stats = sim.stats();
    expect(stats.logins.succeeded).toBe(1);
    expect(stats.sessionsCreated).toBe(1);
    const sessions = Object.entries(stats.concurrency.perSession);
    expect(sessions).toHaveLength(1);
    expect(sessions[0][0].startsWith(`${users[0].username}#`)).toBe(true);
    expect(sessions[0][1]).toBe(1);
    expect(stats.concurrency.highWater).toBe(1);
  }, 120_000);
});
