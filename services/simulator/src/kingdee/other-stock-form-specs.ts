import { batchFieldKeys, billTypeField, headOwnerFields, keeperFields, lotFields, ownerFields, stockPlaceFields } from './field-groups';
import { f, type BillFormSpec } from './form-spec';

/**
 * 其他入库单 STK_MISCELLANEOUS (reference kingdee-api.md §6.5) and 其他出库单 STK_MisDelivery (§6.6) as data.
 * Keys in the casing of the reference's field lists (clients may use any case). Neither form has documented
 * third-party key fields, so `thirdPartyKeys` is empty and bills are found by FBillNo.
 */

/** 其他入库单 (§6.5). */
export const stkMiscellaneous: BillFormSpec = {
  kind: 'bill',
  formId: 'STK_MISCELLANEOUS',
  name: '其他入库单',
  autoNumberPrefix: 'QTRK',
  header: [
    billTypeField(),
    f.ref('FStockOrgId', '库存组织', 'organization', { required: true }),
    f.date('FDate', '日期', { required: true }),
    f.enum('FStockDirect', '库存方向', { required: true, default: { value: 'GENERAL' } }),
    ...headOwnerFields({ type: true }),
    f.ref('FSUPPLIERID', '供应商', 'supplier'),
    f.ref('FDEPTID', '部门', 'department'),
    f.ref('FACCEPTANCE', '验收员', 'staff'),
    f.ref('FSTOCKERID', '仓管员', 'staff'),
    f.ref('FSTOCKERGROUPID', '库存组', 'staff'),
    f.ref('FBaseCurrId', '本位币', 'currency'),
    f.text('FNOTE', '备注'),
  ],
  subHeads: [],
  entry: {
    key: 'FEntity',
    label: '明细信息',
    viewName: 'STK_MISCELLANEOUSENTRY',
    fields: [
      f.ref('FMATERIALID', '物料编码', 'material', { required: true }),
      f.ref('FUnitID', '单位', 'unit', { required: true }),
      f.num('FQty', '实收数量', { required: true, positive: true }),
      f.num('FPrice', '单价'),
      f.num('FAmount', '金额'),
      ...stockPlaceFields({ stock: 'FSTOCKID', location: 'FStockLocId', status: 'FSTOCKSTATUSID' }, { stockLabel: '收货仓库' }),
      ...lotFields({ lot: 'FLOT', produceDate: 'FPRODUCEDATE', expiryDate: 'FEXPIRYDATE', auxProps: 'FAuxPropId' }),
      ...ownerFields('FOWNERTYPEID', 'FOWNERID'),
      ...keeperFields('FKEEPERTYPEID', 'FKEEPERID'),
      f.text('FEntryNote', '备注'),
      f.text('FMTONO', '计划跟踪号'),
    ],
  },
  ...batchFieldKeys('FMATERIALID', { lot: 'FLOT', produceDate: 'FPRODUCEDATE', expiryDate: 'FEXPIRYDATE' }),
  thirdPartyKeys: [],
};

/** 其他出库单 (§6.6). FBizType is listed as required but its values are undocumented and working payloads omit it. */
export const stkMisDelivery: BillFormSpec = {
  kind: 'bill',
  formId: 'STK_MisDelivery',
  name: '其他出库单',
  autoNumberPrefix: 'QTCK',
  header: [
    billTypeField(),
    f.ref('FStockOrgId', '库存组织', 'organization', { required: true }),
    f.ref('FPickOrgId', '领用组织', 'organization', { default: { copyFrom: 'FStockOrgId' } }),
    f.date('FDate', '日期', { required: true }),
    f.enum('FStockDirect', '库存方向', { required: true, default: { value: 'GENERAL' } }),
    f.text('FBizType', '业务类型'),
    ...headOwnerFields({ type: true }),
    f.ref('FCustId', '客户', 'customer'),
    f.ref('FDeptId', '领料部门', 'department'),
    f.ref('FPickerId', '领料人', 'staff'),
    f.ref('FStockerId', '仓管员', 'staff'),
    f.ref('FStockerGroupId', '库存组', 'staff'),
    f.ref('FBaseCurrId', '本位币', 'currency'),
    f.text('FNote', '备注'),
  ],
  subHeads: [],
  entry: {
    key: 'FEntity',
    label: '明细信息',
    viewName: 'STK_MISDELIVERYENTRY',
    fields: [
      f.ref('FMaterialId', '物料编码', 'material', { required: true }),
      f.ref('FUnitID', '单位', 'unit', { required: true }),
      f.ref('FBaseUnitId', '基本单位', 'unit', { required: true, default: { copyFrom: 'FUnitID' } }),
      f.num('FQty', '实发数量', { required: true, positive: true }),
      ...stockPlaceFields({ stock: 'FStockId', location: 'FStockLocId', status: 'FStockStatusId' }, { stockLabel: '发货仓库' }),
      ...lotFields({ lot: 'FLot', produceDate: 'FProduceDate', expiryDate: 'FExpiryDate', auxProps: 'FAuxPropId' }),
      ...ownerFields('FOwnerTypeId', 'FOwnerId'),
      ...keeperFields('FKeeperTypeId', 'FKeeperId'),
      f.text('FEntryNote', '备注'),
      f.ref('FCostItem', '费用项目', 'assistant'),
    ],
  },
  ...batchFieldKeys('FMaterialId', { lot: 'FLot', produceDate: 'FProduceDate', expiryDate: 'FExpiryDate' }),
  thirdPartyKeys: [],
};
