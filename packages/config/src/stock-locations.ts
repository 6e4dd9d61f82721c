import type { Mappings, StockMapping, WarehouseMapping } from './mappings';

/**
 * Stock locations (仓位) of the configured Kingdee stocks: which stocks keep stock by location, the flex
 * dimensions of their locations and the location a line gets when JST names no bin. Pure functions over the
 * mappings, shared by the transforms (packages/flows), the worker's start-up discovery and the preflight doctor.
 */

/** How one Kingdee stock takes locations, as the config (and discovery) say. */
export interface StockLocationRule {
  stock: string;
  /** Location dimensions in order (e.g. FF100001, FF100002); undefined = location-managed but not known yet. */
  flex?: readonly string[];
  /** Config key the dimensions come from (`mappings.stocks."CK001".locationFlex`, or a warehouse's binFlexKey). */
  flexFrom?: string;
  /** The location for lines without a bin: the JST warehouse's own default first, then the stock's. */
  defaultLocation?: string;
  /** The config key an operator adds the default under: `mappings.stocks."CK001".defaultLocation`. */
  defaultKey: string;
}

const own = <T>(table: Record<string, T>, key: string): T | undefined =>
  Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined;

/** The dimension of an older `binFlexKey` (`FSTOCKLOCID__FF100001` → `FF100001`). */
export function binFlexDimension(binFlexKey: string): string {
  const sep = binFlexKey.indexOf('__');
  return (sep >= 0 ? binFlexKey.slice(sep + 2) : binFlexKey).toUpperCase();
}

/**
 * The location dimensions the config itself gives a stock: its `locationFlex`, else the dimension of an older
 * `binFlexKey` on a JST warehouse of that stock; undefined = left to Kingdee (start-up discovery).
 */
export function configuredLocationFlex(mappings: Pick<Mappings, 'stocks' | 'warehouses'>, stock: string): readonly string[] | undefined {
  const declared = own(mappings.stocks, stock)?.locationFlex;
  if (declared) return declared;
  const viaBinKey = Object.values(mappings.warehouses).find((w) => w.stock === stock && w.binFlexKey);
  return viaBinKey?.binFlexKey ? [binFlexDimension(viaBinKey.binFlexKey)] : undefined;
}

/** `mappings.stocks."CK001".<field>`: the config path of a stock's location setting. */
export function stockConfigKey(stock: string, field: keyof StockMapping): string {
  return `mappings.stocks."${stock}".${field}`;
}

/**
 * The location rule of a Kingdee stock, or undefined when the stock is not location-managed. Dimensions come from
 * `mappings.stocks."<stock>".locationFlex` (an empty list = not location-managed), else from the JST warehouse's
 * older `binFlexKey`; a stock with a default location but no known dimensions is location-managed with
 * `flex` undefined (the worker reads them from Kingdee at start). `warehouse` is the JST warehouse mapping the
 * document came through, whose defaultLocation wins over the stock's.
 */
export function stockLocationRule(mappings: Mappings, stock: string, warehouse?: WarehouseMapping): StockLocationRule | undefined {
  const entry = own(mappings.stocks, stock);
  const defaultKey = stockConfigKey(stock, 'defaultLocation');
  const defaultLocation = warehouse?.defaultLocation ?? entry?.defaultLocation;
  if (entry?.locationFlex !== undefined) {
    if (!entry.locationFlex.length) return undefined;
    return { stock, flex: entry.locationFlex, flexFrom: stockConfigKey(stock, 'locationFlex'), defaultLocation, defaultKey };
  }
  if (warehouse?.binFlexKey) {
    return { stock, flex: [binFlexDimension(warehouse.binFlexKey)], flexFrom: 'binFlexKey', defaultLocation, defaultKey };
  }
  if (defaultLocation !== undefined) return { stock, defaultLocation, defaultKey };
  return undefined;
}

/**
 * A location code split across `dimensions` dimensions: one dimension takes the whole code, several take the
 * parts of a dotted code in order ("A.01" → ["A", "01"]). Undefined when the parts do not match the dimensions.
 */
export function splitLocation(code: string, dimensions: number): string[] | undefined {
  if (dimensions === 1) return [code];
  const parts = code.split('.');
  return parts.length === dimensions && parts.every((p) => p !== '') ? parts : undefined;
}

/** Every Kingdee stock the config names (warehouse mappings and the stocks table), sorted. */
export function mappedStocks(mappings: Mappings): string[] {
  const all = new Set([...Object.values(mappings.warehouses).map((w) => w.stock), ...Object.keys(mappings.stocks)]);
  return [...all].sort();
}

/** What start-up discovery did for one stock, for the log. */
export interface LocationDiscoveryNote {
  stock: string;
  /** The dimensions Kingdee lists (BD_STOCK FFlexNumber). */
  discovered: readonly string[];
  /** `kingdee`: taken from Kingdee; `config`: the config already says (its value kept). */
  used: 'kingdee' | 'config';
  /** The config's dimensions when they differ from Kingdee's (kept: explicit config wins). */
  configured?: readonly string[];
}

/**
 * Fills the location dimensions the config leaves out with the ones read from Kingdee (`discovered`: stock →
 * FFlexNumber list; [] = not location-managed). Explicit config wins: a stock with `locationFlex`, or reached
 * through a warehouse with `binFlexKey`, keeps its dimensions (a difference is reported in the notes). Pure.
 */
export function mergeDiscoveredLocations(
  mappings: Mappings,
  discovered: Readonly<Record<string, readonly string[]>>,
): { mappings: Mappings; notes: LocationDiscoveryNote[] } {
  const stocks: Record<string, StockMapping> = { ...mappings.stocks };
  const notes: LocationDiscoveryNote[] = [];
  for (const [stock, dims] of Object.entries(discovered)) {
    const entry = own(stocks, stock);
    const configured = configuredLocationFlex(mappings, stock);
    if (configured) {
      const same = configured.length === dims.length && configured.every((d, i) => d === dims[i]);
      notes.push(same ? { stock, discovered: dims, used: 'config' } : { stock, discovered: dims, used: 'config', configured });
      continue;
    }
    stocks[stock] = { ...entry, locationFlex: [...dims] };
    notes.push({ stock, discovered: dims, used: 'kingdee' });
  }
  return { mappings: { ...mappings, stocks }, notes };
}

/** One problem of the location settings: where (path under `mappings`) and what. */
export interface LocationConfigIssue {
  path: Array<string | number>;
  message: string;
}

function splitIssue(code: string, flex: readonly string[]): string | undefined {
  if (splitLocation(code, flex.length)) return undefined;
  const example = flex.map((_, i) => (i === 0 ? 'A' : String(i).padStart(2, '0'))).join('.');
  return `"${code}" does not split into the stock's ${flex.length} location dimensions (${flex.join(', ')}): write it as "${example}"`;
}

/**
 * The inconsistencies of the location settings: duplicate dimensions, a default location that does not split
 * across its stock's dimensions, a default on a stock declared without locations, a warehouse `binFlexKey` that
 * disagrees with the stock's `locationFlex`. Used by the config schema, so a bad file stops at start-up.
 */
export function locationConfigIssues(mappings: Pick<Mappings, 'stocks' | 'warehouses'>): LocationConfigIssue[] {
  const issues: LocationConfigIssue[] = [];
  for (const [stock, entry] of Object.entries(mappings.stocks)) {
    const flex = entry.locationFlex;
    if (flex && new Set(flex).size !== flex.length) {
      issues.push({ path: ['stocks', stock, 'locationFlex'], message: `lists a dimension twice (${flex.join(', ')})` });
    }
    if (flex && entry.defaultLocation !== undefined) {
      const problem = flex.length ? splitIssue(entry.defaultLocation, flex) : 'the stock is declared without locations (locationFlex: [])';
      if (problem) issues.push({ path: ['stocks', stock, 'defaultLocation'], message: problem });
    }
  }
  for (const [key, wh] of Object.entries(mappings.warehouses)) {
    const declared = own(mappings.stocks, wh.stock)?.locationFlex;
    if (wh.binFlexKey && declared) {
      const dim = binFlexDimension(wh.binFlexKey);
      if (declared.length !== 1 || declared[0] !== dim) {
        issues.push({
          path: ['warehouses', key, 'binFlexKey'],
          message: `says dimension ${dim} but mappings.stocks."${wh.stock}".locationFlex says [${declared.join(', ')}]: remove binFlexKey (the stocks table replaces it)`,
        });
      }
    }
    const flex = declared ?? (wh.binFlexKey ? [binFlexDimension(wh.binFlexKey)] : undefined);
    if (flex && wh.defaultLocation !== undefined) {
      const problem = flex.length ? splitIssue(wh.defaultLocation, flex) : `stock ${wh.stock} is declared without locations (locationFlex: [])`;
      if (problem) issues.push({ path: ['warehouses', key, 'defaultLocation'], message: problem });
    }
  }
  return issues;
}
