import { kingdeeSignVectors } from '@sync/testing';
import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { computeApiSignature } from './signature';
import { AUTH_SERVICE, cookieValues, FORM_SERVICE, kdPost, loginWithPassword } from './kd-http.test-support';

// The §2.2 signature vector (shared with the client's tests).
const { acctId: ACCT, appId: APP_ID, appSecret: APP_SECRET } = kingdeeSignVectors;
const T0 = 1_700_000_000_000;

const sessionLost = {
  Result: {
    ResponseStatus: {
      ErrorCode: 500,
      IsSuccess: false,
      Errors: [{ FieldName: null, Message: '会话信息已丢失，请重新登录', DIndex: 0 }],
      SuccessEntitys: [],
      SuccessMessages: [],
      MsgCode: 1,
    },
  },
};
const query = { data: { FormId: 'BD_Currency', FieldKeys: 'FCODE', FilterString: "FNUMBER='PRE001'" } };

describe('Kingdee simulator: login, sessions and signed headers', () => {
  let sim: KingdeeSimulator;
  let now = T0;

  beforeAll(async () => {
    sim = await startKingdeeSimulator({ clock: () => now, sessionIdleSeconds: 60 });
  });
  afterAll(async () => {
    await sim.close();
  });
  beforeEach(() => {
    now = T0;
    sim.reset();
  });

  it('serves under a base URL ending in /k3cloud/', () => {
    expect(sim.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/k3cloud\/$/);
    expect(sim.port).toBeGreaterThan(0);
  });

  it('ValidateUser (named body) answers LoginResultType 1 and sets both session cookies', async () => {
    const res = await kdPost(sim.url, AUTH_SERVICE, 'ValidateUser', { acctID: ACCT, username: 'integration', password: 'demo-kd-password-1', lcid: 2052 });
    const body = res.json as Record<string, unknown> & { Context: Record<string, unknown> };
    expect(body.LoginResultType).toBe(1);
    expect(body.KDSVCSessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(body.Context.SessionId).toMatch(/^[a-z0-5]{24}$/);
    expect(body.Context.DBid).toBe(ACCT);
    const cookies = cookieValues(res.setCookies);
    expect(cookies['kdservice-sessionid']).toBe(body.KDSVCSessionId);
    expect(cookies['ASP.NET_SessionId']).toBe(body.Context.SessionId);
  });

  it('ValidateUser (positional, lower-case op) works; a wrong password gives LoginResultType 0 and no cookie', async () => {
    const ok = await kdPost(sim.url, AUTH_SERVICE, 'validateuser', { parameters: [ACCT, 'integration2', 'demo-kd-password-2', 2052] });
    expect((ok.json as { LoginResultType: number }).LoginResultType).toBe(1);
    const bad = await kdPost(sim.url, AUTH_SERVICE, 'ValidateUser', { parameters: [ACCT, 'integration', 'wrong', 2052] });
    expect(bad.json).toMatchObject({ LoginResultType: 0, Message: '用户名或密码错误', Context: null });
    expect(bad.setCookies).toEqual([]);
    expect(sim.stats().logins).toEqual({ succeeded: 1, failed: 1 });
  });

  it('the session works from the header, from either cookie, and not at all without one', async () => {
    const res = await kdPost(sim.url, AUTH_SERVICE, 'ValidateUser', { acctid: ACCT, username: 'integration', password: 'demo-kd-password-1', lcid: 2052 });
    const c = cookieValues(res.setCookies);
    const viaHeader = await kdPost(sim.url, FORM_SERVICE, 'ExecuteBillQuery', query, { headers: { 'kdservice-sessionid': c['kdservice-sessionid'] } });
    expect(viaHeader.json).toEqual([['CNY']]);
    const viaCookie = await kdPost(sim.url, FORM_SERVICE, 'ExecuteBillQuery', query, { headers: { cookie: `Theme=standard; kdservice-sessionid=${c['kdservice-sessionid']}` } });
    expect(viaCookie.json).toEqual([['CNY']]);
    const viaAsp = await kdPost(sim.url, FORM_SERVICE, 'ExecuteBillQuery', query, { headers: { cookie: `ASP.NET_SessionId=${c['ASP.NET_SessionId']}` } });
    expect(viaAsp.json).toEqual([['CNY']]);
    const none = await kdPost(sim.url, FORM_SERVICE, 'Save', { formid: 'SAL_OUTSTOCK', data: { Model: {} } });
    expect(none.json).toEqual(sessionLost);
  });

  it('LoginByAppSecret (named and positional) and LoginBySign (reference sign at its timestamp)', async () => {
    const named = await kdPost(sim.url, AUTH_SERVICE, 'LoginByAppSecret', { acctid: ACCT, username: 'integration', appid: APP_ID, appsecret: APP_SECRET, lcid: 2052 });
    expect((named.json as { LoginResultType: number }).LoginResultType).toBe(1);
    const positional = await kdPost(sim.url, AUTH_SERVICE, 'LoginByAppSecret', { parameters: [ACCT, 'integration', APP_ID, 'bad-secret', 2052] });
    expect((positional.json as { LoginResultType: number }).LoginResultType).not.toBe(1);

    const sign = kingdeeSignVectors.loginSign;
    const bySign = await kdPost(sim.url, AUTH_SERVICE, 'LoginBySign', { parameters: [ACCT, 'integration', APP_ID, '1700000000', sign, 2052] });
    expect((bySign.json as { LoginResultType: number }).LoginResultType).toBe(1);
    expect(cookieValues(bySign.setCookies)['kdservice-sessionid']).toBe((bySign.json as { KDSVCSessionId: string }).KDSVCSessionId);
    now = T0 + 3_600_000;
    const stale = await kdPost(sim.url, AUTH_SERVICE, 'LoginBySign', { parameters: [ACCT, 'integration', APP_ID, '1700000000', sign, 2052] });
    expect((stale.json as { LoginResultType: number }).LoginResultType).not.toBe(1);
  });

  it('an idle session expires: MsgCode 1 plain for Save, wrapped [[...]] for ExecuteBillQuery', async () => {
    const client = await loginWithPassword(sim.url, 'integration', 'demo-kd-password-1');
    now += 59_000;
    expect((await client.call('ExecuteBillQuery', query)).json).toEqual([['CNY']]);
    now += 59_000; // still alive: the previous call refreshed it
    expect((await client.call('ExecuteBillQuery', query)).json).toEqual([['CNY']]);
    now += 61_000;
    expect((await client.call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: {} } })).json).toEqual(sessionLost);
    expect((await client.call('ExecuteBillQuery', query)).json).toEqual([[sessionLost]]);
    expect(sim.stats().sessionLost).toBe(2);
  });

  it('admin expire-sessions drops live sessions at once', async () => {
    const client = await loginWithPassword(sim.url, 'integration', 'demo-kd-password-1');
    const res = await fetch(`http://127.0.0.1:${sim.port}/__admin/expire-sessions`, { method: 'POST' });
    expect(await res.json()).toEqual({ expired: 1 });
    expect((await client.call('ExecuteBillQuery', query)).json).toEqual([[sessionLost]]);
  });

  it('Logout ends the session', async () => {
    const client = await loginWithPassword(sim.url, 'integration', 'demo-kd-password-1');
    await kdPost(sim.url, AUTH_SERVICE, 'Logout', {}, { headers: { 'kdservice-sessionid': client.sessionId } });
    expect((await client.call('ExecuteBillQuery', query)).json).toEqual([[sessionLost]]);
  });

  describe('signed headers', () => {
    const savePath = 'Save';
    // Exactly the §2.2 vector: same path, timestamp, AppID, AppSecret, acct and user.
    const vectorHeaders = kingdeeSignVectors.headers;

    it('the reference vector authenticates a Save, sets the session cookie, and later calls reuse the session', async () => {
      const res = await kdPost(sim.url, FORM_SERVICE, savePath, { formid: 'SAL_OUTSTOCK', data: { Model: {} } }, { headers: vectorHeaders });
      // Authenticated: the answer is a validation failure of the empty model, not a lost session.
      expect((res.json as { Result: { ResponseStatus: { MsgCode: number } } }).Result.ResponseStatus.MsgCode).not.toBe(1);
      const sid = cookieValues(res.setCookies)['kdservice-sessionid'];
      expect(sid).toMatch(/^[0-9a-f-]{36}$/);
      const again = await kdPost(sim.url, FORM_SERVICE, savePath, { formid: 'SAL_OUTSTOCK', data: { Model: {} } }, { headers: vectorHeaders });
      expect(cookieValues(again.setCookies)['kdservice-sessionid']).toBe(sid);
      const withCookie = await kdPost(sim.url, FORM_SERVICE, 'ExecuteBillQuery', query, { headers: { cookie: `kdservice-sessionid=${sid}` } });
      expect(withCookie.json).toEqual([['CNY']]);
      expect(sim.stats().sessionsCreated).toBe(1);
    });

    it('accepts the timestamp in milliseconds when signed that way, and rejects a stale or tampered request', async () => {
      // Java SDK style: ms timestamp and nonce (signature helper pinned by the vector in signature.test.ts).
      const ms = '1700000000000';
      const path = new URL(`${sim.url}${FORM_SERVICE}.Save.common.kdsvc`).pathname;
      const msHeaders = { ...vectorHeaders, 'x-api-timestamp': ms, 'x-api-nonce': ms, 'X-Api-Signature': computeApiSignature(APP_ID, path, ms, ms) };
      const inMs = await kdPost(sim.url, FORM_SERVICE, savePath, { formid: 'SAL_OUTSTOCK', data: { Model: {} } }, { headers: msHeaders });
      expect(cookieValues(inMs.setCookies)['kdservice-sessionid']).toMatch(/^[0-9a-f-]{36}$/);
      const wrongSig = await kdPost(sim.url, FORM_SERVICE, savePath, { formid: 'SAL_OUTSTOCK', data: { Model: {} } }, {
        headers: { ...msHeaders, 'X-Api-Signature': vectorHeaders['X-Api-Signature'] },
      });
      expect(wrongSig.json).toMatchObject({ Result: { ResponseStatus: { MsgCode: 2 } } });
      now = T0 + 3_600_000;
      const late = await kdPost(sim.url, FORM_SERVICE, savePath, { formid: 'SAL_OUTSTOCK', data: { Model: {} } }, { headers: vectorHeaders });
      expect(late.json).toMatchObject({ Result: { ResponseStatus: { IsSuccess: false, MsgCode: 2, Errors: [{ Message: 'Fail to verify thirty passport' }] } } });
      now = T0;
      const tampered = await kdPost(sim.url, FORM_SERVICE, savePath, { formid: 'SAL_OUTSTOCK', data: { Model: {} } }, {
        headers: { ...vectorHeaders, 'X-Kd-Appdata': Buffer.from(`${ACCT},integration2,2052,0`).toString('base64') },
      });
      expect(tampered.json).toMatchObject({ Result: { ResponseStatus: { MsgCode: 2 } } });
    });
  });
});
