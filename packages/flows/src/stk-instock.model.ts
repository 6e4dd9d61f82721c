import { z } from 'zod';
import { billHead, code, headOwner, ownerFields, priceFields, ref, settlementFields, stockFields, thirdBillFields } from './model-fields';

/**
 * The Save `Model` of a Kingdee 采购入库单 STK_InStock as this integration sends it (reference kingdee-api.md
 * §5, §6.3): the form's 必填 fields plus stock, lot and shelf-life fields. Objects are strict so a misspelt key
 * fails the contract test instead of being ignored by Kingdee. `FID` may be added by a writer that updates.
 */


export const stkInStockEntrySchema = z
  .object({
    FENTRYID: z.number().int().optional(),
    FMaterialId: ref,
    FUnitID: ref,
    FPriceUnitID: ref,
    FRealQty: z.number().positive(),
    ...priceFields({ taxPrice: 'FTaxPrice', taxRate: 'FEntryTaxRate' }),
    FGiveAway: z.boolean(),
    ...stockFields({
      stock: 'FStockId', location: 'FStockLocId', status: 'FStockStatusId', lot: 'FLot',
      produceDate: 'FProduceDate', expiryDate: 'FExpiryDate', auxProps: 'FAuxPropId',
    }),
    ...ownerFields({ type: 'FOWNERTYPEID', id: 'FOWNERID' }),
    FNote: z.string().max(255).optional(),
  })
  .strict();

export const stkInStockModelSchema = z
  .object({
    ...billHead,
    FBusinessType: code,
    FStockOrgId: ref,
    FPurchaseOrgId: ref,
    FSupplierId: ref,
    ...headOwner,
    FStockDeptId: ref.optional(),
    FPurchaseDeptId: ref.optional(),
    FInStockFin: z
      .object({
        ...settlementFields({
          settleOrg: 'FSettleOrgId', settleCurrency: 'FSettleCurrId', localCurrency: 'FLocalCurrId',
          exchangeType: 'FExchangeTypeId', exchangeRate: 'FExchangeRate',
        }),
        FPriceTimePoint: code,
        FIsIncludedTax: z.boolean(),
        ...thirdBillFields({ srcType: 'FTHIRDSRCTYPE', billNo: 'FTHIRDBILLNO', billId: 'FTHIRDBILLID' }),
      })
      .strict(),
    FInStockEntry: z.array(stkInStockEntrySchema).min(1),
  })
  .strict();

export type StkInStockModel = z.infer<typeof stkInStockModelSchema>;
export type StkInStockEntry = z.infer<typeof stkInStockEntrySchema>;
