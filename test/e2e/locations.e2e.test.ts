/**
 * End to end, stock locations (仓位) missing from the config: both simulators over real HTTP, real Redis, the
 * poller, worker and API services. CK002 keeps stock by location and the config forgets its default; CK001 keeps
 * stock by location in Kingdee only (the worker reads its dimensions at start) and the config has no default
 * either. Their documents wait in the dead letters as UNMAPPED_BASE_DATA naming the flow, the JST number, the
 * stock and the key to add; after the operator adds the defaults and restarts the worker, a retry of the class
 * writes each of them once, with its location.
 */
import { demoStockLocations, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { expectPermanent } from '../support/expect-permanent';
import { demoConfig, startSystem, type System } from '../support/system';
import { checkLocations } from '../support/locations';
import type { SyncConfig } from '@sync/flows';

const FLOW = 'sales-outbound';
const CK001 = { flexNumbers: ['FF100001', 'FF100002'] };

interface JstOut { io_id: number; status: string; wms_co_id: number }

describe('stock locations missing from the config, end to end', () => {
  const prefix = uniquePrefix('e2e-loc');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: System;
  let fixed: SyncConfig;

  beforeAll(async () => {
    const sims = await startSimulators({ jst: { rateLimit: { perSecond: 0, perMinute: 0 } } });
    jstSim = sims.jst;
    kdSim = sims.kingdee;
    kdSim.addBaseData({ stocks: [{ number: 'CK001', name: '杭州主仓', flexNumbers: CK001.flexNumbers, bins: ['A.01', 'A.02'] }] });
    jstSim.seed({ count: 80, seed: 4242, unmappedRate: 0, batchRate: 0.3 });
    const file = demoConfig();
    const so = file.flows[FLOW]!;
    fixed = {
      ...file,
      flows: { [FLOW]: { ...so, schedule: { ...so.schedule, everyMs: 1000 } } },
      mappings: { ...file.mappings, stocks: { ...file.mappings.stocks, CK001: { defaultLocation: 'A.02' } } },
    };
    // As deployed before the fix: CK002's dimensions without a default, nothing at all about CK001.
    const broken: SyncConfig = { ...fixed, mappings: { ...fixed.mappings, stocks: { ...fixed.mappings.stocks, CK002: { locationFlex: ['FF100001', 'FF100002'] }, CK001: {} } } };
    pipeline = await startSystem({ prefix, simulators: sims, config: broken });
  }, 60000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const shipped = () => jstSim.store.list('orders-out', { status: 'Confirmed' }) as unknown as JstOut[];
  const stockOf = (d: JstOut) => (d.wms_co_id === 10969017 ? 'CK002' : 'CK001');
  const billNo = (d: JstOut) => `${fixed.flows[FLOW]!.billNoPrefix}${d.io_id}`;

  it('dead-letters every document of a stock without a location, naming flow, document, stock and key; retried after the fix, each is written once with its location', async () => {
    await until('every shipped document to be dead-lettered', async () => {
      const dead = new Set((await pipeline.deadLetters(FLOW)).map((d) => d.docId));
      return shipped().length > 20 && shipped().every((d) => dead.has(String(d.io_id))) && (await pipeline.idle(FLOW));
    }, 90000);
    expect(kdSim.documents('SAL_OUTSTOCK')).toHaveLength(0);
    const dead = await pipeline.deadLetters(FLOW);
    const byStock = new Set(shipped().map(stockOf));
    expect(byStock).toEqual(new Set(['CK001', 'CK002']));
    for (const d of shipped()) {
      const stock = stockOf(d);
      expectPermanent(dead, String(d.io_id), {
        code: 'UNMAPPED_BASE_DATA',
        mentions: [`${FLOW} 出库单 io_id=${d.io_id}: `, `Kingdee stock ${stock} is location-managed (启用仓位)`, `add mappings.stocks."${stock}".defaultLocation`],
      });
    }

    // The operator adds the default locations, restarts the worker and retries the class.
    await pipeline.restartWorker(fixed);
    const res = await fetch(`${pipeline.apiUrl}/dead-letters/retry`, {
      method: 'POST', headers: { ...pipeline.authed, 'content-type': 'application/json' }, body: JSON.stringify({ flow: FLOW, code: 'UNMAPPED_BASE_DATA' }),
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { retried: number }).retried).toBe(dead.length);

    await until('every shipped document to be written', async () => {
      const done = new Set(kdSim.documents('SAL_OUTSTOCK').map((b) => b.billNo));
      return shipped().every((d) => done.has(billNo(d))) && (await pipeline.idle(FLOW));
    }, 90000);
    const bills = kdSim.documents('SAL_OUTSTOCK');
    expect(bills).toHaveLength(shipped().length);
    expect(new Set(bills.map((b) => b.billNo)).size).toBe(bills.length);
    for (const b of bills) expect(b.status).toBe('C');
    const counts = checkLocations(kdSim, 'SAL_OUTSTOCK', fixed, { ...demoStockLocations, CK001 });
    expect(counts.located).toBe(bills.reduce((n, b) => n + (b.model.FEntity as unknown[]).length, 0));
    expect(await pipeline.deadLetters(FLOW)).toEqual([]);
  }, 200000);
});
