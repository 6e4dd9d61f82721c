import { z } from 'zod';
import { billHead, headOwner, keeperFields, ownerFields, ref, stockFields } from './model-fields';

/**
 * The Save `Model` of a Kingdee 其他入库单 STK_MISCELLANEOUS as this integration sends it (reference
 * kingdee-api.md §5, §6.5), with the field-name casing of the reference's example. Strict objects, so a
 * misspelt key fails the contract test instead of being ignored by Kingdee. Quantities (FQty) are positive.
 */


export const stkMiscellaneousEntrySchema = z
  .object({
    FEntryID: z.number().int().optional(),
    FMATERIALID: ref,
    FUnitID: ref,
    FQty: z.number().positive(),
    FPrice: z.number().nonnegative().optional(),
    FAmount: z.number().nonnegative().optional(),
    ...stockFields({
      stock: 'FSTOCKID', location: 'FStockLocId', status: 'FSTOCKSTATUSID', lot: 'FLOT',
      produceDate: 'FPRODUCEDATE', expiryDate: 'FEXPIRYDATE', auxProps: 'FAuxPropId',
    }),
    ...ownerFields({ type: 'FOWNERTYPEID', id: 'FOWNERID' }),
    ...keeperFields({ type: 'FKEEPERTYPEID', id: 'FKEEPERID' }),
    FEntryNote: z.string().max(255).optional(),
  })
  .strict();

export const stkMiscellaneousModelSchema = z
  .object({
    ...billHead,
    FStockOrgId: ref,
    FStockDirect: z.enum(['GENERAL', 'RETURN']),
    ...headOwner,
    FSUPPLIERID: ref.optional(),
    FDEPTID: ref.optional(),
    FBaseCurrId: ref.optional(),
    FNOTE: z.string().max(255).optional(),
    FEntity: z.array(stkMiscellaneousEntrySchema).min(1),
  })
  .strict();

export type StkMiscellaneousModel = z.infer<typeof stkMiscellaneousModelSchema>;
export type StkMiscellaneousEntry = z.infer<typeof stkMiscellaneousEntrySchema>;
