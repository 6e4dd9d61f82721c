import { generateOtherInOut, type OtherInOutGeneratorOptions } from './other-inout-generator';
import { OTHER_INOUT_KIND } from './other-inout';
import type { JstSeeder } from './seed-kind';

/**
 * `seedKind('other-inout', opts)`: generator options as in OtherInOutGeneratorOptions (count, seed, statusMix,
 * typeMix, unmappedRate, batchRate, ...); io_id defaults to the next free one (at least 6000001).
 */
export const otherInOutSeeders: Record<string, JstSeeder> = {
  [OTHER_INOUT_KIND]: (opts, ctx) => {
    const docs = generateOtherInOut({
      ...(opts as Partial<OtherInOutGeneratorOptions>),
      count: opts.count,
      modifiedFrom: opts.modifiedFrom ?? ctx.modifiedFrom,
      modifiedTo: opts.modifiedTo ?? ctx.modifiedTo,
      startIoId: typeof opts.startIoId === 'number' ? opts.startIoId : Math.max(ctx.store.maxNumericId(OTHER_INOUT_KIND) + 1, 6_000_001),
    });
    return [{ kind: OTHER_INOUT_KIND, docs: docs as unknown as Record<string, unknown>[] }];
  },
};
