import type { KingdeeKind } from './facts';

/**
 * The Kingdee form read for each kind and the extra fields the checks need (besides FNumber, FName,
 * FDocumentStatus, FForbidStatus). Bill types are BOS_BillType with FBillFormID [inferred: not in the reference].
 */
export const kingdeeForms: Record<KingdeeKind, { formId: string; extra: readonly string[] }> = {
  organization: { formId: 'ORG_Organizations', extra: [] },
  stock: { formId: 'BD_STOCK', extra: ['FUseOrgId.FNumber', 'FCreateOrgId.FNumber'] },
  customer: { formId: 'BD_Customer', extra: [] },
  supplier: { formId: 'BD_Supplier', extra: [] },
  department: { formId: 'BD_Department', extra: [] },
  unit: { formId: 'BD_UNIT', extra: [] },
  currency: { formId: 'BD_Currency', extra: [] },
  billType: { formId: 'BOS_BillType', extra: ['FBillFormID'] },
  material: { formId: 'BD_MATERIAL', extra: ['FUseOrgId.FNumber', 'FCreateOrgId.FNumber', 'FIsBatchManage', 'FIsKFPeriod'] },
};

const COMMON_FIELDS = ['FNumber', 'FName', 'FDocumentStatus', 'FForbidStatus'] as const;

/** FieldKeys of a kind's query. */
export function fieldKeys(kind: KingdeeKind): string[] {
  return [...COMMON_FIELDS, ...kingdeeForms[kind].extra];
}

/** FieldKeys of the material suggestion queries: the material's fields and its barcode (FBarCode, 条码). */
export const candidateFieldKeys = (): string[] => [...fieldKeys('material'), 'FBarCode'];

/** A KSQL string literal ('' doubles a quote). */
export const ksqlText = (s: string): string => `'${s.replace(/'/g, "''")}'`;
