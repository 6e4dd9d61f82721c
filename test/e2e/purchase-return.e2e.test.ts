/**
 * End to end, purchase return (采购退货单 → PUR_MRB): both simulators over real HTTP, real Redis, the poller
 * (modified-time windows, status Confirmed), worker and API services. Documents become effective and are edited
 * while the poller pages (they move to the end of the window); some use an unknown supplier or an unmapped SKU.
 * Asserts on what Kingdee holds, the dead letters, and that a second poll writes nothing new.
 */
import { formatBeijing } from '@sync/simulator';
import { uniquePrefix } from '@sync/testing';
import { checkLocations } from './locations';
import { enqueuedBy } from './harness';
import { day, startPurchaseHarness, until, type PurchaseHarness } from './purchase-e2e.test-support';

const FLOW = 'purchase-return';
const KIND = 'purchase-out';

interface Line { sku_id: string; qty: number; cost_price: number }
interface Batch { sku_id: string; batch_no: string; qty: number; product_date: string }
interface Doc { io_id: number; status: string; wms_co_id: string; seller_id: number; io_date: string; items: Line[]; batchs: Batch[] }
type Ref = { FNumber?: string } | null | undefined;
interface Entry { FMATERIALID?: Ref; FRMREALQTY?: number; FREPLENISHQTY?: number; FLot?: Ref; FProduceDate?: string | null; FGiveAway?: boolean; FSTOCKID?: Ref }

const STOCKS: Record<string, string> = { '10969016': 'CK001', '10969017': 'CK002' };
const SUPPLIERS: Record<number, string> = { 30001: 'SUP-001', 30002: 'SUP-002' };

describe('purchase return end to end', () => {
  let h: PurchaseHarness;
  let edits = 0;

  beforeAll(async () => {
    h = await startPurchaseHarness(
      FLOW,
      uniquePrefix('e2e-pr'),
      // Inside the poller's first window (the last 24 h).
      (jst) => jst.seedKind(KIND, { count: 70, seed: 2025, unmappedRate: 0.1, modifiedFrom: formatBeijing(jst.now() - 20 * 3600 * 1000) }),
      (jst) => {
        // While the poller pages: two waiting returns become effective, one effective one is edited.
        if (edits >= 10) return;
        const waiting = jst.store.ids(KIND, { status: 'WaitConfirm' }).slice(0, 2);
        for (const id of waiting) jst.mutate(KIND, id, { status: 'Confirmed' });
        const effective = jst.store.ids(KIND, { status: 'Confirmed' });
        if (effective.length) jst.mutate(KIND, effective[0]!, { patch: { remark: `edited ${edits}` } });
        edits += waiting.length + 1;
      },
    );
  }, 60000);

  afterAll(() => h?.stop());

  const docs = () => h.jstSim.store.list(KIND, {}) as unknown as Doc[];
  const effective = () => docs().filter((d) => d.status === 'Confirmed');
  const isUnmapped = (d: Doc) => d.seller_id === 39999 || d.items.some((i) => i.sku_id === 'Z9999-NEW');
  const bills = () => h.kdSim.documents('PUR_MRB');
  const prefix = () => h.config.flows[FLOW]!.billNoPrefix;

  it('writes every effective return to Kingdee exactly once, with supplier, stock, positive quantities and lots', async () => {
    await until('every effective return to be written or dead-lettered', async () => {
      if (edits < 10) return false;
      const done = new Set(bills().map((b) => b.billNo));
      const dead = new Set((await h.deadLetters()).map((d) => d.docId));
      return effective().every((d) => done.has(`${prefix()}${d.io_id}`) || dead.has(String(d.io_id))) && (await h.idle());
    }, 120000);

    const written = bills();
    const byBillNo = new Map(written.map((b) => [b.billNo, b]));
    expect(byBillNo.size).toBe(written.length);
    const mapped = effective().filter((d) => !isUnmapped(d));
    expect(mapped.length).toBeGreaterThan(35);
    expect(written.length).toBe(mapped.length);
    let lots = 0;
    for (const src of mapped) {
      const bill = byBillNo.get(`${prefix()}${src.io_id}`)!;
      expect(bill).toBeDefined();
      expect(bill.status).toBe('C');
      expect((bill.model.FSupplierID as Ref)?.FNumber).toBe(SUPPLIERS[src.seller_id]);
      expect([bill.model.FMRTYPE, bill.model.FMRMODE]).toEqual(['B', 'A']);
      expect(day(bill.model.FDate)).toBe(day(src.io_date));
      const entries = bill.model.FPURMRBENTRY as Entry[];
      expect(entries.every((e) => e.FSTOCKID?.FNumber === STOCKS[src.wms_co_id] && Number(e.FRMREALQTY) > 0)).toBe(true);
      expect(entries.every((e) => Number(e.FREPLENISHQTY) === Number(e.FRMREALQTY))).toBe(true);
      const want = new Map<string, number>();
      for (const l of src.items) want.set(l.sku_id, (want.get(l.sku_id) ?? 0) + Math.abs(l.qty));
      const got = new Map<string, number>();
      for (const e of entries) got.set(e.FMATERIALID!.FNumber!, (got.get(e.FMATERIALID!.FNumber!) ?? 0) + Number(e.FRMREALQTY));
      expect(Object.fromEntries(got)).toEqual(Object.fromEntries(want));
      for (const b of src.batchs) {
        const line = entries.find((e) => e.FLot?.FNumber === b.batch_no && e.FMATERIALID?.FNumber === b.sku_id && Number(e.FRMREALQTY) === Math.abs(b.qty));
        expect(line).toBeDefined();
        expect(day(line!.FProduceDate)).toBe(day(b.product_date));
        lots += 1;
      }
      for (const l of src.items.filter((i) => i.cost_price === 0)) {
        expect(entries.find((e) => e.FMATERIALID?.FNumber === l.sku_id)?.FGiveAway).toBe(true);
      }
    }
    expect(lots).toBeGreaterThan(5);
    for (const d of docs().filter((x) => x.status !== 'Confirmed')) expect(byBillNo.has(`${prefix()}${d.io_id}`)).toBe(false);
  }, 150000);

  it('puts the configured location on every line returned from a stock kept by location (CK002), none elsewhere', () => {
    expect(checkLocations(h.kdSim, 'PUR_MRB', h.config).located).toBeGreaterThan(5);
  });

  it('keeps returns with an unknown supplier or SKU in the dead letters with a clear reason', async () => {
    const unmapped = effective().filter(isUnmapped);
    expect(unmapped.length).toBeGreaterThan(3);
    const dead = await h.deadLetters();
    expect(new Set(dead.map((d) => d.docId))).toEqual(new Set(unmapped.map((d) => String(d.io_id))));
    for (const d of unmapped) {
      const letter = dead.find((x) => x.docId === String(d.io_id))!;
      expect(letter.code).toBe('UNMAPPED_BASE_DATA');
      expect(letter.message).toContain(`purchase-return 采购退货单 io_id=${d.io_id}`);
      expect(letter.message).toContain(d.seller_id === 39999 ? 'supplier_id=39999' : 'Z9999-NEW');
    }
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
