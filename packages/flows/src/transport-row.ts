import { z } from 'zod';
import { lenientDigits } from './lenient';
import { compactJstTime } from './purchase-lines';

/**
 * Provenance key the poller sets on every row it read through 聚水潭·奇门 (`'qimen'`). Rows of the open API carry
 * none. It travels with the job, so a dead letter says which transport delivered the row.
 */
export const TRANSPORT_KEY = '_transport';

/** The transport field of a source schema. */
export const transportField = z.enum(['openweb', 'qimen']).optional();

/**
 * `ts` of a document that may come through Qimen: required on open-API rows (their endpoints return it), optional
 * on Qimen rows (whether `jushuitan.saleout.list.query` returns it is unconfirmed, jst-qimen.md §7.3). Use with
 * {@link requireTsUnlessQimen} in the schema's superRefine.
 */
export const optionalTs = lenientDigits.optional();

/** Adds "ts: is required" to a row without ts that did not come through Qimen. */
export function requireTsUnlessQimen(doc: { ts?: string; _transport?: 'openweb' | 'qimen' }, ctx: z.RefinementCtx): void {
  if (doc.ts === undefined && doc._transport !== 'qimen') {
    ctx.addIssue({ code: 'custom', path: ['ts'], message: 'expected a non-negative integer (number or digit string), got nothing (the field is missing)' });
  }
}

/**
 * The version of a document in a job id: its `ts`, else (a Qimen row without ts) `m` + its modified time
 * (`m20240520154011`): a later change gives a new version, and the prefix keeps it apart from any ts.
 */
export function tsOrModifiedVersion(doc: { ts?: string; modified: string }): string {
  return doc.ts ?? `m${compactJstTime(doc.modified)}`;
}
