import { DEFAULT_WRITE_MODE } from '@sync/config';
import { PermanentError, TransientError, type PermanentCode } from '@sync/errors';
import {
  classifyRefusal, findBills, formatFieldErrors, isDuplicateBillNoErrors, resolveBillKey, withKeyField,
  type BillKey, type FoundBill, type KingdeeBatchItemResult, type KingdeeFieldError, type KingdeeOperationResult, type RefusalReason, type SaveOptions,
} from '@sync/kingdee';
import { acquireLocks, extendLocks, keys, releaseLocks, type LedgerEntry, type LedgerStatus, type LockHandle } from '@sync/queue';
import {
  ACTION_ORDER, afterLookup, afterSave, afterStage, plan, type DocState, type PlanAction, type SaveAnswer, type Stage,
} from './write-plan';
import {
  docLockedError, finalStatus, ledgerStatusOf, type BatchOutcome, type KingdeeWriterDeps, type WriteRequest, type WriteResult,
} from './write-types';

/** Rounds of calls a batch may take (lookup, save, lookup, submit, lookup, audit, lookup ... with room to spare). */
const MAX_ROUNDS = 12;

export interface WriteOptions {
  /** How a lone package is saved: `batch-save` (default: the batched path is BatchSave only) or `save` (writeBatchSize 1). */
  save?: 'save' | 'batch-save';
}

interface Item {
  req: WriteRequest;
  where: string;
  key?: BillKey;
  /** The Save package: the transform's model with FBillNo and, where the writer keeps it, the key. */
  model: Record<string, unknown>;
  state: DocState;
  actions: WriteResult['actions'];
  /** What the ledger holds for the bill, to record only changes. */
  recorded?: { status: LedgerStatus; id: number | null; number: string | null };
  outcome?: BatchOutcome;
}

/**
 * Writes one target document; the batch of one of writeTargetBatch. Throws its error (TransientError DOC_LOCKED,
 * PermanentError naming flow, document and bill, or the client's transient kinds).
 */
export async function writeTargetDocument(deps: KingdeeWriterDeps, req: WriteRequest): Promise<WriteResult> {
  const [outcome] = await writeTargetBatch(deps, [req], { save: 'save' });
  if (!outcome.ok) throw outcome.error;
  return outcome.result;
}

/**
 * Writes a batch of target documents idempotently with few Kingdee calls and hands each request its own outcome,
 * in order (any mix of flows, forms and settings; safe to run any number of times and concurrently):
 * 1. per-bill Redis locks in one round trip (held elsewhere → TransientError DOC_LOCKED for that one), extended while
 *    the batch runs; then the ledger and the sent markers (one call each per flow);
 * 2. then rounds of the pure plan (write-plan.ts): each round runs only the earliest kind of action any document
 *    needs, one call per form: ONE ExecuteBillQuery by FBillNo or key for the bills that may exist (a Save was sent
 *    before, the ledger knows them, `lookupBeforeSave: always`, or a Save / stage did not answer clearly); ONE
 *    BatchSave (`save: 'save'`: Save for a lone package) of the bills not found, after their sent markers (auto-audit mode:
 *    IsAutoSubmitAndAudit); ONE Submit and ONE Audit by Ids of the bills not yet at their goal, each bill's outcome
 *    read from the answer (a bill in neither SuccessEntitys nor Errors is not done);
 * 3. whatever a call did not confirm is looked up before it counts; a duplicate-FBillNo answer or a timeout after a
 *    committed Save is resolved by the lookup, never by a second Save.
 * The ledger is recorded after every round for each bill whose state changed. Never throws: errors are per outcome.
 */
export async function writeTargetBatch(deps: KingdeeWriterDeps, reqs: readonly WriteRequest[], opts: WriteOptions = {}): Promise<BatchOutcome[]> {
  const ttl = deps.lockTtlMs ?? 30_000;
  const items: Item[] = reqs.map(newItem);
  const locks: LockHandle[] = [];
  const timer = setInterval(() => {
    extendLocks(deps.redis, locks, ttl).catch(() => undefined);
  }, Math.max(50, Math.floor(ttl / 3)));
  timer.unref();
  try {
    const taken = await acquireLocks(deps.redis, items.map((i) => keys.docLock(deps.prefix, i.req.flow, i.req.target.billNo)), ttl).catch((err: unknown) => items.map(() => err as Error));
    items.forEach((item, i) => {
      const lock = taken[i];
      const { flow, docId, target } = item.req;
      if (lock instanceof Error) item.outcome = { ok: false, error: lock };
      else if (!lock) item.outcome = { ok: false, error: docLockedError(flow, docId, target.billNo) };
      else locks.push(lock);
    });
    await runLocked(deps, items.filter((i) => !i.outcome), opts);
  } finally {
    clearInterval(timer);
    await releaseLocks(deps.redis, locks).catch(() => undefined);
  }
  return items.map((i) => i.outcome ?? { ok: false, error: new TransientError('BATCH_INCOMPLETE', `${i.where}: the batch ended without an outcome; will retry`) });
}

function newItem(req: WriteRequest): Item {
  const { formId, billNo } = req.target;
  const key = resolveBillKey(req.target.model, billNo, req.declaredKey, req.settings.keyField);
  let model: Record<string, unknown> = { ...req.target.model, FBillNo: billNo };
  if (key?.set) model = withKeyField(model, key.path, key.value);
  const goal = finalStatus(req.settings);
  return {
    req, key, model, actions: [],
    where: `${req.flow} document ${req.docId} → ${formId} ${billNo}`,
    state: {
      goal: goal === 'skipped' ? 'saved' : goal,
      auto: (req.settings.writeMode ?? DEFAULT_WRITE_MODE) === 'auto-audit' && req.settings.submit && req.settings.audit,
      mayExist: req.settings.lookupBeforeSave === 'always',
      looked: false,
      found: [],
    },
  };
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const k = keyOf(item);
    const list = groups.get(k);
    if (list) list.push(item);
    else groups.set(k, [item]);
  }
  return groups;
}

async function runLocked(deps: KingdeeWriterDeps, items: Item[], opts: WriteOptions): Promise<void> {
  await readLedger(deps, items);
  for (let round = 0; round < MAX_ROUNDS; round += 1) {
    const planned: Array<{ item: Item; action: PlanAction }> = [];
    for (const item of items) {
      if (item.outcome) continue;
      const action = plan(item.state);
      if (action.kind === 'done') finish(deps, item);
      else if (action.kind === 'fail') item.outcome = { ok: false, error: failure(item, action) };
      else planned.push({ item, action });
    }
    if (!planned.length) return;
    const first = Math.min(...planned.map((p) => ACTION_ORDER[p.action.kind as keyof typeof ACTION_ORDER]));
    const now = planned.filter((p) => ACTION_ORDER[p.action.kind as keyof typeof ACTION_ORDER] === first).map((p) => p.item);
    const kind = planned.find((p) => ACTION_ORDER[p.action.kind as keyof typeof ACTION_ORDER] === first)!.action.kind;
    const run = kind === 'lookup' ? runLookups : kind === 'save' ? (d: KingdeeWriterDeps, list: Item[]) => runSaves(d, list, opts) : (d: KingdeeWriterDeps, list: Item[]) => runStage(d, list, kind as Stage);
    try {
      await run(deps, now);
    } catch (err) {
      // Ledger or marker I/O failed (Kingdee errors are folded into the states): these documents retry.
      for (const item of now) if (!item.outcome) item.outcome = { ok: false, error: contextualise(item, err, kind) };
    }
    await recordChanges(deps, items).catch((err: unknown) => {
      for (const item of items) if (!item.outcome) item.outcome = { ok: false, error: err };
    });
  }
  for (const item of items) {
    if (!item.outcome) item.outcome = { ok: false, error: new TransientError('WRITE_UNFINISHED', `${item.where}: the write did not settle within ${MAX_ROUNDS} rounds; will retry`) };
  }
}

/** The ledger (one HMGET per flow) and the sent markers of the bills it does not know (one call per flow). */
async function readLedger(deps: KingdeeWriterDeps, items: Item[]): Promise<void> {
  for (const [flow, list] of groupBy(items, (i) => i.req.flow)) {
    try {
      const known = await deps.ledger.getMany(flow, list.map((i) => i.req.target.billNo));
      list.forEach((item, i) => {
        const entry = known[i];
        if (!entry || entry.status === 'skipped') return;
        item.state.ledger = { status: entry.status, number: entry.number, kingdeeId: entry.kingdeeId };
        item.state.mayExist = true;
        item.recorded = { status: entry.status, id: entry.kingdeeId, number: entry.number };
      });
      const unknown = list.filter((i) => !i.state.mayExist);
      const sent = await deps.ledger.sentBefore(flow, unknown.map((i) => i.req.target.billNo));
      unknown.forEach((item, i) => (item.state.mayExist = sent[i]));
    } catch (err) {
      for (const item of list) item.outcome = { ok: false, error: err };
    }
  }
}

function finish(deps: KingdeeWriterDeps, item: Item): void {
  const { billNo, formId } = item.req.target;
  const bill = item.state.bill;
  if (!bill) {
    const entry = item.state.ledger!;
    item.outcome = { ok: true, result: { billNo, formId, kingdeeId: entry.kingdeeId, number: entry.number, status: entry.status, actions: [] } };
    return;
  }
  item.outcome = { ok: true, result: { billNo, formId, kingdeeId: bill.id, number: bill.number, status: ledgerStatusOf(bill.status), actions: item.actions } };
  deps.logger.debug({ flow: item.req.flow, docId: item.req.docId, billNo, number: bill.number, status: bill.status, actions: item.actions }, 'bill written');
}

/** One ExecuteBillQuery per form (and key field) for the bills of these documents, by number or key. */
async function runLookups(deps: KingdeeWriterDeps, items: Item[]): Promise<void> {
  for (const group of groupBy(items, (i) => `${i.req.target.formId}|${i.key?.queryField ?? ''}`).values()) {
    const formId = group[0].req.target.formId;
    const keyField = group[0].key?.queryField;
    const numbers = group.flatMap((i) => [i.req.target.billNo, i.state.ledger?.number, i.state.bill?.number].filter((n): n is string => !!n));
    let bills: FoundBill[];
    try {
      bills = await findBills(deps.kingdee, formId, {
        numbers,
        key: keyField ? { queryField: keyField, values: group.map((i) => i.key!.value) } : undefined,
      });
    } catch (err) {
      for (const item of group) item.outcome = { ok: false, error: contextualise(item, err, 'lookup') };
      continue;
    }
    for (const item of group) {
      const mine = bills.filter((b) => belongsTo(item, b));
      const before = item.state;
      item.state = afterLookup(item.state, mine);
      if (before.stageFailure && !item.state.stageFailure) {
        deps.logger.warn({ billNo: item.req.target.billNo, stage: before.stageFailure.stage, status: item.state.bill?.status, err: before.stageFailure.error }, 'the stage reported a failure but Kingdee shows it done; continuing');
      }
    }
  }
}

function belongsTo(item: Item, bill: FoundBill): boolean {
  const s = item.state;
  if (s.bill && bill.id === s.bill.id) return true;
  if (bill.number === item.req.target.billNo || (!!s.ledger?.number && bill.number === s.ledger.number)) return true;
  return !!item.key && bill.key === item.key.value;
}

/** Saves the documents not found: sent markers first, then one BatchSave per form and options (Save for one). */
async function runSaves(deps: KingdeeWriterDeps, items: Item[], opts: WriteOptions): Promise<void> {
  for (const group of groupBy(items, (i) => `${i.req.flow}|${i.req.target.formId}|${i.state.auto}|${i.req.settings.allowNegativeStock}`).values()) {
    const { flow, target, settings } = group[0].req;
    const auto = group[0].state.auto;
    await deps.ledger.markSent(flow, group.map((i) => i.req.target.billNo));
    const options: SaveOptions = { IsVerifyBaseDataField: true };
    if (auto) {
      options.IsAutoSubmitAndAudit = true;
      if (settings.allowNegativeStock) options.InterationFlags = 'STK_InvCheckResult';
    }
    const answers = await saveGroup(deps, target.formId, group, options, opts.save === 'save' && group.length === 1);
    let renumbered: { item: Item; number: string } | undefined;
    for (const [i, item] of group.entries()) {
      const answer = answers[i];
      if (answer.kind === 'saved') {
        item.actions.push('save');
        if (auto) item.actions.push('submit', 'audit');
        if (answer.number !== item.req.target.billNo) renumbered ??= { item, number: answer.number };
      } else if (answer.kind !== 'rejected') {
        deps.logger.warn({ billNo: item.req.target.billNo, answer: answer.kind, err: 'error' in answer ? answer.error : undefined }, 'save did not answer clearly; looking the bill up');
      }
      item.state = afterSave(item.state, answer);
    }
    if (renumbered) await noteRenumbering(deps, renumbered.item, renumbered.number);
  }
}

async function saveGroup(deps: KingdeeWriterDeps, formId: string, group: Item[], options: SaveOptions, single: boolean): Promise<SaveAnswer[]> {
  const auto = options.IsAutoSubmitAndAudit === true;
  if (single) {
    const [item] = group;
    try {
      const saved = await deps.kingdee.save(formId, item.model, options);
      return [{ kind: 'saved', id: saved.id, number: saved.number || item.req.target.billNo }];
    } catch (err) {
      return [answerOfError(item, err, auto)];
    }
  }
  let results: KingdeeBatchItemResult[];
  try {
    results = await deps.kingdee.batchSave(formId, group.map((i) => i.model), options);
  } catch (err) {
    return group.map((item) => answerOfError(item, err, auto));
  }
  return group.map((item, i): SaveAnswer => {
    const res = results.find((r) => r.dIndex === i);
    if (!res) return { kind: 'ambiguous', error: new TransientError('BATCH_INCOMPLETE', `${item.where}: BatchSave returned no result for this package; will retry`) };
    if (res.ok) return { kind: 'saved', id: res.id, number: res.number || item.req.target.billNo };
    return answerOfRejection(item, res.errors, res.msgCode, auto);
  });
}

/** A thrown Save / BatchSave error as this package's answer. */
function answerOfError(item: Item, err: unknown, auto: boolean): SaveAnswer {
  if (err instanceof TransientError) return { kind: 'ambiguous', error: err };
  if (err instanceof PermanentError && err.code === 'KINGDEE_REJECTED' && Array.isArray(err.details.errors)) {
    return answerOfRejection(item, err.details.errors as KingdeeFieldError[], typeof err.details.msgCode === 'number' ? err.details.msgCode : undefined, auto);
  }
  return { kind: 'rejected', error: contextualise(item, err, 'save') };
}

function answerOfRejection(item: Item, errors: KingdeeFieldError[], msgCode: number | undefined, auto: boolean): SaveAnswer {
  if (isDuplicateBillNoErrors(errors)) return { kind: 'duplicate' };
  const reason = classifyRefusal(errors, msgCode);
  const { flow, docId, target } = item.req;
  const details = { flow, docId, billNo: target.billNo, formId: target.formId, errors, msgCode };
  if (auto && (reason === 'negative-stock' || reason === 'workflow')) {
    // Whether a refused auto-audit leaves the bill saved is undocumented (kingdee-api.md §11): Kingdee decides.
    return { kind: 'refused', error: new PermanentError(REFUSAL_CODES[reason], `${item.where}: save with auto submit and audit failed: ${formatFieldErrors(errors)}. ${REFUSAL_ADVICE[reason](flow)}`, details) };
  }
  const code: PermanentCode = reason ? REFUSAL_CODES[reason] : 'KINGDEE_REJECTED';
  const advice = reason ? ` ${REFUSAL_ADVICE[reason](flow)}` : '';
  return { kind: 'rejected', error: new PermanentError(code, `${item.where}: save failed: ${formatFieldErrors(errors)}${advice}`, details) };
}

const REFUSAL_CODES: Record<RefusalReason, PermanentCode> = {
  'negative-stock': 'KINGDEE_NEGATIVE_STOCK',
  workflow: 'KINGDEE_WORKFLOW',
  permission: 'KINGDEE_PERMISSION',
};

const REFUSAL_ADVICE: Record<RefusalReason, (flow: string) => string> = {
  'negative-stock': (flow) =>
    `Stock would go negative (or Kingdee asked an interaction question): book the missing stock in Kingdee, or set flows.${flow}.allowNegativeStock: true when the stock organisation allows negative stock (it sends InterationFlags STK_InvCheckResult).`,
  workflow: (flow) =>
    `The bill type is under a workflow, and Kingdee's Audit API refuses such bills: exclude bills created by the API from the workflow, or set flows.${flow}.audit: false so the service stops at submitted and the workflow approves.`,
  permission: () => 'The integration user lacks this permission on the form: grant it in Kingdee (role permissions of the user).',
};

/** Runs a Submit or Audit for the bills of these documents: one call by Ids per form and options. */
async function runStage(deps: KingdeeWriterDeps, items: Item[], stage: Stage): Promise<void> {
  for (const group of groupBy(items, (i) => `${i.req.target.formId}|${stage === 'audit' && i.req.settings.allowNegativeStock}`).values()) {
    const formId = group[0].req.target.formId;
    const ids = group.map((i) => i.state.bill!.id);
    const options = stage === 'audit' && group[0].req.settings.allowNegativeStock ? { InterationFlags: 'STK_InvCheckResult' } : undefined;
    let result: KingdeeOperationResult | undefined;
    let thrown: unknown;
    try {
      result = stage === 'submit' ? await deps.kingdee.submit(formId, { ids }, options) : await deps.kingdee.audit(formId, { ids }, options);
    } catch (err) {
      thrown = err;
    }
    // A refusal of every bill is thrown with the per-bill errors in its details.
    let msgCode: number | undefined;
    if (!result && thrown instanceof PermanentError && Array.isArray(thrown.details.errors)) {
      result = { successes: [], errors: thrown.details.errors as KingdeeFieldError[] };
      msgCode = typeof thrown.details.msgCode === 'number' ? thrown.details.msgCode : undefined;
      thrown = thrown.details.errors.length ? undefined : thrown;
    }
    group.forEach((item, i) => {
      const bill = item.state.bill!;
      let outcome: { ok: true } | { ok: false; error: unknown };
      if (thrown !== undefined) outcome = { ok: false, error: contextualise(item, thrown, stage) };
      else if (result!.successes.some((s) => s.id === bill.id || s.number === bill.number)) outcome = { ok: true };
      else {
        const own = result!.errors.filter((e) => e.dIndex === i);
        const general = group.length === 1 ? result!.errors : [];
        const errors = own.length ? own : general;
        outcome = {
          ok: false,
          error: errors.length
            ? stageError(item, stage, errors, msgCode)
            : new TransientError('STAGE_UNCONFIRMED', `${item.where}: Kingdee's answer to ${stage} named neither a success nor an error for bill ${bill.number}; will retry`, { billNo: item.req.target.billNo }),
        };
      }
      if (outcome.ok) item.actions.push(stage);
      item.state = afterStage(item.state, stage, outcome);
    });
  }
}

/** The PermanentError of a refused Submit / Audit: its reason code, Kingdee's words, what to do, where the bill stays. */
function stageError(item: Item, stage: Stage, errors: KingdeeFieldError[], msgCode: number | undefined): PermanentError {
  const { flow, docId, target } = item.req;
  const bill = item.state.bill!;
  const reason = classifyRefusal(errors, msgCode);
  const code: PermanentCode = reason ? REFUSAL_CODES[reason] : 'KINGDEE_REJECTED';
  const advice = reason ? ` ${REFUSAL_ADVICE[reason](flow)}` : '';
  return new PermanentError(
    code,
    `${item.where}: ${stage} failed: ${formatFieldErrors(errors)}.${advice} The bill stays in Kingdee as ${bill.number} (status ${bill.status}); a retry resumes at the ${stage} and never saves it again.`,
    { flow, docId, billNo: target.billNo, formId: target.formId, number: bill.number, stage, errors, msgCode },
  );
}

function failure(item: Item, action: Extract<PlanAction, { kind: 'fail' }>): unknown {
  const { flow, docId, target } = item.req;
  const details = { flow, docId, billNo: target.billNo, formId: target.formId, field: 'FBillNo' };
  switch (action.reason) {
    case 'duplicate-bills': {
      const found = item.state.found;
      return new PermanentError('KINGDEE_REJECTED', `${item.where}: Kingdee holds ${found.length} ${target.formId} bills for this document (${found.map((b) => `${b.number} FID ${b.id}`).join(', ')}); resolve the duplicate by hand`, details);
    }
    case 'number-taken-not-visible':
      return new PermanentError('KINGDEE_REJECTED', `${item.where}: Kingdee says FBillNo ${target.billNo} is taken, but no ${target.formId} bill with that number is visible to the integration user`, details);
    default:
      return action.error;
  }
}

/** Adds flow/document context to a PermanentError; other errors pass unchanged. */
function contextualise(item: Item, err: unknown, step: string): unknown {
  if (!(err instanceof PermanentError)) return err;
  const { flow, docId, target } = item.req;
  return new PermanentError(err.code, `${item.where}: ${step} failed: ${err.message}`, { ...err.details, flow, docId, billNo: target.billNo, formId: target.formId }, { cause: err });
}

/** Records in the ledger every bill whose known state changed this round (one HSET per flow). */
async function recordChanges(deps: KingdeeWriterDeps, items: Item[]): Promise<void> {
  const at = deps.now().toISOString();
  const byFlow = new Map<string, LedgerEntry[]>();
  for (const item of items) {
    const bill = item.state.bill;
    if (!bill) continue;
    const status = ledgerStatusOf(bill.status);
    const r = item.recorded;
    if (r && r.status === status && r.id === bill.id && r.number === bill.number) continue;
    const { flow, docId, version, jobId, target } = item.req;
    const list = byFlow.get(flow) ?? [];
    list.push({ billNo: target.billNo, docId, formId: target.formId, kingdeeId: bill.id, number: bill.number, status, version, jobId, writtenAt: at });
    byFlow.set(flow, list);
    item.recorded = { status, id: bill.id, number: bill.number };
  }
  for (const [flow, entries] of byFlow) await deps.ledger.recordMany(flow, entries);
}

/**
 * Kingdee answered another number than the FBillNo sent: the bill type's coding rule replaces it. The ledger keeps
 * the number (recorded with the bill); the first time per flow and form it is noted in Redis and warned about.
 */
async function noteRenumbering(deps: KingdeeWriterDeps, item: Item, number: string): Promise<void> {
  const { flow, target } = item.req;
  const first = await deps.redis
    .hsetnx(keys.renumbered(deps.prefix), `${flow}:${target.formId}`, JSON.stringify({ billNo: target.billNo, number, at: deps.now().toISOString() }))
    .catch(() => 0);
  if (first !== 1) return;
  deps.logger.warn(
    { flow, formId: target.formId, billNo: target.billNo, number, keyField: item.key?.path ?? null },
    item.key
      ? `Kingdee replaced FBillNo ${target.billNo} by ${number}: the ${target.formId} bill type's coding rule does not keep sent numbers; bills are found again by ${item.key.path}, or enable manual numbering (手工编号) on the bill type to keep the JST numbers`
      : `Kingdee replaced FBillNo ${target.billNo} by ${number} and ${target.formId} has no key field: set flows.${flow}.keyField, or enable manual numbering on the bill type, else a bill whose ledger record is lost cannot be found again`,
  );
}
