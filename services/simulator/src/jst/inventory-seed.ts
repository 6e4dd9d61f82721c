import { generateStocktakes, generateTransfers } from './inventory-generator';
import { ALLOCATE_KIND, INVENTORY_COUNT_KIND } from './inventory-docs';
import { ioIdSeeder, type JstSeeder } from './seed-kind';

/**
 * `seedKind('allocate', opts)` (TransferGeneratorOptions: statusMix, typeMix, unmappedRate, batchRate, ...) and
 * `seedKind('inventory-count', opts)` (StocktakeGeneratorOptions); io_id defaults to the next free one
 * (at least 3100001 for transfers, 3200001 for stocktakes).
 */
export const inventorySeeders: Record<string, JstSeeder> = {
  [ALLOCATE_KIND]: ioIdSeeder(ALLOCATE_KIND, 3_100_001, generateTransfers),
  [INVENTORY_COUNT_KIND]: ioIdSeeder(INVENTORY_COUNT_KIND, 3_200_001, generateStocktakes),
};
