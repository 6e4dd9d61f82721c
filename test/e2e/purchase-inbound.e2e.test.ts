/**
 * End to end, purchase inbound (采购入库单 → STK_InStock): both simulators over real HTTP, real Redis, the poller
 * (ts cursor), worker and API services. Documents are received and edited while the poller pages; some use an
 * unknown supplier or an unmapped SKU. Asserts on what Kingdee holds, the dead letters, and that a second poll
 * writes nothing new.
 */
import { uniquePrefix } from '@sync/testing';
import { checkLocations } from './locations';
import { enqueuedBy } from './harness';
import { day, startPurchaseHarness, until, type PurchaseHarness } from './purchase-e2e.test-support';

const FLOW = 'purchase-inbound';
const KIND = 'purchase-in';

interface Line { sku_id: string; qty: number; cost_price: number }
interface Batch { sku_id: string; batch_no: string; qty: number; product_date: string; expiration_date: string }
interface Doc { io_id: number; status: string; wms_co_id: number; supplier_id: number; io_date: string; items: Line[]; batchs: Batch[] }
type Ref = { FNumber?: string } | null | undefined;
interface Entry { FMaterialId?: Ref; FRealQty?: number; FLot?: Ref; FProduceDate?: string | null; FExpiryDate?: string | null; FGiveAway?: boolean; FStockId?: Ref; FTaxPrice?: number }

const STOCKS: Record<number, string> = { 10969016: 'CK001', 10969017: 'CK002' };
const SUPPLIERS: Record<number, string> = { 30001: 'SUP-001', 30002: 'SUP-002' };

describe('purchase inbound end to end', () => {
  let h: PurchaseHarness;
  let edits = 0;

  beforeAll(async () => {
    h = await startPurchaseHarness(
      FLOW,
      uniquePrefix('e2e-pi'),
      (jst) => jst.seedKind(KIND, { count: 80, seed: 2024, unmappedRate: 0.1 }),
      (jst) => {
        // While the poller pages: receive two waiting documents and touch a received one.
        if (edits >= 12) return;
        const waiting = jst.store.ids(KIND, { status: 'WaitConfirm' }).slice(0, 2);
        for (const id of waiting) jst.mutate(KIND, id, { status: 'Confirmed' });
        const received = jst.store.ids(KIND, { status: 'Confirmed' });
        if (received.length) jst.mutate(KIND, received[edits % received.length]!, { patch: { remark: `edited ${edits}` } });
        edits += waiting.length + 1;
      },
    );
  }, 60000);

  afterAll(() => h?.stop());

  const docs = () => h.jstSim.store.list(KIND, {}) as unknown as Doc[];
  const confirmed = () => docs().filter((d) => d.status === 'Confirmed');
  const isUnmapped = (d: Doc) => d.supplier_id === 39999 || d.items.some((i) => i.sku_id === 'Z9999-NEW');
  const bills = () => h.kdSim.documents('STK_InStock');
  const prefix = () => h.config.flows[FLOW]!.billNoPrefix;

  it('writes every received document to Kingdee exactly once, with supplier, stock, lots, dates and gifts', async () => {
    await until('every received document to be written or dead-lettered', async () => {
      if (edits < 12) return false;
      const done = new Set(bills().map((b) => b.billNo));
      const dead = new Set((await h.deadLetters()).map((d) => d.docId));
      return confirmed().every((d) => done.has(`${prefix()}${d.io_id}`) || dead.has(String(d.io_id))) && (await h.idle());
    }, 120000);

    const written = bills();
    const byBillNo = new Map(written.map((b) => [b.billNo, b]));
    expect(byBillNo.size).toBe(written.length);
    const thirdIds = written.map((b) => String((b.model.FInStockFin as Record<string, unknown>).FTHIRDBILLNO));
    expect(new Set(thirdIds).size).toBe(written.length);

    const mapped = confirmed().filter((d) => !isUnmapped(d));
    expect(mapped.length).toBeGreaterThan(40);
    expect(written.length).toBe(mapped.length);
    let lots = 0;
    let gifts = 0;
    for (const src of mapped) {
      const bill = byBillNo.get(`${prefix()}${src.io_id}`)!;
      expect(bill).toBeDefined();
      expect(bill.status).toBe('C');
      expect((bill.model.FSupplierId as Ref)?.FNumber).toBe(SUPPLIERS[src.supplier_id]);
      expect(day(bill.model.FDate)).toBe(day(src.io_date));
      const entries = bill.model.FInStockEntry as Entry[];
      expect(entries.every((e) => e.FStockId?.FNumber === STOCKS[src.wms_co_id])).toBe(true);
      const want = new Map<string, number>();
      for (const l of src.items) want.set(l.sku_id, (want.get(l.sku_id) ?? 0) + l.qty);
      const got = new Map<string, number>();
      for (const e of entries) got.set(e.FMaterialId!.FNumber!, (got.get(e.FMaterialId!.FNumber!) ?? 0) + Number(e.FRealQty));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      for (const b of src.batchs) {
        const line = entries.find((e) => e.FLot?.FNumber === b.batch_no && e.FMaterialId?.FNumber === b.sku_id && Number(e.FRealQty) === b.qty);
        expect(line).toBeDefined();
        expect(day(line!.FProduceDate)).toBe(day(b.product_date));
        expect(day(line!.FExpiryDate)).toBe(day(b.expiration_date));
        lots += 1;
      }
      for (const l of src.items.filter((i) => i.cost_price === 0)) {
        expect(entries.find((e) => e.FMaterialId?.FNumber === l.sku_id)?.FGiveAway).toBe(true);
        gifts += 1;
      }
    }
    expect(lots).toBeGreaterThan(10);
    expect(gifts).toBeGreaterThan(0);
    for (const d of docs().filter((x) => x.status !== 'Confirmed')) expect(byBillNo.has(`${prefix()}${d.io_id}`)).toBe(false);
  }, 150000);

  it('puts the configured location on every line received into a stock kept by location (CK002), none elsewhere', () => {
    expect(checkLocations(h.kdSim, 'STK_InStock', h.config).located).toBeGreaterThan(5);
  });

  it('keeps documents with an unknown supplier or SKU in the dead letters with a clear reason', async () => {
    const unmapped = confirmed().filter(isUnmapped);
    expect(unmapped.length).toBeGreaterThan(3);
    const dead = await h.deadLetters();
    expect(new Set(dead.map((d) => d.docId))).toEqual(new Set(unmapped.map((d) => String(d.io_id))));
    for (const d of unmapped) {
      const letter = dead.find((x) => x.docId === String(d.io_id))!;
      expect(letter.code).toBe('UNMAPPED_BASE_DATA');
      expect(letter.message).toContain(`io_id=${d.io_id}`);
      expect(letter.message).toContain(d.supplier_id === 39999 ? 'supplier_id=39999' : 'Z9999-NEW');
    }
  });

  it('resyncs 40 documents by id (purchasein takes at most 30 io_ids a call) without writing anything new', async () => {
    const ids = confirmed().filter((d) => !isUnmapped(d)).slice(0, 40).map((d) => String(d.io_id));
    expect(ids).toHaveLength(40);
    const saves = h.kdSim.stats().saves;
    const result = (await h.pollOnce({ docIds: ids })) as { counts: { seen: number; ready: number } };
    expect(result.counts).toMatchObject({ seen: 40, ready: 40 });
    await until('queues to drain', () => h.idle(), 30000);
    expect(h.kdSim.stats().saves).toBe(saves);
  });

  it('writes nothing new on a second poll', async () => {
    const before = h.kdSim.stats();
    const count = bills().length;
    expect(await enqueuedBy(() => h.pollOnce())).toBe(0);
    await until('queues to drain', () => h.idle(), 30000);
    expect(bills().length).toBe(count);
    expect(h.kdSim.stats().saves).toBe(before.saves);
  });
});
