import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { type Mappings } from '@sync/config';
import { PermanentError } from '@sync/errors';
import { lineLocation, type DocLabel } from './base-data';
import { flowContext, flowNames, getFlow } from './registry';
import { loadSyncConfig, type SyncConfig } from './sync-config';

/**
 * Stock locations (仓位) on every flow and every form: with every stock location-managed, each entry of each
 * form carries the location field(s) of that form; with no default, each document fails naming its stock.
 */
const fixturesRoot = join(__dirname, '..', 'fixtures');
const base = loadSyncConfig(join(fixturesRoot, 'test-config.yaml'));
const NOW = '2024-06-01T00:00:00.000Z';

/** Entry key and location fields of each form, spelt as the form's own template (reference kingdee-api.md §6). */
const FORMS: Record<string, { entry: string; fields: Array<[string, string]> }> = {
  SAL_OUTSTOCK: { entry: 'FEntity', fields: [['FStockLocID', 'FSTOCKLOCID']] },
  SAL_RETURNSTOCK: { entry: 'FEntity', fields: [['FStocklocId', 'FSTOCKLOCID']] },
  STK_InStock: { entry: 'FInStockEntry', fields: [['FStockLocId', 'FSTOCKLOCID']] },
  PUR_MRB: { entry: 'FPURMRBENTRY', fields: [['FStockLocId', 'FSTOCKLOCID']] },
  STK_MISCELLANEOUS: { entry: 'FEntity', fields: [['FStockLocId', 'FSTOCKLOCID']] },
  STK_MisDelivery: { entry: 'FEntity', fields: [['FStockLocId', 'FSTOCKLOCID']] },
  STK_TransferDirect: { entry: 'FBillEntry', fields: [['FSrcStockLocId', 'FSRCSTOCKLOCID'], ['FDestStockLocId', 'FDESTSTOCKLOCID']] },
  STK_StockCountGain: { entry: 'FBillEntry', fields: [['FStockLocId', 'FSTOCKLOCID']] },
  STK_StockCountLoss: { entry: 'FBillEntry', fields: [['FStockLocId', 'FSTOCKLOCID']] },
};

/** The fixture mappings with every stock location-managed over two dimensions; no bins, no warehouse defaults. */
function everyStockLocated(defaultLocation?: string): SyncConfig {
  const warehouses = Object.fromEntries(Object.entries(base.mappings.warehouses).map(([k, { bins: _b, binFlexKey: _k, defaultLocation: _d, ...w }]) => [k, w]));
  const stocks = Object.fromEntries(Object.values(warehouses).map((w) => [w.stock, { locationFlex: ['FF100001', 'FF100002'], ...(defaultLocation && { defaultLocation }) }]));
  return { ...base, mappings: { ...base.mappings, warehouses, stocks } };
}

function fixtures(flow: string): Array<{ file: string; raw: Record<string, unknown> }> {
  const dir = join(fixturesRoot, flow);
  if (!existsSync(dir)) return [];
  return readdirSync(dir).filter((f) => f.endsWith('.json')).sort()
    .map((file) => ({ file, raw: JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown> }));
}

/** The same document with the JST bins taken off its lines. */
function withoutBins(raw: Record<string, unknown>): Record<string, unknown> {
  const items = Array.isArray(raw.items) ? raw.items.map((i: Record<string, unknown>) => ({ ...i, bin: undefined, dest_bin: undefined })) : raw.items;
  return { ...raw, items };
}

describe.each(flowNames)('flow %s: stock locations', (name) => {
  const flow = getFlow(name);

  it('sends the default location on every entry of every form when the stock is location-managed', () => {
    const config = everyStockLocated('L.09');
    let entries = 0;
    for (const { file, raw } of fixtures(name)) {
      let result;
      try {
        result = flow.transform(flow.schema.parse(withoutBins(raw)), flowContext(name, config, NOW));
      } catch (e) {
        expect(e).toBeInstanceOf(PermanentError);
        expect((e as PermanentError).message).not.toContain('location');
        continue;
      }
      if (result.kind !== 'write') continue;
      for (const doc of result.documents) {
        const form = FORMS[doc.formId];
        if (!form) throw new Error(`${name}/${file}: no location fields listed for ${doc.formId}`);
        expect(flow.target.schema.safeParse(doc.model).success).toBe(true);
        for (const entry of doc.model[form.entry] as Array<Record<string, unknown>>) {
          for (const [key, prefix] of form.fields) {
            expect(entry[key]).toEqual({ [`${prefix}__FF100001`]: { FNumber: 'L' }, [`${prefix}__FF100002`]: { FNumber: '09' } });
          }
          entries += 1;
        }
      }
    }
    expect(entries).toBeGreaterThan(0);
  });

  it('fails a document whose stock needs a location and has no default: UNMAPPED_BASE_DATA naming flow, document, stock and key', () => {
    const config = everyStockLocated();
    let failed = 0;
    for (const { raw } of fixtures(name)) {
      const doc = flow.schema.parse(withoutBins(raw));
      const withDefault = (() => {
        try {
          return flow.transform(doc, flowContext(name, everyStockLocated('L.09'), NOW));
        } catch {
          return undefined;
        }
      })();
      if (withDefault?.kind !== 'write') continue;
      let err: unknown;
      try {
        flow.transform(doc, flowContext(name, config, NOW));
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(PermanentError);
      const p = err as PermanentError;
      const docId = flow.docId(doc);
      expect(p.code).toBe('UNMAPPED_BASE_DATA');
      expect(p.message).toMatch(new RegExp(`^${name} \\S+ \\S*=?${docId}: .*Kingdee stock (\\S+) is location-managed .*add mappings\\.stocks\\."\\1"\\.defaultLocation`));
      expect(p.details).toMatchObject({ flow: name, docId, field: expect.stringMatching(/^mappings\.stocks\."[^"]+"\.defaultLocation$/) });
      failed += 1;
    }
    expect(failed).toBeGreaterThan(0);
  });
});

describe('lineLocation', () => {
  const who: DocLabel = { flow: 'transfer', docId: '7', text: '调拨单 io_id=7' };
  const m = (stocks: Mappings['stocks']): Mappings => ({ ...base.mappings, stocks });
  const wh = { stock: 'CK9', stockOrg: '100', bins: { 'JST-1': 'B.02', 'JST-2': 'B' } };

  it('takes the JST bin (through bins) over the defaults, the warehouse default over the stock default', () => {
    const stocks = { CK9: { locationFlex: ['FF100001', 'FF100002'], defaultLocation: 'A.01' } };
    expect(lineLocation(m(stocks), wh, 'JST-1', 'FSRCSTOCKLOCID', who)).toEqual({ FSRCSTOCKLOCID__FF100001: { FNumber: 'B' }, FSRCSTOCKLOCID__FF100002: { FNumber: '02' } });
    expect(lineLocation(m(stocks), wh, 'C.03', 'FSTOCKLOCID', who)).toEqual({ FSTOCKLOCID__FF100001: { FNumber: 'C' }, FSTOCKLOCID__FF100002: { FNumber: '03' } });
    expect(lineLocation(m(stocks), wh, undefined, 'FDESTSTOCKLOCID', who)).toEqual({ FDESTSTOCKLOCID__FF100001: { FNumber: 'A' }, FDESTSTOCKLOCID__FF100002: { FNumber: '01' } });
    expect(lineLocation(m(stocks), { ...wh, defaultLocation: 'W.05' }, '', 'FSTOCKLOCID', who)).toEqual({ FSTOCKLOCID__FF100001: { FNumber: 'W' }, FSTOCKLOCID__FF100002: { FNumber: '05' } });
  });

  it('sends nothing for a stock that keeps no locations, even when JST names a bin', () => {
    expect(lineLocation(m({}), wh, 'JST-1', 'FSTOCKLOCID', who)).toBeUndefined();
    expect(lineLocation(m({ CK9: { locationFlex: [], defaultLocation: undefined } }), wh, 'JST-1', 'FSTOCKLOCID', who)).toBeUndefined();
  });

  it('splits any default across any number of dimensions in order, keyed by the form\'s field (property)', () => {
    const part = fc.stringMatching(/^[A-Z0-9-]{1,6}$/);
    fc.assert(fc.property(fc.uniqueArray(fc.integer({ min: 100001, max: 100099 }), { minLength: 1, maxLength: 4 }), fc.array(part, { minLength: 4, maxLength: 4 }),
      fc.constantFrom<'FSTOCKLOCID' | 'FSRCSTOCKLOCID' | 'FDESTSTOCKLOCID'>('FSTOCKLOCID', 'FSRCSTOCKLOCID', 'FDESTSTOCKLOCID'), (ids, parts, field) => {
        const flex = ids.map((n) => `FF${n}`);
        const code = parts.slice(0, flex.length).join('.');
        const got = lineLocation(m({ CK9: { locationFlex: flex, defaultLocation: code } }), { stock: 'CK9', stockOrg: '100' }, undefined, field, who);
        expect(got).toEqual(Object.fromEntries(flex.map((d, i) => [`${field}__${d}`, { FNumber: flex.length === 1 ? code : parts[i] }])));
      }));
  });

  it('refuses a bin that does not split across the dimensions, and a stock whose dimensions are unknown', () => {
    const stocks = { CK9: { locationFlex: ['FF100001', 'FF100002'], defaultLocation: 'A.01' } };
    const err = (fn: () => unknown): PermanentError => {
      try {
        fn();
      } catch (e) {
        return e as PermanentError;
      }
      throw new Error('expected a PermanentError');
    };
    const split = err(() => lineLocation(m(stocks), wh, 'JST-2', 'FSTOCKLOCID', who, 'line ioi_id=71'));
    expect(split.code).toBe('UNMAPPED_BASE_DATA');
    expect(split.message).toBe('transfer 调拨单 io_id=7: line ioi_id=71: JST bin "JST-2" (mapped to "B") does not split into the 2 location dimensions of stock CK9 (FF100001, FF100002): map it to a dotted code in the warehouse\'s bins (or fix the bin)');
    const unknown = err(() => lineLocation(m({ CK9: { defaultLocation: 'A.01' } }), wh, undefined, 'FSTOCKLOCID', who));
    expect(unknown.message).toBe('transfer 调拨单 io_id=7: Kingdee stock CK9 is location-managed (启用仓位) but its location dimensions are not known (add mappings.stocks."CK9".locationFlex, e.g. [FF100001] as BD_STOCK FFlexNumber lists them, to the config file; the worker reads them from Kingdee at start when it can)');
    expect(unknown.details).toMatchObject({ field: 'mappings.stocks."CK9".locationFlex' });
  });
});
