import type { KingdeeFacts, KingdeeKind, KingdeeRecord } from '../facts';
import type { BaseDataRef } from '../base-data-refs';

/** How an operator calls each kind (English and the Kingdee menu name). */
export const kindLabels: Record<KingdeeKind, string> = {
  organization: 'organisation 组织',
  stock: 'stock 仓库',
  customer: 'customer 客户',
  supplier: 'supplier 供应商',
  department: 'department 部门',
  unit: 'unit 计量单位',
  currency: 'currency 币别',
  billType: 'bill type 单据类型',
  material: 'material 物料',
};

/** Rows of `number` (case-insensitive, as Kingdee compares), or undefined when the kind could not be read. */
export function rowsOf(kingdee: KingdeeFacts, kind: KingdeeKind, number: string): KingdeeRecord[] | undefined {
  const lookup = kingdee.records[kind];
  if (!lookup || !lookup.ok) return undefined;
  const lower = number.toLowerCase();
  return lookup.rows.filter((r) => r.number.toLowerCase() === lower);
}

/** A row a document can use: audited (C) and not forbidden (A). */
export const usable = (r: KingdeeRecord): boolean => r.documentStatus === 'C' && r.forbidStatus === 'A';

/** The refs grouped by kind and number (case-insensitive), first path first, in config order. */
export function groupRefs(refs: readonly BaseDataRef[], keyOf: (r: BaseDataRef) => string = (r) => `${r.kind}\u0000${r.number.toLowerCase()}`): BaseDataRef[][] {
  const groups = new Map<string, BaseDataRef[]>();
  for (const r of refs) {
    const k = keyOf(r);
    const g = groups.get(k);
    if (g) g.push(r);
    else groups.set(k, [r]);
  }
  return [...groups.values()];
}

/** ` (also used at a, b and 3 more)` for the paths after the first, or ''. */
export function alsoAt(group: readonly BaseDataRef[]): string {
  const rest = group.slice(1).map((r) => r.path);
  if (!rest.length) return '';
  const shown = rest.slice(0, 3).join(', ');
  return ` (also used at ${shown}${rest.length > 3 ? ` and ${rest.length - 3} more` : ''})`;
}
