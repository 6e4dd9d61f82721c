import { configDateTime, type DocumentFlowSettings } from './flow-settings';
import { mappingsSchema } from './mappings';
import { reconciliationSettingsSchema } from './reconciliation-settings';

export * from './kingdee-source-settings';
export * from './reconciliation-settings';

/**
 * The top level of the flows/mapping file (YAML or JSON, path from `SYNC_CONFIG`) except its `flows` section, which
 * the flow registry supplies: @sync/flows assembles `syncConfigSchema` from these keys and one section per flow.
 * Secrets never live here: they come from the environment (see env.ts).
 */
export const syncConfigShape = {
  /**
   * Go-live of every JST → Kingdee document flow (a flow's own `cutover` wins): Beijing time. Documents whose
   * business date is before it were keyed into Kingdee by hand and are never written. Required for a first start
   * (a flow with no cursor and no cutover refuses to start). Not used by the Kingdee → JST material flow.
   */
  cutover: configDateTime.optional(),
  mappings: mappingsSchema.default(() => mappingsSchema.parse({})),
  /** The daily reconciliation (对账) of JST against Kingdee. */
  reconciliation: reconciliationSettingsSchema.default(() => reconciliationSettingsSchema.parse({})),
};

/** The cutover that applies to one document flow and the config key it comes from (for messages). */
export interface FlowCutover {
  /** As written in the config file. */
  at: string;
  by: DocumentFlowSettings['cutoverBy'];
  /** `flows.<flow>.cutover` or `cutover`. */
  key: string;
}

/** The flow's own cutover, else the top-level one; undefined when neither is set. Pure. */
export function flowCutover(config: { cutover?: string }, flow: string, settings: DocumentFlowSettings): FlowCutover | undefined {
  if (settings.cutover !== undefined) return { at: settings.cutover, by: settings.cutoverBy, key: `flows.${flow}.cutover` };
  if (config.cutover !== undefined) return { at: config.cutover, by: settings.cutoverBy, key: 'cutover' };
  return undefined;
}
