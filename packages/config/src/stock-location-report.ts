import type { Mappings } from './mappings';
import { configuredLocationFlex, mappedStocks, mergeDiscoveredLocations, stockLocationRule } from './stock-locations';

/** What Kingdee says about some stocks' locations (the shape @sync/kingdee readStockLocations answers). */
export interface StockLocationsFound {
  /** Stock number → location dimensions ([] = keeps no locations). */
  dimensions: Readonly<Record<string, readonly string[]>>;
  /** Stocks Kingdee does not list. */
  missing: readonly string[];
}

/** One mapped stock in the location report. */
export interface StockLocationRow {
  stock: string;
  /** Dimensions Kingdee lists; undefined when Kingdee does not have the stock. */
  kingdee?: readonly string[];
  /** Dimensions the config gives (locationFlex or a warehouse's binFlexKey); undefined = left to Kingdee. */
  config?: readonly string[];
  /** The stock's default location (mappings.stocks), if any. */
  defaultLocation?: string;
  /** ok, no-locations, or what to fix. */
  status: 'ok' | 'no-locations' | 'no-default' | 'differs' | 'not-in-kingdee';
}

/**
 * Pure: compares what Kingdee says about the mapped stocks' locations (`read`) with the config (`mappings`, as
 * written, before any merge) and says per stock what, if anything, to fix; `problems` are ready-made messages
 * naming the config key. Used by the stock-locations command and the preflight checks.
 */
export function stockLocationReport(mappings: Mappings, read: StockLocationsFound): { rows: StockLocationRow[]; problems: string[] } {
  const merged = mergeDiscoveredLocations(mappings, read.dimensions);
  const rows: StockLocationRow[] = [];
  const problems: string[] = [];
  for (const stock of mappedStocks(mappings)) {
    const note = merged.notes.find((n) => n.stock === stock);
    const warehouses = Object.values(mappings.warehouses).filter((w) => w.stock === stock);
    const viaBinKey = warehouses.find((w) => w.binFlexKey);
    const configured = configuredLocationFlex(mappings, stock);
    // Every JST warehouse of the stock needs a default (its own or the stock's); a stock only in the table, its own.
    const rules = (warehouses.length ? warehouses : [undefined]).map((w) => stockLocationRule(merged.mappings, stock, w ?? viaBinKey));
    const rule = rules.find((r) => r?.flex?.length && r.defaultLocation === undefined) ?? rules[0];
    const base = { stock, kingdee: read.dimensions[stock], config: configured, defaultLocation: mappings.stocks[stock]?.defaultLocation };
    if (read.missing.includes(stock)) {
      rows.push({ ...base, status: 'not-in-kingdee' });
      problems.push(`stock ${stock}: Kingdee does not list it (BD_STOCK); check the stock number in mappings`);
    } else if (note?.configured) {
      rows.push({ ...base, status: 'differs' });
      problems.push(`stock ${stock}: Kingdee lists location dimensions [${note.discovered.join(', ')}], mappings.stocks."${stock}".locationFlex says [${note.configured.join(', ')}]`);
    } else if (!rule?.flex?.length) {
      rows.push({ ...base, status: 'no-locations' });
    } else if (rule.defaultLocation === undefined) {
      rows.push({ ...base, status: 'no-default' });
      problems.push(`stock ${stock} keeps stock by location (${rule.flex.join(', ')}) and has no default location: add ${rule.defaultKey} (lines without a JST bin fail until then)`);
    } else rows.push({ ...base, status: 'ok' });
  }
  return { rows, problems };
}

/** The report as text: a table and a `mappings.stocks` block with Kingdee's dimensions to paste into the config. */
export function formatStockLocationReport(report: { rows: StockLocationRow[]; problems: string[] }): string {
  const cell = (dims: readonly string[] | undefined, none: string) => (dims === undefined ? none : dims.length ? dims.join(', ') : '(none)');
  const table = [['stock', 'Kingdee dimensions', 'config dimensions', 'default', 'status'],
    ...report.rows.map((r) => [r.stock, cell(r.kingdee, '(not in Kingdee)'), cell(r.config, '(from Kingdee)'), r.defaultLocation ?? '—', r.status])];
  const widths = table[0]!.map((_, i) => Math.max(...table.map((row) => row[i]!.length)));
  const lines = table.map((row) => row.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd());
  const located = report.rows.filter((r) => r.kingdee?.length);
  if (located.length) {
    lines.push('', '# mappings.stocks as Kingdee has them (choose each default location; a dotted code spans the dimensions):', 'stocks:');
    for (const r of located) {
      const example = r.kingdee!.length === 1 ? 'A-01' : r.kingdee!.map((_, i) => (i === 0 ? 'A' : '01')).join('.');
      lines.push(`  ${JSON.stringify(r.stock)}: { locationFlex: [${r.kingdee!.join(', ')}], defaultLocation: ${JSON.stringify(r.defaultLocation ?? example)} }${r.defaultLocation ? '' : '   # example: choose one'}`);
    }
  }
  if (report.problems.length) lines.push('', ...report.problems.map((p) => `problem: ${p}`));
  return lines.join('\n');
}
