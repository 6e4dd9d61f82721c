import type { FoundBill } from '@sync/kingdee';
import { afterLookup, afterSave, afterStage, plan, type DocState, type PlanAction } from './write-plan';

const base: DocState = { goal: 'audited', auto: false, mayExist: false, looked: false, found: [] };
const bill = (status: FoundBill['status'], id = 7): FoundBill => ({ id, number: 'JSTSO1', status });
const err = new Error('x');

describe('plan: what a document needs next', () => {
  const cases: Array<[string, Partial<DocState>, PlanAction]> = [
    ['first attempt, never sent: save without a lookup', {}, { kind: 'save', auto: false }],
    ['auto-audit mode saves with auto', { auto: true }, { kind: 'save', auto: true }],
    ['sent before: look it up first', { mayExist: true }, { kind: 'lookup' }],
    ['looked up, not found: save', { mayExist: true, looked: true }, { kind: 'save', auto: false }],
    ['looked up, two bills: fail', { mayExist: true, looked: true, found: [bill('A', 1), bill('C', 2)] }, { kind: 'fail', reason: 'duplicate-bills' }],
    ['ledger at the goal: done without a call', { ledger: { status: 'audited', number: 'N', kingdeeId: 1 }, mayExist: true }, { kind: 'done', from: 'ledger' }],
    ['ledger short of the goal: look it up', { ledger: { status: 'submitted', number: 'N', kingdeeId: 1 }, mayExist: true }, { kind: 'lookup' }],
    ['goal saved, ledger submitted: done', { goal: 'saved', ledger: { status: 'submitted', number: 'N', kingdeeId: 1 } }, { kind: 'done', from: 'ledger' }],
    ['duplicate FBillNo answer: look it up', { saveFailure: { kind: 'duplicate' } }, { kind: 'lookup' }],
    ['duplicate, looked up, nothing visible: fail', { saveFailure: { kind: 'duplicate' }, looked: true }, { kind: 'fail', reason: 'number-taken-not-visible' }],
    ['ambiguous save: look it up', { saveFailure: { kind: 'ambiguous', error: err } }, { kind: 'lookup' }],
    ['ambiguous, not found: fail with the save error', { saveFailure: { kind: 'ambiguous', error: err }, looked: true }, { kind: 'fail', reason: 'save-failed', error: err }],
    ['rejected save: fail at once', { saveFailure: { kind: 'rejected', error: err } }, { kind: 'fail', reason: 'save-failed', error: err }],
    ['bill A: submit', { bill: bill('A') }, { kind: 'submit' }],
    ['bill Z: submit', { bill: bill('Z') }, { kind: 'submit' }],
    ['bill D (unaudited): submit', { bill: bill('D') }, { kind: 'submit' }],
    ['bill B: audit', { bill: bill('B') }, { kind: 'audit' }],
    ['bill C: done', { bill: bill('C') }, { kind: 'done', from: 'kingdee' }],
    ['goal submitted, bill B: done', { goal: 'submitted', bill: bill('B') }, { kind: 'done', from: 'kingdee' }],
    ['goal saved, bill A: done', { goal: 'saved', bill: bill('A') }, { kind: 'done', from: 'kingdee' }],
    ['submit failed: look it up', { bill: bill('A'), stageFailure: { stage: 'submit', error: err } }, { kind: 'lookup' }],
    ['submit failed, still A: fail', { bill: bill('A'), looked: true, stageFailure: { stage: 'submit', error: err } }, { kind: 'fail', reason: 'stage-failed', error: err }],
    ['audit failed, still B: fail', { bill: bill('B'), looked: true, stageFailure: { stage: 'audit', error: err } }, { kind: 'fail', reason: 'stage-failed', error: err }],
    ['submit failed but the bill is B: audit', { bill: bill('B'), looked: true, stageFailure: { stage: 'submit', error: err } }, { kind: 'audit' }],
  ];
  it.each(cases)('%s', (_name, state, expected) => {
    expect(plan({ ...base, ...state })).toEqual(expected);
  });
});

describe('reducers', () => {
  it('a lookup with one match takes the bill and clears a save failure', () => {
    const s = afterLookup({ ...base, saveFailure: { kind: 'ambiguous', error: err } }, [bill('A')]);
    expect(s).toMatchObject({ looked: true, bill: bill('A') });
    expect(s.saveFailure).toBeUndefined();
    expect(plan(s)).toEqual({ kind: 'submit' });
  });
  it('a lookup showing the failed stage done clears the stage failure', () => {
    const s = afterLookup({ ...base, bill: bill('A'), stageFailure: { stage: 'submit', error: err } }, [bill('B')]);
    expect(s.stageFailure).toBeUndefined();
    expect(plan(s)).toEqual({ kind: 'audit' });
  });
  it('a saved answer gives status A (staged) or C (auto-audit)', () => {
    expect(afterSave(base, { kind: 'saved', id: 1, number: 'X' }).bill).toEqual({ id: 1, number: 'X', status: 'A' });
    expect(afterSave({ ...base, auto: true }, { kind: 'saved', id: 1, number: 'X' }).bill?.status).toBe('C');
  });
  it('an auto-audit save refused by the audit continues staged once the bill is found', () => {
    const refused = afterSave({ ...base, auto: true }, { kind: 'refused', error: err });
    expect(refused.auto).toBe(false);
    expect(plan(refused)).toEqual({ kind: 'lookup' });
    expect(plan(afterLookup(refused, [bill('A')]))).toEqual({ kind: 'submit' });
    expect(plan(afterLookup(refused, []))).toEqual({ kind: 'fail', reason: 'save-failed', error: err });
  });
  it('a confirmed stage moves the status; an unconfirmed one asks for a lookup', () => {
    expect(afterStage({ ...base, bill: bill('A') }, 'submit', { ok: true }).bill?.status).toBe('B');
    expect(afterStage({ ...base, bill: bill('B') }, 'audit', { ok: true }).bill?.status).toBe('C');
    expect(plan(afterStage({ ...base, bill: bill('B'), looked: true }, 'audit', { ok: false, error: err }))).toEqual({ kind: 'lookup' });
  });
});
