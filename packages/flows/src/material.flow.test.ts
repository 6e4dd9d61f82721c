import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { PermanentError } from '@sync/errors';
import type { KingdeeSourceContext } from './kingdee-source-types';
import { materialFlow, transformMaterial } from './material.flow';
import { materialRowToRecord, materialSchema, MATERIAL_FIELD_KEYS, type MaterialRecord } from './material.source';
import { jstUnitOf, shelfLifeDays, skusOfMaterial } from './material-skus';
import { parseSyncConfig } from './sync-config';

const config = parseSyncConfig(
  `
flows:
  material: { batchSize: 20 }
mappings:
  skus:
    mode: identity
    map:
      TSHIRT-01-RED-M: { material: TSHIRT-01, auxProps: { FAUXPROPID__FF100001: RED, FAUXPROPID__FF100002: M } }
      TSHIRT-01-BLUE-L: { material: TSHIRT-01, auxProps: { FAUXPROPID__FF100001: BLUE, FAUXPROPID__FF100002: L } }
      GIFT-BAG: { material: BAG-001, unit: Pcs }
  defaults:
    units: { 件: jian, 个: Pcs }
`,
  'material-test',
);
const ctx: KingdeeSourceContext = { flow: 'material', settings: config.flows.material!, mappings: config.mappings, now: '2024-06-10T00:00:00.000Z' };

function fixture(name: string): MaterialRecord {
  const raw: unknown = JSON.parse(readFileSync(join(__dirname, '..', 'fixtures', 'material', `${name}.json`), 'utf8'));
  return materialSchema.parse(raw);
}

function upload(name: string) {
  const res = transformMaterial(fixture(name), ctx);
  if (res.kind !== 'upload') throw new Error(`expected an upload, got skip: ${res.reason}`);
  return res;
}

describe('material transform (Kingdee BD_MATERIAL → JST itemsku upload)', () => {
  it('simple material: identity SKU, barcode, unit through the reverse unit table', () => {
    const res = upload('simple');
    expect(res.items).toEqual([
      {
        sku_id: 'MAT-0001',
        i_id: 'MAT-0001',
        name: '保温杯',
        properties_value: '500ml 不锈钢',
        unit: '个',
        sku_code: '6901234567890',
        enabled: 1,
        batch_enabled: false,
      },
    ]);
    expect(res.notes).toBeUndefined();
  });

  it('multi-spec material: one item per mapped SKU, i_id shared, aux values as properties_value, no shared barcode', () => {
    const res = upload('multi-spec');
    expect(res.items.map((i) => [i.sku_id, i.i_id, i.properties_value, i.unit])).toEqual([
      ['TSHIRT-01-BLUE-L', 'TSHIRT-01', 'BLUE;L', '件'],
      ['TSHIRT-01-RED-M', 'TSHIRT-01', 'RED;M', '件'],
    ]);
    expect(res.items.every((i) => i.sku_code === undefined)).toBe(true);
    expect(res.notes?.[0]).toMatch(/FBARCODE 6900000000001 not sent/);
  });

  it('batch and shelf-life flags: numbers and flags as strings, months converted to days, unit name kept', () => {
    const [item] = upload('batch-shelf-life').items;
    expect(item).toMatchObject({ sku_id: 'MILK-01', batch_enabled: true, shelf_life: 180, unit: '盒' });
    expect(item.properties_value).toBeUndefined();
    expect(item.sku_code).toBeUndefined();
  });

  it('forbidden and unaudited materials are not ready and are skipped with a reason', () => {
    for (const name of ['forbidden', 'unaudited']) {
      const rec = fixture(name);
      expect(materialFlow.isReady(rec)).toBe(false);
      const res = transformMaterial(rec, ctx);
      expect(res.kind).toBe('skip');
      if (res.kind === 'skip') expect(res.reason).toContain(rec.FNumber);
    }
    expect(materialFlow.isReady(fixture('simple'))).toBe(true);
  });

  it('an empty name is a PermanentError naming the material and the field', () => {
    let caught: unknown;
    try {
      transformMaterial(fixture('empty-name'), ctx);
    } catch (err) {
      caught = err;
    }
    expect(caught).toBeInstanceOf(PermanentError);
    expect((caught as PermanentError).code).toBe('INVALID_SOURCE_DOCUMENT');
    expect((caught as PermanentError).message).toMatch(/NONAME-01: FName is empty/);
  });

  it('cuts properties_value to 100 characters (a Chinese character counts as one)', () => {
    const rec = { ...fixture('simple'), FSpecification: '规'.repeat(150) };
    const res = transformMaterial(rec, ctx);
    if (res.kind !== 'upload') throw new Error('expected upload');
    expect(Array.from(res.items[0].properties_value ?? '')).toHaveLength(100);
    expect(materialFlow.target.schema.safeParse(res.items[0]).success).toBe(true);
  });

  it('a plain rename in the SKU table maps the material to that SKU', () => {
    expect(skusOfMaterial(config.mappings, 'BAG-001')).toEqual([{ skuId: 'GIFT-BAG', auxProps: {} }]);
    expect(skusOfMaterial(config.mappings, 'bag-001')).toEqual([{ skuId: 'GIFT-BAG', auxProps: {} }]);
    expect(skusOfMaterial(config.mappings, 'OTHER')).toEqual([{ skuId: 'OTHER', auxProps: {} }]);
  });

  it.each([
    [0, 'D', undefined],
    [365, 'D', 365],
    [6, 'M', 180],
    [2, 'Y', 730],
    [10, '', 10],
  ])('shelfLifeDays(%p, %p) = %p', (period, unit, days) => {
    expect(shelfLifeDays(period, unit)).toBe(days);
  });

  it('jstUnitOf: reverse table, else name, else number', () => {
    expect(jstUnitOf(config.mappings, 'PCS', 'Pcs')).toBe('个');
    expect(jstUnitOf(config.mappings, 'Box', '盒')).toBe('盒');
    expect(jstUnitOf(config.mappings, 'Box', '')).toBe('Box');
    expect(jstUnitOf(config.mappings, '', '')).toBeUndefined();
  });

  it('row → record zips the query row with the field keys', () => {
    const simple = fixture('simple');
    const row = MATERIAL_FIELD_KEYS.map((k) => (simple as Record<string, unknown>)[k]);
    expect(materialSchema.parse(materialRowToRecord(row))).toEqual(simple);
    expect(materialSchema.safeParse(materialRowToRecord(['1'])).success).toBe(false);
  });
});
