/**
 * End to end, sales outbound (销售出库单 → SAL_OUTSTOCK): both simulators over real HTTP, real Redis, and the
 * poller, worker and API services. Documents change while the poller pages; some use an unmapped SKU.
 * Asserts on what Kingdee holds, what the dead letters say, and that a second poll writes nothing new.
 */
import { flowQueueName } from '@sync/queue';
import { startJstSimulator, startKingdeeSimulator, type JstSimulator, type KingdeeSimulator } from '@sync/simulator';
import { uniquePrefix } from '@sync/testing';
import { checkLocations } from './locations';
import { day, demoConfig, startE2EPipeline, enqueuedBy, until, type E2EPipeline } from './harness';
import type { SyncConfig } from '@sync/flows';

const FLOW = 'sales-outbound';
const SEEDED = 520;

interface JstLine { ioi_id: number; sku_id: string; qty: number; is_gift?: boolean }
interface JstBatch { ioi_id?: number; sku_id: string; batch_no: string; qty: number; product_date?: string; expiration_date?: string }
interface JstOut { io_id: number; status: string; items: JstLine[]; batchs?: JstBatch[] | null }
interface KdEntry { FMaterialID?: { FNumber?: string }; FRealQty?: number; FLot?: { FNumber?: string } | null; FProduceDate?: string | null; FExpiryDate?: string | null; FIsFree?: boolean }

describe('sales outbound end to end', () => {
  const prefix = uniquePrefix('e2e-so');
  let jstSim: JstSimulator;
  let kdSim: KingdeeSimulator;
  let pipeline: E2EPipeline;
  let apiUrl = '';
  let config: SyncConfig;
  let mutationsDuringPaging = 0;

  beforeAll(async () => {
    jstSim = await startJstSimulator({});
    kdSim = await startKingdeeSimulator({});
    jstSim.seed({ count: SEEDED, seed: 2024, unmappedRate: 0.04, batchRate: 0.5 });
    const fileConfig = demoConfig();
    const so = fileConfig.flows[FLOW]!;
    // Only this flow; documents change in the simulator between the pages of the first scans.
    config = { ...fileConfig, flows: { [FLOW]: { ...so, schedule: { ...so.schedule, everyMs: 1000 } } } };
    pipeline = await startE2EPipeline({
      prefix, jstSim, kdSim, config, env: { WORKER_CONCURRENCY: '6' },
      afterPage: () => {
        if (mutationsDuringPaging < 40) {
          mutationsDuringPaging += jstSim.mutateRandomly(4, `paging-${mutationsDuringPaging}`, { confirmRate: 0.7 }).length;
        }
      },
    });
    apiUrl = pipeline.apiUrl;
  }, 60000);

  afterAll(async () => {
    await pipeline?.stop();
  });

  const authed = () => pipeline.authed;
  const confirmedDocs = () => jstSim.store.list('orders-out', { status: 'Confirmed' }) as unknown as JstOut[];
  const isUnmapped = (d: JstOut) => d.items.some((i) => i.sku_id === 'Z9999-NEW');
  const kdDocs = () => kdSim.documents('SAL_OUTSTOCK');
  const deadLetters = () => pipeline.deadLetters(FLOW);
  const idle = () => pipeline.idle(FLOW);
  const pollOnce = (flow: string) => pipeline.pollOnce(flow);

  it('writes every shipped document to Kingdee exactly once, with its lines, lots and dates', async () => {
    await until('every shipped document to be written or dead-lettered', async () => {
      if (mutationsDuringPaging < 40) return false;
      const done = new Set(kdDocs().map((d) => d.billNo));
      const dead = new Set((await deadLetters()).map((d) => d.docId));
      const prefixNo = config.flows[FLOW]!.billNoPrefix;
      return confirmedDocs().every((d) => done.has(`${prefixNo}${d.io_id}`) || dead.has(String(d.io_id))) && (await idle());
    }, 150000);

    expect(mutationsDuringPaging).toBeGreaterThanOrEqual(40);
    const prefixNo = config.flows[FLOW]!.billNoPrefix;
    const docs = kdDocs();
    const byBillNo = new Map(docs.map((d) => [d.billNo, d]));
    expect(byBillNo.size).toBe(docs.length); // no bill number twice
    const thirdIds = docs.map((d) => String((d.model.SubHeadEntity as Record<string, unknown>).FThirdBillNo));
    expect(new Set(thirdIds).size).toBe(docs.length); // no JST document twice

    const shipped = confirmedDocs();
    const mapped = shipped.filter((d) => !isUnmapped(d));
    expect(mapped.length).toBeGreaterThan(300);
    expect(docs.length).toBe(mapped.length);
    let withLots = 0;
    for (const src of mapped) {
      const bill = byBillNo.get(`${prefixNo}${src.io_id}`);
      expect(bill).toBeDefined();
      expect(bill!.status).toBe('C');
      const entries = (bill!.model.FEntity as KdEntry[]) ?? [];
      // Quantities per material add up to the JST lines.
      const want = new Map<string, number>();
      for (const l of src.items) if (Number(l.qty) > 0) want.set(l.sku_id, (want.get(l.sku_id) ?? 0) + Number(l.qty));
      const got = new Map<string, number>();
      for (const e of entries) got.set(e.FMaterialID!.FNumber!, (got.get(e.FMaterialID!.FNumber!) ?? 0) + Number(e.FRealQty));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      // Every JST batch appears as its own line with its lot, quantity and dates.
      for (const b of src.batchs ?? []) {
        const line = entries.find((e) => e.FLot?.FNumber === b.batch_no && e.FMaterialID?.FNumber === b.sku_id && Number(e.FRealQty) === Number(b.qty));
        expect(line).toBeDefined();
        if (b.product_date) expect(day(line!.FProduceDate)).toBe(day(b.product_date));
        if (b.expiration_date) expect(day(line!.FExpiryDate)).toBe(day(b.expiration_date));
        withLots += 1;
      }
    }
    expect(withLots).toBeGreaterThan(50);

    // Nothing that is not shipped reached Kingdee.
    const notShipped = (jstSim.store.list('orders-out', {}) as unknown as JstOut[]).filter((d) => d.status !== 'Confirmed');
    for (const d of notShipped) expect(byBillNo.has(`${prefixNo}${d.io_id}`)).toBe(false);
  }, 180000);

  it('puts the configured location on every line shipped from a stock kept by location (CK002), none elsewhere', () => {
    expect(checkLocations(kdSim, 'SAL_OUTSTOCK', config).located).toBeGreaterThan(20);
  });

  it('keeps the unmapped documents in the dead letters with a clear reason, without blocking the rest', async () => {
    const unmapped = confirmedDocs().filter(isUnmapped);
    expect(unmapped.length).toBeGreaterThan(5);
    const dead = await deadLetters();
    // One dead letter per failed version: a document edited after it failed fails again under its new version.
    expect(new Set(dead.map((d) => d.docId))).toEqual(new Set(unmapped.map((d) => String(d.io_id))));
    for (const d of unmapped) {
      const letter = dead.find((x) => x.docId === String(d.io_id));
      expect(letter).toBeDefined();
      expect(letter!.code).toBe('UNMAPPED_BASE_DATA');
      expect(letter!.message).toContain(String(d.io_id));
      expect(letter!.message).toContain('Z9999-NEW');
    }
  });

  it('writes nothing new on a second poll', async () => {
    const before = kdSim.stats();
    const count = kdDocs().length;
    expect(await enqueuedBy(() => pollOnce(FLOW))).toBe(0);
    await until('queues to drain', idle, 30000);
    expect(kdDocs().length).toBe(count);
    const after = kdSim.stats();
    expect(after.saves).toBe(before.saves);
    expect(after.created).toBe(before.created);
  });

  it('refuses the API without credentials but answers /health', async () => {
    expect((await fetch(`${apiUrl}/flows`)).status).toBe(401);
    expect((await fetch(`${apiUrl}/admin/queues`)).status).toBe(401);
    expect((await fetch(`${apiUrl}/health`)).status).toBe(200);
    const board = await fetch(`${apiUrl}/admin/queues/api/queues`, { headers: authed() });
    expect(board.status).toBe(200);
    const names = ((await board.json()) as { queues: { name: string }[] }).queues.map((q) => q.name);
    expect(names).toContain(flowQueueName(FLOW));
  });
});
