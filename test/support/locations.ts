/**
 * Stock locations (仓位) in what the Kingdee simulator holds: every entry in a stock kept by location carries the
 * location the config gives (the demo's JST documents carry no bins, so the default), every other entry none.
 */
import { demoStockLocations, type KingdeeSimulator } from '@sync/simulator';
import type { SyncConfig } from '@sync/flows';

type Row = Record<string, unknown>;

/** Entry key and [stock field, location field] pairs of each form, as the simulator's bills spell them. */
const FORMS: Record<string, { entry: string; sides: Array<[string, string]> }> = {
  SAL_OUTSTOCK: { entry: 'FEntity', sides: [['FStockID', 'FStockLocID']] },
  SAL_RETURNSTOCK: { entry: 'FEntity', sides: [['FStockId', 'FStocklocId']] },
  STK_InStock: { entry: 'FInStockEntry', sides: [['FStockId', 'FStockLocId']] },
  PUR_MRB: { entry: 'FPURMRBENTRY', sides: [['FSTOCKID', 'FStockLocId']] },
  STK_MISCELLANEOUS: { entry: 'FEntity', sides: [['FSTOCKID', 'FStockLocId']] },
  STK_MisDelivery: { entry: 'FEntity', sides: [['FStockId', 'FStockLocId']] },
  STK_TransferDirect: { entry: 'FBillEntry', sides: [['FSrcStockId', 'FSrcStockLocId'], ['FDestStockId', 'FDestStockLocId']] },
  STK_StockCountGain: { entry: 'FBillEntry', sides: [['FStockId', 'FStockLocId']] },
  STK_StockCountLoss: { entry: 'FBillEntry', sides: [['FStockId', 'FStockLocId']] },
};

/** The location a bill entry holds, as a dotted code over `dims` (e.g. "G.01"), or undefined when absent or partial. */
function heldCode(value: unknown, field: string, dims: readonly string[]): string | undefined {
  if (!value || typeof value !== 'object') return undefined;
  const parts = dims.map((d) => ((value as Row)[`${field.toUpperCase()}__${d}`] as { FNumber?: string } | undefined)?.FNumber);
  return parts.every((p): p is string => typeof p === 'string') ? parts.join('.') : undefined;
}

export interface LocationCounts {
  /** Entries (sides of a transfer counted apart) that carry a location. */
  located: number;
  /** Entries whose every side carries one (a transfer between two stocks kept by location). */
  allSides: number;
}

/**
 * Checks the locations of every entry of `formId`'s bills in `kdSim` (expect-based) and counts them. `locations`:
 * the stocks kept by location and their dimensions (default: the demo base data's).
 */
export function checkLocations(
  kdSim: KingdeeSimulator,
  formId: string,
  config: SyncConfig,
  locations: Record<string, { flexNumbers: readonly string[] }> = demoStockLocations,
): LocationCounts {
  const form = FORMS[formId]!;
  const counts: LocationCounts = { located: 0, allSides: 0 };
  for (const bill of kdSim.documents(formId)) {
    for (const entry of (bill.model[form.entry] as Row[] | undefined) ?? []) {
      let sides = 0;
      for (const [stockField, locField] of form.sides) {
        const stock = (entry[stockField] as { FNumber?: string } | undefined)?.FNumber ?? '';
        const kept = locations[stock];
        if (!kept) {
          expect({ bill: bill.billNo, stock, location: entry[locField] }).toEqual({ bill: bill.billNo, stock, location: undefined });
          continue;
        }
        const want = config.mappings.stocks[stock]?.defaultLocation;
        expect({ bill: bill.billNo, stock, location: heldCode(entry[locField], locField, kept.flexNumbers) }).toEqual({ bill: bill.billNo, stock, location: want });
        counts.located += 1;
        sides += 1;
      }
      if (sides === form.sides.length) counts.allSides += 1;
    }
  }
  return counts;
}
