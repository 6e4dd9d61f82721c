import { z } from 'zod';
import { code, isoDate, ref, locationRef } from './model-fields';

/**
 * The Save `Model` of a Kingdee 其他出库单 STK_MisDelivery as this integration sends it (reference
 * kingdee-api.md §5, §6.6), with the field-name casing of the reference's example. Strict objects, so a
 * misspelt key fails the contract test. Quantities (FQty, 实发数量) are positive: the form is the direction.
 * FBizType is marked required in the field list but its values are undocumented and working payloads omit
 * it, so it is only sent when configured.
 */


export const stkMisDeliveryEntrySchema = z
  .object({
    FEntryID: z.number().int().optional(),
    FMaterialId: ref,
    FUnitID: ref,
    FBaseUnitId: ref,
    FQty: z.number().positive(),
    FStockId: ref,
    FStockLocId: locationRef('FSTOCKLOCID').optional(),
    FStockStatusId: ref,
    FLot: ref.optional(),
    FProduceDate: isoDate.optional(),
    FExpiryDate: isoDate.optional(),
    FAuxPropId: z.record(z.string().regex(/^FAUXPROPID__/), ref).optional(),
    FOwnerTypeId: z.literal('BD_OwnerOrg'),
    FOwnerId: ref,
    FKeeperTypeId: z.literal('BD_KeeperOrg'),
    FKeeperId: ref,
    FEntryNote: z.string().max(255).optional(),
  })
  .strict();

export const stkMisDeliveryModelSchema = z
  .object({
    FID: z.number().int().optional(),
    FBillTypeID: z.object({ FNUMBER: code }).strict(),
    FBillNo: code.max(80),
    FDate: isoDate,
    FStockOrgId: ref,
    FPickOrgId: ref,
    FStockDirect: z.literal('GENERAL'),
    FBizType: code.optional(),
    FOwnerTypeIdHead: z.literal('BD_OwnerOrg'),
    FOwnerIdHead: ref,
    FDeptId: ref.optional(),
    FNote: z.string().max(255).optional(),
    FEntity: z.array(stkMisDeliveryEntrySchema).min(1),
  })
  .strict();

export type StkMisDeliveryModel = z.infer<typeof stkMisDeliveryModelSchema>;
export type StkMisDeliveryEntry = z.infer<typeof stkMisDeliveryEntrySchema>;
