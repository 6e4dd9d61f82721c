import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { keys } from './keyspace';
import { createLedger, type LedgerEntry } from './ledger';
import { createRedis, waitForRedis } from './redis';

const FLOW = 'sales-outbound';
const BEFORE = new Date('2026-06-01T00:00:00.000Z');
const OLD = '2026-05-31T23:59:59.999Z';
const RECENT = '2026-06-01T00:00:00.000Z'; // exactly `before`: not strictly older, kept

const written = (docId: string, writtenAt: string, extra: Partial<LedgerEntry> = {}): LedgerEntry => ({
  billNo: `JSTSO${docId}`, docId, formId: 'SAL_OUTSTOCK', kingdeeId: Number(docId), number: `JSTSO${docId}`,
  status: 'audited', version: '1', jobId: `${FLOW}-${docId}-1`, writtenAt, ...extra,
});
const skipped = (docId: string, writtenAt: string): LedgerEntry => ({
  billNo: null, docId, kingdeeId: null, number: null, status: 'skipped', reason: 'not ready', version: '1', jobId: `${FLOW}-${docId}-1`, writtenAt,
});

describe('Ledger.prune (real Redis)', () => {
  const prefix = uniquePrefix('ledger-prune');
  const redis = createRedis(testRedisUrl(), { role: 'producer' });
  const ledger = createLedger(redis, prefix);

  beforeAll(async () => {
    await waitForRedis(redis);
  });
  afterEach(async () => {
    const left = await redis.keys(`${prefix}:*`);
    if (left.length) await redis.del(...left);
  });
  afterAll(async () => {
    await redis.quit();
  });

  async function seed(): Promise<void> {
    await ledger.record(FLOW, written('1', OLD));
    await ledger.record(FLOW, written('2', '2025-01-01T00:00:00.000Z'));
    await ledger.record(FLOW, written('3', RECENT));
    await ledger.record(FLOW, skipped('4', OLD));
    await ledger.record(FLOW, skipped('5', '2026-07-01T00:00:00.000Z'));
    await ledger.markSent(FLOW, ['JSTSO1', 'JSTSO2', 'JSTSO3', 'JSTSO9']); // JSTSO9: sent, then dead-lettered (no entry)
    await redis.hset(keys.ledger(prefix, FLOW), 'JSTSO6', '{not json');
    await redis.hset(keys.ledger(prefix, FLOW), 'JSTSO7', JSON.stringify({ ...written('7', OLD), writtenAt: 'yesterday' }));
  }

  it('removes old entries (skips too) and the sent markers of their bills; keeps recent and unreadable ones', async () => {
    await seed();
    const result = await ledger.prune(FLOW, { before: BEFORE });
    expect(result).toEqual({ scanned: 7, removed: 3 });
    const left = await redis.hkeys(keys.ledger(prefix, FLOW));
    expect(left.sort()).toEqual(['5', 'JSTSO3', 'JSTSO6', 'JSTSO7']);
    expect(await ledger.get(FLOW, 'JSTSO3')).toMatchObject({ docId: '3', writtenAt: RECENT });
    expect(await ledger.sentBefore(FLOW, ['JSTSO1', 'JSTSO2', 'JSTSO3', 'JSTSO9'])).toEqual([false, false, true, true]);
    // A second run finds nothing more to remove.
    expect(await ledger.prune(FLOW, { before: BEFORE })).toEqual({ scanned: 4, removed: 0 });
  });

  it('forgets a pruned bill in its document\'s bill index, keeping the document\'s other bills', async () => {
    await ledger.recordMany(FLOW, [written('8', OLD), written('8', RECENT, { billNo: 'JSTPK8', number: 'JSTPK8' })]);
    expect((await ledger.entriesOf(FLOW, '8')).map((e) => e.key).sort()).toEqual(['JSTPK8', 'JSTSO8']);
    await ledger.prune(FLOW, { before: BEFORE });
    expect((await ledger.entriesOf(FLOW, '8')).map((e) => e.key)).toEqual(['JSTPK8']);
    expect(JSON.parse((await redis.hget(keys.ledgerBills(prefix, FLOW), '8'))!)).toEqual(['JSTPK8']);
    await ledger.prune(FLOW, { before: new Date('2027-01-01T00:00:00.000Z') });
    expect(await redis.hexists(keys.ledgerBills(prefix, FLOW), '8')).toBe(0);
  });

  it('dry run counts what would go and removes nothing', async () => {
    await seed();
    expect(await ledger.prune(FLOW, { before: BEFORE, dryRun: true })).toEqual({ scanned: 7, removed: 3 });
    expect(await ledger.count(FLOW)).toBe(7);
    expect(await ledger.sentBefore(FLOW, ['JSTSO1', 'JSTSO2'])).toEqual([true, true]);
  });

  it('touches only the named flow, and answers zeros for a flow without a ledger', async () => {
    await ledger.record(FLOW, written('1', OLD));
    await ledger.record('transfer', { ...written('1', OLD), billNo: 'JSTTR1' });
    await ledger.markSent('transfer', ['JSTTR1']);
    expect(await ledger.prune(FLOW, { before: BEFORE })).toEqual({ scanned: 1, removed: 1 });
    expect(await ledger.count('transfer')).toBe(1);
    expect(await ledger.sentBefore('transfer', ['JSTTR1'])).toEqual([true]);
    expect(await ledger.prune('purchase-return', { before: BEFORE })).toEqual({ scanned: 0, removed: 0 });
  });

  it('pages through a large ledger: 1,200 entries, 700 old', async () => {
    const ledgerKey = keys.ledger(prefix, FLOW);
    const pipe = redis.pipeline();
    const billNos: string[] = [];
    for (let i = 0; i < 1200; i += 1) {
      const e = written(String(10000 + i), i < 700 ? OLD : RECENT);
      pipe.hset(ledgerKey, e.billNo!, JSON.stringify(e));
      billNos.push(e.billNo!);
    }
    pipe.sadd(keys.sentBills(prefix, FLOW), ...billNos);
    await pipe.exec();

    expect(await ledger.prune(FLOW, { before: BEFORE, count: 100 })).toEqual({ scanned: 1200, removed: 700 });
    expect(await ledger.count(FLOW)).toBe(500);
    expect(await redis.scard(keys.sentBills(prefix, FLOW))).toBe(500);
    const sent = await ledger.sentBefore(FLOW, billNos);
    expect(sent.slice(0, 700).every((s) => !s)).toBe(true);
    expect(sent.slice(700).every((s) => s)).toBe(true);
  });

  it('keeps an entry a worker rewrote between the read and the delete', async () => {
    await ledger.record(FLOW, written('1', OLD));
    await ledger.record(FLOW, written('2', OLD));
    await ledger.markSent(FLOW, ['JSTSO1', 'JSTSO2']);
    const rewritten = written('1', '2026-07-01T00:00:00.000Z', { version: '2' });
    // The page is read, then a resync of document 1 writes its entry again before the page is removed.
    const racing = Object.create(redis) as typeof redis;
    racing.hscan = (async (...args: Parameters<typeof redis.hscan>) => {
      const page = await redis.hscan(...args);
      await ledger.record(FLOW, rewritten);
      return page;
    }) as typeof redis.hscan;
    expect(await createLedger(racing, prefix).prune(FLOW, { before: BEFORE })).toEqual({ scanned: 2, removed: 1 });
    expect(await ledger.get(FLOW, 'JSTSO1')).toEqual(rewritten);
    expect(await ledger.sentBefore(FLOW, ['JSTSO1', 'JSTSO2'])).toEqual([true, false]);
  });

  it('refuses an invalid date', async () => {
    await expect(ledger.prune(FLOW, { before: new Date('nope') })).rejects.toThrow(/not a valid date/);
  });
});
