import type { BaseDataKind, BaseDataRecord, BaseDataStore } from './base-data';
import { formatKdDateTime } from './kd-date';
import type { QueryColumn, QuerySource } from './query-engine';

/**
 * Base-data forms answered on the read side (ExecuteBillQuery, View): BD_MATERIAL for the material
 * flow, plus the forms integrations probe (BD_Currency is the SDK health check, BD_STOCK's
 * FFlexNumber gives the bin dimensions). Adding a form is one entry in `baseDataForms`.
 */
export interface BaseDataRow {
  rec: BaseDataRecord;
  /** Entry-level value (BD_STOCK: one row per flex dimension). */
  entry?: string;
}

type Column = { kind: 'value'; level?: 'head' | 'entry'; read(row: BaseDataRow): unknown } | { kind: 'ref'; ref: BaseDataKind; number(rec: BaseDataRecord): string | undefined };

export interface BaseDataFormSpec {
  formId: string;
  kind: BaseDataKind;
  /** Primary-key field, e.g. FMATERIALID. */
  idKey: string;
  columns: Record<string, Column>;
  /** Entry rows per record, when the form has an entry-level column. */
  entries?: (rec: BaseDataRecord) => string[];
}

const value = (read: (rec: BaseDataRecord) => unknown): Column => ({ kind: 'value', read: (row) => read(row.rec) });

const common: Record<string, Column> = {
  fnumber: value((r) => r.number),
  fname: value((r) => r.name),
  fdocumentstatus: value((r) => r.documentStatus),
  fforbidstatus: value((r) => r.forbidStatus),
  fcreatedate: value((r) => formatKdDateTime(r.createdAt)),
  fmodifydate: value((r) => formatKdDateTime(r.modifiedAt)),
};

const material: BaseDataFormSpec = {
  formId: 'BD_MATERIAL',
  kind: 'material',
  idKey: 'FMATERIALID',
  columns: {
    fspecification: value((r) => r.material?.specification ?? ''),
    fbaseunitid: { kind: 'ref', ref: 'unit', number: (r) => r.material?.baseUnit },
    fstoreunitid: { kind: 'ref', ref: 'unit', number: (r) => r.material?.baseUnit },
    fisbatchmanage: value((r) => r.material?.batchManaged ?? false),
    fiskfperiod: value((r) => r.material?.shelfLifeDays !== undefined),
    fexpperiod: value((r) => r.material?.shelfLifeDays ?? 0),
    fexpunit: value((r) => (r.material?.shelfLifeDays !== undefined ? 'D' : '')),
    ferpclsid: value(() => '1'),
    fuseorgid: { kind: 'ref', ref: 'organization', number: (r) => r.material?.useOrg },
    fcreateorgid: { kind: 'ref', ref: 'organization', number: (r) => r.material?.useOrg },
    fmaterialgroup: { kind: 'ref', ref: 'assistant', number: () => undefined },
    fcategoryid: { kind: 'ref', ref: 'assistant', number: () => undefined },
    fmnemoniccode: value(() => ''),
    foldnumber: value(() => ''),
    fbarcode: value(() => ''),
    fispurchase: value(() => true),
    fissale: value(() => true),
    fisinventory: value(() => true),
  },
};

/** Every base-data form the read side answers. */
export const baseDataForms: readonly BaseDataFormSpec[] = [
  material,
  {
    formId: 'BD_STOCK',
    kind: 'stock',
    idKey: 'FSTOCKID',
    columns: {
      fisopenlocation: value((r) => (r.stock?.flexNumbers.length ?? 0) > 0),
      fflexnumber: { kind: 'value', level: 'entry', read: (row) => row.entry ?? null },
    },
    entries: (r) => r.stock?.flexNumbers ?? [],
  },
  { formId: 'BD_Customer', kind: 'customer', idKey: 'FCUSTID', columns: {} },
  { formId: 'BD_Supplier', kind: 'supplier', idKey: 'FSUPPLIERID', columns: {} },
  { formId: 'BD_Currency', kind: 'currency', idKey: 'FCURRENCYID', columns: { fcode: value((r) => r.currency?.code ?? '') } },
  { formId: 'BD_UNIT', kind: 'unit', idKey: 'FUNITID', columns: {} },
  { formId: 'ORG_Organizations', kind: 'organization', idKey: 'FORGID', columns: {} },
  { formId: 'BD_StockStatus', kind: 'stockStatus', idKey: 'FSTOCKSTATUSID', columns: {} },
];

/** The base-data form for a FormId (case-insensitive), or undefined. */
export function findBaseDataForm(formId: string): BaseDataFormSpec | undefined {
  const lower = formId.toLowerCase();
  return baseDataForms.find((s) => s.formId.toLowerCase() === lower);
}

/** An ExecuteBillQuery source over one base-data kind. */
export function baseDataQuerySource(spec: BaseDataFormSpec, store: BaseDataStore): QuerySource<BaseDataRow> {
  const columns: Record<string, Column> = { ...common, [spec.idKey.toLowerCase()]: value((r) => r.id), ...spec.columns };
  return {
    column(key) {
      const [base, ...sub] = key.trim().toLowerCase().split('.');
      const col = columns[base];
      if (!col) return undefined;
      if (col.kind === 'value') return sub.length ? undefined : { level: col.level ?? 'head', read: col.read };
      if (sub.length > 1 || (sub.length === 1 && sub[0] !== 'fnumber' && sub[0] !== 'fname')) return undefined;
      const target = (row: BaseDataRow): BaseDataRecord | undefined => {
        const n = col.number(row.rec);
        return n === undefined ? undefined : store.find(col.ref, n);
      };
      const read = sub.length === 0 ? (row: BaseDataRow) => target(row)?.id ?? 0
        : sub[0] === 'fnumber' ? (row: BaseDataRow) => target(row)?.number ?? null
        : (row: BaseDataRow) => target(row)?.name ?? null;
      const column: QueryColumn<BaseDataRow> = { level: 'head', read };
      return column;
    },
    rows(entryLevel) {
      const recs = store.list(spec.kind);
      if (!entryLevel || !spec.entries) return recs.map((rec) => ({ rec }));
      const entries = spec.entries;
      return recs.flatMap((rec) => entries(rec).map((entry) => ({ rec, entry })));
    },
  };
}

const name2052 = (name: string) => [{ Key: 2052, Value: name }];

/** View package of a base-data record (entity property names, §3.5). */
export function viewBaseData(spec: BaseDataFormSpec, rec: BaseDataRecord, store: BaseDataStore): Record<string, unknown> {
  const out: Record<string, unknown> = {
    Id: rec.id,
    Number: rec.number,
    Name: name2052(rec.name),
    DocumentStatus: rec.documentStatus,
    ForbidStatus: rec.forbidStatus,
    CreateDate: formatKdDateTime(rec.createdAt),
    ModifyDate: formatKdDateTime(rec.modifiedAt),
  };
  const m = rec.material;
  if (spec.kind === 'material' && m) {
    const unit = store.find('unit', m.baseUnit);
    const unitRef = unit ? { Id: unit.id, Number: unit.number, Name: name2052(unit.name) } : null;
    out.Specification = [{ Key: 2052, Value: m.specification }];
    out.MaterialBase = [{ Id: rec.id, ErpClsID: '1', BaseUnitId_Id: unit?.id ?? 0, BaseUnitId: unitRef, IsInventory: true, IsSale: true, IsPurchase: true }];
    out.MaterialStock = [{
      Id: rec.id,
      StoreUnitID_Id: unit?.id ?? 0,
      StoreUnitID: unitRef,
      IsBatchManage: m.batchManaged,
      IsKFPeriod: m.shelfLifeDays !== undefined,
      ExpUnit: m.shelfLifeDays !== undefined ? 'D' : '',
      ExpPeriod: m.shelfLifeDays ?? 0,
    }];
  }
  return out;
}
