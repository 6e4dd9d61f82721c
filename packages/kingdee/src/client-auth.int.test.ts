import { PermanentError, TransientError } from '@sync/errors';
import type { Logger } from '@sync/logger';
import { createKingdeeClient } from './client';
import type { KingdeeLogger } from './logger';
import type { KingdeeApi } from './types';
import { kingdeeSignatureHeaders } from './signature';
import { saveOk, sessionLost, startFakeKingdee, loginRefused, type FakeKingdee, type FakeReply } from './testing/fake-kingdee-server';
import { createLoginGate, loginArgs } from './testing/login-gate';

const acctId = '5f1e2d3c4b5a69';
const appId = '100001_AQIDBAUGBwgJCgsMDQ4PEBESExQVFhcY';
const appSecret = '0123456789abcdef0123456789abcdef';
const password = 'pw-Secret-123';

function captureLogger(): KingdeeLogger & { lines: string[] } {
  const lines: string[] = [];
  const rec = (level: string) => (obj: Record<string, unknown>, msg: string) => { lines.push(JSON.stringify({ level, msg, ...obj })); };
  return { lines, debug: rec('debug'), info: rec('info'), warn: rec('warn') };
}

// A pino Logger must satisfy the client's logger surface (type-level check).
const pinoCompatible: (l: Logger) => KingdeeLogger = (l) => l;
void pinoCompatible;

describe('Kingdee client: authentication and sessions', () => {
  let server: FakeKingdee | undefined;
  let client: KingdeeApi | undefined;
  afterEach(async () => {
    await client?.close();
    await server?.close();
    client = undefined;
    server = undefined;
  });

  it.each(['named', 'positional'] as const)('password login (%s body) carries the session in header and cookie', async (bodyStyle) => {
    const gate = createLoginGate({ integration: password }, () => saveOk(101, 'JST-1'));
    server = await startFakeKingdee(gate.handler);
    const logger = captureLogger();
    client = createKingdeeClient({ baseUrl: server.url, auth: 'password', acctId, users: [{ username: 'integration', password }], bodyStyle, timeoutMs: 5000, logger });

    await expect(client.save('SAL_OUTSTOCK', { FBillNo: 'JST-1' })).resolves.toEqual({ id: 101, number: 'JST-1' });

    const [login, save] = server.requests;
    expect(login.service).toBe('AuthService.ValidateUser');
    expect(loginArgs(login)).toEqual({ acctId, username: 'integration', secret: password, lcid: 2052 });
    if (bodyStyle === 'named') expect(login.body).toEqual({ acctID: acctId, username: 'integration', password, lcid: 2052 });
    else expect(login.body).toEqual({ parameters: [acctId, 'integration', password, 2052] });

    expect(save.path).toBe('/k3cloud/Kingdee.BOS.WebApi.ServicesStub.DynamicFormService.Save.common.kdsvc');
    expect(save.headers['kdservice-sessionid']).toBe('sid-1');
    expect(save.cookies).toEqual({ 'kdservice-sessionid': 'sid-1', 'ASP.NET_SessionId': 'n3xfizba4et0o2uutwdftvzg' });
    expect(save.headers['content-type']).toMatch(/application\/json/);
    if (bodyStyle === 'named') {
      expect(save.body).toEqual({ formid: 'SAL_OUTSTOCK', data: { Model: { FBillNo: 'JST-1' } } });
    } else {
      expect(save.body).toEqual({ parameters: ['SAL_OUTSTOCK', JSON.stringify({ Model: { FBillNo: 'JST-1' } })] });
    }

    await client.close();
    client = undefined;
    expect(server.requests.at(-1)?.service).toBe('AuthService.Logout');
    expect(gate.valid.size).toBe(0);

    const logs = logger.lines.join('\n');
    expect(logs).toContain('"op":"Save"');
    expect(logs).toContain('"session":0');
    expect(logs).not.toContain(password);
    expect(logs).not.toContain('sid-1');
  });

  it.each(['named', 'positional'] as const)('appsecret login (%s body) uses LoginByAppSecret', async (bodyStyle) => {
    const gate = createLoginGate({ integration: appSecret }, () => saveOk(7, 'X'));
    server = await startFakeKingdee(gate.handler);
    client = createKingdeeClient({ baseUrl: server.url, auth: 'appsecret', acctId, appId, appSecret, users: [{ username: 'integration' }], bodyStyle, timeoutMs: 5000 });
    await client.save('STK_InStock', {});
    const login = server.requests[0];
    expect(login.service).toBe('AuthService.LoginByAppSecret');
    if (bodyStyle === 'named') expect(login.body).toEqual({ acctid: acctId, username: 'integration', appid: appId, appsecret: appSecret, lcid: 2052 });
    else expect(login.body).toEqual({ parameters: [acctId, 'integration', appId, appSecret, 2052] });
    expect(server.requests[1].sessionId).toBe('sid-1');
  });

  it('signature auth signs every call and keeps the session cookie the server sets', async () => {
    server = await startFakeKingdee((req): FakeReply => {
      const reply = saveOk(1, 'A');
      return req.cookies['kdservice-sessionid'] ? reply : { ...reply, headers: { 'Set-Cookie': 'kdservice-sessionid=sig-sid-1; path=/' } };
    });
    const url = server.url;
    client = createKingdeeClient({
      baseUrl: url.replace(/\/k3cloud\/$/, '/k3cloud'), auth: 'signature', acctId, appId, appSecret,
      users: [{ username: 'integration' }], timeoutMs: 5000, now: () => 1_700_000_000_123,
    });
    await client.save('SAL_OUTSTOCK', {});
    await client.save('SAL_OUTSTOCK', {});
    const [first, second] = server.requests;
    expect(server.requests.map((r) => r.service)).toEqual(['DynamicFormService.Save', 'DynamicFormService.Save']);
    const expected = kingdeeSignatureHeaders({ url: first.path, acctId, username: 'integration', appId, appSecret, lcid: 2052, orgNum: 0, timestamp: '1700000000' });
    expect(expected['X-Api-Signature']).toBe('M2M5NmZiYjQ5NWZmYTIwMTY1ZWE2YjgxZTlhOGUzN2M0NjRjNDExNmJjNzYzZTg4NmEwOWVkMzBjZDM3ZjA1OQ==');
    for (const [name, value] of Object.entries(expected)) expect(first.headers[name.toLowerCase()]).toBe(value);
    expect(first.sessionId).toBeUndefined();
    expect(second.headers['x-kd-signature']).toBe(expected['X-Kd-Signature']);
    expect(second.headers['kdservice-sessionid']).toBe('sig-sid-1');
    expect(second.cookies['kdservice-sessionid']).toBe('sig-sid-1');
  });

  it('logs in again and replays once when the session is lost (MsgCode 1)', async () => {
    const gate = createLoginGate({ integration: password }, () => saveOk(5, 'JST-5'));
    server = await startFakeKingdee(gate.handler);
    client = createKingdeeClient({ baseUrl: server.url, auth: 'password', acctId, users: [{ username: 'integration', password }], timeoutMs: 5000 });
    await client.save('SAL_OUTSTOCK', {});
    gate.expireAll();
    await expect(client.save('SAL_OUTSTOCK', {})).resolves.toEqual({ id: 5, number: 'JST-5' });
    expect(server.requests.map((r) => `${r.op}:${r.sessionId ?? '-'}`)).toEqual([
      'ValidateUser:-', 'Save:sid-1', 'Save:sid-1', 'ValidateUser:-', 'Save:sid-2',
    ]);
    expect(gate.logins()).toBe(2);
  });

  it('re-logs in for a lost session on ExecuteBillQuery too ([[...]] shape)', async () => {
    const gate = createLoginGate({ integration: password }, () => ({ body: [['SKU-1']] }));
    server = await startFakeKingdee(gate.handler);
    client = createKingdeeClient({ baseUrl: server.url, auth: 'password', acctId, users: [{ username: 'integration', password }], timeoutMs: 5000 });
    await client.executeBillQuery({ FormId: 'BD_MATERIAL', FieldKeys: 'FNumber' });
    gate.expireAll();
    await expect(client.executeBillQuery({ FormId: 'BD_MATERIAL', FieldKeys: 'FNumber' })).resolves.toEqual([['SKU-1']]);
    expect(gate.logins()).toBe(2);
  });

  it('a second MsgCode 1 right after re-login is a TransientError SESSION_LOST', async () => {
    let logins = 0;
    server = await startFakeKingdee((req) => {
      if (req.op === 'ValidateUser') {
        logins += 1;
        return createLoginGate({ integration: password }, () => saveOk(1, 'x')).handler(req);
      }
      return sessionLost();
    });
    client = createKingdeeClient({ baseUrl: server.url, auth: 'password', acctId, users: [{ username: 'integration', password }], timeoutMs: 5000 });
    const err = await client.save('SAL_OUTSTOCK', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TransientError);
    expect((err as TransientError).code).toBe('SESSION_LOST');
    expect(logins).toBe(2);
    expect(server.requests.filter((r) => r.op === 'Save')).toHaveLength(2);
  });

  it('signature auth drops the stale session cookie and replays once on MsgCode 1', async () => {
    let saves = 0;
    server = await startFakeKingdee(() => {
      saves += 1;
      if (saves === 2) return sessionLost(); // the server forgot sig-sid-1
      const reply = saveOk(saves, `N${saves}`);
      return { ...reply, headers: { 'Set-Cookie': `kdservice-sessionid=sig-sid-${saves}; path=/` } };
    });
    client = createKingdeeClient({ baseUrl: server.url, auth: 'signature', acctId, appId, appSecret, users: [{ username: 'integration' }], timeoutMs: 5000 });
    await client.save('F', {});
    await expect(client.save('F', {})).resolves.toEqual({ id: 3, number: 'N3' });
    expect(server.requests.map((r) => r.sessionId)).toEqual([undefined, 'sig-sid-1', undefined]);
  });

  it('a refused login is PermanentError AUTH_FAILED with the server message and never the password', async () => {
    server = await startFakeKingdee(() => loginRefused('用户名或密码错误'));
    const logger = captureLogger();
    client = createKingdeeClient({ baseUrl: server.url, auth: 'password', acctId, users: [{ username: 'integration', password }], timeoutMs: 5000, logger });
    const err = await client.save('SAL_OUTSTOCK', {}).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('AUTH_FAILED');
    expect((err as PermanentError).message).toContain('用户名或密码错误');
    expect(JSON.stringify({ m: (err as Error).message, d: (err as PermanentError).details })).not.toContain(password);
    expect(logger.lines.join('\n')).not.toContain(password);
    expect(server.requests.map((r) => r.op)).toEqual(['ValidateUser']);
  });

  it('rejects incomplete options without echoing secrets', () => {
    expect(() => createKingdeeClient({ baseUrl: 'http://127.0.0.1:1/k3cloud/', auth: 'password', acctId, users: [{ username: 'u' }] }))
      .toThrow(/users\.0\.password/);
    expect(() => createKingdeeClient({ baseUrl: 'http://127.0.0.1:1/', auth: 'signature', acctId, users: [{ username: 'u' }], appSecret }))
      .toThrow(/appId/);
    let err: unknown;
    try {
      createKingdeeClient({ baseUrl: 'not a url', auth: 'appsecret', acctId, users: [{ username: 'u' }], appId, appSecret });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PermanentError);
    expect((err as PermanentError).code).toBe('CONFIG_INVALID');
    expect((err as Error).message).not.toContain(appSecret);
  });
});
