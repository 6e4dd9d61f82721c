import { PermanentError } from '@sync/errors';
import { z } from 'zod';
import { kingdeeStatusSchema, type FoundBill } from './bill-status';
import type { KingdeeApi } from './types';

/** Quotes a value for a KSQL string literal (doubles single quotes). */
export function ksqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

const rowSchema = z.tuple([z.coerce.number().int().positive(), z.coerce.string(), kingdeeStatusSchema]).rest(z.unknown());

/** What to look for: bill numbers, and optionally values of one key field (`queryField`). */
export interface BillSearch {
  numbers: readonly string[];
  key?: { queryField: string; values: readonly string[] };
}

/** The ExecuteBillQuery of `findBills` (exported for tests and for fakes that answer it). Pure. */
export function billSearchQuery(formId: string, search: BillSearch) {
  const numbers = [...new Set(search.numbers)];
  const keyValues = search.key ? [...new Set(search.key.values)] : [];
  const parts: string[] = [];
  if (numbers.length) parts.push(`FBillNo in (${numbers.map(ksqlString).join(',')})`);
  if (search.key && keyValues.length) parts.push(`${search.key.queryField} in (${keyValues.map(ksqlString).join(',')})`);
  return {
    FormId: formId,
    FieldKeys: ['FID', 'FBillNo', 'FDocumentStatus', ...(search.key ? [search.key.queryField] : [])].join(','),
    FilterString: parts.join(' or '),
  };
}

/**
 * Every bill of `formId` whose FBillNo is one of `numbers` or whose key field holds one of the key values, with ONE
 * ExecuteBillQuery; each bill once (header fields repeat per entry row). Nothing to look for → no call, [].
 * Throws PermanentError INVALID_RESPONSE on an unreadable row, and whatever the client throws.
 */
export async function findBills(kingdee: Pick<KingdeeApi, 'executeBillQuery'>, formId: string, search: BillSearch): Promise<FoundBill[]> {
  const query = billSearchQuery(formId, search);
  if (!query.FilterString) return [];
  const rows = await kingdee.executeBillQuery(query);
  const bills = new Map<number, FoundBill>();
  for (const row of rows) {
    const parsed = rowSchema.safeParse(row);
    if (!parsed.success) {
      throw new PermanentError('INVALID_RESPONSE', `Kingdee ${formId} bill query returned an unreadable row: ${JSON.stringify(row).slice(0, 200)}`, { formId });
    }
    const [id, number, status, key] = parsed.data;
    if (bills.has(id)) continue;
    bills.set(id, search.key && key !== undefined && key !== null ? { id, number, status, key: String(key) } : { id, number, status });
  }
  return [...bills.values()];
}
