import { beijingDayBefore, reconcileRepeat } from './reconcile-service';
import { billNoPrefixes, bounded, daysBetween, finalStatusOf } from './reconcile-run';
import { salesOutboundFlow, stocktakeFlow, syncConfigSchema } from '@sync/flows';

const config = (reconciliation: Record<string, unknown>) => syncConfigSchema.parse({ flows: { 'sales-outbound': {}, stocktake: {} }, reconciliation });

describe('reconciliation schedule and helpers', () => {
  it.each([
    [{}, undefined],
    [{ schedule: { dailyAt: '10:15' } }, { pattern: '15 10 * * *', tz: 'Asia/Shanghai' }],
    [{ schedule: { everyMs: 60_000 } }, { every: 60_000 }],
  ])('%j → %j', (rec, repeat) => {
    expect(reconcileRepeat(config(rec))).toEqual(repeat);
  });

  it('refuses a schedule with both or neither of dailyAt and everyMs, and a bad time', () => {
    for (const schedule of [{ dailyAt: '10:15', everyMs: 60_000 }, {}, { dailyAt: '24:00' }]) {
      expect(() => config({ schedule })).toThrow();
    }
  });

  it('counts business days in Beijing time', () => {
    // 2026-11-28 01:00 Beijing is still 2026-11-27 in UTC.
    const now = new Date('2026-11-27T17:00:00Z');
    expect(beijingDayBefore(now, 1)).toBe('2026-11-27');
    expect(beijingDayBefore(now, 0)).toBe('2026-11-28');
    expect(daysBetween('2026-11-29', '2026-12-02')).toEqual(['2026-11-29', '2026-11-30', '2026-12-01', '2026-12-02']);
  });

  it('reads every bill number prefix of a flow and the status it drives bills to', () => {
    const c = config({});
    expect(billNoPrefixes(stocktakeFlow, c.flows.stocktake!).sort()).toEqual(['JSTPK', 'JSTPY']);
    expect(billNoPrefixes(salesOutboundFlow, c.flows['sales-outbound']!)).toEqual(['JSTSO']);
    expect([finalStatusOf({ submit: true, audit: true }), finalStatusOf({ submit: true, audit: false }), finalStatusOf({ submit: false, audit: false })]).toEqual(['C', 'B', 'A']);
  });
});

describe('bounded', () => {
  it('keeps the first documents (differences before skips) and counts the rest', () => {
    const doc = (docId: string) => ({ docId, kind: 'missing' as const, bills: [], detail: '', action: 'resync' as const });
    const day = {
      flow: 'f', day: '2026-11-27', balanced: false, counts: { equal: 0, missing: 5, extra: 0, quantity: 0, status: 0, skipped: 0 },
      totals: { jst: { documents: 5, bills: 5, lines: 5, qty: 5 }, kingdee: { documents: 0, bills: 0, lines: 0, qty: 0 } },
      documents: ['1', '2', '3', '4', '5'].map(doc),
    };
    expect(bounded(day, 10)).toBe(day);
    const cut = bounded(day, 2);
    expect(cut.documents.map((d) => d.docId)).toEqual(['1', '2']);
    expect(cut.omitted).toBe(3);
    expect(cut.counts.missing).toBe(5);
  });
});
