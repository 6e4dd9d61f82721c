import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowContext } from './registry';
import { salOutStockModelSchema, salesOutboundFlow, salesOutboundSchema } from './sales-outbound.flow';
import { loadSyncConfig } from './sync-config';

const configDir = join(__dirname, '..', '..', '..', 'config');
const fixtures = join(__dirname, '..', 'fixtures', 'sales-outbound');

describe('config/sync.config.yaml (demo) and config/sync.config.example.yaml', () => {
  const demo = loadSyncConfig(join(configDir, 'sync.config.yaml'));
  const example = loadSyncConfig(join(configDir, 'sync.config.example.yaml'));

  it('both validate, and the annotated example says the same as the demo file', () => {
    expect(example).toEqual(demo);
  });

  it('the demo file maps the demo world', () => {
    expect(demo.flows['sales-outbound']).toMatchObject({
      enabled: true, schedule: { everyMs: 5000 }, billType: 'XSCKD01_SYS', billNoPrefix: 'JSTSO', submit: true, audit: true,
    });
    expect(demo.mappings.warehouses).toEqual({
      '10969016': { stock: 'CK001', stockOrg: '100', coversSubWarehouses: [1, 3] },
      '10969017': { stock: 'CK002', stockOrg: '100', bins: { 'G-01-01': 'G.01', 'G-02-03': 'G.02' }, coversSubWarehouses: true },
      '10969016/2': { stock: 'CK001-TH', stockOrg: '100' },
      '10969016/4': { stock: 'CK001-DEF', stockOrg: '100' },
      // planted for the preflight doctor (a forbidden stock, a stock of another organisation, location gaps)
      '10969018': { stock: 'CK003', stockOrg: '100' },
      '10969019': { stock: 'CK004', stockOrg: '200' },
      '10969020': { stock: 'CK005', stockOrg: '100' },
      '10969021': { stock: 'CK006', stockOrg: '100' },
    });
    // The simulator's demo base data keeps these stocks by location.
    expect(demo.mappings.stocks).toEqual({
      CK002: { locationFlex: ['FF100001', 'FF100002'], defaultLocation: 'G.01' },
      'CK001-TH': { locationFlex: ['FF100001'], defaultLocation: 'TH-01' },
      'CK001-DEF': { locationFlex: ['FF100003'], defaultLocation: 'DEF-01' },
      CK006: { locationFlex: ['FF100001'], defaultLocation: 'N-99' }, // planted: CK006 has no location N-99
    });
    expect(demo.mappings.shops).toEqual({
      '16882300': { customer: 'CUST-TMALL', saleOrg: '100' },
      '16882301': { customer: 'CUST-JD', saleOrg: '100' },
      '16882302': { customer: 'CUST-DOUYIN', saleOrg: '100' },
      '16882303': { customer: 'CUST-PDD', saleOrg: '100' }, // planted: unaudited in the simulator
    });
    expect(demo.mappings.skus.mode).toBe('table');
    expect(Object.keys(demo.mappings.skus.map).sort()).toEqual([
      'A1001-BLK-L', 'A1001-BLK-M', 'A1001-BLK-S', 'A1001-RED-L', 'A1001-RED-M', 'A1001-RED-S', 'B2001-250ML', 'B2001-500ML', 'C3001', 'D4001', 'E5001',
    ]);
    for (const [sku, m] of Object.entries(demo.mappings.skus.map)) expect(m.material).toBe(sku);
    expect(demo.mappings.skus.map['C3001']).toEqual({ material: 'C3001', batchManaged: true, shelfLifeManaged: true });
    expect(demo.mappings.skus.map['D4001']).toEqual({ material: 'D4001', batchManaged: false, shelfLifeManaged: false });
    expect(demo.mappings.skus.map).not.toHaveProperty('Z9999-NEW');
    expect(demo.mappings.defaults).toEqual({ unit: 'Pcs', units: { 件: 'Pcs', 瓶: 'Btl', 盒: 'Box', 个: 'Pcs' }, unmappedUnitsUseDefault: false });
  });

  it.each([
    ['simple-one-line', 'write'],
    ['gift-line', 'write'],
    ['two-batches', 'write'],
    ['two-hundred-lines', 'write'],
    ['numbers-as-strings', 'write'],
    ['all-lines-zero', 'skip'],
  ])('the demo mapping transforms fixture %s into a valid bill', (name, kind) => {
    const doc = salesOutboundSchema.parse(JSON.parse(readFileSync(join(fixtures, `${name}.json`), 'utf8')));
    const result = salesOutboundFlow.transform(doc, flowContext('sales-outbound', demo, '2024-06-01T00:00:00.000Z'));
    expect(result.kind).toBe(kind);
    if (result.kind === 'write') {
      for (const d of result.documents) expect(salOutStockModelSchema.safeParse(d.model).success).toBe(true);
      expect(result.documents[0].billNo).toBe(`JSTSO${doc.io_id}`);
    }
  });

  it('the demo mapping sends the unmapped demo SKU to the dead letters', () => {
    const doc = salesOutboundSchema.parse(JSON.parse(readFileSync(join(fixtures, 'unmapped-sku.json'), 'utf8')));
    expect(() => salesOutboundFlow.transform(doc, flowContext('sales-outbound', demo, '2024-06-01T00:00:00.000Z'))).toThrow(
      /SKU sku_id=Z9999-NEW is not mapped/,
    );
  });
});
