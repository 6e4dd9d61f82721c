import { f, type BillFormSpec } from './form-spec';

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
    f.ref('FBillTypeID', '单据类型', 'billType', { required: true }),
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
    f.enum('FOwnerTypeIdHead', '货主类型', { default: { value: 'BD_OwnerOrg' } }),
    f.ref('FOwnerIdHead', '货主', 'organization', { default: { copyFrom: 'FStockOrgId' } }),
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
        f.ref('FExchangeTypeID', '汇率类型', 'exchangeRateType', { default: { refNumber: 'HLTX01_SYS' } }),
        f.num('FExchangeRate', '汇率', { default: { value: 1 } }),
        f.ref('FSettleTypeID', '结算方式', 'assistant'),
        f.ref('FReceiptConditionID', '收款条件', 'assistant'),
        f.ref('FPriceListId', '价目表', 'assistant'),
        f.bool('FIsIncludedTax', '是否含税'),
        f.bool('FIsPriceExcludeTax', '价外税'),
        f.text('FThirdBillNo', '第三方单据编号'),
        f.text('FThirdBillId', '第三方单据内码'),
        f.text('FThirdSrcType', '第三方来源'),
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
      f.ref('FStockID', '仓库', 'stock', { required: true }),
      f.flex('FStockLocID', '仓位'),
      f.ref('FStockStatusID', '库存状态', 'stockStatus', { default: { refNumber: 'KCZT01_SYS' } }),
      f.ref('FLot', '批号', 'lot'),
      f.date('FProduceDate', '生产日期'),
      f.date('FExpiryDate', '有效期至'),
      f.flex('FAuxPropId', '辅助属性'),
      f.enum('FOwnerTypeID', '货主类型', { default: { value: 'BD_OwnerOrg' } }),
      f.ref('FOwnerID', '货主', 'organization', { default: { copyFrom: 'FStockOrgId' } }),
      f.enum('FKeeperTypeID', '保管者类型', { default: { value: 'BD_KeeperOrg' } }),
      f.ref('FKeeperID', '保管者', 'organization', { default: { copyFrom: 'FStockOrgId' } }),
      f.text('FMtoNo', '计划跟踪号'),
      f.text('FEntrynote', '备注'),
      f.ref('FSalUnitID', '销售单位', 'unit'),
      f.num('FSALUNITQTY', '销售数量'),
      f.num('FSALBASEQTY', '销售基本数量'),
      f.num('FPRICEBASEQTY', '计价基本数量'),
      f.text('FThirdEntryId', '第三方分录内码'),
    ],
  },
  materialField: 'FMaterialID',
  lotField: 'FLot',
  produceDateField: 'FProduceDate',
  expiryDateField: 'FExpiryDate',
  thirdPartyKeys: [
    { section: 'SubHeadEntity', field: 'FThirdBillNo' },
    { section: 'SubHeadEntity', field: 'FThirdBillId' },
  ],
};

/** Every bill form the simulator accepts, by canonical FormId. */
export const billFormSpecs: readonly BillFormSpec[] = [salOutStock];

/** The spec for a FormId (case-insensitive), or undefined. */
export function findBillForm(formId: string): BillFormSpec | undefined {
  const lower = formId.toLowerCase();
  return billFormSpecs.find((s) => s.formId.toLowerCase() === lower);
}
