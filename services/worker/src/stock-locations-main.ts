#!/usr/bin/env node
import { formatStockLocationReport, loadEnv, mappedStocks, stockLocationReport } from '@sync/config';
import { createKingdeeClient, kingdeeOptionsFromEnv, readStockLocations } from '@sync/kingdee';
import { createLogger } from '@sync/logger';
import { loadSyncConfig } from '@sync/flows';

/**
 * `node services/worker/dist/stock-locations-main.js [STOCK ...]`: reads from Kingdee (BD_STOCK) which of the
 * mapped stocks (and any stock numbers given) keep stock by location, prints them against the config with a
 * `mappings.stocks` block to paste, and exits 0 when nothing needs fixing, 2 when something does, 1 on error.
 * Same environment as the worker (KINGDEE_*, SYNC_CONFIG). Reads only.
 */
async function main(): Promise<number> {
  const env = loadEnv();
  const config = loadSyncConfig(env.SYNC_CONFIG);
  const logger = createLogger({ name: 'stock-locations', level: env.LOG_LEVEL === 'info' ? 'warn' : env.LOG_LEVEL });
  const kingdee = createKingdeeClient({ ...kingdeeOptionsFromEnv(env, 'the stock-locations command'), logger: logger.child({ component: 'kingdee' }) });
  try {
    const extra = process.argv.slice(2).filter((a) => a.trim() !== '');
    const stocks = [...new Set([...mappedStocks(config.mappings), ...extra])];
    const read = await readStockLocations(kingdee, stocks);
    const withExtra = { ...config.mappings, stocks: { ...Object.fromEntries(extra.map((s) => [s, {}])), ...config.mappings.stocks } };
    const report = stockLocationReport(withExtra, read);
    process.stdout.write(`${formatStockLocationReport(report)}\n`);
    return report.problems.length ? 2 : 0;
  } finally {
    await kingdee.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : err);
    process.exit(1);
  },
);
