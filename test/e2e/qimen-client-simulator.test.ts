/**
 * The Qimen client against the JST simulator's Qimen router over HTTP: written from the same reference by two
 * sides that share no code, they must agree on signing (every sign method), form fields, every success shape
 * the simulator can answer in, paging, and the failures the client must classify.
 */
import { PermanentError, RateLimitedError } from '@sync/errors';
import { createQimenClient, createUnlimitedCallLimiter, formatBeijingTime, noopJstLogger, probeQimen, QIMEN_SIGN_METHODS, scanByTsWith, scanWindowWith, type QimenClientOptions } from '@sync/jushuitan';
import { demoCredentials, QIMEN_ENVELOPES, startJstSimulator, type JstSimulator } from '@sync/simulator';

const METHOD = 'jushuitan.saleout.list.query';
const TMALL = 16882300;

describe('Qimen client ↔ JST simulator', () => {
  let sim: JstSimulator;
  const client = (o: Partial<QimenClientOptions> = {}) =>
    createQimenClient({
      url: `${sim.url}/router/qm`, appKey: demoCredentials.qimen.appKey, appSecret: demoCredentials.qimen.appSecret,
      customerId: demoCredentials.qimen.customerId, limiter: createUnlimitedCallLimiter(), ...o,
    });
  const window = () => ({ begin: formatBeijingTime(Date.now() - 3600_000), end: formatBeijingTime(Date.now() + 60_000) });
  const scanIds = async (c: ReturnType<typeof client>) => {
    const ids: number[] = [];
    for await (const rows of scanWindowWith(c.queryPage, noopJstLogger, METHOD, window(), { pageSize: 7, key: (r) => String((r as { io_id: number }).io_id) })) ids.push(...rows.map((r) => (r as { io_id: number }).io_id));
    return ids.sort((a, b) => a - b);
  };

  beforeAll(async () => {
    sim = await startJstSimulator({});
    sim.settings.qimen.shopChannels = { [TMALL]: 'qimen' };
    sim.settings.qimen.perSecond = 0;
    const now = formatBeijingTime(Date.now() - 60_000);
    sim.insert('orders-out', Array.from({ length: 23 }, (_, i) => ({
      io_id: 5_000_000 + i, shop_id: i % 2 === 0 ? TMALL : 16882301, status: 'Confirmed', modified: now, io_date: now, wms_co_id: 10969016, items: [], batchs: [], sns: [],
    })));
  });
  afterAll(() => sim.close());

  const tmallIds = () => Array.from({ length: 23 }, (_, i) => 5_000_000 + i).filter((_, i) => i % 2 === 0);

  it.each(QIMEN_SIGN_METHODS)('signs with %s as the gateway checks it', async (signMethod) => {
    expect(await scanIds(client({ signMethod }))).toEqual(tmallIds());
  });

  it.each(QIMEN_ENVELOPES)('unwraps the %s success shape and pages through it', async (envelope) => {
    sim.settings.qimen.envelope = envelope;
    try {
      expect(await scanIds(client())).toEqual(tmallIds());
    } finally {
      sim.settings.qimen.envelope = 'response';
    }
  });

  it('scans by start_ts when rows carry ts', async () => {
    const ids: number[] = [];
    for await (const page of scanByTsWith(client().queryPage, METHOD, '0', { pageSize: 5 })) ids.push(...page.rows.map((r) => (r as { io_id: number }).io_id));
    expect(ids.sort((a, b) => a - b)).toEqual(tmallIds());
  });

  it('classifies the gateway\'s refusals: signature → AUTH_FAILED (reported), call limit → rate limited, unknown customer → rejected', async () => {
    const auth: PermanentError[] = [];
    await expect(client({ appSecret: 'wrong', onAuthFailure: (e) => auth.push(e) }).queryPage(METHOD, { page_index: 1, page_size: 5, modified_begin: window().begin, modified_end: window().end }))
      .rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(auth).toHaveLength(1);
    await expect(client({ customerId: '42' }).queryPage(METHOD, { page_index: 1, modified_begin: window().begin, modified_end: window().end }))
      .rejects.toMatchObject({ code: 'JST_REJECTED' });
    sim.settings.qimen.perSecond = 1;
    try {
      const c = client();
      const calls = [1, 2, 3].map(() => c.queryPage(METHOD, { page_index: 1, modified_begin: window().begin, modified_end: window().end }).then(() => 'ok', (e: unknown) => e));
      const outcomes = await Promise.all(calls);
      expect(outcomes.some((o) => o instanceof RateLimitedError)).toBe(true);
    } finally {
      sim.settings.qimen.perSecond = 0;
    }
    await expect(client().queryPage(METHOD, { page_index: 1, page_size: 51, modified_begin: window().begin, modified_end: window().end }))
      .rejects.toMatchObject({ code: 'JST_REJECTED', details: { field: 'page_size' } });
  });

  it('probes the route for a go-live check: ok, or the failure with what to check', async () => {
    expect(await probeQimen(client(), Date.now())).toMatchObject({ ok: true, method: METHOD });
    const badSecret = await probeQimen(client({ appSecret: 'wrong' }), Date.now());
    expect(badSecret).toMatchObject({ ok: false, code: 'AUTH_FAILED', hint: expect.stringContaining('JST_QIMEN_APP_SECRET') });
    const badCustomer = await probeQimen(client({ customerId: '42' }), Date.now());
    expect(badCustomer).toMatchObject({ ok: false, code: 'JST_REJECTED', hint: expect.stringContaining('JST_QIMEN_CUSTOMER_ID') });
    const down = await probeQimen(client({ url: 'http://127.0.0.1:1/router/qm' }), Date.now());
    expect(down).toMatchObject({ ok: false, code: 'NETWORK', hint: expect.stringContaining('JST_QIMEN_URL') });
  });
});
