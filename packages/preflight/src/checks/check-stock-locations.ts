import { mappedStocks, mergeDiscoveredLocations, stockConfigKey, stockLocationReport, stockLocationRule } from '@sync/config';
import type { PreflightFacts } from '../facts';
import { locationExists } from '../gather-locations';
import type { Finding } from '../report';
import type { SyncConfig } from '@sync/flows';

/** Every location the config names for a stock: its default, each JST warehouse's default, each bin mapping. */
export function configuredLocations(config: SyncConfig, stock: string): Array<{ code: string; path: string; what: string }> {
  const out: Array<{ code: string; path: string; what: string }> = [];
  const entry = Object.prototype.hasOwnProperty.call(config.mappings.stocks, stock) ? config.mappings.stocks[stock] : undefined;
  if (entry?.defaultLocation !== undefined) out.push({ code: entry.defaultLocation, path: stockConfigKey(stock, 'defaultLocation'), what: 'default location' });
  for (const [key, w] of Object.entries(config.mappings.warehouses)) {
    if (w.stock !== stock) continue;
    if (w.defaultLocation !== undefined) out.push({ code: w.defaultLocation, path: `mappings.warehouses."${key}".defaultLocation`, what: 'default location' });
    for (const [bin, code] of Object.entries(w.bins ?? {})) out.push({ code, path: `mappings.warehouses."${key}".bins."${bin}"`, what: `location of JST bin ${bin}` });
  }
  return out;
}

/**
 * Location-managed stocks (启用仓位) have a default location for lines without a JST bin, the config's dimensions
 * agree with Kingdee's, and every location the config names (defaults, bin mappings) exists in its stock. Stocks
 * Kingdee lacks are checkBaseData's business. Pure.
 */
export function checkStockLocations(config: SyncConfig, facts: PreflightFacts): Finding[] {
  const locations = facts.kingdee?.locations;
  if (!locations) return [];
  if (!locations.ok) {
    return [{
      severity: 'warning', check: 'kingdee.location', path: 'mappings.stocks',
      message: `could not read the stock locations (仓位) from Kingdee: ${locations.error}`,
      action: 'check that the integration user may read BD_STOCK, then run the doctor again',
    }];
  }
  const out: Finding[] = [];
  const report = stockLocationReport(config.mappings, { dimensions: locations.dimensions, missing: locations.missing });
  const merged = mergeDiscoveredLocations(config.mappings, locations.dimensions).mappings;
  for (const row of report.rows) {
    if (row.status === 'differs') {
      out.push({
        severity: 'error', check: 'kingdee.location', path: stockConfigKey(row.stock, 'locationFlex'),
        message: `stock ${row.stock}: Kingdee lists location dimensions [${(row.kingdee ?? []).join(', ')}], the config says [${(row.config ?? []).join(', ')}]`,
        action: `set ${stockConfigKey(row.stock, 'locationFlex')} to [${(row.kingdee ?? []).join(', ')}] (or remove it: the worker then reads Kingdee's)`,
      });
    } else if (row.status === 'no-default') {
      const warehouses = Object.entries(config.mappings.warehouses).filter(([, w]) => w.stock === row.stock);
      const rule = warehouses.map(([, w]) => stockLocationRule(merged, row.stock, w)).find((r) => r?.flex?.length && r.defaultLocation === undefined);
      const path = rule?.defaultKey ?? stockConfigKey(row.stock, 'defaultLocation');
      const known = locations.values[row.stock];
      const example = known?.values.every((v) => v.length) ? ` (e.g. "${known.values.map((v) => v[0]).join('.')}")` : '';
      out.push({
        severity: 'error', check: 'kingdee.location', path,
        message: `stock ${row.stock} keeps stock by location (${(rule?.flex ?? row.kingdee ?? []).join(', ')}) and has no default location: every line without a JST bin fails`,
        action: `add ${path} with a location of stock ${row.stock}${example}`,
      });
    }
  }
  for (const stock of mappedStocks(config.mappings)) {
    const values = locations.values[stock];
    if (!values || !values.dimensions.length) continue;
    for (const loc of configuredLocations(config, stock)) {
      const verdict = locationExists(loc.code, values);
      if (verdict === 'yes') continue;
      const listed = values.dimensions.map((d, i) => `${d}: ${values.values[i]?.join(', ') || '(none listed)'}`).join('; ');
      if (verdict === 'unknown') {
        out.push({
          severity: 'warning', check: 'kingdee.location', path: loc.path,
          message: `stock ${stock}: Kingdee lists no location values to check ${loc.what} "${loc.code}" against (${listed})`,
          action: `check in Kingdee that location "${loc.code}" exists in stock ${stock}`,
        });
        continue;
      }
      out.push({
        severity: 'error', check: 'kingdee.location', path: loc.path,
        message: verdict === 'no'
          ? `${loc.what} "${loc.code}" does not exist in stock ${stock} (Kingdee's locations: ${listed})`
          : `${loc.what} "${loc.code}" does not fit stock ${stock}'s ${values.dimensions.length} location dimensions (${values.dimensions.join(', ')})`,
        action: `set ${loc.path} to a location of stock ${stock}, or create location "${loc.code}" in Kingdee (仓位值)`,
      });
    }
  }
  return out;
}
