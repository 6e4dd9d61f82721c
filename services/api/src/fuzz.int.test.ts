import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowRegistry, loadSyncConfig } from '@sync/flows';
import { documentJobId, flowQueueName } from '@sync/queue';
import { testRedisUrl, uniquePrefix } from '@sync/testing';
import { UnrecoverableError } from 'bullmq';
import fc from 'fast-check';
import type { FastifyInstance, LightMyRequestResponse } from 'fastify';
import { Redis } from 'ioredis';
import { createApiQueues, type ApiQueues } from './api-queues';
import { buildReport } from '@sync/preflight';
import { auditKey, createAuditLog } from './audit-log';
import type { FlowDescriptor } from './flow-descriptors';
import { apiRoutes } from './api-routes';
import { API_DOCS_PATH } from './openapi';
import { rateLimitKeyPrefix } from './rate-limit';
import { createRedisOps } from './redis-ops';
import { buildRedisApi, closeRedisWorld, failDocumentJobs } from './redis-world.test-support';

/**
 * Every route, fuzzed: malformed requests generated per route from the OpenAPI document (path parameters, query
 * parameters, body properties and required fields) and from the Bull Board and API page routes Fastify registered, sent through
 * `app.inject()` against real Redis. Asserts: never a 5xx; never a stack trace or a secret in a body; every 4xx of
 * ours has the usual `{error, message}` shape, and input errors (400/413/415) name the field; a refused request
 * leaves in Redis nothing new but its audit entry (and a failed login's counters), counted exactly.
 * FUZZ_RUNS scales the runs per route (default 1 = 60 runs per route of ours, 20 per Bull Board route).
 */
const FLOW = 'sales-outbound';
const OP_TOKEN = 'operator-token-0123456';
const RO_TOKEN = 'readonly-token-0123456';
const USER = 'ops';
const PASSWORD = 'ops-password-0123456';
const RO_USER = 'viewer';
const RO_PASSWORD = 'viewer-password-0123';
const SECRETS = [OP_TOKEN, RO_TOKEN, PASSWORD, RO_PASSWORD];
const SCALE = Number(process.env.FUZZ_RUNS ?? '1');
const flows: FlowDescriptor[] = [{ name: FLOW, title: '销售出库单', enabled: true, everyMs: 15000, billNoPrefix: 'JSTSO' }];
const SEEDED_DOCS = ['9001', '9002', '9003', '9004', '9005', '9006'];
const fixtures = join(__dirname, '..', '..', '..', 'packages', 'flows', 'fixtures');

const prefix = uniquePrefix('api-fuzz');
let redis: Redis;
let queues: ApiQueues;
let app: FastifyInstance;

beforeAll(async () => {
  redis = new Redis(testRedisUrl(), { maxRetriesPerRequest: 1 });
  queues = createApiQueues({ connection: redis, prefix, flows: flows.map((f) => f.name) });
  const config = loadSyncConfig(join(fixtures, 'test-config.yaml'));
  app = await buildRedisApi({ redis, prefix, queues, flows, config }, {
    env: {
      API_TOKEN: OP_TOKEN, API_BASIC_USER: USER, API_BASIC_PASSWORD: PASSWORD,
      API_READONLY_TOKEN: RO_TOKEN, API_READONLY_BASIC_USER: RO_USER, API_READONLY_BASIC_PASSWORD: RO_PASSWORD,
      API_RATE_LIMIT_PER_MIN: 1_000_000,
    },
    rateLimitRedis: { client: redis, prefix },
    preview: { flows: flowRegistry, config },
    // The doctor's shell reads Kingdee and JST: here a runner that answers an empty report for the days asked.
    preflight: async ({ days }) => buildReport([], '2026-12-04T00:00:00.000Z', days),
  });
  // Dead letters to inspect, retry and discard (each worth a valid path parameter).
  await failDocumentJobs({ queue: queues.flows.get(FLOW)!, prefix, flow: FLOW, docIds: SEEDED_DOCS, reason: (id) => new UnrecoverableError(`[UNMAPPED_BASE_DATA] ${FLOW} ${id}: SKU "X" is not mapped`) });
});
afterAll(() => closeRedisWorld({ app, redis, queues, prefix }));

// ---------------------------------------------------------------------------------------------------------------
// Generators

type Cred = 'operator' | 'operator-basic' | 'readonly' | 'readonly-basic' | 'none' | 'wrong-bearer' | 'wrong-basic';
const basic = (u: string, p: string) => `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}`;
const AUTH: Record<Cred, string | undefined> = {
  operator: `Bearer ${OP_TOKEN}`,
  'operator-basic': basic(USER, PASSWORD),
  readonly: `Bearer ${RO_TOKEN}`,
  'readonly-basic': basic(RO_USER, RO_PASSWORD),
  none: undefined,
  'wrong-bearer': `Bearer ${OP_TOKEN}x`,
  'wrong-basic': basic(USER, `${PASSWORD}!`),
};
const credArb = fc.constantFrom<Cred>('operator', 'operator', 'operator-basic', 'readonly', 'readonly-basic', 'none', 'wrong-bearer', 'wrong-basic');

const ODD_STRINGS = [
  '', ' ', '..', '../..', '%00', '\u0000', '\uFEFF', '\u202Eevil', '𝔘𝔫𝔦𝔠𝔬𝔡𝔢', '👩‍👩‍👧‍👦', 'Ω'.repeat(300), 'a'.repeat(257),
  'x'.repeat(5000), '<script>alert(1)</script>', "' OR 1=1 --", '${jndi:ldap://x}', '__proto__', 'constructor', 'null', 'NaN',
];
const INVALID_DATES = [
  '2026-02-30 00:00:00', '2026-13-01 00:00:00', '2026-11-01T00:00:00', '2026-11-01 24:00:00', '0000-00-00 00:00:00',
  'yesterday', '2026-11-01T00:00:00Z', '2026-11-01T00:00:00+25:00', '99999-01-01T00:00:00Z', '1e20', '',
];
const oddString = fc.oneof(
  fc.constantFrom(...ODD_STRINGS),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 40 }),
  fc.string({ maxLength: 20 }),
);
const hugeString = fc.integer({ min: 1_000, max: 120_000 }).map((n) => 'é'.repeat(n));
const hugeArray = fc.integer({ min: 1_001, max: 20_000 }).map((n) => Array.from({ length: n }, (_, i) => String(i)));
/** A value of any JSON type, odd and huge ones included. */
const anyValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  oddString,
  fc.constantFrom(...INVALID_DATES),
  fc.constantFrom(-1, 0, 1.5, 1e308, -1e308, Number.MAX_SAFE_INTEGER + 2, true, false, null),
  hugeString,
  hugeArray,
  fc.constant({ __proto__: { admin: true } }),
);

/** A path parameter: a valid value, or `..`, `%00`, very long ids, odd Unicode, raw bad escapes. */
function paramArb(valid: fc.Arbitrary<string>): fc.Arbitrary<string> {
  const encoded = (s: string): string => {
    try {
      return encodeURIComponent(s);
    } catch {
      return 'x'; // a lone surrogate cannot be encoded
    }
  };
  return fc.oneof(
    { weight: 3, arbitrary: valid },
    { weight: 3, arbitrary: oddString.map(encoded) },
    { weight: 1, arbitrary: fc.constantFrom('..', '.', '%00', '%2e%2e', '%2F', '..%2F..%2Fetc%2Fpasswd', '%', '%zz', '%E0%A4%A', '%C0%AE') },
    { weight: 1, arbitrary: fc.integer({ min: 200, max: 3000 }).map((n) => 'j'.repeat(n)) },
  );
}

/** Content types a client may send with a body (or none at all). */
const contentTypeArb = fc.constantFrom<string | undefined>(
  'application/json', 'application/json', 'application/json', 'application/json; charset=utf-8', 'application/json; charset=utf-16',
  'text/plain', 'text/plain;charset=UTF-8', 'application/x-www-form-urlencoded', 'multipart/form-data; boundary=x',
  'application/json-patch+json', '*/*', 'garbage', undefined,
);

interface RouteSpec {
  method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  /** Fastify syntax. */
  path: string;
  ours: boolean;
  /** Query parameter names and body properties / required ones, from the OpenAPI document. */
  query: string[];
  bodyProps: string[];
  bodyRequired: string[];
  validBody?: Record<string, unknown>;
  validQuery?: Record<string, string>;
}

const saleFixture = JSON.parse(readFileSync(join(fixtures, 'sales-outbound', 'simple-one-line.json'), 'utf8')) as Record<string, unknown>;
const saleLine = (saleFixture.items as Record<string, unknown>[])[0];
/** One valid body / query per route of ours: the fuzzer mutates these. */
const VALID: Record<string, { body?: Record<string, unknown>; query?: Record<string, string> }> = {
  'POST /resync': { body: { flow: FLOW, from: '2026-11-01 00:00:00', to: '2026-11-02 00:00:00' } },
  'POST /dead-letters/retry': { body: { flow: FLOW, code: 'UNMAPPED_BASE_DATA' } },
  'POST /dead-letters/:flow/:jobId/discard': { body: { note: 'no longer needed' } },
  'POST /preview': { body: { flow: FLOW, document: saleFixture } },
  'POST /ledger/prune': { body: { olderThanDays: 30, dryRun: true } },
  'GET /dead-letters': { query: { flow: FLOW, code: 'UNMAPPED_BASE_DATA', since: '2026-11-01T00:00:00Z', limit: '10' } },
  'GET /audit': { query: { action: 'pause', limit: '5' } },
  'GET /preflight': { query: { days: '1' } },
  'POST /reconciliations': { body: { flow: FLOW, from: '2026-11-27', to: '2026-11-28' } },
  'GET /reconciliations': { query: { limit: '5' } },
};

interface OpenApiOperation {
  'x-required-role'?: string;
  parameters?: { name: string; in: string }[];
  requestBody?: { content: { 'application/json': { schema: { properties?: Record<string, unknown>; required?: string[] } } } };
}

/** The routes of the table as the OpenAPI document has them, then the plugins' routes (Bull Board's API, the API page). */
function routeSpecs(): RouteSpec[] {
  const doc = app.swagger() as unknown as { paths: Record<string, Record<string, OpenApiOperation>> };
  const specs: RouteSpec[] = [];
  for (const [openApiPath, operations] of Object.entries(doc.paths)) {
    if (openApiPath.startsWith('/admin/queues')) continue; // Bull Board: its registered routes below
    for (const [method, op] of Object.entries(operations)) {
      const path = openApiPath.replace(/\{([A-Za-z]+)\}/g, ':$1');
      const schema = op.requestBody?.content['application/json'].schema;
      const key = `${method.toUpperCase()} ${path}`;
      specs.push({
        method: method.toUpperCase() as RouteSpec['method'],
        path,
        ours: true,
        query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
        bodyProps: Object.keys(schema?.properties ?? {}),
        bodyRequired: schema?.required ?? [],
        validBody: VALID[key]?.body,
        validQuery: VALID[key]?.query,
      });
    }
  }
  for (const route of app.registeredRoutes) {
    const [method, path] = route.split(' ');
    if (path.startsWith('/admin/queues/api/')) {
      specs.push({ method: method as RouteSpec['method'], path, ours: false, query: ['activeQueue', 'status', 'page', 'jobsPerPage'], bodyProps: ['data', 'name', 'options', 'delay', 'priority'], bodyRequired: [] });
    } else if (path.startsWith(API_DOCS_PATH)) {
      specs.push({ method: method as RouteSpec['method'], path, ours: false, query: [], bodyProps: [], bodyRequired: [] });
    }
  }
  return specs;
}

interface FuzzRequest {
  method: RouteSpec['method'];
  url: string;
  cred: Cred;
  contentType: string | undefined;
  payload: string | undefined;
  /** Good credentials come from addresses that never fail, wrong ones from others (they get locked out). */
  remoteAddress: string;
}

function bodyArb(spec: RouteSpec): fc.Arbitrary<string | undefined> {
  const props = spec.bodyProps.length ? spec.bodyProps : ['x'];
  const base = spec.validBody ?? {};
  const mutated = fc.oneof(
    // wrong type or odd value for one property
    fc.tuple(fc.constantFrom(...props), anyValue).map(([k, v]) => ({ ...base, [k]: v })),
    // a required property missing
    fc.constantFrom(...(spec.bodyRequired.length ? spec.bodyRequired : props)).map((k) => Object.fromEntries(Object.entries(base).filter(([p]) => p !== k))),
    // an extra field
    fc.tuple(oddString, anyValue).map(([k, v]) => ({ ...base, [k || 'extra']: v })),
    // the document of a preview, mutated inside: a header field, a line field, many lines
    fc.tuple(fc.constantFrom(...Object.keys(saleFixture)), anyValue).map(([k, v]) => ({ ...base, document: { ...saleFixture, [k]: v } })),
    fc.tuple(fc.constantFrom(...Object.keys(saleLine)), anyValue).map(([k, v]) => ({ ...base, document: { ...saleFixture, items: [{ ...saleLine, [k]: v }] } })),
    fc.integer({ min: 0, max: 3000 }).map((n) => ({ ...base, document: { ...saleFixture, items: Array.from({ length: n }, (_, i) => ({ ...saleLine, ioi_id: i + 1 })) } })),
    fc.constant(base),
  );
  return fc.oneof(
    { weight: 5, arbitrary: mutated.map((b) => JSON.stringify(b)) },
    { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
    { weight: 1, arbitrary: fc.constantFrom('{"flow":', '', 'null', '[]', '"x"', '1e999', '{"a":1}{', 'a=1&b=2', '\u0000', '{"__proto__":{"x":1}}') },
    { weight: 2, arbitrary: fc.constant(undefined) },
  );
}

function queryArb(spec: RouteSpec): fc.Arbitrary<string> {
  const names = [...spec.query, 'limit', 'flow', 'extra'];
  const pair = fc.tuple(fc.constantFrom(...names), fc.oneof(oddString, fc.constantFrom(...INVALID_DATES), fc.constantFrom('-1', '0', '1.5', '1e9', 'abc', FLOW)));
  const valid = new URLSearchParams(spec.validQuery ?? {}).toString();
  return fc.oneof(
    fc.constant(valid),
    fc.array(pair, { maxLength: 4 }).map((pairs) => {
      const q = new URLSearchParams(spec.validQuery ?? {});
      for (const [k, v] of pairs) q.append(k, v);
      return q.toString();
    }),
    fc.constantFrom('limit=1&limit=2', 'since=%ZZ', 'flow[]=x', 'a'.repeat(3000) + '=1', '%00=%00'),
  );
}

function requestArb(spec: RouteSpec): fc.Arbitrary<FuzzRequest> {
  const params = [...spec.path.matchAll(/:([A-Za-z]+)/g)].map((m) => m[1]);
  const validParam = (name: string): fc.Arbitrary<string> =>
    name === 'queueName' ? fc.constant(flowQueueName(FLOW))
      : name === 'flow' ? fc.constant(FLOW)
      : name === 'jobId' ? fc.constantFrom(...SEEDED_DOCS.map((d) => documentJobId(FLOW, d, '1')), 'missing-job')
      : name === 'sourceId' ? fc.constantFrom(...SEEDED_DOCS)
      : name === 'queueStatus' ? fc.constantFrom('failed', 'completed', 'waiting', 'delayed', 'bogus')
      : fc.constant(`${name}-1`);
  const hasBody = spec.method !== 'GET' && spec.method !== 'DELETE';
  return fc
    .record({
      params: fc.tuple(...params.map((p) => paramArb(validParam(p)))),
      query: spec.query.length || !spec.ours ? queryArb(spec) : fc.constant(''),
      cred: credArb,
      contentType: contentTypeArb,
      payload: hasBody ? bodyArb(spec) : fc.oneof(fc.constant(undefined), fc.constant('x')),
      address: fc.integer({ min: 1, max: 40 }),
    })
    .map((r) => {
      let i = 0;
      const path = spec.path.replace(/:([A-Za-z]+)/g, () => r.params[i++] ?? 'x');
      const wrong = r.cred.startsWith('wrong');
      return {
        method: spec.method,
        url: r.query ? `${path}?${r.query}` : path,
        cred: r.cred,
        contentType: r.payload === undefined && r.contentType === 'application/json' ? undefined : r.contentType,
        payload: r.payload,
        remoteAddress: `${wrong ? '203.0.113' : '198.51.100'}.${r.address}`,
      };
    });
}

// ---------------------------------------------------------------------------------------------------------------
// Checks

const STACK = /\n\s+at |\bat [\w.<>]+ \(|node_modules|\.[tj]s:\d+/;
const json = (res: LightMyRequestResponse): Record<string, unknown> | undefined => {
  try {
    const v: unknown = JSON.parse(res.body);
    return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
};

/** Audit entries a refused request adds: a failed login, or an authenticated change that was refused; nothing for reads. */
function expectedAuditGrowth(req: FuzzRequest, spec: RouteSpec, body: Record<string, unknown> | undefined): number {
  if (body?.error === 'login_locked') return 0;
  if ((body?.error === 'not_found' && body.message === 'no such route') || body?.field === 'url') return 0; // no route: no hook ran
  if (req.cred.startsWith('wrong')) return 1;
  if (req.cred === 'none') return 0;
  if (req.method === 'GET' || (req.method === 'POST' && spec.path === '/preview' && !req.url.slice(1).includes('/'))) return 0;
  return 1;
}

const counts: Record<string, { requests: number; status: Record<string, number> }> = {};

async function send(spec: RouteSpec, req: FuzzRequest): Promise<void> {
  const keysBefore = new Set(await redis.keys(`${prefix}:*`));
  const auditBefore = await redis.llen(auditKey(prefix));
  const headers: Record<string, string> = {};
  const auth = AUTH[req.cred];
  if (auth) headers.authorization = auth;
  if (req.contentType !== undefined) headers['content-type'] = req.contentType;
  const res = await app.inject({ method: req.method, url: req.url, headers, remoteAddress: req.remoteAddress, ...(req.payload !== undefined ? { payload: req.payload } : {}) });
  const label = `${spec.method} ${spec.path}`;
  const c = (counts[label] ??= { requests: 0, status: {} });
  c.requests += 1;
  c.status[res.statusCode] = (c.status[res.statusCode] ?? 0) + 1;
  const where = `${label}: ${req.method} ${req.url.slice(0, 300)} [${req.cred}, ${String(req.contentType)}] → ${res.statusCode} ${res.body.slice(0, 500)}`;

  if (res.statusCode >= 500) throw new Error(`5xx: ${where}`);
  // Bull Board's job answers carry the worker's recorded stack trace of a failed job: data it shows, not an API error.
  const jobData = !spec.ours && res.statusCode < 400;
  if (!jobData && STACK.test(res.body)) throw new Error(`stack trace in the body: ${where}`);
  for (const s of SECRETS) if (res.body.includes(s)) throw new Error(`secret in the body: ${where}`);
  if (res.statusCode < 400) return;

  const body = json(res);
  const oursAnswered = spec.ours || [401, 403, 415, 429].includes(res.statusCode) || body?.field !== undefined || body?.message === 'no such route';
  if (oursAnswered) {
    if (!body || typeof body.error !== 'string' || typeof body.message !== 'string') throw new Error(`not the usual error shape: ${where}`);
    if ([400, 413, 414, 415].includes(res.statusCode)) {
      if (typeof body.field !== 'string' || body.field === '' || !body.message.startsWith(`${body.field}: `)) throw new Error(`input error without its field: ${where}`);
    }
  } else if (!body) {
    throw new Error(`Bull Board answered a 4xx that is not JSON: ${where}`);
  }

  // Nothing new in Redis but the audit entry and a failed login's counters; nothing removed.
  const keysAfter = new Set(await redis.keys(`${prefix}:*`));
  // Keys that expire by themselves may go: the login counters and BullMQ's stalled-check marker (set by the seeding worker).
  const expiring = (k: string): boolean => k.startsWith(`${prefix}:login:`) || k.startsWith(rateLimitKeyPrefix(prefix)) || k.endsWith(':stalled-check');
  for (const k of keysBefore) if (!keysAfter.has(k) && !expiring(k)) throw new Error(`a refused request removed ${k}: ${where}`);
  for (const k of keysAfter) {
    if (keysBefore.has(k)) continue;
    const loginKey = k.startsWith(`${prefix}:login:`) && req.cred.startsWith('wrong');
    // Every request is counted against its credential (or address), refused or not.
    const rateKey = k.startsWith(rateLimitKeyPrefix(prefix));
    if (k !== auditKey(prefix) && !loginKey && !rateKey) throw new Error(`a refused request left ${k} in Redis: ${where}`);
  }
  const growth = (await redis.llen(auditKey(prefix))) - auditBefore;
  const expected = expectedAuditGrowth(req, spec, body);
  if (growth !== expected) throw new Error(`audit log grew by ${growth}, expected ${expected}: ${where}`);
}

/** Reports a failure by its cause only: the counterexample may hold a 100 KB string. */
function report(out: fc.RunDetails<[FuzzRequest]>): void {
  if (!out.failed) return;
  const cause = out.errorInstance instanceof Error ? out.errorInstance.message : String(out.errorInstance);
  throw new Error(`fuzz failure (seed ${out.seed}, path ${out.counterexamplePath ?? '?'}): ${cause.slice(0, 3000)}`);
}

describe('fuzzing every route', () => {
  it('never answers 5xx, a stack or a secret; names the field of every input error; a refusal writes only its audit entry', async () => {
    const specs = routeSpecs();
    // Every route of the table is in the document, so every one is fuzzed.
    const table = apiRoutes({ ops: createRedisOps({ redis, prefix, flows, queues }), audit: createAuditLog(redis, prefix), now: () => new Date() });
    expect(specs.filter((s) => s.ours).map((s) => `${s.method} ${s.path}`).sort()).toEqual(table.map((r) => `${r.method} ${r.url}`).sort());
    expect(specs.filter((s) => !s.ours && s.path.startsWith('/admin/queues/')).length).toBeGreaterThan(20);
    expect(specs.filter((s) => s.path.startsWith(API_DOCS_PATH)).length).toBeGreaterThan(2);
    for (const spec of specs) {
      const numRuns = Math.max(1, Math.round((spec.ours ? 60 : 20) * SCALE));
      await fc.assert(fc.asyncProperty(requestArb(spec), (req) => send(spec, req)), { numRuns, endOnFailure: true, reporter: report });
    }
    const total = Object.values(counts).reduce((n, c) => n + c.requests, 0);
    const lines = Object.entries(counts).map(([route, c]) => `${route.padEnd(72)} ${String(c.requests).padStart(4)}  ${JSON.stringify(c.status)}`);
    console.log(`fuzz: ${total} requests over ${specs.length} routes\n${lines.join('\n')}`);
  });
});
