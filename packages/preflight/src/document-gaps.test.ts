import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { flowRegistry, loadSyncConfig } from '@sync/flows';
import { documentGaps } from './document-gaps';

const fixtures = join(__dirname, '..', '..', 'flows', 'fixtures');
const demo = loadSyncConfig(join(__dirname, '..', '..', '..', 'config', 'sync.config.yaml'));
const fixture = (flow: string, name: string): Record<string, unknown> => JSON.parse(readFileSync(join(fixtures, flow, `${name}.json`), 'utf8')) as Record<string, unknown>;
const NOW = '2026-12-04T12:00:00.000Z';

/** A sales outbound document shipped from an unknown warehouse and shop, with two unknown SKUs (one with a barcode). */
function brokenOutbound(): unknown {
  const doc = fixture('sales-outbound', 'simple-one-line');
  const [line] = doc.items as Array<Record<string, unknown>>;
  doc.wms_co_id = 999;
  doc.shop_id = 888;
  doc.items = [
    { ...line, ioi_id: 88230, sku_id: 'NEW-1', name: '新品一号' },
    { ...line, ioi_id: 88232, sku_id: 'NEW-2', name: '新品二号', sku_code: '6900000000002', unit: '箱' },
    line,
  ];
  return doc;
}

describe('documentGaps (the flow\'s own transform, replayed past each missing key)', () => {
  it.each([
    ['sales-outbound', brokenOutbound(), [
      { kind: 'warehouse', key: '999', path: 'mappings.warehouses."999"' },
      { kind: 'shop', key: '888', path: 'mappings.shops."888"' },
      { kind: 'sku', key: 'NEW-1', path: 'mappings.skus.map."NEW-1"', name: '新品一号' },
      { kind: 'sku', key: 'NEW-2', path: 'mappings.skus.map."NEW-2"', name: '新品二号', barcode: '6900000000002' },
      { kind: 'unit', key: '箱', path: 'mappings.defaults.units."箱"' },
    ]],
    ['purchase-inbound', fixture('purchase-inbound', 'unmapped-supplier'), [{ kind: 'supplier', key: expect.any(String), path: expect.stringMatching(/^mappings\.suppliers\."/) }]],
    ['sales-outbound', fixture('sales-outbound', 'simple-one-line'), []],
  ])('%s: every gap of one document at once', (flow, doc, expected) => {
    const f = flowRegistry[flow as 'sales-outbound'];
    const parsed = f.schema.parse(doc);
    const gaps = documentGaps(f, parsed, demo.flows[flow as 'sales-outbound']!, demo.mappings, NOW, doc);
    expect(gaps.sort((a, b) => a.path.localeCompare(b.path))).toEqual([...expected].sort((a, b) => String(a.path).localeCompare(String(b.path))));
  });

  it('names a flow\'s department key that the mappings lack', () => {
    const mappings = { ...demo.mappings, departments: {} };
    const f = flowRegistry['other-outbound'];
    const doc = f.schema.parse(fixture('other-outbound', firstFixture('other-outbound')));
    const gaps = documentGaps(f, doc, demo.flows['other-outbound']!, mappings, NOW);
    expect(gaps).toContainEqual({ kind: 'department', key: 'stock', path: 'mappings.departments."stock"' });
  });

  it('reports an unlisted SKU in identity mode too (the caller checks the same-number material), and leaves the mappings alone', () => {
    const identity = { ...demo.mappings, skus: { mode: 'identity' as const, map: {} } };
    const before = JSON.stringify(identity);
    const f = flowRegistry['sales-outbound'];
    const gaps = documentGaps(f, f.schema.parse(fixture('sales-outbound', 'simple-one-line')), demo.flows['sales-outbound']!, identity, NOW);
    expect(gaps).toEqual([{ kind: 'sku', key: 'A1001-BLK-L', path: 'mappings.skus.map."A1001-BLK-L"', name: '纯棉T恤' }]);
    expect(JSON.stringify(identity)).toBe(before);
  });
});

function firstFixture(flow: string): string {
  return readdirSync(join(fixtures, flow)).filter((n) => n.endsWith('.json')).sort()[0].replace(/\.json$/, '');
}
