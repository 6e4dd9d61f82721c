import { AFTERSALE_RECEIVED_KIND, REFUND_KIND } from './sales-return';
import { generateSalesReturns, type SalesReturnGeneratorOptions } from './sales-return-generator';
import type { JstSeeder, SeedKindOptions } from './seed-kind';

function generatorOptions(opts: SeedKindOptions, ctx: Parameters<JstSeeder>[1]): SalesReturnGeneratorOptions {
  const { count, seed, modifiedFrom, modifiedTo, ...rest } = opts;
  return {
    ...(rest as Partial<SalesReturnGeneratorOptions>),
    count,
    seed,
    modifiedFrom: modifiedFrom ?? ctx.modifiedFrom,
    modifiedTo: modifiedTo ?? ctx.modifiedTo,
    startIoId: (rest.startIoId as number | undefined) ?? Math.max(ctx.store.maxNumericId(AFTERSALE_RECEIVED_KIND) + 1, 3_300_001),
    startAsId: (rest.startAsId as number | undefined) ?? Math.max(ctx.store.maxNumericId(REFUND_KIND) + 1, 900_001),
  };
}

/**
 * Seeders of the after-sale kinds: seeding either kind generates returns and inserts both documents of each
 * (退仓单 and its 售后单), so either source of the sales-return flow sees the same returns.
 */
export const salesReturnSeeders: Record<string, JstSeeder> = {
  [AFTERSALE_RECEIVED_KIND]: (opts, ctx) => {
    const g = generateSalesReturns(generatorOptions(opts, ctx));
    return [
      { kind: AFTERSALE_RECEIVED_KIND, docs: g.received as unknown as Record<string, unknown>[] },
      { kind: REFUND_KIND, docs: g.refunds as unknown as Record<string, unknown>[] },
    ];
  },
  [REFUND_KIND]: (opts, ctx) => {
    const g = generateSalesReturns(generatorOptions(opts, ctx));
    return [
      { kind: REFUND_KIND, docs: g.refunds as unknown as Record<string, unknown>[] },
      { kind: AFTERSALE_RECEIVED_KIND, docs: g.received as unknown as Record<string, unknown>[] },
    ];
  },
};
