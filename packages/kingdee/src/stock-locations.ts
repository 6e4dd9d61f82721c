import { z } from 'zod';
import { PermanentError } from '@sync/errors';
import type { KingdeeApi } from './types';

/** What Kingdee says about the locations (仓位) of some stocks. */
export interface StockLocationsRead {
  /** Stock number → its location dimensions in Kingdee's order (BD_STOCK FFlexNumber); [] = keeps no locations. */
  dimensions: Record<string, string[]>;
  /** Asked stocks Kingdee does not have (or the user may not see). */
  missing: string[];
}

const STOCKS_PER_QUERY = 50;
const cell = z.union([z.string(), z.number(), z.boolean(), z.null()]);
const rowsSchema = z.array(z.array(cell));

const quote = (s: string): string => `'${s.replace(/'/g, "''")}'`;

async function query(kingdee: Pick<KingdeeApi, 'executeBillQuery'>, fieldKeys: string, stocks: readonly string[]): Promise<Array<Array<z.infer<typeof cell>>>> {
  const answer = await kingdee.executeBillQuery({
    FormId: 'BD_STOCK', FieldKeys: fieldKeys, FilterString: `FNumber in (${stocks.map(quote).join(',')})`, TopRowCount: 0, StartRow: 0, Limit: 2000,
  });
  const parsed = rowsSchema.safeParse(answer);
  if (!parsed.success) {
    throw new PermanentError('KINGDEE_REJECTED', `BD_STOCK query (${fieldKeys}) answered rows of an unexpected shape: ${parsed.error.issues[0]?.message ?? ''}`, { formId: 'BD_STOCK' });
  }
  return parsed.data;
}

/**
 * Reads from Kingdee which of `stocks` keep stock by location and their location dimensions: ExecuteBillQuery of
 * BD_STOCK `FNumber` (which stocks exist) and `FNumber,FFlexNumber` (one row per dimension, in Kingdee's order;
 * reference kingdee-api.md §5). A stock with flex numbers is location-managed; none = it keeps no locations (the
 * reference names no other flag). Read-only, safe to repeat; 50 stocks per query.
 * @throws what the client throws (TransientError when Kingdee is unreachable, PermanentError on a refused query).
 */
export async function readStockLocations(kingdee: Pick<KingdeeApi, 'executeBillQuery'>, stocks: readonly string[]): Promise<StockLocationsRead> {
  const wanted = [...new Set(stocks)];
  const dimensions: Record<string, string[]> = {};
  const found = new Map<string, string>();
  for (let i = 0; i < wanted.length; i += STOCKS_PER_QUERY) {
    const chunk = wanted.slice(i, i + STOCKS_PER_QUERY);
    // Kingdee matches numbers case-insensitively: answer under the number as the caller wrote it.
    const asked = new Map(chunk.map((s) => [s.toLowerCase(), s]));
    for (const [number] of await query(kingdee, 'FNumber', chunk)) {
      const key = asked.get(String(number).toLowerCase());
      if (key !== undefined) found.set(key, key);
    }
    for (const [number, flex] of await query(kingdee, 'FNumber,FFlexNumber', chunk)) {
      const key = asked.get(String(number).toLowerCase());
      if (key === undefined || typeof flex !== 'string' || flex.trim() === '') continue;
      const dims = (dimensions[key] ??= []);
      const dim = flex.trim().toUpperCase();
      if (!dims.includes(dim)) dims.push(dim);
    }
  }
  for (const stock of found.keys()) dimensions[stock] ??= [];
  for (const stock of Object.keys(dimensions)) if (!found.has(stock)) found.set(stock, stock);
  return { dimensions, missing: wanted.filter((s) => !found.has(s)) };
}
