import { silentLogger } from '@sync/logger';
import type { ReconciliationRecord } from '@sync/queue';
import type { FastifyInstance } from 'fastify';
import { buildApi } from './app';
import type { ApiOps } from './ops';
import type { ReconciliationOps } from './reconciliation-ops';

const env = { API_TOKEN: 'operator-token-0123', API_READONLY_TOKEN: 'readonly-token-0123', API_BASIC_USER: 'ops', API_BASIC_PASSWORD: 'pass-0123456789' };
const op = { authorization: `Bearer ${env.API_TOKEN}` };
const ro = { authorization: `Bearer ${env.API_READONLY_TOKEN}` };

const totals = (documents: number, qty: number) => ({ documents, bills: documents, lines: documents * 2, qty, amount: qty * 10 });
const run: ReconciliationRecord = {
  id: 'recon-20261128021500-abc', trigger: 'schedule', by: 'schedule', flows: ['sales-outbound', 'transfer'], from: '2026-11-27', to: '2026-11-27',
  createdAt: '2026-11-28T02:15:00.000Z', startedAt: '2026-11-28T02:15:01.000Z', finishedAt: '2026-11-28T02:16:00.000Z', state: 'done', balanced: false,
  progress: { flowsDone: 2, flowsTotal: 2 }, repairs: [],
  days: [
    {
      flow: 'sales-outbound', day: '2026-11-27', balanced: false,
      counts: { equal: 7, missing: 1, extra: 1, quantity: 0, status: 0, skipped: 1 },
      totals: { jst: totals(9, 30), kingdee: totals(9, 28) },
      documents: [
        { docId: '2080001', version: '17', kind: 'missing', bills: [{ formId: 'SAL_OUTSTOCK', billNo: 'JSTSO2080001' }], detail: 'not in Kingdee: SAL_OUTSTOCK JSTSO2080001', action: 'resync' },
        { docId: '2080009', status: 'Cancelled', kind: 'extra', bills: [{ formId: 'SAL_OUTSTOCK', billNo: 'JSTSO2080009', id: 7, status: 'C' }], detail: 'cancelled <script>alert(1)</script>', action: 'person' },
        { docId: '2080010', kind: 'skipped', bills: [], detail: 'nothing to ship', action: 'none' },
      ],
    },
    { flow: 'transfer', day: '2026-11-27', balanced: true, counts: { equal: 3, missing: 0, extra: 0, quantity: 0, status: 0, skipped: 0 }, totals: { jst: totals(3, 5), kingdee: totals(3, 5) }, documents: [] },
  ],
};

function fakeReconciliations(): ReconciliationOps {
  return {
    documentFlows: () => ['sales-outbound', 'transfer'],
    titles: () => ({ 'sales-outbound': '销售出库单', transfer: '直接调拨单' }),
    start: async () => run,
    get: async (id) => (id === run.id ? run : undefined),
    list: async () => [run],
    repair: async () => 'not-found',
    lastPerFlow: async () => ({}),
  };
}

let app: FastifyInstance;
beforeAll(async () => {
  const ops = { queueGauges: async () => [], flowNames: () => ['sales-outbound', 'transfer'], documentFlowNames: () => ['sales-outbound', 'transfer'] } as unknown as ApiOps;
  app = await buildApi({ env, ops, queues: [], logger: silentLogger(), reconciliations: fakeReconciliations(), now: () => new Date('2026-11-28T03:00:00Z') });
  await app.ready();
});
afterAll(async () => {
  await app.close();
});

const page = async (url: string, headers: Record<string, string> = op) => app.inject({ method: 'GET', url, headers });

describe('the reconciliation page', () => {
  it('lists each flow and day as a green or red cell linking to the day, in Chinese, with Beijing times', async () => {
    const res = await page('/reconcile');
    expect(res.statusCode).toBe(200);
    expect(res.headers['content-type']).toContain('text/html');
    expect(res.body).toContain('<td class="bad"><a href="/reconcile/recon-20261128021500-abc/sales-outbound/2026-11-27">差异 2</a><small>单据数 9 / 9</small></td>');
    expect(res.body).toContain('<td class="ok"><a href="/reconcile/recon-20261128021500-abc/transfer/2026-11-27">平</a>');
    expect(res.body).toContain('销售出库单');
    expect(res.body).toContain('2026-11-28 10:15:00'); // created at 02:15 UTC = 10:15 Beijing
    expect(res.body).toContain('id="start-form"');
  });

  it('shows a day: totals of both sides, each differing document with its links, the repair button', async () => {
    const res = await page('/reconcile/recon-20261128021500-abc/sales-outbound/2026-11-27');
    expect(res.statusCode).toBe(200);
    for (const word of ['单据数', '数量', '金额', '未同步', '多余', '未审核', '不平', '修复']) expect(res.body).toContain(word);
    expect(res.body).toContain('href="/documents/sales-outbound/2080001"');
    expect(res.body).toContain('href="/admin/queues/queue/flow-sales-outbound/sales-outbound-2080001-17"');
    expect(res.body).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(res.body).not.toContain('<script>alert');
    expect(res.body).toContain('data-run="recon-20261128021500-abc" data-flow="sales-outbound" data-day="2026-11-27"');
  });

  it('the read-only role views without the start form and the repair button', async () => {
    const list = await page('/reconcile', ro);
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('start-form');
    const day = await page('/reconcile/recon-20261128021500-abc/sales-outbound/2026-11-27', ro);
    expect(day.statusCode).toBe(200);
    expect(day.body).not.toContain('id="repair"');
    expect((await app.inject({ method: 'POST', url: `/reconciliations/${run.id}/repair`, headers: ro })).statusCode).toBe(403);
  });

  it('needs credentials, like the rest of the API', async () => {
    expect((await app.inject({ method: 'GET', url: '/reconcile' })).statusCode).toBe(401);
    expect((await app.inject({ method: 'GET', url: '/reconcile/assets/reconcile.js' })).statusCode).toBe(401);
  });

  it('has no inline script or style (a strict content security policy holds); its two files are served with their types', async () => {
    for (const url of ['/reconcile', '/reconcile/recon-20261128021500-abc/sales-outbound/2026-11-27']) {
      const { body } = await page(url);
      expect(body.match(/<script(?![^>]*\bsrc=)[^>]*>/g)).toBeNull();
      expect(body).not.toMatch(/<style|\sstyle=|\son[a-z]+=/i);
    }
    const js = await page('/reconcile/assets/reconcile.js');
    expect(js.headers['content-type']).toContain('text/javascript');
    expect(js.body).toContain("'/reconciliations/'");
    const css = await page('/reconcile/assets/reconcile.css');
    expect(css.headers['content-type']).toContain('text/css');
    expect((await page('/reconcile/assets/other.js')).statusCode).toBe(400);
  });

  it('POST /reconciliations refuses an impossible day with 400 naming the field (the fuzz test found a 500)', async () => {
    for (const from of ['2026-13-45', '2026-02-30', '0000-00-00']) {
      const res = await app.inject({ method: 'POST', url: '/reconciliations', headers: { ...op, 'content-type': 'application/json' }, payload: { from } });
      expect(res.statusCode).toBe(400);
      expect(res.json()).toEqual(expect.objectContaining({ field: 'from' }));
    }
  });

  it('404 for a day the run does not have, 400 naming a bad id', async () => {
    expect((await page('/reconcile/recon-20261128021500-abc/sales-outbound/2026-11-26')).statusCode).toBe(404);
    const bad = await page('/reconcile/nope/sales-outbound/2026-11-27');
    expect(bad.statusCode).toBe(400);
    expect(bad.json()).toEqual(expect.objectContaining({ field: 'id' }));
  });
});
