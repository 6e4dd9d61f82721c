/**
 * End to end, the operator's loop: a sales outbound document fails for an unmapped warehouse; the alert receiver
 * gets one message; the operator adds the mapping (the worker restarts with the new config) and retries the
 * reason class through the API; Kingdee then holds the document once; the audit log shows the retry.
 * Both simulators over real HTTP, real Redis, the real poller, worker, API and alert monitor.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { auditKeyspace } from '@sync/queue';
import type { JstSimulator, KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { expectPermanent } from '../support/expect-permanent';
import { demoConfig, enqueuedBy, startSystem, type System } from '../support/system';
import type { SyncConfig } from '@sync/flows';

const FLOW = 'sales-outbound';
const UNMAPPED_WH = 10969099;

describe('operations end to end: alert, fix the mapping, retry the class, audit', () => {
  const prefix = uniquePrefix('e2e-ops');
  const operator = { authorization: 'Bearer e2e-operator-token-1', 'content-type': 'application/json' };
  const readonly = { authorization: 'Bearer e2e-readonly-token-1', 'content-type': 'application/json' };
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let receiver: Server;
  const messages: unknown[] = [];
  let system: System;
  let config: SyncConfig;
  let badId = 0;

  beforeAll(async () => {
    receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (c: Buffer) => (body += c.toString('utf8')));
      req.on('end', () => {
        messages.push(JSON.parse(body));
        res.writeHead(200, { 'content-type': 'application/json' }).end('{"errcode":0,"errmsg":"ok"}');
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    const sims = await startSimulators();
    jstSim = sims.jst;
    kdSim = sims.kingdee;
    const { ids } = jstSim.seed({ count: 6, seed: 77, unmappedRate: 0, batchRate: 0 });
    // One more document, like a seeded one but shipped from a warehouse the mapping does not know.
    const template = jstSim.store.list('orders-out', {}).find((d) => d.io_id === ids[0])! as Record<string, unknown>;
    badId = Math.max(...ids) + 1000;
    jstSim.insert('orders-out', [{ ...template, io_id: badId, status: 'Confirmed', wms_co_id: UNMAPPED_WH }]);

    const file = demoConfig();
    const so = file.flows[FLOW]!;
    config = { ...file, flows: { [FLOW]: { ...so, schedule: { ...so.schedule, everyMs: 1000 } } } };
    system = await startSystem({
      prefix, simulators: sims, config,
      env: { API_TOKEN: 'e2e-operator-token-1', API_READONLY_TOKEN: 'e2e-readonly-token-1', WORKER_CONCURRENCY: '2' },
      alerts: {
        intervalMs: 300,
        channels: [{ kind: 'dingtalk', url: `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/robot/send?access_token=x` }],
        rules: { stallMs: 10 * 60_000, authFailures: 3 },
      },
    });
  }, 60000);

  afterAll(async () => {
    await system?.stop();
    await new Promise<void>((resolve) => receiver?.close(() => resolve()));
  });

  const billNo = () => `${config.flows[FLOW]!.billNoPrefix}${badId}`;
  const copiesInKingdee = () => kdSim.documents('SAL_OUTSTOCK').filter((d) => d.billNo === billNo()).length;
  const api = async (method: string, url: string, headers: Record<string, string>, body?: unknown) => {
    const res = await fetch(`${system.apiUrl}${url}`, { method, headers, ...(body !== undefined ? { body: JSON.stringify(body) } : {}) });
    return { status: res.status, json: (await res.json()) as Record<string, any> };
  };

  it('goes from a dead letter and one alert to the document written once, with the retry audited', async () => {
    let dead: { docId: string; code: string; message: string; jobId: string }[] = [];
    await until('the unmapped document to be dead-lettered and the others written', async () => {
      dead = (await api('GET', `/dead-letters?flow=${FLOW}&code=UNMAPPED_BASE_DATA`, readonly)).json.deadLetters;
      const good = jstSim.store.list('orders-out', { status: 'Confirmed' }).length - 1;
      return dead.some((d) => d.docId === String(badId)) && kdSim.documents('SAL_OUTSTOCK').length >= good;
    }, 60000);
    expect(dead.map((d) => d.docId)).toEqual([String(badId)]);
    expectPermanent(dead, String(badId), { code: 'UNMAPPED_BASE_DATA', mentions: [String(UNMAPPED_WH)] });
    expect(copiesInKingdee()).toBe(0);

    await until('the alert', async () => messages.length > 0, 10000);
    // Three more checks, made here with the loop stopped so that none is skipped: still one message.
    const alerts = system.alerts!;
    await alerts.stop();
    for (let i = 0; i < 3; i++) expect(await alerts.tick()).toEqual([]);
    alerts.start();
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatchObject({ msgtype: 'text', text: { content: expect.stringContaining('1 × UNMAPPED_BASE_DATA') } });

    // The read-only credential may look but not retry.
    expect((await api('POST', '/dead-letters/retry', readonly, { flow: FLOW, code: 'UNMAPPED_BASE_DATA' })).status).toBe(403);

    // The operator maps the warehouse and restarts the worker with the new config …
    const wh = config.mappings.warehouses;
    const fixed: SyncConfig = { ...config, mappings: { ...config.mappings, warehouses: { ...wh, [String(UNMAPPED_WH)]: wh['10969016']! } } };
    await system.restartWorker(fixed);
    // … and retries the whole reason class.
    const retry = await api('POST', '/dead-letters/retry', operator, { flow: FLOW, code: 'UNMAPPED_BASE_DATA' });
    expect(retry.status).toBe(200);
    expect(retry.json.retried).toBe(1);

    await until('the document in Kingdee', async () => copiesInKingdee() === 1, 30000);
    // Polls keep running: one more adds no job, so nothing can write the bill again.
    expect(await enqueuedBy(() => system.pollOnce(FLOW))).toBe(0);
    expect(copiesInKingdee()).toBe(1);
    expect((await api('GET', `/dead-letters?flow=${FLOW}`, readonly)).json.deadLetters).toEqual([]);
    const lineage = (await api('GET', `/documents/${FLOW}/${badId}`, readonly)).json;
    expect(lineage.entries[0].entry).toMatchObject({ billNo: billNo(), docId: String(badId) });

    const audit = (await api('GET', '/audit', readonly)).json.entries as { action: string; principal: string; statusCode: number; details?: Record<string, unknown> }[];
    const retried = audit.find((e) => e.action === 'retry-all' && e.statusCode === 200);
    expect(retried).toMatchObject({ principal: 'token', details: { filter: { flow: FLOW, code: 'UNMAPPED_BASE_DATA' }, retried: 1 } });
    expect(audit.some((e) => e.principal === 'readonly-token' && e.statusCode === 403)).toBe(true);
    expect(messages).toHaveLength(1);
  }, 120000);

  it('writes every Redis key through the keyspace module (a key built by hand fails here)', async () => {
    // A few more operator actions, so their keys are there too: pause and resume, a resync and its cancel, a poll.
    expect((await api('POST', `/flows/${FLOW}/pause`, operator, {})).status).toBe(200);
    expect((await api('POST', `/flows/${FLOW}/resume`, operator, {})).status).toBe(200);
    const resync = await api('POST', '/resync', operator, { flow: FLOW, docIds: [String(badId)] });
    expect(resync.status).toBe(202);
    await api('DELETE', `/resync/${resync.json.id as string}`, operator);
    expect((await api('POST', `/flows/${FLOW}/poll`, operator, {})).status).toBe(202);
    expect((await fetch(`${system.apiUrl}/metrics`, { headers: readonly })).status).toBe(200);

    const { named, stray } = await auditKeyspace(system.redis, prefix);
    // The run wrote the poller's, the worker's and the API's keys ...
    for (const name of ['queue', 'cursor', 'pollStatus', 'ledger', 'ledgerBills', 'sentBills', 'metricsDocs', 'metricsWrittenOnDay', 'alertsState', 'audit'] as const) {
      expect([name, named.has(name)]).toEqual([name, true]);
    }
    // ... and none that the keyspace does not know.
    expect(stray).toEqual([]);
  }, 60000);
});
