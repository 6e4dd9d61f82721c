import { PermanentError, RateLimitedError, TransientError } from '@sync/errors';
import { silentLogger } from '@sync/logger';
import { createJstClient, type JstClientOptions, type JstTokens } from './client';
import { createUnlimitedCallLimiter, type JstCallLimiter } from './call-limiter';
import type { JstLogger } from './jst-logger';
import { expectedSign, fail, ok, startFakeJst, token, type FakeHandler, type FakeJst } from './fake-jst-server.test-support';

const appKey = 'test-app-key';
const appSecret = 'test-app-secret-XYZ';
const outPath = '/open/orders/out/simple/query';
const fixedNow = () => 1639128407123;

let servers: FakeJst[] = [];
afterEach(async () => {
  await Promise.all(servers.map((s) => s.close()));
  servers = [];
});

async function setup(handler: FakeHandler, extra: Partial<JstClientOptions> = {}) {
  const server = await startFakeJst(handler);
  servers.push(server);
  const client = createJstClient({
    baseUrl: `${server.url}/`,
    appKey,
    appSecret,
    now: fixedNow,
    limiter: createUnlimitedCallLimiter(),
    timeoutMs: 5000,
    ...extra,
  });
  return { server, client };
}

describe('createJstClient: request shape', () => {
  it('sends a signed form POST with the system parameters and biz as JSON', async () => {
    const { server, client } = await setup(() => ok({ echoed: true }), { accessToken: 'tok-1' });
    const biz = { page_index: 1, nicks: ['老板 A&B=+'], modified_begin: '2024-05-20 00:00:00' };
    await expect(client.call(outPath, biz)).resolves.toEqual({ echoed: true });

    expect(server.requests).toHaveLength(1);
    const r = server.requests[0];
    expect(r.method).toBe('POST');
    expect(r.path).toBe(outPath);
    expect(r.query).toBe('');
    expect(r.headers['content-type']).toBe('application/x-www-form-urlencoded;charset=UTF-8');
    expect(Object.keys(r.form).sort()).toEqual(['access_token', 'app_key', 'biz', 'charset', 'sign', 'timestamp', 'version']);
    expect(r.form).toMatchObject({ app_key: appKey, access_token: 'tok-1', timestamp: '1639128407', version: '2', charset: 'utf-8' });
    expect(r.biz).toEqual(biz);
    expect(r.rawBody).not.toContain('老');
    expect(r.rawBody).toContain(encodeURIComponent('老板'));
    expect(r.form.sign).toMatch(/^[0-9a-f]{32}$/);
    expect(r.form.sign).toBe(expectedSign(r.form, appSecret));
    expect(JSON.stringify(r.headers) + r.rawBody).not.toContain(appSecret);
  });

  it('queryPage validates leniently: numeric strings and null datas', async () => {
    const { client } = await setup(() => ok({ page_size: '50', page_index: '1', has_next: 'false', data_count: '0', datas: null }), { accessToken: 't' });
    await expect(client.queryPage(outPath, { page_index: 1 })).resolves.toEqual({ pageIndex: 1, pageSize: 50, hasNext: false, dataCount: 0, datas: [] });
  });

  it('paces every call, token calls included, through the limiter', async () => {
    const acquired: string[] = [];
    const limiter: JstCallLimiter = { acquire: async (p) => void acquired.push(p) };
    const { client } = await setup((r) => (r.path.startsWith('/openWeb') ? token('t1') : ok({})), { limiter });
    await client.call(outPath, {});
    expect(acquired).toEqual(['/openWeb/auth/getInitToken', outPath]);
  });
});

describe('createJstClient: tokens', () => {
  it('obtains a token with getInitToken when it has none', async () => {
    const seen: JstTokens[] = [];
    const { server, client } = await setup((r) => (r.path === '/openWeb/auth/getInitToken' ? token('init-1') : ok({ ok: 1 })), {
      onTokens: (t) => seen.push(t),
      initCode: () => 'Ab3dE6',
    });
    await expect(client.call(outPath, {})).resolves.toEqual({ ok: 1 });
    const [t, call] = server.requests;
    expect(t.path).toBe('/openWeb/auth/getInitToken');
    expect(Object.keys(t.form).sort()).toEqual(['app_key', 'charset', 'code', 'grant_type', 'sign', 'timestamp']);
    expect(t.form).toMatchObject({ grant_type: 'authorization_code', code: 'Ab3dE6', charset: 'utf-8', timestamp: '1639128407' });
    expect(t.form.sign).toBe(expectedSign(t.form, appSecret));
    expect(call.form.access_token).toBe('init-1');
    expect(seen).toEqual([{ accessToken: 'init-1', refreshToken: 'refresh-init-1', expiresAt: fixedNow() + 2592000 * 1000 }]);
  });

  it('uses a random 6-character code by default', async () => {
    const { server, client } = await setup((r) => (r.path.startsWith('/openWeb') ? token('x') : ok({})));
    await client.call(outPath, {});
    expect(server.requests[0].form.code).toMatch(/^[A-Za-z0-9]{6}$/);
  });

  it('on code 100 refreshes the token once and retries with the new one', async () => {
    const { server, client } = await setup(
      (r) => {
        if (r.path === '/openWeb/auth/refreshToken') return token('fresh', 'refresh-2');
        return r.form.access_token === 'fresh' ? ok({ done: true }) : fail(100, '验证失败！无效的access_token或access_token已过期');
      },
      { accessToken: 'stale', refreshToken: 'refresh-1' },
    );
    await expect(client.call(outPath, { a: 1 })).resolves.toEqual({ done: true });
    expect(server.requests.map((r) => r.path)).toEqual([outPath, '/openWeb/auth/refreshToken', outPath]);
    const refresh = server.requests[1].form;
    expect(Object.keys(refresh).sort()).toEqual(['app_key', 'charset', 'grant_type', 'refresh_token', 'scope', 'sign', 'timestamp']);
    expect(refresh).toMatchObject({ grant_type: 'refresh_token', refresh_token: 'refresh-1', scope: 'all' });
    expect(refresh.sign).toBe(expectedSign(refresh, appSecret));
    expect(server.requests[2].biz).toEqual({ a: 1 });

    // the next refresh uses the refresh token JST handed back
    await client.authorize();
    expect(server.requests[3].form.refresh_token).toBe('refresh-2');
  });

  it('falls back to getInitToken when the refresh is refused', async () => {
    const { server, client } = await setup(
      (r) => {
        if (r.path === '/openWeb/auth/refreshToken') return fail(100, 'refresh_token无效');
        if (r.path === '/openWeb/auth/getInitToken') return token('init-2');
        return r.form.access_token === 'init-2' ? ok({ ok: 2 }) : fail(100, 'access_token已过期');
      },
      { accessToken: 'stale', refreshToken: 'bad-refresh' },
    );
    await expect(client.call(outPath, {})).resolves.toEqual({ ok: 2 });
    expect(server.requests.map((r) => r.path)).toEqual([outPath, '/openWeb/auth/refreshToken', '/openWeb/auth/getInitToken', outPath]);
  });

  it('a second 100 is AUTH_FAILED, reported once to onAuthFailure', async () => {
    const failures: PermanentError[] = [];
    const { server, client } = await setup((r) => (r.path.startsWith('/openWeb') ? token('new-but-refused') : fail(100, 'access_token超时')), {
      accessToken: 'stale',
      onAuthFailure: (e) => failures.push(e),
    });
    const err = await client.call(outPath, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect(err).toMatchObject({ code: 'AUTH_FAILED' });
    expect(server.requests.map((r) => r.path)).toEqual([outPath, '/openWeb/auth/getInitToken', outPath]);
    expect(failures).toEqual([err]);
  });

  it('a freshly obtained token refused with 100 is not renewed again', async () => {
    const { server, client } = await setup((r) => (r.path.startsWith('/openWeb') ? token('t') : fail(100, 'access_token无效')));
    await expect(client.call(outPath, {})).rejects.toMatchObject({ code: 'AUTH_FAILED' });
    expect(server.requests).toHaveLength(2);
  });

  it('renews a token before JST says it expires, and not before', async () => {
    let clock = fixedNow();
    let issued = 0;
    const { server, client } = await setup(
      (r) => (r.path.startsWith('/openWeb') ? ok({ access_token: `t${++issued}`, refresh_token: 'r', expires_in: 3600 }) : ok({ with: r.form.access_token })),
      { now: () => clock },
    );
    await expect(client.call(outPath, {})).resolves.toEqual({ with: 't1' });
    clock += 49 * 60_000; // 11 minutes left
    await expect(client.call(outPath, {})).resolves.toEqual({ with: 't1' });
    clock += 2 * 60_000; // 9 minutes left: inside the 10-minute margin
    await expect(client.call(outPath, {})).resolves.toEqual({ with: 't2' });
    expect(server.requests.map((r) => r.path)).toEqual(['/openWeb/auth/getInitToken', outPath, outPath, '/openWeb/auth/refreshToken', outPath]);
  });

  it('concurrent calls refused with 100 share one token request', async () => {
    const { server, client } = await setup(
      async (r) => {
        if (r.path.startsWith('/openWeb')) return token('shared');
        return r.form.access_token === 'shared' ? ok({ n: r.biz?.n }) : fail(100, 'access_token已过期');
      },
      { accessToken: 'stale' },
    );
    const results = await Promise.all([1, 2, 3, 4].map((n) => client.call(outPath, { n })));
    expect(results).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }, { n: 4 }]);
    expect(server.requests.filter((r) => r.path.startsWith('/openWeb'))).toHaveLength(1);
  });

  it('a bad signature (10) is AUTH_FAILED at once, without re-authorising', async () => {
    const failures: PermanentError[] = [];
    const { server, client } = await setup(() => fail(10, '验证失败!无效签名'), { accessToken: 't', onAuthFailure: (e) => failures.push(e) });
    await expect(client.call(outPath, {})).rejects.toMatchObject({ code: 'AUTH_FAILED', message: expect.stringMatching(/JST_APP_SECRET/) });
    expect(server.requests).toHaveLength(1);
    expect(failures).toHaveLength(1);
  });
});

describe('createJstClient: failures', () => {
  it.each([
    ['an HTML error page', { status: 200, body: '<!DOCTYPE html><html><body>维护中</body></html>', contentType: 'text/html' }, TransientError, 'INVALID_RESPONSE'],
    ['invalid JSON', { status: 200, body: '{"code":0,"data":{"page', contentType: 'application/json' }, PermanentError, 'INVALID_RESPONSE'],
    ['JSON without code', { status: 200, body: { msg: 'ok', data: { datas: [] } } }, PermanentError, 'INVALID_RESPONSE'],
    ['HTTP 502', { status: 502, body: 'bad gateway', contentType: 'text/plain' }, TransientError, 'HTTP_5XX'],
    ['HTTP 429', { status: 429, body: '', headers: { 'retry-after': '2' } }, RateLimitedError, 'JST_HTTP_429'],
    ['code 199', fail(199, '调用太频繁，请稍后再试!'), RateLimitedError, 'JST_RATE_LIMIT_SECOND'],
    ['code 200', fail(200, '调用频次超过限制!'), RateLimitedError, 'JST_RATE_LIMIT_MINUTE'],
    ['code 180', fail(180, '执行失败!'), TransientError, 'CLOCK_SKEW'],
    ['code 170', fail(170, '店铺编号[42]不存在!'), PermanentError, 'JST_REJECTED'],
  ])('%s', async (_name, answer, cls, code) => {
    const { client } = await setup(() => answer, { accessToken: 't' });
    const err = await client.queryPage(outPath, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(cls);
    expect(err).toMatchObject({ code });
  });

  it('a success envelope whose data is not a page is INVALID_RESPONSE, never an empty page', async () => {
    const { client } = await setup(() => ok(null), { accessToken: 't' });
    await expect(client.queryPage(outPath, {})).rejects.toMatchObject({ kind: 'permanent', code: 'INVALID_RESPONSE' });
  });

  it('connection refused is a TransientError', async () => {
    const { server, client } = await setup(() => ok({}), { accessToken: 't' });
    await server.close();
    servers = servers.filter((s) => s !== server);
    await expect(client.call(outPath, {})).rejects.toMatchObject({ kind: 'transient', code: 'NETWORK' });
  });

  it('a timeout is a TransientError', async () => {
    const { client } = await setup(() => ({ hang: true, body: '' }), { accessToken: 't', timeoutMs: 150 });
    const err = await client.call(outPath, {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect(err).toMatchObject({ code: 'TIMEOUT' });
  });
});

describe('createJstClient: logging', () => {
  it('logs path, code and duration but never a secret', async () => {
    const entries: { level: string; obj: Record<string, unknown>; msg?: string }[] = [];
    const logger: JstLogger = {
      debug: (obj, msg) => entries.push({ level: 'debug', obj, msg }),
      info: (obj, msg) => entries.push({ level: 'info', obj, msg }),
      warn: (obj, msg) => entries.push({ level: 'warn', obj, msg }),
    };
    let calls = 0;
    const { server, client } = await setup(
      (r) => {
        if (r.path === '/openWeb/auth/refreshToken') return token('secret-access-2', 'secret-refresh-2');
        calls++;
        return calls === 1 ? fail(100, 'expired') : calls === 2 ? ok({}) : fail(140, '参数不符合规范 status');
      },
      { accessToken: 'secret-access-1', refreshToken: 'secret-refresh-1', logger },
    );
    await client.call(outPath, {});
    await client.call(outPath, {}).catch(() => undefined);
    const text = JSON.stringify(entries);
    const signs = server.requests.map((r) => r.form.sign);
    for (const secret of [appSecret, 'secret-access-1', 'secret-access-2', 'secret-refresh-1', 'secret-refresh-2', ...signs]) {
      expect(text).not.toContain(secret);
    }
    expect(entries.some((e) => e.obj.path === outPath && e.obj.code === 0 && typeof e.obj.durationMs === 'number')).toBe(true);
    expect(entries.some((e) => e.level === 'warn' && e.obj.code === 140)).toBe(true);
  });

  it('accepts a pino logger', async () => {
    const { client } = await setup(() => ok({}), { accessToken: 't', logger: silentLogger() });
    await expect(client.call(outPath, {})).resolves.toEqual({});
  });
});
