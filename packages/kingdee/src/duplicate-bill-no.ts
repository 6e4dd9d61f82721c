import { PermanentError } from '@sync/errors';
import type { KingdeeFieldError } from './types';

const UNIQUENESS_TEXT = '违反字段唯一性要求';
const ALREADY_AUDITED_TEXT = '已经审核';

function rejectedErrors(err: unknown): KingdeeFieldError[] {
  if (!(err instanceof PermanentError) || err.code !== 'KINGDEE_REJECTED') return [];
  const errors = err.details.errors;
  return Array.isArray(errors) ? (errors as KingdeeFieldError[]) : [];
}

/** Field errors of one BatchSave item or a KINGDEE_REJECTED error: does one say the FBillNo already exists? */
export function isDuplicateBillNoErrors(errors: readonly KingdeeFieldError[]): boolean {
  return errors.some((e) => (e.fieldName ?? '').toLowerCase() === 'fbillno' || e.message.includes(UNIQUENESS_TEXT));
}

/**
 * True when `err` is a Kingdee rejection because the bill number is already used (FieldName FBillNo, or the
 * 违反字段唯一性要求 message). The worker then looks the bill up instead of failing. Pure.
 */
export function isDuplicateBillNo(err: unknown): boolean {
  return isDuplicateBillNoErrors(rejectedErrors(err));
}

/** True when `err` is an Audit rejection because the bill is already audited (…单据已经审核！). Pure. */
export function isAlreadyAudited(err: unknown): boolean {
  return rejectedErrors(err).some((e) => e.message.includes(ALREADY_AUDITED_TEXT));
}
