import type { JstEndpoint } from './endpoint';
import { startJstSimulator, type JstSimulator } from './index';
import { businessForm, postForm } from './jst-calls.test-support';

const app = { appKey: 'rl-app', appSecret: 'rl-secret' };
const ORDERS = '/open/orders/out/simple/query';
const ECHO = '/open/test/echo';
const echo: JstEndpoint = { path: ECHO, handle: (biz) => ({ echo: biz }) };

describe('rate limits per access_token and per path', () => {
  let clock = Date.UTC(2024, 4, 20, 8, 0, 0, 100);
  let sim: JstSimulator;
  const call = async (path: string, token = 'token-a') => {
    const form = businessForm({ io_ids: ['1'] }, { ...app, accessToken: token, timestamp: Math.floor(clock / 1000) });
    return (await postForm(sim.url + path, form)).body!.code;
  };

  beforeEach(async () => {
    clock = Date.UTC(2024, 4, 20, 8, 0, 0, 100);
    sim = await startJstSimulator({
      now: () => clock,
      apps: [app],
      accessTokens: [
        { appKey: app.appKey, accessToken: 'token-a' },
        { appKey: app.appKey, accessToken: 'token-b' },
      ],
      endpoints: [echo],
      rateLimit: { perSecond: 3, perMinute: 0 },
    });
  });
  afterEach(() => sim.close());

  it('answers 199 after perSecond calls within one second, independently per token and path', async () => {
    for (let i = 0; i < 3; i++) expect(await call(ORDERS)).toBe(0);
    expect(await call(ORDERS)).toBe(199);
    expect(await call(ORDERS, 'token-b')).toBe(0);
    expect(await call(ECHO)).toBe(0);
    clock += 1000;
    expect(await call(ORDERS)).toBe(0);
    const stats = sim.stats();
    expect(stats.rateLimited.perSecond).toBe(1);
    expect(stats.rateLimited.byPath[ORDERS]).toEqual({ perSecond: 1, perMinute: 0 });
    expect(stats.codes[ORDERS]).toEqual({ '0': 5, '199': 1 });
  });

  it('answers 200 after perMinute calls within one minute; settings change at run time', async () => {
    sim.settings.rateLimit.perSecond = 0;
    sim.settings.rateLimit.perMinute = 5;
    for (let i = 0; i < 5; i++) expect(await call(ORDERS)).toBe(0);
    expect(await call(ORDERS)).toBe(200);
    expect(await call(ORDERS)).toBe(200);
    expect(await call(ECHO)).toBe(0);
    clock += 60_000;
    expect(await call(ORDERS)).toBe(0);
    expect(sim.stats().rateLimited.perMinute).toBe(2);
  });

  it('switches off with 0', async () => {
    sim.settings.rateLimit.perSecond = 0;
    for (let i = 0; i < 8; i++) expect(await call(ORDERS)).toBe(0);
  });
});
