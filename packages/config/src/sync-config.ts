import { z } from 'zod';
import { configDateTime, documentFlowSettingsSchema, type DocumentFlowSettings } from './flow-settings';
import { checkTransportSettings, transportSettingsOf, transportSettingsShape } from './transport-settings';
import { kingdeeCode, mappingsSchema } from './mappings';
import { reconciliationSettingsSchema } from './reconciliation-settings';
import { kingdeeSourceFlowSettingsSchema, type KingdeeSourceFlowName } from './kingdee-source-settings';

export * from './kingdee-source-settings';
export * from './reconciliation-settings';

/**
 * The flows/mapping file (YAML or JSON), path from `SYNC_CONFIG`. Secrets never live here: they come
 * from the environment (see env.ts). Every flow key is optional; a missing flow is disabled.
 */
export const syncConfigSchema = z.object({
  /**
   * Go-live of every JST → Kingdee document flow (a flow's own `cutover` wins): Beijing time. Documents whose
   * business date is before it were keyed into Kingdee by hand and are never written. Required for a first start
   * (a flow with no cursor and no cutover refuses to start). Not used by the Kingdee → JST material flow.
   */
  cutover: configDateTime.optional(),
  flows: z
    .object({
      'sales-outbound': documentFlowSettingsSchema
        .extend({
          billType: kingdeeCode.default('XSCKD01_SYS'),
          billNoPrefix: z.string().min(1).max(30).default('JSTSO'),
          /** Read through the open API, 聚水潭·奇门 (Taobao/Tmall shops) or both; see transport-settings.ts. */
          ...transportSettingsShape,
        })
        .superRefine(checkTransportSettings)
        .optional(),
      /** 其他入库单: JST other in/out, type 其它进仓 (and 其它退货 unless includeReturns: false) → STK_MISCELLANEOUS. */
      'other-inbound': documentFlowSettingsSchema
        .extend({
          billType: kingdeeCode.default('QTRKD01_SYS'),
          billNoPrefix: z.string().min(1).max(30).default('JSTOI'),
          /** Count 其它退货 (what the JST upload API creates for type=in) as inbound. Default true (reference §8, §14.4). */
          includeReturns: z.boolean().default(true),
          /** Key in mappings.departments of the department put on the bills (FDEPTID); none when absent. */
          department: z.string().min(1).optional(),
        })
        .optional(),
      /** 其他出库单: JST other in/out, type 其它出库 → STK_MisDelivery. */
      'other-outbound': documentFlowSettingsSchema
        .extend({
          billType: kingdeeCode.default('QTCKD01_SYS'),
          billNoPrefix: z.string().min(1).max(30).default('JSTOO'),
          /** Key in mappings.departments of the picking department (FDeptId 领料部门); none when absent. */
          department: z.string().min(1).optional(),
          /** Picking organisation (FPickOrgId); defaults to the warehouse's stock organisation. */
          pickOrg: kingdeeCode.optional(),
          /** FBizType (业务类型); its values are undocumented, so it is only sent when set. */
          bizType: kingdeeCode.optional(),
        })
        .optional(),
      /** 销售退货单: JST 退仓单 (or 售后单, `source: refund`) → SAL_RETURNSTOCK. */
      'sales-return': documentFlowSettingsSchema
        .extend({
          billType: kingdeeCode.default('XSTHD01_SYS'),
          billNoPrefix: z.string().min(1).max(30).default('JSTRT'),
          /** `received`: 退仓单 /open/aftersale/received/query (goods back in stock); `refund`: 售后单 /open/refund/single/query. */
          source: z.enum(['received', 'refund']).default('received'),
          /** FReturnType of every line (退货类型). */
          returnType: kingdeeCode.default('THLX01_SYS'),
          /** Qimen reads 售后单 (jushuitan.refund.list.query, keyed by as_id like `source: refund`). */
          ...transportSettingsShape,
        })
        .superRefine((s, ctx) => {
          checkTransportSettings(s, ctx);
          // Qimen returns 售后单 (bill prefix + AS + as_id); 退仓单 are keyed by io_id: one return read both ways would
          // become two bills unless the open API leaves the Qimen shops alone.
          const t = transportSettingsOf(s);
          if (t.transport === 'both' && s.source === 'received' && t.openweb.shops !== 'others' && !disjoint(t.openweb.shops, t.qimen.shops)) {
            ctx.addIssue({
              code: 'custom',
              path: ['transport'],
              message: 'both with source: received would book a Qimen 售后单 (JSTRT…AS<as_id>) and the open API\'s 退仓单 (JSTRT…<io_id>) of the same return twice: set source: refund, or openweb.shops: others',
            });
          }
        })
        .optional(),
      /** 直接调拨单: JST 调拨入 (/open/allocate/query, status Confirmed) → STK_TransferDirect. */
      transfer: documentFlowSettingsSchema
        .extend({
          billType: kingdeeCode.default('ZJDB01_SYS'),
          billNoPrefix: z.string().min(1).max(30).default('JSTTR'),
        })
        .optional(),
      /** 盘盈单/盘亏单: JST 盘点单 (/open/inventory/count/query, Confirmed) → STK_StockCountGain + STK_StockCountLoss. */
      stocktake: documentFlowSettingsSchema
        .extend({
          /** 盘盈单 bill type and FBillNo prefix. */
          billType: kingdeeCode.default('PY01_SYS'),
          billNoPrefix: z.string().min(1).max(30).default('JSTPY'),
          /** 盘亏单 bill type and FBillNo prefix (one JST stocktake can give both documents). */
          lossBillType: kingdeeCode.default('PK01_SYS'),
          lossBillNoPrefix: z.string().min(1).max(30).default('JSTPK'),
        })
        .optional(),
      /** Kingdee BD_MATERIAL → JST item/SKU upload (a Kingdee-source flow, see kingdee-source-settings.ts). */
      material: kingdeeSourceFlowSettingsSchema.optional(),
      /** 采购入库单: JST /open/purchasein/query (Confirmed, by ts) → Kingdee STK_InStock. */
      'purchase-inbound': documentFlowSettingsSchema
        .extend({
          billType: kingdeeCode.default('RKD01_SYS'),
          billNoPrefix: z.string().min(1).max(30).default('JSTPI'),
          /** FBusinessType of the bill: CG = 标准采购. */
          businessType: kingdeeCode.default('CG'),
          /** FInStockFin.FPriceTimePoint (定价时点), required by the form; "1" as in the reference payloads. */
          priceTimePoint: kingdeeCode.default('1'),
        })
        .optional(),
      /** 采购退料单: JST /open/purchaseout/query (Confirmed 生效, modified windows) → Kingdee PUR_MRB. */
      'purchase-return': documentFlowSettingsSchema
        .extend({
          billType: kingdeeCode.default('TLD01_SYS'),
          billNoPrefix: z.string().min(1).max(30).default('JSTPR'),
          businessType: kingdeeCode.default('CG'),
          priceTimePoint: kingdeeCode.default('1'),
          /** FMRTYPE 退料类型: undocumented (reference §9.7); "B" is what two independent payloads send. */
          mrType: kingdeeCode.default('B'),
          /** FMRMODE 退料方式: "A" (退料补料) in two payloads, "B" (退料并扣款) in one; A → FREPLENISHQTY, B → FKEAPAMTQTY. */
          mrMode: kingdeeCode.default('A'),
        })
        .optional(),
    })
    .strict()
    .default({}),
  mappings: mappingsSchema.default(() => mappingsSchema.parse({})),
  /** The daily reconciliation (对账) of JST against Kingdee. */
  reconciliation: reconciliationSettingsSchema.default(() => reconciliationSettingsSchema.parse({})),
}).strict();
export type SyncConfig = z.infer<typeof syncConfigSchema>;

/** True when two shop selections cannot share a shop (`all` shares with anything). */
function disjoint(a: 'all' | number[], b: 'all' | number[]): boolean {
  if (a === 'all' || b === 'all') return false;
  return !a.some((x) => b.includes(x));
}
/** Names of the JST → Kingdee document flows (flowRegistry); the Kingdee-source flows have their own registry. */
export type FlowName = Exclude<keyof SyncConfig['flows'], KingdeeSourceFlowName>;

/** The cutover that applies to one document flow and the config key it comes from (for messages). */
export interface FlowCutover {
  /** As written in the config file. */
  at: string;
  by: DocumentFlowSettings['cutoverBy'];
  /** `flows.<flow>.cutover` or `cutover`. */
  key: string;
}

/** The flow's own cutover, else the top-level one; undefined when neither is set. Pure. */
export function flowCutover(config: Pick<SyncConfig, 'cutover'>, flow: string, settings: DocumentFlowSettings): FlowCutover | undefined {
  if (settings.cutover !== undefined) return { at: settings.cutover, by: settings.cutoverBy, key: `flows.${flow}.cutover` };
  if (config.cutover !== undefined) return { at: config.cutover, by: settings.cutoverBy, key: 'cutover' };
  return undefined;
}
