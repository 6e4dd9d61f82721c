import type { KingdeeBatchItemResult, KingdeeFieldError } from './types';
import type { NormalizedStatus } from './envelope';

/**
 * One result per BatchSave package, matched by DIndex (kingdee-api.md §4.2; BatchSave is not atomic).
 * Errors without a DIndex apply to every package that did not succeed; a package with neither a success nor an
 * error (the server dropped it) gets a synthetic error. Pure.
 */
export function mapBatchResults(count: number, status: NormalizedStatus): KingdeeBatchItemResult[] {
  const results: KingdeeBatchItemResult[] = [];
  for (let i = 0; i < count; i += 1) {
    const success = status.successes.find((s) => s.dIndex === i) ?? (count === 1 && status.isSuccess ? status.successes[0] : undefined);
    if (success && success.id !== undefined) {
      results.push({ ok: true, dIndex: i, id: success.id, number: success.number });
      continue;
    }
    const errors: KingdeeFieldError[] = status.errors
      .filter((e) => e.dIndex === i || e.dIndex === undefined)
      .map((e) => ({ fieldName: e.fieldName, message: e.message, dIndex: i }));
    if (errors.length === 0) {
      errors.push({
        fieldName: null,
        message: success
          ? `Kingdee reported package ${i} as saved but sent no Id`
          : `Kingdee returned neither a success nor an error for package ${i}: not saved`,
        dIndex: i,
      });
    }
    results.push({ ok: false, dIndex: i, errors, msgCode: status.msgCode });
  }
  return results;
}
