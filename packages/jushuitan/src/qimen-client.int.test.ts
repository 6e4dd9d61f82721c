import { createHash, createHmac } from 'node:crypto';
import { PermanentError, RateLimitedError, TransientError } from '@sync/errors';
import { createUnlimitedCallLimiter } from './call-limiter';
import { createQimenClient, qimenBusinessParams } from './qimen-client';
import { scanByTsWith } from './scan-by-ts';
import { startFakeJst, type FakeJst, type FakeHandler } from './fake-jst-server.test-support';

const secret = 'qimen-secret-123';
const method = 'jushuitan.saleout.list.query';
// 2024-05-01 04:00:00 UTC = 12:00:00 Beijing.
const now = () => Date.UTC(2024, 4, 1, 4, 0, 0);

/** Independent TOP signature over the decoded form (jst-qimen.md §3.1). */
function topSign(form: Record<string, string>, method: string): string {
  const text = Object.keys(form).filter((k) => k !== 'sign' && form[k] !== '').sort().map((k) => k + form[k]).join('');
  if (method === 'md5') return createHash('md5').update(secret + text + secret, 'utf8').digest('hex').toUpperCase();
  return createHmac(method === 'hmac' ? 'md5' : 'sha256', secret).update(text, 'utf8').digest('hex').toUpperCase();
}

describe('createQimenClient', () => {
  let fake: FakeJst | undefined;
  afterEach(async () => {
    await fake?.close();
    fake = undefined;
  });
  const start = async (handler: FakeHandler) => {
    fake = await startFakeJst(handler);
    return fake;
  };
  const client = (f: FakeJst, extra: Partial<Parameters<typeof createQimenClient>[0]> = {}) =>
    createQimenClient({ url: `${f.url}/router/qm`, appKey: 'my-top-app', appSecret: secret, customerId: '10969016', now, limiter: createUnlimitedCallLimiter(), ...extra });

  it('posts a signed form to the router with the system parameters and flat business fields', async () => {
    const f = await start(() => ({ body: { response: { flag: 'success', page_index: 1, page_size: 50, has_next: false, datas: [{ io_id: 1 }] } } }));
    const page = await client(f).queryPage(method, { page_index: 1, page_size: 50, modified_begin: '2024-04-30 00:00:00', modified_end: '2024-05-01 00:00:00', date_type: 0, io_ids: [1, 2], is_get_total: false, shop_id: undefined });
    expect(page.datas).toEqual([{ io_id: 1 }]);
    const req = f.requests[0]!;
    expect(req.method).toBe('POST');
    expect(req.path).toBe('/router/qm');
    expect(req.headers['content-type']).toMatch(/application\/x-www-form-urlencoded/);
    const { sign, ...rest } = req.form;
    expect(rest).toEqual({
      method, app_key: 'my-top-app', target_app_key: '23060081', customer_id: '10969016', timestamp: '2024-05-01 12:00:00',
      format: 'json', v: '2.0', sign_method: 'md5',
      page_index: '1', page_size: '50', start_time: '2024-04-30 00:00:00', end_time: '2024-05-01 00:00:00', date_type: '0', io_ids: '1,2', is_get_total: 'false',
    });
    expect(sign).toBe(topSign(req.form, 'md5'));
    expect(req.rawBody).not.toContain(secret);
  });

  it.each(['hmac', 'hmac-sha256'] as const)('signs with %s when configured, and says so in sign_method', async (m) => {
    const f = await start(() => ({ body: { response: { datas: [] } } }));
    await client(f, { signMethod: m }).queryPage(method, { page_index: 1, page_size: 50 });
    expect(f.requests[0]!.form.sign_method).toBe(m);
    expect(f.requests[0]!.form.sign).toBe(topSign(f.requests[0]!.form, m));
  });

  it('scans by start_ts through Qimen with page_index fixed at 1', async () => {
    const f = await start((req) => {
      const from = Number(req.form.start_ts);
      const rows = [{ io_id: 1, ts: 10 }, { io_id: 2, ts: 20 }].filter((r) => r.ts >= from);
      return { body: { response: { flag: 'success', has_next: false, datas: rows } } };
    });
    const pages = [];
    for await (const p of scanByTsWith(client(f).queryPage, method, '5')) pages.push(p);
    expect(pages).toEqual([{ rows: [{ io_id: 1, ts: 10 }, { io_id: 2, ts: 20 }], maxTs: '20' }]);
    expect(f.requests.map((r) => [r.form.start_ts, r.form.page_index])).toEqual([['5', '1'], ['20', '1']]);
  });

  it('throws AUTH_FAILED on the gateway signature refusal and reports it for alerting', async () => {
    const f = await start(() => ({ body: { response: { flag: 'failure', code: 25, message: 'Invalid signature', request_id: 'r1' } } }));
    const seen: PermanentError[] = [];
    await expect(client(f, { onAuthFailure: (e) => seen.push(e) }).queryPage(method, { page_index: 1 })).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(seen).toHaveLength(1);
  });

  it('throws RateLimitedError on code 7 and TransientError on HTTP 500 or a dropped connection', async () => {
    const answers = [
      { body: { error_response: { code: 7, msg: 'App Call Limited' } } },
      { status: 500, body: 'oops', contentType: 'text/plain' },
    ];
    const f = await start((_r, i) => answers[i]!);
    const c = client(f);
    await expect(c.queryPage(method, { page_index: 1 })).rejects.toBeInstanceOf(RateLimitedError);
    await expect(c.queryPage(method, { page_index: 1 })).rejects.toBeInstanceOf(TransientError);
    const down = createQimenClient({ url: 'http://127.0.0.1:1/router/qm', appKey: 'k', appSecret: secret, customerId: '1', limiter: createUnlimitedCallLimiter() });
    await expect(down.queryPage(method, { page_index: 1 })).rejects.toMatchObject({ code: 'NETWORK' });
  });

  it('logs the first answer of each method once, raw with buyer data and secrets redacted', async () => {
    const f = await start(() => ({ body: { response: { flag: 'success', datas: [{ io_id: 1, receiver_name: '张三', receiver_mobile: '13800000000', remark: `x${secret}x` }] } } }));
    const debug: { obj: Record<string, unknown>; msg?: string }[] = [];
    const logger = { debug: (obj: Record<string, unknown>, msg?: string) => debug.push({ obj, msg }), info: () => undefined, warn: () => undefined };
    const c = client(f, { logger });
    await c.queryPage(method, { page_index: 1 });
    await c.queryPage(method, { page_index: 2 });
    const first = debug.filter((d) => /first answer/.test(d.msg ?? ''));
    expect(first).toHaveLength(1);
    const body = String(first[0]!.obj.body);
    expect(body).toContain('"io_id":1');
    expect(body).toContain('"response"');
    expect(body).not.toContain('张三');
    expect(body).not.toContain('13800000000');
    expect(JSON.stringify(debug)).not.toContain(secret);
  });
});

describe('qimenBusinessParams', () => {
  it('flattens values and refuses objects naming the key', () => {
    expect(qimenBusinessParams(method, { a: 1, b: true, c: 'x', d: [1, '2'], e: null, f: 10n ** 20n })).toEqual({ a: '1', b: 'true', c: 'x', d: '1,2', f: '100000000000000000000' });
    expect(() => qimenBusinessParams(method, { filter: { x: 1 } })).toThrow(/filter/);
  });
});
