import { z } from 'zod';

/** Which JST API a flow reads: the open API, 聚水潭·奇门 (Taobao/Tmall shops), or both. */
export const TRANSPORTS = ['openweb', 'qimen', 'both'] as const;
export type Transport = (typeof TRANSPORTS)[number];

const shopId = z.union([z.number().int().positive(), z.string().regex(/^\d+$/, 'must be a JST shop id').transform(Number)]);

/** The Qimen side of a flow. */
export const qimenTransportSchema = z.object({
  /** JST shop ids read through Qimen (the seller's Taobao/Tmall shops); `all` = every shop Qimen returns. */
  shops: z.union([z.literal('all'), z.array(shopId).min(1)]).default('all'),
  /**
   * `window` (default): modified-time windows of at most 7 days (documented for both methods); `ts`: start_ts by
   * row version, once a first real run shows the rows carry `ts` (unconfirmed for the saleout method).
   */
  cursor: z.enum(['window', 'ts']).default('window'),
  /** Rows per page (≤ 50: the lower of the two published maxima). */
  pageSize: z.number().int().min(1).max(50).default(50),
}).strict();

/** The open-API side of a flow. */
export const openwebTransportSchema = z.object({
  /** `all` (default), `others` (every shop not listed in qimen.shops), or a list of JST shop ids. */
  shops: z.union([z.literal('all'), z.literal('others'), z.array(shopId).min(1)]).default('all'),
}).strict();

/**
 * Keys a flow that can read through Qimen adds to its settings. Optional rather than defaulted, so parsed configs
 * of flows that do not use Qimen keep their shape; read them with {@link transportSettingsOf}.
 */
export const transportSettingsShape = {
  /**
   * `openweb` (absent = this): the open API only. `qimen`: JST's Qimen custom methods only. `both`: each on its
   * own cursor; a document seen by both is written once (the bill number comes from the JST id, not the transport).
   */
  transport: z.enum(TRANSPORTS).optional(),
  qimen: qimenTransportSchema.optional(),
  openweb: openwebTransportSchema.optional(),
};

export type QimenTransportSettings = z.infer<typeof qimenTransportSchema>;
export type OpenwebTransportSettings = z.infer<typeof openwebTransportSchema>;
export interface TransportSettings {
  transport: Transport;
  qimen: QimenTransportSettings;
  openweb: OpenwebTransportSettings;
}

/** The transport settings of any flow's settings, defaults filled (a flow without them reads the open API). Pure. */
export function transportSettingsOf(settings: unknown): TransportSettings {
  const s = (typeof settings === 'object' && settings !== null ? settings : {}) as Partial<TransportSettings>;
  return {
    transport: s.transport ?? 'openweb',
    qimen: s.qimen ?? qimenTransportSchema.parse({}),
    openweb: s.openweb ?? openwebTransportSchema.parse({}),
  };
}

/** Adds an issue when `openweb.shops: others` has no Qimen shop list to be the complement of. */
export function checkTransportSettings(settings: Partial<TransportSettings>, ctx: z.RefinementCtx): void {
  const s = transportSettingsOf(settings);
  if (s.openweb.shops === 'others' && s.qimen.shops === 'all') {
    ctx.addIssue({ code: 'custom', path: ['openweb', 'shops'], message: '`others` means every shop not in qimen.shops: list the Qimen shops in qimen.shops' });
  }
}

/**
 * Whether `transport` (openweb or qimen) reads documents of `shopId` under `s`. Pure. A flow on one transport
 * reads every shop that transport returns unless its list says otherwise.
 */
export function transportServesShop(s: TransportSettings, transport: 'openweb' | 'qimen', shopId: number): boolean {
  const qimenListed = s.qimen.shops === 'all' ? undefined : new Set(s.qimen.shops);
  if (transport === 'qimen') return qimenListed === undefined || qimenListed.has(shopId);
  const shops = s.openweb.shops;
  if (shops === 'all') return true;
  if (shops === 'others') return !qimenListed?.has(shopId);
  return shops.includes(shopId);
}

/** The transports a flow polls under `transport`, open API first. */
export function transportsOf(transport: Transport): ('openweb' | 'qimen')[] {
  return transport === 'both' ? ['openweb', 'qimen'] : [transport];
}
