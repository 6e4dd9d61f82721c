/** SAL_OUTSTOCK packages for the simulator's tests (demo base data: org 100, CK001, CUST-TMALL, demo SKUs). */

export interface LineInput {
  material: string;
  qty?: number;
  unit?: string;
  stock?: string;
  /** Location flex value, e.g. { FSTOCKLOCID__FF100001: { FNumber: 'G' }, ... }; default: one of the demo stock's when it keeps locations. */
  location?: Record<string, unknown>;
  lot?: string;
  produceDate?: string;
  expiryDate?: string;
}

/** A valid location of each demo stock kept by location (demo-catalog demoStockLocations). */
export const DEMO_LOCATION: Record<string, Record<string, { FNumber: string }>> = {
  CK002: { FSTOCKLOCID__FF100001: { FNumber: 'G' }, FSTOCKLOCID__FF100002: { FNumber: '01' } },
};

/** A valid Save `Model` for SAL_OUTSTOCK; `billNo` undefined = let the server number it. */
export function salesOutModel(billNo: string | undefined, lines: LineInput[] = [{ material: 'A1001-RED-S', qty: 2 }], extra: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    FID: 0,
    FBillTypeID: { FNUMBER: 'XSCKD01_SYS' },
    ...(billNo === undefined ? {} : { FBillNo: billNo }),
    FDate: '2024-06-01',
    FSaleOrgId: { FNumber: '100' },
    FStockOrgId: { FNumber: '100' },
    FCustomerID: { FNumber: 'CUST-TMALL' },
    SubHeadEntity: { FSettleCurrID: { FNumber: 'PRE001' }, FSettleOrgID: { FNumber: '100' }, FThirdBillNo: `jst-${billNo ?? 'auto'}` },
    FEntity: lines.map((l) => ({
      FMaterialID: { FNumber: l.material },
      FUnitID: { FNumber: l.unit ?? 'Pcs' },
      FRealQty: l.qty ?? 1,
      FStockID: { FNumber: l.stock ?? 'CK001' },
      ...((l.location ?? DEMO_LOCATION[l.stock ?? 'CK001']) && { FStockLocID: l.location ?? DEMO_LOCATION[l.stock ?? 'CK001'] }),
      ...(l.lot ? { FLot: { FNumber: l.lot } } : {}),
      ...(l.produceDate ? { FProduceDate: l.produceDate } : {}),
      ...(l.expiryDate ? { FExpiryDate: l.expiryDate } : {}),
    })),
    ...extra,
  };
}
