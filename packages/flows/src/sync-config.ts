import { z } from 'zod';
import { loadConfigFile, parseConfigText, syncConfigShape } from '@sync/config';
import { kingdeeSourceFlows, type KingdeeSourceFlowName } from './kingdee-source-registry';
import { flowRegistry, type FlowName } from './registry';

type SettingsSections<R extends Record<string, { settings: z.ZodType }>> = { [N in keyof R]: z.ZodOptional<R[N]['settings']> };

/** One optional `flows.<name>` section per flow of `registry`, with the schema the flow declares. */
function settingsSections<R extends Record<string, { settings: z.ZodType }>>(registry: R): SettingsSections<R> {
  return Object.fromEntries(Object.entries(registry).map(([name, flow]) => [name, flow.settings.optional()])) as SettingsSections<R>;
}

/** A name used by both registries would give one config section two meanings. */
type NoSharedName<T extends never> = T;
export type _NamesAreDistinct = NoSharedName<Extract<FlowName, KingdeeSourceFlowName>>;

/** `flows`: one optional section per registered flow, parsed by that flow's own `settings` schema. A missing flow is off. */
const flowsSchema = z.object({ ...settingsSections(flowRegistry), ...settingsSections(kingdeeSourceFlows) }).strict();

/**
 * The flows/mapping file (SYNC_CONFIG): the top level from @sync/config (cutover, mappings, reconciliation) and the
 * `flows` section built from the registries. Adding a flow to a registry adds its section.
 */
export const syncConfigSchema = z.object({ ...syncConfigShape, flows: flowsSchema.default(() => flowsSchema.parse({})) }).strict();
export type SyncConfig = z.output<typeof syncConfigSchema>;

/** Parses and validates the flows/mapping document (already read). `where` names it in errors. @throws ConfigError */
export function parseSyncConfig(text: string, where: string): SyncConfig {
  return parseConfigText(syncConfigSchema, text, where);
}

/** Reads and validates the flows/mapping file at `path`. @throws ConfigError naming the path of each bad key. */
export function loadSyncConfig(path: string): SyncConfig {
  return loadConfigFile(syncConfigSchema, path);
}
