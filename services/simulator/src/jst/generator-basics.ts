import type { DemoSku } from '../demo-catalog';
import { beijingDay, parseBeijing } from './beijing-time';
import type { Prng } from './prng';

/**
 * What the document generators share: the range check, `modified` draws, the unmapped-document pick, status/type
 * mixes and production lots. Every helper draws from the generator's own PRNG, so documents stay deterministic.
 */

export const DAY = 24 * 3600 * 1000;
export const round2 = (n: number): number => Math.round(n * 100) / 100;
/** `n` random decimal digits. */
export const digits = (prng: Prng, n: number): string => Array.from({ length: n }, () => String(prng.int(0, 9))).join('');

/** The generator options every generator takes. */
export interface GeneratorRange {
  count: number;
  /** Beijing-time bounds (inclusive) that `modified` is spread over. */
  modifiedFrom: string;
  modifiedTo: string;
}

/** The range in epoch ms. Throws on an unparsable or reversed range, or a count that is not a whole number ≥ 0. */
export function checkedRange(opts: GeneratorRange): { fromMs: number; toMs: number } {
  const fromMs = parseBeijing(opts.modifiedFrom);
  const toMs = parseBeijing(opts.modifiedTo);
  if (fromMs === undefined || toMs === undefined || toMs < fromMs) {
    throw new Error(`invalid modified range ${opts.modifiedFrom} .. ${opts.modifiedTo} (yyyy-MM-dd HH:mm:ss, from <= to)`);
  }
  if (!Number.isInteger(opts.count) || opts.count < 0) throw new Error(`invalid count ${opts.count}`);
  return { fromMs, toMs };
}

/** A whole second in [fromMs, toMs]. */
export function modifiedBetween(prng: Prng, fromMs: number, toMs: number): number {
  return fromMs + Math.floor(prng.next() * (Math.floor((toMs - fromMs) / 1000) + 1)) * 1000;
}

/** How many of `count` documents get something unmapped: exactly round(count × rate), rate clamped to [0, 1]. */
export const unmappedCount = (count: number, rate: number | undefined): number => Math.round(count * Math.min(1, Math.max(0, rate ?? 0)));

/** `k` distinct indices out of `n`, deterministically. */
export function pickIndices(prng: Prng, n: number, k: number): Set<number> {
  const all = Array.from({ length: n }, (_, i) => i);
  for (let i = n - 1; i > 0; i--) {
    const j = prng.int(0, i);
    [all[i], all[j]] = [all[j]!, all[i]!];
  }
  return new Set(all.slice(0, k));
}

/** Weights: the defaults, or when some are given, those (every key not given weighs 0). */
export function mixOf<K extends string>(defaults: Readonly<Record<K, number>>, given: Partial<Record<K, number>> | undefined): Record<K, number> {
  if (!given) return { ...defaults };
  const out = {} as Record<K, number>;
  for (const k of Object.keys(defaults) as K[]) out[k] = given[k] ?? 0;
  return out;
}

/** A production lot: its number and shelf-life dates (yyyy-MM-dd). */
export interface Lot {
  batchNo: string;
  productDate: string;
  expirationDate: string;
}

/** The lot of `sku` produced on `productDate`, numbered `<prefix><yyMMdd>-<i_id><suffix>`, expiring after its shelf life. */
export function lotProducedOn(sku: DemoSku, productDate: string, prefix: string, suffix = ''): Lot {
  return {
    batchNo: `${prefix}${productDate.slice(2, 10).replace(/-/g, '')}-${sku.iId}${suffix}`,
    productDate,
    expirationDate: beijingDay(parseBeijing(productDate)! + (sku.shelfLifeDays ?? 365) * DAY),
  };
}
