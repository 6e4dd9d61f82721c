import type { Job } from 'bullmq';
import { PermanentError, RateLimitedError, TransientError } from '@sync/errors';
import { createLogger, silentLogger } from '@sync/logger';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { createRedis } from './redis';
import { createQueues, type Queues } from './queues';
import { lazyChild, runFlowWorker, type FlowWorker } from './runner';
import { listDeadLetters, retryDeadLetter } from './dead-letters';
import { documentJobId, flowQueueName, type DocumentJob } from './catalog';
import { enqueueDocuments } from './enqueue';

async function waitForFinished(queues: Queues, flow: string, jobId: string): Promise<Job<DocumentJob>> {
  for (let i = 0; i < 1000; i++) {
    const state = await queues.flow(flow).getJobState(jobId);
    if (state === 'completed' || state === 'failed') return (await queues.flow(flow).getJob(jobId)) as Job<DocumentJob>;
    await new Promise((r) => setTimeout(r, 20));
  }
  throw new Error(`job ${jobId} did not finish`);
}

describe('runFlowWorker error translation (real Redis)', () => {
  const prefix = uniquePrefix('runner');
  const redis = createRedis(testRedisUrl(), { role: 'worker' });
  const flow = 'runner-flow';
  const queues = createQueues({ connection: redis, prefix, flows: { [flow]: { attempts: 3, backoffMs: 10 } } });
  /** Per document id: what the processor does on each run. */
  const scripts = new Map<string, (run: number) => unknown>();
  const runs = new Map<string, number>();
  let worker: FlowWorker<DocumentJob, unknown>;

  beforeAll(() => {
    worker = runFlowWorker<DocumentJob, unknown>({
      connection: redis,
      prefix,
      queueName: flowQueueName(flow),
      concurrency: 4,
      logger: silentLogger(),
      process: async (job) => {
        const n = (runs.get(job.data.docId) ?? 0) + 1;
        runs.set(job.data.docId, n);
        const result = scripts.get(job.data.docId)!(n);
        if (result instanceof Error) throw result;
        return result;
      },
    });
  });

  afterAll(async () => {
    await worker.close(5000);
    await queues.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  async function run(docId: string, script: (run: number) => unknown, attempts?: number) {
    scripts.set(docId, script);
    if (attempts === undefined) {
      await enqueueDocuments(queues.flow(flow), flow, [{ docId, version: '1', doc: {} }], 'test');
    } else {
      await queues.flow(flow).add(docId, { flow, docId, version: '1', doc: {}, enqueuedAt: '', origin: 'test' }, { jobId: documentJobId(flow, docId, '1'), attempts });
    }
    return waitForFinished(queues, flow, documentJobId(flow, docId, '1'));
  }

  it('a PermanentError fails the job at once with "[CODE] message" (one attempt)', async () => {
    const job = await run('perm', () => new PermanentError('UNMAPPED_BASE_DATA', 'sales-outbound 1001: sku Z9999 has no material', { field: 'items.0.sku_id' }));
    expect(await job.getState()).toBe('failed');
    expect(job.failedReason).toBe('[UNMAPPED_BASE_DATA] sales-outbound 1001: sku Z9999 has no material');
    expect(job.attemptsMade).toBe(1);
    expect(runs.get('perm')).toBe(1);
    const { logs } = await queues.flow(flow).getJobLogs(job.id!);
    expect(logs.join('\n')).toContain('items.0.sku_id');
  });

  it('a TransientError is retried with backoff and can then succeed', async () => {
    const job = await run('flaky', (n) => (n < 3 ? new TransientError('TIMEOUT', 'slow') : { ok: n }));
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toEqual({ ok: 3 });
    expect(runs.get('flaky')).toBe(3);
  });

  it('the last failed attempt of a transient error is prefixed [RETRIES_EXHAUSTED]', async () => {
    const job = await run('doomed', () => new TransientError('HTTP_5XX', 'Kingdee answered 502'));
    expect(await job.getState()).toBe('failed');
    expect(job.failedReason).toBe('[RETRIES_EXHAUSTED] after 3 attempts: [HTTP_5XX] Kingdee answered 502');
    expect(job.attemptsMade).toBe(3);
  });

  it('a RateLimitedError does not spend an attempt (a 1-attempt job survives it)', async () => {
    const job = await run('limited', (n) => (n === 1 ? new RateLimitedError('JST_199', 'too fast', 30) : 'done'), 1);
    expect(await job.getState()).toBe('completed');
    expect(job.returnvalue).toBe('done');
    expect(runs.get('limited')).toBe(2);
    expect(job.attemptsMade).toBe(1);
  });

  it('lists the dead letters with code and message parsed, filters by code, and retries one', async () => {
    const all = await listDeadLetters(queues, { limit: 10 });
    expect(all.map((d) => d.docId).sort()).toEqual(['doomed', 'perm']);
    const perm = all.find((d) => d.docId === 'perm')!;
    expect(perm).toMatchObject({
      flow,
      jobId: documentJobId(flow, 'perm', '1'),
      version: '1',
      code: 'UNMAPPED_BASE_DATA',
      message: 'sales-outbound 1001: sku Z9999 has no material',
      attemptsMade: 1,
    });
    expect(perm.failedAt).toMatch(/^\d{4}-\d\d-\d\dT/);
    const exhausted = await listDeadLetters(queues, { flow, code: 'RETRIES_EXHAUSTED', limit: 10 });
    expect(exhausted.map((d) => d.docId)).toEqual(['doomed']);
    expect(await listDeadLetters(queues, { flow: 'other' })).toEqual([]);

    scripts.set('perm', () => 'fixed');
    expect(await retryDeadLetter(queues.flow(flow), perm.jobId)).toBe('retried');
    const job = await waitForFinished(queues, flow, perm.jobId);
    expect(await job.getState()).toBe('completed');
    expect(await retryDeadLetter(queues.flow(flow), perm.jobId)).toBe('not-failed');
    expect(await retryDeadLetter(queues.flow(flow), 'nope')).toBe('not-found');
  });
});

describe('lazyChild', () => {
  it('creates the child only when the job logs, with the job fields, and behaves as that child', () => {
    const lines: string[] = [];
    const base = createLogger({ name: 'test', level: 'info', destination: { write: (l: string) => void lines.push(l) } });
    const spy = jest.spyOn(base, 'child');
    let asked = 0;
    const log = lazyChild(base, () => {
      asked += 1;
      return { jobId: 'j1' };
    });
    expect(spy).not.toHaveBeenCalled();
    expect(asked).toBe(0);
    log.info('hello');
    log.warn({ a: 1 }, 'again');
    expect(spy).toHaveBeenCalledTimes(1);
    expect(asked).toBe(1);
    expect(lines.map((l) => JSON.parse(l) as Record<string, unknown>)).toEqual([
      expect.objectContaining({ jobId: 'j1', msg: 'hello' }),
      expect.objectContaining({ jobId: 'j1', a: 1, msg: 'again' }),
    ]);
    expect(log.level).toBe('info');
  });
});

describe('runFlowWorker close when a job hangs (real Redis)', () => {
  const prefix = uniquePrefix('runner-hang');
  const redis = createRedis(testRedisUrl(), { role: 'worker' });
  const flow = 'runner-hang-flow';
  const queues = createQueues({ connection: redis, prefix, flows: { [flow]: { attempts: 1, backoffMs: 10 } } });

  afterAll(async () => {
    await queues.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('stops renewing the locks of a job that outlives the close timeout (the process can end; the job stalls)', async () => {
    let started!: () => void;
    const active = new Promise<void>((resolve) => { started = resolve; });
    let release!: () => void;
    const hang = new Promise<void>((resolve) => { release = resolve; });
    const worker = runFlowWorker<DocumentJob, unknown>({
      connection: redis,
      prefix,
      queueName: flowQueueName(flow),
      concurrency: 1,
      logger: silentLogger(),
      process: async () => {
        started();
        await hang; // outlives the close's timeout
      },
    });
    await enqueueDocuments(queues.flow(flow), flow, [{ docId: 'hang', version: '1', doc: {} }], 'test');
    await active;
    const lockManager = (worker.worker as unknown as { lockManager: { isRunning(): boolean } }).lockManager;
    expect(lockManager.isRunning()).toBe(true);
    await worker.close(100);
    expect(lockManager.isRunning()).toBe(false);
    release(); // the close under way then finishes (nothing is left open by the test)
    await worker.worker.closing;
  });
});
