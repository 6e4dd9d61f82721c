import { mappingsSchema, type Mappings } from './mappings';
import { z } from 'zod';
import { parseConfigText } from './loader';
import { syncConfigShape } from './sync-config';
import { mappedStocks, mergeDiscoveredLocations, splitLocation, stockLocationRule } from './stock-locations';

/** The config file's top level with an empty `flows` section (the flows are @sync/flows'). */
const fileSchema = z.object({ ...syncConfigShape, flows: z.object({}).strict() }).strict();

const mappings = (raw: unknown): Mappings => mappingsSchema.parse(raw);

function configError(mappingsYaml: string): string {
  try {
    parseConfigText(fileSchema, `flows: {}\nmappings:\n${mappingsYaml}`, 'loc.yaml');
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected the config to be refused');
}

describe('stock locations in the mappings', () => {
  const m = mappings({
    warehouses: {
      '1': { stock: 'CK001', stockOrg: '100' },
      '2': { stock: 'CK002', stockOrg: '100', defaultLocation: 'H.09' },
      '2/2': { stock: 'CK002', stockOrg: '100' },
      '3': { stock: 'CK003', stockOrg: '100', binFlexKey: 'FSTOCKLOCID__FF100004' },
      '4': { stock: 'CK004', stockOrg: '100' },
      '5': { stock: 'CK005', stockOrg: '100' },
    },
    stocks: {
      CK002: { locationFlex: ['FF100001', 'FF100002'], defaultLocation: 'G.01' },
      CK004: { defaultLocation: 'X-1' },
      CK005: { locationFlex: [] },
    },
  });

  it('says per stock whether it takes a location, its dimensions and its default (the warehouse default first)', () => {
    expect(stockLocationRule(m, 'CK001', m.warehouses['1'])).toBeUndefined();
    expect(stockLocationRule(m, 'CK002', m.warehouses['2/2'])).toEqual({
      stock: 'CK002', flex: ['FF100001', 'FF100002'], flexFrom: 'mappings.stocks."CK002".locationFlex', defaultLocation: 'G.01', defaultKey: 'mappings.stocks."CK002".defaultLocation',
    });
    expect(stockLocationRule(m, 'CK002', m.warehouses['2'])?.defaultLocation).toBe('H.09');
    expect(stockLocationRule(m, 'CK002')?.defaultLocation).toBe('G.01');
    expect(stockLocationRule(m, 'CK003', m.warehouses['3'])).toMatchObject({ flex: ['FF100004'], flexFrom: 'binFlexKey', defaultLocation: undefined });
    expect(stockLocationRule(m, 'CK004', m.warehouses['4'])).toEqual({ stock: 'CK004', defaultLocation: 'X-1', defaultKey: 'mappings.stocks."CK004".defaultLocation' });
    expect(stockLocationRule(m, 'CK005', m.warehouses['5'])).toBeUndefined();
  });

  it('splits a dotted code across the dimensions in order; one dimension keeps the whole code', () => {
    expect(splitLocation('A.01', 2)).toEqual(['A', '01']);
    expect(splitLocation('A.01.3', 3)).toEqual(['A', '01', '3']);
    expect(splitLocation('A.01', 1)).toEqual(['A.01']);
    expect(splitLocation('A-01', 2)).toBeUndefined();
    expect(splitLocation('A.', 2)).toBeUndefined();
  });

  it('lists every stock the config names, for the start-up read from Kingdee', () => {
    expect(mappedStocks(m)).toEqual(['CK001', 'CK002', 'CK003', 'CK004', 'CK005']);
  });

  it('fills the dimensions the config leaves out from Kingdee; explicit config wins and differences are noted', () => {
    const { mappings: merged, notes } = mergeDiscoveredLocations(m, {
      CK001: [], CK002: ['FF100001'], CK003: ['FF100004'], CK004: ['FF100003', 'FF100005'],
    });
    expect(merged.stocks.CK001).toEqual({ locationFlex: [] });
    expect(merged.stocks.CK002).toEqual(m.stocks.CK002);
    expect(merged.stocks.CK003).toBeUndefined();
    expect(merged.stocks.CK004).toEqual({ defaultLocation: 'X-1', locationFlex: ['FF100003', 'FF100005'] });
    expect(notes).toEqual([
      { stock: 'CK001', discovered: [], used: 'kingdee' },
      { stock: 'CK002', discovered: ['FF100001'], used: 'config', configured: ['FF100001', 'FF100002'] },
      { stock: 'CK003', discovered: ['FF100004'], used: 'config' },
      { stock: 'CK004', discovered: ['FF100003', 'FF100005'], used: 'kingdee' },
    ]);
    expect(m.stocks.CK004).toEqual({ defaultLocation: 'X-1' });
    expect(stockLocationRule(merged, 'CK004')?.flex).toEqual(['FF100003', 'FF100005']);
  });

  it.each([
    ['a default that does not split across the dimensions',
      '  stocks:\n    CK002: { locationFlex: [FF100001, FF100002], defaultLocation: "G-01" }\n',
      '- mappings.stocks.CK002.defaultLocation: "G-01" does not split into the stock\'s 2 location dimensions (FF100001, FF100002): write it as "A.01"'],
    ['a warehouse default that does not split',
      '  warehouses:\n    "1": { stock: CK002, stockOrg: "100", defaultLocation: "A.01.02" }\n  stocks:\n    CK002: { locationFlex: [FF100001, FF100002] }\n',
      '- mappings.warehouses.1.defaultLocation: "A.01.02" does not split'],
    ['a dimension listed twice', '  stocks:\n    CK002: { locationFlex: [FF100001, FF100001] }\n', '- mappings.stocks.CK002.locationFlex: lists a dimension twice'],
    ['a flex id that is not one', '  stocks:\n    CK002: { locationFlex: [FSTOCKLOCID] }\n', '- mappings.stocks.CK002.locationFlex.0: expected a flex id such as FF100001'],
    ['a default on a stock without locations', '  stocks:\n    CK002: { locationFlex: [], defaultLocation: A }\n', '- mappings.stocks.CK002.defaultLocation: the stock is declared without locations'],
    ['a binFlexKey that disagrees with the stocks table',
      '  warehouses:\n    "1": { stock: CK002, stockOrg: "100", binFlexKey: FSTOCKLOCID__FF100003 }\n  stocks:\n    CK002: { locationFlex: [FF100001] }\n',
      '- mappings.warehouses.1.binFlexKey: says dimension FF100003 but mappings.stocks."CK002".locationFlex says [FF100001]: remove binFlexKey'],
    ['a misspelt stock key', '  stocks:\n    CK002: { defaultLocaton: A }\n', '- mappings.stocks.CK002: '],
  ])('refuses %s at load, naming the key', (_what, yaml, expected) => {
    expect(configError(yaml)).toContain(expected);
  });
});
