import { baseDataRefs } from '../base-data-refs';
import type { PreflightFacts } from '../facts';
import type { Finding } from '../report';
import { rowsOf } from './kingdee-lookup';
import type { SyncConfig } from '@sync/flows';

const flags = [
  { key: 'batchManaged', field: 'FIsBatchManage', what: 'batch managed (批号管理)', read: (r: { batchManaged?: boolean }) => r.batchManaged },
  { key: 'shelfLifeManaged', field: 'FIsKFPeriod', what: 'shelf-life managed (保质期管理)', read: (r: { shelfLifeManaged?: boolean }) => r.shelfLifeManaged },
] as const;

/**
 * The SKU mapping's `batchManaged` / `shelfLifeManaged` agree with the material's FIsBatchManage / FIsKFPeriod:
 * a flag set against Kingdee is an error (the lot or dates are left off, or sent where Kingdee has no use for
 * them); a flag left unset on a material Kingdee manages so is a warning (the lot or dates are sent only when JST
 * has them). Pure.
 */
export function checkMaterialFlags(config: SyncConfig, facts: PreflightFacts): Finding[] {
  const kingdee = facts.kingdee;
  if (!kingdee) return [];
  const out: Finding[] = [];
  for (const ref of baseDataRefs(config)) {
    if (ref.kind !== 'material') continue;
    const rows = rowsOf(kingdee, 'material', ref.number);
    if (!rows?.length) continue;
    const skuPath = ref.path.replace(/\.material$/, '');
    for (const flag of flags) {
      const known = rows.map(flag.read).filter((v): v is boolean => v !== undefined);
      if (!known.length) continue;
      const inKingdee = known.some(Boolean);
      const mapped = ref[flag.key];
      if (mapped === inKingdee) continue;
      if (mapped === undefined && !inKingdee) continue;
      out.push({
        severity: mapped === undefined ? 'warning' : 'error',
        check: 'kingdee.material-flags',
        path: `${skuPath}.${flag.key}`,
        message: `material ${ref.number} is ${inKingdee ? '' : 'not '}${flag.what} in Kingdee (${flag.field} ${inKingdee}), the mapping says ${mapped === undefined ? 'nothing' : mapped}`,
        action: `set ${skuPath}.${flag.key}: ${inKingdee}${inKingdee ? '' : ` (or enable ${flag.field} on material ${ref.number} in Kingdee)`}`,
      });
    }
  }
  return out;
}
