import { z } from 'zod';
import type { BillFormSpec } from './form-spec';
import { messages } from './messages';
import { isStoredRef, type StoredBill, type StoredValues } from './stored-bill';

/**
 * How a real account can be set up against an integration (kingdee-api.md §7, §11), as simulator settings:
 * - numbering: the bill type's coding rule does not allow manual numbers, so the FBillNo sent is replaced by the
 *   next automatic number (the Save answers that `Number`);
 * - refusals at Submit / Audit (and at a Save with IsAutoSubmitAndAudit, whose transaction then rolls back):
 *   `negative-stock` (the audit would take a stock negative: refused unless the call accepts the interaction with
 *   InterationFlags STK_InvCheckResult; `forbidNegative` = the stock organisation does not allow negative stock at
 *   all), `workflow` (the bill type is under a workflow: the plain Audit API refuses it since a 2023 patch),
 *   `permission` (the integration user lacks the right: MsgCode 2).
 * Each rule applies to a form, optionally narrowed to a bill type and (negative stock) a stock.
 */
export const numberingRuleSchema = z.object({ formId: z.string().min(1), billType: z.string().min(1).optional() }).strict();
export type NumberingRule = z.infer<typeof numberingRuleSchema>;

export const refusalRuleSchema = z
  .object({
    reason: z.enum(['negative-stock', 'workflow', 'permission']),
    formId: z.string().min(1),
    billType: z.string().min(1).optional(),
    /** negative-stock: only bills with a line on this stock (any stock field of the entry). */
    stock: z.string().min(1).optional(),
    /** permission: the operation refused (default audit; workflow and negative stock are audit checks). */
    operation: z.enum(['submit', 'audit']).optional(),
    /** negative-stock: the stock organisation forbids negative stock, so even STK_InvCheckResult does not help. */
    forbidNegative: z.boolean().optional(),
  })
  .strict();
export type RefusalRule = z.infer<typeof refusalRuleSchema>;

export interface AccountRules {
  numbering: NumberingRule[];
  refusals: RefusalRule[];
}

/** A refusal as the server words it. */
export interface Refusal {
  message: string;
  msgCode: number;
}

const sameCode = (a: string, b: string) => a.toLowerCase() === b.toLowerCase();

function billTypeOf(header: StoredValues): string | undefined {
  const v = header.FBillTypeID;
  return isStoredRef(v) ? v.number : undefined;
}

function matches(rule: { formId: string; billType?: string }, spec: BillFormSpec, header: StoredValues): boolean {
  if (!sameCode(rule.formId, spec.formId)) return false;
  if (!rule.billType) return true;
  const type = billTypeOf(header);
  return type !== undefined && sameCode(rule.billType, type);
}

/** Whether the coding rule of this bill's form / bill type replaces the number sent. */
export function replacesNumber(rules: AccountRules, spec: BillFormSpec, header: StoredValues): boolean {
  return rules.numbering.some((r) => matches(r, spec, header));
}

/** The stocks a bill's lines use (every stock reference of the entry). */
function stocksOf(spec: BillFormSpec, doc: Pick<StoredBill, 'entries'>): string[] {
  const fields = spec.entry.fields.filter((f) => f.ref === 'stock').map((f) => f.key);
  return doc.entries.flatMap((e) => fields.map((k) => e.values[k]).filter(isStoredRef).map((r) => r.number));
}

/**
 * The refusal of `operation` on this bill under the account's rules, or undefined. `interationFlags` is the
 * call's InterationFlags (audit, or save with auto-audit).
 */
export function refusalOf(
  rules: AccountRules,
  spec: BillFormSpec,
  doc: Pick<StoredBill, 'billNo' | 'header' | 'entries'>,
  operation: 'submit' | 'audit',
  interationFlags: string,
): Refusal | undefined {
  const accepted = interationFlags.split(';').some((f) => f.trim() === 'STK_InvCheckResult');
  for (const rule of rules.refusals) {
    if (!matches(rule, spec, doc.header)) continue;
    const ruleOp = rule.operation ?? 'audit';
    if (rule.reason === 'permission' && ruleOp === operation) return { message: messages.noPermission(spec.name, operation), msgCode: 2 };
    if (operation !== 'audit') continue;
    if (rule.reason === 'workflow') return { message: messages.inWorkflow(doc.billNo, spec.name), msgCode: 11 };
    if (rule.reason === 'negative-stock') {
      const stocks = stocksOf(spec, doc);
      const stock = rule.stock ? stocks.find((s) => sameCode(s, rule.stock!)) : stocks[0];
      if (stock === undefined) continue;
      if (rule.forbidNegative) return { message: messages.negativeStockForbidden(doc.billNo, stock), msgCode: 11 };
      if (!accepted) return { message: messages.negativeStockInteraction, msgCode: 11 };
    }
  }
  return undefined;
}
