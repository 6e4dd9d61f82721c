import { silentLogger } from '@sync/logger';
import type { FastifyInstance } from 'fastify';
import { READONLY_REFUSAL, routeKey } from './api-route';
import { apiRoutes } from './api-routes';
import { buildApi } from './app';
import { createMemoryAuditLog } from './audit-log';
import { API_DOCS_PATH } from './openapi';
import type { ApiOps } from './ops';

const OP = { authorization: 'Bearer operator-token-1' };
const RO = { authorization: 'Bearer readonly-token-1' };
const FLOW = 'sales-outbound';

/** ApiOps whose every call fails the test: a refused request must not reach a handler. */
const calls: string[] = [];
const ops = new Proxy({} as ApiOps, {
  get: (_t, name) => (name === 'flowNames' || name === 'documentFlowNames' ? () => [FLOW] : (...args: unknown[]) => {
    calls.push(`${String(name)}(${JSON.stringify(args)})`);
    throw new Error(`ApiOps.${String(name)} called`);
  }),
});
const table = apiRoutes({ ops, audit: createMemoryAuditLog(), now: () => new Date() });

let app: FastifyInstance;
beforeAll(async () => {
  app = await buildApi({
    env: { API_TOKEN: 'operator-token-1', API_READONLY_TOKEN: 'readonly-token-1', API_RATE_LIMIT_PER_MIN: 100_000 },
    ops, queues: [], logger: silentLogger(),
  });
  await app.ready();
});
afterAll(() => app.close());
afterEach(() => expect(calls).toEqual([]));

/** A concrete URL for a route path: `sales-outbound` for a flow, `x-1` for any other parameter. */
const concrete = (url: string): string => url.replace(':flow', FLOW).replace(/:[A-Za-z]+/g, 'x-1');

describe('the route table', () => {
  it('has one entry per method and path, each registered', () => {
    const keys = table.map(routeKey);
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.filter((k) => !app.registeredRoutes.includes(k))).toEqual([]);
    expect(table.filter((r) => r.role === 'operator').length).toBeGreaterThan(10);
  });

  it('is the OpenAPI document: every route with its role and summary, and nothing else but Bull Board', async () => {
    const res = await app.inject({ method: 'GET', url: '/openapi.json', headers: RO });
    expect(res.statusCode).toBe(200);
    const doc = res.json() as { openapi: string; paths: Record<string, Record<string, { 'x-required-role': string; summary: string; security: unknown[] }>> };
    expect(doc.openapi).toBe('3.1.0');
    for (const r of table) {
      const op = doc.paths[r.url.replace(/:([A-Za-z]+)/g, '{$1}')]?.[r.method.toLowerCase()];
      expect([routeKey(r), op?.['x-required-role'], op?.summary]).toEqual([routeKey(r), r.role, r.summary]);
      expect([routeKey(r), op.security.length > 0]).toEqual([routeKey(r), r.role !== 'public']);
    }
    const documented = Object.entries(doc.paths).flatMap(([p, ops]) => Object.keys(ops).map((m) => `${m.toUpperCase()} ${p.replace(/\{([A-Za-z]+)\}/g, ':$1')}`));
    expect(documented.sort()).toEqual([...table.map(routeKey), 'GET /admin/queues'].sort());
  });

  it('refuses the read-only credential on every operator route, before its handler, with the route\'s reason', async () => {
    const operatorRoutes = table.filter((r) => r.role === 'operator');
    for (const r of operatorRoutes) {
      const res = await app.inject({ method: r.method, url: concrete(r.url), headers: { ...RO, 'content-type': 'application/json' }, ...(r.method === 'POST' ? { payload: '{}' } : {}) });
      expect([routeKey(r), res.statusCode, res.json().error]).toEqual([routeKey(r), 403, 'forbidden']);
      expect(res.json().message).toEqual(r.url === '/preflight' ? expect.stringMatching(/^the preflight doctor needs the operator credential/) : READONLY_REFUSAL);
    }
  });

  it('lets the read-only credential through the guard on every read-only route (the operator one on all)', async () => {
    for (const [who, headers, routes] of [['readonly', RO, table.filter((r) => r.role === 'readonly')], ['operator', OP, table]] as const) {
      for (const r of routes) {
        // An invalid body, so nothing runs past validation: the answer shows the guard let it through.
        const res = await app.inject({ method: r.method, url: concrete(r.url), headers: { ...headers, 'content-type': 'application/json' }, ...(r.method === 'POST' ? { payload: '{"unknown-field":1}' } : {}) });
        expect([who, routeKey(r), [401, 403].includes(res.statusCode)]).toEqual([who, routeKey(r), false]);
        calls.length = 0; // GET handlers with valid input do call ops: that is fine here
      }
    }
  });

  it('serves the API page behind the same credentials, from the same document', async () => {
    for (const url of [API_DOCS_PATH, `${API_DOCS_PATH}/json`, `${API_DOCS_PATH}/static/index.html`]) {
      const anonymous = await app.inject({ method: 'GET', url });
      expect([url, anonymous.statusCode, anonymous.headers['www-authenticate']]).toEqual([url, 401, expect.stringMatching(/^Bearer realm=/)]);
      const res = await app.inject({ method: 'GET', url, headers: RO });
      expect([url, res.statusCode < 400]).toEqual([url, true]);
    }
    const page = await app.inject({ method: 'GET', url: `${API_DOCS_PATH}/json`, headers: RO });
    const doc = await app.inject({ method: 'GET', url: '/openapi.json', headers: RO });
    expect(page.json()).toEqual(doc.json());
  });
});
