import { f, type FieldSpec } from './form-spec';

/**
 * Field groups that several bill forms share (reference kingdee-api.md §6): the same labels, base-data kinds and
 * defaults, with each form passing the keys in its own spelling (`FSTOCKID`, `FStockId`, `FStockID` …).
 */

/** 单据类型, required on every bill. */
export const billTypeField = (): FieldSpec => f.ref('FBillTypeID', '单据类型', 'billType', { required: true });

/** The header owner (货主类型 defaults to the organisation, 货主 to FStockOrgId); `required` as the form marks them. */
export function headOwnerFields(required: { type?: boolean; id?: boolean } = {}): FieldSpec[] {
  return [
    f.enum('FOwnerTypeIdHead', '货主类型', { ...(required.type ? { required: true } : {}), default: { value: 'BD_OwnerOrg' } }),
    f.ref('FOwnerIdHead', '货主', 'organization', { ...(required.id ? { required: true } : {}), default: { copyFrom: 'FStockOrgId' } }),
  ];
}

/** Where an entry's goods are: warehouse (required), its location (仓位), stock status (default KCZT01_SYS). */
export function stockPlaceFields(
  keys: { stock: string; location: string; status: string },
  options: { stockLabel?: string; statusRequired?: boolean } = {},
): FieldSpec[] {
  return [
    f.ref(keys.stock, options.stockLabel ?? '仓库', 'stock', { required: true }),
    f.flex(keys.location, '仓位', { locationOf: keys.stock }),
    f.ref(keys.status, '库存状态', 'stockStatus', { ...(options.statusRequired ? { required: true } : {}), default: { refNumber: 'KCZT01_SYS' } }),
  ];
}

/** An entry's lot, shelf-life dates and auxiliary properties, in the order most forms list them. */
export function lotFields(keys: { lot: string; produceDate: string; expiryDate: string; auxProps: string }): FieldSpec[] {
  return [
    f.ref(keys.lot, '批号', 'lot'),
    f.date(keys.produceDate, '生产日期'),
    f.date(keys.expiryDate, '有效期至'),
    f.flex(keys.auxProps, '辅助属性'),
  ];
}

interface PartyOptions {
  /** Label prefix, e.g. 调出 / 调入 on a transfer. */
  side?: string;
  /** The organisation field the id defaults to. */
  org?: string;
  required?: boolean;
}

function party(typeKey: string, idKey: string, what: '货主' | '保管者', typeValue: string, o: PartyOptions): FieldSpec[] {
  const req = o.required ? { required: true } : {};
  const side = o.side ?? '';
  return [
    f.enum(typeKey, `${side}${what}类型`, { ...req, default: { value: typeValue } }),
    f.ref(idKey, `${side}${what}`, 'organization', { ...req, default: { copyFrom: o.org ?? 'FStockOrgId' } }),
  ];
}

/** An entry's owner (货主类型 BD_OwnerOrg, 货主 from the stock organisation unless `org` says otherwise). */
export const ownerFields = (typeKey: string, idKey: string, o: PartyOptions = {}): FieldSpec[] => party(typeKey, idKey, '货主', 'BD_OwnerOrg', o);
/** An entry's keeper (保管者类型 BD_KeeperOrg, 保管者 from the stock organisation unless `org` says otherwise). */
export const keeperFields = (typeKey: string, idKey: string, o: PartyOptions = {}): FieldSpec[] => party(typeKey, idKey, '保管者', 'BD_KeeperOrg', o);

/** 汇率类型 (default HLTX01_SYS) and 汇率 (default 1) of a finance sub-head. */
export function exchangeFields(typeKey: string, rateKey: string): FieldSpec[] {
  return [
    f.ref(typeKey, '汇率类型', 'exchangeRateType', { default: { refNumber: 'HLTX01_SYS' } }),
    f.num(rateKey, '汇率', { default: { value: 1 } }),
  ];
}

/** The third-party header keys (system, id, number) where a form keeps them in the head, and its admin lookup keys. */
export const headThirdPartyFields = (): FieldSpec[] => [
  f.text('FThirdSystem', '第三方系统'),
  f.text('FThirdSrcId', '第三方单据内码'),
  f.text('FThirdSrcBillNo', '第三方单据编号'),
];
export const headThirdPartyKeys = () => [
  { section: 'head', field: 'FThirdSrcBillNo' },
  { section: 'head', field: 'FThirdSrcId' },
];

/** Where a form keeps third-party ids in a sub-head (number and id), for admin lookups. */
export const subHeadThirdPartyKeys = (section: string, billNo: string, billId: string) => [
  { section, field: billNo },
  { section, field: billId },
];

/** 第三方单据编号, 第三方单据内码 and 第三方来源 of a finance sub-head, in that order. */
export const thirdBillFields = (keys: { billNo: string; billId: string; srcType: string }): FieldSpec[] => [
  f.text(keys.billNo, '第三方单据编号'),
  f.text(keys.billId, '第三方单据内码'),
  f.text(keys.srcType, '第三方来源'),
];

/** A sales entry's sales unit and its quantities (销售单位, 销售数量, 销售基本数量, 计价基本数量). */
export const salesUnitFields = (keys: { unit: string; qty: string; baseQty: string; priceBaseQty: string }): FieldSpec[] => [
  f.ref(keys.unit, '销售单位', 'unit'),
  f.num(keys.qty, '销售数量'),
  f.num(keys.baseQty, '销售基本数量'),
  f.num(keys.priceBaseQty, '计价基本数量'),
];

/** The spec's pointers to the entry fields that drive the batch and shelf-life checks. */
export const batchFieldKeys = (material: string, keys: { lot: string; produceDate: string; expiryDate: string }) => ({
  materialField: material,
  lotField: keys.lot,
  produceDateField: keys.produceDate,
  expiryDateField: keys.expiryDate,
});
