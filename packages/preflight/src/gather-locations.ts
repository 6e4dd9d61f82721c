import { mappedStocks, mergeDiscoveredLocations, stockLocationRule } from '@sync/config';
import { readStockLocations, type KingdeeApi } from '@sync/kingdee';
import type { LocationFacts } from './facts';
import { z } from 'zod';
import type { SyncConfig } from '@sync/flows';

/** The locations (仓位) Kingdee allows in one stock: its dimensions in order and the values each one takes. */
export interface StockLocationValues {
  /** FFlexNumber of each dimension, e.g. [FF100001, FF100002]; [] = the stock keeps no locations. */
  dimensions: string[];
  /** values[i]: the location values of dimension i (StockFlexDetail); [] = Kingdee lists none for it. */
  values: string[][];
}

const number = z.object({ Number: z.union([z.string(), z.number()]).transform(String) }).passthrough();
/** The part of a BD_STOCK View package the doctor reads: the 仓位 tab (StockFlexItem with its StockFlexDetail). */
const stockViewSchema = z
  .object({
    StockFlexItem: z
      .array(
        z
          .object({
            FlexId: z.object({ FlexNumber: z.union([z.string(), z.number()]).transform(String) }).passthrough().nullish(),
            StockFlexDetail: z.array(z.object({ FlexEntryId: number.nullish() }).passthrough()).nullish(),
          })
          .passthrough(),
      )
      .nullish(),
  })
  .passthrough();

/**
 * The location dimensions and values of each stock, read with one View of BD_STOCK per stock (its 仓位 tab:
 * StockFlexItem[].FlexId.FlexNumber and StockFlexItem[].StockFlexDetail[].FlexEntryId.Number; inferred from
 * integrations, not the reference). Only for the few location-managed stocks whose default location is checked.
 * A stock Kingdee does not have is undefined.
 * @throws what the client throws, and Error when a package does not have the expected shape.
 */
export async function readLocationValues(kd: Pick<KingdeeApi, 'view'>, stocks: readonly string[], signal?: AbortSignal): Promise<Record<string, StockLocationValues | undefined>> {
  const out: Record<string, StockLocationValues | undefined> = {};
  for (const stock of [...new Set(stocks)]) {
    signal?.throwIfAborted();
    const pkg = await kd.view('BD_STOCK', { number: stock });
    if (pkg === undefined) {
      out[stock] = undefined;
      continue;
    }
    const parsed = stockViewSchema.safeParse(pkg);
    if (!parsed.success) throw new Error(`BD_STOCK ${stock}: the View package has no readable 仓位 tab (${parsed.error.issues[0]?.message ?? ''})`);
    const items = (parsed.data.StockFlexItem ?? []).filter((i) => i.FlexId?.FlexNumber);
    out[stock] = {
      dimensions: items.map((i) => (i.FlexId?.FlexNumber ?? '').toUpperCase()),
      values: items.map((i) => (i.StockFlexDetail ?? []).map((d) => d.FlexEntryId?.Number).filter((v): v is string => !!v)),
    };
  }
  return out;
}

/**
 * Whether `code` is a location of the stock: one part per dimension (a dotted code split in order; one dimension
 * takes the whole code), each among its dimension's values (case-insensitive). `unknown` when Kingdee lists no
 * values for a dimension the code needs. Pure.
 */
export function locationExists(code: string, stock: StockLocationValues): 'yes' | 'no' | 'unknown' | 'wrong-shape' {
  const n = stock.dimensions.length;
  const parts = n === 1 ? [code] : code.split('.');
  if (n === 0 || parts.length !== n || parts.some((p) => p === '')) return 'wrong-shape';
  let unknown = false;
  for (let i = 0; i < n; i++) {
    const values = stock.values[i] ?? [];
    if (!values.length) {
      unknown = true;
      continue;
    }
    if (!values.some((v) => v.toLowerCase() === parts[i].toLowerCase())) return 'no';
  }
  return unknown ? 'unknown' : 'yes';
}

/**
 * The locations of the mapped stocks: every stock's dimensions in batched BD_STOCK queries, then the location values
 * (one View each) of the location-managed stocks for which the config names a location. A failure is a fact.
 */
export async function gatherLocations(kd: Pick<KingdeeApi, 'executeBillQuery' | 'view'>, config: SyncConfig, signal?: AbortSignal): Promise<LocationFacts> {
  const stocks = mappedStocks(config.mappings);
  if (!stocks.length) return { ok: true, dimensions: {}, missing: [], values: {} };
  try {
    signal?.throwIfAborted();
    const read = await readStockLocations(kd, stocks);
    const merged = mergeDiscoveredLocations(config.mappings, read.dimensions).mappings;
    const named = (stock: string): boolean =>
      merged.stocks[stock]?.defaultLocation !== undefined ||
      Object.values(merged.warehouses).some((w) => w.stock === stock && (w.defaultLocation !== undefined || Object.keys(w.bins ?? {}).length > 0));
    const located = stocks.filter((s) => (stockLocationRule(merged, s)?.flex?.length ?? 0) > 0 || (read.dimensions[s]?.length ?? 0) > 0);
    const values = await readLocationValues(kd, located.filter(named), signal);
    return { ok: true, dimensions: Object.fromEntries(Object.entries(read.dimensions).map(([k, v]) => [k, [...v]])), missing: [...read.missing], values };
  } catch (e) {
    if (signal?.aborted) throw e;
    return { ok: false, error: e instanceof Error ? e.message : String(e) };
  }
}
