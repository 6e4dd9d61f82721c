import { silentLogger } from '@sync/logger';
import { createLedger, keys, type LedgerEntry } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import type { FastifyInstance } from 'fastify';
import { Redis } from 'ioredis';
import { createApiQueues, type ApiQueues } from './api-queues';
import { closeRedisWorld } from './redis-world.test-support';
import { buildApi } from './app';
import { createAuditLog } from './audit-log';
import type { FlowDescriptor } from './flow-descriptors';
import { createRedisOps } from './redis-ops';

const TOKEN = 'operator-token-0123';
const RO_TOKEN = 'readonly-token-0123';
const op = { authorization: `Bearer ${TOKEN}` };
const ro = { authorization: `Bearer ${RO_TOKEN}` };
const NOW = new Date('2026-11-28T05:00:00.000Z');
const CUTOFF_90 = '2026-08-30T05:00:00.000Z'; // NOW - 90 days
const flows: FlowDescriptor[] = [
  { name: 'sales-outbound', title: '销售出库单', enabled: true, everyMs: 15000, billNoPrefix: 'JSTSO' },
  { name: 'transfer', title: '直接调拨单', enabled: false, everyMs: 15000, billNoPrefix: 'JSTTR' },
  { name: 'material', title: '物料', enabled: true, everyMs: 60000 },
];

const prefix = uniquePrefix('api-ledger-prune');
let redis: Redis;
let queues: ApiQueues;
let app: FastifyInstance;

const daysAgo = (days: number): string => new Date(NOW.getTime() - days * 24 * 3600 * 1000).toISOString();
const entry = (billNoPrefix: string, docId: string, writtenAt: string): LedgerEntry => ({
  billNo: `${billNoPrefix}${docId}`, docId, kingdeeId: Number(docId), number: `${billNoPrefix}${docId}`,
  status: 'audited', version: '1', jobId: `job-${docId}`, writtenAt,
});

/** sales-outbound: 2 old bills (sent), 1 old skip, 1 recent bill; transfer: 1 old, 1 recent; material: 1 old SKU. */
async function seed(): Promise<void> {
  const ledger = createLedger(redis, prefix);
  await ledger.record('sales-outbound', entry('JSTSO', '1', daysAgo(200)));
  await ledger.record('sales-outbound', entry('JSTSO', '2', daysAgo(91)));
  await ledger.record('sales-outbound', { ...entry('JSTSO', '3', daysAgo(120)), billNo: null, status: 'skipped', reason: 'not ready' });
  await ledger.record('sales-outbound', entry('JSTSO', '4', daysAgo(89)));
  await ledger.markSent('sales-outbound', ['JSTSO1', 'JSTSO2', 'JSTSO4']);
  await ledger.record('transfer', entry('JSTTR', '5', daysAgo(100)));
  await ledger.record('transfer', entry('JSTTR', '6', daysAgo(1)));
  await ledger.record('material', { ...entry('', 'SKU-1', daysAgo(400)), billNo: 'SKU-1', kingdeeId: null });
}

beforeAll(async () => {
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  queues = createApiQueues({ connection: redis, prefix, flows: flows.map((f) => f.name) });
  app = await buildApi({
    env: { API_TOKEN: TOKEN, API_READONLY_TOKEN: RO_TOKEN, API_RATE_LIMIT_PER_MIN: 1000 },
    ops: createRedisOps({ redis, prefix, flows, queues, now: () => NOW }),
    queues: queues.all,
    logger: silentLogger(),
    audit: createAuditLog(redis, prefix),
    now: () => NOW,
  });
  await app.ready();
});

beforeEach(async () => {
  for (const f of flows) await redis.del(keys.ledger(prefix, f.name), keys.sentBills(prefix, f.name));
  await seed();
});

afterAll(() => closeRedisWorld({ app, redis, queues, prefix }));

const prune = (payload: unknown, headers: Record<string, string> = op) =>
  app.inject({ method: 'POST', url: '/ledger/prune', headers, payload: payload as object });
const ledgerKeys = async (flow: string) => (await redis.hkeys(keys.ledger(prefix, flow))).sort();

describe('POST /ledger/prune', () => {
  it('prunes one flow: entries older than the cutoff and the sent markers of their bills go', async () => {
    const res = await prune({ flow: 'sales-outbound', olderThanDays: 90 });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual({ flows: { 'sales-outbound': { scanned: 4, removed: 3 } }, before: CUTOFF_90, dryRun: false });
    expect(await ledgerKeys('sales-outbound')).toEqual(['JSTSO4']);
    expect(await redis.smembers(keys.sentBills(prefix, 'sales-outbound'))).toEqual(['JSTSO4']);
    expect(await ledgerKeys('transfer')).toEqual(['JSTTR5', 'JSTTR6']); // other flows untouched
  });

  it('prunes every document flow by default, never the material flow', async () => {
    const res = await prune({ olderThanDays: 90 });
    expect(res.statusCode).toBe(200);
    expect(res.json().flows).toEqual({ 'sales-outbound': { scanned: 4, removed: 3 }, transfer: { scanned: 2, removed: 1 } });
    expect(await ledgerKeys('transfer')).toEqual(['JSTTR6']);
    expect(await ledgerKeys('material')).toEqual(['SKU-1']);
  });

  it('dry run counts and removes nothing', async () => {
    const res = await prune({ olderThanDays: 90, dryRun: true });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toMatchObject({ flows: { 'sales-outbound': { removed: 3 }, transfer: { removed: 1 } }, dryRun: true });
    expect(await ledgerKeys('sales-outbound')).toEqual(['3', 'JSTSO1', 'JSTSO2', 'JSTSO4']);
    expect(await redis.scard(keys.sentBills(prefix, 'sales-outbound'))).toBe(3);
  });

  it('writes an audit record with who, the cutoff and the counts', async () => {
    await prune({ flow: 'transfer', olderThanDays: 30 });
    const [entry] = (await app.inject({ method: 'GET', url: '/audit?action=ledger-prune', headers: ro })).json().entries;
    expect(entry).toMatchObject({
      principal: 'token',
      role: 'operator',
      action: 'ledger-prune',
      method: 'POST',
      url: '/ledger/prune',
      statusCode: 200,
      details: { flows: ['transfer'], olderThanDays: 30, before: daysAgo(30), dryRun: false, counts: { transfer: { scanned: 2, removed: 1 } } },
    });
  });

  it('refuses the read-only credential with 403 and changes nothing (the refusal is audited)', async () => {
    const res = await prune({ olderThanDays: 1 }, ro);
    expect(res.statusCode).toBe(403);
    expect(await ledgerKeys('sales-outbound')).toHaveLength(4);
    const [entry] = (await app.inject({ method: 'GET', url: '/audit?principal=readonly-token', headers: ro })).json().entries;
    expect(entry).toMatchObject({ url: '/ledger/prune', statusCode: 403 });
  });

  it('refuses without credentials', async () => {
    expect((await prune({ olderThanDays: 1 }, {})).statusCode).toBe(401);
  });

  it.each([
    ['an unknown flow', { flow: 'purchase-in', olderThanDays: 90 }, '"purchase-in" is unknown'],
    ['a Kingdee-source flow', { flow: 'material', olderThanDays: 90 }, '"material" is not a JST → Kingdee document flow'],
  ])('refuses %s with 400 naming it', async (_name, payload, why) => {
    const res = await prune(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad_request', field: 'flow', message: expect.stringContaining(why) });
    expect(await ledgerKeys('sales-outbound')).toHaveLength(4);
  });

  it.each([
    ['no olderThanDays', 'olderThanDays', { flow: 'sales-outbound' }],
    ['olderThanDays 0', 'olderThanDays', { olderThanDays: 0 }],
    ['fractional olderThanDays', 'olderThanDays', { olderThanDays: 1.5 }],
    ['olderThanDays as text', 'olderThanDays', { olderThanDays: '90' }],
    ['olderThanDays beyond ten years', 'olderThanDays', { olderThanDays: 3651 }],
    ['dryRun not a boolean', 'dryRun', { olderThanDays: 90, dryRun: 'yes' }],
    ['an empty flow', 'flow', { flow: '', olderThanDays: 90 }],
    ['an unknown field', 'before', { olderThanDays: 90, before: '2026-01-01' }],
    ['an array body', 'body', [90]],
  ] as [string, string, unknown][])('refuses %s with 400 naming %s', async (_name, field, payload) => {
    const res = await prune(payload);
    expect(res.statusCode).toBe(400);
    expect(res.json()).toEqual({ error: 'bad_request', field, message: expect.stringContaining(field) });
    expect(await ledgerKeys('sales-outbound')).toHaveLength(4);
  });

  it('is described in /openapi.json with its body and answer', async () => {
    const doc = (await app.inject({ method: 'GET', url: '/openapi.json', headers: ro })).json();
    const route = doc.paths['/ledger/prune'].post;
    expect(route['x-required-role']).toBe('operator');
    expect(route.requestBody.content['application/json'].schema.required).toEqual(['olderThanDays']);
    expect(Object.keys(route.responses['200'].content['application/json'].schema.properties).sort()).toEqual(['before', 'dryRun', 'flows']);
  });
});
