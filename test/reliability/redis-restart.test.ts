/**
 * Fault: Redis restarted in the middle of a run, with append-only persistence on (a dedicated redis-server,
 * `--appendonly yes --appendfsync everysec`, stopped with SIGTERM and started again on the same port and dir).
 * In-process poller and worker over real HTTP. Promise proven: the services reconnect by themselves, the
 * cursor survives, no job is lost (every shipped document lands exactly once, including documents shipped
 * after the restart) and nothing is dead-lettered.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Redis } from 'ioredis';
import { keys } from '@sync/queue';
import type { JstSimulator, KingdeeSimulator } from '@sync/simulator';
import { spawnRedis, startSimulators, until } from '@sync/testing';
import type { System } from '../support/system';
import { FLOW, printFigures, sleep, startSalesOutbound, tallyKingdee } from './harness';

interface JstOut { io_id: number; status: string }

function portAnswers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = net.connect(port, '127.0.0.1');
    s.once('connect', () => { s.destroy(); resolve(true); });
    s.once('error', () => resolve(false));
  });
}

describe('reliability: Redis restarted mid-run (AOF on)', () => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'sync-redis-aof-'));
  const persistence = ['--appendonly', 'yes', '--appendfsync', 'everysec', '--dir', dir];
  let first: Awaited<ReturnType<typeof spawnRedis>>;
  let second: ChildProcess | undefined;
  let jst: JstSimulator;
  let kd: KingdeeSimulator;
  let pipeline: System | undefined;

  afterAll(async () => {
    await pipeline?.stop(); // and the simulators
    await first?.stop();
    if (second && second.exitCode === null) await new Promise<void>((r) => { second!.once('exit', () => r()); second!.kill('SIGTERM'); });
  });

  it('reconnects by itself and loses no job and no cursor', async () => {
    first = await spawnRedis(persistence);
    const prefix = 'rel-redis-restart';
    const sims = await startSimulators({ kingdee: { latency: { perCallMs: 5 } } });
    jst = sims.jst;
    kd = sims.kingdee;
    jst.seed({ count: 400, seed: 6060, unmappedRate: 0, batchRate: 0.3, statusMix: { Confirmed: 0.8, WaitConfirm: 0.2 } });
    const shipped = () => (jst.store.list('orders-out', { status: 'Confirmed' }) as unknown as JstOut[]).map((d) => String(d.io_id));

    pipeline = await startSalesOutbound({ redisUrl: first.url, prefix, simulators: sims, kingdeeTimeoutMs: 5000 });
    await until('a quarter of the documents written', () => tallyKingdee(kd, shipped()).documents >= shipped().length / 4, 120_000, 100);
    const inspector = new Redis(first.url, { maxRetriesPerRequest: null });
    const cursorBefore = await inspector.get(keys.cursor(prefix, FLOW));
    inspector.disconnect();
    expect(cursorBefore).not.toBeNull();
    const writtenBefore = tallyKingdee(kd, shipped()).documents;

    // Stop Redis (SIGTERM: it flushes the AOF), keep it down a moment, start it again on the same port and dir.
    await first.stop();
    await sleep(2000);
    second = spawn(process.env.REDIS_SERVER_BIN ?? 'redis-server', ['--bind', '127.0.0.1', '--port', String(first.port), '--save', '', ...persistence], { stdio: 'ignore' });
    await until('redis-server to listen again', () => portAnswers(first.port), 10_000, 50);

    const after = new Redis(first.url, { maxRetriesPerRequest: null });
    try {
      const cursorAfter = await after.get(keys.cursor(prefix, FLOW));
      expect(cursorAfter).not.toBeNull();
      expect(BigInt(cursorAfter!)).toBeGreaterThanOrEqual(BigInt(cursorBefore!)); // the cursor survived the restart

      // Documents shipped after the restart must come through the reconnected poller too.
      const late = jst.mutateRandomly(40, 'after-restart', { status: 'WaitConfirm', confirmRate: 1 });
      expect(late.length).toBeGreaterThan(10);

      await until('every shipped document in Kingdee and the queue idle', async () => tallyKingdee(kd, shipped()).missing.length === 0 && (await pipeline!.pending()) === 0, 180_000, 500);
      const t = tallyKingdee(kd, shipped());
      const failed = (await pipeline.queue(FLOW).getJobCounts('failed')).failed;
      printFigures('Redis restart (AOF)', {
        documents: shipped().length, faultsInjected: 1, writtenBeforeRestart: writtenBefore, shippedAfterRestart: late.length,
        written: t.documents, duplicates: t.duplicates, missing: t.missing, deadLetters: failed,
      });
      expect(t.missing).toEqual([]);
      expect(t.unexpected).toEqual([]);
      expect(t.duplicates).toBe(0);
      expect(t.created).toBe(shipped().length);
      expect(failed).toBe(0);
    } finally {
      after.disconnect();
    }
  }, 300_000);
});
