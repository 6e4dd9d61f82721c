import { demoSkus, unmappedSkus } from '../demo-catalog';
import { parseBeijing } from './beijing-time';
import { generateOrdersOut } from './sales-outbound-generator';
import { ORDERS_OUT_STATUSES } from './sales-outbound';

const range = { modifiedFrom: '2024-05-13 00:00:00', modifiedTo: '2024-05-20 00:00:00' };

describe('generateOrdersOut', () => {
  it('is deterministic by seed', () => {
    const a = generateOrdersOut({ count: 50, seed: 42, ...range });
    const b = generateOrdersOut({ count: 50, seed: 42, ...range });
    const c = generateOrdersOut({ count: 50, seed: 43, ...range });
    expect(a).toEqual(b);
    expect(c).not.toEqual(a);
  });

  it('produces consistent, realistic documents', () => {
    const docs = generateOrdersOut({ count: 400, seed: 'invariants', unmappedRate: 0.1, ...range, startIoId: 500 });
    expect(docs.map((d) => d.io_id)).toEqual(Array.from({ length: 400 }, (_, i) => 500 + i));
    const ioiIds = docs.flatMap((d) => d.items.map((i) => i.ioi_id));
    expect(new Set(ioiIds).size).toBe(ioiIds.length);

    const known = new Map([...demoSkus, ...unmappedSkus].map((s) => [s.skuId, s]));
    let splits = 0;
    let gifts = 0;
    for (const d of docs) {
      expect(ORDERS_OUT_STATUSES).toContain(d.status);
      const m = parseBeijing(d.modified)!;
      expect(m).toBeGreaterThanOrEqual(parseBeijing(range.modifiedFrom)!);
      expect(m).toBeLessThanOrEqual(parseBeijing(range.modifiedTo)!);
      expect(parseBeijing(d.created)!).toBeLessThanOrEqual(m);
      expect(d.items.length).toBeGreaterThanOrEqual(1);
      expect(d.items.length).toBeLessThanOrEqual(6); // up to 5 lines plus the unmapped one
      const goods = d.items.reduce((s, i) => s + i.sale_amount, 0);
      expect(d.pay_amount).toBeCloseTo(goods + d.freight, 2);
      for (const item of d.items) {
        const sku = known.get(item.sku_id)!;
        expect(sku).toBeDefined();
        expect(item.i_id).toBe(sku.iId);
        expect(item.properties_value).toBe(sku.properties);
        expect(item.sale_amount).toBeCloseTo(item.qty * item.sale_price, 2);
        if (item.is_gift) {
          gifts++;
          expect(item.sale_price).toBe(0);
        }
        const lines = d.batchs.filter((b) => b.ioi_id === item.ioi_id);
        if (sku.batchManaged) {
          expect(lines.length).toBeGreaterThanOrEqual(1);
          expect(lines.reduce((s, b) => s + b.qty, 0)).toBe(item.qty);
          expect(item.batch_id).toBe(lines[0]!.batch_no);
          if (lines.length === 2) {
            splits++;
            expect(lines[0]!.batch_no).not.toBe(lines[1]!.batch_no);
          }
          for (const b of lines) {
            const days = (parseBeijing(b.expiration_date)! - parseBeijing(b.product_date)!) / 86_400_000;
            expect(days).toBe(sku.shelfLifeDays);
            expect(b.sku_id).toBe(item.sku_id);
          }
        } else {
          expect(lines).toHaveLength(0);
          expect(item.batch_id).toBeNull();
        }
      }
    }
    expect(splits).toBeGreaterThan(0);
    expect(gifts).toBeGreaterThan(0);
    expect(docs.filter((d) => d.items.some((i) => i.sku_id === 'Z9999-NEW'))).toHaveLength(40);
    expect(docs.some((d) => d.items.some((i) => i.properties_value.includes(';')))).toBe(true);
    const statuses = new Set(docs.map((d) => d.status));
    expect(statuses).toEqual(new Set(['Confirmed', 'WaitConfirm', 'Cancelled', 'Delete']));
  });

  it('honours statusMix and rejects a bad range', () => {
    const docs = generateOrdersOut({ count: 30, seed: 1, statusMix: { WaitConfirm: 1 }, ...range });
    expect(new Set(docs.map((d) => d.status))).toEqual(new Set(['WaitConfirm']));
    expect(docs.every((d) => d.l_id === '' && d.io_date === d.created)).toBe(true);
    expect(() => generateOrdersOut({ count: 1, modifiedFrom: '2024-05-20 00:00:00', modifiedTo: '2024-05-19 00:00:00' })).toThrow(/invalid modified range/);
  });
});
