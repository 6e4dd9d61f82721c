import { PermanentError, TransientError } from '@sync/errors';
import { isDuplicateBillNoErrors, type KingdeeBatchItemResult, type KingdeeFieldError, type SaveOptions } from '@sync/kingdee';
import { acquireLocks, extendLocks, keys, releaseLocks, type LedgerEntry, type LockHandle, LEDGER_STATUS_RANK } from '@sync/queue';
import { z } from 'zod';
import { ksqlString, kingdeeStatusSchema, type FoundBill, type KingdeeStatus } from './kingdee-bill-lookup';
import { finalStatus, ledgerStatusOf, type KingdeeWriterDeps, type WriteRequest, type WriteResult } from './kingdee-writer';

/** One request's outcome inside a batch: its own result or its own error. */
export type BatchOutcome = { ok: true; result: WriteResult } | { ok: false; error: unknown };

const rowSchema = z.tuple([z.coerce.number().int().positive(), z.coerce.string(), kingdeeStatusSchema]).rest(z.unknown());

interface Item {
  req: WriteRequest;
  where: string;
  goal: WriteResult['status'];
  knownNumber?: string;
  /** Whether the bill may already be in Kingdee (a Save was sent before, the ledger knows it, or `always`): look it up first. */
  mayExist?: boolean;
  bill?: FoundBill;
  actions: WriteResult['actions'];
  outcome?: BatchOutcome;
}

function messagesOf(errors: readonly KingdeeFieldError[]): string {
  return errors.map((e) => (e.fieldName ? `${e.fieldName}: ${e.message}` : e.message)).join('; ');
}

function reached(status: WriteResult['status'], goal: WriteResult['status']): boolean {
  return LEDGER_STATUS_RANK[status] >= LEDGER_STATUS_RANK[goal];
}

/** Adds flow/document context to a PermanentError; other errors pass unchanged. */
function contextualise(item: Item, err: unknown, step: string): unknown {
  if (!(err instanceof PermanentError)) return err;
  const { flow, docId, target } = item.req;
  return new PermanentError(err.code, `${item.where}: ${step} failed: ${err.message}`, { ...err.details, flow, docId, billNo: target.billNo, formId: target.formId }, { cause: err });
}

/**
 * Looks up every bill of `formId` whose FBillNo is in `numbers` with ONE ExecuteBillQuery
 * (`FBillNo in (...)`). Returns bill number → bills with that number (more than one = a broken key).
 * Throws PermanentError INVALID_RESPONSE on an unreadable row and whatever the client throws.
 */
export async function lookupBills(kingdee: KingdeeWriterDeps['kingdee'], formId: string, numbers: readonly string[]): Promise<Map<string, FoundBill[]>> {
  const found = new Map<string, FoundBill[]>();
  const unique = [...new Set(numbers)];
  if (!unique.length) return found;
  const rows = await kingdee.executeBillQuery({
    FormId: formId,
    FieldKeys: 'FID,FBillNo,FDocumentStatus',
    FilterString: `FBillNo in (${unique.map(ksqlString).join(',')})`,
  });
  for (const row of rows) {
    const parsed = rowSchema.safeParse(row);
    if (!parsed.success) {
      throw new PermanentError('INVALID_RESPONSE', `Kingdee ${formId} batch query returned an unreadable row: ${JSON.stringify(row).slice(0, 200)}`, { formId });
    }
    const [id, number, status] = parsed.data;
    const list = found.get(number) ?? [];
    if (!list.some((b) => b.id === id)) list.push({ id, number, status });
    found.set(number, list);
  }
  return found;
}

/**
 * Writes a batch of target documents (one flow; any mix of forms and settings is grouped) with few Kingdee
 * calls and hands each request its own outcome, in order:
 * 1. per-bill Redis locks (held elsewhere → TransientError DOC_LOCKED for that one), extended while the batch runs;
 * 2. ledger already at the final state → done without calls;
 * 3. ONE ExecuteBillQuery `FBillNo in (...)` per form for the bills that may exist (a Save was sent for them before
 *    — the sent marker —, the ledger knows them, or lookupBeforeSave is `always`); none → no query; two bills with
 *    one number → PermanentError for that doc;
 * 4. the sent marker for the bills not found, then ONE BatchSave of them (IsAutoSubmitAndAudit when submit and
 *    audit); per package by DIndex:
 *    saved → recorded; duplicate FBillNo → looked up again (one query); other rejection → PermanentError
 *    KINGDEE_REJECTED with that package's messages. A call-level failure fails every package of the call
 *    (TransientError: the retry's lookup finds what was committed, so nothing is saved twice);
 * 5. bills not yet at the goal → ONE Submit and ONE Audit carrying all their numbers; whatever did not succeed is
 *    re-checked against Kingdee (one query) before it counts as failed.
 * The ledger is recorded for every bill that reached a known state. Never throws: errors are per outcome.
 */
export async function writeTargetBatch(deps: KingdeeWriterDeps, reqs: readonly WriteRequest[]): Promise<BatchOutcome[]> {
  const ttl = deps.lockTtlMs ?? 30_000;
  const items: Item[] = reqs.map((req) => ({
    req,
    where: `${req.flow} document ${req.docId} → ${req.target.formId} ${req.target.billNo}`,
    goal: finalStatus(req.settings),
    actions: [],
  }));
  const locks: LockHandle[] = [];
  const timer = setInterval(() => {
    extendLocks(deps.redis, locks, ttl).catch(() => undefined);
  }, Math.max(50, Math.floor(ttl / 3)));
  timer.unref();
  try {
    // Every lock of the batch in one round trip.
    const taken = await acquireLocks(deps.redis, items.map((i) => keys.docLock(deps.prefix, i.req.flow, i.req.target.billNo)), ttl).catch((err: unknown) => items.map(() => err as Error));
    items.forEach((item, i) => {
      const lock = taken[i];
      const { flow, docId, target } = item.req;
      if (lock instanceof Error) item.outcome = { ok: false, error: lock };
      else if (!lock) {
        item.outcome = {
          ok: false,
          error: new TransientError('DOC_LOCKED', `${flow} document ${docId}: bill ${target.billNo} is being written by another job; will retry`, { flow, docId, billNo: target.billNo }),
        };
      } else locks.push(lock);
    });
    await runLocked(deps, items.filter((i) => !i.outcome));
  } finally {
    clearInterval(timer);
    await releaseLocks(deps.redis, locks).catch(() => undefined);
  }
  return items.map((i) => i.outcome ?? { ok: false, error: new TransientError('BATCH_INCOMPLETE', `${i.where}: the batch ended without an outcome; will retry`) });
}

function groupBy<T>(items: readonly T[], keyOf: (item: T) => string): Map<string, T[]> {
  const groups = new Map<string, T[]>();
  for (const item of items) {
    const key = keyOf(item);
    const list = groups.get(key);
    if (list) list.push(item);
    else groups.set(key, [item]);
  }
  return groups;
}

async function runLocked(deps: KingdeeWriterDeps, items: Item[]): Promise<void> {
  // Ledger first (one HMGET per flow): documents already at their goal need no call. Then the sent markers (one
  // call per flow): a bill a Save was ever sent for may be in Kingdee already.
  for (const [flow, list] of groupBy(items, (i) => i.req.flow)) {
    try {
      const known = await deps.ledger.getMany(flow, list.map((i) => i.req.target.billNo));
      list.forEach((item, i) => {
        const entry = known[i];
        if (entry?.number && entry.number !== item.req.target.billNo) item.knownNumber = entry.number;
        if (entry || item.req.settings.lookupBeforeSave === 'always') item.mayExist = true;
        if (entry && entry.status !== 'skipped' && reached(entry.status, item.goal)) {
          const { billNo, formId } = item.req.target;
          item.outcome = { ok: true, result: { billNo, formId, kingdeeId: entry.kingdeeId, number: entry.number, status: entry.status, actions: [] } };
        }
      });
      const unknown = list.filter((i) => !i.outcome && !i.mayExist);
      const sent = await deps.ledger.sentBefore(flow, unknown.map((i) => i.req.target.billNo));
      unknown.forEach((item, i) => (item.mayExist = sent[i]));
    } catch (err) {
      for (const item of list) if (!item.outcome) item.outcome = { ok: false, error: err };
    }
  }
  // Group by flow, form and settings: one BatchSave carries one set of options, and its sent markers and ledger
  // records belong to one flow.
  const groups = groupBy(items.filter((i) => !i.outcome), (i) => {
    const s = i.req.settings;
    return `${i.req.flow}|${i.req.target.formId}|${s.submit}|${s.audit}|${s.allowNegativeStock}`;
  });
  for (const group of groups.values()) {
    try {
      await writeGroup(deps, group);
    } catch (err) {
      for (const item of group) if (!item.outcome) item.outcome = { ok: false, error: contextualise(item, err, 'batch write') };
    }
  }
}

async function writeGroup(deps: KingdeeWriterDeps, group: Item[]): Promise<void> {
  const { kingdee } = deps;
  const formId = group[0].req.target.formId;
  const settings = group[0].req.settings;
  const open = () => group.filter((i) => !i.outcome);

  // Ledger records are collected and written once per step (one HSET: a group is one flow).
  const flow = group[0].req.flow;
  const pending: LedgerEntry[] = [];
  const record = (item: Item, bill: FoundBill) => {
    item.bill = bill;
    const { docId, version, jobId, target } = item.req;
    pending.push({
      billNo: target.billNo, docId, formId, kingdeeId: bill.id, number: bill.number,
      status: ledgerStatusOf(bill.status), version, jobId, writtenAt: deps.now().toISOString(),
    });
  };
  const flush = () => deps.ledger.recordMany(flow, pending.splice(0));
  const assign = async (targets: Item[], found: Map<string, FoundBill[]>) => {
    for (const item of targets) {
      const bills = found.get(item.req.target.billNo) ?? (item.knownNumber ? found.get(item.knownNumber) : undefined) ?? [];
      if (bills.length > 1) {
        item.outcome = {
          ok: false,
          error: new PermanentError('KINGDEE_REJECTED', `${item.where}: Kingdee holds ${bills.length} ${formId} bills numbered ${item.req.target.billNo} (FIDs ${bills.map((b) => b.id).join(', ')}); resolve the duplicate by hand`, {
            flow: item.req.flow, docId: item.req.docId, billNo: item.req.target.billNo, formId, field: 'FBillNo',
          }),
        };
      } else if (bills.length === 1) {
        record(item, bills[0]);
      }
    }
    await flush();
  };
  const numbersOf = (targets: Item[]) => targets.flatMap((i) => [i.req.target.billNo, ...(i.knownNumber ? [i.knownNumber] : [])]);

  // 3. One lookup for the bills of the group that may exist.
  const mayExist = group.filter((i) => i.mayExist);
  if (mayExist.length) await assign(mayExist, await lookupBills(kingdee, formId, numbersOf(mayExist)));

  // 4. One BatchSave of the bills not found, marked as sent first.
  const toSave = open().filter((i) => !i.bill);
  if (toSave.length) await deps.ledger.markSent(flow, toSave.map((i) => i.req.target.billNo));
  if (toSave.length) {
    const auto = settings.submit && settings.audit;
    const options: SaveOptions = { IsVerifyBaseDataField: true };
    if (auto) {
      options.IsAutoSubmitAndAudit = true;
      if (settings.allowNegativeStock) options.InterationFlags = 'STK_InvCheckResult';
    }
    let results: KingdeeBatchItemResult[];
    try {
      results = await kingdee.batchSave(formId, toSave.map((i) => ({ ...i.req.target.model, FBillNo: i.req.target.billNo })), options);
    } catch (err) {
      for (const item of toSave) item.outcome = { ok: false, error: contextualise(item, err, 'batch save') };
      results = [];
    }
    const duplicates: Item[] = [];
    for (const res of results) {
      const item = toSave[res.dIndex];
      if (!item || item.outcome) continue;
      if (res.ok) {
        item.actions.push('save');
        record(item, { id: res.id, number: res.number || item.req.target.billNo, status: auto ? 'C' : 'A' });
        if (auto) item.actions.push('submit', 'audit');
      } else if (isDuplicateBillNoErrors(res.errors)) {
        duplicates.push(item);
      } else {
        item.outcome = {
          ok: false,
          error: new PermanentError('KINGDEE_REJECTED', `${item.where}: save failed: ${messagesOf(res.errors)}`, {
            flow: item.req.flow, docId: item.req.docId, billNo: item.req.target.billNo, formId, errors: res.errors, msgCode: res.msgCode,
          }),
        };
      }
    }
    await flush();
    for (const item of toSave) {
      if (!item.outcome && !item.bill && !duplicates.includes(item)) {
        item.outcome = { ok: false, error: new TransientError('BATCH_INCOMPLETE', `${item.where}: BatchSave returned no result for this package; will retry`) };
      }
    }
    if (duplicates.length) {
      await assign(duplicates, await lookupBills(kingdee, formId, numbersOf(duplicates)));
      for (const item of duplicates) {
        if (!item.outcome && !item.bill) {
          item.outcome = {
            ok: false,
            error: new PermanentError('KINGDEE_REJECTED', `${item.where}: Kingdee says FBillNo ${item.req.target.billNo} is taken, but no ${formId} bill with that number is visible to the integration user`, {
              flow: item.req.flow, docId: item.req.docId, billNo: item.req.target.billNo, formId, field: 'FBillNo',
            }),
          };
        }
      }
    }
  }

  // 5. Drive found/saved bills to the goal: one Submit, one Audit for all of them.
  const wantSubmit = settings.submit || settings.audit;
  if (wantSubmit) await step(open().filter((i) => i.bill && ['A', 'D', 'Z'].includes(i.bill.status)), 'submit', ['B', 'C']);
  if (settings.audit) await step(open().filter((i) => i.bill?.status === 'B'), 'audit', ['C']);

  for (const item of open()) {
    const bill = item.bill!;
    const { billNo } = item.req.target;
    item.outcome = { ok: true, result: { billNo, formId, kingdeeId: bill.id, number: bill.number, status: ledgerStatusOf(bill.status), actions: item.actions } };
    deps.logger.debug({ billNo, status: bill.status, actions: item.actions }, 'bill written (batch)');
  }

  async function step(targets: Item[], name: 'submit' | 'audit', done: KingdeeStatus[]): Promise<void> {
    if (!targets.length) return;
    const numbers = targets.map((i) => i.bill!.number);
    let failure: unknown;
    let errors: KingdeeFieldError[] = [];
    const succeeded = new Set<string>();
    try {
      const options = name === 'audit' && settings.allowNegativeStock ? { InterationFlags: 'STK_InvCheckResult' } : undefined;
      const result = name === 'submit' ? await kingdee.submit(formId, numbers) : await kingdee.audit(formId, numbers, options);
      for (const s of result.successes) succeeded.add(s.number);
      errors = result.errors;
      // A clean answer without per-bill successes means all of them.
      if (!result.errors.length && !result.successes.length) numbers.forEach((n) => succeeded.add(n));
    } catch (err) {
      failure = err;
    }
    const unclear = targets.filter((i) => !succeeded.has(i.bill!.number));
    for (const item of targets.filter((i) => succeeded.has(i.bill!.number))) {
      item.actions.push(name);
      record(item, { ...item.bill!, status: done[0] });
    }
    await flush();
    if (!unclear.length) return;
    // Kingdee's actual state decides for the rest (one query).
    const after = await lookupBills(kingdee, formId, unclear.map((i) => i.bill!.number));
    for (const item of unclear) {
      const now = after.get(item.bill!.number);
      if (now?.length === 1 && done.includes(now[0].status)) {
        item.actions.push(name);
        record(item, now[0]);
        continue;
      }
      const idx = numbers.indexOf(item.bill!.number);
      const own = errors.filter((e) => e.dIndex === idx);
      const error = failure ?? new PermanentError('KINGDEE_REJECTED', messagesOf(own.length ? own : errors) || `${name} did not succeed`, { errors: own.length ? own : errors });
      item.outcome = { ok: false, error: contextualise(item, error, name) };
    }
    await flush();
  }
}
