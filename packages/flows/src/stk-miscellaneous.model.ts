import { z } from 'zod';
import { code, isoDate, ref, locationRef } from './model-fields';

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
    FSTOCKID: ref,
    FStockLocId: locationRef('FSTOCKLOCID').optional(),
    FSTOCKSTATUSID: ref,
    FLOT: ref.optional(),
    FPRODUCEDATE: isoDate.optional(),
    FEXPIRYDATE: isoDate.optional(),
    FAuxPropId: z.record(z.string().regex(/^FAUXPROPID__/), ref).optional(),
    FOWNERTYPEID: z.literal('BD_OwnerOrg'),
    FOWNERID: ref,
    FKEEPERTYPEID: z.literal('BD_KeeperOrg'),
    FKEEPERID: ref,
    FEntryNote: z.string().max(255).optional(),
  })
  .strict();

export const stkMiscellaneousModelSchema = z
  .object({
    FID: z.number().int().optional(),
    FBillTypeID: z.object({ FNUMBER: code }).strict(),
    FBillNo: code.max(80),
    FDate: isoDate,
    FStockOrgId: ref,
    FStockDirect: z.enum(['GENERAL', 'RETURN']),
    FOwnerTypeIdHead: z.literal('BD_OwnerOrg'),
    FOwnerIdHead: ref,
    FSUPPLIERID: ref.optional(),
    FDEPTID: ref.optional(),
    FBaseCurrId: ref.optional(),
    FNOTE: z.string().max(255).optional(),
    FEntity: z.array(stkMiscellaneousEntrySchema).min(1),
  })
  .strict();

export type StkMiscellaneousModel = z.infer<typeof stkMiscellaneousModelSchema>;
export type StkMiscellaneousEntry = z.infer<typeof stkMiscellaneousEntrySchema>;
