import { PermanentError, TransientError } from '@sync/errors';
import type { BillQuery, BillTargets, KingdeeApi, KingdeeOperationResult, SaveOptions } from '@sync/kingdee';

/** A bill held by the fake. */
export interface FakeBill {
  id: number;
  formId: string;
  billNo: string;
  status: 'Z' | 'A' | 'B' | 'C' | 'D';
  model: Record<string, unknown>;
}

export interface FakeCall {
  op: 'save' | 'submit' | 'audit' | 'query';
  formId: string;
  billNo?: string;
  options?: SaveOptions;
}

/**
 * In-memory KingdeeApi for worker tests (test support only): bills by FBillNo, duplicate-number rejection
 * (MsgCode 11, FieldName FBillNo), A → B → C status flow, and hooks to inject races and faults.
 */
export interface FakeKingdee extends KingdeeApi {
  bills: Map<string, FakeBill>;
  calls: FakeCall[];
  /** Runs before a save is applied (may insert a competing bill, or wait on a gate). */
  beforeSave?: (billNo: string) => Promise<void> | void;
  /** Saves that commit and then answer with a timeout. */
  timeoutsAfterCommit: number;
  /** Queries that fail with a transient error before answering. */
  failingQueries: number;
  /** Audit rejection message (e.g. negative stock); undefined = audit succeeds. */
  auditRejection?: string;
  /** MsgCode of the audit rejection (default 11). */
  auditRejectionMsgCode?: number;
  /** A coding rule that replaces the sent FBillNo (as a bill type without manual numbering does). */
  renumber?: (billNo: string) => string;
  count(op: FakeCall['op']): number;
  insert(formId: string, billNo: string, status: FakeBill['status']): FakeBill;
}

export function createFakeKingdee(): FakeKingdee {
  let nextId = 100000;
  const fake: FakeKingdee = {
    bills: new Map(),
    calls: [],
    timeoutsAfterCommit: 0,
    failingQueries: 0,
    count(op) {
      return fake.calls.filter((c) => c.op === op).length;
    },
    insert(formId, billNo, status) {
      const bill = { id: nextId++, formId, billNo, status, model: {} };
      fake.bills.set(billNo, bill);
      return bill;
    },
    async save(formId, model, options) {
      const sent = String(model.FBillNo);
      fake.calls.push({ op: 'save', formId, billNo: sent, options });
      await fake.beforeSave?.(sent);
      if (fake.bills.has(sent)) {
        const message = `违反字段唯一性要求：编码唯一。[${sent}]在当前系统中已经被使用。`;
        throw new PermanentError('KINGDEE_REJECTED', message, { errors: [{ fieldName: 'FBillNo', message, dIndex: 0 }], msgCode: 11 });
      }
      const billNo = fake.renumber ? fake.renumber(sent) : sent;
      const bill = fake.insert(formId, billNo, 'A');
      bill.model = model;
      if (fake.timeoutsAfterCommit > 0) {
        fake.timeoutsAfterCommit -= 1;
        throw new TransientError('TIMEOUT', 'Kingdee Save timed out after 60000 ms');
      }
      return { id: bill.id, number: billNo };
    },
    async batchSave() {
      throw new Error('not used by the worker');
    },
    async submit(formId, bills) {
      return transition('submit', formId, numbersOf(bills), ['A', 'D', 'Z'], 'B');
    },
    async audit(formId, bills, options) {
      const numbers = numbersOf(bills);
      if (fake.auditRejection) {
        fake.calls.push({ op: 'audit', formId, billNo: numbers[0], options });
        const message = fake.auditRejection;
        throw new PermanentError('KINGDEE_REJECTED', message, { errors: [{ fieldName: null, message, dIndex: 0 }], msgCode: fake.auditRejectionMsgCode ?? 11 });
      }
      return transition('audit', formId, numbers, ['B'], 'C', options);
    },
    async unAudit() {
      throw new Error('not used by the worker');
    },
    async delete() {
      throw new Error('not used by the worker');
    },
    async view() {
      return undefined;
    },
    async executeBillQuery(query: BillQuery) {
      // Only the writer's query: `FBillNo in (...) [or <keyField> in (...)]`, FieldKeys FID,FBillNo,FDocumentStatus[,<keyField>].
      const terms = [...(query.FilterString ?? '').matchAll(/(\w+) in \(((?:'(?:[^']|'')*',?)+)\)/g)].map((m) => ({
        field: m[1],
        values: [...m[2].matchAll(/'((?:[^']|'')*)'/g)].map((v) => v[1].replace(/''/g, "'")),
      }));
      const [, , , keyField, ...more] = query.FieldKeys.split(',');
      fake.calls.push({ op: 'query', formId: query.FormId, billNo: terms.find((t) => t.field === 'FBillNo')?.values[0] });
      if (fake.failingQueries > 0) {
        fake.failingQueries -= 1;
        throw new TransientError('HTTP_5XX', 'Kingdee answered 503');
      }
      if (!query.FieldKeys.startsWith('FID,FBillNo,FDocumentStatus') || !terms.length || more.length) throw new Error(`unexpected query ${JSON.stringify(query)}`);
      const rows: unknown[][] = [];
      for (const bill of fake.bills.values()) {
        if (bill.formId !== query.FormId) continue;
        const key = keyField ? fieldValue(bill.model, keyField) : undefined;
        const hit = terms.some((t) => (t.field === 'FBillNo' ? t.values.includes(bill.billNo) : t.field === keyField && key !== undefined && t.values.includes(key)));
        if (hit) rows.push(keyField ? [bill.id, bill.billNo, bill.status, key ?? ''] : [bill.id, bill.billNo, bill.status]);
      }
      return rows;
    },
    async close() {},
  };

  function numbersOf(bills: BillTargets): string[] {
    if (!('ids' in bills)) return [...bills];
    return bills.ids.map((id) => [...fake.bills.values()].find((b) => b.id === id)?.billNo ?? `#${id}`);
  }

  /** A header field, or one of a sub-head section's (queried without the section, like Kingdee). */
  function fieldValue(model: Record<string, unknown>, field: string): string | undefined {
    const direct = model[field];
    if (typeof direct === 'string') return direct;
    for (const v of Object.values(model)) {
      if (v && typeof v === 'object' && !Array.isArray(v) && typeof (v as Record<string, unknown>)[field] === 'string') return (v as Record<string, string>)[field];
    }
    return undefined;
  }

  function transition(
    op: 'submit' | 'audit',
    formId: string,
    numbers: string[],
    from: FakeBill['status'][],
    to: FakeBill['status'],
    options?: SaveOptions,
  ): KingdeeOperationResult {
    const result: KingdeeOperationResult = { successes: [], errors: [] };
    numbers.forEach((n, dIndex) => {
      fake.calls.push({ op, formId, billNo: n, options });
      const bill = fake.bills.get(n);
      if (bill && from.includes(bill.status)) {
        bill.status = to;
        result.successes.push({ id: bill.id, number: n, dIndex });
      } else {
        result.errors.push({ fieldName: null, message: `单据编号为“${n}”的单据，状态不允许${op}`, dIndex });
      }
    });
    if (!result.successes.length) {
      throw new PermanentError('KINGDEE_REJECTED', result.errors.map((e) => e.message).join('; '), { errors: result.errors, msgCode: 11 });
    }
    return result;
  }
  return fake;
}
