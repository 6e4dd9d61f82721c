import { z } from 'zod';
import { billHead, code, headOwner, ownerFields, priceFields, ref, settlementFields, stockFields } from './model-fields';

/**
 * The Save `Model` of a Kingdee 采购退料单 PUR_MRB as this integration sends it (reference kingdee-api.md §6.4;
 * no official template exists, keys follow the working payloads there). Quantities are positive: the form
 * itself means "out". Strict objects, so a misspelt key fails the contract test.
 */


export const purMrbEntrySchema = z
  .object({
    FENTRYID: z.number().int().optional(),
    FRowType: z.literal('Standard'),
    FMATERIALID: ref,
    FUnitID: ref,
    FPRICEUNITID: ref,
    FRMREALQTY: z.number().positive(),
    FREPLENISHQTY: z.number().positive().optional(),
    FKEAPAMTQTY: z.number().positive().optional(),
    ...priceFields({ taxPrice: 'FTAXPRICE', taxRate: 'FENTRYTAXRATE' }),
    FGiveAway: z.boolean(),
    ...stockFields({
      stock: 'FSTOCKID', location: 'FStockLocId', status: 'FStockStatusId', lot: 'FLot',
      produceDate: 'FProduceDate', expiryDate: 'FExpiryDate', auxProps: 'FAuxPropId',
    }),
    ...ownerFields({ type: 'FOWNERTYPEID', id: 'FOWNERID' }),
    FNOTE: z.string().max(255).optional(),
  })
  .strict();

export const purMrbModelSchema = z
  .object({
    ...billHead,
    FBusinessType: code,
    FMRTYPE: code,
    FMRMODE: code,
    FStockOrgId: ref,
    FRequireOrgId: ref,
    FPurchaseOrgId: ref,
    FSupplierID: ref,
    FMRDeptId: ref.optional(),
    FPURCHASEDEPTID: ref.optional(),
    ...headOwner,
    FDESCRIPTION: z.string().max(255).optional(),
    FPURMRBFIN: z
      .object({
        ...settlementFields({
          settleOrg: 'FSettleOrgId', settleCurrency: 'FSettleCurrId', localCurrency: 'FLOCALCURRID',
          exchangeType: 'FEXCHANGETYPEID', exchangeRate: 'FEXCHANGERATE',
        }),
        FIsIncludedTax: z.boolean(),
        FPRICETIMEPOINT: code,
      })
      .strict(),
    FPURMRBENTRY: z.array(purMrbEntrySchema).min(1),
  })
  .strict();

export type PurMrbModel = z.infer<typeof purMrbModelSchema>;
export type PurMrbEntry = z.infer<typeof purMrbEntrySchema>;
