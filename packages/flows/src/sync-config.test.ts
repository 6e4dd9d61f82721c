import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from '@sync/config';
import { kingdeeSourceFlowNames, kingdeeSourceFlows, kingdeeSourceSettingsFor } from './kingdee-source-registry';
import { flowBills } from './flow-source';
import { flowNames, flowRegistry, getFlow, settingsFor } from './registry';
import { parseSyncConfig, syncConfigSchema } from './sync-config';

const fixturesRoot = join(__dirname, '..', 'fixtures');

const parse = (yaml: string) => () => parseSyncConfig(yaml, 'x.yaml');

describe('the config schema is assembled from the registries', () => {
  it('has one flows section per registered flow, and no other', () => {
    const sections = Object.keys(syncConfigSchema.shape.flows.unwrap().shape);
    expect(sections).toEqual([...flowNames, ...kingdeeSourceFlowNames]);
    expect(parse('flows: { purchase-in: {} }')).toThrow(ConfigError);
    expect(parse('flows: { purchase-in: {} }')).toThrow('flows: Unrecognized key: "purchase-in"');
  });

  it.each([...flowNames, ...kingdeeSourceFlowNames])('flows.%s is parsed by the schema its flow declares', (name) => {
    const declared = name in flowRegistry ? getFlow(name).settings : kingdeeSourceFlows.material.settings;
    expect(parseSyncConfig(`flows: { ${name}: {} }`, 'x.yaml').flows[name]).toEqual(declared.parse({}));
  });

  it('a key one flow declares is refused on another: stocktake has a loss bill type, transfer does not', () => {
    expect(parseSyncConfig('flows: { stocktake: { lossBillType: PK02 } }', 'x.yaml').flows.stocktake?.lossBillType).toBe('PK02');
    expect(parse('flows: { transfer: { lossBillType: PK02 } }')).toThrow('flows.transfer: Unrecognized key: "lossBillType"');
  });
});

describe('settings a flow does not implement are refused', () => {
  const withReversal = flowNames.filter((name) => getFlow(name).isReversal !== undefined);
  const withoutReversal = flowNames.filter((name) => getFlow(name).isReversal === undefined);

  it('reversal is implemented by sales-outbound only (its isReversal)', () => {
    expect(withReversal).toEqual(['sales-outbound']);
  });

  it.each(withReversal)('%s: reversal defaults to record and accepts unaudit-delete', (name) => {
    expect(parseSyncConfig(`flows: { ${name}: {} }`, 'x.yaml').flows[name]).toMatchObject({ reversal: 'record' });
    expect(parseSyncConfig(`flows: { ${name}: { reversal: unaudit-delete } }`, 'x.yaml').flows[name]).toMatchObject({ reversal: 'unaudit-delete' });
  });

  it.each(withoutReversal)('%s: reversal is refused, naming the flow, the key and why', (name) => {
    const refused = parse(`flows: { ${name}: { reversal: record } }`);
    expect(refused).toThrow(ConfigError);
    expect(refused).toThrow(`flows.${name}: Unrecognized key: "reversal" (reversal: this flow does not follow cancellations in JST`);
    expect(parseSyncConfig(`flows: { ${name}: {} }`, 'x.yaml').flows[name]).not.toHaveProperty('reversal');
  });

  // The flows whose bills carry prices keep currency, exchange rate type and tax rate; other-inbound its currency only.
  const priced = ['sales-outbound', 'sales-return', 'purchase-inbound', 'purchase-return'];
  it.each(flowNames.map((name) => [name, priced.includes(name) ? ['currency', 'exchangeRateType', 'taxRate'] : name === 'other-inbound' ? ['currency'] : []] as const))(
    '%s: implements the price settings %j, refuses the others',
    (name, implemented) => {
      const parsed = parseSyncConfig(`flows: { ${name}: {} }`, 'x.yaml').flows[name] as Record<string, unknown>;
      for (const key of ['currency', 'exchangeRateType', 'taxRate']) {
        const value = key === 'taxRate' ? 6 : 'X1';
        if (implemented.includes(key as never)) {
          expect(parsed).toHaveProperty(key);
          expect(parse(`flows: { ${name}: { ${key}: ${value} } }`)).not.toThrow();
        } else {
          expect(parsed).not.toHaveProperty(key);
          expect(parse(`flows: { ${name}: { ${key}: ${value} } }`)).toThrow(`flows.${name}: Unrecognized key: "${key}" (${key}: this flow's bills carry no`);
        }
      }
    },
  );

  it.each(flowNames.filter((name) => getFlow(name).qimen === undefined))('%s: the Qimen transport keys are refused (it has no Qimen method)', (name) => {
    const refused = parse(`flows: { ${name}: { transport: both, openweb: { shops: all } } }`);
    expect(refused).toThrow(`flows.${name}: Unrecognized keys: "transport", "openweb" (transport: this flow has no Qimen method`);
  });

  it.each(flowNames.filter((name) => getFlow(name).qimen !== undefined))('%s: reads through Qimen when configured', (name) => {
    expect(parseSyncConfig(`flows: { ${name}: { transport: qimen } }`, 'x.yaml').flows[name]).toMatchObject({ transport: 'qimen' });
  });
});

describe('settingsFor', () => {
  const config = parseSyncConfig('flows: { sales-outbound: { billNoPrefix: XS }, stocktake: {}, material: { pageSize: 100 } }', 'x.yaml');

  it("gives a document flow's settings, defaults filled by its own schema", () => {
    expect(settingsFor(config, 'sales-outbound')?.billNoPrefix).toBe('XS');
    // Typed by the flow: stocktake's own keys are there without a cast.
    expect(settingsFor(config, 'stocktake')?.lossBillNoPrefix).toBe('JSTPK');
    const name: string = 'stocktake';
    expect(settingsFor(config, name)?.billNoPrefix).toBe('JSTPY');
  });

  it('gives undefined for a flow without a section, an unknown name and a Kingdee-source flow', () => {
    expect(settingsFor(config, 'transfer')).toBeUndefined();
    expect(settingsFor(config, 'nope')).toBeUndefined();
    expect(settingsFor(config, 'material')).toBeUndefined();
  });

  it('kingdeeSourceSettingsFor gives the Kingdee-source flows theirs, and nothing for a document flow', () => {
    expect(kingdeeSourceSettingsFor(config, 'material')?.pageSize).toBe(100);
    expect(kingdeeSourceSettingsFor(config, 'sales-outbound')).toBeUndefined();
  });
});

describe('source facts every flow declares', () => {
  it.each(flowNames)('%s: the id field of its rows gives the id the flow reads', (name) => {
    const flow = getFlow(name);
    const idFields = new Set([flow.source.idField, ...(flow.qimen ? [flow.qimen.idField] : [])]);
    const dir = join(fixturesRoot, name);
    const files = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith('.json')) : [];
    let checked = 0;
    for (const file of files) {
      const raw = JSON.parse(readFileSync(join(dir, file), 'utf8')) as Record<string, unknown>;
      const parsed = flow.schema.safeParse(raw);
      if (!parsed.success) continue;
      expect([...idFields].map((f) => String(raw[f]))).toContain(flow.docId(parsed.data));
      checked += 1;
    }
    expect(checked).toBeGreaterThan(0);
  });

  it.each(flowNames)('%s: an id-list filter takes 1..50 ids', (name) => {
    const { idFilter } = getFlow(name).source;
    if (idFilter) {
      expect(idFilter.key).toMatch(/^[a-z_]+_ids$/);
      expect(idFilter.max).toBeGreaterThanOrEqual(1);
      expect(idFilter.max).toBeLessThanOrEqual(50);
    }
  });

  it.each(flowNames)('%s: writes one bill per form it declares, each with its bill type and prefix', (name) => {
    const flow = getFlow(name);
    const bills = flowBills(flow, settingsFor(parseSyncConfig(`flows: { ${name}: {} }`, 'x.yaml'), name)!);
    expect(bills.map((b) => b.formId)).toEqual([flow.target.formId, ...(flow.target.otherFormIds ?? [])]);
    for (const bill of bills) expect(bill.billNoPrefix).toMatch(/^JST/);
  });

  it('stocktake: the 盘亏单 has its own bill type and prefix (lossBillType, lossBillNoPrefix)', () => {
    const settings = settingsFor(parseSyncConfig('flows: { stocktake: { lossBillType: PK02, lossBillNoPrefix: LOSS } }', 'x.yaml'), 'stocktake')!;
    expect(flowBills(getFlow('stocktake'), settings)).toEqual([
      { formId: 'STK_StockCountGain', billType: 'PY01_SYS', billNoPrefix: 'JSTPY', billTypeKey: 'billType' },
      { formId: 'STK_StockCountLoss', billType: 'PK02', billNoPrefix: 'LOSS', billTypeKey: 'lossBillType' },
    ]);
  });

  it('each Kingdee-source flow is registered under its own name', () => {
    for (const name of kingdeeSourceFlowNames) expect(kingdeeSourceFlows[name].name).toBe(name);
  });
});
