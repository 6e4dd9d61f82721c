import { silentLogger } from '@sync/logger';
import { buildReport, type PreflightReport } from '@sync/preflight';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './app';
import type { ApiOps } from './ops';
import type { PreflightRunner } from './preflight-route';

const env = { API_TOKEN: 'operator-0123456789', API_READONLY_TOKEN: 'readonly-0123456789' };
const operator = { authorization: `Bearer ${env.API_TOKEN}` };
const readonly = { authorization: `Bearer ${env.API_READONLY_TOKEN}` };
const ops = { health: async () => ({ redis: true }), flowNames: () => [] } as unknown as ApiOps;

const report: PreflightReport = buildReport(
  [{ severity: 'error', check: 'kingdee.base-data', path: 'mappings.warehouses."1".stock', message: 'stock 仓库 CK9 does not exist in Kingdee', action: 'create it' }],
  '2026-12-04T20:00:00.000Z',
  7,
);

describe('GET /preflight', () => {
  const apps: FastifyInstance[] = [];
  afterAll(async () => {
    for (const app of apps) await app.close();
  });
  async function app(preflight?: PreflightRunner): Promise<FastifyInstance> {
    const a = await buildApi({ env, ops, queues: [], logger: silentLogger(), preflight });
    apps.push(a);
    return a;
  }

  it('answers the report to the operator, passing the days on (default 7)', async () => {
    const calls: number[] = [];
    const a = await app(async ({ days }) => (calls.push(days), { ...report, days }));
    const res = await a.inject({ method: 'GET', url: '/preflight', headers: operator });
    expect(res.statusCode).toBe(200);
    expect(res.json()).toEqual(report);
    await a.inject({ method: 'GET', url: '/preflight?days=0', headers: operator });
    expect(calls).toEqual([7, 0]);
  });

  it('refuses the read-only role (403) and no credential (401), without running the doctor', async () => {
    let runs = 0;
    const a = await app(async () => (runs++, report));
    expect((await a.inject({ method: 'GET', url: '/preflight', headers: readonly })).statusCode).toBe(403);
    expect((await a.inject({ method: 'GET', url: '/preflight' })).statusCode).toBe(401);
    expect(runs).toBe(0);
  });

  it.each([['days=-1'], ['days=7.5'], ['days=32'], ['days=abc'], ['days=1&days=2'], ['flow=x']])('answers 400 with the field for %s', async (q) => {
    const a = await app(async () => report);
    const res = await a.inject({ method: 'GET', url: `/preflight?${q}`, headers: operator });
    expect(res.statusCode).toBe(400);
    expect(res.json()).toMatchObject({ error: 'bad_request', field: expect.any(String), message: expect.any(String) });
  });

  it('answers 503 when this API has no doctor', async () => {
    const res = await (await app()).inject({ method: 'GET', url: '/preflight', headers: operator });
    expect(res.statusCode).toBe(503);
    expect(res.json()).toMatchObject({ error: 'preflight_unavailable' });
  });

  it('shares one run between concurrent requests for the same days', async () => {
    let runs = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const a = await app(async () => {
      runs++;
      await gate;
      return report;
    });
    const both = Promise.all([1, 2].map(() => a.inject({ method: 'GET', url: '/preflight', headers: operator })));
    // Let both requests reach the handler while the first run waits at the gate.
    for (let i = 0; i < 20; i++) await new Promise((r) => setImmediate(r));
    release();
    const answers = await both;
    expect(answers.map((r) => r.statusCode)).toEqual([200, 200]);
    expect(runs).toBe(1);
  });
});
