import { generateOtherInOut } from './other-inout-generator';
import { OTHER_INOUT_KIND } from './other-inout';
import { ioIdSeeder, type JstSeeder } from './seed-kind';

/**
 * `seedKind('other-inout', opts)`: generator options as in OtherInOutGeneratorOptions (count, seed, statusMix,
 * typeMix, unmappedRate, batchRate, ...); io_id defaults to the next free one (at least 6000001).
 */
export const otherInOutSeeders: Record<string, JstSeeder> = {
  [OTHER_INOUT_KIND]: ioIdSeeder(OTHER_INOUT_KIND, 6_000_001, generateOtherInOut),
};
