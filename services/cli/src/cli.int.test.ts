import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { parseCommand, UsageError } from './commands';
import { runCli } from './run-cli';
import { render } from './format';

describe('parseCommand', () => {
  it.each([
    [['flows'], { method: 'GET', path: '/flows' }],
    [['pause', 'sales-outbound'], { method: 'POST', path: '/flows/sales-outbound/pause' }],
    [['resync', '--flow', 'sales-outbound', '--from', '2026-11-27 00:00:00', '--to', '2026-11-28 00:00:00'],
      { method: 'POST', path: '/resync', body: { flow: 'sales-outbound', from: '2026-11-27 00:00:00', to: '2026-11-28 00:00:00' } }],
    [['resync', '--flow=sales-outbound', '--ids', '1, 2,3'], { method: 'POST', path: '/resync', body: { flow: 'sales-outbound', docIds: ['1', '2', '3'] } }],
    [['resync', '--flow', 'sales-outbound', '--from', '2026-11-01 00:00:00', '--to', '2026-11-02 00:00:00', '--ignore-cutover'],
      { method: 'POST', path: '/resync', body: { flow: 'sales-outbound', from: '2026-11-01 00:00:00', to: '2026-11-02 00:00:00', ignoreCutover: true } }],
    [['dead-letters', '--flow', 'sales-outbound', '--code', 'UNMAPPED_BASE_DATA'], { method: 'GET', path: '/dead-letters?flow=sales-outbound&code=UNMAPPED_BASE_DATA' }],
    [['retry', 'sales-outbound', 'job/1'], { method: 'POST', path: '/dead-letters/sales-outbound/job%2F1/retry' }],
    [['retry', '--flow', 'sales-outbound', '--code', 'KINGDEE_REJECTED'], { method: 'POST', path: '/dead-letters/retry', body: { flow: 'sales-outbound', code: 'KINGDEE_REJECTED' } }],
    [['discard', 'f', 'j', '--note', 'booked by hand'], { method: 'POST', path: '/dead-letters/f/j/discard', body: { note: 'booked by hand' } }],
    [['ledger-prune', '--older-than-days', '180'], { method: 'POST', path: '/ledger/prune', body: { olderThanDays: 180 } }],
    [['ledger-prune', '--dry-run', '--older-than-days=90', '--flow', 'transfer'],
      { method: 'POST', path: '/ledger/prune', body: { olderThanDays: 90, flow: 'transfer', dryRun: true } }],
    [['doctor'], { method: 'GET', path: '/preflight', view: 'doctor' }],
    [['doctor', '--days', '3', '--json'], { method: 'GET', path: '/preflight?days=3', view: 'doctor-json' }],
    [['reconcile', '--from', '2026-11-27'], { method: 'POST', path: '/reconciliations', body: { from: '2026-11-27' } }],
    [['reconcile', '--flow', 'transfer', '--from', '2026-11-01', '--to', '2026-11-07'],
      { method: 'POST', path: '/reconciliations', body: { from: '2026-11-01', to: '2026-11-07', flow: 'transfer' } }],
    [['reconcile', 'list', '--limit', '5'], { method: 'GET', path: '/reconciliations?limit=5', view: 'reconciliations' }],
    [['reconcile', 'show', 'recon-1'], { method: 'GET', path: '/reconciliations/recon-1', view: 'reconciliation' }],
    [['reconcile', 'repair', 'recon-1'], { method: 'POST', path: '/reconciliations/recon-1/repair' }],
  ])('%j', (argv, expected) => {
    expect(parseCommand(argv)).toMatchObject(expected);
  });

  it.each([
    [['nope']], [['resync', '--flow', 'x']], [['retry']], [['discard', 'f', 'j']], [['dead-letters', '--flow']],
    [['ledger-prune']], [['ledger-prune', '--older-than-days', '0']], [['ledger-prune', '--older-than-days', '7.5']],
    [['ledger-prune', '--older-than-days', 'ninety']], [['ledger-prune', '--older-than-days', '90', '--dry-run=yes']],
    [['doctor', '--days', 'week']], [['doctor', '--days', '-1']], [['doctor', '--json=no']],
    [['reconcile']], [['reconcile', 'show']], [['reconcile', 'fix', 'x']],
  ])('refuses %j', (argv) => {
    expect(() => parseCommand(argv)).toThrow(UsageError);
  });
});

describe('runCli over HTTP', () => {
  let server: Server;
  let url = '';
  const seen: { method: string; url: string; auth: string | undefined; body: string }[] = [];
  beforeAll(async () => {
    server = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        seen.push({ method: req.method ?? '', url: req.url ?? '', auth: req.headers.authorization, body });
        if (req.url === '/flows') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
            flows: [{ name: 'sales-outbound', enabled: true, paused: true, lastPollAt: null, lagSeconds: null, writtenToday: 7, counts: { waiting: 1, failed: 2 }, lastError: null, beforeCutover: 31 }],
          }));
        } else if (req.url === '/preflight?days=1') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
            ok: true, checkedAt: '2026-12-04T20:00:00.000Z', days: 1, summary: { errors: 0, warnings: 0, infos: 0 }, findings: [],
          }));
        } else if (req.url === '/preflight?days=2') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ flows: [] }));
        } else if (req.url === '/ledger/prune') {
          res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
            flows: { 'sales-outbound': { scanned: 1200, removed: 700 } }, before: '2026-08-30T05:00:00.000Z', dryRun: true,
          }));
        } else res.writeHead(403, { 'content-type': 'application/json' }).end('{"error":"forbidden","message":"the read-only credential cannot change anything"}');
      });
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  const run = async (argv: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env: { API_URL: url, API_TOKEN: 'tok-123456789' }, fetch, out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('prints the flow table with the bearer token sent', async () => {
    const r = await run(['flows']);
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/sales-outbound\s+paused\s+-\s+-\s+7\s+1\s+0\s+2\s+31$/m);
    expect(r.out).toMatch(/FAILED\s+PRE-CUTOVER\s+LAST ERROR/);
    expect(seen.at(-1)).toMatchObject({ method: 'GET', url: '/flows', auth: 'Bearer tok-123456789' });
  });

  it('reports an API refusal with exit code 1 and the message', async () => {
    const r = await run(['retry', '--flow', 'sales-outbound', '--code', 'UNMAPPED_BASE_DATA']);
    expect(r.code).toBe(1);
    expect(r.err).toBe('HTTP 403: the read-only credential cannot change anything');
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ flow: 'sales-outbound', code: 'UNMAPPED_BASE_DATA' });
  });

  it('prunes the ledger: sends the age, flow and dry-run flag, prints the counts', async () => {
    const r = await run(['ledger-prune', '--older-than-days', '90', '--flow', 'sales-outbound', '--dry-run']);
    expect(r.code).toBe(0);
    expect(seen.at(-1)).toMatchObject({ method: 'POST', url: '/ledger/prune' });
    expect(JSON.parse(seen.at(-1)!.body)).toEqual({ olderThanDays: 90, flow: 'sales-outbound', dryRun: true });
    expect(JSON.parse(r.out)).toEqual({ flows: { 'sales-outbound': { scanned: 1200, removed: 700 } }, before: '2026-08-30T05:00:00.000Z', dryRun: true });
  });

  it('doctor: exits 0 on a clean report and prints its summary', async () => {
    const r = await run(['doctor', '--days', '1']);
    expect(r.code).toBe(0);
    expect(r.out).toBe('0 errors, 0 warnings, 0 info, JST documents of the last day read: ready');
  });

  it('doctor: refuses an answer that is not a doctor report (exit 1)', async () => {
    const r = await run(['doctor', '--days', '2']);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/not a doctor report/);
  });

  it('exits 2 on a usage error without calling the API', async () => {
    const before = seen.length;
    expect((await run(['bogus'])).code).toBe(2);
    expect(seen.length).toBe(before);
  });
});

describe('render of reconciliations', () => {
  const day = {
    flow: 'sales-outbound', day: '2026-11-27', balanced: false, counts: { equal: 8, missing: 1, extra: 0, quantity: 1, status: 0, skipped: 2 },
    totals: { jst: { documents: 10, qty: 30 }, kingdee: { documents: 9, qty: 27 } },
    documents: [{ docId: '2080001', kind: 'missing', detail: 'not in Kingdee: SAL_OUTSTOCK JSTSO2080001' }],
  };
  it('lists runs with their differences and shows a run day by day with its documents', () => {
    const list = render('reconciliations', { reconciliations: [{ id: 'recon-1', state: 'done', from: '2026-11-27', to: '2026-11-27', balanced: false, createdAt: '2026-11-28T02:15:00Z', days: [day] }] });
    expect(list).toMatch(/recon-1\s+done\s+2026-11-27\s+NO\s+2026-11-28T02:15:00Z\s+2/);
    const shown = render('reconciliation', { id: 'recon-1', state: 'done', from: '2026-11-27', to: '2026-11-27', createdAt: 'x', days: [day] });
    expect(shown).toMatch(/sales-outbound\s+2026-11-27\s+NO\s+10\/9\s+30\/27\s+1\s+0\s+1\s+0\s+2/);
    expect(shown).toContain('missing  2080001  not in Kingdee: SAL_OUTSTOCK JSTSO2080001');
  });
});
