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
