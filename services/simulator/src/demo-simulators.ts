import type { Logger } from '@sync/logger';
import { formatBeijing, startJstSimulator, type JstSimulator, type ShopChannel } from './jst';
import { startKingdeeSimulator, type KingdeeSimulator } from './kingdee';

export interface DemoSimulatorOptions {
  host?: string;
  jstPort?: number;
  kingdeePort?: number;
  /** Sales outbound documents generated at start. */
  seedDocs?: number;
  /** Generator seed. */
  seed?: number;
  /** Every this many ms, new documents arrive and some waiting ones ship; 0 = no live traffic. */
  liveEveryMs?: number;
  /** Kingdee processing time per call and per line (ms). */
  kingdeeLatency?: { perCallMs?: number; perLineMs?: number };
  /** JST quotas per token and path (defaults 5/s, 100/min as the real API). */
  jstRateLimit?: { perSecond?: number; perMinute?: number };
  /** Shops whose outbound and 售后单 JST serves through Qimen (`qimen`) or both APIs (`both`); default none. */
  qimenShopChannels?: Record<string, ShopChannel>;
  /** Kingdee integration users (default the two of the demo catalog); see `kingdeeUsers()`. */
  kingdeeUsers?: Array<{ username: string; password: string }>;
  logger?: Logger;
}

export interface DemoSimulators {
  jst: JstSimulator;
  kingdee: KingdeeSimulator;
  close(): Promise<void>;
}

/**
 * Both simulators with the demo world: the JST one seeded with sales outbound documents (a few with an
 * unmapped SKU, so the dead letters have something to show) and, optionally, live traffic.
 */
export async function startDemoSimulators(opts: DemoSimulatorOptions = {}): Promise<DemoSimulators> {
  const host = opts.host ?? '127.0.0.1';
  const jst = await startJstSimulator({ host, port: opts.jstPort ?? 0, rateLimit: opts.jstRateLimit, logger: opts.logger });
  const kingdee = await startKingdeeSimulator({ host, port: opts.kingdeePort ?? 0, latency: opts.kingdeeLatency, users: opts.kingdeeUsers, logger: opts.logger });
  const seed = opts.seed ?? 42;
  jst.settings.qimen.shopChannels = { ...opts.qimenShopChannels };
  if ((opts.seedDocs ?? 0) > 0) jst.seed({ count: opts.seedDocs ?? 0, seed, unmappedRate: 0.02 });
  // Sales returns (退仓单 + their 售后单): one for every ten outbound documents, a few with an unmapped SKU.
  if ((opts.seedDocs ?? 0) > 0) jst.seedKind('aftersale-received', { count: Math.max(1, Math.round((opts.seedDocs ?? 0) / 10)), seed, unmappedRate: 0.05 });
  // Purchase inbounds and purchase returns: one of each for every ten outbound documents, a few unmapped.
  if ((opts.seedDocs ?? 0) > 0) {
    const count = Math.max(1, Math.round((opts.seedDocs ?? 0) / 10));
    jst.seedKind('purchase-in', { count, seed, unmappedRate: 0.05 });
    // Window-read flow: keep `modified` inside the poller's first window (the last 24 h).
    jst.seedKind('purchase-out', { count, seed, unmappedRate: 0.05, modifiedFrom: formatBeijing(jst.now() - 20 * 3600 * 1000) });
  }
  // Transfers (调拨单) and stocktakes (盘点单): one of each for every ten outbound documents, a few in an unmapped warehouse.
  if ((opts.seedDocs ?? 0) > 0) {
    const count = Math.max(1, Math.round((opts.seedDocs ?? 0) / 10));
    const modifiedFrom = formatBeijing(jst.now() - 20 * 3600 * 1000);
    jst.seedKind('allocate', { count, seed, unmappedRate: 0.05, modifiedFrom });
    jst.seedKind('inventory-count', { count, seed, unmappedRate: 0.05, modifiedFrom });
  }
  // Other in/out (其它进仓 / 其它退货 / 其它出库): one for every ten outbound documents, a few with an unmapped SKU.
  if ((opts.seedDocs ?? 0) > 0) {
    const count = Math.max(1, Math.round((opts.seedDocs ?? 0) / 10));
    jst.seedKind('other-inout', { count, seed, unmappedRate: 0.05, modifiedFrom: formatBeijing(jst.now() - 20 * 3600 * 1000) });
  }
  let tick = 0;
  const timer =
    opts.liveEveryMs && opts.liveEveryMs > 0
      ? setInterval(() => {
          tick += 1;
          jst.seed({ count: 3, seed: `${seed}-live-${tick}`, unmappedRate: 0, statusMix: { Confirmed: 0.6, WaitConfirm: 0.4 } });
          jst.mutateRandomly(2, `${seed}-ship-${tick}`, { status: 'WaitConfirm', confirmRate: 0.9 });
        }, opts.liveEveryMs)
      : undefined;
  timer?.unref();
  return {
    jst,
    kingdee,
    async close() {
      if (timer) clearInterval(timer);
      await Promise.all([jst.close(), kingdee.close()]);
    },
  };
}

/** `count` integration users named like the demo catalog's: integration / demo-kd-password-1, integration2 / demo-kd-password-2, … */
export function kingdeeUsers(count: number): Array<{ username: string; password: string }> {
  return Array.from({ length: count }, (_, i) => ({ username: i === 0 ? 'integration' : `integration${i + 1}`, password: `demo-kd-password-${i + 1}` }));
}
