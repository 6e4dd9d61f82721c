import { z } from 'zod';
import { lenientNumber } from './lenient';

/**
 * One Kingdee material (物料 BD_MATERIAL) as read by ExecuteBillQuery (reference kingdee-api.md §4.6, §6.10):
 * the query's row zipped with MATERIAL_FIELD_KEYS. Lenient on what Kingdee types loosely (numbers as numbers or
 * numeric strings, checkboxes as booleans or "1"/"0"/"true"/"false", empty references as null), strict on what
 * the flow relies on: FNumber, FModifyDate, FDocumentStatus and FForbidStatus.
 */

/** Field keys of the BD_MATERIAL query, in row order. Base-data references use `.FNumber` / `.FName`. */
export const MATERIAL_FIELD_KEYS = [
  'FMATERIALID',
  'FNumber',
  'FName',
  'FSpecification',
  'FModifyDate',
  'FDocumentStatus',
  'FForbidStatus',
  'FBaseUnitId.FNumber',
  'FBaseUnitId.FName',
  'FIsBatchManage',
  'FIsKFPeriod',
  'FExpPeriod',
  'FExpUnit',
  'FBARCODE',
  'FUseOrgId.FNumber',
  'FErpClsID',
] as const;

/** Pure: an ExecuteBillQuery row → `{ FNumber: ..., 'FBaseUnitId.FNumber': ... }` (missing cells become undefined). */
export function materialRowToRecord(row: readonly unknown[]): Record<string, unknown> {
  return Object.fromEntries(MATERIAL_FIELD_KEYS.map((key, i) => [key, row[i]]));
}

const text = z.union([z.string(), z.number()]).nullish().transform((v) => (v === null || v === undefined ? '' : String(v).trim()));
const required = (what: string) =>
  z.union([z.string(), z.number()], { error: () => `${what} is required` }).transform((v) => String(v).trim()).pipe(z.string().min(1, `${what} is empty`));
const flag = z
  .union([z.boolean(), z.number(), z.string()])
  .nullish()
  .transform((v) => v === true || v === 1 || v === '1' || (typeof v === 'string' && v.toLowerCase() === 'true'));

/** The material record the flow works on. */
export const materialSchema = z.object({
  FMATERIALID: lenientNumber.nullish().transform((v) => v ?? undefined),
  FNumber: required('FNumber'),
  FName: text,
  FSpecification: text,
  /** Kept exactly as Kingdee returned it: it is the version and the cursor value sent back in FilterString. */
  FModifyDate: required('FModifyDate').pipe(z.string().regex(/^\d{4}-\d{2}-\d{2}[ T]\d{2}:\d{2}/, 'expected a Kingdee date-time like 2024-06-02T10:11:12.123')),
  FDocumentStatus: required('FDocumentStatus'),
  FForbidStatus: required('FForbidStatus'),
  'FBaseUnitId.FNumber': text,
  'FBaseUnitId.FName': text,
  FIsBatchManage: flag,
  FIsKFPeriod: flag,
  FExpPeriod: lenientNumber.nullish().transform((v) => v ?? 0),
  /** D days, M months, Y years. */
  FExpUnit: text,
  FBARCODE: text,
  'FUseOrgId.FNumber': text,
  /** 物料属性: 1 外购, 2 自制, 3 委外, 5 虚拟 ... */
  FErpClsID: text,
});
export type MaterialRecord = z.infer<typeof materialSchema>;
