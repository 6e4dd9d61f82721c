import { createBaseDataStore } from './base-data';
import { validateDraft, type BillDraft } from './bill-rules';
import { demoBaseData } from './demo-seed';
import { billFormSpecs } from './form-specs';
import { startKingdeeSimulator, type KingdeeSimulator } from './index';
import { responseStatus, simulatorPerFile } from './kd-http.test-support';
import { baseDataResolver, normalizePackage } from './normalize-package';
import { salesOutModel } from './sales-out-fixtures.test-support';

/**
 * Location-managed stocks (启用仓位): every bill form refuses an entry of such a stock without a location, or with
 * one the stock does not have, with the required-field message of the location field; BD_STOCK answers the
 * stock's dimensions (FFlexNumber) and whether it keeps locations.
 */
const REQUIRED = (label: string, row: number) => `单据体实体【明细信息】第【${row}】行分录，【${label}】字段必录`;

describe('Kingdee simulator: location-managed stocks, every bill form (rules)', () => {
  const baseData = createBaseDataStore(() => 0);
  baseData.add(demoBaseData());
  const cases = billFormSpecs.flatMap((spec) => spec.entry.fields.filter((f) => f.locationOf).map((field) => [spec.formId, spec, field] as const));

  it('covers the location field of every form, both sides of a transfer', () => {
    expect(cases.map(([formId, , field]) => `${formId}.${field.key}`)).toEqual([
      'SAL_OUTSTOCK.FStockLocID', 'STK_MISCELLANEOUS.FStockLocId', 'STK_MisDelivery.FStockLocId', 'SAL_RETURNSTOCK.FStocklocId',
      'STK_InStock.FStockLocId', 'PUR_MRB.FStockLocId', 'STK_TransferDirect.FSrcStockLocId', 'STK_TransferDirect.FDestStockLocId',
      'STK_StockCountGain.FStockLocId', 'STK_StockCountLoss.FStockLocId',
    ]);
  });

  it.each(cases)('%s: a missing or unknown location of a location-managed stock is refused on its row; a valid one passes', (_formId, spec, field) => {
    const stockKey = field.locationOf!;
    const prefix = field.key.toUpperCase();
    const loc = (zone: string, bin: string) => ({ [`${prefix}__FF100001`]: { FNumber: zone }, [`${prefix}__FF100002`]: { FNumber: bin } });
    const errorsFor = (rows: Array<Record<string, unknown>>) => {
      const pkg = normalizePackage(spec, { [spec.entry.key]: rows }, baseDataResolver(baseData, spec.formId));
      const draft: BillDraft = { header: pkg.header.values, subHeads: {}, entries: (pkg.entries ?? []).map((e) => ({ entryId: 0, values: e.values, extra: {} })), extra: {} };
      return validateDraft(spec, draft, baseData).filter((e) => e.fieldName === field.key);
    };
    const ck002 = { FNumber: 'CK002' };
    expect(errorsFor([{ [stockKey]: ck002, [field.key]: loc('G', '01') }, { [stockKey]: ck002 }])).toEqual([
      { fieldName: field.key, message: REQUIRED(field.label, 2), msgCode: 11 },
    ]);
    expect(errorsFor([{ [stockKey]: ck002, [field.key]: loc('Z', '99') }])).toEqual([{ fieldName: field.key, message: REQUIRED(field.label, 1), msgCode: 11 }]);
    expect(errorsFor([{ [stockKey]: ck002, [field.key]: { [`${prefix}__FF100001`]: { FNumber: 'G' } } }])).toHaveLength(1);
    expect(errorsFor([{ [stockKey]: ck002, [field.key]: loc('h', '01') }])).toEqual([]);
    expect(errorsFor([{ [stockKey]: { FNumber: 'CK001' } }])).toEqual([]);
    expect(errorsFor([{ [stockKey]: { FNumber: 'CK001-DEF' }, [field.key]: { [`${prefix}__FF100003`]: { FNumber: 'DEF-02' } } }])).toEqual([]);
  });
});

describe('Kingdee simulator: location-managed stocks over HTTP', () => {
  let sim: KingdeeSimulator;
  const { session } = simulatorPerFile(async () => (sim = await startKingdeeSimulator()));
  type Status = { IsSuccess: boolean; Errors: Array<{ FieldName: string; Message: string; DIndex: number }>; MsgCode?: number };
  const status = (res: { json: unknown }): Status => responseStatus(res);
  const save = (model: Record<string, unknown>) => session().call('Save', { formid: 'SAL_OUTSTOCK', data: { Model: model } });

  it('refuses a Save without the location, naming the entry, the row and the field; saves with one', async () => {
    const lines = [{ material: 'A1001-RED-S', stock: 'CK002' }, { material: 'D4001', stock: 'CK002', location: {} }];
    const refused = status(await save(salesOutModel('LOC-1', lines)));
    expect(refused.IsSuccess).toBe(false);
    expect(refused.MsgCode).toBe(11);
    expect(refused.Errors).toEqual([{ FieldName: 'FStockLocID', Message: REQUIRED('仓位', 2), DIndex: 0 }]);
    expect(sim.documents('SAL_OUTSTOCK')).toHaveLength(0);
    const located = { FSTOCKLOCID__FF100001: { FNumber: 'H' }, FSTOCKLOCID__FF100002: { FNumber: '01' } };
    expect(status(await save(salesOutModel('LOC-1', [lines[0]!, { ...lines[1]!, location: located }]))).IsSuccess).toBe(true);
    const [bill] = sim.documents('SAL_OUTSTOCK');
    expect((bill!.model.FEntity as Array<Record<string, unknown>>)[1]!.FStockLocID).toMatchObject({ FSTOCKLOCID__FF100001: { FNumber: 'H' }, FSTOCKLOCID__FF100002: { FNumber: '01' } });
  });

  it('answers BD_STOCK FFlexNumber (one row per dimension) and FIsOpenLocation', async () => {
    const rows = (await session().call('ExecuteBillQuery', { data: { FormId: 'BD_STOCK', FieldKeys: 'FNumber,FIsOpenLocation,FFlexNumber', FilterString: "FNumber in ('CK001','CK002','CK001-DEF')", OrderString: 'FNumber ASC' } })).json;
    expect(rows).toEqual([['CK001-DEF', true, 'FF100003'], ['CK002', true, 'FF100001'], ['CK002', true, 'FF100002']]);
    const head = (await session().call('ExecuteBillQuery', { data: { FormId: 'BD_STOCK', FieldKeys: 'FNumber,FIsOpenLocation', FilterString: "FNumber='CK001'" } })).json;
    expect(head).toEqual([['CK001', false]]);
  });

  it('makes a stock location-managed through the admin base data, after which saves need a location', async () => {
    expect(status(await save(salesOutModel('LOC-2'))).IsSuccess).toBe(true);
    const res = await fetch(`http://127.0.0.1:${sim.port}/__admin/base-data`, {
      method: 'POST', headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ stocks: [{ number: 'CK001', name: '杭州主仓', flexNumbers: ['FF100001'], bins: ['A-01-01'] }] }),
    });
    expect(res.status).toBe(200);
    const refused = status(await save(salesOutModel('LOC-3')));
    expect(refused.Errors).toEqual([{ FieldName: 'FStockLocID', Message: REQUIRED('仓位', 1), DIndex: 0 }]);
    expect(status(await save(salesOutModel('LOC-3', [{ material: 'A1001-RED-S', location: { FSTOCKLOCID__FF100001: { FNumber: 'A-01-01' } } }]))).IsSuccess).toBe(true);
  });
});
