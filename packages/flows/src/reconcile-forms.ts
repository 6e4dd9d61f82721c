import { flowRegistry } from './registry';
import type { ReconcileFormFields } from './types';

export type { ReconcileFormFields } from './types';

/** Every bill form a JST → Kingdee document flow writes, with its fields: the flows' `target.reconcile`, merged. */
export const RECONCILE_FORMS: Readonly<Record<string, ReconcileFormFields>> = Object.assign({}, ...Object.values(flowRegistry).map((flow) => flow.target.reconcile));

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
  if (!fields) throw new Error(`reconciliation: no field table for Kingdee form ${formId} (add it to the flow's target.reconcile)`);
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
