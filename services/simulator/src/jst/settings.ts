import { z } from 'zod';
import type { RateLimits } from './rate-limiter';

/** Kinds of injected failure. */
export const FAULT_KINDS = ['http500', 'htmlError', 'internalError', 'reset', 'hang'] as const;
export type JstFaultKind = (typeof FAULT_KINDS)[number];

/**
 * Fault injection on JST protocol calls (never on /__admin). Rates are probabilities per call, drawn from a
 * seeded generator; `failNext` is a deterministic queue consumed first, one entry per call.
 * - http500: HTTP 500 with a plain-text body;
 * - htmlError: HTTP 502 with an nginx-style HTML page (not JSON);
 * - internalError: HTTP 200 with `{code:150, msg:'内部处理异常！', data:null}`;
 * - reset: the TCP connection is destroyed without an answer;
 * - hang: the answer is held for `hangMs` before the call is processed normally (client timeouts).
 */
export interface JstFaultSettings {
  http500Rate: number;
  htmlErrorRate: number;
  internalErrorRate: number;
  resetRate: number;
  hangRate: number;
  hangMs: number;
  failNext: JstFaultKind[];
}

/** Latency added to each JST protocol call: a fixed number of ms, or uniform in [min, max]. */
export type LatencySetting = number | { min: number; max: number };

/** Which API serves a shop's sales outbound and 售后单: Taobao/Tmall shops are served by Qimen (jst-qimen.md §1). */
export const SHOP_CHANNELS = ['openweb', 'qimen', 'both'] as const;
export type ShopChannel = (typeof SHOP_CHANNELS)[number];

/** Success-body shapes the Qimen side can answer in (the real one is unconfirmed, jst-qimen.md §4.3). */
export const QIMEN_ENVELOPES = ['response', 'method-response', 'bare'] as const;
export type QimenEnvelope = (typeof QIMEN_ENVELOPES)[number];

/** The Qimen (奇门) side of the simulator, at the router `/router/qm` (and `/router/qmtest`). */
export interface QimenSimulatorSettings {
  /** Shop id → channel; a shop not listed is served by the open API only. */
  shopChannels: Record<string, ShopChannel>;
  /**
   * `response`: `{response:{flag:'success',code:'0',…page}}`; `method-response`:
   * `{jushuitan_…_response:{result:{code:0,…page}}}`; `bare`: `{code:'0',msg,success:true,data:{…page}}`.
   */
  envelope: QimenEnvelope;
  /** Whether saleout rows carry `ts` (unconfirmed for jushuitan.saleout.list.query, jst-qimen.md §7.3). */
  saleoutRowsCarryTs: boolean;
  /** Calls per second per (app, customer_id, method) before TOP code 7; 0 = off. */
  perSecond: number;
  /** Faults of the Qimen router only (an outage of Qimen leaves the open API up); same kinds as the open API's. */
  faults: JstFaultSettings;
}

/** The simulator's mutable knobs; the server reads them on every request. */
export interface JstSimulatorSettings {
  latencyMs: LatencySetting;
  rateLimit: RateLimits;
  /** Allowed |server clock − timestamp| in seconds before code 180. */
  clockSkewSeconds: number;
  /** expires_in of minted tokens, seconds. */
  tokenExpirySeconds: number;
  faults: JstFaultSettings;
  qimen: QimenSimulatorSettings;
}

export const defaultQimenSettings = (): QimenSimulatorSettings => ({
  shopChannels: {},
  envelope: 'response',
  saleoutRowsCarryTs: true,
  perSecond: 8,
  faults: noFaults(),
});

export const noFaults = (): JstFaultSettings => ({
  http500Rate: 0,
  htmlErrorRate: 0,
  internalErrorRate: 0,
  resetRate: 0,
  hangRate: 0,
  hangMs: 30_000,
  failNext: [],
});

const rate = z.number().min(0).max(1);
const faultsPatch = z.strictObject({
  http500Rate: rate.optional(),
  htmlErrorRate: rate.optional(),
  internalErrorRate: rate.optional(),
  resetRate: rate.optional(),
  hangRate: rate.optional(),
  hangMs: z.number().min(0).optional(),
  failNext: z.array(z.enum(FAULT_KINDS)).optional(),
});
const nonNegative = z.number().min(0);
const limit = z.union([nonNegative, z.null().transform(() => 0)]);
const latency = z.union([nonNegative, z.object({ min: nonNegative, max: nonNegative }).refine((v) => v.min <= v.max, 'min must be <= max')]);

/** Body of `POST /__admin/settings`: every key optional, merged into the current settings. */
export const settingsPatchSchema = z.strictObject({
  latencyMs: latency.optional(),
  rateLimit: z.strictObject({ perSecond: limit.optional(), perMinute: limit.optional() }).optional(),
  clockSkewSeconds: nonNegative.optional(),
  tokenExpirySeconds: z.number().int().min(1).optional(),
  faults: faultsPatch.optional(),
  qimen: z
    .strictObject({
      /** Replaces the whole map. */
      shopChannels: z.record(z.string().regex(/^\d+$/, 'must be a shop id'), z.enum(SHOP_CHANNELS)).optional(),
      envelope: z.enum(QIMEN_ENVELOPES).optional(),
      saleoutRowsCarryTs: z.boolean().optional(),
      perSecond: limit.optional(),
      faults: faultsPatch.optional(),
    })
    .optional(),
});
export type JstSettingsPatch = z.infer<typeof settingsPatchSchema>;

/** Merges a validated patch into `settings` in place (so references held by tests stay live). */
export function applySettingsPatch(settings: JstSimulatorSettings, patch: JstSettingsPatch): void {
  if (patch.latencyMs !== undefined) settings.latencyMs = patch.latencyMs;
  if (patch.clockSkewSeconds !== undefined) settings.clockSkewSeconds = patch.clockSkewSeconds;
  if (patch.tokenExpirySeconds !== undefined) settings.tokenExpirySeconds = patch.tokenExpirySeconds;
  if (patch.rateLimit) Object.assign(settings.rateLimit, stripUndefined(patch.rateLimit));
  if (patch.faults) Object.assign(settings.faults, stripUndefined(patch.faults));
  if (patch.qimen) {
    const { faults, ...rest } = patch.qimen;
    Object.assign(settings.qimen, stripUndefined(rest));
    if (faults) Object.assign(settings.qimen.faults, stripUndefined(faults));
  }
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** Resolves a latency setting to a delay in ms using `random` in [0, 1). */
export function latencyDelay(latency: LatencySetting, random: () => number): number {
  if (typeof latency === 'number') return latency;
  return latency.min + Math.floor(random() * (latency.max - latency.min + 1));
}
