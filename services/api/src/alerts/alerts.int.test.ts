import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@sync/logger';
import { keys, pushAlertEvent } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { Redis } from 'ioredis';
import type { DeadLetter } from '../ops';
import { createAuditLog } from '../audit-log';
import { createAlertMonitor } from './alert-monitor';
import { flowStatus, letter, rules } from './alert-data.test-support';

describe('createAlertMonitor against a local HTTP receiver and real Redis', () => {
  const prefix = uniquePrefix('api-alerts');
  let redis: Redis;
  let server: Server;
  let base: string;
  const received: { path: string; body: unknown }[] = [];

  const readBody = (req: IncomingMessage) =>
    new Promise<string>((resolve) => {
      let s = '';
      req.on('data', (c: Buffer) => (s += c.toString('utf8')));
      req.on('end', () => resolve(s));
    });

  beforeAll(async () => {
    redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
    server = createServer(async (req, res) => {
      received.push({ path: req.url ?? '', body: JSON.parse(await readBody(req)) });
      res.writeHead(req.url === '/broken' ? 500 : 200, { 'content-type': 'application/json' }).end('{"errcode":0}');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    const left = await redis.keys(`${prefix}:*`);
    if (left.length) await redis.del(...left);
    await redis.quit();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  it('starts from now, then sends one aggregated message per channel, and remembers across restarts', async () => {
    let clock = new Date('2026-11-28T05:00:00.000Z');
    let letters: DeadLetter[] = [letter('old', 'UNMAPPED_BASE_DATA', '2026-11-28T04:00:00.000Z')];
    const make = () =>
      createAlertMonitor({
        redis, prefix, rules, intervalMs: 1000, logger: silentLogger(), now: () => clock,
        ops: {
          listDeadLetters: async (f) => letters.filter((d) => f.since === undefined || (d.failedAt ?? '') >= f.since),
          listFlows: async () => [flowStatus({ lastPollAt: clock.toISOString() })],
        },
        channels: [
          { kind: 'dingtalk', url: `${base}/ding` },
          { kind: 'feishu', url: `${base}/feishu` },
          { kind: 'webhook', url: `${base}/broken` },
        ],
      });
    const monitor = make();
    expect(await monitor.tick()).toEqual([]); // the backlog from before the first run is not reported
    expect(received).toEqual([]);

    clock = new Date('2026-11-28T05:01:00.000Z');
    letters = [...letters, letter('1', 'UNMAPPED_BASE_DATA', '2026-11-28T05:00:30.000Z'), letter('2', 'UNMAPPED_BASE_DATA', '2026-11-28T05:00:40.000Z')];
    const sent = await monitor.tick();
    expect(sent.map((a) => a.type)).toEqual(['dead-letters']);
    expect(received.map((r) => r.path)).toEqual(['/ding', '/feishu', '/broken']); // a failing channel does not stop the others
    expect(received[0].body).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('sales-outbound: 2 × UNMAPPED_BASE_DATA') } });
    expect(received[1].body).toMatchObject({ msg_type: 'text' });

    received.length = 0;
    const restarted = make();
    expect(await restarted.tick()).toEqual([]);
    expect(received).toEqual([]);
  });

  it('alerts the reversal events the workers push, once, and not those from before its first run', async () => {
    const reversalPrefix = `${prefix}-reversals`;
    let clock = new Date('2026-11-28T06:00:00.000Z');
    const monitor = createAlertMonitor({
      redis, prefix: reversalPrefix, rules, intervalMs: 1000, logger: silentLogger(), now: () => clock,
      ops: { listDeadLetters: async () => [], listFlows: async () => [flowStatus({ lastPollAt: clock.toISOString() })] },
      channels: [{ kind: 'webhook', url: `${base}/hook` }],
    });
    const push = (docId: string, at: string) =>
      pushAlertEvent(redis, reversalPrefix, { type: 'reversal', flow: 'sales-outbound', docId, at, message: `sales-outbound document ${docId} → SAL_OUTSTOCK JSTSO${docId}: cancelled in JST` });
    try {
      await push('before', '2026-11-28T05:59:00.000Z');
      received.length = 0;
      expect(await monitor.tick()).toEqual([]);

      await push('2080123', '2026-11-28T06:00:30.000Z');
      clock = new Date('2026-11-28T06:01:00.000Z');
      expect((await monitor.tick()).map((a) => a.type)).toEqual(['reversals']);
      expect(received).toHaveLength(1);
      expect(received[0].body).toMatchObject({ type: 'reversals', title: '1 synced document cancelled in JST', facts: { count: 1, docs: [{ flow: 'sales-outbound', docId: '2080123' }] } });
      expect(JSON.stringify(received[0].body)).not.toContain('before');

      clock = new Date('2026-11-28T06:02:00.000Z');
      expect(await monitor.tick()).toEqual([]);
      expect(received).toHaveLength(1);
    } finally {
      await redis.del(keys.events(reversalPrefix), keys.alertsState(reversalPrefix));
    }
  });

  it('raises the auth-failure alert from failed logins in the audit log, once', async () => {
    const audit = createAuditLog(redis, `${prefix}:logins`);
    let clock = new Date('2026-11-28T06:00:00.000Z');
    const monitor = createAlertMonitor({
      redis, prefix: `${prefix}:logins`, rules: { ...rules, loginFailures: 3 }, intervalMs: 1000, logger: silentLogger(), now: () => clock, audit,
      ops: { listDeadLetters: async () => [], listFlows: async () => [] },
      channels: [{ kind: 'webhook', url: `${base}/hook` }],
    });
    expect(await monitor.tick()).toEqual([]); // first tick: sets the watermarks
    received.length = 0;
    for (const [i, address] of ['203.0.113.7', '203.0.113.7', '203.0.113.8'].entries()) {
      await audit.record({
        at: `2026-11-28T06:00:0${i + 1}.000Z`, principal: 'anonymous', role: 'none', action: 'login-failed', method: 'GET', url: '/flows',
        statusCode: 401, details: { address, user: 'admin', scheme: 'basic' },
      });
    }
    await audit.record({ at: '2026-11-28T06:00:05.000Z', principal: 'token', role: 'operator', action: 'pause', method: 'POST', url: '/flows/x/pause', statusCode: 200 });
    clock = new Date('2026-11-28T06:01:00.000Z');
    const sent = await monitor.tick();
    expect(sent.map((a) => a.title)).toEqual(['3 failed logins to the sync API']);
    expect(received).toHaveLength(1);
    expect(received[0].body).toMatchObject({ type: 'auth-failures', facts: { count: 3, addresses: [{ value: '203.0.113.7', count: 2 }, { value: '203.0.113.8', count: 1 }] } });
    clock = new Date('2026-11-28T06:02:00.000Z');
    expect(await monitor.tick()).toEqual([]);
  });
});
