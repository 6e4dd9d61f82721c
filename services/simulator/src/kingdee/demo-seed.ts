import { demoSuppliers } from '../demo-catalog';
import { demoDepartments } from '../demo-catalog';
import { demoOrg, demoShops, demoSkus, demoStockLocations, demoSubWarehouses, demoUnits, demoWarehouses } from '../demo-catalog';
import type { BaseDataInput } from './base-data';

/**
 * The base data a fresh simulator holds, from the shared demo catalog: org 100, stocks (some kept by location),
 * the shops' customers, materials for `demoSkus` only (never `unmappedSkus`, so those documents fail),
 * units, currency PRE001 (CNY), rate type, stock status and the bill types of the supported forms.
 */
export function demoBaseData(): BaseDataInput {
  const unitNumbers = [...new Set(['Pcs', ...Object.values(demoUnits)])];
  const unitNames: Record<string, string> = { Pcs: 'Pcs', Btl: '瓶', Box: '盒' };
  return {
    organizations: [{ number: demoOrg.number, name: demoOrg.name }],
    stocks: [...demoWarehouses, ...demoSubWarehouses].map((w) => {
      const located = demoStockLocations[w.stock];
      return located ? { number: w.stock, name: w.name, flexNumbers: located.flexNumbers, bins: located.locations } : { number: w.stock, name: w.name };
    }),
    customers: demoShops.map((s) => ({ number: s.customer, name: s.name })),
    suppliers: demoSuppliers.map((s) => ({ number: s.supplier, name: s.name })),
    departments: demoDepartments.map((d) => ({ number: d.number, name: d.name })),
    units: unitNumbers.map((u) => ({ number: u, name: unitNames[u] ?? u })),
    currencies: [{ number: 'PRE001', name: '人民币', code: 'CNY' }],
    exchangeRateTypes: [{ number: 'HLTX01_SYS', name: '固定汇率' }],
    stockStatuses: [{ number: 'KCZT01_SYS', name: '可用' }],
    returnTypes: [{ number: 'THLX01_SYS', name: '退货' }],
    billTypes: [
      { number: 'XSCKD01_SYS', name: '标准销售出库单', formId: 'SAL_OUTSTOCK' },
      { number: 'XSTHD01_SYS', name: '标准销售退货单', formId: 'SAL_RETURNSTOCK' },
      { number: 'RKD01_SYS', name: '标准采购入库', formId: 'STK_InStock' },
      { number: 'TLD01_SYS', name: '标准采购退料', formId: 'PUR_MRB' },
      { number: 'QTRKD01_SYS', name: '标准其他入库', formId: 'STK_MISCELLANEOUS' },
      { number: 'QTCKD01_SYS', name: '标准其他出库', formId: 'STK_MisDelivery' },
      { number: 'ZJDB01_SYS', name: '标准直接调拨', formId: 'STK_TransferDirect' },
      { number: 'PY01_SYS', name: '标准盘盈单', formId: 'STK_StockCountGain' },
      { number: 'PK01_SYS', name: '标准盘亏单', formId: 'STK_StockCountLoss' },
    ],
    materials: demoSkus.map((s) => ({
      number: s.skuId,
      name: s.name,
      specification: s.properties,
      baseUnit: demoUnits[s.unit] ?? 'Pcs',
      batchManaged: s.batchManaged,
      shelfLifeDays: s.shelfLifeDays,
      useOrg: demoOrg.number,
    })),
  };
}
