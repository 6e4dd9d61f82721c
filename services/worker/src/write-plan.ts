import type { FoundBill, KingdeeStatus } from '@sync/kingdee';
import type { LedgerStatus } from '@sync/queue';
import { ledgerStatusOf, reached } from './write-types';

/**
 * The write algorithm as data: what one document needs next, from what the ledger, the sent marker and Kingdee
 * said so far (the functional core of write-executor.ts; STYLE "a pure evaluate(state) → actions"). `plan` reads a
 * state, the `after*` reducers fold one Kingdee answer into it. Pure, no I/O.
 */

export type Stage = 'submit' | 'audit';

export interface DocState {
  goal: Exclude<LedgerStatus, 'skipped'>;
  /** Save with IsAutoSubmitAndAudit (writeMode auto-audit and the goal is audited). */
  auto: boolean;
  /** The ledger's record of the bill (absent: none, or a skip). */
  ledger?: { status: LedgerStatus; number: string | null; kingdeeId: number | null };
  /** The bill may be in Kingdee already: a Save was sent for it before, the ledger knows it, or lookupBeforeSave is `always`. */
  mayExist: boolean;
  /** Whether `found` holds Kingdee's answer since the last write attempt. */
  looked: boolean;
  /** The bills the last lookup matched to this document (by number or key). */
  found: FoundBill[];
  /** The bill being driven to the goal, once known. */
  bill?: FoundBill;
  /**
   * A Save that did not answer clearly (`duplicate` number, `ambiguous` transport failure, an auto-audit save `refused`
   * by a stage check: Kingdee decides) or was `rejected` (a final answer).
   */
  saveFailure?: { kind: 'duplicate' | 'ambiguous' | 'refused' | 'rejected'; error?: unknown };
  /** A Submit or Audit that failed or was not confirmed: Kingdee's state decides whether it happened. */
  stageFailure?: { stage: Stage; error: unknown };
}

export type FailReason = 'duplicate-bills' | 'number-taken-not-visible' | 'save-failed' | 'stage-failed';

export type PlanAction =
  | { kind: 'done'; from: 'ledger' | 'kingdee' }
  | { kind: 'lookup' }
  | { kind: 'save'; auto: boolean }
  | { kind: Stage }
  | { kind: 'fail'; reason: FailReason; error?: unknown };

/** The statuses that mean a stage happened. */
export function stageDone(stage: Stage, status: KingdeeStatus): boolean {
  return stage === 'submit' ? status === 'B' || status === 'C' : status === 'C';
}

/** What the document needs next. */
export function plan(s: DocState): PlanAction {
  if (!s.bill) {
    if (s.ledger && s.ledger.status !== 'skipped' && reached(s.ledger.status, s.goal) && !s.saveFailure) return { kind: 'done', from: 'ledger' };
    if (s.saveFailure?.kind === 'rejected') return { kind: 'fail', reason: 'save-failed', error: s.saveFailure.error };
    if (!s.looked && (s.mayExist || s.saveFailure)) return { kind: 'lookup' };
    if (s.looked && s.found.length > 1) return { kind: 'fail', reason: 'duplicate-bills' };
    if (s.saveFailure?.kind === 'duplicate') return { kind: 'fail', reason: 'number-taken-not-visible' };
    if (s.saveFailure) return { kind: 'fail', reason: 'save-failed', error: s.saveFailure.error };
    return { kind: 'save', auto: s.auto };
  }
  if (s.stageFailure) {
    if (!s.looked) return { kind: 'lookup' };
    if (!stageDone(s.stageFailure.stage, s.bill.status)) return { kind: 'fail', reason: 'stage-failed', error: s.stageFailure.error };
  }
  if (reached(ledgerStatusOf(s.bill.status), s.goal)) return { kind: 'done', from: 'kingdee' };
  if (s.bill.status === 'B') return { kind: 'audit' };
  return { kind: 'submit' };
}

/** Order of the actions in a batch round: only the earliest kind present runs, so a batch moves as one (one call per kind). */
export const ACTION_ORDER: Record<'lookup' | 'save' | Stage, number> = { lookup: 0, save: 1, submit: 2, audit: 3 };

/** Folds a lookup answer (the bills matched to this document) into the state. */
export function afterLookup(s: DocState, matched: FoundBill[]): DocState {
  const next: DocState = { ...s, looked: true, found: matched };
  if (matched.length === 1) next.bill = matched[0];
  else if (s.bill) next.bill = matched.find((b) => b.id === s.bill!.id) ?? s.bill;
  if (next.bill && next.saveFailure) delete next.saveFailure; // the save did happen (or the bill was there)
  if (next.bill && next.stageFailure && stageDone(next.stageFailure.stage, next.bill.status)) delete next.stageFailure;
  return next;
}

/** The answer to a Save of this document. */
export type SaveAnswer =
  | { kind: 'saved'; id: number; number: string }
  | { kind: 'duplicate' }
  | { kind: 'ambiguous'; error: unknown }
  | { kind: 'refused'; error: unknown }
  | { kind: 'rejected'; error: unknown };

/** Folds a Save answer into the state. An auto-audit save refused at its audit continues staged if the bill exists. */
export function afterSave(s: DocState, answer: SaveAnswer): DocState {
  if (answer.kind === 'saved') {
    const { saveFailure: _, ...rest } = s;
    return { ...rest, bill: { id: answer.id, number: answer.number, status: s.auto ? 'C' : 'A' } };
  }
  const error = answer.kind === 'duplicate' ? undefined : answer.error;
  return { ...s, looked: false, found: [], auto: answer.kind === 'refused' ? false : s.auto, saveFailure: { kind: answer.kind, error } };
}

/** Folds a stage's outcome for this bill into the state: `ok` (confirmed in the answer) or the error (unconfirmed). */
export function afterStage(s: DocState, stage: Stage, outcome: { ok: true } | { ok: false; error: unknown }): DocState {
  if (!s.bill) return s;
  if (outcome.ok) {
    const { stageFailure: _, ...rest } = s;
    return { ...rest, bill: { ...s.bill, status: stage === 'submit' ? 'B' : 'C' } };
  }
  return { ...s, looked: false, stageFailure: { stage, error: outcome.error } };
}
