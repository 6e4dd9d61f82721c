import { z } from 'zod';
import { billHead, code, headOwner, keeperFields, ownerFields, ref, stockFields } from './model-fields';

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
    ...stockFields({
      stock: 'FStockId', location: 'FStockLocId', status: 'FStockStatusId', lot: 'FLot',
      produceDate: 'FProduceDate', expiryDate: 'FExpiryDate', auxProps: 'FAuxPropId',
    }),
    ...ownerFields({ type: 'FOwnerTypeId', id: 'FOwnerId' }),
    ...keeperFields({ type: 'FKeeperTypeId', id: 'FKeeperId' }),
    FEntryNote: z.string().max(255).optional(),
  })
  .strict();

export const stkMisDeliveryModelSchema = z
  .object({
    ...billHead,
    FStockOrgId: ref,
    FPickOrgId: ref,
    FStockDirect: z.literal('GENERAL'),
    FBizType: code.optional(),
    ...headOwner,
    FDeptId: ref.optional(),
    FNote: z.string().max(255).optional(),
    FEntity: z.array(stkMisDeliveryEntrySchema).min(1),
  })
  .strict();

export type StkMisDeliveryModel = z.infer<typeof stkMisDeliveryModelSchema>;
export type StkMisDeliveryEntry = z.infer<typeof stkMisDeliveryEntrySchema>;
