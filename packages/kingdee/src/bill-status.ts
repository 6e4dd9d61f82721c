import { z } from 'zod';

/** Kingdee document status (FDocumentStatus): Z draft, A created, B submitted (in audit), C audited, D re-audit (unaudited). */
export const kingdeeStatusSchema = z.enum(['Z', 'A', 'B', 'C', 'D']);
export type KingdeeStatus = z.infer<typeof kingdeeStatusSchema>;

/** A bill found in (or just written to) Kingdee. `key` is the value of the form's key field when it was queried. */
export interface FoundBill {
  id: number;
  number: string;
  status: KingdeeStatus;
  key?: string;
}
