/**
 * Where each Kingdee form written by a document flow keeps what a reconciliation compares: the entry list, the
 * material, the lot, the quantity and (where the flow carries one) the price or amount. One table read by both
 * sides: the expected lines are taken from the flow's own Save model with these keys, and the Kingdee reader
 * builds its ExecuteBillQuery FieldKeys from the same keys (`<material>.FNumber`, `<lot>.FNumber`, ...).
 */
export interface ReconcileFormFields {
  /** Entry list key in the Save model, also the entry prefix in queries (`FEntity_FEntryId`). */
  entry: string;
  material: string;
  lot: string;
  qty: string;
  /** Unit price including tax: amount = qty × price. */
  price?: string;
  /** Line amount, when the form carries it directly. */
  amount?: string;
}

/** Every bill form a JST → Kingdee document flow writes (keys as the flows' model schemas spell them). */
export const RECONCILE_FORMS: Readonly<Record<string, ReconcileFormFields>> = {
  SAL_OUTSTOCK: { entry: 'FEntity', material: 'FMaterialID', lot: 'FLot', qty: 'FRealQty', price: 'FTaxPrice' },
  SAL_RETURNSTOCK: { entry: 'FEntity', material: 'FMaterialId', lot: 'FLot', qty: 'FRealQty', price: 'FTaxPrice' },
  STK_InStock: { entry: 'FInStockEntry', material: 'FMaterialId', lot: 'FLot', qty: 'FRealQty', price: 'FTaxPrice' },
  PUR_MRB: { entry: 'FPURMRBENTRY', material: 'FMATERIALID', lot: 'FLot', qty: 'FRMREALQTY', price: 'FTAXPRICE' },
  STK_MISCELLANEOUS: { entry: 'FEntity', material: 'FMATERIALID', lot: 'FLOT', qty: 'FQty', amount: 'FAmount' },
  STK_MisDelivery: { entry: 'FEntity', material: 'FMaterialId', lot: 'FLot', qty: 'FQty' },
  STK_TransferDirect: { entry: 'FBillEntry', material: 'FMaterialId', lot: 'FLot', qty: 'FQty' },
  STK_StockCountGain: { entry: 'FBillEntry', material: 'FMaterialId', lot: 'FLot', qty: 'FGainQty' },
  STK_StockCountLoss: { entry: 'FBillEntry', material: 'FMaterialId', lot: 'FLot', qty: 'FLossQty' },
};

/** One bill line as compared: material number, lot number ('' without a lot), quantity, amount when known. */
export interface BillLine {
  material: string;
  lot: string;
  qty: number;
  amount?: number;
}

/**
 * The fields of `formId`.
 * @throws Error naming the form when no flow writes it (a registry/table mismatch, caught by the unit test).
 */
export function reconcileFormFields(formId: string): ReconcileFormFields {
  const fields = RECONCILE_FORMS[formId];
  if (!fields) throw new Error(`reconciliation: no field table for Kingdee form ${formId} (add it to RECONCILE_FORMS)`);
  return fields;
}

const numberOf = (ref: unknown): string => {
  if (typeof ref === 'object' && ref !== null) {
    const n = (ref as Record<string, unknown>).FNumber ?? (ref as Record<string, unknown>).FNUMBER;
    if (typeof n === 'string') return n;
  }
  return typeof ref === 'string' ? ref : '';
};
const numeric = (v: unknown): number | undefined => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);

/** Rounds away float noise so sums compare exactly (quantities and amounts carry at most 6 decimals). */
export function round6(n: number): number {
  return Math.round(n * 1e6) / 1e6;
}

/** The lines of a Save model of `formId` (pure; unknown or malformed entries count as quantity 0). */
export function modelLines(formId: string, model: Record<string, unknown>): BillLine[] {
  const f = reconcileFormFields(formId);
  const entries = Array.isArray(model[f.entry]) ? (model[f.entry] as unknown[]) : [];
  return entries.map((raw) => {
    const e = (typeof raw === 'object' && raw !== null ? raw : {}) as Record<string, unknown>;
    const qty = numeric(e[f.qty]) ?? 0;
    const amount = f.amount ? numeric(e[f.amount]) : f.price && numeric(e[f.price]) !== undefined ? round6(qty * numeric(e[f.price])!) : undefined;
    return { material: numberOf(e[f.material]), lot: numberOf(e[f.lot]), qty, ...(amount !== undefined && { amount }) };
  });
}
