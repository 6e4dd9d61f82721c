/**
 * The preflight doctor end to end: `sync-cli doctor` → GET /preflight on the real API (operator role) → the doctor
 * reading the Kingdee and JST simulators over HTTP, with the demo configuration and its planted gaps.
 */
import { silentLogger } from '@sync/logger';
import { preflightReportSchema } from '@sync/preflight';
import { plantedGaps, startDemoSimulators } from '@sync/simulator';
import { uniquePrefix } from '@sync/testing';
import { parse as parseYaml } from 'yaml';
import { runCli } from '../../services/cli/src/run-cli';
import { startSystem, type System } from '../support/system';

const OPERATOR = 'e2e-doctor-operator-1';
const READONLY = 'e2e-doctor-readonly-1';

describe('sync-cli doctor and GET /preflight against the simulators', () => {
  const prefix = uniquePrefix('e2e-doctor');
  let system: System;
  let apiUrl = '';

  beforeAll(async () => {
    const sims = await startDemoSimulators({ seedDocs: 100, jstRateLimit: { perSecond: 0, perMinute: 0 }, logger: silentLogger() });
    sims.jst.seed({ count: 10, seed: 'e2e-doctor', unmappedRate: 0.5, statusMix: { Confirmed: 1 } });
    // Only the API, with the demo configuration: the doctor reads the simulators through it.
    system = await startSystem({ prefix, simulators: sims, services: ['api'], env: { API_TOKEN: OPERATOR, API_READONLY_TOKEN: READONLY } });
    apiUrl = system.apiUrl;
  }, 60000);

  afterAll(async () => {
    await system?.stop();
  });

  const cli = async (argv: string[], token = OPERATOR) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(argv, { env: { API_URL: apiUrl, API_TOKEN: token }, fetch, out: (t) => out.push(t), err: (t) => err.push(t) });
    return { code, out: out.join('\n'), err: err.join('\n') };
  };

  it('prints one line per finding and exits 3 when the configuration has errors', async () => {
    const r = await cli(['doctor', '--days', '7']);
    expect(r.code).toBe(3);
    const lines = r.out.split('\n');
    expect(lines).toContain(
      `ERROR mappings.warehouses."${plantedGaps.forbiddenStock.wmsCoId}".stock: stock 仓库 CK003 is forbidden in Kingdee (FForbidStatus B 禁用) → enable (反禁用) stock 仓库 CK003 in Kingdee, or map another one at mappings.warehouses."${plantedGaps.forbiddenStock.wmsCoId}".stock`,
    );
    expect(lines.some((l) => l.startsWith('ERROR mappings.skus.map."Z9999-NEW": SKU "Z9999-NEW" (新品未建档) has no mapping: it blocks'))).toBe(true);
    expect(lines).toContain('              "Z9999-NEW": { material: Z9999, batchManaged: false, shelfLifeManaged: false }');
    expect(lines.at(-1)).toMatch(/^\d+ errors, \d+ warnings?, 0 info, JST documents of the last 7 days read: fix the errors before going live$/);
  }, 60000);

  it('--json prints the report the exported schema validates, with the planted gaps', async () => {
    const r = await cli(['doctor', '--json']);
    expect(r.code).toBe(3);
    const report = preflightReportSchema.parse(JSON.parse(r.out));
    const paths = report.findings.map((f) => f.path);
    expect(paths).toEqual(expect.arrayContaining([
      `mappings.warehouses."${plantedGaps.forbiddenStock.wmsCoId}".stock`,
      `mappings.warehouses."${plantedGaps.wrongOrgStock.wmsCoId}".stockOrg`,
      `mappings.shops."${plantedGaps.unauditedCustomer.shopId}".customer`,
      `mappings.suppliers."${plantedGaps.missingSupplier.supplierId}".supplier`,
      'mappings.skus.map."Z9999-NEW"',
    ]));
    const sku = report.findings.find((f) => f.path === 'mappings.skus.map."Z9999-NEW"');
    expect(parseYaml(sku?.suggestion ?? '')).toMatchObject({ mappings: { skus: { map: { 'Z9999-NEW': { material: 'Z9999' } } } } });
  }, 60000);

  it('needs the operator role and refuses a bad days value with the usual error shape', async () => {
    const readonly = await cli(['doctor'], READONLY);
    expect(readonly.code).toBe(1);
    expect(readonly.err).toMatch(/^HTTP 403: the preflight doctor needs the operator credential/);
    const res = await fetch(`${apiUrl}/preflight?days=ninety`, { headers: { authorization: `Bearer ${OPERATOR}` } });
    expect(res.status).toBe(400);
    expect(await res.json()).toMatchObject({ error: 'bad_request', field: 'days' });
    const anonymous = await fetch(`${apiUrl}/preflight`);
    expect(anonymous.status).toBe(401);
  });
});
