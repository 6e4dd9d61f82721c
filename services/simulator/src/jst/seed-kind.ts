import type { JstStore } from './store';

/**
 * Options of `seedKind`: how many documents, the generator seed, the Beijing-time range `modified` is spread over
 * (default: the last 24 h of the simulator clock), plus generator-specific options passed through as given.
 */
export interface SeedKindOptions {
  count: number;
  seed?: number | string;
  modifiedFrom?: string;
  modifiedTo?: string;
  [option: string]: unknown;
}

/** What a seeder gets besides the options: the store (for the next free ids) and the resolved range. */
export interface SeedContext {
  store: JstStore;
  modifiedFrom: string;
  modifiedTo: string;
}

/**
 * A generator for one or more store kinds: returns the documents to insert, per kind. The first group must be
 * the requested kind (its ids are what `seedKind` returns); later groups are linked documents (e.g. the 售后单
 * behind each 退仓单).
 */
export type JstSeeder = (opts: SeedKindOptions, ctx: SeedContext) => { kind: string; docs: Record<string, unknown>[] }[];

/** The start id the seed options give (a number), else the next free numeric id of `kind`, at least `first`. */
export function startIdFor(given: unknown, ctx: SeedContext, kind: string, first: number): number {
  return typeof given === 'number' ? given : Math.max(ctx.store.maxNumericId(kind) + 1, first);
}

/**
 * The seeder of a kind whose generator takes the seed options as given, plus `count`, the range (default the
 * context's) and a consecutive `startIoId` (default the next free one, at least `firstIoId`).
 */
export function ioIdSeeder<O extends { count: number; modifiedFrom: string; modifiedTo: string; startIoId?: number }>(
  kind: string,
  firstIoId: number,
  generate: (opts: O) => readonly object[],
): JstSeeder {
  return (opts, ctx) => {
    const docs = generate({
      ...(opts as Partial<O>),
      count: opts.count,
      modifiedFrom: opts.modifiedFrom ?? ctx.modifiedFrom,
      modifiedTo: opts.modifiedTo ?? ctx.modifiedTo,
      startIoId: startIdFor(opts.startIoId, ctx, kind, firstIoId),
    } as O);
    return [{ kind, docs: docs as unknown as Record<string, unknown>[] }];
  };
}
