import type { PreflightFacts } from '../facts';
import { checkQimen } from './check-qimen';
import { parseSyncConfig } from '@sync/flows';

const config = parseSyncConfig('flows:\n  sales-outbound: { transport: qimen }\n', 'test.yaml');
const flows = ['sales-outbound'];
const METHOD = 'jushuitan.saleout.list.query';
const AUTH_HINT = 'check JST_QIMEN_APP_KEY / JST_QIMEN_APP_SECRET / JST_QIMEN_SIGN_METHOD, and that the Qimen app is approved';

describe('checkQimen', () => {
  it.each<[string, PreflightFacts['qimen'], Array<Record<string, unknown>>]>([
    ['no flow reads through Qimen', undefined, []],
    ['an ok probe', { probes: [{ ok: true, method: METHOD, rows: 1, flows }] }, []],
    [
      'a probe refused for the signature',
      { probes: [{ ok: false, method: METHOD, code: 'AUTH_FAILED', message: 'Invalid signature', hint: AUTH_HINT, flows }] },
      [{ severity: 'error', check: 'jst.qimen', path: 'JST_QIMEN_APP_KEY', action: AUTH_HINT, message: expect.stringMatching(/jushuitan\.saleout\.list\.query \(flows sales-outbound\) failed: AUTH_FAILED: Invalid signature/) }],
    ],
    [
      'a probe failing with a hint naming no variable',
      { probes: [{ ok: false, method: METHOD, code: 'UNEXPECTED', message: 'socket hang up', hint: 'try again later', flows }] },
      [{ severity: 'error', check: 'jst.qimen', path: 'JST_QIMEN_*', action: 'try again later' }],
    ],
    [
      'a Qimen flow without credentials',
      { missing: 'JST_QIMEN_APP_SECRET, JST_QIMEN_CUSTOMER_ID not set', flows },
      [{ severity: 'error', check: 'jst.qimen', path: 'JST_QIMEN_*', message: expect.stringMatching(/sales-outbound.*JST_QIMEN_APP_SECRET, JST_QIMEN_CUSTOMER_ID not set/), action: expect.stringMatching(/set JST_QIMEN_APP_KEY, JST_QIMEN_APP_SECRET and JST_QIMEN_CUSTOMER_ID/) }],
    ],
    [
      'credentials set but no client in this process',
      { skipped: 'this process has no Qimen client', flows },
      [{ severity: 'info', check: 'doctor.skipped', path: 'JST_QIMEN_*' }],
    ],
  ])('%s', (_name, qimen, expected) => {
    const findings = checkQimen(config, { qimen });
    expect(findings).toHaveLength(expected.length);
    expected.forEach((e, i) => expect(findings[i]).toMatchObject(e));
  });

  it('reports every failed method, one finding each', () => {
    const fail = (method: string) => ({ ok: false as const, method, code: 'JST_REJECTED', message: 'customer not found', hint: 'check JST_QIMEN_CUSTOMER_ID', flows });
    const findings = checkQimen(config, { qimen: { probes: [fail('a.b'), { ok: true, method: 'c.d', rows: 0, flows }, fail('e.f')] } });
    expect(findings.map((f) => [f.path, f.message.includes('a.b') || f.message.includes('e.f')])).toEqual([['JST_QIMEN_CUSTOMER_ID', true], ['JST_QIMEN_CUSTOMER_ID', true]]);
  });
});
