/**
 * Starts both simulators with demo data: JST on JST_SIM_PORT (8701), Kingdee on KINGDEE_SIM_PORT (8702),
 * listening on SIM_HOST (127.0.0.1). SIM_SEED_DOCS documents at start (300), live traffic every
 * SIM_LIVE_EVERY_MS (3000; 0 = off), Kingdee latency SIM_KINGDEE_LATENCY_MS per call (0) and
 * SIM_KINGDEE_LATENCY_PER_LINE_MS per document line (0), SIM_KINGDEE_USERS integration users (2), JST quotas
 * SIM_JST_PER_SECOND (5) and SIM_JST_PER_MINUTE (100) per token and path (0 = unlimited). SIM_QIMEN_SHOPS
 * (`<shop id>=qimen|both`, comma separated; default none) serves those shops' outbound and 售后单 through the
 * Qimen router /router/qm (qimen: only there).
 */
import { createLogger } from '@sync/logger';
import { kingdeeUsers, startDemoSimulators } from './demo-simulators';
import { SHOP_CHANNELS, type ShopChannel } from './jst';

function num(name: string, def: number): number {
  const raw = process.env[name];
  if (raw === undefined || raw === '') return def;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0) {
    console.error(`${name} must be a non-negative number, got "${raw}"`);
    process.exit(2);
  }
  return n;
}

/** SIM_QIMEN_SHOPS: `16882300=qimen,16882302=both`. Exits 2 naming a bad entry. */
function qimenShops(): Record<string, ShopChannel> {
  const out: Record<string, ShopChannel> = {};
  for (const entry of (process.env.SIM_QIMEN_SHOPS ?? '').split(',').map((e) => e.trim()).filter(Boolean)) {
    const [shop, channel] = entry.split('=').map((x) => x.trim());
    if (!shop || !/^\d+$/.test(shop) || !(SHOP_CHANNELS as readonly string[]).includes(channel ?? '')) {
      console.error(`SIM_QIMEN_SHOPS: "${entry}" is not <shop id>=${SHOP_CHANNELS.join('|')}`);
      process.exit(2);
    }
    out[shop] = channel as ShopChannel;
  }
  return out;
}

async function main(): Promise<void> {
  const logger = createLogger({ name: 'simulator', level: process.env.LOG_LEVEL ?? 'info' });
  const sims = await startDemoSimulators({
    host: process.env.SIM_HOST ?? '127.0.0.1',
    jstPort: num('JST_SIM_PORT', 8701),
    kingdeePort: num('KINGDEE_SIM_PORT', 8702),
    seedDocs: num('SIM_SEED_DOCS', 300),
    liveEveryMs: num('SIM_LIVE_EVERY_MS', 3000),
    kingdeeLatency: { perCallMs: num('SIM_KINGDEE_LATENCY_MS', 0), perLineMs: num('SIM_KINGDEE_LATENCY_PER_LINE_MS', 0) },
    kingdeeUsers: kingdeeUsers(Math.max(1, num('SIM_KINGDEE_USERS', 2))),
    jstRateLimit: { perSecond: num('SIM_JST_PER_SECOND', 5), perMinute: num('SIM_JST_PER_MINUTE', 100) },
    qimenShopChannels: qimenShops(),
    logger,
  });
  logger.info({ jst: sims.jst.url, kingdee: sims.kingdee.url }, 'simulators ready');
  let stopping = false;
  const stop = () => {
    if (stopping) process.exit(1);
    stopping = true;
    void sims.close().then(() => process.exit(0));
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main().catch((e: Error) => {
  console.error(e.message);
  process.exit(1);
});
