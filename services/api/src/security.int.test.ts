import { createFlowPauseStore, flowQueueName } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import type { FastifyInstance, InjectOptions } from 'fastify';
import { Redis } from 'ioredis';
import { createApiQueues, type ApiQueues } from './api-queues';
import { buildReport } from '@sync/preflight';
import type { ApiDeps } from './app';
import { auditKey, createAuditLog } from './audit-log';
import type { FlowDescriptor } from './flow-descriptors';
import { syncConfigSchema } from '@sync/flows';
import { buildRedisApi, closeRedisWorld } from './redis-world.test-support';

const FLOW = 'sales-outbound';
const TOKEN = 'operator-token-0123';
const USER = 'ops';
const PASSWORD = 'ops-password-0123';
const HOST = 'sync.internal:8700';
const basic = (user: string, password: string) => `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`;
const GOOD = basic(USER, PASSWORD);
const WRONG = basic(USER, 'wrong-password-42');
const flows: FlowDescriptor[] = [{ name: FLOW, title: '销售出库单', enabled: true, everyMs: 15000, billNoPrefix: 'JSTSO' }];

/** An API on real Redis under its own prefix, with a clock the test moves. */
interface World {
  app: FastifyInstance;
  redis: Redis;
  queues: ApiQueues;
  prefix: string;
  clock: { ms: number };
}

const worlds: World[] = [];
async function world(name: string, env: Partial<ApiDeps['env']> = {}): Promise<World> {
  const prefix = uniquePrefix(`api-security-${name}`);
  const redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  const queues = createApiQueues({ connection: redis, prefix, flows: flows.map((f) => f.name) });
  const clock = { ms: Date.parse('2026-12-04T10:00:00.000Z') };
  const config = syncConfigSchema.parse({ flows: { [FLOW]: {} } });
  // buildRedisApi waits for every queue's meta key (BullMQ writes it once connected) before any key comparison.
  const app = await buildRedisApi({ redis, prefix, queues, flows, config }, {
    env: { API_TOKEN: TOKEN, API_BASIC_USER: USER, API_BASIC_PASSWORD: PASSWORD, API_RATE_LIMIT_PER_MIN: 100_000, ...env },
    // GET /preflight without a doctor answers 503; here one that finds nothing (the doctor reads no Redis).
    preflight: async ({ days }) => buildReport([], '2026-12-04T10:00:00.000Z', days),
    now: () => new Date(clock.ms),
  });
  const w = { app, redis, queues, prefix, clock };
  worlds.push(w);
  return w;
}
afterAll(async () => {
  for (const w of worlds) await closeRedisWorld(w);
});

const keys = async (w: World): Promise<string[]> => (await w.redis.keys(`${w.prefix}:*`)).sort();
const auditLength = (w: World): Promise<number> => w.redis.llen(auditKey(w.prefix));

describe('cross-site requests are refused (finding 1)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world('csrf');
  });
  const isPaused = () => createFlowPauseStore(w.redis, w.prefix).isPaused(FLOW);

  it('a page on another site cannot pause a flow with the cached Basic credentials: 403, nothing changed but the audit entry', async () => {
    const before = await keys(w);
    const audits = await auditLength(w);
    const attempts: InjectOptions[] = [
      // fetch(..., {method: 'POST', mode: 'no-cors', credentials: 'include', body: 'x'}) from a current browser
      { headers: { 'content-type': 'text/plain;charset=UTF-8', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, payload: 'x' },
      // the same from a browser without Sec-Fetch-Site
      { headers: { 'content-type': 'text/plain', origin: 'https://evil.example' }, payload: '' },
      // a body-less no-cors POST (no content type at all)
      { headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' } },
      // an HTML form post
      { headers: { 'content-type': 'application/x-www-form-urlencoded', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, payload: 'a=1' },
      // a sibling subdomain
      { headers: { origin: 'https://other.internal', 'sec-fetch-site': 'same-site' } },
      // a sandboxed frame
      { headers: { origin: 'null' } },
    ];
    for (const attempt of attempts) {
      const res = await w.app.inject({
        method: 'POST',
        url: `/flows/${FLOW}/pause`,
        ...attempt,
        headers: { host: HOST, authorization: GOOD, ...(attempt.headers as Record<string, string>) },
      });
      expect(res.statusCode).toBe(403);
      expect(res.json()).toEqual({ error: 'cross_site', field: 'origin', message: expect.stringMatching(/^origin: refused cross-site request/) });
    }
    expect(await isPaused()).toBe(false);
    expect(await w.queues.flows.get(FLOW)!.isPaused()).toBe(false);
    // Redis: only the audit log changed, by one refusal entry per attempt.
    expect((await keys(w)).filter((k) => k !== auditKey(w.prefix))).toEqual(before.filter((k) => k !== auditKey(w.prefix)));
    expect(await auditLength(w)).toBe(audits + attempts.length);
    const entries = (await createAuditLog(w.redis, w.prefix).list({ limit: attempts.length }));
    expect(entries.map((e) => [e.action, e.url, e.statusCode])).toEqual(attempts.map(() => ['cross-site-refused', `/flows/${FLOW}/pause`, 403]));
    expect(entries[0].details).toEqual({ origin: 'null', secFetchSite: null });
  });

  it('refuses a cross-site request on every state-changing route, Bull Board API included, and runs none of them', async () => {
    const routes = w.app.registeredRoutes.filter((r) => !/^(GET|HEAD|OPTIONS) /.test(r));
    expect(routes.some((r) => r.startsWith('PUT /admin/queues/api/'))).toBe(true);
    expect(routes.some((r) => r.startsWith('PATCH /admin/queues/api/'))).toBe(true);
    const before = await keys(w);
    for (const route of routes) {
      const [method, path] = route.split(' ') as ['POST' | 'PUT' | 'PATCH' | 'DELETE', string];
      const url = path.replace(':queueName', flowQueueName(FLOW)).replace(':flow', FLOW).replace(/:[A-Za-z]+/g, 'x').replace('*', 'x');
      const res = await w.app.inject({
        method, url, headers: { host: HOST, authorization: GOOD, 'content-type': 'text/plain', origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' }, payload: '{}',
      });
      expect([route, res.statusCode, res.json().error]).toEqual([route, 403, 'cross_site']);
    }
    expect((await keys(w)).filter((k) => k !== auditKey(w.prefix))).toEqual(before.filter((k) => k !== auditKey(w.prefix)));
    console.log(`cross-site check: ${routes.length} state-changing routes refused`);
  });

  it('lets our own pages, scripts with the bearer token and the CLI through, and refuses non-JSON bodies from them', async () => {
    const pause = (headers: Record<string, string>, payload?: string) =>
      w.app.inject({ method: 'POST', url: `/flows/${FLOW}/pause`, headers: { host: HOST, ...headers }, ...(payload !== undefined ? { payload } : {}) });
    const resume = (headers: Record<string, string>) => w.app.inject({ method: 'POST', url: `/flows/${FLOW}/resume`, headers: { host: HOST, ...headers } });
    expect((await pause({ authorization: GOOD, origin: `http://${HOST}`, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
    expect(await isPaused()).toBe(true);
    expect((await resume({ authorization: GOOD, origin: `http://${HOST}` })).statusCode).toBe(200); // no Sec-Fetch-Site, own origin
    expect((await pause({ authorization: GOOD })).statusCode).toBe(200); // curl -u
    expect((await resume({ authorization: `Bearer ${TOKEN}`, origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' })).statusCode).toBe(200);
    expect(await isPaused()).toBe(false);
    const text = await pause({ authorization: `Bearer ${TOKEN}`, 'content-type': 'text/plain' }, 'x');
    expect(text.statusCode).toBe(415);
    expect(text.json()).toEqual({ error: 'unsupported_media_type', field: 'content-type', message: expect.stringContaining('application/json') });
    const json = await pause({ authorization: GOOD, origin: `http://${HOST}`, 'content-type': 'application/json' }, '{}');
    expect(json.statusCode).toBe(200);
    expect((await resume({ authorization: GOOD, 'sec-fetch-site': 'same-origin' })).statusCode).toBe(200);
  });

  it('accepts the origins of API_ALLOWED_ORIGINS (a reverse proxy that rewrites Host)', async () => {
    const proxied = await world('csrf-proxy', { API_ALLOWED_ORIGINS: ['https://sync.example.com'] });
    const post = (origin: string) =>
      proxied.app.inject({ method: 'POST', url: `/flows/${FLOW}/poll`, headers: { host: 'api:8700', authorization: GOOD, origin } });
    expect((await post('https://sync.example.com')).statusCode).toBe(202);
    expect((await post('https://evil.example')).statusCode).toBe(403);
  });
});

describe('failed logins are throttled and recorded (finding 2)', () => {
  const get = (w: World, remoteAddress: string, authorization?: string, headers: Record<string, string> = {}) =>
    w.app.inject({ method: 'GET', url: '/flows', remoteAddress, headers: { ...(authorization ? { authorization } : {}), ...headers } });

  it('answers 429 with Retry-After and a doubling lockout after a few failures; another address is not affected; every failure is audited', async () => {
    const w = await world('logins', { API_LOGIN_MAX_FAILURES: 3 });
    const attacker = '198.51.100.1';
    const operator = '198.51.100.2';
    for (let i = 0; i < 3; i++) expect((await get(w, attacker, WRONG)).statusCode).toBe(401); // free failures
    expect((await get(w, attacker, WRONG)).statusCode).toBe(401); // the 4th locks the address for 1 s
    const locked = await get(w, attacker, GOOD); // even the right password waits
    expect(locked.statusCode).toBe(429);
    expect(locked.headers['retry-after']).toBe('1');
    expect(locked.json()).toEqual({ error: 'login_locked', message: 'too many failed logins from this address; retry in 1 s' });
    expect((await get(w, operator, GOOD)).statusCode).toBe(200); // the operator elsewhere is not delayed
    expect((await get(w, attacker)).statusCode).toBe(401); // no credentials: a challenge, neither counted nor locked

    w.clock.ms += 1000;
    expect((await get(w, attacker, WRONG)).statusCode).toBe(401); // the 5th: 2 s
    const longer = await get(w, attacker, WRONG);
    expect(longer.statusCode).toBe(429);
    expect(longer.headers['retry-after']).toBe('2');
    w.clock.ms += 2000;
    expect((await get(w, attacker, GOOD)).statusCode).toBe(200); // the lockout ended; the right password clears the address's count
    // The user name has 5 failures (> 3): while it is being guessed, any address failing for it is locked at once (4 s) ...
    expect((await get(w, attacker, WRONG)).statusCode).toBe(401);
    expect((await get(w, attacker, GOOD)).statusCode).toBe(429);
    // ... and an address with the right password never is.
    expect((await get(w, operator, GOOD)).statusCode).toBe(200);

    const entries = (await w.app.inject({ method: 'GET', url: '/audit?action=login-failed', headers: { authorization: `Bearer ${TOKEN}` } })).json().entries;
    expect(entries).toHaveLength(6);
    for (const e of entries) {
      expect(e).toMatchObject({ principal: 'anonymous', action: 'login-failed', method: 'GET', url: '/flows', statusCode: 401, details: { address: attacker, user: USER, scheme: 'basic' } });
    }
    expect(entries.map((e: { details: { lockedForSeconds: number } }) => e.details.lockedForSeconds)).toEqual([4, 2, 1, 0, 0, 0]);
    expect(JSON.stringify(entries)).not.toContain('wrong-password-42');
    // State in Redis under the queue prefix, expiring.
    const loginKeys = await w.redis.keys(`${w.prefix}:login:*`);
    expect(loginKeys.length).toBeGreaterThan(0);
    for (const k of loginKeys) expect(await w.redis.pttl(k)).toBeGreaterThan(0);
  });

  it('slows every address that fails for a user being guessed from many addresses, never an address with the right password', async () => {
    const w = await world('logins-user', { API_LOGIN_MAX_FAILURES: 3 });
    for (const a of ['203.0.113.11', '203.0.113.12', '203.0.113.13']) expect((await get(w, a, WRONG)).statusCode).toBe(401);
    expect((await get(w, '203.0.113.14', WRONG)).statusCode).toBe(401); // the user's 4th failure: this address is locked at once
    expect((await get(w, '203.0.113.14', GOOD)).statusCode).toBe(429);
    expect((await get(w, '203.0.113.15', GOOD)).statusCode).toBe(200); // never failed
    expect((await get(w, '203.0.113.11', GOOD)).statusCode).toBe(200); // failed once, not locked
    // Failures naming another user do not count against this one's.
    expect((await get(w, '203.0.113.16', basic('admin', 'guess-1234'))).statusCode).toBe(401);
    expect((await get(w, '203.0.113.16', GOOD)).statusCode).toBe(200);
  });

  it('takes the client address from X-Forwarded-For only when the peer is a trusted proxy', async () => {
    const behind = await world('logins-proxy', { API_LOGIN_MAX_FAILURES: 2, API_TRUSTED_PROXIES: ['10.0.0.0/8'] });
    for (let i = 0; i < 3; i++) expect((await get(behind, '10.0.0.5', basic('x', 'y'), { 'x-forwarded-for': '192.0.2.7' })).statusCode).toBe(401);
    expect((await get(behind, '10.0.0.5', GOOD, { 'x-forwarded-for': '192.0.2.7' })).statusCode).toBe(429);
    expect((await get(behind, '10.0.0.5', GOOD, { 'x-forwarded-for': '192.0.2.8' })).statusCode).toBe(200); // another client behind the same proxy
    const failed = await createAuditLog(behind.redis, behind.prefix).list({ action: 'login-failed' });
    expect(failed.map((e) => e.details?.address)).toEqual(['192.0.2.7', '192.0.2.7', '192.0.2.7']);

    const direct = await world('logins-direct', { API_LOGIN_MAX_FAILURES: 2 });
    for (let i = 0; i < 3; i++) {
      expect((await get(direct, '192.0.2.50', basic('x', 'y'), { 'x-forwarded-for': `192.0.2.${100 + i}` })).statusCode).toBe(401);
    }
    // Not a trusted proxy: a forged X-Forwarded-For does not escape the lockout.
    expect((await get(direct, '192.0.2.50', GOOD, { 'x-forwarded-for': '192.0.2.200' })).statusCode).toBe(429);
  });
});

describe('security headers on every answer (finding 3)', () => {
  let w: World;
  beforeAll(async () => {
    w = await world('headers');
  });

  const expectHeaders = (label: string, headers: Record<string, unknown>) => {
    const csp = String(headers['content-security-policy']);
    expect([label, csp]).toEqual([label, expect.stringContaining("frame-ancestors 'none'")]);
    expect(csp).toContain("default-src 'self'");
    expect(csp).toContain("script-src 'self';");
    expect(csp).toContain("object-src 'none'");
    expect([label, headers['x-frame-options']]).toEqual([label, 'DENY']);
    expect(headers['x-content-type-options']).toBe('nosniff');
    expect(headers['referrer-policy']).toBe('no-referrer');
    expect(headers['strict-transport-security']).toBeUndefined(); // plain HTTP, no trusted proxy
  };

  it('sends them on every route, on errors and on 404s', async () => {
    const auth = { authorization: GOOD, host: HOST, origin: `http://${HOST}` };
    let checked = 0;
    for (const route of w.app.registeredRoutes) {
      const [method, path] = route.split(' ') as ['GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE', string];
      const url = path.replace(':queueName', flowQueueName(FLOW)).replace(':flow', FLOW).replace(/:[A-Za-z]+/g, 'x').replace('*', 'x');
      // Read-only requests with credentials, the rest without (401): nothing is changed by this test.
      const headers = method === 'GET' ? auth : {};
      const res = await w.app.inject({ method, url, headers });
      expect(res.statusCode).toBeLessThan(500);
      expectHeaders(route, res.headers);
      checked += 1;
    }
    for (const [label, opts] of [
      ['404', { method: 'GET', url: '/nope' }],
      ['bad URL', { method: 'GET', url: '/flows/%E0%A4%A' }],
      ['429', { method: 'GET', url: '/flows', headers: { authorization: WRONG }, remoteAddress: '198.51.100.99' }],
      ['Bull Board page', { method: 'GET', url: '/admin/queues', headers: auth }],
    ] as [string, InjectOptions][]) {
      let res = await w.app.inject(opts);
      if (label === '429') for (let i = 0; i < 6; i++) res = await w.app.inject(opts);
      if (label === '429') expect(res.statusCode).toBe(429);
      expectHeaders(label, res.headers);
      checked += 1;
    }
    console.log(`security headers: ${checked} answers checked`);
  });

  it('sends HSTS over TLS as told by a trusted proxy, or always with API_HSTS=on, never with off', async () => {
    const proxied = await world('hsts-proxy', { API_TRUSTED_PROXIES: ['127.0.0.1'] });
    const hsts = async (x: World, remoteAddress: string) =>
      (await x.app.inject({ method: 'GET', url: '/health', remoteAddress, headers: { 'x-forwarded-proto': 'https' } })).headers['strict-transport-security'];
    expect(await hsts(proxied, '127.0.0.1')).toBe('max-age=31536000; includeSubDomains');
    expect(await hsts(proxied, '192.0.2.1')).toBeUndefined(); // not the proxy: X-Forwarded-Proto is not believed
    const on = await world('hsts-on', { API_HSTS: 'on' });
    expect(await hsts(on, '192.0.2.1')).toBe('max-age=31536000; includeSubDomains');
    const off = await world('hsts-off', { API_HSTS: 'off', API_TRUSTED_PROXIES: ['127.0.0.1'] });
    expect(await hsts(off, '127.0.0.1')).toBeUndefined();
  });
});
