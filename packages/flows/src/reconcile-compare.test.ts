import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { reconcileDay, type KingdeeBill, type ReconcileRules } from './reconcile-compare';
import { jstDocFacts, type JstDocFacts } from './reconcile-expected';
import { modelLines, RECONCILE_FORMS } from './reconcile-forms';
import { flowContext, flowRegistry } from './registry';
import { loadSyncConfig } from './sync-config';

const fixtures = join(__dirname, '..', 'fixtures');
const config = loadSyncConfig(join(fixtures, 'test-config.yaml'));
const NOW = '2024-06-30T00:00:00.000Z';
const raw = (flow: string, name: string): Record<string, unknown> => JSON.parse(readFileSync(join(fixtures, flow, `${name}.json`), 'utf8')) as Record<string, unknown>;

/** Facts through the real flow transform, so the comparison uses exactly what would be written. */
function facts(flow: keyof typeof flowRegistry, row: Record<string, unknown>): JstDocFacts {
  const f = jstDocFacts(flowRegistry[flow], row, flowContext(flow, config, NOW));
  if (!f) throw new Error('unreadable fixture');
  return f;
}
/** The bills Kingdee would hold had the worker written `doc` and audited it. */
function billsOf(doc: JstDocFacts, status = 'C'): KingdeeBill[] {
  if (doc.expected.kind !== 'write') throw new Error(`fixture ${doc.docId} writes nothing`);
  return doc.expected.bills.map((b, i) => ({ formId: b.formId, id: 1000 + i, billNo: b.billNo, status, date: b.date, sourceId: doc.docId, lines: b.lines.map((l) => ({ ...l })) }));
}
const rules: ReconcileRules = { finalStatus: 'C' };
const so = (io_id: number, extra: Record<string, unknown> = {}) => ({ ...raw('sales-outbound', 'simple-one-line'), io_id, ...extra });

describe('reconcileDay: each kind of difference', () => {
  const a = facts('sales-outbound', so(1));
  const b = facts('sales-outbound', so(2));
  const day = a.businessDate!;

  type Case = [name: string, jst: JstDocFacts[], kingdee: KingdeeBill[], expected: Array<[kind: string, docId: string, action: string]>];
  const cancelled = facts('sales-outbound', so(3, { status: 'Cancelled' }));
  const changedQty = billsOf(b).map((x) => ({ ...x, lines: x.lines.map((l) => ({ ...l, qty: l.qty + 1 })) }));
  const cases: Case[] = [
    ['both sides equal', [a, b], [...billsOf(a), ...billsOf(b)], []],
    ['missing in Kingdee', [a, b], billsOf(a), [['missing', '2', 'resync']]],
    ['quantity differs', [a, b], [...billsOf(a), ...changedQty], [['quantity', '2', 'resync']]],
    ['bill not audited', [a, b], [...billsOf(a), ...billsOf(b, 'B')], [['status', '2', 'person']]],
    ['cancelled in JST after it was written', [a, cancelled], [...billsOf(a), ...billsOf(facts('sales-outbound', so(3)))], [['extra', '3', 'person']]],
    ['a bill with our prefix and no JST document', [a], [...billsOf(a), { ...billsOf(b)[0], sourceId: '999', billNo: 'JSTSO999' }], [['extra', '999', 'person']]],
  ];
  it.each(cases)('%s', (_name, jst, kingdee, expected) => {
    const r = reconcileDay({ flow: 'sales-outbound', day, jst, kingdee, rules });
    expect(r.documents.map((d) => [d.kind, d.docId, d.action])).toEqual(expected);
    expect(r.balanced).toBe(expected.length === 0);
  });

  it('names the material, the lot and both quantities of a difference', () => {
    const r = reconcileDay({ flow: 'sales-outbound', day, jst: [b], kingdee: changedQty, rules });
    const [line] = r.documents[0].lines!;
    expect(line).toEqual(expect.objectContaining({ formId: 'SAL_OUTSTOCK', jst: line.kingdee - 1 }));
    expect(r.documents[0].detail).toContain(line.material);
  });

  it('totals per day: documents, lines, quantity and amount on both sides', () => {
    const r = reconcileDay({ flow: 'sales-outbound', day, jst: [a, b], kingdee: billsOf(a), rules });
    const lines = a.expected.kind === 'write' ? a.expected.bills[0].lines : [];
    const qty = lines.reduce((s, l) => s + l.qty, 0);
    expect(r.totals.kingdee).toEqual(expect.objectContaining({ documents: 1, bills: 1, lines: lines.length, qty }));
    expect(r.totals.jst).toEqual(expect.objectContaining({ documents: 2, bills: 2, lines: 2 * lines.length, qty: 2 * qty }));
    expect(r.totals.jst.amount).toBeGreaterThan(0);
    expect(r.totals.jst.amount).toBeCloseTo(2 * r.totals.kingdee.amount!, 6);
  });
});

describe('reconcileDay: skipped on purpose, shown apart', () => {
  const a = facts('sales-outbound', so(1));
  const day = a.businessDate!;
  it.each([
    ['dated before the cutover', rules, [{ ...a, beforeCutover: 'io_date 2024-05-20 15:40:10 < 2099-01-01 00:00:00 (cutover)' }], '早于上线时间'],
    ['configured exclusion', { finalStatus: 'C', excludedDocIds: ['1'] }, [a], '按配置排除'],
    ['zero quantity', rules, [facts('sales-outbound', { ...raw('sales-outbound', 'all-lines-zero'), io_id: 1 })], 'nothing to ship'],
  ] as Array<[string, ReconcileRules, JstDocFacts[], string]>)('%s', (_name, r, jst, why) => {
    const res = reconcileDay({ flow: 'sales-outbound', day: jst[0].businessDate ?? day, jst, kingdee: [], rules: r });
    expect(res.documents.map((d) => d.kind)).toEqual(['skipped']);
    expect(res.documents[0].detail).toContain(why);
    expect(res.balanced).toBe(true);
    expect(res.totals.jst.documents).toBe(0);
  });

  it('a document that cannot be transformed and has no bill is missing, with the reason, for a person (fix the mapping, retry the dead letter)', () => {
    const bad = facts('sales-outbound', { ...raw('sales-outbound', 'unmapped-sku'), io_id: 7 });
    const res = reconcileDay({ flow: 'sales-outbound', day: bad.businessDate!, jst: [bad], kingdee: [], rules });
    expect(res.documents).toEqual([expect.objectContaining({ kind: 'missing', docId: '7', action: 'person' })]);
    expect(res.documents[0].detail).toContain('UNMAPPED_BASE_DATA');
  });
});

describe('reconcileDay: the hard shapes', () => {
  it('quantities split over lots compare per material and lot', () => {
    const doc = facts('sales-outbound', raw('sales-outbound', 'two-batches'));
    const bills = billsOf(doc);
    const lots = new Set(bills[0].lines.map((l) => l.lot));
    expect(lots.size).toBeGreaterThan(1);
    expect(reconcileDay({ flow: 'sales-outbound', day: doc.businessDate!, jst: [doc], kingdee: bills, rules }).balanced).toBe(true);
    // Kingdee booked everything under the first lot: same total, different lots → a difference on both lots.
    const oneLot = bills.map((b) => ({ ...b, lines: b.lines.map((l) => ({ ...l, lot: b.lines[0].lot })) }));
    const res = reconcileDay({ flow: 'sales-outbound', day: doc.businessDate!, jst: [doc], kingdee: oneLot, rules });
    expect(res.documents.map((d) => d.kind)).toEqual(['quantity']);
    const diffs = res.documents[0].lines!;
    expect(diffs.length).toBeGreaterThan(1);
    expect(diffs.reduce((s, l) => s + l.jst, 0)).toBeCloseTo(diffs.reduce((s, l) => s + l.kingdee, 0), 6);
    expect(res.totals.jst.qty).toBe(res.totals.kingdee.qty);
  });

  it('stocktake: the gain and the loss bill of one JST document are one document, each checked', () => {
    const doc = facts('stocktake', raw('stocktake', 'mixed-gains-losses'));
    const bills = billsOf(doc);
    expect(bills.map((b) => b.formId).sort()).toEqual(['STK_StockCountGain', 'STK_StockCountLoss']);
    const ok = reconcileDay({ flow: 'stocktake', day: doc.businessDate!, jst: [doc], kingdee: bills, rules });
    expect(ok).toEqual(expect.objectContaining({ balanced: true, counts: expect.objectContaining({ equal: 1 }) }));
    expect(ok.totals.kingdee).toEqual(expect.objectContaining({ documents: 1, bills: 2 }));
    const lossOnly = bills.filter((b) => b.formId === 'STK_StockCountLoss');
    const res = reconcileDay({ flow: 'stocktake', day: doc.businessDate!, jst: [doc], kingdee: lossOnly, rules });
    expect(res.documents).toEqual([expect.objectContaining({ kind: 'missing', bills: [expect.objectContaining({ formId: 'STK_StockCountGain' })] })]);
  });

  it('transfers are counted once: only the 调拨入 side is a document, the 调拨出 row is neither counted nor a difference', () => {
    const inSide = facts('transfer', raw('transfer', 'two-batches'));
    const outSide = facts('transfer', { ...raw('transfer', 'transfer-out-type'), io_date: raw('transfer', 'two-batches').io_date });
    expect(outSide.ready).toBe(false);
    const res = reconcileDay({ flow: 'transfer', day: inSide.businessDate!, jst: [inSide, outSide], kingdee: billsOf(inSide), rules });
    expect(res.balanced).toBe(true);
    expect(res.totals.jst.documents).toBe(1);
    expect(res.totals.kingdee.documents).toBe(1);
  });

  it('a bill whose JST document belongs to another day is extra on the bill\'s day', () => {
    const doc = facts('sales-outbound', so(5));
    const bill = { ...billsOf(doc)[0], date: '2024-01-01' };
    const res = reconcileDay({ flow: 'sales-outbound', day: '2024-01-01', jst: [doc], kingdee: [bill], rules });
    expect(res.documents).toEqual([expect.objectContaining({ kind: 'extra', docId: '5' })]);
    expect(res.documents[0].detail).toContain(`业务日期是 ${doc.businessDate}`);
  });

  it('finalStatus follows the flow: a flow that does not audit expects submitted bills', () => {
    const doc = facts('sales-outbound', so(6));
    expect(reconcileDay({ flow: 'sales-outbound', day: doc.businessDate!, jst: [doc], kingdee: billsOf(doc, 'B'), rules: { finalStatus: 'B' } }).balanced).toBe(true);
  });
});

describe('RECONCILE_FORMS', () => {
  it('covers every form a document flow writes, and reads quantities from every fixture model', () => {
    for (const flow of Object.values(flowRegistry)) {
      const forms = [flow.target.formId, ...(flow.target.otherFormIds ?? [])];
      for (const formId of forms) expect(RECONCILE_FORMS[formId]).toBeDefined();
      // Each flow declares the fields of exactly the forms it writes.
      expect(Object.keys(flow.target.reconcile).sort()).toEqual([...forms].sort());
    }
    const doc = facts('purchase-inbound', raw('purchase-inbound', 'two-batches'));
    expect(doc.expected.kind).toBe('write');
    if (doc.expected.kind === 'write') expect(doc.expected.bills[0].lines.every((l) => l.qty > 0 && l.material !== '')).toBe(true);
  });
  it('modelLines reads amount from FAmount, or qty × tax price', () => {
    expect(modelLines('STK_MISCELLANEOUS', { FEntity: [{ FMATERIALID: { FNumber: 'M' }, FQty: 2, FAmount: 7 }] })).toEqual([{ material: 'M', lot: '', qty: 2, amount: 7 }]);
    expect(modelLines('SAL_OUTSTOCK', { FEntity: [{ FMaterialID: { FNumber: 'M' }, FLot: { FNumber: 'L1' }, FRealQty: 3, FTaxPrice: 1.1 }] })).toEqual([{ material: 'M', lot: 'L1', qty: 3, amount: 3.3 }]);
  });
});
