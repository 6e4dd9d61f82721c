import { flowCutover } from '@sync/config';
// The config package's test helpers: this file tests the config file as assembled here.
import { configErrorMessage as thrownMessage, tempDir } from '../../config/src/config-tests.test-support';
import { loadSyncConfig, parseSyncConfig } from './sync-config';

const yamlConfig = `
flows:
  sales-outbound:
    billNoPrefix: JSTSO-
    schedule:
      everyMs: 5000
mappings:
  warehouses:
    10969016: { stock: CK001, stockOrg: "100", binFlexKey: FSTOCKLOCID__FF100001 }
  shops:
    "16882300": { customer: CUST-TMALL, saleOrg: "100" }
  skus:
    mode: table
    map:
      C3001: { material: C3001, batchManaged: true }
  defaults:
    units: { 件: Pcs }
`;

describe('loadSyncConfig', () => {
  const dir = tempDir('sync-config-test-');
  const file = (name: string, text: string): string => dir.file(name, text);

  it('reads YAML and fills defaults', () => {
    const config = loadSyncConfig(file('a.yaml', yamlConfig));
    expect(config.flows['sales-outbound']).toEqual({
      enabled: true,
      schedule: { everyMs: 5000, lagSeconds: 60, lookbackSeconds: 600 },
      cutoverBy: 'business-date',
      billType: 'XSCKD01_SYS',
      billNoPrefix: 'JSTSO-',
      currency: 'PRE001',
      exchangeRateType: 'HLTX01_SYS',
      taxRate: 13,
      stockStatus: 'KCZT01_SYS',
      submit: true,
      audit: true,
      allowNegativeStock: true,
      attempts: 8,
      backoffMs: 2000,
      reversal: 'record',
    });
    expect(config.mappings.warehouses).toEqual({ '10969016': { stock: 'CK001', stockOrg: '100', binFlexKey: 'FSTOCKLOCID__FF100001' } });
    expect(config.mappings.skus).toEqual({ mode: 'table', map: { C3001: { material: 'C3001', batchManaged: true } } });
    expect(config.mappings.defaults).toEqual({ unit: 'Pcs', units: { 件: 'Pcs' }, unmappedUnitsUseDefault: false });
  });

  it('reads the same document written as JSON', () => {
    const fromYaml = loadSyncConfig(file('b.yaml', yamlConfig));
    const fromJson = loadSyncConfig(file('b.json', JSON.stringify(fromYaml)));
    expect(fromJson).toEqual(fromYaml);
  });

  it('accepts an empty file: no flows, empty mappings in identity mode', () => {
    expect(loadSyncConfig(file('empty.yaml', ''))).toEqual({
      flows: {},
      mappings: { warehouses: {}, stocks: {}, suppliers: {}, departments: {}, shops: {}, skus: { mode: 'identity', map: {} }, defaults: { unit: 'Pcs', units: {}, unmappedUnitsUseDefault: false } },
      reconciliation: { exclude: {}, keepDays: 90, lookaheadDays: 7, maxRuns: 500 },
    });
  });

  it('reads the cutover (top level and per flow) and refuses one that is not a date-time, naming its key', () => {
    const config = parseSyncConfig('cutover: "2026-12-01 00:00:00"\nflows:\n  sales-outbound: { cutover: "2026-12-02T00:00:00+08:00", cutoverBy: modified }\n  transfer: {}\n', 'c.yaml');
    expect(config.cutover).toBe('2026-12-01 00:00:00');
    expect(flowCutover(config, 'sales-outbound', config.flows['sales-outbound']!)).toEqual({ at: '2026-12-02T00:00:00+08:00', by: 'modified', key: 'flows.sales-outbound.cutover' });
    expect(flowCutover(config, 'transfer', config.flows.transfer!)).toEqual({ at: '2026-12-01 00:00:00', by: 'business-date', key: 'cutover' });
    expect(flowCutover({}, 'transfer', config.flows.transfer!)).toBeUndefined();
    expect(thrownMessage(() => parseSyncConfig('cutover: "1 December"', 'x.yaml'))).toMatch(/^x\.yaml is invalid:\n  - cutover: expected a Beijing date-time "yyyy-MM-dd HH:mm:ss"/);
    expect(thrownMessage(() => parseSyncConfig('flows: { transfer: { cutover: 20261201 } }', 'x.yaml'))).toContain('flows.transfer.cutover:');
    expect(thrownMessage(() => parseSyncConfig('flows: { material: { cutover: "2026-12-01" } }', 'x.yaml'))).toContain('flows.material');
  });

  it('lets only a bare warehouse key cover sub-warehouses', () => {
    const ok = parseSyncConfig('mappings: { warehouses: { "1": { stock: A, stockOrg: "1", coversSubWarehouses: [1, "3"] }, "2": { stock: B, stockOrg: "1", coversSubWarehouses: true } } }', 'w.yaml');
    expect(ok.mappings.warehouses['1']!.coversSubWarehouses).toEqual([1, '3']);
    expect(thrownMessage(() => parseSyncConfig('mappings: { warehouses: { "1/2": { stock: A, stockOrg: "1", coversSubWarehouses: true } } }', 'w.yaml')))
      .toContain('mappings.warehouses.1/2.coversSubWarehouses: only a bare "<wms_co_id>" entry can cover sub-warehouses');
    expect(thrownMessage(() => parseSyncConfig('mappings: { warehouses: { "1": { stock: A, stockOrg: "1", coversSubWarehouses: [] } } }', 'w.yaml')))
      .toContain('mappings.warehouses.1.coversSubWarehouses');
  });

  it('names the path of a bad key', () => {
    const bad = yamlConfig.replace('stock: CK001, ', '');
    const msg = thrownMessage(() => loadSyncConfig(file('c.yaml', bad)));
    expect(msg).toContain('c.yaml is invalid:');
    expect(msg).toContain('- mappings.warehouses.10969016.stock: ');
  });

  it('explains an unquoted number where Kingdee expects a number text', () => {
    const bad = yamlConfig.replace('saleOrg: "100"', 'saleOrg: 100');
    const msg = thrownMessage(() => loadSyncConfig(file('d.yaml', bad)));
    expect(msg).toContain('- mappings.shops.16882300.saleOrg: expected text: quote numbers in YAML, e.g. "100"');
  });

  it('rejects an unknown flow key', () => {
    const msg = thrownMessage(() => parseSyncConfig(`${yamlConfig}\n`.replace('flows:\n', 'flows:\n  purchase-in: {}\n'), 'x.yaml'));
    expect(msg).toContain('- flows: ');
    expect(msg).toContain('purchase-in');
  });

  it.each([
    ['a misspelt flow setting', yamlConfig.replace('billNoPrefix:', 'billNoPrefx:'), 'flows.sales-outbound', 'billNoPrefx'],
    ['a misspelt schedule setting', yamlConfig.replace('everyMs:', 'everyMS:'), 'flows.sales-outbound.schedule', 'everyMS'],
    ['a misspelt mapping field', yamlConfig.replace('batchManaged:', 'batchManged:'), 'mappings.skus.map.C3001', 'batchManged'],
    ['a misspelt top-level section', yamlConfig.replace('mappings:', 'mapping:'), '(root)', 'mapping'],
  ])('rejects %s instead of ignoring it', (_what, text, path, key) => {
    const msg = thrownMessage(() => parseSyncConfig(text, 'x.yaml'));
    expect(msg).toContain(`- ${path}: `);
    expect(msg).toContain(`"${key}"`);
  });

  it('reads the write mode and the key field, and names a bad one', () => {
    const ok = parseSyncConfig(yamlConfig.replace('billNoPrefix: JSTSO-', 'billNoPrefix: JSTSO-\n    writeMode: auto-audit\n    keyField: SubHeadEntity.F_JST_Key'), 'x.yaml');
    expect(ok.flows['sales-outbound']).toMatchObject({ writeMode: 'auto-audit', keyField: 'SubHeadEntity.F_JST_Key' });
    const bad = yamlConfig.replace('billNoPrefix: JSTSO-', 'billNoPrefix: JSTSO-\n    writeMode: turbo\n    keyField: "F JST"');
    const msg = thrownMessage(() => parseSyncConfig(bad, 'x.yaml'));
    expect(msg).toContain('- flows.sales-outbound.writeMode: ');
    expect(msg).toContain('- flows.sales-outbound.keyField: a field key such as FNote, F_JST_Key or SubHeadEntity.F_JST_Key');
  });

  it('names every bad key at once', () => {
    const bad = yamlConfig.replace('everyMs: 5000', 'everyMs: 10').replace('mode: table', 'mode: sometimes');
    const msg = thrownMessage(() => parseSyncConfig(bad, 'x.yaml'));
    expect(msg).toContain('- flows.sales-outbound.schedule.everyMs: ');
    expect(msg).toContain('- mappings.skus.mode: ');
  });

  it('reports a YAML syntax error and a missing file with the path', () => {
    expect(thrownMessage(() => parseSyncConfig('flows: [unclosed', 'broken.yaml'))).toMatch(/^broken\.yaml: not valid YAML\/JSON: /);
    const missing = dir.path('missing.yaml');
    expect(thrownMessage(() => loadSyncConfig(missing))).toContain(`cannot read config file ${missing}`);
  });
});
