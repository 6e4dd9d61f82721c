import { ConfigError, type KingdeeSourceFlowSettings } from '@sync/config';
import type { AnyKingdeeSourceFlow } from './kingdee-source-types';
import { materialFlow } from './material.flow';
import type { SyncConfig } from './sync-config';

/**
 * Every Kingdee → JST flow, by the name the config file uses: one line per flow. They share the config file's
 * `flows:` section with the document flows (flowRegistry); a name in both is a compile error (sync-config.ts).
 * Through AnyKingdeeSourceFlow a record type is `unknown`: callers parse with `flow.schema` and pass the result on.
 */
export const kingdeeSourceFlows = {
  material: materialFlow,
} as const satisfies Record<string, AnyKingdeeSourceFlow>;

/** Names of the Kingdee → JST flows. */
export type KingdeeSourceFlowName = keyof typeof kingdeeSourceFlows;

/** Names of every registered Kingdee-source flow, in registry order. */
export const kingdeeSourceFlowNames = Object.keys(kingdeeSourceFlows) as KingdeeSourceFlowName[];

/** True when `name` is a registered Kingdee-source flow. */
export function isKingdeeSourceFlowName(name: string): name is KingdeeSourceFlowName {
  return Object.prototype.hasOwnProperty.call(kingdeeSourceFlows, name);
}

/**
 * The registered Kingdee-source flow called `name`.
 * @throws ConfigError naming the unknown flow and the known ones.
 */
export function getKingdeeSourceFlow(name: string): AnyKingdeeSourceFlow {
  if (!isKingdeeSourceFlowName(name)) {
    throw new ConfigError(`unknown Kingdee-source flow "${name}" (known: ${Object.keys(kingdeeSourceFlows).join(', ')})`);
  }
  return kingdeeSourceFlows[name];
}

/** `flows.<name>` of `config` for a Kingdee-source flow, or undefined (no such section, or not a Kingdee-source flow). */
export function kingdeeSourceSettingsFor(config: SyncConfig, name: string): KingdeeSourceFlowSettings | undefined {
  return isKingdeeSourceFlowName(name) ? config.flows[name] : undefined;
}
