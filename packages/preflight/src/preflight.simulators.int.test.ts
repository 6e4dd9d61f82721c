import { join } from 'node:path';
import { createJstClient, createMemoryCallLimiter, createQimenClient, createUnlimitedCallLimiter } from '@sync/jushuitan';
import { silentLogger } from '@sync/logger';
import {
  demoCredentials, ITEMSKU_UPLOADS_KIND, ORDERS_OUT_KIND, plantedGaps, startDemoSimulators, type DemoSimulators,
} from '@sync/simulator';
import { parse as parseYaml } from 'yaml';
import { baseDataRefs } from './base-data-refs';
import { gatherFacts, runPreflight, type PreflightDeps } from './run-preflight';
import { preflightReportSchema, type Finding, type PreflightReport } from './report';
import { kingdeeAccess } from './startup';
import { loadSyncConfig, type SyncConfig } from '@sync/flows';

const demoConfig = (): SyncConfig => loadSyncConfig(join(__dirname, '..', '..', '..', 'config', 'sync.config.yaml'));

function depsFor(sims: DemoSimulators, config: SyncConfig): PreflightDeps {
  const { kingdee, jst } = demoCredentials;
  return {
    config,
    kingdee: kingdeeAccess({ baseUrl: sims.kingdee.url, auth: 'password', acctId: kingdee.acctId, users: kingdee.users.map((u) => ({ ...u })) }),
    jst: createJstClient({
      baseUrl: sims.jst.url, appKey: jst.appKey, appSecret: jst.appSecret, accessToken: jst.accessToken,
      limiter: createMemoryCallLimiter({ perSecond: 1000, perMinute: 100_000 }),
    }),
    now: () => new Date(sims.jst.now()),
    logger: silentLogger(),
  };
}

const at = (report: PreflightReport, check: Finding['check'], path: string): Finding | undefined =>
  report.findings.find((f) => f.check === check && f.path === path);

describe('the doctor against the simulators (demo world, real HTTP)', () => {
  let sims: DemoSimulators;
  let report: PreflightReport;

  beforeAll(async () => {
    sims = await startDemoSimulators({ seedDocs: 200, jstRateLimit: { perSecond: 0, perMinute: 0 }, logger: silentLogger() });
    // Shipped documents of which half carry the unmapped SKU (the demo seed's few may all be unshipped).
    sims.jst.seed({ count: 20, seed: 'doctor', unmappedRate: 0.5, statusMix: { Confirmed: 1 } });
    report = await runPreflight(depsFor(sims, demoConfig()), { days: 7 });
  }, 60000);
  afterAll(() => sims.close());

  it('the --json report validates against the exported schema and is not ok', () => {
    expect(preflightReportSchema.parse(JSON.parse(JSON.stringify(report)))).toEqual(report);
    expect(report.ok).toBe(false);
    expect(report.days).toBe(7);
  });

  it.each([
    ['the forbidden stock', 'kingdee.base-data', `mappings.warehouses."${plantedGaps.forbiddenStock.wmsCoId}".stock`, /stock 仓库 CK003 is forbidden/],
    ['the stock of another organisation', 'kingdee.stock-organisation', `mappings.warehouses."${plantedGaps.wrongOrgStock.wmsCoId}".stockOrg`, /stock CK004 is not used by organisation 200 .*its organisation: 100/],
    ['the unaudited customer', 'kingdee.base-data', `mappings.shops."${plantedGaps.unauditedCustomer.shopId}".customer`, /customer 客户 CUST-PDD is not audited .*FDocumentStatus A/],
    ['the missing supplier', 'kingdee.base-data', `mappings.suppliers."${plantedGaps.missingSupplier.supplierId}".supplier`, /supplier 供应商 SUP-003 does not exist in Kingdee/],
    ['the batch flag that disagrees with Kingdee', 'kingdee.material-flags', `mappings.skus.map."${plantedGaps.batchFlagMaterial.skuId}".batchManaged`, /FIsBatchManage true/],
    ['the location-managed stock without a default location', 'kingdee.location', `mappings.stocks."${plantedGaps.noDefaultLocation.stock}".defaultLocation`, /stock CK005 keeps stock by location \(FF100001\) and has no default location/],
    ['the default location that does not exist', 'kingdee.location', `mappings.stocks."${plantedGaps.unknownDefaultLocation.stock}".defaultLocation`, /default location "N-99" does not exist in stock CK006 \(Kingdee's locations: FF100001: N-01, N-02\)/],
  ] as const)('finds %s', (_what, check, path, message) => {
    const finding = at(report, check, path);
    expect(finding).toMatchObject({ severity: 'error' });
    expect(finding?.message).toMatch(message);
  });

  it('lists the unmapped SKU with the documents it blocks and suggests the Kingdee material with its barcode', async () => {
    const finding = at(report, 'mapping.gap', 'mappings.skus.map."Z9999-NEW"');
    expect(finding?.severity).toBe('error');
    expect(finding?.message).toContain(`material ${plantedGaps.suggestedMaterial.material} (${plantedGaps.suggestedMaterial.name}) with the same barcode`);
    expect(parseYaml(finding?.suggestion ?? '')).toEqual({
      mappings: { skus: { map: { 'Z9999-NEW': { material: 'Z9999', batchManaged: false, shelfLifeManaged: false } } } },
    });
    // The sales-outbound count equals the shipped documents in JST that carry the SKU.
    const facts = await gatherFacts(depsFor(sims, demoConfig()), { days: 7 });
    const scan = facts.gaps?.flows.find((f) => f.flow === 'sales-outbound');
    const expected = sims.jst.store.list(ORDERS_OUT_KIND).filter((d) => d.status === 'Confirmed' && JSON.stringify(d).includes('"Z9999-NEW"')).length;
    expect(expected).toBeGreaterThan(0);
    expect(scan?.gaps.find((g) => g.key === 'Z9999-NEW')?.docs).toBe(expected);
    expect(finding?.blocks).toBeGreaterThanOrEqual(expected);
  }, 60000);

  it('lists the other unmapped keys the seeded documents use (supplier, warehouse)', () => {
    const gaps = report.findings.filter((f) => f.check === 'mapping.gap').map((f) => f.path);
    expect(gaps).toContain('mappings.suppliers."39999"');
    expect(gaps.some((p) => p.startsWith('mappings.warehouses.'))).toBe(true);
    for (const f of report.findings.filter((g) => g.check === 'mapping.gap' && g.blocks !== undefined)) expect(f.blocks).toBeGreaterThan(0);
  });

  it('reports nothing about what is fine, and wrote nothing anywhere; Kingdee was read in batches', () => {
    expect(report.findings.filter((f) => /CK001|CUST-TMALL|A1001-RED-S|XSCKD01_SYS/.test(f.message))).toEqual([]);
    const stats = sims.kingdee.stats();
    expect(stats.saves).toBe(0);
    expect(stats.packagesSent).toBe(0);
    expect(sims.jst.store.list(ITEMSKU_UPLOADS_KIND)).toHaveLength(0);
    const numbers = baseDataRefs(demoConfig()).length;
    expect(stats.calls.executebillquery).toBeLessThan(numbers);
  });
});

describe('the doctor on a clean configuration', () => {
  let sims: DemoSimulators;
  beforeAll(async () => {
    sims = await startDemoSimulators({ seedDocs: 0, jstRateLimit: { perSecond: 0, perMinute: 0 }, logger: silentLogger() });
    sims.jst.seed({ count: 60, seed: 7, unmappedRate: 0 });
    sims.jst.seedKind('purchase-in', { count: 10, seed: 7, unmappedRate: 0 });
  }, 60000);
  afterAll(() => sims.close());

  it('finds nothing once the planted gaps are fixed', async () => {
    const config = demoConfig();
    delete config.mappings.warehouses[String(plantedGaps.forbiddenStock.wmsCoId)];
    delete config.mappings.warehouses[String(plantedGaps.wrongOrgStock.wmsCoId)];
    delete config.mappings.shops[String(plantedGaps.unauditedCustomer.shopId)];
    delete config.mappings.suppliers[String(plantedGaps.missingSupplier.supplierId)];
    config.mappings.skus.map[plantedGaps.batchFlagMaterial.skuId].batchManaged = true;
    delete config.mappings.warehouses[String(plantedGaps.noDefaultLocation.wmsCoId)];
    delete config.mappings.warehouses[String(plantedGaps.unknownDefaultLocation.wmsCoId)];
    delete config.mappings.stocks[plantedGaps.unknownDefaultLocation.stock];
    const report = await runPreflight(depsFor(sims, config), { days: 7 });
    expect(report.findings).toEqual([]);
    expect(report).toMatchObject({ ok: true, summary: { errors: 0, warnings: 0, infos: 0 } });
  }, 60000);

  it('says so when a Kingdee user cannot log in, and what it did not check', async () => {
    const deps = depsFor(sims, demoConfig());
    const { kingdee } = demoCredentials;
    deps.kingdee = kingdeeAccess({ baseUrl: sims.kingdee.url, auth: 'password', acctId: kingdee.acctId, users: [{ username: 'integration', password: 'wrong-password' }] });
    deps.jst = { skipped: 'this process has no JST_* settings' };
    const report = await runPreflight(deps, { days: 7 });
    expect(report.findings.map((f) => [f.severity, f.check, f.path])).toEqual([
      ['error', 'kingdee.login', 'KINGDEE_USERNAME'],
      ['info', 'doctor.skipped', 'JST_*'],
      ['info', 'doctor.skipped', 'flows'],
    ]);
  }, 60000);

  it('probes the 聚水潭·奇门 route of a flow reading through Qimen: a wrong secret is an error naming the variable, the right one nothing', async () => {
    const config = demoConfig();
    Object.assign(config.flows['sales-outbound'] ?? {}, { transport: 'both' });
    const qimen = (appSecret: string) => createQimenClient({
      url: `${sims.jst.url}/router/qm`, appKey: demoCredentials.qimen.appKey, appSecret, customerId: demoCredentials.qimen.customerId, limiter: createUnlimitedCallLimiter(),
    });
    const qimenFindings = async (deps: PreflightDeps) => (await runPreflight(deps, { days: 0 })).findings.filter((f) => f.path.startsWith('JST_QIMEN_'));

    const wrong = await qimenFindings({ ...depsFor(sims, config), qimen: qimen('wrong-secret') });
    expect(wrong).toHaveLength(1);
    expect(wrong[0]).toMatchObject({ severity: 'error', check: 'jst.qimen', path: 'JST_QIMEN_APP_KEY', action: expect.stringContaining('JST_QIMEN_APP_SECRET') });
    expect(wrong[0].message).toMatch(/jushuitan\.saleout\.list\.query \(flows sales-outbound\) failed: AUTH_FAILED/);

    expect(await qimenFindings({ ...depsFor(sims, config), qimen: qimen(demoCredentials.qimen.appSecret) })).toEqual([]);
    expect(await qimenFindings({ ...depsFor(sims, config), qimen: { missing: 'JST_QIMEN_APP_KEY not set' } })).toMatchObject([{ severity: 'error', check: 'jst.qimen', path: 'JST_QIMEN_*' }]);
  }, 60000);
});
