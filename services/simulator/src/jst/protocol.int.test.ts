import { startJstSimulator, type JstSimulator } from './index';
import { businessForm, postForm } from './jst-calls.test-support';
import { jstSign } from './sign';

// Reference §2.3 test vector app, token and timestamp.
const vector = {
  appKey: '5b53060f23d84ddf9703056e84fa5a2d',
  appSecret: 'e9c5ca33fecb404b8e6cdbd0ef4a6d25',
  accessToken: 'd7b01bf0842a4742a9450e21ffd95f60',
  timestamp: 1639128407,
};
const PATH = '/open/orders/out/simple/query';

describe('JST protocol over HTTP', () => {
  let clock = vector.timestamp * 1000;
  let sim: JstSimulator;
  const call = (biz: object | string, params: Record<string, string> = {}, timestamp: number | string = Math.floor(clock / 1000), path = PATH) =>
    postForm(sim.url + path, businessForm(biz, { ...vector, timestamp, params }));
  const window = { modified_begin: '2021-12-10 00:00:00', modified_end: '2021-12-10 23:59:59' };

  beforeEach(async () => {
    clock = vector.timestamp * 1000;
    sim = await startJstSimulator({
      now: () => clock,
      apps: [{ appKey: vector.appKey, appSecret: vector.appSecret }, { appKey: 'isv-app', appSecret: 'isv-secret', isv: true }],
      accessTokens: [{ appKey: vector.appKey, accessToken: vector.accessToken, refreshToken: 'vector-refresh' }],
      tokenExpirySeconds: 3600,
    });
  });
  afterEach(() => sim.close());

  it('verifies the reference business vector exactly as signed (then rejects its page_size 100 as a parameter)', async () => {
    const form = {
      app_key: vector.appKey,
      access_token: vector.accessToken,
      timestamp: '1639128407',
      version: '2',
      charset: 'utf-8',
      biz: '{"page_index":"1","page_size":"100","nicks":["老板"]}',
      sign: '395f5a78b446be465ac03a02491296c7',
    };
    const ok = await postForm(sim.url + PATH, form);
    expect(ok.status).toBe(200);
    expect(ok.body).toEqual({ code: 140, msg: expect.stringContaining('page_size'), data: null });

    const tampered = await postForm(sim.url + PATH, { ...form, biz: '{"page_index":"1","page_size":"100","nicks":["老板娘"]}' });
    expect(tampered.status).toBe(200);
    expect(tampered.body).toEqual({ code: 10, msg: expect.any(String), data: null });
  });

  it('answers a well-signed query with code 0 and rejects a wrong secret, a missing sign and an unknown app with 10', async () => {
    expect((await call(window)).body).toMatchObject({ code: 0, msg: '执行成功' });
    const wrongSecret = businessForm(window, { ...vector, appSecret: 'not-the-secret', timestamp: vector.timestamp });
    expect((await postForm(sim.url + PATH, wrongSecret)).body?.code).toBe(10);
    const { sign: _sign, ...unsigned } = businessForm(window, { ...vector, timestamp: vector.timestamp });
    expect((await postForm(sim.url + PATH, unsigned)).body?.code).toBe(10);
    const unknownApp = businessForm(window, { ...vector, appKey: 'nobody', timestamp: vector.timestamp });
    expect((await postForm(sim.url + PATH, unknownApp)).body?.code).toBe(10);
  });

  it('rejects a timestamp outside the ±600 s window with 180', async () => {
    expect((await call(window, {}, vector.timestamp - 599)).body?.code).toBe(0);
    expect((await call(window, {}, vector.timestamp + 599)).body?.code).toBe(0);
    expect((await call(window, {}, vector.timestamp - 601)).body).toMatchObject({ code: 180, data: null });
    expect((await call(window, {}, vector.timestamp + 601)).body?.code).toBe(180);
    expect((await call(window, {}, '2021-12-10 17:26:47')).body?.code).toBe(180);
  });

  it('rejects unknown, expired and admin-expired tokens with 100', async () => {
    expect((await call(window, { access_token: 'no-such-token' })).body).toMatchObject({ code: 100, data: null });
    clock += 3600 * 1000 + 1;
    expect((await call(window)).body?.code).toBe(100);
    clock = vector.timestamp * 1000;
    sim.tokens.expire(vector.accessToken);
    expect((await call(window)).body?.code).toBe(100);
  });

  it('requires version 2, charset utf-8 and biz (140), a JSON-object biz (130) and a granted path (190)', async () => {
    const v1 = await call(window, { version: '1' });
    expect(v1.body).toMatchObject({ code: 140, msg: expect.stringContaining('version') });
    expect((await call(window, { charset: 'gbk' })).body?.code).toBe(140);
    expect((await call(window, { biz: '' })).body).toMatchObject({ code: 140, msg: expect.stringContaining('biz') });
    expect((await call('{not json')).body?.code).toBe(130);
    expect((await call('[1,2]')).body?.code).toBe(130);
    expect((await call(window, {}, undefined, '/open/shops/query')).body).toMatchObject({ code: 190, data: null });
  });

  it('accepts only form bodies', async () => {
    const res = await fetch(sim.url + PATH, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(businessForm(window, { ...vector, timestamp: vector.timestamp })),
    });
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ code: 140, msg: expect.stringContaining('x-www-form-urlencoded') });
  });

  it('mints a token with the getInitToken vector and refreshes it once', async () => {
    const init = await postForm(sim.url + '/openWeb/auth/getInitToken', {
      app_key: vector.appKey,
      timestamp: '1639128407',
      grant_type: 'authorization_code',
      charset: 'utf-8',
      code: '123456',
      sign: '05e3a51e19e0883afd1882ccd309e0b9',
    });
    expect(init.body).toMatchObject({ code: 0, data: { access_token: expect.any(String), refresh_token: expect.any(String), expires_in: 3600, scope: 'all' } });
    const minted = init.body!.data as { access_token: string; refresh_token: string };
    expect((await call(window, { access_token: minted.access_token })).body?.code).toBe(0);

    const refreshParams = (refreshToken: string, appKey = vector.appKey, secret = vector.appSecret) => {
      const p: Record<string, string> = { app_key: appKey, timestamp: String(vector.timestamp), grant_type: 'refresh_token', charset: 'utf-8', refresh_token: refreshToken, scope: 'all' };
      p.sign = jstSign(secret, p);
      return p;
    };
    const refreshed = await postForm(sim.url + '/openWeb/auth/refreshToken', refreshParams(minted.refresh_token));
    expect(refreshed.body).toMatchObject({ code: 0, data: { access_token: expect.any(String), expires_in: 3600 } });
    expect(refreshed.body!.data.access_token).not.toBe(minted.access_token);
    expect((await call(window, { access_token: refreshed.body!.data.access_token })).body?.code).toBe(0);

    const again = await postForm(sim.url + '/openWeb/auth/refreshToken', refreshParams(minted.refresh_token));
    expect(again.body?.code).toBe(100);
    const isv = await postForm(sim.url + '/openWeb/auth/refreshToken', refreshParams('anything', 'isv-app', 'isv-secret'));
    expect(isv.body?.code).toBe(150);
    expect(sim.stats().calls['/openWeb/auth/refreshToken']).toBe(3);
  });
});
