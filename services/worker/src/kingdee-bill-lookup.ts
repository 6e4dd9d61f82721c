import { PermanentError } from '@sync/errors';
import type { KingdeeApi } from '@sync/kingdee';
import { z } from 'zod';

/** Kingdee document status: Z draft, A created, B submitted (in audit), C audited, D re-audit (unaudited). */
export const kingdeeStatusSchema = z.enum(['Z', 'A', 'B', 'C', 'D']);
export type KingdeeStatus = z.infer<typeof kingdeeStatusSchema>;

/** A bill found in Kingdee. */
export interface FoundBill {
  id: number;
  number: string;
  status: KingdeeStatus;
}

const rowSchema = z.tuple([z.coerce.number().int().positive(), z.coerce.string(), kingdeeStatusSchema]).rest(z.unknown());

/** Quotes a value for a KSQL string literal (doubles single quotes). */
export function ksqlString(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/**
 * Finds the bill of `formId` whose FBillNo is `billNo` (ExecuteBillQuery `FID,FBillNo,FDocumentStatus`).
 * Undefined when none. Throws PermanentError INVALID_RESPONSE on an unreadable row, KINGDEE_REJECTED when two
 * different bills carry the number (the idempotency key is then broken and an operator must look), and
 * whatever the client throws.
 */
export async function lookupBill(kingdee: KingdeeApi, formId: string, billNo: string): Promise<FoundBill | undefined> {
  const rows = await kingdee.executeBillQuery({
    FormId: formId,
    FieldKeys: 'FID,FBillNo,FDocumentStatus',
    FilterString: `FBillNo=${ksqlString(billNo)}`,
  });
  const bills = new Map<number, FoundBill>();
  for (const row of rows) {
    const parsed = rowSchema.safeParse(row);
    if (!parsed.success) {
      throw new PermanentError('INVALID_RESPONSE', `Kingdee ${formId} query for FBillNo ${billNo} returned an unreadable row: ${JSON.stringify(row).slice(0, 200)}`, { billNo, formId });
    }
    const [id, number, status] = parsed.data;
    bills.set(id, { id, number, status });
  }
  if (bills.size > 1) {
    throw new PermanentError('KINGDEE_REJECTED', `Kingdee holds ${bills.size} ${formId} bills numbered ${billNo} (FIDs ${[...bills.keys()].join(', ')}); resolve the duplicate by hand`, { billNo, formId, field: 'FBillNo' });
  }
  return bills.values().next().value;
}
