import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { z } from 'zod';
import { salesOutboundSchema } from './sales-outbound.source';

const raw = (name: string): Record<string, unknown> =>
  JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'sales-outbound', `${name}.json`), 'utf8'));

/** `path: message` of every issue, as the worker reports them. */
function issues(input: unknown): string[] {
  const r = salesOutboundSchema.safeParse(input);
  if (r.success) return [];
  return r.error.issues.map((i: z.core.$ZodIssue) => `${i.path.map(String).join('.')}: ${i.message}`);
}

describe('salesOutboundSchema leniency', () => {
  it('coerces numeric strings and string flags to numbers and booleans', () => {
    const d = salesOutboundSchema.parse(raw('numbers-as-strings'));
    expect(d.io_id).toBe(2081300);
    expect(d.shop_id).toBe(16882301);
    expect(d.wms_co_id).toBe(10969016);
    expect(d.ts).toBe('1938476300');
    expect(d.o_id).toBe('5459090');
    expect(d.items[0]).toMatchObject({ ioi_id: 89001, qty: 2, sale_price: 269, is_gift: false });
    expect(d.batchs[0]).toMatchObject({ ioi_id: 89001, qty: 2, batch_no: 'B240301' });
  });

  it('turns null lists into empty lists and null optionals into undefined', () => {
    const d = salesOutboundSchema.parse({ ...raw('simple-one-line'), batchs: null, sns: null, l_id: null, io_date: '' });
    expect(d.batchs).toEqual([]);
    expect(d.sns).toEqual([]);
    expect(d.l_id).toBeUndefined();
    expect(d.io_date).toBeUndefined();
    expect(salesOutboundSchema.parse({ ...raw('simple-one-line'), items: null }).items).toEqual([]);
  });

  it('keeps the row version as a string, also beyond 2^53', () => {
    expect(salesOutboundSchema.parse({ ...raw('simple-one-line'), ts: '18446744073709551000' }).ts).toBe('18446744073709551000');
  });

  it('accepts optional item fields being absent and is_gift as 0/1', () => {
    const d = salesOutboundSchema.parse({
      ...raw('simple-one-line'),
      items: [{ sku_id: 'A1001-RED-M', qty: 1 }, { sku_id: 'D4001', qty: '1', is_gift: 1, sale_price: null }],
    });
    expect(d.items[0]).toEqual({ sku_id: 'A1001-RED-M', qty: 1, is_gift: false });
    expect(d.items[1]).toMatchObject({ sku_id: 'D4001', qty: 1, is_gift: true });
    expect(d.items[1].sale_price).toBeUndefined();
    expect(d.items[1].ioi_id).toBeUndefined();
  });

  it('accepts a numeric batch number and turns it into text', () => {
    const doc = { ...raw('two-batches') };
    const batchs = (doc.batchs as Record<string, unknown>[]).map((b) => ({ ...b, batch_no: 20240101 }));
    expect(salesOutboundSchema.parse({ ...doc, batchs }).batchs[0].batch_no).toBe('20240101');
  });
});

describe('salesOutboundSchema strictness', () => {
  it.each([
    ['io_id', 'io_id: expected a number or a numeric string, got nothing (the field is missing)'],
    ['status', 'status: expected a text, got nothing (the field is missing)'],
    ['ts', 'ts: expected a non-negative integer (number or digit string), got nothing (the field is missing)'],
    ['modified', 'modified: is required'],
    ['wms_co_id', 'wms_co_id: expected a number or a numeric string, got nothing (the field is missing)'],
    ['shop_id', 'shop_id: expected a number or a numeric string, got nothing (the field is missing)'],
  ])('requires %s', (key, expected) => {
    const doc = raw('simple-one-line');
    delete doc[key];
    expect(issues(doc)).toEqual([expected]);
  });

  it('names the line and field of a bad quantity', () => {
    const doc = raw('multi-spec');
    const items = doc.items as Record<string, unknown>[];
    items[2] = { ...items[2], qty: 'abc' };
    expect(issues(doc)).toEqual(['items.2.qty: expected a number or a numeric string, got "abc"']);
  });

  it('requires sku_id and qty on every line', () => {
    const doc = { ...raw('simple-one-line'), items: [{ ioi_id: 1, qty: 1 }, { ioi_id: 2, sku_id: 'A1001-RED-M' }] };
    expect(issues(doc)).toEqual([
      'items.0.sku_id: expected a text, got nothing (the field is missing)',
      'items.1.qty: expected a number or a numeric string, got nothing (the field is missing)',
    ]);
  });

  it('rejects negative quantities, fractional ids and non-numeric versions', () => {
    const base = raw('simple-one-line');
    const items = base.items as Record<string, unknown>[];
    expect(issues({ ...base, items: [{ ...items[0], qty: -1 }] })).toEqual(['items.0.qty: a quantity cannot be negative']);
    expect(issues({ ...base, io_id: 12.5 })).toEqual(['io_id: expected an integer id']);
    expect(issues({ ...base, ts: 'abc' })).toEqual(['ts: expected a non-negative integer (number or digit string), got "abc"']);
  });

  it('rejects a modified that is not a datetime, and items that are not a list', () => {
    expect(issues({ ...raw('simple-one-line'), modified: 'yesterday' })).toEqual([
      'modified: expected a JST datetime like 2024-05-20 15:40:11',
    ]);
    expect(issues({ ...raw('simple-one-line'), items: 'none' })).toEqual(['items: expected a list, got "none"']);
  });

  it('rejects a batch without batch number or quantity', () => {
    const doc = { ...raw('two-batches'), batchs: [{ ioi_id: 88501, sku_id: 'B2001-250ML' }] };
    expect(issues(doc)).toEqual([
      'batchs.0.batch_no: expected a text, got nothing (the field is missing)',
      'batchs.0.qty: expected a number or a numeric string, got nothing (the field is missing)',
    ]);
  });
});
