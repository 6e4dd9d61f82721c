import { PermanentError } from '@sync/errors';
import { batchesOfLine, splitLineByBatch, type BatchedLine, type LineBatch } from './batch-lines';

const who = { flow: 'test-flow', docId: '7', text: 'doc 7' };
const line = (ioi: number | undefined, sku: string, qty: number, extra: Partial<BatchedLine> = {}): BatchedLine => ({ ioi_id: ioi, sku_id: sku, qty, ...extra });
const batch = (no: string, ioi: number | undefined, sku: string, qty: number, extra: Partial<LineBatch> = {}): LineBatch => ({ batch_no: no, ioi_id: ioi, sku_id: sku, qty, ...extra });

describe('batchesOfLine', () => {
  it('prefers batches with the line ioi_id', () => {
    const l = line(1, 'X', 3);
    const bs = [batch('a', 1, 'X', 1), batch('b', 2, 'X', 2), batch('c', 1, 'X', 2)];
    expect(batchesOfLine(l, [l], bs).map((b) => b.batch_no)).toEqual(['a', 'c']);
  });

  it('falls back to the SKU only when the batches carry no ioi_id and the SKU is on one (non-zero) line', () => {
    const a = line(1, 'X', 3);
    const zero = line(2, 'X', 0);
    const bs = [batch('a', undefined, 'X', 3)];
    expect(batchesOfLine(a, [a, zero], bs).map((b) => b.batch_no)).toEqual(['a']);
    const b = line(3, 'X', 1);
    expect(batchesOfLine(a, [a, b], bs)).toEqual([]);
    expect(batchesOfLine(a, [a], [batch('a', 9, 'X', 3)])).toEqual([]);
  });
});

describe('splitLineByBatch', () => {
  it('uses the line batch fields when no batch matches, dropping empty ones', () => {
    expect(splitLineByBatch(line(1, 'X', 2, { batch_id: 'L1', product_date: '2024-01-01 00:00:00' }), [], [], { material: 'X' }, who)).toEqual([
      { qty: 2, lot: 'L1', produceDate: '2024-01-01' },
    ]);
    expect(splitLineByBatch(line(1, 'X', 2), [], [], { material: 'X' }, who)).toEqual([{ qty: 2 }]);
  });

  it('leaves out zero-quantity batches once the total matches', () => {
    const l = line(1, 'X', 2);
    expect(splitLineByBatch(l, [l], [batch('a', 1, 'X', 2), batch('b', 1, 'X', 0)], { material: 'X' }, who)).toEqual([{ qty: 2, lot: 'a' }]);
  });

  it('takes dates from the line when the matching batch has none', () => {
    const l = line(1, 'X', 2, { batch_id: 'a', expiration_date: '2025-01-01 00:00:00' });
    expect(splitLineByBatch(l, [l], [batch('a', 1, 'X', 2)], { material: 'X' }, who)).toEqual([{ qty: 2, lot: 'a', expiryDate: '2025-01-01' }]);
  });

  it('throws INVALID_SOURCE_DOCUMENT when the batches do not add up', () => {
    const l = line(1, 'X', 2);
    expect(() => splitLineByBatch(l, [l], [batch('a', 1, 'X', 3)], { material: 'X' }, who)).toThrow(PermanentError);
    expect(() => splitLineByBatch(l, [l], [batch('a', 1, 'X', 3)], { material: 'X' }, who)).toThrow(
      'test-flow doc 7: line ioi_id=1 (sku_id=X) ships qty 2 but its batches add up to 3 (a×3)',
    );
  });
});
