import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { checkRedis, createRedis, waitForRedis } from './redis';
import { silentLogger } from '@sync/logger';
import { createQueues } from './queues';
import { enqueueDocuments } from './enqueue';
import { documentJobId } from './catalog';
import { createCursorStore } from './cursor-store';
import { createLedger, type LedgerEntry } from './ledger';
import { keys } from './keyspace';
import { createPollStatusStore } from './poll-status-store';
import { acquireLock, releaseLock, withLock } from './redis-lock';
import { createCappedList } from './capped-list';
import { createResyncCancelStore } from './resync-cancel';
import { z } from 'zod';

describe('enqueue and the Redis stores (real Redis)', () => {
  const prefix = uniquePrefix('stores');
  const redis = createRedis(testRedisUrl(), { role: 'producer' });
  const queues = createQueues({ connection: redis, prefix, flows: { demo: { attempts: 2, backoffMs: 100 } } });

  beforeAll(async () => {
    await waitForRedis(redis);
  });
  afterAll(async () => {
    await queues.close();
    const keys = await redis.keys(`${prefix}:*`);
    if (keys.length) await redis.del(...keys);
    await redis.quit();
  });

  it('enqueues one job per (docId, version): a re-read is ignored, a new version is a new job', async () => {
    const q = queues.flow('demo');
    const first = await enqueueDocuments(q, 'demo', [{ docId: '1001', version: '500', doc: { io_id: 1001 } }, { docId: '1002', version: '501', doc: {} }], 'poll');
    expect(first).toEqual({ enqueued: 2, duplicates: 0 });
    const again = await enqueueDocuments(q, 'demo', [{ docId: '1001', version: '500', doc: { io_id: 1001, changed: true } }], 'poll');
    expect(again).toEqual({ enqueued: 0, duplicates: 1 });
    const newer = await enqueueDocuments(q, 'demo', [{ docId: '1001', version: '777', doc: {} }], 'poll');
    expect(newer).toEqual({ enqueued: 1, duplicates: 0 });
    expect(await q.getWaitingCount()).toBe(3);
    const job = await q.getJob(documentJobId('demo', '1001', '500'));
    expect(job?.data).toMatchObject({ flow: 'demo', docId: '1001', version: '500', doc: { io_id: 1001 }, origin: 'poll' });
    expect(job?.opts.attempts).toBe(2);
    expect(job?.opts.backoff).toEqual({ type: 'exponential-jitter', delay: 100 });
  });

  it('checks the server: the test Redis runs with noeviction', async () => {
    expect(await checkRedis(redis, silentLogger())).toMatchObject({ ok: true, maxmemoryPolicy: 'noeviction' });
  });

  it('job ids never contain ":" and are never all digits', () => {
    const id = documentJobId('demo', 'a:b/c', '2024-05-20 15:40:11');
    expect(id).not.toContain(':');
    expect(id).toMatch(/^demo-/);
  });

  it('keeps a cursor per flow', async () => {
    const cursors = createCursorStore(redis, prefix);
    expect(await cursors.get('demo')).toBeUndefined();
    await cursors.set('demo', '98765432109876543210');
    await cursors.set('other', '2024-05-20 00:00:00');
    expect(await cursors.get('demo')).toBe('98765432109876543210');
    await cursors.reset('demo');
    expect(await cursors.get('demo')).toBeUndefined();
    expect(await cursors.get('other')).toBe('2024-05-20 00:00:00');
  });

  it('records, reads and lists ledger entries', async () => {
    const ledger = createLedger(redis, prefix);
    const saved: LedgerEntry = { billNo: 'JSTSO1001', docId: '1001', kingdeeId: 10, number: 'JSTSO1001', status: 'saved', version: '1', jobId: 'j1', writtenAt: '2024-01-01T00:00:00.000Z' };
    await ledger.record('demo', saved);
    await ledger.record('demo', { ...saved, status: 'audited' });
    await ledger.record('demo', { billNo: null, docId: '1002', kingdeeId: null, number: null, status: 'skipped', reason: 'gift only', version: '1', jobId: 'j2', writtenAt: '2024-01-01T00:00:00.000Z' });
    expect((await ledger.get('demo', 'JSTSO1001'))?.status).toBe('audited');
    expect((await ledger.get('demo', '1002'))?.reason).toBe('gift only');
    expect(await ledger.get('demo', 'nope')).toBeUndefined();
    expect(await ledger.count('demo')).toBe(2);
    const { entries, cursor } = await ledger.list('demo');
    expect(cursor).toBe('0');
    expect(entries.map((e) => e.docId).sort()).toEqual(['1001', '1002']);
    await expect(ledger.record('demo', { ...saved, status: 'weird' as never })).rejects.toThrow();
  });

  it('knows every bill a document produced, whatever their prefixes (a stocktake: gain and loss bills)', async () => {
    const ledger = createLedger(redis, prefix);
    const entry = (billNo: string, docId: string, formId: string): LedgerEntry => ({
      billNo, docId, formId, kingdeeId: 1, number: billNo, status: 'audited', version: '7', jobId: `stocktake-${docId}-7`, writtenAt: '2024-01-01T00:00:00.000Z',
    });
    await ledger.recordMany('stocktake', [entry('JSTPY501', '501', 'STK_StockCountGain'), entry('JSTPK501', '501', 'STK_StockCountLoss')]);
    await ledger.record('stocktake', entry('JSTPK502', '502', 'STK_StockCountLoss')); // a loss-only stocktake
    await ledger.record('stocktake', entry('JSTPK501', '501', 'STK_StockCountLoss')); // rewritten: still one bill
    await ledger.record('stocktake', { ...entry('x', '503', 'STK_StockCountGain'), billNo: null, number: null, kingdeeId: null, status: 'skipped', reason: 'no difference' });

    const bills = async (docId: string, also?: string[]) => (await ledger.entriesOf('stocktake', docId, also)).map((e) => e.key).sort();
    expect(await bills('501')).toEqual(['JSTPK501', 'JSTPY501']);
    expect(await bills('502')).toEqual(['JSTPK502']);
    expect(await bills('503')).toEqual(['503']);
    expect(await bills('504')).toEqual([]);
    // A bill recorded before the index existed is found through the key the caller knows; another document's is not.
    await redis.hset(keys.ledger(prefix, 'stocktake'), 'JSTPY505', JSON.stringify(entry('JSTPY505', '505', 'STK_StockCountGain')));
    expect(await bills('505', ['JSTPY505'])).toEqual(['JSTPY505']);
    expect(await bills('504', ['JSTPY505'])).toEqual([]);
    expect((await ledger.entriesOf('stocktake', '501')).every((e) => e.entry.docId === '501')).toBe(true);
  });

  it('keeps the last success and the last error of each flow apart', async () => {
    const status = createPollStatusStore(redis, prefix);
    expect(await status.get('demo')).toEqual({});
    await status.recordSuccess('demo', { at: 't1', counts: { seen: 3, ready: 2, invalid: 0, enqueued: 2, duplicates: 0, beforeCutover: 1 }, cursor: '55' });
    await status.recordError('demo', { at: 't2', code: 'TIMEOUT', message: 'JST timed out' });
    expect(await status.get('demo')).toEqual({
      lastSuccessAt: 't1',
      lastCounts: { seen: 3, ready: 2, invalid: 0, enqueued: 2, duplicates: 0, beforeCutover: 1 },
      cursor: '55',
      lastErrorAt: 't2',
      lastError: { code: 'TIMEOUT', message: 'JST timed out' },
    });
  });

  it('counts each document skipped before the cutover once, however often it is read', async () => {
    const status = createPollStatusStore(redis, prefix);
    expect(await status.beforeCutoverCount('demo')).toBe(0);
    await status.addBeforeCutover('demo', ['1', '2']);
    await status.addBeforeCutover('demo', ['2', '3']);
    await status.addBeforeCutover('demo', []);
    expect(await status.beforeCutoverCount('demo')).toBe(3);
    expect(await status.beforeCutoverCount('other')).toBe(0);
  });

  it('locks: one holder at a time; only the owner releases', async () => {
    const key = `${prefix}:lock:test`;
    const a = await acquireLock(redis, key, 10000);
    expect(a).toBeDefined();
    expect(await acquireLock(redis, key, 10000)).toBeUndefined();
    expect(await releaseLock(redis, { key, token: 'not-mine' })).toBe(false);
    const busy = await withLock(redis, key, 10000, async () => 'ran');
    expect(busy).toEqual({ acquired: false });
    expect(await releaseLock(redis, a!)).toBe(true);
    expect(await withLock(redis, key, 10000, async () => 'ran')).toEqual({ acquired: true, value: 'ran' });
    expect(await redis.exists(key)).toBe(0);
  });
  it('capped list: newest first, trimmed to its size, unreadable entries skipped, a scan stops when told', async () => {
    const key = `${prefix}:capped-test`;
    const list = createCappedList(redis, key, z.object({ n: z.number() }), 3);
    for (const n of [1, 2, 3, 4]) await list.push({ n });
    await expect(list.push({ n: 'x' } as unknown as { n: number })).rejects.toThrow();
    expect(await redis.llen(key)).toBe(3);
    const seen: number[] = [];
    await list.scan((v) => { seen.push(v.n); });
    expect(seen).toEqual([4, 3, 2]);
    const first: number[] = [];
    await list.scan((v) => { first.push(v.n); return false; });
    expect(first).toEqual([4]);
    await redis.lpush(key, 'not json', '{"n":"wrong"}');
    expect(await list.newest(3)).toEqual([{ n: 4 }]);
  });

  it('resync cancel: requested once, seen by the poller, per job id', async () => {
    const cancels = createResyncCancelStore(redis, prefix);
    expect(await cancels.isRequested('resync-a')).toBe(false);
    await cancels.request('resync-a', '2026-11-28T05:00:00.000Z');
    await cancels.request('resync-a', '2026-11-28T05:00:01.000Z');
    expect(await cancels.isRequested('resync-a')).toBe(true);
    expect(await cancels.isRequested('resync-b')).toBe(false);
    expect(await redis.ttl(keys.resyncCancel(prefix, 'resync-a'))).toBeGreaterThan(0);
  });
});
