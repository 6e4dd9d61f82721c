import type { AlertEvent } from '@sync/queue';
import { alertPayload, type Alert } from './alert-channels';
import { evaluateAlerts, evaluateLoginFailures, type AlertState, type LoginFailure } from './alert-rules';
import { flowStatus, letter, rules, start } from './alert-data.test-support';

const now = new Date('2026-11-28T05:01:00.000Z');
const events: AlertEvent[] = [];
const MARK = start.watermark;

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
    const { alerts, next } = evaluateAlerts(start, { now, newDeadLetters: letters, flows: [flowStatus()], events }, rules);
    expect(alerts).toHaveLength(1);
    expect(alerts[0].title).toBe('3 new dead letters');
    expect(alerts[0].facts.groups).toEqual([
      { flow: 'sales-outbound', code: 'UNMAPPED_BASE_DATA', count: 2 },
      { flow: 'sales-outbound', code: 'KINGDEE_REJECTED', count: 1 },
    ]);
    expect(next.watermark).toBe('2026-11-28T05:00:30.000Z');
    expect(evaluateAlerts(next, { now, newDeadLetters: letters, flows: [flowStatus()], events }, rules).alerts).toEqual([]);
  });

  it('reports a stalled flow once until it advances, ignoring paused and disabled flows', () => {
    const old = { lastPollAt: '2026-11-28T04:00:00.000Z' };
    const flows = [flowStatus(old), flowStatus({ ...old, name: 'a', paused: true }), flowStatus({ ...old, name: 'b', enabled: false })];
    const first = evaluateAlerts(start, { now, newDeadLetters: [], flows, events }, rules);
    expect(first.alerts.map((a) => a.type)).toEqual(['flow-stalled']);
    expect(first.next.stalled).toEqual(['sales-outbound']);
    expect(evaluateAlerts(first.next, { now, newDeadLetters: [], flows, events }, rules).alerts).toEqual([]);
    const recovered = evaluateAlerts(first.next, { now, newDeadLetters: [], flows: [flowStatus()], events }, rules);
    expect(recovered.next.stalled).toEqual([]);
  });

  it('reports repeated authentication failures (dead letters and poll errors) at the threshold', () => {
    const authPoll = flowStatus({ name: 'purchase-inbound', lastError: '[AUTH_FAILED] JST token expired', lastErrorAt: '2026-11-28T05:00:40.000Z' });
    const one = evaluateAlerts(start, { now, newDeadLetters: [], flows: [authPoll], events }, rules);
    expect(one.alerts).toEqual([]);
    const two = evaluateAlerts(start, { now, newDeadLetters: [letter('5', 'AUTH_FAILED', '2026-11-28T05:00:50.000Z')], flows: [authPoll], events }, rules);
    expect(two.alerts.map((a) => a.type)).toEqual(['dead-letters', 'auth-failures']);
    expect(two.alerts[1].facts).toEqual({ count: 2, flows: ['sales-outbound', 'purchase-inbound'] });
    // The same poll error is not counted twice.
    expect(evaluateAlerts(two.next, { now, newDeadLetters: [], flows: [authPoll], events }, { ...rules, authFailures: 1 }).alerts).toEqual([]);
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


describe('evaluateAlerts: reversals (a synced document cancelled in JST)', () => {
  const reversal = (docId: string, at: string, flow = 'sales-outbound'): AlertEvent => ({
    type: 'reversal', flow, docId, at, message: `${flow} document ${docId} → SAL_OUTSTOCK JSTSO${docId}: cancelled in JST (status Cancelled) after it was written`,
  });
  const observe = (state: AlertState, evs: AlertEvent[]) => evaluateAlerts(state, { now, newDeadLetters: [], flows: [flowStatus()], events: evs }, rules);

  it.each([
    { what: 'no event', evs: [], alerts: 0, count: 0, watermark: MARK },
    { what: 'one reversal after the watermark', evs: [reversal('1', '2026-11-28T05:00:10.000Z')], alerts: 1, count: 1, watermark: '2026-11-28T05:00:10.000Z' },
    { what: 'a reversal at the watermark (already reported)', evs: [reversal('0', MARK)], alerts: 0, count: 0, watermark: MARK },
    {
      what: 'two flows, newest first as the list keeps them',
      evs: [reversal('3', '2026-11-28T05:00:30.000Z', 'purchase-inbound'), reversal('2', '2026-11-28T05:00:20.000Z'), reversal('1', '2026-11-28T05:00:10.000Z')],
      alerts: 1, count: 3, watermark: '2026-11-28T05:00:30.000Z',
    },
    {
      what: 'other event types are not reversals',
      evs: [{ type: 'dead-letter', flow: 'sales-outbound', at: '2026-11-28T05:00:10.000Z', message: 'x' } as AlertEvent],
      alerts: 0, count: 0, watermark: MARK,
    },
  ])('$what → $alerts alert(s)', ({ evs, alerts, count, watermark }) => {
    const r = observe(start, evs);
    expect(r.alerts.filter((a) => a.type === 'reversals')).toHaveLength(alerts);
    expect(r.alerts).toHaveLength(alerts);
    if (alerts) expect(r.alerts[0].facts.count).toBe(count);
    expect(r.next.reversalWatermark).toBe(watermark);
  });

  it('names the flows and quotes the documents, then reports nothing twice', () => {
    const evs = [reversal('3', '2026-11-28T05:00:30.000Z', 'purchase-inbound'), reversal('2', '2026-11-28T05:00:20.000Z'), reversal('1', '2026-11-28T05:00:10.000Z')];
    const first = observe(start, evs);
    const alert = first.alerts[0];
    expect(alert.title).toBe('3 synced documents cancelled in JST');
    expect(alert.lines).toEqual(expect.arrayContaining(['sales-outbound: 2', 'purchase-inbound: 1']));
    expect(alert.lines.join('\n')).toContain('JSTSO1: cancelled in JST');
    expect(alert.facts.docs).toEqual([
      { flow: 'sales-outbound', docId: '1' }, { flow: 'sales-outbound', docId: '2' }, { flow: 'purchase-inbound', docId: '3' },
    ]);
    expect(observe(first.next, evs).alerts).toEqual([]);
    const later = observe(first.next, [reversal('4', '2026-11-28T05:00:40.000Z'), ...evs]);
    expect(later.alerts.map((a) => a.facts.count)).toEqual([1]);
  });
});
