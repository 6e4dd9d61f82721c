import { baseDataRefs } from '../base-data-refs';
import type { PreflightFacts } from '../facts';
import type { Finding } from '../report';
import { groupRefs, rowsOf, usable } from './kingdee-lookup';
import type { SyncConfig } from '@sync/flows';

/**
 * Each mapped stock is used by the organisation it is mapped with (a row of BD_STOCK whose FUseOrgId, else
 * FCreateOrgId, is `stockOrg`). Stocks that are missing, unaudited or forbidden are checkBaseData's business. Pure.
 */
export function checkStockOrganisations(config: SyncConfig, facts: PreflightFacts): Finding[] {
  const kingdee = facts.kingdee;
  if (!kingdee) return [];
  const out: Finding[] = [];
  const stocks = baseDataRefs(config).filter((r) => r.kind === 'stock' && r.org !== undefined);
  for (const group of groupRefs(stocks, (r) => `${r.number.toLowerCase()}\u0000${(r.org ?? '').toLowerCase()}`)) {
    const ref = group[0];
    const rows = rowsOf(kingdee, 'stock', ref.number)?.filter(usable);
    if (!rows?.length) continue;
    const orgs = rows.map((r) => r.useOrg ?? r.createOrg).filter((o): o is string => !!o);
    if (!orgs.length) continue; // the account does not say: nothing to compare
    const org = ref.org ?? '';
    if (orgs.some((o) => o.toLowerCase() === org.toLowerCase())) continue;
    const orgPath = ref.path.replace(/\.stock$/, '.stockOrg');
    const others = group.length > 1 ? ` (also ${group.slice(1).map((r) => r.path).join(', ')})` : '';
    out.push({
      severity: 'error', check: 'kingdee.stock-organisation', path: orgPath,
      message: `stock ${ref.number} is not used by organisation ${org} in Kingdee (its organisation: ${[...new Set(orgs)].join(', ')})${others}`,
      action: `set ${orgPath} to ${[...new Set(orgs)].join(' or ')}, or allocate (分配) stock ${ref.number} to organisation ${org} in Kingdee`,
    });
  }
  return out;
}
