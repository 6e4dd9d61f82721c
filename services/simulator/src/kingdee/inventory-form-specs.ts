import { batchFieldKeys, billTypeField, headOwnerFields, headThirdPartyFields, headThirdPartyKeys, keeperFields, ownerFields, stockPlaceFields } from './field-groups';
import { f, type BillFormSpec, type FieldSpec } from './form-spec';

/**
 * 直接调拨单 STK_TransferDirect (reference kingdee-api.md §6.7) and 盘盈单 STK_StockCountGain / 盘亏单
 * STK_StockCountLoss (§6.8/6.9) as data. Required (*) fields as the reference marks them; owner and keeper
 * fields default from the organisations like the real forms do when a payload omits them.
 */

/** 直接调拨单 (§6.7). */
export const stkTransferDirect: BillFormSpec = {
  kind: 'bill',
  formId: 'STK_TransferDirect',
  name: '直接调拨单',
  autoNumberPrefix: 'ZJDB',
  header: [
    billTypeField(),
    f.date('FDate', '日期', { required: true }),
    f.ref('FStockOrgId', '调入库存组织', 'organization', { required: true }),
    f.ref('FStockOutOrgId', '调出库存组织', 'organization', { required: true }),
    f.enum('FTransferBizType', '调拨类型', { required: true, default: { value: 'InnerOrgTransfer' } }),
    f.enum('FTransferDirect', '调拨方向', { required: true, default: { value: 'GENERAL' } }),
    f.enum('FBizType', '业务类型', { default: { value: 'NORMAL' } }),
    f.enum('FOwnerTypeIdHead', '调入货主类型', { required: true, default: { value: 'BD_OwnerOrg' } }),
    f.ref('FOwnerIdHead', '调入货主', 'organization', { default: { copyFrom: 'FStockOrgId' } }),
    f.enum('FOwnerTypeOutIdHead', '调出货主类型', { required: true, default: { value: 'BD_OwnerOrg' } }),
    f.ref('FOwnerOutIdHead', '调出货主', 'organization', { default: { copyFrom: 'FStockOutOrgId' } }),
    f.ref('FSaleOrgId', '销售组织', 'organization'),
    f.ref('FSettleOrgId', '结算组织', 'organization'),
    f.ref('FSETTLECURRID', '结算币别', 'currency'),
    f.ref('FExchangeTypeId', '汇率类型', 'exchangeRateType'),
    f.num('FExchangeRate', '汇率'),
    f.bool('FIsIncludedTax', '是否含税'),
    f.bool('FIsPriceExcludeTax', '价外税'),
    f.ref('FStockerId', '仓管员', 'staff'),
    f.text('FNote', '备注'),
    ...headThirdPartyFields(),
  ],
  subHeads: [],
  entry: {
    key: 'FBillEntry',
    label: '明细信息',
    viewName: 'TransferDirectEntry',
    fields: [
      f.ref('FMaterialId', '物料编码', 'material', { required: true }),
      f.ref('FUnitID', '单位', 'unit', { required: true }),
      f.ref('FBaseUnitId', '基本单位', 'unit', { required: true }),
      f.num('FQty', '调拨数量', { required: true, positive: true }),
      f.num('FBaseQty', '基本单位数量'),
      f.ref('FSrcStockId', '调出仓库', 'stock', { required: true }),
      f.flex('FSrcStockLocId', '调出仓位', { locationOf: 'FSrcStockId' }),
      f.ref('FDestStockId', '调入仓库', 'stock', { required: true }),
      f.flex('FDestStockLocId', '调入仓位', { locationOf: 'FDestStockId' }),
      f.ref('FSrcStockStatusId', '调出库存状态', 'stockStatus', { default: { refNumber: 'KCZT01_SYS' } }),
      f.ref('FDestStockStatusId', '调入库存状态', 'stockStatus', { default: { refNumber: 'KCZT01_SYS' } }),
      f.ref('FLot', '调出批号', 'lot'),
      f.ref('FDestLot', '调入批号', 'lot'),
      f.ref('FDestMaterialId', '调入物料', 'material'),
      f.date('FProduceDate', '生产日期'),
      f.date('FExpiryDate', '有效期至'),
      f.flex('FAuxPropId', '辅助属性'),
      ...ownerFields('FOwnerTypeOutId', 'FOwnerOutId', { side: '调出', org: 'FStockOutOrgId' }),
      ...ownerFields('FOwnerTypeId', 'FOwnerId', { side: '调入' }),
      ...keeperFields('FKeeperTypeOutId', 'FKeeperOutId', { side: '调出', org: 'FStockOutOrgId' }),
      ...keeperFields('FKeeperTypeId', 'FKeeperId', { side: '调入' }),
      f.text('FNoteEntry', '备注'),
      f.text('FThirdSrcEntryId', '第三方分录内码'),
    ],
  },
  ...batchFieldKeys('FMaterialId', { lot: 'FLot', produceDate: 'FProduceDate', expiryDate: 'FExpiryDate' }),
  thirdPartyKeys: headThirdPartyKeys(),
};

function countHeader(extra: FieldSpec[]): FieldSpec[] {
  return [
    billTypeField(),
    f.date('FDate', '日期', { required: true }),
    f.ref('FStockOrgId', '库存组织', 'organization', { required: true }),
    ...headOwnerFields({ type: true }),
    f.ref('FDeptId', '部门', 'department'),
    f.ref('FStockerId', '仓管员', 'staff'),
    f.ref('FStockerGroupId', '库存组', 'staff'),
    f.text('FNoteHead', '备注'),
    f.text('FStockCountInputNo', '物料盘点作业编号'),
    f.text('FStkCountSchemeNo', '盘点方案编号'),
    f.text('FStkCountSchemeName', '盘点方案名称'),
    ...headThirdPartyFields(),
    ...extra,
  ];
}

/** Entry fields of both count forms; `diff` is FGainQty (盘盈) or FLossQty (盘亏), required and positive. */
function countEntry(viewName: string, diff: FieldSpec, baseDiff: FieldSpec): BillFormSpec['entry'] {
  return {
    key: 'FBillEntry',
    label: '明细信息',
    viewName,
    fields: [
      f.ref('FMaterialId', '物料编码', 'material', { required: true }),
      f.ref('FUnitID', '单位', 'unit', { required: true }),
      ...stockPlaceFields({ stock: 'FStockId', location: 'FStockLocId', status: 'FStockStatusId' }, { statusRequired: true }),
      ...ownerFields('FOwnerTypeId', 'FOwnerid', { required: true }),
      ...keeperFields('FKeeperTypeId', 'FKeeperId', { required: true }),
      f.num('FAcctQty', '账存数量'),
      f.num('FCountQty', '盘点数量'),
      diff,
      f.num('FBaseAcctQty', '基本单位账存数量'),
      f.num('FBaseCountQty', '基本单位盘点数量'),
      baseDiff,
      f.num('FPrice', '单价'),
      f.num('FAmount', '金额'),
      f.ref('FLot', '批号', 'lot'),
      f.flex('FAuxPropId', '辅助属性'),
      f.date('FProduceDate', '生产日期'),
      f.date('FExpiryDate', '有效期至'),
      f.date('FBusinessDate', '入库日期'),
      f.text('FMtoNo', '计划跟踪号'),
      f.text('Fnote', '备注'),
      f.text('FThirdSrcEntryId', '第三方分录内码'),
    ],
  };
}

const countCommon = {
  kind: 'bill' as const,
  subHeads: [],
  ...batchFieldKeys('FMaterialId', { lot: 'FLot', produceDate: 'FProduceDate', expiryDate: 'FExpiryDate' }),
  thirdPartyKeys: headThirdPartyKeys(),
};

/** 盘盈单 (§6.8). The quantity that matters here is FGainQty (open question §9.8: FCountQty is optional). */
export const stkStockCountGain: BillFormSpec = {
  ...countCommon,
  formId: 'STK_StockCountGain',
  name: '盘盈单',
  autoNumberPrefix: 'PY',
  header: countHeader([]),
  entry: countEntry('STK_STKCOUNTGAINENTRY', f.num('FGainQty', '盘盈数量', { required: true, positive: true }), f.num('FBaseGainQty', '基本单位盘盈数量')),
};

/** 盘亏单 (§6.9). */
export const stkStockCountLoss: BillFormSpec = {
  ...countCommon,
  formId: 'STK_StockCountLoss',
  name: '盘亏单',
  autoNumberPrefix: 'PK',
  header: countHeader([f.text('FBusinessType', '业务类型')]),
  entry: countEntry('STK_STKCOUNTLOSSENTRY', f.num('FLossQty', '盘亏数量', { required: true, positive: true }), f.num('FBaseLossQty', '基本单位盘亏数量')),
};
