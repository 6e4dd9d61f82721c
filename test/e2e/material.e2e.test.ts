/**
 * End to end, material (Kingdee BD_MATERIAL → JST item/SKU upload): both simulators over real HTTP, real Redis,
 * the poller (reading Kingdee) and the worker (uploading to JST in batches). Asserts on what JST holds, on the
 * dead letter of the material JST refuses, on the batch sizes the JST simulator logged, and that an updated
 * material is uploaded again while a second poll enqueues nothing new.
 */
import type { PollResult } from '@sync/poller';
import type { DocumentQueue } from '@sync/queue';
import { ITEMS_KIND, ITEMSKU_UPLOADS_KIND, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { startSimulators, uniquePrefix, until } from '@sync/testing';
import { startSystem, type System } from '../support/system';
import { parseSyncConfig, type SyncConfig } from '@sync/flows';

const FLOW = 'material';

const plainMaterials = Array.from({ length: 110 }, (_, i) => {
  const n = String(i + 1).padStart(4, '0');
  return {
    number: `E2E-${n}`,
    name: `物料${n}`,
    specification: i % 3 === 0 ? `规格${n}` : '',
    baseUnit: i % 2 === 0 ? 'Pcs' : 'Box',
    batchManaged: i % 4 === 0,
    ...(i % 5 === 0 ? { shelfLifeDays: 365 } : {}),
  };
});

describe('material end to end (Kingdee → JST)', () => {
  const prefix = uniquePrefix('e2e-material');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let config: SyncConfig;
  let system: System;
  let pollOnce: () => Promise<PollResult>;
  let queue: DocumentQueue;

  beforeAll(async () => {
    const sims = await startSimulators();
    jstSim = sims.jst;
    kdSim = sims.kingdee;
    kdSim.addBaseData({
      materials: [
        ...plainMaterials,
        { number: 'E2E-TEE', name: '两色T恤', specification: '纯棉', baseUnit: 'Pcs' },
        { number: 'E2E-FORBID', name: '已禁用', forbidden: true },
        { number: 'E2E-DRAFT', name: '未审核', documentStatus: 'A' },
        { number: 'COMBO-01', name: '与组合装同码的物料' },
      ],
    });
    // JST already has COMBO-01 as a combination SKU: with is_normal the upload must refuse to modify it.
    jstSim.insert(ITEMS_KIND, [{ sku_id: 'COMBO-01', i_id: 'COMBO', name: '组合装', is_combine: true }]);

    config = parseSyncConfig(
      `
flows:
  material: { pageSize: 25, batchSize: 50, batchWaitMs: 300, schedule: { everyMs: 600000 } }
mappings:
  skus:
    map:
      E2E-TEE-RED: { material: E2E-TEE, auxProps: { FAUXPROPID__FF100001: RED } }
      E2E-TEE-BLUE: { material: E2E-TEE, auxProps: { FAUXPROPID__FF100001: BLUE } }
  defaults:
    units: { 个: Pcs }
`,
      'material-e2e',
    );
    // The worker runs (only the material flow); the test polls itself.
    system = await startSystem({ prefix, simulators: sims, config, services: ['worker'], env: { WORKER_FLOWS: FLOW } });
    pollOnce = () => system.pollOnce(FLOW);
    queue = system.queue(FLOW);
  }, 60000);

  afterAll(async () => {
    await system?.stop();
  });

  const idle = () => system.idle(FLOW);
  /** Numbers of the Kingdee materials that are audited and not forbidden (demo seed included). */
  const readyMaterials = () =>
    (kdSim.baseData().material ?? []).filter((m) => m.documentStatus === 'C' && m.forbidStatus === 'A').map((m) => m.number);
  const jstItem = (sku: string) => jstSim.store.get(ITEMS_KIND, sku);

  it('uploads exactly the audited, enabled materials, in batches of at most 50; JST refusals are dead letters', async () => {
    const first = await pollOnce();
    expect('counts' in first && first.counts.enqueued).toBe(readyMaterials().length);
    await until('the material queue to drain', idle, 60000, 100);

    const expected = new Set(readyMaterials().flatMap((n) => (n === 'E2E-TEE' ? ['E2E-TEE-BLUE', 'E2E-TEE-RED'] : [n])));
    const held = new Set(jstSim.store.list(ITEMS_KIND).map((d) => String(d.sku_id)));
    expect([...held].sort()).toEqual([...expected].sort());
    expect(held.has('E2E-FORBID')).toBe(false);
    expect(held.has('E2E-DRAFT')).toBe(false);

    expect(jstItem('E2E-0001')).toMatchObject({ i_id: 'E2E-0001', name: '物料0001', properties_value: '规格0001', unit: '个', enabled: 1, batch_enabled: true, shelf_life: 365 });
    expect(jstItem('E2E-0002')).toMatchObject({ name: '物料0002', unit: '盒', batch_enabled: false });
    expect(jstItem('E2E-0002')?.shelf_life).toBeUndefined();
    expect(jstItem('E2E-TEE-RED')).toMatchObject({ i_id: 'E2E-TEE', name: '两色T恤', properties_value: 'RED' });
    expect(jstItem('COMBO-01')).toMatchObject({ name: '组合装', is_combine: true });

    const failed = await queue.getFailed();
    expect(failed.map((j) => j.data.docId)).toEqual(['COMBO-01']);
    expect(failed[0].failedReason).toContain('JST_REJECTED');
    expect(failed[0].failedReason).toContain('sku_id=COMBO-01');
    expect(failed[0].failedReason).toContain('组合装');

    const calls = jstSim.store.list(ITEMSKU_UPLOADS_KIND).map((c) => Number(c.item_count));
    expect(calls.every((n) => n >= 1 && n <= 50)).toBe(true);
    expect(calls.reduce((a, b) => a + b, 0)).toBe(expected.size); // every SKU once, COMBO-01 included (refused)
    expect(Math.max(...calls)).toBeGreaterThan(1);

    const entry = await system.ledger.get(FLOW, 'E2E-0001');
    expect(entry).toMatchObject({ docId: 'E2E-0001', status: 'saved', formId: 'JST:itemsku' });
  }, 90000);

  it('uploads an updated material again; a second poll enqueues nothing new', async () => {
    const before = jstSim.store.list(ITEMSKU_UPLOADS_KIND).length;
    const ledger = system.ledger;
    const oldVersion = (await ledger.get(FLOW, 'E2E-0002'))!.version;
    await new Promise((r) => setTimeout(r, 20)); // a later FModifyDate than the first scan's (ms resolution)
    kdSim.addBaseData({ materials: [{ ...plainMaterials[1], name: '物料0002 新名称' }] });

    const second = await pollOnce();
    expect('counts' in second && second.counts.enqueued).toBe(1);
    await until('the update to be uploaded', async () => (await idle()) && jstItem('E2E-0002')?.name === '物料0002 新名称', 30000, 100);
    expect(jstSim.store.list(ITEMSKU_UPLOADS_KIND).slice(before).map((c) => c.sku_ids)).toEqual([['E2E-0002']]);
    expect((await ledger.get(FLOW, 'E2E-0002'))!.version).not.toBe(oldVersion);

    const third = await pollOnce();
    expect('counts' in third && third.counts.enqueued).toBe(0);
    expect('counts' in third && third.counts.duplicates).toBeGreaterThanOrEqual(1); // the cursor instant is re-read
    await until('the queue to stay idle', idle, 10000, 100);
    expect(jstSim.store.list(ITEMSKU_UPLOADS_KIND).length).toBe(before + 1);
  }, 60000);
});
