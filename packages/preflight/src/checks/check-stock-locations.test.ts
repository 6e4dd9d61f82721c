import type { LocationFacts, PreflightFacts } from '../facts';
import { checkStockLocations } from './check-stock-locations';
import { parseSyncConfig } from '@sync/flows';

const config = parseSyncConfig(
  `
mappings:
  warehouses:
    "1": { stock: CK-A, stockOrg: "100", bins: { A1: "A.01", A9: "A.09" } }
    "2": { stock: CK-B, stockOrg: "100" }
    "3": { stock: CK-C, stockOrg: "100", defaultLocation: C-07 }
    "4": { stock: CK-PLAIN, stockOrg: "100" }
  stocks:
    CK-A: { locationFlex: [FF100001, FF100002], defaultLocation: "A.01" }
`,
  'x.yaml',
);

const located = (values: Extract<LocationFacts, { ok: true }>['values'], dimensions: Record<string, string[]> = {}): PreflightFacts => ({
  kingdee: {
    logins: [{ user: 'u', ok: true }],
    records: {},
    locations: { ok: true, missing: [], values, dimensions: { 'CK-A': ['FF100001', 'FF100002'], 'CK-B': [], 'CK-C': ['FF100001'], 'CK-PLAIN': [], ...dimensions } },
  },
});
const good = {
  'CK-A': { dimensions: ['FF100001', 'FF100002'], values: [['A', 'B'], ['01', '09']] },
  'CK-C': { dimensions: ['FF100001'], values: [['C-07', 'C-08']] },
};

describe('checkStockLocations', () => {
  it('finds nothing when every location the config names exists and every location-managed stock has a default', () => {
    expect(checkStockLocations(config, located(good))).toEqual([]);
    expect(checkStockLocations(config, {})).toEqual([]);
  });

  it.each<[string, PreflightFacts, Array<[string, string, RegExp]>]>([
    ['Kingdee could not be read', { kingdee: { logins: [], records: {}, locations: { ok: false, error: 'no permission' } } }, [['warning', 'mappings.stocks', /no permission/]]],
    ['a location-managed stock without a default', located(good, { 'CK-B': ['FF100001'] }), [['error', 'mappings.stocks."CK-B".defaultLocation', /CK-B keeps stock by location \(FF100001\) and has no default location/]]],
    ['dimensions that differ from Kingdee', located(good, { 'CK-A': ['FF100001'] }), [['error', 'mappings.stocks."CK-A".locationFlex', /Kingdee lists location dimensions \[FF100001\], the config says \[FF100001, FF100002\]/]]],
    ['a bin mapping to a location that does not exist', located({ ...good, 'CK-A': { dimensions: ['FF100001', 'FF100002'], values: [['A'], ['01']] } }), [['error', 'mappings.warehouses."1".bins."A9"', /location of JST bin A9 "A.09" does not exist in stock CK-A/]]],
    ['a warehouse default that does not exist', located({ ...good, 'CK-C': { dimensions: ['FF100001'], values: [['C-08']] } }), [['error', 'mappings.warehouses."3".defaultLocation', /default location "C-07" does not exist in stock CK-C \(Kingdee's locations: FF100001: C-08\)/]]],
    ['a stock whose values Kingdee does not list', located({ ...good, 'CK-C': { dimensions: ['FF100001'], values: [[]] } }), [['warning', 'mappings.warehouses."3".defaultLocation', /lists no location values/]]],
  ])('%s', (_what, facts, expected) => {
    const findings = checkStockLocations(config, facts);
    expect(findings.map((f) => [f.severity, f.path])).toEqual(expected.map(([s, p]) => [s, p]));
    findings.forEach((f, i) => expect(f.message).toMatch(expected[i][2]));
  });
});
