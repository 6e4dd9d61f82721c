import { PermanentError, RateLimitedError, TransientError, isClassified } from './index';

describe('error kinds', () => {
  it('keeps code, kind and details', () => {
    const e = new PermanentError('UNMAPPED_BASE_DATA', 'sales-outbound 1: SKU X unmapped', { flow: 'sales-outbound', docId: '1', field: 'items[0].sku_id' });
    expect(e.kind).toBe('permanent');
    expect(e.code).toBe('UNMAPPED_BASE_DATA');
    expect(e.details.field).toBe('items[0].sku_id');
    expect(e.name).toBe('PermanentError');
    expect(e).toBeInstanceOf(Error);
  });
  it('classifies only our kinds', () => {
    expect(isClassified(new TransientError('TIMEOUT', 't'))).toBe(true);
    expect(isClassified(new RateLimitedError('JST_199', 'r', 1000))).toBe(true);
    expect(isClassified(new Error('x'))).toBe(false);
  });
});
