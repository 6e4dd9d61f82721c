import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { silentLogger } from '@sync/logger';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { Redis } from 'ioredis';
import type { DeadLetter, FlowStatus } from '../ops';
import { alertPayload, type Alert } from './alert-channels';
import { createAlertMonitor } from './alert-monitor';
import { createAuditLog } from '../audit-log';
import { evaluateAlerts, evaluateLoginFailures, type AlertState, type LoginFailure } from './alert-rules';

const letter = (docId: string, code: string, failedAt: string, flow = 'sales-outbound'): DeadLetter => ({
  flow, jobId: `${flow}-${docId}-1`, docId, version: '1', code, message: `doc ${docId} failed`, failedAt, attemptsMade: 1,
});
const flowStatus = (over: Partial<FlowStatus> = {}): FlowStatus => ({
  name: 'sales-outbound', title: '销售出库单', enabled: true, schedule: { everyMs: 15000 }, cursor: null,
  lastPollAt: '2026-11-28T05:00:00.000Z', lastError: null, lastErrorAt: null, lastPollCounts: null,
  counts: { waiting: 0, active: 0, delayed: 0, failed: 0, completed: 0 }, paused: false, lagSeconds: 0, writtenToday: 0, cutover: null, beforeCutover: 0, ...over,
});
const start: AlertState = { watermark: '2026-11-28T05:00:00.000Z', stalled: [], authErrorSeen: {} };
const rules = { stallMs: 10 * 60_000, authFailures: 2 };
const now = new Date('2026-11-28T05:01:00.000Z');

describe('evaluateAlerts', () => {
  it('sends one 对账不平 summary for reconciliations finished since the last tick with a day that does not balance', () => {
    const counts = { missing: 2, extra: 1, quantity: 0, status: 1 };
    const run = (id: string, finishedAt: string, balanced: boolean) => ({
      id, finishedAt, days: [{ flow: 'sales-outbound', day: '2026-11-27', balanced, counts: balanced ? { missing: 0, extra: 0, quantity: 0, status: 0 } : counts }],
    });
    // The first tick ever only starts the watermark: older runs are not reported.
    const first = evaluateAlerts(start, { now, newDeadLetters: [], flows: [flowStatus()], reconciliations: [run('old', '2026-11-28T04:00:00.000Z', false)] }, rules);
    expect(first.alerts).toEqual([]);
    expect(first.next.reconciledUntil).toBe(now.toISOString());
    const later = new Date('2026-11-28T05:10:00.000Z');
    const runs = [run('r1', '2026-11-28T05:02:00.000Z', false), run('r2', '2026-11-28T05:03:00.000Z', false), run('r3', '2026-11-28T05:04:00.000Z', true), run('old', '2026-11-28T04:00:00.000Z', false)];
    const second = evaluateAlerts(first.next, { now: later, newDeadLetters: [], flows: [flowStatus({ lastPollAt: later.toISOString() })], reconciliations: runs }, rules);
    expect(second.alerts).toHaveLength(1);
    expect(second.alerts[0]).toEqual(expect.objectContaining({ type: 'reconciliation', title: expect.stringContaining('对账不平: 2 flow-days') }));
    expect(second.alerts[0].lines[0]).toBe('sales-outbound 2026-11-27: 未同步 2, 多余 1, 数量差异 0, 未审核 1');
    expect(second.next.reconciledUntil).toBe('2026-11-28T05:04:00.000Z');
    // Reported once.
    expect(evaluateAlerts(second.next, { now: later, newDeadLetters: [], flows: [flowStatus({ lastPollAt: later.toISOString() })], reconciliations: runs }, rules).alerts).toEqual([]);
  });

  it('aggregates new dead letters into one alert and moves the watermark', () => {
    const letters = [
      letter('1', 'UNMAPPED_BASE_DATA', '2026-11-28T05:00:10.000Z'),
      letter('2', 'UNMAPPED_BASE_DATA', '2026-11-28T05:00:20.000Z'),
      letter('3', 'KINGDEE_REJECTED', '2026-11-28T05:00:30.000Z'),
      letter('0', 'UNMAPPED_BASE_DATA', '2026-11-28T05:00:00.000Z'), // already reported (= watermark)
    ];
    const { alerts, next } = evaluateAlerts(start, { now, newDeadLetters: letters, flows: [flowStatus()] }, rules);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].title).toBe('3 new dead letters');
    expect(alerts[0].facts.groups).toEqual([
      { flow: 'sales-outbound', code: 'UNMAPPED_BASE_DATA', count: 2 },
      { flow: 'sales-outbound', code: 'KINGDEE_REJECTED', count: 1 },
    ]);
    expect(next.watermark).toBe('2026-11-28T05:00:30.000Z');
    expect(evaluateAlerts(next, { now, newDeadLetters: letters, flows: [flowStatus()] }, rules).alerts).toEqual([]);
  });

  it('reports a stalled flow once until it advances, ignoring paused and disabled flows', () => {
    const old = { lastPollAt: '2026-11-28T04:00:00.000Z' };
    const flows = [flowStatus(old), flowStatus({ ...old, name: 'a', paused: true }), flowStatus({ ...old, name: 'b', enabled: false })];
    const first = evaluateAlerts(start, { now, newDeadLetters: [], flows }, rules);
    expect(first.alerts.map((a) => a.type)).toEqual(['flow-stalled']);
    expect(first.next.stalled).toEqual(['sales-outbound']);
    expect(evaluateAlerts(first.next, { now, newDeadLetters: [], flows }, rules).alerts).toEqual([]);
    const recovered = evaluateAlerts(first.next, { now, newDeadLetters: [], flows: [flowStatus()] }, rules);
    expect(recovered.next.stalled).toEqual([]);
  });

  it('reports repeated authentication failures (dead letters and poll errors) at the threshold', () => {
    const authPoll = flowStatus({ name: 'purchase-inbound', lastError: '[AUTH_FAILED] JST token expired', lastErrorAt: '2026-11-28T05:00:40.000Z' });
    const one = evaluateAlerts(start, { now, newDeadLetters: [], flows: [authPoll] }, rules);
    expect(one.alerts).toEqual([]);
    const two = evaluateAlerts(start, { now, newDeadLetters: [letter('5', 'AUTH_FAILED', '2026-11-28T05:00:50.000Z')], flows: [authPoll] }, rules);
    expect(two.alerts.map((a) => a.type)).toEqual(['dead-letters', 'auth-failures']);
    expect(two.alerts[1].facts).toEqual({ count: 2, flows: ['sales-outbound', 'purchase-inbound'] });
    // The same poll error is not counted twice.
    expect(evaluateAlerts(two.next, { now, newDeadLetters: [], flows: [authPoll] }, { ...rules, authFailures: 1 }).alerts).toEqual([]);
  });
});

describe('evaluateLoginFailures', () => {
  const fail = (at: string, address: string, user = 'admin'): LoginFailure => ({ at: `2026-11-28T05:00:${at}.000Z`, address, user });
  const mark = '2026-11-28T05:00:00.000Z';
  it.each<[string, LoginFailure[], number, number | null, string]>([
    ['none', [], 3, null, mark],
    ['below the threshold: no alert, watermark moves', [fail('01', '10.0.0.1'), fail('02', '10.0.0.1')], 3, null, '2026-11-28T05:00:02.000Z'],
    ['at the threshold', [fail('03', '10.0.0.1'), fail('01', '10.0.0.2', 'root'), fail('02', '10.0.0.1')], 3, 3, '2026-11-28T05:00:03.000Z'],
    ['already counted ones do not count', [fail('00', '10.0.0.1'), fail('01', '10.0.0.1'), fail('02', '10.0.0.1')], 3, null, '2026-11-28T05:00:02.000Z'],
    ['threshold 1', [fail('05', '203.0.113.9')], 1, 1, '2026-11-28T05:00:05.000Z'],
  ])('%s', (_name, failures, threshold, count, watermark) => {
    const out = evaluateLoginFailures(mark, failures, threshold);
    expect(out.watermark).toBe(watermark);
    expect(out.alert?.facts.count ?? null).toBe(count);
    if (out.alert) expect(out.alert.type).toBe('auth-failures');
  });

  it('names the addresses and users, most frequent first, and never repeats through evaluateAlerts', () => {
    const failures = [fail('01', '10.0.0.1'), fail('02', '10.0.0.1'), fail('03', '10.0.0.2', 'root')];
    const first = evaluateAlerts(start, { now, newDeadLetters: [], flows: [], loginFailures: failures }, { ...rules, loginFailures: 3 });
    expect(first.alerts).toHaveLength(1);
    expect(first.alerts[0]).toMatchObject({ type: 'auth-failures', title: '3 failed logins to the sync API' });
    expect(first.alerts[0].facts).toEqual({
      count: 3,
      addresses: [{ value: '10.0.0.1', count: 2 }, { value: '10.0.0.2', count: 1 }],
      users: [{ value: 'admin', count: 2 }, { value: 'root', count: 1 }],
    });
    expect(first.next.loginWatermark).toBe('2026-11-28T05:00:03.000Z');
    expect(evaluateAlerts(first.next, { now, newDeadLetters: [], flows: [], loginFailures: failures }, { ...rules, loginFailures: 3 }).alerts).toEqual([]);
  });
});

describe('alertPayload', () => {
  const alert: Alert = { type: 'dead-letters', title: '2 new dead letters', lines: ['sales-outbound: 2 × UNMAPPED_BASE_DATA'], facts: { count: 2 } };
  const text = '【2 new dead letters】\nsales-outbound: 2 × UNMAPPED_BASE_DATA';
  it.each([
    ['dingtalk', { msgtype: 'text', text: { content: text } }],
    ['wecom', { msgtype: 'text', text: { content: text } }],
    ['feishu', { msg_type: 'text', content: { text } }],
    ['webhook', { source: 'jst-kingdee-sync', type: 'dead-letters', title: '2 new dead letters', text, facts: { count: 2 } }],
  ] as const)('%s', (kind, expected) => {
    expect(alertPayload(kind, alert)).toEqual(expected);
  });
});

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
