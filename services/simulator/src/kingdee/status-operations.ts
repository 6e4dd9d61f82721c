import { refusalOf, type AccountRules, type Refusal } from './account-rules';
import { ciGetAny } from './case-insensitive';
import type { DocumentStore } from './document-store';
import type { KdError, KdSuccessEntity, KdSuccessMessage, StatusInput } from './envelopes';
import type { BillFormSpec } from './form-spec';
import { messages } from './messages';
import type { StoredBill } from './stored-bill';

/**
 * Submit / Audit / UnAudit / Delete over `Numbers` and/or `Ids` (comma string, array or number), with
 * the Z→A→B→C→D state machine (reference §4.4). Partial success as §3.1: numbers that do not exist are
 * skipped when at least one exists; each bill in the wrong state is an error with its DIndex while the
 * others still succeed.
 */
export type StatusOperation = 'submit' | 'audit' | 'unaudit' | 'delete';

export interface OperationContext {
  spec: BillFormSpec;
  docs: DocumentStore;
  now: number;
  /** The account's refusal rules (default none). */
  rules?: AccountRules;
}

interface Target {
  key: string;
  doc?: StoredBill;
}

/** `Ids` → integers: "101,102" | [101, "102"] | 101. */
export function parseIds(raw: unknown): number[] {
  const parts: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : raw === undefined || raw === null ? [] : [raw];
  return parts
    .map((p) => (typeof p === 'number' ? p : typeof p === 'string' && p.trim() !== '' ? Number(p.trim()) : NaN))
    .filter((n) => Number.isInteger(n) && n > 0);
}

/** `Numbers` → non-empty strings (an array, or a single string tolerated). */
export function parseNumbers(raw: unknown): string[] {
  const parts: unknown[] = Array.isArray(raw) ? raw : typeof raw === 'string' ? raw.split(',') : [];
  return parts.filter((p): p is string | number => typeof p === 'string' || typeof p === 'number').map((p) => String(p).trim()).filter((s) => s !== '');
}

function targets(ctx: OperationContext, data: Record<string, unknown>): Target[] {
  const ids = parseIds(ciGetAny(data, ['Ids']));
  const numbers = parseNumbers(ciGetAny(data, ['Numbers']));
  return [
    ...ids.map((id) => ({ key: String(id), doc: ctx.docs.byId(ctx.spec.formId, id) })),
    ...numbers.map((n) => ({ key: n, doc: ctx.docs.byBillNo(ctx.spec.formId, n) })),
  ];
}

/** Applies `op` to one bill; returns the refusal when the state or the account's rules forbid it. */
function apply(ctx: OperationContext, op: StatusOperation, doc: StoredBill, flags: string): Refusal | string | undefined {
  const { spec, docs, now } = ctx;
  switch (op) {
    case 'submit': {
      if (doc.status === 'B') return messages.alreadySubmitted(doc.billNo, spec.name);
      if (doc.status === 'C') return messages.alreadyAudited(doc.billNo, spec.name);
      const refused = ctx.rules && refusalOf(ctx.rules, spec, doc, 'submit', flags);
      if (refused) return refused;
      docs.put({ ...doc, status: 'B', submittedAt: now, modifiedAt: now });
      return undefined;
    }
    case 'audit': {
      if (doc.status === 'C') return messages.alreadyAudited(doc.billNo, spec.name);
      if (doc.status !== 'B') return messages.notSubmittedCannotAudit(doc.billNo, spec.name);
      const refused = ctx.rules && refusalOf(ctx.rules, spec, doc, 'audit', flags);
      if (refused) return refused;
      docs.put({ ...doc, status: 'C', approvedAt: now, modifiedAt: now });
      return undefined;
    }
    case 'unaudit':
      if (doc.status !== 'C') return messages.notAuditedCannotUnAudit(doc.billNo, spec.name);
      docs.put({ ...doc, status: 'D', approvedAt: undefined, modifiedAt: now });
      return undefined;
    case 'delete':
      if (doc.status === 'B' || doc.status === 'C') return messages.cannotDelete(doc.billNo, spec.name);
      docs.remove(spec.formId, doc.id);
      return undefined;
  }
}

/** Runs the operation and returns the ResponseStatus content for `operationEnvelope`. */
export function runStatusOperation(ctx: OperationContext, op: StatusOperation, data: Record<string, unknown>): StatusInput {
  const list = targets(ctx, data);
  if (list.length === 0) return { errors: [{ FieldName: null, Message: messages.noTargets, DIndex: 0 }], msgCode: 8 };
  if (list.every((t) => !t.doc)) {
    return { errors: list.map((t, i) => ({ FieldName: null, Message: messages.billNotFound(t.key), DIndex: i })), msgCode: 10 };
  }
  const errors: KdError[] = [];
  const successes: KdSuccessEntity[] = [];
  const successMessages: KdSuccessMessage[] = [];
  const flags = String(ciGetAny(data, ['InterationFlags']) ?? '');
  let msgCode = 0;
  list.forEach((t, i) => {
    if (!t.doc) return;
    const current = ctx.docs.byId(ctx.spec.formId, t.doc.id);
    if (!current) return; // deleted earlier in the same call
    const error = apply(ctx, op, current, flags);
    if (error) {
      const refusal = typeof error === 'string' ? { message: error, msgCode: 11 } : error;
      // MsgCode 2 (no permission) outranks 11 (validation) for the call.
      msgCode = msgCode === 2 ? 2 : refusal.msgCode;
      errors.push({ FieldName: '', Message: refusal.message, DIndex: i });
      return;
    }
    successes.push({ Id: current.id, Number: current.billNo, DIndex: i });
    if (op === 'audit') successMessages.push({ FieldName: null, Message: messages.auditSucceeded(current.billNo, ctx.spec.name), DIndex: i });
  });
  return { errors, successes, messages: successMessages, msgCode };
}
