import type { Logger } from 'pino';
import { demoCredentials } from '../demo-catalog';
import { formatBeijing } from './beijing-time';
import type { JstEndpoint } from './endpoint';
import { mutateRandomly, type MutateRandomlyOptions } from './mutate-randomly';
import { ordersOutQueryEndpoint } from './orders-out-query';
import { otherInOutQueryEndpoint } from './other-inout-query';
import { OTHER_INOUT_ID_KEY, OTHER_INOUT_KIND } from './other-inout';
import { otherInOutSeeders } from './other-inout-seed';
import { aftersaleReceivedQueryEndpoint, refundSingleQueryEndpoint } from './aftersale-queries';
import { AFTERSALE_RECEIVED_ID_KEY, AFTERSALE_RECEIVED_KIND, REFUND_ID_KEY, REFUND_KIND } from './sales-return';
import { salesReturnSeeders } from './sales-return-seed';
import { purchaseInQueryEndpoint, purchaseOutQueryEndpoint } from './purchase-queries';
import { PURCHASE_ID_KEY, PURCHASE_IN_KIND, PURCHASE_OUT_KIND } from './purchase';
import { purchaseSeeders } from './purchase-generator';
import type { JstSeeder, SeedKindOptions } from './seed-kind';
import { allocateQueryEndpoint, inventoryCountQueryEndpoint } from './inventory-queries';
import { ALLOCATE_ID_KEY, ALLOCATE_KIND, INVENTORY_COUNT_ID_KEY, INVENTORY_COUNT_KIND } from './inventory-docs';
import { inventorySeeders } from './inventory-seed';
import { itemSkuUploadEndpoint, ITEMS_ID_KEY, ITEMS_KIND, ITEMSKU_UPLOADS_ID_KEY, ITEMSKU_UPLOADS_KIND } from './itemsku-upload';
import { createPrng, type Prng } from './prng';
import type { JstApp } from './protocol';
import { createRateLimiter, type RateLimiter, type RateLimits } from './rate-limiter';
import { ORDERS_OUT_ID_KEY, ORDERS_OUT_KIND } from './sales-outbound';
import { generateOrdersOut, type OrdersOutGeneratorOptions } from './sales-outbound-generator';
import { defaultQimenSettings, noFaults, type JstSimulatorSettings, type LatencySetting } from './settings';
import { createStatsRecorder, type JstStats, type StatsRecorder } from './stats';
import { createJstStore, type JstDoc, type JstKindDefinition, type JstStore, type MutateChange } from './store';
import { createTokenRegistry, type InitialJstToken, type TokenRegistry } from './token-registry';

export interface JstSimulatorOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0 (a random free port). */
  port?: number;
  /** Apps allowed to call; default the demo app from ../demo-catalog. */
  apps?: JstApp[];
  /** Access tokens valid at start; default the demo token from ../demo-catalog. */
  accessTokens?: InitialJstToken[];
  /** Default {perSecond: 5, perMinute: 100}; 0 or Infinity switches a limit off. */
  rateLimit?: Partial<RateLimits>;
  /** Allowed clock skew of `timestamp`, seconds. Default 600. */
  clockSkewSeconds?: number;
  /** Added to each protocol call: fixed ms or uniform {min, max}. Default 0. */
  latencyMs?: LatencySetting;
  /** expires_in of tokens, seconds. Default 30 days. */
  tokenExpirySeconds?: number;
  /** Simulator clock, epoch ms (tests pass a fake). Default Date.now. */
  now?: () => number;
  /** Fastify/pino logger; silent by default. */
  logger?: Logger;
  /** Seed of the fault and latency draws. Default 'jst-faults'. */
  faultSeed?: number | string;
  /** First rowversion handed out. Default 1000001. */
  firstTs?: number;
  /** Extra business endpoints (added to, or replacing by path, JST_ENDPOINTS). */
  endpoints?: JstEndpoint[];
  /** Extra document kinds for the store. */
  kinds?: JstKindDefinition[];
  /** Taobao/Qimen apps allowed to call the Qimen router; default the demo's. */
  qimenApps?: JstApp[];
  /** customer_id values the Qimen side routes to this JST company; default the demo's. */
  qimenCustomers?: string[];
}

/** Generator options for `seed`: the modified range defaults to the last 24 h of the simulator clock, io_id to the next free one. */
export type SeedOrdersOutOptions = Omit<OrdersOutGeneratorOptions, 'modifiedFrom' | 'modifiedTo'> & {
  kind?: typeof ORDERS_OUT_KIND;
  modifiedFrom?: string;
  modifiedTo?: string;
};

/** The in-process operations shared by the admin routes and the object startJstSimulator returns. */
export interface JstSimulatorCore {
  store: JstStore;
  /** Mutable knobs, read on every request. */
  settings: JstSimulatorSettings;
  tokens: TokenRegistry;
  now(): number;
  /** Generates and inserts sales outbound documents; returns their io_ids. */
  seed(opts: SeedOrdersOutOptions): { ids: number[] };
  /**
   * Generates and inserts documents of `kind` with its JST_SEEDERS generator (linked documents of other kinds
   * too, e.g. the 售后单 behind each 退仓单); returns the ids of `kind`. Throws for a kind without a generator.
   */
  seedKind(kind: string, opts: SeedKindOptions): { ids: string[] };
  /** Inserts or replaces explicit documents (new ts each). */
  insert(kind: string, docs: readonly Record<string, unknown>[]): JstDoc[];
  /** Patches a document and/or sets its status; bumps ts and modified. */
  mutate(kind: string, id: string | number, change?: MutateChange): JstDoc;
  /** Touches `count` random documents (some WaitConfirm ship); returns their ids. */
  mutateRandomly(count: number, seed: number | string, opts?: MutateRandomlyOptions): string[];
  stats(): JstStats;
  /** Back to the start state: no documents, initial tokens and settings, zero counters. */
  reset(): void;
}

/** Internals the HTTP layer needs besides the public operations. */
export interface JstSimulatorInternals extends JstSimulatorCore {
  apps: ReadonlyMap<string, JstApp>;
  qimenApps: ReadonlyMap<string, JstApp>;
  qimenCustomers: ReadonlySet<string>;
  /** Per (app, customer_id, method) per-second counter of the Qimen router. */
  qimenLimiter: RateLimiter;
  endpoints: ReadonlyMap<string, JstEndpoint>;
  limiter: RateLimiter;
  recorder: StatsRecorder;
  random: Prng;
}

/** Document kinds known at start; later flows add theirs with store.defineKind. */
export const JST_KINDS: readonly JstKindDefinition[] = [{ name: ORDERS_OUT_KIND, idKey: ORDERS_OUT_ID_KEY }, { name: OTHER_INOUT_KIND, idKey: OTHER_INOUT_ID_KEY }, { name: AFTERSALE_RECEIVED_KIND, idKey: AFTERSALE_RECEIVED_ID_KEY }, { name: REFUND_KIND, idKey: REFUND_ID_KEY }, { name: ITEMS_KIND, idKey: ITEMS_ID_KEY }, { name: ITEMSKU_UPLOADS_KIND, idKey: ITEMSKU_UPLOADS_ID_KEY }, { name: PURCHASE_IN_KIND, idKey: PURCHASE_ID_KEY }, { name: PURCHASE_OUT_KIND, idKey: PURCHASE_ID_KEY }, { name: ALLOCATE_KIND, idKey: ALLOCATE_ID_KEY }, { name: INVENTORY_COUNT_KIND, idKey: INVENTORY_COUNT_ID_KEY }];

/** Business endpoints served; a path not listed here is answered with code 190. */
export const JST_ENDPOINTS: readonly JstEndpoint[] = [ordersOutQueryEndpoint, otherInOutQueryEndpoint, aftersaleReceivedQueryEndpoint, refundSingleQueryEndpoint, itemSkuUploadEndpoint, purchaseInQueryEndpoint, purchaseOutQueryEndpoint, allocateQueryEndpoint, inventoryCountQueryEndpoint];

/** Generators `seedKind` runs, by store kind (a kind without one can only be `insert`ed). */
export const JST_SEEDERS: Readonly<Record<string, JstSeeder>> = { ...otherInOutSeeders, ...salesReturnSeeders, ...purchaseSeeders, ...inventorySeeders };

const DAY_MS = 24 * 3600 * 1000;

export function createJstSimulatorCore(opts: JstSimulatorOptions = {}): JstSimulatorInternals {
  const now = opts.now ?? Date.now;
  const initialSettings = (): JstSimulatorSettings => ({
    latencyMs: opts.latencyMs ?? 0,
    rateLimit: { perSecond: opts.rateLimit?.perSecond ?? 5, perMinute: opts.rateLimit?.perMinute ?? 100 },
    clockSkewSeconds: opts.clockSkewSeconds ?? 600,
    tokenExpirySeconds: opts.tokenExpirySeconds ?? 30 * 24 * 3600,
    faults: noFaults(),
    qimen: defaultQimenSettings(),
  });
  const settings = initialSettings();
  const demo = demoCredentials.jst;
  const apps = new Map((opts.apps ?? [{ appKey: demo.appKey, appSecret: demo.appSecret }]).map((a) => [a.appKey, a]));
  const tokens = createTokenRegistry(opts.accessTokens ?? [{ appKey: demo.appKey, accessToken: demo.accessToken }], () => settings.tokenExpirySeconds, now());
  const store = createJstStore({ now, kinds: [...JST_KINDS, ...(opts.kinds ?? [])], firstTs: opts.firstTs });
  const recorder = createStatsRecorder();
  const limiter = createRateLimiter();
  const qimenLimiter = createRateLimiter();
  const qimenDemo = demoCredentials.qimen;
  const faultSeed = opts.faultSeed ?? 'jst-faults';
  let random = createPrng(faultSeed);

  const core: JstSimulatorInternals = {
    store,
    settings,
    tokens,
    apps,
    qimenApps: new Map((opts.qimenApps ?? [{ appKey: qimenDemo.appKey, appSecret: qimenDemo.appSecret }]).map((a) => [a.appKey, a])),
    qimenCustomers: new Set(opts.qimenCustomers ?? [qimenDemo.customerId]),
    qimenLimiter,
    endpoints: new Map([...JST_ENDPOINTS, ...(opts.endpoints ?? [])].map((e) => [e.path, e])),
    limiter,
    recorder,
    get random() {
      return random;
    },
    now,
    seed(seedOpts) {
      const kind = seedOpts.kind ?? ORDERS_OUT_KIND;
      if (kind !== ORDERS_OUT_KIND) throw new Error(`no generator for kind ${String(kind)}`);
      const t = now();
      const docs = generateOrdersOut({
        ...seedOpts,
        modifiedFrom: seedOpts.modifiedFrom ?? formatBeijing(t - DAY_MS),
        modifiedTo: seedOpts.modifiedTo ?? formatBeijing(t),
        startIoId: seedOpts.startIoId ?? Math.max(store.maxNumericId(ORDERS_OUT_KIND) + 1, 2_080_001),
      });
      store.put(ORDERS_OUT_KIND, docs as unknown as Record<string, unknown>[], { owned: true });
      return { ids: docs.map((d) => d.io_id) };
    },
    seedKind(kind, seedOpts) {
      if (kind === ORDERS_OUT_KIND) return { ids: core.seed(seedOpts as SeedOrdersOutOptions).ids.map(String) };
      const seeder = Object.prototype.hasOwnProperty.call(JST_SEEDERS, kind) ? JST_SEEDERS[kind] : undefined;
      if (!seeder) throw new Error(`no generator for kind ${kind} (known: ${[ORDERS_OUT_KIND, ...Object.keys(JST_SEEDERS)].join(', ')})`);
      const t = now();
      const groups = seeder(seedOpts, { store, modifiedFrom: formatBeijing(t - DAY_MS), modifiedTo: formatBeijing(t) });
      let ids: string[] = [];
      groups.forEach((g, i) => {
        const put = store.put(g.kind, g.docs, { owned: true });
        if (i === 0) ids = put.map((r) => r.id);
      });
      return { ids };
    },
    insert: (kind, docs) => store.put(kind, docs).map((r) => store.get(kind, r.id)!),
    mutate: (kind, id, change) => store.mutate(kind, id, change),
    mutateRandomly: (count, seed, mOpts) => mutateRandomly(store, now, count, seed, mOpts),
    stats: () => recorder.snapshot(),
    reset() {
      store.clear();
      recorder.reset();
      limiter.reset();
      qimenLimiter.reset();
      const fresh = initialSettings();
      Object.assign(settings.rateLimit, fresh.rateLimit);
      Object.assign(settings.faults, fresh.faults);
      Object.assign(settings.qimen, fresh.qimen);
      settings.latencyMs = fresh.latencyMs;
      settings.clockSkewSeconds = fresh.clockSkewSeconds;
      settings.tokenExpirySeconds = fresh.tokenExpirySeconds;
      tokens.reset(now());
      random = createPrng(faultSeed);
    },
  };
  return core;
}
