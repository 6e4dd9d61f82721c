import { z } from 'zod';
import { billHead, code, headOwner, keeperFields, ownerFields, ref, stockFields } from './model-fields';

/**
 * The Save `Model` of a Kingdee 盘盈单 STK_StockCountGain and 盘亏单 STK_StockCountLoss as this integration
 * sends them (reference kingdee-api.md §5, §6.8/6.9). Both share the header and entry; a gain entry carries
 * FGainQty, a loss entry FLossQty (both positive). FCountQty (盘点数量) and FAcctQty (账存 = count − difference)
 * are sent when JST gives the counted quantity of the line (not on lines split over several lots).
 */


const entryBase = z.object({
  FENTRYID: z.number().int().optional(),
  FMaterialId: ref,
  FUnitID: ref,
  ...stockFields({
    stock: 'FStockId', location: 'FStockLocId', status: 'FStockStatusId', lot: 'FLot',
    produceDate: 'FProduceDate', expiryDate: 'FExpiryDate', auxProps: 'FAuxPropId',
  }),
  FCountQty: z.number().nonnegative().optional(),
  FAcctQty: z.number().nonnegative().optional(),
  ...ownerFields({ type: 'FOwnerTypeId', id: 'FOwnerid' }),
  ...keeperFields({ type: 'FKeeperTypeId', id: 'FKeeperId' }),
  FThirdSrcEntryId: z.string().optional(),
});

export const stkStockCountGainEntrySchema = entryBase.extend({ FGainQty: z.number().positive() }).strict();
export const stkStockCountLossEntrySchema = entryBase.extend({ FLossQty: z.number().positive() }).strict();

const headerBase = z.object({
  ...billHead,
  FStockOrgId: ref,
  ...headOwner,
  FDeptId: ref.optional(),
  FNoteHead: z.string().max(255).optional(),
  FThirdSystem: code,
  FThirdSrcId: code,
  FThirdSrcBillNo: code,
});

export const stkStockCountGainModelSchema = headerBase.extend({ FBillEntry: z.array(stkStockCountGainEntrySchema).min(1) }).strict();
export const stkStockCountLossModelSchema = headerBase.extend({ FBillEntry: z.array(stkStockCountLossEntrySchema).min(1) }).strict();
/** Either form's model: what the worker validates each target document of the stocktake flow with. */
export const stkStockCountModelSchema = z.union([stkStockCountGainModelSchema, stkStockCountLossModelSchema]);

export type StkStockCountGainModel = z.infer<typeof stkStockCountGainModelSchema>;
export type StkStockCountLossModel = z.infer<typeof stkStockCountLossModelSchema>;
export type StkStockCountGainEntry = z.infer<typeof stkStockCountGainEntrySchema>;
export type StkStockCountLossEntry = z.infer<typeof stkStockCountLossEntrySchema>;
