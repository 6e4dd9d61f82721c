/**
 * Start-up discovery of stock locations against the Kingdee simulator over HTTP: the real client reads BD_STOCK,
 * the dimensions the config leaves out are filled in, explicit config wins, and an unreachable Kingdee leaves the
 * config as written with a warning.
 */
import { formatStockLocationReport, stockLocationReport, stockLocationRule } from '@sync/config';
import { createKingdeeClient, readStockLocations, type KingdeeApi } from '@sync/kingdee';
import { createLogger, silentLogger } from '@sync/logger';
import { demoCredentials, startKingdeeSimulator, type KingdeeSimulator } from '@sync/simulator';
import { withStockLocations } from './stock-locations';
import { parseSyncConfig } from '@sync/flows';

const config = parseSyncConfig(`
flows: {}
mappings:
  warehouses:
    "1": { stock: CK001, stockOrg: "100" }
    "2": { stock: CK002, stockOrg: "100" }
    "3": { stock: CK001-DEF, stockOrg: "100" }
    "4": { stock: CK404, stockOrg: "100" }
  stocks:
    CK002: { locationFlex: [FF100001], defaultLocation: G }
`, 'discovery.yaml');

function capture(): { logger: ReturnType<typeof createLogger>; lines: () => Array<Record<string, unknown>> } {
  const out: string[] = [];
  const logger = createLogger({ name: 'worker', destination: { write: (s: string) => void out.push(s) } });
  return { logger, lines: () => out.map((l) => JSON.parse(l) as Record<string, unknown>) };
}

describe('stock locations read from Kingdee (BD_STOCK)', () => {
  let sim: KingdeeSimulator;
  let kingdee: KingdeeApi;

  beforeAll(async () => {
    sim = await startKingdeeSimulator();
    kingdee = createKingdeeClient({
      baseUrl: sim.url, auth: 'password', acctId: demoCredentials.kingdee.acctId, logger: silentLogger(),
      users: [{ username: demoCredentials.kingdee.users[0]!.username, password: demoCredentials.kingdee.users[0]!.password }], timeoutMs: 5000,
    });
  });
  afterAll(async () => {
    await kingdee.close();
    await sim.close();
  });

  it('reads each stock\'s dimensions in order ([] = no locations) and names the stocks Kingdee does not have', async () => {
    expect(await readStockLocations(kingdee, ['CK001', 'ck002', 'CK001-DEF', 'CK404'])).toEqual({
      dimensions: { CK001: [], ck002: ['FF100001', 'FF100002'], 'CK001-DEF': ['FF100003'] },
      missing: ['CK404'],
    });
  });

  it('fills the dimensions the config leaves out, keeps the explicit ones, and logs what it found', async () => {
    const { logger, lines } = capture();
    const merged = await withStockLocations(config, kingdee, logger);
    expect(merged.mappings.stocks).toEqual({
      CK001: { locationFlex: [] },
      CK002: { locationFlex: ['FF100001'], defaultLocation: 'G' },
      'CK001-DEF': { locationFlex: ['FF100003'] },
    });
    expect(stockLocationRule(merged.mappings, 'CK001')).toBeUndefined();
    expect(config.mappings.stocks['CK001-DEF']).toBeUndefined();
    const msgs = lines().map((l) => l.msg);
    expect(msgs).toContain('stock CK002: Kingdee lists location dimensions [FF100001, FF100002] but the config says [FF100001]; the config is used');
    expect(msgs).toContain('stock CK001-DEF keeps stock by location: dimensions read from Kingdee');
    expect(msgs).toContain('stock CK001-DEF keeps stock by location and has no default location: lines without a JST bin will fail until mappings.stocks."CK001-DEF".defaultLocation is set');
    expect(lines().find((l) => l.msg === 'the config maps stocks Kingdee does not list (BD_STOCK)')).toMatchObject({ stocks: ['CK404'] });
  });

  it('reports per mapped stock what to fix, with a mappings.stocks block to paste', async () => {
    const report = stockLocationReport(config.mappings, await readStockLocations(kingdee, ['CK001', 'CK002', 'CK001-DEF', 'CK404']));
    expect(report.rows).toEqual([
      { stock: 'CK001', kingdee: [], config: undefined, defaultLocation: undefined, status: 'no-locations' },
      { stock: 'CK001-DEF', kingdee: ['FF100003'], config: undefined, defaultLocation: undefined, status: 'no-default' },
      { stock: 'CK002', kingdee: ['FF100001', 'FF100002'], config: ['FF100001'], defaultLocation: 'G', status: 'differs' },
      { stock: 'CK404', kingdee: undefined, config: undefined, defaultLocation: undefined, status: 'not-in-kingdee' },
    ]);
    expect(report.problems).toEqual([
      'stock CK001-DEF keeps stock by location (FF100003) and has no default location: add mappings.stocks."CK001-DEF".defaultLocation (lines without a JST bin fail until then)',
      'stock CK002: Kingdee lists location dimensions [FF100001, FF100002], mappings.stocks."CK002".locationFlex says [FF100001]',
      'stock CK404: Kingdee does not list it (BD_STOCK); check the stock number in mappings',
    ]);
    const text = formatStockLocationReport(report);
    expect(text).toContain('stocks:\n  "CK001-DEF": { locationFlex: [FF100003], defaultLocation: "A-01" }   # example: choose one\n  "CK002": { locationFlex: [FF100001, FF100002], defaultLocation: "G" }');
    expect(text.split('\n')[0]).toMatch(/^stock\s+Kingdee dimensions\s+config dimensions\s+default\s+status$/);
    const fixed = parseSyncConfig(`flows: {}\nmappings:\n  warehouses: { "2": { stock: CK002, stockOrg: "100" } }\n  stocks: { CK002: { defaultLocation: G.01 } }\n`, 'ok.yaml');
    expect(stockLocationReport(fixed.mappings, await readStockLocations(kingdee, ['CK002']))).toEqual({
      rows: [{ stock: 'CK002', kingdee: ['FF100001', 'FF100002'], config: undefined, defaultLocation: 'G.01', status: 'ok' }], problems: [],
    });
  });

  it('stops waiting for a Kingdee that does not answer, and starts with the config as written', async () => {
    const silent: Pick<KingdeeApi, 'executeBillQuery'> = { executeBillQuery: () => new Promise(() => undefined) };
    const { logger, lines } = capture();
    expect(await withStockLocations(config, silent, logger, 50)).toBe(config);
    expect(lines().find((l) => l.level === 40)).toMatchObject({ err: 'no answer within 50 ms' });
  });

  it('keeps the config as written when Kingdee cannot be read', async () => {
    const down = await startKingdeeSimulator();
    const url = down.url;
    await down.close();
    const unreachable = createKingdeeClient({
      baseUrl: url, auth: 'password', acctId: demoCredentials.kingdee.acctId, logger: silentLogger(),
      users: [{ username: 'integration', password: 'x' }], timeoutMs: 2000,
    });
    const { logger, lines } = capture();
    try {
      expect(await withStockLocations(config, unreachable, logger)).toBe(config);
    } finally {
      await unreachable.close();
    }
    expect(lines().some((l) => l.level === 40 && String(l.msg).startsWith('could not read the stocks\' locations from Kingdee'))).toBe(true);
  });
});
