import { generateStocktakes, generateTransfers, type StocktakeGeneratorOptions, type TransferGeneratorOptions } from './inventory-generator';
import { ALLOCATE_KIND, INVENTORY_COUNT_KIND } from './inventory-docs';
import type { JstSeeder } from './seed-kind';

/**
 * `seedKind('allocate', opts)` (TransferGeneratorOptions: statusMix, typeMix, unmappedRate, batchRate, ...) and
 * `seedKind('inventory-count', opts)` (StocktakeGeneratorOptions); io_id defaults to the next free one
 * (at least 3100001 for transfers, 3200001 for stocktakes).
 */
export const inventorySeeders: Record<string, JstSeeder> = {
  [ALLOCATE_KIND]: (opts, ctx) => {
    const docs = generateTransfers({
      ...(opts as Partial<TransferGeneratorOptions>),
      count: opts.count,
      modifiedFrom: opts.modifiedFrom ?? ctx.modifiedFrom,
      modifiedTo: opts.modifiedTo ?? ctx.modifiedTo,
      startIoId: typeof opts.startIoId === 'number' ? opts.startIoId : Math.max(ctx.store.maxNumericId(ALLOCATE_KIND) + 1, 3_100_001),
    });
    return [{ kind: ALLOCATE_KIND, docs: docs as unknown as Record<string, unknown>[] }];
  },
  [INVENTORY_COUNT_KIND]: (opts, ctx) => {
    const docs = generateStocktakes({
      ...(opts as Partial<StocktakeGeneratorOptions>),
      count: opts.count,
      modifiedFrom: opts.modifiedFrom ?? ctx.modifiedFrom,
      modifiedTo: opts.modifiedTo ?? ctx.modifiedTo,
      startIoId: typeof opts.startIoId === 'number' ? opts.startIoId : Math.max(ctx.store.maxNumericId(INVENTORY_COUNT_KIND) + 1, 3_200_001),
    });
    return [{ kind: INVENTORY_COUNT_KIND, docs: docs as unknown as Record<string, unknown>[] }];
  },
};
