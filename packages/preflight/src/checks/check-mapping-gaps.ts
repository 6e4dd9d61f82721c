import type { GapKind, KingdeeRecord, MappingGap, PreflightFacts } from '../facts';
import type { Finding } from '../report';
import { skuMappingSnippet, suggestMaterial } from '../suggest';
import { usable } from './kingdee-lookup';
import type { SyncConfig } from '@sync/flows';

const what: Record<GapKind, { label: string; add: string }> = {
  sku: { label: 'SKU', add: 'with its material' },
  warehouse: { label: 'warehouse', add: 'with stock and stockOrg' },
  shop: { label: 'shop', add: 'with customer and saleOrg' },
  supplier: { label: 'supplier', add: 'with supplier' },
  department: { label: 'department key', add: 'with a Kingdee department number' },
  unit: { label: 'JST unit', add: 'with its Kingdee unit number (or set mappings.defaults.unmappedUnitsUseDefault: true)' },
};

interface Gathered extends MappingGap {
  flows: string[];
}

/** The gaps of every scanned flow merged by config path (documents added up, flows listed). */
function mergeGaps(facts: PreflightFacts): Gathered[] {
  const merged = new Map<string, Gathered>();
  for (const scan of facts.gaps?.flows ?? []) {
    for (const g of scan.gaps) {
      const m = merged.get(g.path);
      if (!m) {
        merged.set(g.path, { ...g, sampleDocIds: [...g.sampleDocIds], flows: [scan.flow] });
        continue;
      }
      m.docs += g.docs;
      if (!m.flows.includes(scan.flow)) m.flows.push(scan.flow);
      m.sampleDocIds = [...m.sampleDocIds, ...g.sampleDocIds].slice(0, 5);
      m.name ??= g.name;
      m.barcode ??= g.barcode;
    }
  }
  return [...merged.values()];
}

/**
 * Mapping gaps found in the last days of real JST documents: every warehouse, shop, supplier and department key and
 * JST unit name without a mapping, and every SKU without one (in `identity` mode: whose same-number material is not usable in
 * Kingdee), with how many documents each blocks; for SKUs, a suggested material from Kingdee as a YAML snippet.
 * A flow that could not be read gives a warning. Pure.
 */
export function checkMappingGaps(config: SyncConfig, facts: PreflightFacts): Finding[] {
  const gaps = facts.gaps;
  if (!gaps) return [];
  const out: Finding[] = [];
  for (const scan of gaps.flows) {
    if (scan.ok) continue;
    out.push({
      severity: 'warning', check: 'mapping.gap', path: `flows.${scan.flow}`,
      message: `could not read the last ${gaps.days} days of ${scan.flow} documents from JST: ${scan.error ?? 'unknown error'}`,
      action: 'check the JST findings above, then run the doctor again',
    });
  }
  const candidates = facts.kingdee?.candidates;
  const pool: KingdeeRecord[] = candidates?.ok ? candidates.rows : [];
  const days = `the last ${gaps.days} days`;
  for (const g of mergeGaps(facts)) {
    const w = what[g.kind];
    const blocked = `${g.docs} document${g.docs === 1 ? '' : 's'} of ${days} (${g.flows.join(', ')})`;
    const base = { check: 'mapping.gap' as const, path: g.path, blocks: g.docs, flows: g.flows, sampleDocIds: g.sampleDocIds };
    if (g.kind !== 'sku') {
      out.push({ ...base, severity: 'error', message: `${w.label} "${g.key}" has no mapping: it blocks ${blocked}`, action: `add ${g.path} ${w.add}` });
      continue;
    }
    const named = g.name ? ` (${g.name})` : '';
    if (config.mappings.skus.mode === 'identity') {
      const same = pool.filter((c) => c.number.toLowerCase() === g.key.toLowerCase());
      if (same.some(usable)) continue; // identity mapping to a usable material: fine
      if (same.length) {
        out.push({
          ...base, severity: 'error',
          message: `SKU "${g.key}"${named} maps by identity to material ${same[0].number}, which is not audited or is forbidden in Kingdee: it blocks ${blocked}`,
          action: `audit and enable material ${same[0].number} in Kingdee, or add ${g.path} with another material`,
        });
        continue;
      }
    }
    const unmapped = config.mappings.skus.mode === 'identity' ? `has no mapping and no material of the same number in Kingdee` : 'has no mapping';
    const suggestion = suggestMaterial(g, pool);
    if (!suggestion) {
      const why = candidates && !candidates.ok ? ` (no suggestion: ${candidates.error})` : facts.kingdee ? ' (no similar material in Kingdee)' : '';
      out.push({ ...base, severity: 'error', message: `SKU "${g.key}"${named} ${unmapped}: it blocks ${blocked}${why}`, action: `create the material in Kingdee, then add ${g.path} ${w.add}` });
      continue;
    }
    const m = suggestion.material;
    out.push({
      ...base, severity: 'error',
      message: `SKU "${g.key}"${named} ${unmapped}: it blocks ${blocked}; Kingdee has material ${m.number} (${m.name}) with the ${suggestion.reason}`,
      action: `if material ${m.number} is this SKU, add the suggested mapping to the config file, restart the workers and retry the UNMAPPED_BASE_DATA dead letters`,
      suggestion: skuMappingSnippet(g.key, m),
    });
  }
  return out;
}
