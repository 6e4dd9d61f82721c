import { parse as parseYaml } from 'yaml';
import { evaluate } from './evaluate';
import type { KingdeeFacts, KingdeeRecord, PreflightFacts } from './facts';
import { buildReport, preflightReportSchema, type Finding } from './report';
import { formatReport } from './format';
import { skuMappingSnippet, suggestMaterial } from './suggest';
import { parseSyncConfig, type SyncConfig } from '@sync/flows';

const config: SyncConfig = parseSyncConfig(
  `
flows:
  sales-outbound: {}
  other-outbound: { department: stock }
mappings:
  warehouses:
    "1": { stock: CK001, stockOrg: "100" }
  shops:
    "7": { customer: CUST-A, saleOrg: "100" }
  suppliers:
    "9": { supplier: SUP-A }
  departments:
    stock: BM01
  skus:
    mode: table
    map:
      SKU-A: { material: MAT-A, batchManaged: false, shelfLifeManaged: true }
`,
  'test.yaml',
);

const rec = (number: string, extra: Partial<KingdeeRecord> = {}): KingdeeRecord => ({ number, name: number, documentStatus: 'C', forbidStatus: 'A', ...extra });

/** Kingdee facts in which everything the config names is present, audited and enabled. */
function cleanKingdee(): KingdeeFacts {
  return {
    logins: [{ user: 'u1', ok: true }],
    records: {
      organization: { ok: true, rows: [rec('100')] },
      stock: { ok: true, rows: [rec('CK001', { useOrg: '100' })] },
      customer: { ok: true, rows: [rec('CUST-A')] },
      supplier: { ok: true, rows: [rec('SUP-A')] },
      department: { ok: true, rows: [rec('BM01')] },
      unit: { ok: true, rows: [rec('Pcs')] },
      currency: { ok: true, rows: [rec('PRE001')] },
      billType: { ok: true, rows: [rec('XSCKD01_SYS', { formId: 'SAL_OUTSTOCK' }), rec('QTCKD01_SYS', { formId: 'STK_MisDelivery' })] },
      material: { ok: true, rows: [rec('MAT-A', { batchManaged: false, shelfLifeManaged: true })] },
    },
  };
}

const clean = (): PreflightFacts => ({
  kingdee: cleanKingdee(),
  jst: { endpoints: [{ flow: 'sales-outbound', path: '/open/orders/out/simple/query', ok: true }] },
  gaps: { days: 7, flows: [{ flow: 'sales-outbound', ok: true, documents: 12, gaps: [] }] },
});

/** Replaces the rows of one kind. */
function withRows(kind: keyof KingdeeFacts['records'], rows: KingdeeRecord[]): PreflightFacts {
  const facts = clean();
  facts.kingdee!.records[kind] = { ok: true, rows };
  return facts;
}

const pick = (findings: Finding[]) => findings.map((f) => ({ severity: f.severity, check: f.check, path: f.path }));

describe('evaluate (the doctor\'s checks over gathered facts)', () => {
  it('finds nothing in a clean configuration', () => {
    expect(evaluate(config, clean())).toEqual([]);
  });

  it.each<[string, PreflightFacts, Array<Pick<Finding, 'severity' | 'check' | 'path'>>, RegExp]>([
    ['a missing stock', withRows('stock', []), [{ severity: 'error', check: 'kingdee.base-data', path: 'mappings.warehouses."1".stock' }], /stock 仓库 CK001 does not exist/],
    ['an unaudited customer', withRows('customer', [rec('CUST-A', { documentStatus: 'A' })]), [{ severity: 'error', check: 'kingdee.base-data', path: 'mappings.shops."7".customer' }], /not audited .*FDocumentStatus A/],
    ['a forbidden supplier', withRows('supplier', [rec('SUP-A', { forbidStatus: 'B' })]), [{ severity: 'error', check: 'kingdee.base-data', path: 'mappings.suppliers."9".supplier' }], /forbidden in Kingdee/],
    ['a missing organisation, used at three paths, once', withRows('organization', []), [{ severity: 'error', check: 'kingdee.base-data', path: 'mappings.warehouses."1".stockOrg' }], /also used at mappings\.shops\."7"\.saleOrg/],
    ['a stock of another organisation', withRows('stock', [rec('CK001', { useOrg: '200' })]), [{ severity: 'error', check: 'kingdee.stock-organisation', path: 'mappings.warehouses."1".stockOrg' }], /its organisation: 200/],
    ['a bill type of another form', withRows('billType', [rec('XSCKD01_SYS', { formId: 'SAL_RETURNSTOCK' }), rec('QTCKD01_SYS', { formId: 'STK_MisDelivery' })]), [{ severity: 'error', check: 'kingdee.base-data', path: 'flows.sales-outbound.billType' }], /belongs to form SAL_RETURNSTOCK/],
    ['a batch-managed material mapped as not', withRows('material', [rec('MAT-A', { batchManaged: true, shelfLifeManaged: true })]), [{ severity: 'error', check: 'kingdee.material-flags', path: 'mappings.skus.map."SKU-A".batchManaged' }], /FIsBatchManage true/],
    ['a shelf-life flag Kingdee does not have', withRows('material', [rec('MAT-A', { batchManaged: false, shelfLifeManaged: false })]), [{ severity: 'error', check: 'kingdee.material-flags', path: 'mappings.skus.map."SKU-A".shelfLifeManaged' }], /FIsKFPeriod false/],
    ['a kind that could not be read', (() => { const f = clean(); f.kingdee!.records.unit = { ok: false, error: 'no permission' }; return f; })(), [{ severity: 'warning', check: 'kingdee.base-data', path: 'mappings.defaults.unit' }], /no permission/],
    ['a user that cannot log in', (() => { const f = clean(); f.kingdee!.logins.push({ user: 'u2', ok: false, error: 'refused' }); return f; })(), [{ severity: 'error', check: 'kingdee.login', path: 'KINGDEE_USERNAME' }], /u2 cannot log in/],
    ['a JST token refused', (() => { const f = clean(); f.jst = { endpoints: [{ flow: 'sales-outbound', path: '/p', ok: false, auth: true, error: 'code 100' }] }; return f; })(), [{ severity: 'error', check: 'jst.token', path: 'JST_ACCESS_TOKEN' }], /could not be renewed/],
    ['a JST endpoint that does not answer', (() => { const f = clean(); f.jst = { endpoints: [{ flow: 'sales-outbound', path: '/p', ok: false, error: 'HTTP 502' }] }; return f; })(), [{ severity: 'error', check: 'jst.endpoint', path: 'flows.sales-outbound' }], /HTTP 502/],
    ['a flow whose documents could not be read', (() => { const f = clean(); f.gaps = { days: 7, flows: [{ flow: 'sales-outbound', ok: false, error: 'timeout', documents: 0, gaps: [] }] }; return f; })(), [{ severity: 'warning', check: 'mapping.gap', path: 'flows.sales-outbound' }], /timeout/],
    ['a part not checked', { ...clean(), kingdee: undefined, kingdeeSkipped: 'no KINGDEE_* settings' }, [{ severity: 'info', check: 'doctor.skipped', path: 'KINGDEE_*' }], /no KINGDEE_\* settings/],
    ['a flow read only through Qimen', { ...clean(), jstNotChecked: ['sales-outbound'] }, [{ severity: 'info', check: 'doctor.skipped', path: 'flows.sales-outbound.transport' }], /only through 聚水潭·奇门/],
  ])('%s', (_name, facts, expected, message) => {
    const findings = evaluate(config, facts);
    expect(pick(findings)).toEqual(expected);
    expect(findings[0].message).toMatch(message);
  });

  it('names a flow department key that mappings.departments lacks', () => {
    const broken = parseSyncConfig('flows:\n  other-outbound: { department: store }\n', 'x.yaml');
    const findings = evaluate(broken, {});
    expect(pick(findings)).toEqual([{ severity: 'error', check: 'config.reference', path: 'flows.other-outbound.department' }]);
  });

  it('lists mapping gaps merged over flows, with the documents they block and a suggestion for SKUs', () => {
    const facts = clean();
    facts.gaps = {
      days: 7,
      flows: [
        { flow: 'sales-outbound', ok: true, documents: 10, gaps: [
          { kind: 'warehouse', key: '5', path: 'mappings.warehouses."5"', docs: 2, sampleDocIds: ['1', '2'] },
          { kind: 'sku', key: 'NEW-1', path: 'mappings.skus.map."NEW-1"', docs: 3, sampleDocIds: ['3'], name: '新品' },
        ] },
        { flow: 'other-outbound', ok: true, documents: 4, gaps: [{ kind: 'sku', key: 'NEW-1', path: 'mappings.skus.map."NEW-1"', docs: 1, sampleDocIds: ['9'] }] },
      ],
    };
    facts.kingdee!.candidates = { ok: true, rows: [rec('M-NEW', { barcode: 'NEW-1', batchManaged: true, shelfLifeManaged: false })] };
    const findings = evaluate(config, facts);
    expect(findings.map((f) => [f.path, f.blocks, f.flows])).toEqual([
      ['mappings.warehouses."5"', 2, ['sales-outbound']],
      ['mappings.skus.map."NEW-1"', 4, ['sales-outbound', 'other-outbound']],
    ]);
    const sku = findings[1];
    expect(sku.message).toContain('material M-NEW (M-NEW) with the same barcode');
    expect(parseYaml(sku.suggestion ?? '')).toEqual({ mappings: { skus: { map: { 'NEW-1': { material: 'M-NEW', batchManaged: true, shelfLifeManaged: false } } } } });
  });

  it('in identity mode, an unlisted SKU whose same-number material is usable is no gap; one without is', () => {
    const identity = { ...config, mappings: { ...config.mappings, skus: { mode: 'identity' as const, map: {} } } };
    const facts = clean();
    facts.kingdee!.records.material = { ok: true, rows: [] };
    facts.gaps = { days: 7, flows: [{ flow: 'sales-outbound', ok: true, documents: 5, gaps: [
      { kind: 'sku', key: 'OK-1', path: 'mappings.skus.map."OK-1"', docs: 1, sampleDocIds: ['1'] },
      { kind: 'sku', key: 'OFF-1', path: 'mappings.skus.map."OFF-1"', docs: 1, sampleDocIds: ['2'] },
      { kind: 'sku', key: 'NONE-1', path: 'mappings.skus.map."NONE-1"', docs: 2, sampleDocIds: ['3'] },
    ] }] };
    facts.kingdee!.candidates = { ok: true, rows: [rec('OK-1'), rec('OFF-1', { forbidStatus: 'B' })] };
    const findings = evaluate(identity, facts).filter((f) => f.check === 'mapping.gap');
    expect(findings.map((f) => f.path)).toEqual(['mappings.skus.map."OFF-1"', 'mappings.skus.map."NONE-1"']);
    expect(findings[0].message).toMatch(/maps by identity to material OFF-1, which is not audited or is forbidden/);
    expect(findings[1].message).toMatch(/no material of the same number/);
  });
});

describe('suggestMaterial', () => {
  const pool = [rec('A-1', { name: '纯棉T恤' }), rec('B-1', { name: '保湿精华液', barcode: '690001' }), rec('Z-OFF', { name: '新品', forbidStatus: 'B' })];
  it.each([
    ['same number (case-insensitive)', { key: 'a-1' }, 'A-1', 'same number'],
    ['same barcode as the SKU id', { key: '690001' }, 'B-1', 'same barcode'],
    ['same barcode as JST sku_code', { key: 'X', barcode: '690001' }, 'B-1', 'same barcode'],
    ['close name', { key: 'X', name: '纯棉 T恤 ' }, 'A-1', 'close name'],
  ])('%s', (_n, gap, number, reason) => {
    expect(suggestMaterial(gap, pool)).toMatchObject({ material: { number }, reason });
  });
  it.each([
    ['a distant name', { key: 'X', name: '坚果礼盒' }],
    ['only a forbidden match', { key: 'Z-OFF' }],
    ['no name and no match', { key: 'X' }],
  ])('none for %s', (_n, gap) => {
    expect(suggestMaterial(gap, pool)).toBeUndefined();
  });
  it('writes a snippet that reads back as the mapping, quoting what YAML would misread', () => {
    const text = skuMappingSnippet('00123', rec('0100', { batchManaged: false }));
    expect(parseYaml(text)).toEqual({ mappings: { skus: { map: { '00123': { material: '0100', batchManaged: false } } } } });
  });
});

describe('the report', () => {
  it('sorts errors first, counts, validates against the exported schema and prints one line per finding', () => {
    const facts = withRows('stock', []);
    facts.kingdeeSkipped = undefined;
    facts.gapsSkipped = 'not requested';
    const report = buildReport(evaluate(config, facts), '2026-12-04T20:00:00.000Z', 0);
    expect(preflightReportSchema.parse(report)).toEqual(report);
    expect(report.ok).toBe(false);
    expect(report.findings.map((f) => f.severity)).toEqual(['error', 'info']);
    const lines = formatReport(report).split('\n');
    expect(lines[0]).toBe('ERROR mappings.warehouses."1".stock: stock 仓库 CK001 does not exist in Kingdee → create and audit stock 仓库 CK001 in Kingdee (or let the integration user see it: data permissions hide records silently), or correct mappings.warehouses."1".stock');
    expect(lines.at(-1)).toBe('1 error, 0 warnings, 1 info: fix the errors before going live');
  });
});
