import { z } from 'zod';
import { auxProps, billHead, code, headOwner, isoDate, keeperFields, locationRef, ownerFields, ref } from './model-fields';

/**
 * The Save `Model` of a Kingdee 直接调拨单 STK_TransferDirect as this integration sends it (reference
 * kingdee-api.md §5, §6.7). Strict objects, so a misspelt key fails the contract test.
 */


export const stkTransferDirectEntrySchema = z
  .object({
    FENTRYID: z.number().int().optional(),
    FMaterialId: ref,
    FUnitID: ref,
    FBaseUnitId: ref,
    FQty: z.number().positive(),
    FSrcStockId: ref,
    FSrcStockLocId: locationRef('FSRCSTOCKLOCID').optional(),
    FDestStockId: ref,
    FDestStockLocId: locationRef('FDESTSTOCKLOCID').optional(),
    FSrcStockStatusId: ref,
    FDestStockStatusId: ref,
    FLot: ref.optional(),
    FDestLot: ref.optional(),
    FProduceDate: isoDate.optional(),
    FExpiryDate: isoDate.optional(),
    FAuxPropId: auxProps.optional(),
    ...ownerFields({ type: 'FOwnerTypeOutId', id: 'FOwnerOutId' }),
    ...ownerFields({ type: 'FOwnerTypeId', id: 'FOwnerId' }),
    ...keeperFields({ type: 'FKeeperTypeOutId', id: 'FKeeperOutId' }),
    ...keeperFields({ type: 'FKeeperTypeId', id: 'FKeeperId' }),
    FThirdSrcEntryId: z.string().optional(),
  })
  .strict();

export const stkTransferDirectModelSchema = z
  .object({
    ...billHead,
    FBizType: z.literal('NORMAL'),
    FTransferDirect: z.literal('GENERAL'),
    FTransferBizType: z.enum(['InnerOrgTransfer', 'OverOrgTransfer']),
    FStockOutOrgId: ref,
    FOwnerTypeOutIdHead: z.literal('BD_OwnerOrg'),
    FOwnerOutIdHead: ref,
    FStockOrgId: ref,
    ...headOwner,
    FNote: z.string().max(255).optional(),
    FThirdSystem: code,
    FThirdSrcId: code,
    FThirdSrcBillNo: code,
    FBillEntry: z.array(stkTransferDirectEntrySchema).min(1),
  })
  .strict();

export type StkTransferDirectModel = z.infer<typeof stkTransferDirectModelSchema>;
export type StkTransferDirectEntry = z.infer<typeof stkTransferDirectEntrySchema>;
