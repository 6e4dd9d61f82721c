/**
 * Poison documents: a table of bad sales outbound documents, inserted into the JST simulator next to good ones
 * (and a few damaged in flight, as a faulty JST would send them), run through the real poller and worker.
 * Each bad document ends where the table says: a dead letter whose code and message name the document and the
 * field, a skip with its reason in the ledger, ignored (not shipped), or written correctly. None blocks the
 * others: every good document lands.
 */
import { PermanentError } from '@sync/errors';
import { uniquePrefix, until } from '@sync/testing';
import { expectPermanent } from '../support/expect-permanent';
import type { System } from '../support/system';
import { FLOW, startSalesOutbound } from './harness';

type Row = Record<string, unknown>;
type Expect =
  | { dead: string; mentions: string[] }
  | { skipped: string }
  | { written: (model: Row) => void }
  | { ignored: true };

interface PoisonCase {
  name: string;
  /** Builds the document from a valid base (a deep copy, with its io_id already set). */
  make(base: Row): Row;
  expect: Expect;
}

const line = (ioi: number, sku: string, qty: unknown, extra: Row = {}): Row => ({
  ioi_id: ioi, sku_id: sku, qty, name: '纯棉T恤', unit: '件', sale_price: 99, sale_amount: 99, is_gift: false, ...extra,
});
const entries = (m: Row) => m.FEntity as Row[];
const POISON_NO_ID = '__poison_no_id';
const POISON_NO_TS = '__poison_no_ts';

const cases: PoisonCase[] = [
  {
    name: 'missing id (row sent without io_id)',
    make: (d) => ({ ...d, [POISON_NO_ID]: true }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['unreadable-', 'io_id'] },
  },
  { name: 'no lines', make: (d) => ({ ...d, items: [], batchs: [] }), expect: { skipped: 'no lines' } },
  { name: 'items null', make: (d) => ({ ...d, items: null, batchs: null }), expect: { skipped: 'no lines' } },
  {
    name: 'non-numeric quantity',
    make: (d) => ({ ...d, items: [line(1, 'A1001-RED-S', 'abc')] }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['items.0.qty', '"abc"'] },
  },
  {
    name: 'negative quantity',
    make: (d) => ({ ...d, items: [line(1, 'A1001-RED-S', -2)] }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['items.0.qty', 'negative'] },
  },
  {
    name: 'zero quantity only',
    make: (d) => ({ ...d, items: [line(1, 'A1001-RED-S', 0), line(2, 'A1001-RED-M', 0)], batchs: [] }),
    expect: { skipped: 'nothing to ship' },
  },
  {
    name: 'unknown warehouse',
    make: (d) => ({ ...d, wms_co_id: 55501 }),
    expect: { dead: 'UNMAPPED_BASE_DATA', mentions: ['55501'] },
  },
  {
    name: 'unknown shop',
    make: (d) => ({ ...d, shop_id: 55502 }),
    expect: { dead: 'UNMAPPED_BASE_DATA', mentions: ['55502'] },
  },
  {
    name: 'unknown SKU (table mode)',
    make: (d) => ({ ...d, items: [line(1, 'A1001-RED-S', 1), line(2, 'NO-SUCH-SKU', 1)], batchs: [] }),
    expect: { dead: 'UNMAPPED_BASE_DATA', mentions: ['NO-SUCH-SKU'] },
  },
  {
    name: '1,000 lines (written in full)',
    make: (d) => ({ ...d, items: Array.from({ length: 1000 }, (_, i) => line(i + 1, i % 2 ? 'A1001-BLK-M' : 'A1001-RED-S', 1 + (i % 3))), batchs: [] }),
    expect: {
      written: (m) => {
        expect(entries(m)).toHaveLength(1000);
        expect(entries(m).reduce((s, e) => s + Number(e.FRealQty), 0)).toBe(Array.from({ length: 1000 }, (_, i) => 1 + (i % 3)).reduce((a, b) => a + b, 0));
      },
    },
  },
  {
    name: 'duplicate line ids',
    make: (d) => ({ ...d, items: [line(7, 'A1001-RED-S', 1), line(7, 'A1001-RED-M', 2)], batchs: [] }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['items.1.ioi_id', 'ioi_id 7'] },
  },
  {
    name: 'ship date in 1900 (a JST "no date" placeholder: the modified date is used)',
    // modified after the demo config's cutover (2026-12-01): it is also the date compared with the cutover
    make: (d) => ({ ...d, io_date: '1900-01-01 00:00:00', modified: '2026-12-02 10:00:00' }),
    expect: { written: (m) => expect(String(m.FDate).slice(0, 10)).toBe('2026-12-02') },
  },
  {
    name: 'ship date in 9999',
    make: (d) => ({ ...d, io_date: '9999-12-31 23:59:59' }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['io_date', '9999-12-31'] },
  },
  {
    name: 'unparseable modified time',
    make: (d) => ({ ...d, modified: 'yesterday-ish' }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['modified'] },
  },
  {
    name: 'emoji and very long names and remarks (written; the note is cut to 255)',
    make: (d) => ({
      ...d,
      shop_name: '🛍️店'.repeat(300),
      so_id: `SO-😀-${'长'.repeat(600)}`,
      remark: '🎁'.repeat(5000),
      items: [line(1, 'A1001-RED-S', 2, { name: `T恤🎉${'x'.repeat(3000)}`, properties_value: '😀;XXL'.repeat(200) })],
      batchs: [],
    }),
    expect: {
      written: (m) => {
        expect(String(m.FNote).length).toBeLessThanOrEqual(255);
        expect(entries(m)).toHaveLength(1);
        expect(Number(entries(m)[0].FRealQty)).toBe(2);
      },
    },
  },
  {
    name: 'batch quantities that do not add up',
    make: (d) => ({
      ...d,
      items: [line(1, 'C3001', 3, { unit: '盒' })],
      batchs: [{ ioi_id: 1, sku_id: 'C3001', batch_no: 'LOT-A', qty: 1, product_date: '2024-01-01 00:00:00', expiration_date: '2024-07-01 00:00:00' }],
    }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['C3001', 'LOT-A'] },
  },
  {
    name: 'missing ts (row sent without its version)',
    make: (d) => ({ ...d, [POISON_NO_TS]: true }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['ts'] },
  },
  {
    name: 'status of an unknown value (not shipped: never written, a later Confirmed version is)',
    make: (d) => ({ ...d, status: 'Teleported' }),
    expect: { ignored: true },
  },
  {
    name: 'price as a string with a thousands comma',
    make: (d) => ({ ...d, items: [line(1, 'A1001-RED-S', 1, { sale_price: '1,299.00' })], batchs: [] }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['items.0.sale_price', '1,299.00'] },
  },
  {
    name: 'numbers as numeric strings (valid)',
    make: (d) => ({ ...d, shop_id: String(d.shop_id), wms_co_id: String(d.wms_co_id), items: [line(1, 'A1001-RED-S', '2', { sale_price: '99.00' })], batchs: [] }),
    expect: { written: (m) => expect(Number(entries(m)[0].FRealQty)).toBe(2) },
  },
  {
    name: 'line without a SKU',
    make: (d) => ({ ...d, items: [line(1, 'A1001-RED-S', 1, { sku_id: null })], batchs: [] }),
    expect: { dead: 'INVALID_SOURCE_DOCUMENT', mentions: ['items.0.sku_id'] },
  },
];

describe('poison documents', () => {
  const prefix = uniquePrefix('poison');
  let p: System;
  const caseOf = new Map<string, PoisonCase>();
  let goodIds: number[] = [];
  let kdByBill = new Map<string, Row>();

  beforeAll(async () => {
    // Three attempts 50 ms apart, and no scheduled poll: the test polls once itself.
    p = await startSalesOutbound({
      prefix,
      flow: { attempts: 3, backoffMs: 50, everyMs: 3_600_000 },
      faults: { jst: { row: (row) => {
        const out = { ...row };
        if (out[POISON_NO_ID]) delete out.io_id;
        if (out[POISON_NO_TS]) delete out.ts;
        return out;
      } } },
    });
    const seeded = p.jstSim.seed({ count: 60, seed: 'poison', unmappedRate: 0, batchRate: 0.4, statusMix: { Confirmed: 1 } });
    goodIds = seeded.ids;
    const base = p.jstSim.store.get('orders-out', goodIds[0]) as unknown as Row;
    const plain: Row = { ...JSON.parse(JSON.stringify(base)) as Row, items: [line(1, 'A1001-RED-S', 1)], batchs: [], sns: [], status: 'Confirmed' };
    delete plain.ts;
    const docs = cases.map((c, i) => {
      const ioId = 9_000_001 + i;
      caseOf.set(String(ioId), c);
      return c.make({ ...JSON.parse(JSON.stringify(plain)) as Row, io_id: ioId });
    });
    p.jstSim.insert('orders-out', docs);

    await p.pollOnce(FLOW);
    const prefixNo = p.config.flows[FLOW]!.billNoPrefix;
    await until('the good documents and the queue to settle', async () => {
      const written = new Set(p.kdSim.documents('SAL_OUTSTOCK').map((d) => d.billNo));
      return goodIds.every((id) => written.has(`${prefixNo}${id}`)) && (await p.idle());
    }, 120_000, 200);
    kdByBill = new Map(p.kdSim.documents('SAL_OUTSTOCK').map((d) => [d.billNo, d.model]));
  }, 180_000);

  afterAll(async () => {
    await p?.stop();
  });

  it('has at least 15 kinds of bad documents in the table', () => {
    expect(cases.length).toBeGreaterThanOrEqual(15);
  });

  it('writes every good document seeded alongside, each exactly once', () => {
    const prefixNo = p.config.flows[FLOW]!.billNoPrefix;
    const bills = p.kdSim.documents('SAL_OUTSTOCK').map((d) => d.billNo);
    expect(new Set(bills).size).toBe(bills.length);
    for (const id of goodIds) expect(kdByBill.has(`${prefixNo}${id}`)).toBe(true);
  });

  it.each(cases.map((c, i) => [c.name, String(9_000_001 + i)] as const))('%s', async (_name, docId) => {
    const c = caseOf.get(docId)!;
    const billNo = `${p.config.flows[FLOW]!.billNoPrefix}${docId}`;
    const dead = await p.deadLetters(FLOW);
    if ('dead' in c.expect) {
      // A row without its id is dead-lettered under a synthetic id; it still names what is missing.
      const unreadable = c.expect.mentions[0] === 'unreadable-';
      const id = unreadable ? dead.find((d) => d.docId?.startsWith('unreadable-'))?.docId ?? 'unreadable-' : docId;
      expectPermanent(dead, id, { code: c.expect.dead, mentions: c.expect.mentions, namesDoc: !unreadable });
      expect(kdByBill.has(billNo)).toBe(false);
      return;
    }
    expect(dead.filter((d) => d.docId === docId)).toEqual([]);
    if ('skipped' in c.expect) {
      const entry = await p.ledger.get(FLOW, docId);
      expect(entry?.status).toBe('skipped');
      expect(entry!.reason).toContain(docId);
      expect(entry!.reason).toContain(c.expect.skipped);
      expect(kdByBill.has(billNo)).toBe(false);
    } else if ('written' in c.expect) {
      const model = kdByBill.get(billNo);
      expect(model).toBeDefined();
      c.expect.written(model!);
      expect((await p.ledger.get(FLOW, billNo))?.status).toBe('audited');
    } else {
      expect(kdByBill.has(billNo)).toBe(false);
      expect(await p.ledger.get(FLOW, docId)).toBeUndefined();
    }
  });

  it('never lets a document vanish: every row of the table is written, skipped, dead-lettered or not shipped', async () => {
    const dead = await p.deadLetters(FLOW);
    const expectedDead = cases.filter((c) => 'dead' in c.expect).length;
    expect(dead.length).toBe(expectedDead);
    for (const d of dead) expect(d.attemptsMade).toBe(1); // permanent at once: no retry storm behind a poison document
  });

  it('classifies a transform bug as permanent, not as a crash (sanity of the error kinds used above)', () => {
    expect(new PermanentError('INVALID_SOURCE_DOCUMENT', 'x').code).toBe('INVALID_SOURCE_DOCUMENT');
  });
});
