import { mappingsSchema } from '@sync/config';
import { lookupWarehouse, resolveUnit, type DocLabel } from './base-data';

const who: DocLabel = { flow: 'sales-return', docId: '3301122', text: '退仓单 io_id=3301122' };

/** The error `fn` throws (the test fails when it throws nothing). */
function errorOf(fn: () => unknown): { code?: string; message: string; details?: unknown } {
  expect(fn).toThrow();
  try {
    fn();
  } catch (e) {
    return e as { code?: string; message: string; details?: unknown };
  }
  return { message: '' };
}

describe('lookupWarehouse: a sub-warehouse never falls back silently', () => {
  const mappings = mappingsSchema.parse({
    warehouses: {
      '10969016': { stock: 'CK001', stockOrg: '100' },
      '10969016/2': { stock: 'CK001-TH', stockOrg: '100' },
      '10969017': { stock: 'CK002', stockOrg: '100', coversSubWarehouses: [1, '3'] },
      '10969018': { stock: 'CK003', stockOrg: '100', coversSubWarehouses: true },
    },
  });

  it('uses "<wms_co_id>/<wh_id>" when it exists, the bare entry without a wh_id', () => {
    expect(lookupWarehouse(mappings, '10969016', who, '2').stock).toBe('CK001-TH');
    expect(lookupWarehouse(mappings, '10969016', who).stock).toBe('CK001');
    expect(lookupWarehouse(mappings, '10969016', who, '').stock).toBe('CK001');
    expect(lookupWarehouse(mappings, '10969016', who, '0').stock).toBe('CK001');
  });

  it('books an unlisted wh_id into the bare entry only when its coversSubWarehouses says so', () => {
    expect(lookupWarehouse(mappings, '10969017', who, '1').stock).toBe('CK002');
    expect(lookupWarehouse(mappings, '10969017', who, '3').stock).toBe('CK002');
    expect(lookupWarehouse(mappings, '10969018', who, '4').stock).toBe('CK003');
  });

  it('refuses an unlisted wh_id of a mapped warehouse, naming the key and how to allow the fallback', () => {
    const e = errorOf(() => lookupWarehouse(mappings, '10969016', who, '1'));
    expect(e.code).toBe('UNMAPPED_BASE_DATA');
    expect(e.message).toBe(
      'sales-return 退仓单 io_id=3301122: warehouse wms_co_id=10969016 wh_id=1 is not mapped (add mappings.warehouses."10969016/1" with stock and stockOrg, ' +
      'or let mappings.warehouses."10969016" book it with coversSubWarehouses: [1] (true = every wh_id), to the config file)',
    );
    expect(e.details).toMatchObject({ flow: 'sales-return', docId: '3301122', field: 'mappings.warehouses."10969016/1"' });
    expect(errorOf(() => lookupWarehouse(mappings, '10969017', who, '4')).details).toMatchObject({ field: 'mappings.warehouses."10969017/4"' });
  });

  it('names the bare key for a warehouse not mapped at all', () => {
    const e = errorOf(() => lookupWarehouse(mappings, '10970001', who, '2'));
    expect(e.message).toContain('warehouse wms_co_id=10970001 is not mapped (add mappings.warehouses."10970001" with stock, stockOrg and coversSubWarehouses: [2] (or mappings.warehouses."10970001/2" for wh_id 2 alone)');
    expect(errorOf(() => lookupWarehouse(mappings, '10970001', who)).message).toContain('add mappings.warehouses."10970001" with stock and stockOrg to the config file');
  });
});

describe('resolveUnit: a JST unit name never falls back silently', () => {
  const mappings = mappingsSchema.parse({ defaults: { unit: 'Pcs', units: { 件: 'Pcs', 箱: 'Box' } } });
  const sku = { material: 'A1001' };

  it('uses the SKU unit, else the mapped JST unit name, else defaults.unit when JST names none', () => {
    expect(resolveUnit(mappings, { material: 'A1001', unit: 'Btl' }, '箱', who)).toBe('Btl');
    expect(resolveUnit(mappings, sku, '箱', who)).toBe('Box');
    expect(resolveUnit(mappings, sku, undefined, who)).toBe('Pcs');
    expect(resolveUnit(mappings, sku, ' ', who)).toBe('Pcs');
  });

  it('refuses an unmapped JST unit name unless unmappedUnitsUseDefault allows it', () => {
    const e = errorOf(() => resolveUnit(mappings, sku, '托', who));
    expect(e.code).toBe('UNMAPPED_BASE_DATA');
    expect(e.message).toContain('JST unit "托" (material A1001) is not mapped (add mappings.defaults.units."托"');
    expect(e.details).toMatchObject({ field: 'mappings.defaults.units."托"' });
    const lenient = mappingsSchema.parse({ defaults: { unit: 'Pcs', unmappedUnitsUseDefault: true } });
    expect(resolveUnit(lenient, sku, '托', who)).toBe('Pcs');
  });
});
