import { mappedStocks, mergeDiscoveredLocations, stockLocationRule } from '@sync/config';
import { readStockLocations, type KingdeeApi, type StockLocationsRead } from '@sync/kingdee';
import type { Logger } from '@sync/logger';
import type { SyncConfig } from '@sync/flows';

/**
 * Start-up discovery of stock locations (仓位): reads from Kingdee (BD_STOCK FFlexNumber) the location dimensions of
 * every stock the config maps, and returns the config with the dimensions it leaves out filled in (explicit config
 * wins; mergeDiscoveredLocations). Logs what it read, config/Kingdee disagreements, stocks Kingdee does not have and
 * location-managed stocks without a default location. When Kingdee cannot be read, logs a warning and returns the
 * config as written (documents of a stock whose dimensions stay unknown then fail naming locationFlex); it waits at
 * most `waitMs` (default 20 s) so that a Kingdee that does not answer delays the worker's start by no more. Never throws.
 */
export async function withStockLocations(
  config: SyncConfig,
  kingdee: Pick<KingdeeApi, 'executeBillQuery'>,
  logger: Logger,
  waitMs = 20_000,
): Promise<SyncConfig> {
  const stocks = mappedStocks(config.mappings);
  if (!stocks.length) return config;
  let read: StockLocationsRead;
  let timer: NodeJS.Timeout | undefined;
  try {
    const reading = readStockLocations(kingdee, stocks);
    reading.catch(() => undefined); // a late failure after the wait is over is not ours to report
    const late = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`no answer within ${waitMs} ms`)), waitMs);
    });
    read = await Promise.race([reading, late]);
  } catch (err) {
    logger.warn({ err: err instanceof Error ? err.message : String(err), stocks },
      'could not read the stocks\' locations from Kingdee (BD_STOCK); using mappings.stocks as written');
    return config;
  } finally {
    clearTimeout(timer);
  }
  const { mappings, notes } = mergeDiscoveredLocations(config.mappings, read.dimensions);
  for (const note of notes) {
    if (note.configured) {
      logger.warn({ stock: note.stock, kingdee: note.discovered, config: note.configured },
        `stock ${note.stock}: Kingdee lists location dimensions [${note.discovered.join(', ')}] but the config says [${note.configured.join(', ')}]; the config is used`);
    } else if (note.used === 'kingdee' && note.discovered.length) {
      logger.info({ stock: note.stock, locationFlex: note.discovered }, `stock ${note.stock} keeps stock by location: dimensions read from Kingdee`);
    }
    const rule = stockLocationRule(mappings, note.stock);
    if (rule?.flex?.length && rule.defaultLocation === undefined) {
      logger.warn({ stock: note.stock, key: rule.defaultKey },
        `stock ${note.stock} keeps stock by location and has no default location: lines without a JST bin will fail until ${rule.defaultKey} is set`);
    }
  }
  if (read.missing.length) logger.warn({ stocks: read.missing }, 'the config maps stocks Kingdee does not list (BD_STOCK)');
  return { ...config, mappings };
}
