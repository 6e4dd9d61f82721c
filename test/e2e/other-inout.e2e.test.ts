/**
 * End to end, other in/out (其它出入库 → 其他入库单 STK_MISCELLANEOUS and 其他出库单 STK_MisDelivery): both simulators
 * over real HTTP, real Redis, and the poller, worker and API services, with the two flows that read the same JST
 * endpoint by modified-time windows. Documents become effective while the poller pages; some use an unmapped SKU.
 * Asserts on what Kingdee holds (one bill per effective document, lines, positive quantities, lots, dates, stocks),
 * the dead letters, and that a second poll writes nothing new.
 */
import { formatBeijing, startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { uniquePrefix } from '@sync/testing';
import { checkLocations } from './locations';
import { day, demoConfig, fast, startE2EPipeline, enqueuedBy, until, type E2EPipeline } from './harness';
import type { SyncConfig } from '@sync/flows';

const KIND = 'other-inout';
const SEEDED = 90;
const FLOWS = ['other-inbound', 'other-outbound'] as const;
type Flow = (typeof FLOWS)[number];
const FORM: Record<Flow, string> = { 'other-inbound': 'STK_MISCELLANEOUS', 'other-outbound': 'STK_MisDelivery' };

interface JstLine { ioi_id: number; sku_id: string; qty: number; supplier_id: number | null }
interface JstBatch { ioi_id: number; sku_id: string; batch_no: string; qty: number; product_date: string; expiration_date: string }
interface JstDoc { io_id: number; status: string; type: string; wms_co_id: number; wh_id: number; items: JstLine[]; batchs: JstBatch[] }
type Ref = { FNumber?: string } | null | undefined;
type KdEntry = Record<string, unknown>;

const num = (v: unknown): string | undefined => (v as Ref)?.FNumber;
const flowOf = (d: JstDoc): Flow => (d.type === '其它出库' ? 'other-outbound' : 'other-inbound');
/** Entry field names differ in case between the two forms (as in the reference's examples). */
const KEYS: Record<Flow, { material: string; stock: string; lot: string; produced: string; expires: string }> = {
  'other-inbound': { material: 'FMATERIALID', stock: 'FSTOCKID', lot: 'FLOT', produced: 'FPRODUCEDATE', expires: 'FEXPIRYDATE' },
  'other-outbound': { material: 'FMaterialId', stock: 'FStockId', lot: 'FLot', produced: 'FProduceDate', expires: 'FExpiryDate' },
};

describe('other in/out end to end', () => {
  const prefix = uniquePrefix('e2e-oio');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: E2EPipeline;
  let config: SyncConfig;
  let confirmedWhilePaging = 0;

  beforeAll(async () => {
    jstSim = await startJstSimulator({});
    kdSim = await startKingdeeSimulator({});
    const t = jstSim.now();
    jstSim.seedKind(KIND, {
      count: SEEDED, seed: 3031, unmappedRate: 0.06, batchRate: 0.5, subWarehouseRate: 0.2,
      modifiedFrom: formatBeijing(t - 20 * 3600 * 1000), modifiedTo: formatBeijing(t - 5 * 60 * 1000),
    });
    const fileConfig = demoConfig();
    // Only the two flows under test: the others would poll endpoints this test does not seed.
    config = { ...fileConfig, flows: { 'other-inbound': fast(fileConfig.flows['other-inbound']!), 'other-outbound': fast(fileConfig.flows['other-outbound']!) } };
    pipeline = await startE2EPipeline({
      prefix, jstSim, kdSim, config,
      // Waiting documents take effect between the pages of the first scans.
      afterPage: () => {
        if (confirmedWhilePaging >= 8) return;
        for (const id of jstSim.store.ids(KIND, { status: 'WaitConfirm' }).slice(0, 2)) {
          jstSim.mutate(KIND, id, { status: 'Confirmed', patch: { io_date: formatBeijing(jstSim.now()) } });
          confirmedWhilePaging += 1;
        }
      },
    });
  }, 60000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const allDocs = () => jstSim.store.list(KIND, {}) as unknown as JstDoc[];
  const effective = () => allDocs().filter((d) => d.status === 'Confirmed');
  const isUnmapped = (d: JstDoc) => d.items.some((i) => i.sku_id === 'Z9999-NEW');
  const billNo = (d: JstDoc) => `${config.flows[flowOf(d)]!.billNoPrefix}${d.io_id}`;
  const deadLetters = (flow: Flow) => pipeline.deadLetters(flow);
  const idle = async () => (await pipeline.idle('other-inbound')) && (await pipeline.idle('other-outbound'));
  const pollOnce = (flow: string) => pipeline.pollOnce(flow);

  it('writes every effective document once to its form, with positive quantities, lots, dates and stocks', async () => {
    await until('every effective document to be written or dead-lettered', async () => {
      if (confirmedWhilePaging < 8) return false;
      const done = new Set(FLOWS.flatMap((f) => kdSim.documents(FORM[f]).map((b) => b.billNo)));
      const dead = new Set((await Promise.all(FLOWS.map(deadLetters))).flat().map((d) => d.docId));
      return effective().every((d) => done.has(billNo(d)) || dead.has(String(d.io_id))) && (await idle());
    }, 120000);

    expect(confirmedWhilePaging).toBeGreaterThanOrEqual(8);
    const mapped = effective().filter((d) => !isUnmapped(d));
    expect(mapped.filter((d) => flowOf(d) === 'other-inbound').length).toBeGreaterThan(15);
    expect(mapped.filter((d) => flowOf(d) === 'other-outbound').length).toBeGreaterThan(15);
    expect(mapped.some((d) => d.type === '其它退货')).toBe(true);
    let lots = 0;
    let subWarehouse = 0;
    for (const flow of FLOWS) {
      const bills = kdSim.documents(FORM[flow]);
      const byNo = new Map(bills.map((b) => [b.billNo, b]));
      expect(byNo.size).toBe(bills.length);
      const want = mapped.filter((d) => flowOf(d) === flow);
      expect(bills.length).toBe(want.length);
      const k = KEYS[flow];
      for (const src of want) {
        const bill = byNo.get(billNo(src));
        expect(bill).toBeDefined();
        expect(bill!.status).toBe('C');
        const entries = bill!.model.FEntity as KdEntry[];
        const stock = src.wh_id === 4 && src.wms_co_id === 10969016 ? 'CK001-DEF' : src.wms_co_id === 10969016 ? 'CK001' : 'CK002';
        if (stock === 'CK001-DEF') subWarehouse += 1;
        for (const e of entries) {
          expect(num(e[k.stock])).toBe(stock);
          expect(Number(e.FQty)).toBeGreaterThan(0);
        }
        const wantQty = new Map<string, number>();
        for (const l of src.items) if (l.qty > 0) wantQty.set(l.sku_id, (wantQty.get(l.sku_id) ?? 0) + l.qty);
        const gotQty = new Map<string, number>();
        for (const e of entries) gotQty.set(num(e[k.material])!, (gotQty.get(num(e[k.material])!) ?? 0) + Number(e.FQty));
        expect(Object.fromEntries(gotQty)).toEqual(Object.fromEntries(wantQty));
        for (const b of src.batchs) {
          const line = entries.find((e) => num(e[k.lot]) === b.batch_no && num(e[k.material]) === b.sku_id && Number(e.FQty) === b.qty);
          expect(line).toBeDefined();
          expect(day(line![k.produced])).toBe(day(b.product_date));
          expect(day(line![k.expires])).toBe(day(b.expiration_date));
          lots += 1;
        }
        if (flow === 'other-inbound') {
          expect(num(bill!.model.FDEPTID)).toBe('BM000001');
          const suppliers = new Set(src.items.filter((i) => i.qty > 0 && i.supplier_id).map((i) => i.supplier_id));
          if (suppliers.size === 1) expect(num(bill!.model.FSUPPLIERID)).toBe(`SUP-00${[...suppliers][0]! - 30000}`);
        } else {
          expect(num(bill!.model.FDeptId)).toBe('BM000001');
          expect(num(bill!.model.FPickOrgId)).toBe('100');
        }
      }
    }
    expect(lots).toBeGreaterThan(20);
    expect(subWarehouse).toBeGreaterThan(0);
    // Nothing that is not effective reached Kingdee.
    const written = new Set(FLOWS.flatMap((f) => kdSim.documents(FORM[f]).map((b) => b.billNo)));
    for (const d of allDocs().filter((x) => x.status !== 'Confirmed')) expect(written.has(billNo(d))).toBe(false);
  }, 150000);

  it('puts the configured location on every line of a stock kept by location (CK002, 次品仓)', () => {
    expect(checkLocations(kdSim, 'STK_MISCELLANEOUS', config).located).toBeGreaterThan(5);
    expect(checkLocations(kdSim, 'STK_MisDelivery', config).located).toBeGreaterThan(5);
  });

  it('dead-letters the documents with an unmapped SKU in their own flow, naming the document and the SKU', async () => {
    const unmapped = effective().filter(isUnmapped);
    expect(unmapped.length).toBeGreaterThanOrEqual(3);
    for (const flow of FLOWS) {
      const dead = await deadLetters(flow);
      expect(new Set(dead.map((d) => d.docId))).toEqual(new Set(unmapped.filter((d) => flowOf(d) === flow).map((d) => String(d.io_id))));
      for (const letter of dead) {
        expect(letter.code).toBe('UNMAPPED_BASE_DATA');
        expect(letter.message).toContain(flow);
        expect(letter.message).toContain(letter.docId);
        expect(letter.message).toContain('Z9999-NEW');
      }
    }
  });

  it('writes nothing new on a second poll', async () => {
    const before = kdSim.stats();
    const count = FLOWS.map((f) => kdSim.documents(FORM[f]).length);
    for (const f of FLOWS) expect(await enqueuedBy(() => pollOnce(f))).toBe(0);
    await until('queues to drain', idle, 30000);
    expect(FLOWS.map((f) => kdSim.documents(FORM[f]).length)).toEqual(count);
    const after = kdSim.stats();
    expect(after.saves).toBe(before.saves);
    expect(after.created).toBe(before.created);
  });
});
