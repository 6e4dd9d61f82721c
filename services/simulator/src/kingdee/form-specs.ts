import {
  batchFieldKeys, billTypeField, exchangeFields, headOwnerFields, keeperFields, lotFields, ownerFields, salesUnitFields, stockPlaceFields,
  subHeadThirdPartyKeys, thirdBillFields,
} from './field-groups';
import { f, type BillFormSpec } from './form-spec';
import { stkStockCountGain, stkStockCountLoss, stkTransferDirect } from './inventory-form-specs';
import { stkMiscellaneous, stkMisDelivery } from './other-stock-form-specs';
import { purMrb, stkInStock } from './purchase-form-specs';

/**
 * The bill forms the simulator knows (reference/kingdee-api.md §6). SAL_OUTSTOCK is complete; the
 * other inventory bills are added here as data. Labels follow the official field lists (S11).
 */

/** 销售出库单 (§6.1). */
const salOutStock: BillFormSpec = {
  kind: 'bill',
  formId: 'SAL_OUTSTOCK',
  name: '销售出库单',
  autoNumberPrefix: 'XSCKD',
  header: [
    billTypeField(),
    f.date('FDate', '日期', { required: true }),
    f.ref('FSaleOrgId', '销售组织', 'organization', { required: true }),
    f.ref('FStockOrgId', '发货组织', 'organization', { required: true }),
    f.ref('FCustomerID', '客户', 'customer', { required: true }),
    f.ref('FDeliveryDeptID', '发货部门', 'department'),
    f.ref('FSaleDeptID', '销售部门', 'department'),
    f.ref('FStockerGroupID', '库存组', 'staff'),
    f.ref('FStockerID', '仓管员', 'staff'),
    f.ref('FSalesManID', '销售员', 'staff'),
    f.ref('FCarrierID', '承运商', 'assistant'),
    f.text('FCarriageNO', '运输单号'),
    f.ref('FReceiverID', '收货方', 'customer'),
    f.ref('FSettleID', '结算方', 'customer'),
    f.ref('FPayerID', '付款方', 'customer'),
    ...headOwnerFields(),
    f.text('FReceiveAddress', '收货地址'),
    f.text('FLinkMan', '收货人'),
    f.text('FLinkPhone', '联系电话'),
    f.text('FNote', '备注'),
    f.text('FBussinessType', '业务类型'),
  ],
  subHeads: [
    {
      key: 'SubHeadEntity',
      label: '财务信息',
      viewName: 'SAL_OUTSTOCKFIN',
      fields: [
        f.ref('FSettleCurrID', '结算币别', 'currency', { required: true }),
        f.ref('FSettleOrgID', '结算组织', 'organization', { required: true }),
        f.ref('FLocalCurrID', '本位币', 'currency', { default: { copyFrom: 'FSettleCurrID' } }),
        ...exchangeFields('FExchangeTypeID', 'FExchangeRate'),
        f.ref('FSettleTypeID', '结算方式', 'assistant'),
        f.ref('FReceiptConditionID', '收款条件', 'assistant'),
        f.ref('FPriceListId', '价目表', 'assistant'),
        f.bool('FIsIncludedTax', '是否含税'),
        f.bool('FIsPriceExcludeTax', '价外税'),
        ...thirdBillFields({ billNo: 'FThirdBillNo', billId: 'FThirdBillId', srcType: 'FThirdSrcType' }),
        f.text('FReceiverName', '收货人姓名'),
        f.text('FReceiverMobile', '收货人手机'),
        f.text('FReceiverAddress', '收货人地址'),
      ],
    },
  ],
  entry: {
    key: 'FEntity',
    label: '明细信息',
    viewName: 'SAL_OUTSTOCKENTRY',
    fields: [
      f.enum('FRowType', '产品类型', { default: { value: 'Standard' } }),
      f.ref('FMaterialID', '物料编码', 'material', { required: true }),
      f.ref('FUnitID', '库存单位', 'unit', { required: true }),
      f.num('FMustQty', '应发数量'),
      f.num('FRealQty', '实发数量', { required: true, positive: true }),
      f.num('FPrice', '单价'),
      f.num('FTaxPrice', '含税单价'),
      f.num('FEntryTaxRate', '税率%'),
      f.num('FAmount', '金额'),
      f.num('FAllAmount', '价税合计'),
      f.bool('FIsFree', '是否赠品'),
      ...stockPlaceFields({ stock: 'FStockID', location: 'FStockLocID', status: 'FStockStatusID' }),
      ...lotFields({ lot: 'FLot', produceDate: 'FProduceDate', expiryDate: 'FExpiryDate', auxProps: 'FAuxPropId' }),
      ...ownerFields('FOwnerTypeID', 'FOwnerID'),
      ...keeperFields('FKeeperTypeID', 'FKeeperID'),
      f.text('FMtoNo', '计划跟踪号'),
      f.text('FEntrynote', '备注'),
      ...salesUnitFields({ unit: 'FSalUnitID', qty: 'FSALUNITQTY', baseQty: 'FSALBASEQTY', priceBaseQty: 'FPRICEBASEQTY' }),
      f.text('FThirdEntryId', '第三方分录内码'),
    ],
  },
  ...batchFieldKeys('FMaterialID', { lot: 'FLot', produceDate: 'FProduceDate', expiryDate: 'FExpiryDate' }),
  thirdPartyKeys: subHeadThirdPartyKeys('SubHeadEntity', 'FThirdBillNo', 'FThirdBillId'),
};

/** 销售退货单 (§6.2): keys spelt as the form's template (FRetcustId, FMaterialId, FStockId, FStocklocId, FAuxpropId). */
const salReturnStock: BillFormSpec = {
  kind: 'bill',
  formId: 'SAL_RETURNSTOCK',
  name: '销售退货单',
  autoNumberPrefix: 'XSTHD',
  header: [
    billTypeField(),
    f.date('FDate', '日期', { required: true }),
    f.ref('FSaleOrgId', '销售组织', 'organization', { required: true }),
    f.ref('FRetcustId', '退货客户', 'customer', { required: true }),
    f.ref('FSaledeptid', '销售部门', 'department'),
    f.ref('FReturnReason', '退货原因', 'assistant'),
    f.ref('FHeadLocId', '交货地点', 'assistant'),
    f.text('FTransferBizType', '跨组织业务类型'),
    f.ref('FCorrespondOrgId', '对应组织', 'organization'),
    f.ref('FSalesManId', '销售员', 'staff'),
    f.ref('FStockOrgId', '库存组织', 'organization', { required: true }),
    f.ref('FStockDeptId', '库存部门', 'department'),
    f.ref('FStockerId', '仓管员', 'staff'),
    f.text('FHeadNote', '备注'),
    f.ref('FReceiveCustId', '收货方', 'customer'),
    f.ref('FSettleCustId', '结算方', 'customer'),
    f.ref('FPayCustId', '付款方', 'customer'),
    ...headOwnerFields(),
  ],
  subHeads: [
    {
      key: 'SubHeadEntity',
      label: '财务信息',
      viewName: 'SAL_RETURNSTOCKFIN',
      fields: [
        f.ref('FSettleCurrId', '结算币别', 'currency', { required: true }),
        f.ref('FSettleOrgId', '结算组织', 'organization', { default: { copyFrom: 'FSaleOrgId' } }),
        f.ref('FLocalCurrId', '本位币', 'currency', { default: { copyFrom: 'FSettleCurrId' } }),
        ...exchangeFields('FExchangeTypeId', 'FExchangeRate'),
        f.ref('FSettleTypeId', '结算方式', 'assistant'),
        f.ref('FChageCondition', '收款条件', 'assistant'),
        ...thirdBillFields({ billNo: 'FThirdBillNo', billId: 'FThirdBillId', srcType: 'FThirdSrcType' }),
      ],
    },
  ],
  entry: {
    key: 'FEntity',
    label: '明细信息',
    viewName: 'SAL_RETURNSTOCKENTRY',
    fields: [
      f.enum('FRowType', '产品类型', { default: { value: 'Standard' } }),
      f.ref('FMaterialId', '物料编码', 'material', { required: true }),
      f.ref('FUnitID', '库存单位', 'unit', { required: true }),
      f.num('FRealQty', '实退数量', { required: true, positive: true }),
      f.num('FPrice', '单价'),
      f.num('FTaxPrice', '含税单价'),
      f.num('FEntryTaxRate', '税率%'),
      f.bool('FIsFree', '是否赠品'),
      f.ref('FReturnType', '退货类型', 'returnType', { default: { refNumber: 'THLX01_SYS' } }),
      ...stockPlaceFields({ stock: 'FStockId', location: 'FStocklocId', status: 'FStockstatusId' }),
      ...lotFields({ lot: 'FLot', produceDate: 'FProduceDate', expiryDate: 'FExpiryDate', auxProps: 'FAuxpropId' }),
      ...ownerFields('FOwnerTypeId', 'FOwnerId'),
      f.date('FDeliveryDate', '退货日期'),
      ...salesUnitFields({ unit: 'FSalUnitID', qty: 'FSalUnitQty', baseQty: 'FSalBaseQty', priceBaseQty: 'FPriceBaseQty' }),
      f.text('FThirdEntryId', '第三方分录内码'),
    ],
  },
  ...batchFieldKeys('FMaterialId', { lot: 'FLot', produceDate: 'FProduceDate', expiryDate: 'FExpiryDate' }),
  thirdPartyKeys: subHeadThirdPartyKeys('SubHeadEntity', 'FThirdBillNo', 'FThirdBillId'),
};

/** Every bill form the simulator accepts, by canonical FormId. */
export const billFormSpecs: readonly BillFormSpec[] = [salOutStock, stkMiscellaneous, stkMisDelivery, salReturnStock, stkInStock, purMrb, stkTransferDirect, stkStockCountGain, stkStockCountLoss];

/** The spec for a FormId (case-insensitive), or undefined. */
export function findBillForm(formId: string): BillFormSpec | undefined {
  const lower = formId.toLowerCase();
  return billFormSpecs.find((s) => s.formId.toLowerCase() === lower);
}
